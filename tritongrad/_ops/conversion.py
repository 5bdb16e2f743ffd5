"""dtype and device conversions: Tensor.to in all its forms, .float()/.double()/..., type(), out= handling."""
import numpy as np

from .. import _dtype as D
from .._device import device as _device_cls
from .._tensor import Tensor
from ._common import needs_grad, record

_make = Tensor._make


def _cast(input, dtype, copy=False):
    if dtype is input.dtype and not copy:
        return input
    arr = input._data.astype(dtype._np, copy=True)
    r = _make(arr, dtype)
    if needs_grad(input) and (dtype.is_floating_point or dtype.is_complex):
        src = input.dtype
        record("ToCopyBackward0", r, (input,), lambda node, g: (_cast(g, src) if g.dtype is not src else g,))
    return r


def _parse_to(args, kwargs):
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() received an invalid combination of arguments - got unexpected keyword "
                        f"'{next(iter(kwargs))}'")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        other = rest.pop(0)
        dtype, device = other.dtype, other.device
    if rest and isinstance(rest[0], (str, _device_cls, int)) and not isinstance(rest[0], bool):
        device = rest.pop(0)
    if rest and isinstance(rest[0], D.dtype):
        dtype = rest.pop(0)
    if rest and isinstance(rest[0], bool):
        rest.pop(0)  # non_blocking
    if rest and isinstance(rest[0], bool):
        copy = rest.pop(0)
    if rest:
        raise TypeError(f"to() received an invalid combination of arguments - got ({', '.join(type(a).__name__ for a in args)})")
    return dtype, device, copy


def to(self, *args, **kwargs):
    dtype, device, copy = _parse_to(args, dict(kwargs))
    if device is not None:
        dev = _device_cls(device) if not isinstance(device, _device_cls) else device
        if dev.type != "cpu":
            from .creation import check_device
            check_device(dev)
    if dtype is None:
        dtype = self.dtype
    r = _cast(self, dtype, copy)
    if copy and r is self:
        from .shape import clone
        r = clone(self)
    return r


def type_to(self, dtype):
    if isinstance(dtype, str):
        name = dtype.replace("torch.", "")
        from .creation import LEGACY_TENSOR_TYPES
        if name not in LEGACY_TENSOR_TYPES:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = LEGACY_TENSOR_TYPES[name]._dtype
    elif isinstance(dtype, type) and hasattr(dtype, "_dtype"):
        dtype = dtype._dtype
    return _cast(self, dtype)


def _caster(dt):
    def method(self, memory_format=None):
        return _cast(self, dt)
    return method


def copy_into_out(out, t):
    """Write a result into an ``out=`` tensor, resizing it as PyTorch does."""
    if out.dtype is not t.dtype and not _can_cast_out(t.dtype, out.dtype):
        from ._common import type_name
        raise RuntimeError(f"result type {type_name(t.dtype)} can't be cast to the desired output type "
                           f"{type_name(out.dtype)}")
    if out._data.shape != t._data.shape:
        if out._data.size:
            import warnings
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"{list(out.shape)}, which does not match the required output shape {list(t.shape)}. "
                          "This behavior is deprecated, and in a future PyTorch release outputs will not be resized "
                          "unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, "
                          "inplace, to zero elements with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = np.array(t._data, dtype=out.dtype._np, copy=True)
        out._storage = None
    else:
        np.copyto(out._data, t._data, casting="unsafe")
    out._vc[0] += 1
    return out


def _can_cast_out(src, dst):
    from .inplace import can_cast
    return can_cast(src, dst)


Tensor.float = _caster(D.float32)
Tensor.double = _caster(D.float64)
Tensor.half = _caster(D.float16)
Tensor.bfloat16 = _caster(D.bfloat16)
Tensor.long = _caster(D.int64)
Tensor.int = _caster(D.int32)
Tensor.short = _caster(D.int16)
Tensor.char = _caster(D.int8)
Tensor.byte = _caster(D.uint8)
Tensor.bool = _caster(D.bool_)
Tensor.cfloat = _caster(D.complex64)
Tensor.cdouble = _caster(D.complex128)
Tensor.to = to
