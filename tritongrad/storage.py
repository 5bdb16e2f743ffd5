"""torch.storage: TypedStorage and the legacy per-dtype storage classes (``torch.FloatStorage`` ...).

A TypedStorage is a dtype lens over an ``UntypedStorage`` (the byte buffer tensors share). PyTorch keeps
it for backward compatibility only, warns once when it is created through ``Tensor.storage()``, and
still writes the legacy class names (``torch.FloatStorage``) into checkpoint files.
"""
import warnings

import numpy as np

from . import _dtype as D
from ._storage import UntypedStorage

__all__ = ["TypedStorage", "UntypedStorage"]

_typed_storage_warned = [False]


def _warn_typed_storage_removal(stacklevel=3):
    if _typed_storage_warned[0]:
        return
    _typed_storage_warned[0] = True
    warnings.warn(
        "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only "
        "storage class. This should only matter to you if you are using storages directly.  To access "
        "UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
        UserWarning, stacklevel=stacklevel)


def _typed_buf(untyped, dtype):
    """The storage's memory as a flat numpy array of ``dtype`` elements (a view, never a copy).

    A storage rebuilt from bytes holds a uint8 buffer until a tensor first views it with a dtype; it then
    adopts that dtype so that later tensors of that dtype see the very same array object."""
    buf = untyped._buf
    if buf.dtype == dtype._np:
        return buf
    raw = buf.view(np.uint8) if buf.dtype != np.uint8 else buf
    if raw.nbytes % dtype.itemsize:
        raise RuntimeError(f"Trying to view a storage of {raw.nbytes} bytes as {dtype} elements: the size is "
                           f"not a multiple of the element size {dtype.itemsize}")
    typed = raw.view(dtype._np)
    if buf.dtype == np.uint8 and getattr(untyped, "_adopt_dtype", False):
        untyped._buf = typed
        untyped._adopt_dtype = False
    return typed


def _untyped_from_bytes(data, device="cpu"):
    """Rebuild an UntypedStorage pickled by the plain ``pickle`` module (not torch.save)."""
    buf = np.frombuffer(bytearray(data), dtype=np.uint8)
    s = UntypedStorage(buf)
    s._adopt_dtype = True
    if str(device) != "cpu":
        raise RuntimeError(f"tritongrad can only unpickle storages on the CPU, not on {device}")
    return s


def _untyped_reduce(self):
    return (_untyped_from_bytes, (self._bytes().tobytes(), str(self.device)))


class TypedStorage:
    """torch.storage.TypedStorage: ``dtype`` elements over an UntypedStorage (deprecated in PyTorch)."""

    is_sparse = False

    def __init__(self, *args, wrap_storage=None, dtype=None, device=None, _internal=False):
        if not _internal:
            _warn_typed_storage_removal()
        legacy_dtype = getattr(type(self), "_legacy_dtype", None)
        if legacy_dtype is not None:
            if dtype is not None and dtype is not legacy_dtype:
                raise RuntimeError(f"Keyword argument 'dtype' cannot be specified when instantiating "
                                   f"{type(self).__name__}")
            dtype = legacy_dtype
        if wrap_storage is not None:
            if args:
                raise RuntimeError("No positional arguments should be given when using 'wrap_storage'")
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError(f"expected 'wrap_storage' to be an UntypedStorage, but got "
                                f"{type(wrap_storage)}")
            if dtype is None:
                raise RuntimeError("Argument 'dtype' must be specified")
            self.dtype = dtype
            self._untyped_storage = wrap_storage
            return
        self.dtype = dtype if dtype is not None else D.get_default_dtype()
        if device is not None and str(device) != "cpu":
            raise RuntimeError(f"tritongrad storages live on the CPU; device {device} is not supported here")
        if len(args) > 1:
            raise TypeError("TypedStorage() takes at most one positional argument (a size or a sequence)")
        if not args:
            buf = np.empty(0, dtype=self.dtype._np)
        elif isinstance(args[0], int) and not isinstance(args[0], bool):
            buf = np.zeros(args[0], dtype=self.dtype._np)
        elif isinstance(args[0], (list, tuple)):
            buf = np.array(args[0], dtype=self.dtype._np).reshape(-1)
        else:
            raise TypeError(f"new(): invalid data type '{type(args[0]).__name__}'")
        self._untyped_storage = UntypedStorage(buf)

    @classmethod
    def _from_tensor(cls, t):
        """What ``Tensor.storage()`` returns: a TypedStorage of the tensor's dtype over its storage."""
        _warn_typed_storage_removal(stacklevel=4)
        return TypedStorage(wrap_storage=t._get_storage(), dtype=t.dtype, _internal=True)

    # ------------------------------------------------------------------ views of the data
    def _buf(self):
        return _typed_buf(self._untyped_storage, self.dtype)

    @property
    def device(self):
        return self._untyped_storage.device

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    def untyped(self):
        return self._untyped_storage

    def size(self):
        return self._untyped_storage.nbytes() // self.dtype.itemsize

    def __len__(self):
        return self.size()

    def nbytes(self):
        return self._untyped_storage.nbytes()

    def element_size(self):
        return self.dtype.itemsize

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    def is_shared(self):
        return False

    def is_pinned(self, device="cuda"):
        return False

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            name = _PICKLE_STORAGE_TYPE.get(self.dtype)
            return ("torch." + name) if name else "torch.storage.TypedStorage"
        raise NotImplementedError("TypedStorage.type(dtype) conversion is not supported by tritongrad")

    def pickle_storage_type(self):
        try:
            return _PICKLE_STORAGE_TYPE[self.dtype]
        except KeyError:
            raise KeyError(f"dtype {self.dtype} is not recognized") from None

    def tolist(self):
        buf = self._buf()
        if self.dtype is D.bfloat16 or self.dtype is D.float16:
            return buf.astype(np.float64).tolist()
        return buf.tolist()

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        if not isinstance(idx, int) or isinstance(idx, bool):
            raise RuntimeError(f"can't index a {type(self)} with {type(idx)}")
        n = self.size()
        if idx < -n or idx >= n:
            raise IndexError(f"index {idx} out of range for storage of size {n}")
        v = self._buf()[idx]
        if self.dtype is D.bfloat16 or self.dtype is D.float16:
            return float(v)
        return v.item()

    def __setitem__(self, idx, value):
        self._buf()[idx] = value

    def __iter__(self):
        return iter(self.tolist())

    def fill_(self, value):
        self._buf()[...] = value
        return self

    def cpu(self):
        return self

    def clone(self):
        return TypedStorage(wrap_storage=self._untyped_storage.clone(), dtype=self.dtype, _internal=True)

    def __copy__(self):
        return TypedStorage(wrap_storage=self._untyped_storage, dtype=self.dtype, _internal=True)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        new = self.clone()
        memo[id(self)] = new
        return new

    def __reduce__(self):
        # like PyTorch, each pickled TypedStorage carries its own copy of the bytes
        return (_typed_storage_from_bytes, (self._untyped_storage._bytes().tobytes(), self.dtype))

    def __str__(self):
        body = "\n".join(" " + str(v) for v in self.tolist()) if self.size() else " "
        return (body + f"\n[torch.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size "
                f"{self.size()}]")

    __repr__ = __str__


def _typed_storage_from_bytes(data, dtype):
    buf = np.frombuffer(bytearray(data), dtype=np.uint8)
    if len(buf) % dtype.itemsize:
        raise RuntimeError(f"cannot rebuild a {dtype} storage from {len(buf)} bytes")
    return TypedStorage(wrap_storage=UntypedStorage(buf.view(dtype._np)), dtype=dtype, _internal=True)


class _LegacyStorageMeta(type):
    """Makes ``isinstance(typed_storage, FloatStorage)`` true for a float32 TypedStorage, as in PyTorch."""

    def __instancecheck__(cls, instance):
        if type(instance) is TypedStorage:
            legacy = cls.__dict__.get("_legacy_dtype")
            return legacy is not None and instance.dtype is legacy
        return type.__instancecheck__(cls, instance)


class _LegacyStorage(TypedStorage, metaclass=_LegacyStorageMeta):
    """Base of ``torch.FloatStorage`` and siblings: constructing one gives a plain TypedStorage."""

    def __new__(cls, *args, **kwargs):
        if cls is _LegacyStorage:
            raise RuntimeError("Only child classes of _LegacyStorage can be instantiated")
        _warn_typed_storage_removal()
        kwargs.pop("dtype", None)
        if "wrap_storage" in kwargs:
            return TypedStorage(wrap_storage=kwargs["wrap_storage"], dtype=cls._legacy_dtype, _internal=True)
        storage = object.__new__(TypedStorage)
        storage.__init__(*args, dtype=cls._legacy_dtype, _internal=True, **kwargs)
        return storage

    @classmethod
    def _new_shared(cls, size):
        return cls(size)


def _legacy_class(name, dt):
    cls = _LegacyStorageMeta(name, (_LegacyStorage,), {"_legacy_dtype": dt, "dtype": dt})
    cls.__module__ = "torch"
    cls.__qualname__ = name
    return cls


DoubleStorage = _legacy_class("DoubleStorage", D.float64)
FloatStorage = _legacy_class("FloatStorage", D.float32)
HalfStorage = _legacy_class("HalfStorage", D.float16)
BFloat16Storage = _legacy_class("BFloat16Storage", D.bfloat16)
LongStorage = _legacy_class("LongStorage", D.int64)
IntStorage = _legacy_class("IntStorage", D.int32)
ShortStorage = _legacy_class("ShortStorage", D.int16)
CharStorage = _legacy_class("CharStorage", D.int8)
ByteStorage = _legacy_class("ByteStorage", D.uint8)
BoolStorage = _legacy_class("BoolStorage", D.bool_)
ComplexDoubleStorage = _legacy_class("ComplexDoubleStorage", D.complex128)
ComplexFloatStorage = _legacy_class("ComplexFloatStorage", D.complex64)

LEGACY_STORAGE_CLASSES = (DoubleStorage, FloatStorage, HalfStorage, BFloat16Storage, LongStorage, IntStorage,
                          ShortStorage, CharStorage, ByteStorage, BoolStorage, ComplexDoubleStorage,
                          ComplexFloatStorage)
_PICKLE_STORAGE_TYPE = {c._legacy_dtype: c.__name__ for c in LEGACY_STORAGE_CLASSES}
