"""Tensor creation: tensor, as_tensor, from_numpy, zeros/ones/full/empty(_like), arange, linspace, eye, ..."""
import math
import numbers
import warnings

import numpy as np

from .. import _dtype as D
from .._device import device as _device_cls, cpu_device, Size
from .._tensor import Tensor

_make = Tensor._make


def check_device(device):
    """Accept the CPU; any other device raises what a CPU-only PyTorch raises."""
    if device is None:
        return
    if isinstance(device, str) or isinstance(device, int):
        device = _device_cls(device)
    if device.type == "cpu":
        return
    if device.type == "cuda":
        from ..cuda import _lazy_init
        _lazy_init()
    raise RuntimeError(f"Device type {device.type.upper()} is not supported by tritongrad yet")


def parse_size(size, name="size"):
    """Sizes come as varargs ints, one sequence, or a torch.Size."""
    if len(size) == 1 and not isinstance(size[0], (int, np.integer)) and not (
            isinstance(size[0], Tensor) and size[0].dim() == 0):
        size = size[0]
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        elif not isinstance(s, (int, np.integer)):
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, but found element of "
                            f"type {type(s).__name__} at pos {len(out)}")
        out.append(int(s))
    for s in out:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: [{', '.join(map(str, out))}]")
    return tuple(out)


def _finish(t, requires_grad):
    if requires_grad:
        if not (t.dtype.is_floating_point or t.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


def _factory(np_fn, name):
    def factory(*size, out=None, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False,
                memory_format=None, names=None, **kw):
        if "size" in kw:
            size = (kw.pop("size"),)
        if kw:
            raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kw))}'")
        shape = parse_size(size, name)
        check_device(device)
        dt = dtype or D.get_default_dtype()
        t = _make(np_fn(shape, dtype=dt._np), dt)
        if out is not None:
            return _into_out(out, t)
        return _finish(t, requires_grad)
    factory.__name__ = name
    return factory


def _into_out(out, t):
    out._data = t._data if out.dtype is t.dtype else t._data.astype(out.dtype._np)
    out._storage = None
    out._vc[0] += 1
    return out


zeros = _factory(np.zeros, "zeros")
ones = _factory(np.ones, "ones")
empty = _factory(np.zeros, "empty")


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
                  _storage_size=None):
    check_device(device)
    dt = dtype or D.get_default_dtype()
    size, stride = tuple(size), tuple(stride)
    span = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    if _storage_size is not None:
        span = max(span, _storage_size)
    buf = np.zeros(span, dtype=dt._np)
    arr = np.lib.stride_tricks.as_strided(buf, shape=size, strides=tuple(s * buf.itemsize for s in stride))
    from .._storage import UntypedStorage
    t = _make(arr, dt, UntypedStorage(buf))
    return _finish(t, requires_grad)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, pin_memory=False,
         requires_grad=False, names=None):
    shape = parse_size((size,))
    check_device(device)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dt = dtype or D.scalar_dtype(fill_value)
    t = _make(np.full(shape, fill_value, dtype=dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def _like(np_fn, name):
    def like(input, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False,
             memory_format=None):
        check_device(device)
        dt = dtype or input.dtype
        return _finish(_make(np_fn(input._data.shape, dtype=dt._np), dt), requires_grad)
    like.__name__ = name
    return like


zeros_like = _like(np.zeros, "zeros_like")
ones_like = _like(np.ones, "ones_like")
empty_like = _like(np.zeros, "empty_like")


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False,
              memory_format=None):
    check_device(device)
    dt = dtype or input.dtype
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    return _finish(_make(np.full(input._data.shape, fill_value, dtype=dt._np), dt), requires_grad)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    return _finish(_make(np.asarray(s, dtype=dt._np), dt), requires_grad)


# ------------------------------------------------------------------ torch.tensor and friends
def _infer_dtype(data):
    """The dtype torch.tensor infers for nested Python data (None when it holds only tensors/arrays)."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, np.ndarray):
        return D.from_numpy_dtype(data.dtype)
    if isinstance(data, np.generic):
        return D.from_numpy_dtype(data.dtype)
    if isinstance(data, bool):
        return D.bool_
    if isinstance(data, numbers.Integral):
        return D.int64
    if isinstance(data, numbers.Real):
        return D.get_default_dtype()
    if isinstance(data, numbers.Complex):
        return D.default_complex_dtype()
    if isinstance(data, (list, tuple)):
        res = None
        for x in data:
            d = _infer_dtype(x)
            if d is None:
                continue
            if res is None:
                res = d
            else:
                res = D.promote_types(res, d)
        return res
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _to_numpy_nested(data, np_dt):
    """Nested sequences (possibly holding tensors / arrays) to one numpy array, with PyTorch's shape errors."""
    if isinstance(data, Tensor):
        return data.detach()._data.astype(np_dt)
    if isinstance(data, np.ndarray):
        return data.astype(np_dt)
    if isinstance(data, (list, tuple)):
        try:
            arr = np.array(data, dtype=np_dt)
            if arr.dtype != object:
                return arr
        except (ValueError, TypeError):
            pass
        _check_ragged(data)
        items = [_to_numpy_nested(x, np_dt) for x in data]
        if not items:
            return np.zeros((0,), dtype=np_dt)
        return np.stack(items)
    if isinstance(data, (numbers.Number, np.generic)):
        return np.asarray(data, dtype=np_dt)
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _shape_of(x):
    if isinstance(x, Tensor):
        return tuple(x.shape)
    if isinstance(x, np.ndarray):
        return x.shape
    if isinstance(x, (list, tuple)):
        if not x:
            return (0,)
        return (len(x),) + _shape_of(x[0])
    return ()


def _check_ragged(data, dim=0):
    if not isinstance(data, (list, tuple)) or not data:
        return
    first = _shape_of(data[0])
    for x in data:
        s = _shape_of(x)
        if s[:1] != first[:1]:
            raise ValueError(f"expected sequence of length {first[0]} at dim {dim + 1} (got {s[0]})")
    for x in data:
        _check_ragged(x, dim + 1)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: always copies ``data``."""
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        dt = dtype or data.dtype
        t = _make(data.detach()._data.astype(dt._np, copy=True), dt)
        return _finish(t, requires_grad)
    inferred = _infer_dtype(data)
    if inferred is None:
        inferred = D.get_default_dtype()
    if isinstance(data, (list, tuple)) and _contains_non_scalar_tensor(data):
        raise ValueError("only one element tensors can be converted to Python scalars")
    dt = dtype or inferred
    if isinstance(data, np.ndarray):
        arr = np.array(data, dtype=dt._np, copy=True)
    else:
        try:
            arr = _to_numpy_nested(data, dt._np)
        except OverflowError:
            raise RuntimeError(f"Overflow when unpacking long long") from None
        arr = np.array(arr, copy=True) if arr.base is not None or isinstance(data, Tensor) else arr
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)
    t = _make(arr, dt)
    return _finish(t, requires_grad)


def _iter_flat_tensors(data):
    for x in data:
        if isinstance(x, Tensor):
            yield x
        elif isinstance(x, (list, tuple)):
            yield from _iter_flat_tensors(x)


def _contains_non_scalar_tensor(data):
    for x in _iter_flat_tensors(data):
        if x.numel() != 1:
            return True
    return False


def as_tensor(data, dtype=None, device=None):
    """torch.as_tensor: shares memory with a tensor or numpy array when no conversion is needed."""
    check_device(device)
    if isinstance(data, Tensor):
        if dtype is None or dtype is data.dtype:
            return data
        return data.to(dtype)
    if isinstance(data, np.ndarray):
        t = from_numpy(data) if data.dtype.kind != "O" and all(s >= 0 for s in data.strides) else tensor(data)
        if dtype is not None and dtype is not t.dtype:
            t = t.to(dtype)
        return t
    return tensor(data, dtype=dtype)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    if copy:
        t = tensor(obj, dtype=dtype)
    else:
        t = as_tensor(obj, dtype=dtype, device=device)
    return _finish(t, requires_grad) if requires_grad else t


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray``."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array  with array.copy().) ")
    if any(s % ndarray.itemsize for s in ndarray.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy array "
                         "to reallocate the memory.")
    dt = D.from_numpy_dtype(ndarray.dtype)
    if not ndarray.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion "
                         "between byte orders is currently not supported.")
    if not ndarray.flags.writeable:
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support non-writable tensors. "
                      "This means writing to this tensor will result in undefined behavior. You may want to copy "
                      "the array to protect its data or make it writable before converting it to a tensor. This "
                      "type of warning will be suppressed for the rest of this program.", UserWarning, stacklevel=2)
    return _make(ndarray, dt)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    arr = np.frombuffer(buffer, dtype=dtype._np, count=count, offset=offset)
    return _finish(_make(arr, dtype), requires_grad)


# ------------------------------------------------------------------ ranges
def _num(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, pin_memory=False,
           requires_grad=False):
    check_device(device)
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if dtype is None:
        if any(isinstance(v, float) for v in (start, end, step)):
            dtype = D.get_default_dtype()
        else:
            dtype = D.int64
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = int(math.ceil((end - start) / step))
    if dtype.is_floating_point:
        arr = (start + np.arange(n, dtype=np.float64) * step).astype(dtype._np)
    else:
        arr = (int(start) + np.arange(n, dtype=np.int64) * step) if isinstance(step, int) and isinstance(start, int) \
            else np.floor(start + np.arange(n) * step)
        arr = np.asarray(arr).astype(dtype._np)
    t = _make(arr, dtype)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def range_(start=0, end=None, step=1, *, dtype=None, layout=None, device=None, requires_grad=False):
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
                  "in [start, end).", UserWarning, stacklevel=2)
    dtype = dtype or D.get_default_dtype()
    n = int(math.floor((end - start) / step)) + 1
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(dtype._np)
    return _finish(_make(arr, dtype), requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False):
    check_device(device)
    start, end = _num(start), _num(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = dtype or D.get_default_dtype()
    if steps == 1:
        arr = np.asarray([start], dtype=np.float64)
    else:
        step = (end - start) / (steps - 1) if steps > 1 else 0
        i = np.arange(steps, dtype=np.float64)
        half = steps // 2
        arr = np.where(i < half, start + step * i, end - step * (steps - i - 1))
    t = _make(arr.astype(dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False):
    check_device(device)
    dt = dtype or D.get_default_dtype()
    lin = linspace(start, end, steps, dtype=D.float64)._data
    t = _make(np.power(float(base), lin).astype(dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False):
    check_device(device)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    dt = dtype or D.get_default_dtype()
    t = _make(np.eye(n, n if m is None else m, dtype=dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


# ------------------------------------------------------------------ legacy constructors and new_*
def legacy_new(dt, args, kwargs):
    """torch.Tensor(...) / torch.FloatTensor(...): sizes make an uninitialised tensor, data makes a copy."""
    device = kwargs.pop("device", None)
    check_device(device)
    if kwargs:
        raise TypeError(f"new() received an invalid combination of arguments - got unexpected keyword argument "
                        f"'{next(iter(kwargs))}'")
    if not args:
        return _make(np.zeros((0,), dtype=dt._np), dt)
    if len(args) == 1:
        a = args[0]
        if isinstance(a, Tensor):
            if a.dtype is not dt:
                raise TypeError(f"expected {_legacy_name(dt)} (got {_legacy_name(a.dtype)})")
            return a.detach()
        if isinstance(a, Size):
            return _make(np.zeros(tuple(a), dtype=dt._np), dt)
        if isinstance(a, (list, tuple, np.ndarray)) or isinstance(a, numbers.Number) and not isinstance(a, int):
            return tensor(a, dtype=dt)
    if all(isinstance(a, (int, np.integer)) for a in args):
        return _make(np.zeros(parse_size(args), dtype=dt._np), dt)
    raise TypeError("new(): invalid combination of arguments")


def _legacy_name(dt):
    return "torch." + (dt._legacy or dt.name.capitalize() + "Tensor")


def _new_factory(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False, **kw):
        if "size" in kw:
            size = (kw.pop("size"),)
        return fn(*size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)
    return method


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False):
    return full(size, fill_value, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than "
                      "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        dt = dtype or data.dtype
        return _finish(_make(data.detach()._data.astype(dt._np, copy=True), dt), requires_grad)
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def new_empty_strided(self, size, stride, *, dtype=None, device=None, requires_grad=False, layout=None,
                      pin_memory=False):
    return empty_strided(size, stride, dtype=dtype or self.dtype, requires_grad=requires_grad)


Tensor.new_zeros = _new_factory(zeros)
Tensor.new_ones = _new_factory(ones)
Tensor.new_empty = _new_factory(empty)
Tensor.new_full = new_full
Tensor.new_tensor = new_tensor
Tensor.new_empty_strided = new_empty_strided


def _legacy_new_method(self, *args, **kwargs):
    return legacy_new(self.dtype, args, kwargs)


Tensor.new = _legacy_new_method


class _LegacyTensorMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._dtype


def _legacy_class(name, dt):
    def __new__(cls, *args, **kwargs):
        return legacy_new(dt, args, kwargs)
    return _LegacyTensorMeta(name, (), {"__new__": __new__, "_dtype": dt, "dtype": dt, "__module__": "torch"})


LEGACY_TENSOR_TYPES = {d._legacy: _legacy_class(d._legacy, d) for d in D.ALL_DTYPES if d._legacy}
