"""Tensor creation: tensor, as_tensor, from_numpy, zeros/ones/full/empty(_like), arange, linspace, eye, ..."""
import itertools
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


def _is_int_like(s):
    return isinstance(s, (int, np.integer)) and not isinstance(s, bool) or \
        isinstance(s, Tensor) and s.dim() == 0 and not (s.dtype.is_floating_point or s.dtype.is_complex)


def parse_size(size, name="size", varargs=True):
    """Sizes come as varargs ints, one sequence, or a torch.Size (PyTorch's argument errors otherwise)."""
    if len(size) == 1 and not _is_int_like(size[0]):
        size = size[0]
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
                            f"{type(size).__name__}")
        packed = True
    else:
        packed = not varargs
    out = []
    for i, s in enumerate(size):
        if not _is_int_like(s):
            if packed:
                raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, but found element "
                                f"of type {type(s).__name__} at pos {i}")
            raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {type(s).__name__}\"")
        out.append(int(s))
    for s in out:
        if s < 0:
            if varargs and len(out) > 1 and name == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: [{', '.join(map(str, out))}]")
    return tuple(out)


def check_dtype_arg(dtype, name):
    if dtype is not None and not isinstance(dtype, D.dtype):
        raise TypeError(f"{name}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")


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
        check_dtype_arg(dtype, name)
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
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    shape = parse_size((size,), "full")
    check_dtype_arg(dtype, "full")
    check_device(device)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dt = dtype or D.scalar_dtype(fill_value)
    _check_fill_value(fill_value, dt)
    t = _make(np.full(shape, fill_value, dtype=dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def _check_fill_value(value, dt):
    if isinstance(value, int) and not isinstance(value, bool):
        if not -2 ** 63 <= value < 2 ** 64:
            raise OverflowError("int too big to convert")
        if not (dt.is_floating_point or dt.is_complex or dt is D.bool_):
            info = np.iinfo(dt._np)
            if not info.min <= value <= info.max:
                c_name = {"int64": "int64_t", "int32": "int", "int16": "short", "int8": "int8_t",
                          "uint8": "uint8_t", "uint16": "uint16_t", "uint32": "uint32_t",
                          "uint64": "uint64_t"}[dt.name]
                raise RuntimeError(f"value cannot be converted to type {c_name} without overflow")


def dense_strides_like(input):
    """The strides PyTorch's preserve_format gives a new tensor shaped like ``input``: the same strides when
    ``input`` is non-overlapping and dense, else dense strides in the order of ``input``'s strides."""
    shape, strides = input._data.shape, input.stride()
    if _is_non_overlapping_and_dense(shape, strides):
        return strides
    return iter_output_strides(shape, [strides])


def iter_output_strides(shape, operand_strides):
    """Dense strides for a result of ``shape`` laid out like its inputs, as TensorIterator orders dims: the
    first operand whose strides tell two dims apart decides (stride 0 tells nothing; equal strides: the
    larger size goes outside)."""
    ndim = len(shape)
    perm = list(range(ndim - 1, -1, -1))  # perm[0] is the innermost dim

    def should_swap(d0, d1):
        for strides in operand_strides:
            s0, s1 = strides[d0], strides[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return 1 if s0 > s1 else -1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    out = [0] * ndim
    acc = 1
    for d in perm:
        out[d] = acc
        acc *= max(shape[d], 1)
    return tuple(out)


def _is_non_overlapping_and_dense(shape, strides):
    if len(shape) == 1:
        return shape[0] < 2 or strides[0] == 1
    order = sorted(range(len(shape)), key=lambda d: (strides[d], shape[d]))
    acc = 1
    for d in order:
        if shape[d] == 1:
            continue
        if strides[d] != acc:
            return False
        acc *= shape[d]
    return True


def _empty_like_array(input, dt, memory_format):
    """Zeroed numpy array shaped like ``input`` with PyTorch's memory-format rules for ``*_like``."""
    shape = input._data.shape
    fmt = getattr(memory_format, "_name", "preserve_format")
    if fmt == "contiguous_format" or len(shape) == 0:
        return np.zeros(shape, dtype=dt._np)
    if fmt in ("channels_last", "channels_last_3d"):
        order = (0, 2, 3, 1) if fmt == "channels_last" else (0, 2, 3, 4, 1)
        if len(shape) != len(order):
            raise RuntimeError(f"required rank {len(order)} tensor to use {fmt} format")
        buf = np.zeros([shape[d] for d in order], dtype=dt._np)
        return buf.transpose(np.argsort(order))
    strides = dense_strides_like(input)
    if strides == tuple(_contiguous(shape)):
        return np.zeros(shape, dtype=dt._np)
    span = 1 + sum((n - 1) * st for n, st in zip(shape, strides)) if all(shape) else 0
    buf = np.zeros(span, dtype=dt._np)
    return np.lib.stride_tricks.as_strided(buf, shape=shape, strides=tuple(st * buf.itemsize for st in strides))


def _contiguous(shape):
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


def _like(fill, name):
    def like(input, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False,
             memory_format=None):
        check_dtype_arg(dtype, name)
        check_device(device)
        dt = dtype or input.dtype
        arr = _empty_like_array(input, dt, memory_format)
        if fill:
            arr[...] = 1
        return _finish(_make(arr, dt), requires_grad)
    like.__name__ = name
    return like


zeros_like = _like(False, "zeros_like")
ones_like = _like(True, "ones_like")
empty_like = _like(False, "empty_like")


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False,
              memory_format=None):
    check_device(device)
    dt = dtype or input.dtype
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    arr = _empty_like_array(input, dt, memory_format)
    with np.errstate(invalid="ignore", over="ignore"):
        arr[...] = np.asarray(fill_value).astype(dt._np)
    return _finish(_make(arr, dt), requires_grad)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False):
    dt = dtype or D.get_default_dtype()
    return _finish(_make(np.asarray(s, dtype=dt._np), dt), requires_grad)


# ------------------------------------------------------------------ torch.tensor and friends
_NUMPY_KINDS = "biufc"
_MAX_DIMS = 64


def _np_type_name(np_dtype):
    return "numpy." + np.dtype(np_dtype).type.__name__


def check_numpy_dtype(np_dtype):
    """Raise PyTorch's TypeError for numpy dtypes that have no tensor dtype (datetime, str, object, ...)."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind not in _NUMPY_KINDS and np_dtype.name != "bfloat16" or np_dtype == np.longdouble and \
            np_dtype.itemsize > 8 or np_dtype == np.clongdouble and np_dtype.itemsize > 16:
        raise TypeError(f"can't convert np.ndarray of type {_np_type_name(np_dtype)}. The only supported types are: "
                        "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
                        "uint32, uint16, uint8, and bool.")
    return D.from_numpy_dtype(np_dtype)


def _is_sequence(x):
    return isinstance(x, (list, tuple, range)) or isinstance(x, np.ndarray) and x.ndim > 0 or \
        isinstance(x, Tensor) and x.dim() > 0


def _type_label(x):
    if isinstance(x, np.generic):
        return _np_type_name(x.dtype)
    return type(x).__name__


def _infer_dtype(data):
    """The dtype torch.tensor infers for nested Python data (None when the data holds no element)."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):
        return check_numpy_dtype(data.dtype)
    if isinstance(data, bool):
        return D.bool_
    if isinstance(data, numbers.Integral):
        return D.int64
    if isinstance(data, numbers.Real):
        return D.get_default_dtype()
    if isinstance(data, numbers.Complex):
        return D.default_complex_dtype()
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if isinstance(data, (list, tuple, range)):
        res = None
        for x in data:
            d = _infer_dtype(x)
            if d is None:
                continue
            res = d if res is None else D.promote_types(res, d)
        return res
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _sizes_of(data):
    """The shape torch.tensor reads from ``data``, following first elements as PyTorch does."""
    sizes = []
    x = data
    while _is_sequence(x) or isinstance(x, (str, bytes)):
        if isinstance(x, (str, bytes)):
            raise ValueError(f"too many dimensions '{type(x).__name__}'")
        if isinstance(x, (np.ndarray, Tensor)):
            sizes.extend(x.shape)
            break
        n = len(x)
        sizes.append(n)
        if len(sizes) > _MAX_DIMS:
            raise ValueError(f"too many dimensions '{type(data).__name__}'")
        if n == 0:
            break
        x = x[0]
    return sizes


def _validate(data, sizes, dim, dt):
    """Walk ``data`` as torch.tensor stores it, raising its errors for ragged or mistyped elements."""
    if dim == len(sizes):
        if isinstance(data, np.ndarray) and data.ndim == 0:
            raise TypeError("len() of unsized object")
        if _is_sequence(data):
            if dt.is_floating_point or dt.is_complex:
                raise TypeError(f"must be real number, not {type(data).__name__}")
            raise TypeError(f"'{type(data).__name__}' object cannot be interpreted as an integer")
        if isinstance(data, complex) and not dt.is_complex:
            if dt.is_floating_point:
                raise TypeError("must be real number, not complex")
            raise TypeError("'complex' object cannot be interpreted as an integer")
        if data is None or isinstance(data, (str, bytes)):
            if dt.is_floating_point or dt.is_complex:
                raise TypeError(f"must be real number, not {type(data).__name__}")
            raise TypeError(f"'{type(data).__name__}' object cannot be interpreted as an integer")
        return
    if isinstance(data, (np.ndarray, Tensor)):
        return
    if not _is_sequence(data):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(data)})")
    for x in data:
        _validate(x, sizes, dim + 1, dt)


def _flat_scalars(data):
    if isinstance(data, (list, tuple, range)):
        for x in data:
            yield from _flat_scalars(x)
    elif isinstance(data, (np.ndarray, Tensor)):
        yield from (np.asarray(data).reshape(-1).tolist())
    else:
        yield data.item() if isinstance(data, np.generic) else data


def _wide_array(data, dt):
    """Python data as a numpy array wide enough to range-check before casting to ``dt``."""
    try:
        raw = np.array(data)
    except (ValueError, TypeError, OverflowError):
        raw = None
    if raw is None or raw.dtype.kind not in _NUMPY_KINDS or raw.dtype.kind == "u" and raw.dtype.itemsize == 8:
        values = list(_flat_scalars(data))
        ints = [v for v in values if isinstance(v, numbers.Integral) and not isinstance(v, bool)]
        if ints and dt is not D.uint64 and not (dt.is_floating_point or dt.is_complex) and \
                (max(ints) > 2 ** 63 - 1 or min(ints) < -2 ** 63):
            raise ValueError("Overflow when unpacking long long")
        if ints and dt is D.int64 and (max(ints) > 2 ** 63 - 1 or min(ints) < -2 ** 63):
            raise ValueError("Overflow when unpacking long long")
        if dt is D.uint64 and ints:
            if min(ints) < 0:
                raise OverflowError("can't convert negative int to unsigned")
            if max(ints) > 2 ** 64 - 1:
                raise OverflowError("int too big to convert")
        if ints and (dt.is_floating_point or dt.is_complex) and raw is None:
            raw = np.array([float(v) if isinstance(v, int) else v for v in values])
        elif raw is None or raw.dtype.kind not in _NUMPY_KINDS:
            raw = np.array(values, dtype=object if dt is D.uint64 else None)
            if raw.dtype.kind == "O":
                raw = raw.astype(np.float64 if dt.is_floating_point else
                                 np.complex128 if dt.is_complex else np.uint64)
        raw = raw.reshape(_sizes_of(data))
    return raw


def _check_range(raw, dt):
    """PyTorch refuses Python values that don't fit an integer dtype (unsigned ones accept -max..max)."""
    if dt.is_floating_point or dt.is_complex or dt is D.bool_ or raw.size == 0 or raw.dtype.kind not in "iuf":
        return
    info = np.iinfo(dt._np)
    lo = info.min if info.min < 0 else -int(info.max)
    if raw.dtype.kind == "f":
        if not np.isfinite(raw).all():
            bad = True
        else:
            lo_f = info.min if info.min < 0 else 0
            bad = float(raw.min()) < lo_f or float(raw.max()) > info.max
    else:
        bad = int(raw.min()) < lo or int(raw.max()) > info.max
    if bad:
        raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")


_PLAIN_SCALARS = {bool: 0, int: 1, float: 2, complex: 3}


def _fast_python_array(data):
    """Rectangular nested lists of plain Python numbers convert in one numpy call; the dtype is then
    inferred from the element types present (None when the data needs the general, checking path)."""
    if not isinstance(data, (list, tuple)):
        return None
    try:
        raw = np.array(data)
    except (ValueError, TypeError, OverflowError):
        return None
    if raw.dtype.kind not in "biufc" or raw.dtype.kind == "u":
        return None
    flat = data
    for _ in range(raw.ndim - 1):
        flat = itertools.chain.from_iterable(flat)
    kinds = set(map(type, flat))
    if not kinds <= _PLAIN_SCALARS.keys():
        return None
    top = max((_PLAIN_SCALARS[k] for k in kinds), default=2)
    inferred = (D.bool_, D.int64, D.get_default_dtype(), D.default_complex_dtype())[top]
    return raw, inferred


def _from_python(data, dtype):
    """torch.tensor's conversion of nested Python data (lists, tuples, numbers, 0-d tensors, arrays)."""
    if isinstance(data, (str, bytes)) or isinstance(data, np.generic) and data.dtype.kind in "SUV" and \
            data.dtype.name != "bfloat16":
        raise TypeError(f"new(): invalid data type '{_type_label(data)}'")
    fast = _fast_python_array(data)
    if fast is not None:
        raw, inferred = fast
        dt = dtype or inferred
        if raw.dtype.kind in "iuf":
            _check_range(raw, dt)
        with np.errstate(over="ignore", invalid="ignore"):
            return raw.astype(dt._np), dt
    sizes = _sizes_of(data)
    inferred = _infer_dtype(data) if dtype is None else None
    dt = dtype or inferred or D.get_default_dtype()
    if isinstance(data, (list, tuple, range)) and _contains_non_scalar_tensor(data):
        raise ValueError("only one element tensors can be converted to Python scalars")
    if isinstance(data, (list, tuple, range)):
        _validate(data, sizes, 0, dt)
    raw = _wide_array(data, dt if dtype is not None else (inferred or dt))
    if raw.dtype.kind == "u" and raw.dtype.itemsize == 8 and dt is not D.uint64 and \
            not (dt.is_floating_point or dt.is_complex):
        raise ValueError("Overflow when unpacking long long")
    if raw.dtype.kind in "iuf":
        _check_range(raw, dt)
    with np.errstate(over="ignore", invalid="ignore"):
        arr = raw.astype(dt._np)
    if arr.shape != tuple(sizes) and arr.size == 0:
        arr = arr.reshape(sizes)
    return arr, dt


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """torch.tensor: always copies ``data``."""
    check_dtype_arg(dtype, "tensor")
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                      "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        dt = dtype or data.dtype
        t = _make(np.array(data.detach()._data, dtype=dt._np, order="K", copy=True), dt)
        return _finish(t, requires_grad)
    if isinstance(data, np.ndarray):
        _check_numpy_strides(data)
        dt = dtype or check_numpy_dtype(data.dtype)
        arr = np.array(data, dtype=dt._np, order="K", copy=True)
    else:
        arr, dt = _from_python(data, dtype)
    return _finish(_make(arr, dt), requires_grad)


def _check_numpy_strides(ndarray):
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative "
                         "strides are not currently supported. (You can probably work around this by making a "
                         "copy of your array  with array.copy().) ")


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
        check_numpy_dtype(data.dtype)
        _check_numpy_strides(data)
        t = from_numpy(data) if data.flags.writeable else tensor(data)
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
    _check_numpy_strides(ndarray)
    if any(s % ndarray.itemsize for s in ndarray.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy array "
                         "to reallocate the memory.")
    dt = check_numpy_dtype(ndarray.dtype)
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
    check_dtype_arg(dtype, "arange")
    check_device(device)
    start, end, step = _num(start), _num(end), _num(step)
    if end is None:
        start, end = 0, start
    if dtype is None:
        if any(isinstance(v, float) for v in (start, end, step)):
            dtype = D.get_default_dtype()
        else:
            dtype = D.int64
    if dtype is D.bool_:
        raise NotImplementedError('"arange_cpu" not implemented for \'Bool\'')
    for v in (start, end):
        if isinstance(v, float) and not math.isfinite(v):
            raise RuntimeError(f"unsupported range: {_scalar_str(start)} -> {_scalar_str(end)}")
    if dtype is D.int64 and any(isinstance(v, float) for v in (start, end, step)):
        # int64 ranges truncate their bounds and step before counting
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("step must be nonzero")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if all(isinstance(v, int) for v in (start, end, step)):
        n = -((start - end) // step)
    else:
        n = int(math.ceil((end - start) / step))
    if dtype.is_floating_point or dtype.is_complex:
        arr = (start + np.arange(n, dtype=np.float64) * step).astype(dtype._np)
    else:
        arr = int(start) + np.arange(n, dtype=np.int64) * int(step)
        arr = arr.astype(dtype._np)
    t = _make(arr, dtype)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def _scalar_str(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


def range_(start=0, end=None, step=1, *, dtype=None, layout=None, device=None, requires_grad=False):
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
                  "in [start, end).", UserWarning, stacklevel=2)
    dtype = dtype or D.get_default_dtype()
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
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
    if dt is D.bool_:
        raise NotImplementedError('"linspace_cpu" not implemented for \'Bool\'')
    if isinstance(start, complex) or isinstance(end, complex):
        dt = dtype or D.default_complex_dtype()
    if dt.is_complex and steps > 1:
        real_dt = D.float64 if dt is D.complex128 else D.float32
        re = linspace(complex(start).real, complex(end).real, steps, dtype=real_dt)._data
        im = linspace(complex(start).imag, complex(end).imag, steps, dtype=real_dt)._data
        arr = re + 1j * im
    elif steps == 1:
        arr = np.asarray([start])
    elif dt in (D.float32, D.float64):
        arr = _linspace_float(start, end, steps, dt._np)
    else:
        step = (end - start) / (steps - 1) if steps > 1 else 0
        i = np.arange(steps, dtype=np.float64)
        half = steps // 2
        arr = np.where(i < half, start + step * i, end - step * (steps - i - 1))
    t = _make(arr.astype(dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def _linspace_float(start, end, steps, np_dt):
    """PyTorch's float linspace: the step in the output's precision, the first half counted up from ``start``
    and the second half down from ``end``, each point one fused multiply-add rounded once (emulated in a wider
    type); this reproduces PyTorch's values bit for bit (e.g. the middle of linspace(-1, 1, 7) is not 0)."""
    np_dt = np.dtype(np_dt).type
    wide = np.longdouble if np_dt == np.float64 else np.float64
    lo_v, hi_v = np_dt(start), np_dt(end)
    step = np_dt((hi_v - lo_v) / np_dt(steps - 1))
    i = np.arange(steps)
    half = steps // 2
    up = wide(lo_v) + wide(step) * i.astype(wide)
    down = wide(hi_v) - wide(step) * (steps - i - 1).astype(wide)
    return np.where(i < half, up, down).astype(np_dt)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False):
    check_device(device)
    dt = dtype or D.get_default_dtype()
    start, end = _num(start), _num(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    # exponents stepped from both ends in double precision (closest to PyTorch's values, within an ulp)
    lo_v, hi_v = float(dt._np.type(start)), float(dt._np.type(end))
    step = (hi_v - lo_v) / (steps - 1) if steps > 1 else 0.0
    i = np.arange(steps, dtype=np.float64)
    exps = np.where(i < steps // 2, lo_v + step * i, hi_v - step * (steps - i - 1)) if steps > 1 else \
        np.full(steps, lo_v)
    with np.errstate(over="ignore"):
        arr = np.power(float(base), exps)
    t = _make(arr.astype(dt._np), dt)
    if out is not None:
        return _into_out(out, t)
    return _finish(t, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, pin_memory=False, requires_grad=False):
    check_device(device)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
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
                raise TypeError(f"expected {_options_str(dt)} (got {_options_str(a.dtype)})")
            return a.detach()
        if isinstance(a, Size):
            return _make(np.zeros(tuple(a), dtype=dt._np), dt)
        if isinstance(a, (list, tuple, np.ndarray)):
            return tensor(a, dtype=dt)
        if isinstance(a, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(a).__name__}'")
        if not _is_int_like(a):
            raise TypeError(f"new(): data must be a sequence (got {_type_label(a)})")
    return _make(np.zeros(parse_size(args, "new"), dtype=dt._np), dt)


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
                 "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                 "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
                 "complex128": "c10::complex<double>", "uint16": "unsigned short", "uint32": "unsigned int",
                 "uint64": "unsigned long"}


def _options_str(dt):
    return (f"TensorOptions(dtype={_C_TYPE_NAMES[dt.name]}, device=cpu, layout=Strided, requires_grad=false "
            "(default), pinned_memory=false (default), memory_format=(nullopt))")


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
