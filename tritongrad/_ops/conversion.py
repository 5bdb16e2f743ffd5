"""dtype and device conversions: Tensor.to in all its forms, .float()/.double()/..., type(), out= handling,
and the memory helpers (pin_memory, share_memory_)."""
import mmap
import weakref

import numpy as np

from .. import _dtype as D
from .._device import device as _device_cls
from .._tensor import Tensor
from ._common import needs_grad, record

_make = Tensor._make


def _cast(input, dtype, copy=False, memory_format=None):
    fmt = getattr(memory_format, "_name", "preserve_format")
    if dtype is input.dtype and not copy:
        return input
    # astype keeps the memory layout ('K'), as PyTorch's preserve_format does for dense inputs
    arr = input._data.astype(dtype._np, order="C" if fmt == "contiguous_format" else "K", copy=True)
    r = _make(arr, dtype)
    if needs_grad(input) and (dtype.is_floating_point or dtype.is_complex):
        src = input.dtype
        record("ToCopyBackward0", r, (input,), lambda node, g: (_cast(g, src) if g.dtype is not src else g,))
    return r


_TO_SIGNATURES = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = "
    "None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format memory_format = None)\n")


def _invalid_to(args, kwargs):
    parts = [type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in kwargs.items()]
    got = ", ".join(parts) + (", " if kwargs else "")
    return TypeError(f"to() received an invalid combination of arguments - got ({got}), but expected one of:\n"
                     + _TO_SIGNATURES)


def _parse_to(args, kwargs):
    original = dict(kwargs)
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    memory_format = kwargs.pop("memory_format", None)
    if kwargs:
        raise _invalid_to(args, original)
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        other = rest.pop(0)
        dtype, device = other.dtype, other.device
    if rest and (rest[0] is None or isinstance(rest[0], (str, _device_cls, int)) and not isinstance(rest[0], bool)):
        device = rest.pop(0)
    if rest and isinstance(rest[0], D.dtype):
        dtype = rest.pop(0)
    if rest and isinstance(rest[0], bool):
        rest.pop(0)  # non_blocking
    if rest and isinstance(rest[0], bool):
        copy = rest.pop(0)
    if rest:
        raise _invalid_to(args, original)
    return dtype, device, copy, memory_format


def to(self, *args, **kwargs):
    dtype, device, copy, memory_format = _parse_to(args, dict(kwargs))
    if isinstance(device, int) and not isinstance(device, bool):
        from .. import cuda
        if not cuda.is_available():
            raise RuntimeError("Cannot access accelerator device when none is available.")
        device = _device_cls("cuda", device)
    if device is not None:
        dev = _device_cls(device) if not isinstance(device, _device_cls) else device
        if dev.type != "cpu":
            from .creation import check_device
            check_device(dev)
    if dtype is None:
        dtype = self.dtype
    r = _cast(self, dtype, copy, memory_format)
    if copy and r is self:
        from .shape import clone
        r = clone(self)
    return r


_NO_CUDA_LIBRARY = (
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two shared libraries: a CPU "
    "library and a CUDA library; this error has occurred because you are trying to use some CUDA functionality, "
    "but the CUDA library has not been loaded by the dynamic linker for some reason.  The CUDA library MUST be "
    "loaded, EVEN IF you don't directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic library dependencies if "
    "you don't depend on any of their symbols.  You can check if this has occurred by using ldd on your binary to "
    "see if there is a dependency on *_cuda.so library.")


def type_to(self, dtype):
    if isinstance(dtype, str):
        from .creation import LEGACY_TENSOR_TYPES
        if dtype.startswith("torch.cuda.") and dtype[len("torch.cuda."):] in LEGACY_TENSOR_TYPES:
            from .. import cuda
            if not cuda.is_available():
                raise RuntimeError(_NO_CUDA_LIBRARY)
        name = dtype[len("torch."):] if dtype.startswith("torch.") else None
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


def check_out_grad(op_name, out, inputs):
    """PyTorch refuses ``out=`` when autograd would have to record the op."""
    from ._common import _state
    if _state[0] and any(isinstance(x, Tensor) and x.requires_grad for x in (*inputs, out)):
        raise RuntimeError(f"{op_name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")


def copy_into_out(out, t, op_name=None, inputs=()):
    """Write a result into an ``out=`` tensor, resizing it as PyTorch does. With ``op_name``
    (``"cat"``/``"stack"``), the autograd and cast checks use that op's messages."""
    if op_name is not None:
        check_out_grad(op_name, out, inputs)
    if out.dtype is not t.dtype and not _can_cast_out(t.dtype, out.dtype):
        from ._common import type_name
        if op_name in ("cat", "stack"):
            raise TypeError(f"torch.cat(): input types can't be cast to the desired output type "
                            f"{type_name(out.dtype)}")
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


# ------------------------------------------------------------------ memory helpers
def pin_memory(self, device=None):
    """Pinned memory needs an accelerator; like PyTorch without one, this raises."""
    raise RuntimeError("Cannot access accelerator device when none is available.")


def is_pinned(self, device=None):
    return False


_shared_storages = weakref.WeakSet()


def share_memory_(self):
    """Move this tensor's storage into shared memory (an anonymous shared mapping that forked processes
    see), as PyTorch does; a no-op when it is already shared. Views made before the move keep the old memory."""
    storage = self._get_storage()
    if storage in _shared_storages:
        return self
    old = storage._buf
    nbytes = max(old.nbytes, 1)
    mapping = mmap.mmap(-1, nbytes, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    new = np.frombuffer(mapping, dtype=np.uint8, count=old.nbytes).view(old.dtype)
    new[...] = old
    if self._data.size:
        offset = self.storage_offset() * self._data.itemsize
        data = np.lib.stride_tricks.as_strided(new[offset // new.itemsize:] if new.size else new,
                                               shape=self._data.shape, strides=self._data.strides)
    else:
        data = np.empty(self._data.shape, dtype=self._data.dtype)
    storage._buf = new
    self._data = data
    _shared_storages.add(storage)
    return self


def is_shared(self):
    return self._get_storage() in _shared_storages


Tensor.pin_memory = pin_memory
Tensor.is_pinned = is_pinned
Tensor.share_memory_ = share_memory_
Tensor.is_shared = is_shared
