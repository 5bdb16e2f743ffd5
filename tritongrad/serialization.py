"""torch.save / torch.load in PyTorch's own checkpoint format.

Files are what PyTorch 2.13 writes: a zip archive (laid out as PyTorch's miniz writer does) holding
``data.pkl`` (a protocol-2 pickle that names ``torch.*`` globals) and one raw ``data/<key>`` record per
storage. Real PyTorch loads files written here, and files PyTorch wrote load here. ``load`` defaults to
``weights_only=True``: an explicit opcode interpreter that resolves globals only through an allowlist.
See ``docs/serialization.md`` and ``/work/shared/spec/serialization.md``.
"""
import collections
import contextlib
import enum
import io
import os
import pickle
import struct
import sys
import types
import warnings
import zipfile
import zlib
from collections import OrderedDict

import numpy as np

from . import _dtype as D
from . import _utils
from ._device import Size, device as _device_cls
from ._storage import UntypedStorage
from .storage import TypedStorage, _LegacyStorage, LEGACY_STORAGE_CLASSES, _PICKLE_STORAGE_TYPE

__all__ = ["save", "load", "add_safe_globals", "safe_globals", "get_safe_globals", "clear_safe_globals",
           "get_unsafe_globals_in_checkpoint", "set_crc32_options", "get_crc32_options", "DEFAULT_PROTOCOL",
           "get_default_mmap_options", "set_default_mmap_options", "LoadEndianness",
           "get_default_load_endianness", "set_default_load_endianness", "location_tag",
           "default_restore_location", "SourceChangeWarning"]

DEFAULT_PROTOCOL = 2
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL_VERSION = 1001
_ZIP_MAGIC = b"PK\x03\x04"
_ALIGNMENT = 64

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
    "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, "
    "but it can result in arbitrary code execution. Do it only if you got the file from a trusted source.")
_DOCS_MESSAGE = ("\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
                 "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")
_MINIZ_SUFFIX = (". This is an internal miniz error. If you are seeing this error, there is a high likelihood "
                 "that your checkpoint file is corrupted. This can happen if the checkpoint was not saved "
                 "properly, was transferred incorrectly, or the file was modified after saving.")
_CUDA_UNAVAILABLE = ("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
                     "If you are running on a CPU-only machine, please use torch.load with "
                     "map_location=torch.device('cpu') to map your storages to the CPU.")

_crc32_enabled = [True]


class SourceChangeWarning(Warning):
    """Warning category PyTorch uses when a pickled module's source changed; kept for API compatibility."""


def set_crc32_options(compute_crc32):
    """Whether ``save`` computes the CRC-32 of each record (when off, every CRC field is 0)."""
    _crc32_enabled[0] = bool(compute_crc32)


def get_crc32_options():
    return _crc32_enabled[0]


try:
    from mmap import MAP_PRIVATE, MAP_SHARED
except ImportError:  # Windows
    MAP_PRIVATE = MAP_SHARED = None

_mmap_flags = [MAP_PRIVATE]


def get_default_mmap_options():
    """The mapping ``load(..., mmap=True)`` uses: ``mmap.MAP_PRIVATE`` (copy-on-write, the default) or
    ``mmap.MAP_SHARED`` (writes to loaded tensors reach the file)."""
    return _mmap_flags[0]


class set_default_mmap_options:
    """Set the mapping used by ``load(..., mmap=True)``; also a context manager restoring the old one."""

    def __init__(self, flags):
        if MAP_PRIVATE is None:
            raise RuntimeError("Changing the default mmap options is currently not supported for Windows")
        if flags != MAP_PRIVATE and flags != MAP_SHARED:
            raise ValueError("Invalid argument in function set_default_mmap_options, expected mmap.MAP_PRIVATE "
                             f"or mmap.MAP_SHARED, but got {flags}")
        self.prev = _mmap_flags[0]
        _mmap_flags[0] = flags

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _mmap_flags[0] = self.prev


class LoadEndianness(enum.Enum):
    NATIVE = 1
    LITTLE = 2
    BIG = 3


_load_endianness = [None]


def get_default_load_endianness():
    """Byte order assumed for checkpoints without a ``byteorder`` record (``None`` means little)."""
    return _load_endianness[0]


def set_default_load_endianness(endianness):
    if not isinstance(endianness, LoadEndianness) and endianness is not None:
        raise TypeError("Invalid argument type in function set_default_load_endianness")
    _load_endianness[0] = endianness


def location_tag(storage):
    """The device tag a checkpoint records for ``storage``: ``'cpu'`` or ``'cuda:<index>'``."""
    if isinstance(storage, TypedStorage):
        storage = storage._untyped_storage
    return _location_tag(storage)


# ----------------------------------------------------------------------------------------------- names
# Objects that files name by their torch spelling. Loading maps the names to tritongrad's objects; saving
# writes tritongrad's objects under these names, so that PyTorch can read the files.

def _dtype_globals():
    out = {}
    for d in D.ALL_DTYPES:
        out["torch." + d.name] = d
    return out


def _torch_globals():
    """name -> tritongrad object for every global in PyTorch's weights-only allowlist that we support."""
    g = {
        "collections.OrderedDict": OrderedDict,
        "collections.Counter": collections.Counter,
        "builtins.set": set,
        "builtins.bytearray": bytearray,
        "builtins.complex": complex,
        "_codecs.encode": _codecs_encode,
        "torch._utils._rebuild_tensor": _utils._rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _utils._rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": _utils._rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": _utils._rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _utils._rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _utils._rebuild_from_type_v2,
        "torch.Size": Size,
        "torch.device": _device_cls,
        "torch.storage.UntypedStorage": UntypedStorage,
    }
    from ._tensor import Tensor
    g["torch.Tensor"] = Tensor
    g.update(_dtype_globals())
    for cls in LEGACY_STORAGE_CLASSES:
        g["torch." + cls.__name__] = cls
        g["torch.cuda." + cls.__name__] = cls
    return g


def _codecs_encode(obj, encoding="utf-8"):
    # protocol-2 pickles spell bytes as _codecs.encode(latin-1 text, 'latin1'); nothing else is accepted
    if not isinstance(obj, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError(f"_codecs.encode is only allowed for latin1 text, got encoding {encoding!r}")
    return obj.encode("latin1")


# names PyTorch's allowlist has but tritongrad cannot build: refused with a message of their own
_TORCH_ONLY_GLOBALS = frozenset(
    ["torch._utils._rebuild_device_tensor_from_cpu_tensor", "torch._utils._rebuild_device_tensor_from_numpy",
     "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_nested_tensor",
     "torch._utils._rebuild_qtensor", "torch._utils._rebuild_sparse_tensor",
     "torch._utils._rebuild_wrapper_subclass", "torch.serialization._get_layout", "torch.storage.TypedStorage",
     "torch.QInt32Storage", "torch.QInt8Storage", "torch.QUInt2x4Storage", "torch.QUInt4x2Storage",
     "torch.QUInt8Storage", "torch.per_channel_affine", "torch.per_channel_affine_float_qparams",
     "torch.per_channel_symmetric", "torch.per_tensor_affine", "torch.per_tensor_symmetric"]
    + ["torch." + n for n in ("bits16", "bits1x8", "bits2x4", "bits4x2", "bits8", "complex32", "float4_e2m1fn_x2",
                              "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz",
                              "float8_e8m0fnu", "qint32", "qint8", "quint2x4", "quint4x2", "quint8")]
    + ["torch.int%d" % i for i in range(1, 8)] + ["torch.uint%d" % i for i in range(1, 8)]
    + [p + t + "Tensor" for p in ("torch.", "torch.cuda.", "torch.sparse.", "torch.cuda.sparse.")
       for t in ("BFloat16", "Byte", "Char", "Double", "Float", "Half", "Int", "Long", "Short")]
    + ["torch.BoolTensor", "torch.cuda.BoolTensor"])

_BLOCKED_MODULES = ("sys", "os", "posix", "nt")


def _fix_module(module):
    return {"__builtin__": "builtins", "copy_reg": "copyreg"}.get(module, module)


def _dotted_name(obj):
    module = getattr(obj, "__module__", None) or ""
    if module == "tritongrad" or module.startswith("tritongrad."):
        module = "torch" + module[len("tritongrad"):]
    return f"{module}.{getattr(obj, '__qualname__', getattr(obj, '__name__', repr(obj)))}"


# ------------------------------------------------------------------------------------------ safe globals
_user_safe_globals = {}


def _user_globals_by_name():
    out = {}
    for entry in _user_safe_globals.values():
        if isinstance(entry, tuple):
            out[entry[1]] = entry[0]
        else:
            out[_dotted_name(entry)] = entry
    return out


def add_safe_globals(safe_globals):
    """Allowlist ``safe_globals`` (objects, or ``(object, "dotted.name")`` pairs) for ``weights_only`` loads."""
    if not isinstance(safe_globals, list):
        raise TypeError(f"safe_globals must be a list, but got {type(safe_globals).__name__}")
    for entry in safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2 or not isinstance(entry[1], str):
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got {entry}")
            key = entry[1]
        else:
            key = _dotted_name(entry)
        _user_safe_globals[key] = entry


def get_safe_globals():
    """The user allowlist, as given to ``add_safe_globals``."""
    return list(_user_safe_globals.values())


def clear_safe_globals():
    _user_safe_globals.clear()


class safe_globals(contextlib.ContextDecorator):
    """Context manager that allowlists ``safe_globals`` for ``weights_only`` loads inside its block."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        self._saved = dict(_user_safe_globals)
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        _user_safe_globals.clear()
        _user_safe_globals.update(self._saved)
        return False


# ------------------------------------------------------------------------------------------- zip writer
class _ZipWriter:
    """Streams records into a zip exactly as PyTorch's miniz writer lays them out (spec §2.4).

    Every payload starts at a multiple of 64 (an "FB" extra field pads the local header), sizes and
    CRCs follow in a data descriptor, and the archive always ends with the zip64 records."""

    def __init__(self, out, archive_name, compute_crc=True):
        self._out = out
        self._prefix = archive_name + "/"
        self._pos = 0
        self._entries = []
        self._crc = compute_crc

    def _write(self, data):
        self._out.write(data)
        self._pos += len(data) if not isinstance(data, memoryview) else data.nbytes

    def add(self, name, data):
        full = (self._prefix + name).encode("utf-8")
        view = memoryview(data).cast("B") if not isinstance(data, bytes) else data
        size = len(view)
        offset = self._pos
        big_size, big_offset = size >= 0xFFFFFFFF, offset >= 0xFFFFFFFF
        zip64 = b""
        if big_size or big_offset:
            fields = (struct.pack("<QQ", size, 0) if big_size else b"") + (
                struct.pack("<Q", offset) if big_offset else b"")
            zip64 = struct.pack("<HH", 1, len(fields)) + fields
        start = offset + 30 + len(full) + len(zip64) + 4
        pad = (-start) % _ALIGNMENT
        extra = zip64 + b"FB" + struct.pack("<H", pad) + b"Z" * pad
        flags = 0x0808 if size else 0x0800
        self._write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 0, flags, 0, 0, 0, 0, 0, 0, len(full), len(extra)))
        self._write(full)
        self._write(extra)
        crc = 0
        if size:
            self._write(view)
            crc = zlib.crc32(view) if self._crc else 0
            if zip64:
                self._write(struct.pack("<IIQQ", 0x08074B50, crc, size, size))
            else:
                self._write(struct.pack("<IIII", 0x08074B50, crc, size, size))
        self._entries.append((full, flags, crc, size, offset))

    def finish(self):
        cd_offset = self._pos
        for full, flags, crc, size, offset in self._entries:
            big_size, big_offset = size >= 0xFFFFFFFF, offset >= 0xFFFFFFFF
            extra = b""
            if big_size or big_offset:
                fields = (struct.pack("<QQ", size, size) if big_size else b"") + (
                    struct.pack("<Q", offset) if big_offset else b"")
                extra = struct.pack("<HH", 1, len(fields)) + fields
            size32 = 0xFFFFFFFF if big_size else size
            self._write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0, 0, flags, 0, 0, 0, crc, size32, size32,
                                    len(full), len(extra), 0, 0, 0, 0,
                                    0xFFFFFFFF if big_offset else offset))
            self._write(full)
            self._write(extra)
        cd_size = self._pos - cd_offset
        n = len(self._entries)
        eocd64 = self._pos
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x031E, 0x002D, 0, 0, n, n, cd_size, cd_offset))
        self._write(struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1))
        self._write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                                min(cd_size, 0xFFFFFFFF), min(cd_offset, 0xFFFFFFFF), 0))


def _archive_name(f):
    """The zip's top folder, chosen as PyTorch does: the file's name without its last extension."""
    if not isinstance(f, (str, os.PathLike)):
        return "archive"
    path = os.fsdecode(os.fspath(f))
    if not path.isascii():
        return "archive"
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return stem or "archive"


def _serialization_id(records):
    names = "".join(name for name, _ in records).encode("utf-8")
    name_hash = zlib.crc32(names) * 0x9E3779B1 + zlib.adler32(names)
    combined = 0
    for _, data in records:
        combined = zlib.crc32(memoryview(data).cast("B") if not isinstance(data, bytes) else data, combined)
    return (f"{name_hash % 10 ** 20:020d}{combined:020d}").encode("ascii")


def _write_zip(out, archive_name, records, compute_crc=None):
    """Write (name, bytes) records, in the given order, as PyTorch's zip container."""
    writer = _ZipWriter(out, archive_name, _crc32_enabled[0] if compute_crc is None else compute_crc)
    for name, data in records:
        writer.add(name, data)
    writer.finish()


# ----------------------------------------------------------------------------------------------- saving
class _TorchGlobal:
    """A torch callable or class that a checkpoint names; tritongrad only ever writes its name."""
    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module = module
        self.name = name

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.module}.{self.name} is a name written into checkpoints, not a callable")

    def __repr__(self):
        return f"<torch global {self.module}.{self.name}>"


_torch_global_cache = {}


def _torch_global(module, name):
    key = (module, name)
    g = _torch_global_cache.get(key)
    if g is None:
        g = _torch_global_cache[key] = _TorchGlobal(module, name)
    return g


class _StorageRef:
    """Stands for one storage in the pickle; it becomes a persistent id (spec §3.3)."""
    __slots__ = ("key", "storage_class", "location", "numel")

    def __init__(self, key, storage_class, location, numel):
        self.key = key
        self.storage_class = storage_class
        self.location = location
        self.numel = numel


def _location_tag(untyped):
    dev = untyped.device
    if dev.type == "cpu":
        return "cpu"
    return f"{dev.type}:{dev.index or 0}"


def _tensor_layout(t):
    """(storage, offset, stride) in elements of ``t``'s dtype, or None when ``t`` has no such form."""
    untyped = t._get_storage()
    buf = untyped._buf
    item = t.dtype.itemsize
    arr = t._data
    if buf.nbytes % item:
        return None
    if arr.size == 0:
        return untyped, 0, t.stride()
    if any(s < 0 or s % item for s in arr.strides):
        return None
    begin = arr.__array_interface__["data"][0] - buf.__array_interface__["data"][0]
    if begin < 0 or begin % item:
        return None
    end = begin + item * (1 + sum((n - 1) * (s // item) for n, s in zip(arr.shape, arr.strides)))
    if end > buf.nbytes or not buf.flags.c_contiguous:
        return None
    return untyped, begin // item, tuple(s // item for s in arr.strides)


def _own_storage(t):
    """A fresh contiguous storage with ``t``'s values, for layouts that no (offset, stride) describes."""
    flat = np.ascontiguousarray(t._data).reshape(-1)
    return UntypedStorage(flat), 0, _contiguous_strides(t._data.shape)


def _contiguous_strides(shape):
    strides, acc = [], 1
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))


def _is_parameter(t):
    try:
        from .nn.parameter import Parameter
    except ImportError:
        return getattr(t, "_is_param", False)
    return isinstance(t, Parameter)


class _CheckpointPickler(pickle._Pickler):
    """Protocol-2 pickler that writes tensors the way torch.save does.

    The pure-Python pickler is used because its ``reducer_override`` sees every object first and its
    ``save_global`` can be told to write ``torch.*`` names that are not importable here."""

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self._storage_keys = {}   # id(UntypedStorage) -> (key, dtype, storage, ref)
        self.storages = []        # (key, UntypedStorage) in key order

    # -- storages
    def _storage_ref(self, untyped, dtype):
        entry = self._storage_keys.get(id(untyped))
        if entry is not None:
            if entry[1] is not dtype:
                raise RuntimeError("Cannot save multiple tensors or storages that view the same data as "
                                   "different types")
            return entry[3]
        key = str(len(self.storages))
        if dtype in _PICKLE_STORAGE_TYPE:
            cls = _torch_global("torch", _PICKLE_STORAGE_TYPE[dtype])
            numel = untyped._buf.nbytes // dtype.itemsize
        else:
            cls = _torch_global("torch.storage", "UntypedStorage")
            numel = untyped._buf.nbytes
        ref = _StorageRef(key, cls, _location_tag(untyped), numel)
        self._storage_keys[id(untyped)] = (key, dtype, untyped, ref)
        self.storages.append((key, untyped))
        return ref

    def persistent_id(self, obj):
        if isinstance(obj, _StorageRef):
            return ("storage", obj.storage_class, obj.key, obj.location, obj.numel)
        if isinstance(obj, TypedStorage):
            ref = self._storage_ref(obj._untyped_storage, obj.dtype)
            return ("storage", ref.storage_class, ref.key, ref.location, ref.numel)
        if isinstance(obj, UntypedStorage):
            ref = self._storage_ref(obj, D.uint8)
            return ("storage", _torch_global("torch.storage", "UntypedStorage"), ref.key, ref.location,
                    obj._buf.nbytes)
        return None

    # -- tensors and torch value types
    def _tensor_args(self, t):
        layout = _tensor_layout(t)
        if layout is None:
            layout = _own_storage(t)
        untyped, offset, stride = layout
        ref = self._storage_ref(untyped, t.dtype)
        args = (ref, offset, tuple(t._data.shape), stride, bool(t.requires_grad), OrderedDict())
        if t.dtype in _PICKLE_STORAGE_TYPE:
            return _torch_global("torch._utils", "_rebuild_tensor_v2"), args
        return _torch_global("torch._utils", "_rebuild_tensor_v3"), args + (t.dtype,)

    def _reduce_tensor(self, t):
        from ._tensor import Tensor
        if _is_parameter(t):
            data = t.detach()
            func, args = self._tensor_args(data)
            inner = _ReducedTensor(func, args)
            state = _utils._get_obj_state(t)
            if state:
                return (_torch_global("torch._utils", "_rebuild_parameter_with_state"),
                        (inner, bool(t.requires_grad), OrderedDict(), state))
            return (_torch_global("torch._utils", "_rebuild_parameter"),
                    (inner, bool(t.requires_grad), OrderedDict()))
        func, args = self._tensor_args(t)
        state = _utils._get_obj_state(t)
        if type(t) is Tensor and not state:
            return func, args
        return (_torch_global("torch._tensor", "_rebuild_from_type_v2"), (func, type(t), args, state))

    def reducer_override(self, obj):
        from ._tensor import Tensor
        if isinstance(obj, (_TorchGlobal, types.FunctionType, types.BuiltinFunctionType)):
            # the base class dispatches functions straight to its own save_global; route them to ours
            name = self._torch_name(obj)
            return NotImplemented if name is None else name[1]
        if isinstance(obj, _ReducedTensor):
            return obj.func, obj.args
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if type(obj) is D.dtype:
            return obj.name
        if type(obj) is Size:
            return _torch_global("torch", "Size"), (tuple(obj),)
        if type(obj) is _device_cls:
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            return _torch_global("torch", "device"), args
        return NotImplemented

    def save_global(self, obj, name=None):
        torch_name = self._torch_name(obj)
        if torch_name is None:
            return super().save_global(obj, name)
        module, qualname = torch_name
        if self.proto >= 4:
            self.save(module)
            self.save(qualname)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + module.encode("utf-8") + b"\n" + qualname.encode("utf-8") + b"\n")
        self.memoize(obj)

    @staticmethod
    def _torch_name(obj):
        from ._tensor import Tensor
        if isinstance(obj, _TorchGlobal):
            return obj.module, obj.name
        if type(obj) is D.dtype:
            return "torch", obj.name
        if obj is Tensor:
            return "torch", "Tensor"
        if obj is Size:
            return "torch", "Size"
        if obj is _device_cls:
            return "torch", "device"
        if obj is _utils._rebuild_from_type_v2:
            return "torch._tensor", "_rebuild_from_type_v2"
        if isinstance(obj, type) and issubclass(obj, _LegacyStorage):
            return "torch", obj.__name__
        if obj is UntypedStorage:
            return "torch.storage", "UntypedStorage"
        if obj is TypedStorage:
            return "torch.storage", "TypedStorage"
        module = getattr(obj, "__module__", None)
        if module and (module == "tritongrad" or module.startswith("tritongrad.")):
            return "torch" + module[len("tritongrad"):], getattr(obj, "__qualname__", obj.__name__)
        return None


class _ReducedTensor:
    """The plain-tensor part of a Parameter, already reduced (keeps the Parameter's storage bookkeeping)."""
    __slots__ = ("func", "args")

    def __init__(self, func, args):
        self.func = func
        self.args = args


def _is_path(f):
    return isinstance(f, (str, os.PathLike))


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save ``obj`` to the path or writable binary file ``f`` in PyTorch's zip checkpoint format."""
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("tritongrad.save writes only the zip format; "
                                  "_use_new_zipfile_serialization=False (the legacy format) is not supported")
    if pickle_module is not pickle:
        raise NotImplementedError(f"tritongrad.save supports only the standard pickle module, not "
                                  f"{getattr(pickle_module, '__name__', pickle_module)!r}")
    if _is_path(f):
        parent = os.path.dirname(os.path.abspath(os.fsdecode(os.fspath(f))))
        if not os.path.isdir(parent):
            raise RuntimeError(f"Parent directory {parent} does not exist.")
    elif not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    if pickle_protocol == 0:
        # protocol 0 can only persist string ids; torch.save trips over its storage tuples the same way
        raise AssertionError("saved_id must be a tuple, got str")
    buf = io.BytesIO()
    pickler = _CheckpointPickler(buf, pickle_protocol)
    pickler.dump(obj)
    records = [("data.pkl", buf.getvalue()), (".format_version", b"1"), (".storage_alignment", b"64")]
    if not _disable_byteorder_record:
        records.append(("byteorder", b"little" if sys.byteorder == "little" else b"big"))
    for key, untyped in pickler.storages:
        data = np.ascontiguousarray(untyped._buf).reshape(-1).view(np.uint8)
        records.append(("data/" + key, memoryview(data)))
    records.append(("version", b"3\n"))
    records.append((".data/serialization_id", _serialization_id(records)))
    archive = _archive_name(f)
    if _is_path(f):
        with open(f, "wb") as out:
            _write_zip(out, archive, records)
    else:
        _write_zip(f, archive, records)
        if hasattr(f, "flush"):
            f.flush()


# ---------------------------------------------------------------------------------- plain pickle support
def _tensor_reduce(tensor, proto):
    """``Tensor.__reduce_ex__``: lets the plain ``pickle`` module (and ``copy``) handle tensors.

    The storage is pickled as an object of its own, so views pickled together stay views of one storage.
    (Inside ``save`` tensors never get here: the checkpoint pickler writes PyTorch's form itself.)"""
    from ._tensor import Tensor
    layout = _tensor_layout(tensor)
    if layout is None:
        layout = _own_storage(tensor)
    untyped, offset, stride = layout
    storage = TypedStorage(wrap_storage=untyped, dtype=tensor.dtype, _internal=True)
    args = (storage, offset, tuple(tensor._data.shape), stride, bool(tensor.requires_grad), OrderedDict())
    state = _utils._get_obj_state(tensor)
    if type(tensor) is Tensor and not state:
        return (_utils._rebuild_tensor_v2, args)
    return (_utils._rebuild_from_type_v2, (_utils._rebuild_tensor_v2, type(tensor), args, state))


# ------------------------------------------------------------------------------------------- zip reader
class _ZipReader:
    """Reads records of a PyTorch zip checkpoint without trusting its CRCs (spec §2.5)."""

    def __init__(self, fileobj, mapped=None):
        self._f = fileobj
        self._mapped = mapped
        try:
            zf = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
            raise RuntimeError("PytorchStreamReader failed reading zip archive: not a ZIP archive"
                               + _MINIZ_SUFFIX) from None
        infos = zf.infolist()
        if not infos:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: archive is empty" + _MINIZ_SUFFIX)
        first = infos[0].filename
        if "/" not in first:
            raise RuntimeError(f"file in archive is not in a subdirectory: {first}")
        self.archive = first.split("/", 1)[0]
        prefix = self.archive + "/"
        self._infos = {}
        for info in infos:
            if not info.filename.startswith(prefix):
                raise RuntimeError(f"file in archive is not in a subdirectory {prefix}: {info.filename}")
            self._infos[info.filename[len(prefix):]] = info

    def has_record(self, name):
        return name in self._infos

    def records(self):
        return list(self._infos)

    def record_size(self, name):
        return self._infos[name].file_size

    def _payload_offset(self, info):
        if info.header_offset < 0:
            raise RuntimeError(f"PytorchStreamReader failed reading file {info.filename}: invalid header offset"
                               + _MINIZ_SUFFIX)
        self._f.seek(info.header_offset)
        header = self._f.read(30)
        if len(header) != 30 or header[:4] != _ZIP_MAGIC:
            raise RuntimeError(f"PytorchStreamReader failed reading file {info.filename}: invalid header"
                               + _MINIZ_SUFFIX)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_len + extra_len

    def get_record(self, name, copy=True):
        """The record's bytes: a writable numpy uint8 array (a view into the memory map when mapped)."""
        info = self._infos.get(name)
        if info is None:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found" + _MINIZ_SUFFIX)
        start = self._payload_offset(info)
        if info.compress_type == zipfile.ZIP_STORED:
            if self._mapped is not None:
                if start + info.file_size > self._mapped.shape[0]:
                    raise RuntimeError(f"PytorchStreamReader failed reading file {name}: truncated" + _MINIZ_SUFFIX)
                return self._mapped[start:start + info.file_size]
            self._f.seek(start)
            out = np.empty(info.file_size, dtype=np.uint8)
            got = self._f.readinto(memoryview(out)) if hasattr(self._f, "readinto") else None
            if got is None:
                data = self._f.read(info.file_size)
            elif got != info.file_size:
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: truncated" + _MINIZ_SUFFIX)
            else:
                return out
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            self._f.seek(start)
            raw = self._f.read(info.compress_size)
            inflater = zlib.decompressobj(-15)
            # never inflate past the declared size (zip bombs)
            data = inflater.decompress(raw, info.file_size)
        else:
            raise RuntimeError(f"PytorchStreamReader: record {name} uses unsupported compression method "
                               f"{info.compress_type}")
        if len(data) != info.file_size:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: truncated" + _MINIZ_SUFFIX)
        return np.frombuffer(bytearray(data), dtype=np.uint8)


# --------------------------------------------------------------------------------------- storage loading
def _dtype_of_storage_class(storage_type):
    if isinstance(storage_type, type) and issubclass(storage_type, _LegacyStorage):
        return storage_type._legacy_dtype
    if storage_type is UntypedStorage:
        return D.uint8
    raise pickle.UnpicklingError(f"expected a storage class in the persistent id, but got {storage_type!r}")


def _cuda_available():
    try:
        from . import cuda
        return bool(cuda.is_available())
    except Exception:
        return False


def default_restore_location(storage, location):
    """Move a freshly read CPU ``storage`` to the device ``location`` names (only the CPU is supported)."""
    if location == "cpu":
        return storage
    if location.startswith("cuda"):
        if not _cuda_available():
            raise RuntimeError(_CUDA_UNAVAILABLE)
        raise NotImplementedError(f"tritongrad cannot yet place loaded storages on {location}; "
                                  "use map_location='cpu'")
    if location.startswith("mps"):
        raise RuntimeError("torch.UntypedStorage(): Storage device not recognized: mps")
    if location.startswith("meta"):
        raise NotImplementedError("tritongrad.load does not support the meta device (map_location='meta')")
    raise RuntimeError(f"don't know how to restore data location of torch.storage.UntypedStorage "
                       f"(tagged with {location})")


def _restore_location_fn(map_location):
    if map_location is None:
        return default_restore_location
    if isinstance(map_location, dict):
        def restore(storage, location):
            location = map_location.get(location, location)
            return default_restore_location(storage, str(location))
        return restore
    if isinstance(map_location, (str, bytes)):
        target = map_location.decode() if isinstance(map_location, bytes) else map_location
        return lambda storage, location: default_restore_location(storage, target)
    if isinstance(map_location, _device_cls):
        return lambda storage, location: default_restore_location(storage, str(map_location))
    if callable(map_location):
        def restore(storage, location):
            result = map_location(storage, location)
            if result is None:
                result = default_restore_location(storage, location)
            return result
        return restore
    raise TypeError(f"map_location must be None, a str, a torch.device, a dict or a callable, not "
                    f"{type(map_location).__name__}")


def _byteswap(arr, dtype):
    if dtype.itemsize == 1:
        return arr
    if dtype.is_complex:
        half = np.dtype(f"<f{dtype.itemsize // 2}")
        return arr.view(np.uint8).view(half).byteswap().view(dtype._np)
    return arr.view(np.uint8).view(f"u{dtype.itemsize}").byteswap().view(dtype._np)


class _StorageLoader:
    """Turns persistent ids into storages: one buffer per key, so views share memory as in PyTorch."""

    def __init__(self, reader, map_location, byteorder):
        self._reader = reader
        self._restore = _restore_location_fn(map_location)
        self._byteorder = byteorder
        self._loaded = {}

    def __call__(self, pid):
        if not isinstance(pid, tuple) or not pid:
            raise pickle.UnpicklingError(f"persistent_load id must be a tuple, but got {type(pid)}")
        kind = pid[0].decode("ascii") if isinstance(pid[0], bytes) else pid[0]
        if kind != "storage":
            raise pickle.UnpicklingError(f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
        if len(pid) != 5:
            raise pickle.UnpicklingError(f"a storage persistent id has 5 fields, but this one has {len(pid)}")
        _, storage_type, key, location, numel = pid
        dtype = _dtype_of_storage_class(storage_type)
        if not isinstance(key, str) or not isinstance(location, str):
            raise pickle.UnpicklingError("storage key and location must be strings")
        if not _utils._is_int(numel) or numel < 0:
            raise pickle.UnpicklingError(f"storage size must be a non-negative int, but got {numel!r}")
        known = self._loaded.get(key)
        if known is not None:
            untyped, known_type, known_numel = known
            if known_type is not storage_type or known_numel != numel:
                raise pickle.UnpicklingError(f"storage key {key!r} is referenced with two different storage "
                                             f"classes or sizes")
            return TypedStorage(wrap_storage=untyped, dtype=dtype, _internal=True)
        name = "data/" + key
        if not self._reader.has_record(name):
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found" + _MINIZ_SUFFIX)
        nbytes = numel * dtype.itemsize
        record_size = self._reader.record_size(name)
        if record_size != nbytes:
            raise RuntimeError(f"record size ({record_size} bytes) does not match expected size ({nbytes} bytes = "
                               f"{nbytes} elements * 1 bytes/element) for dtype Byte")
        raw = self._reader.get_record(name)
        buf = raw.view(dtype._np) if dtype is not D.uint8 else raw
        if self._byteorder == "big":
            buf = _byteswap(np.array(buf), dtype)
        untyped = UntypedStorage(buf)
        if storage_type is UntypedStorage:
            untyped._adopt_dtype = True
        restored = self._restore(untyped, location)
        if isinstance(restored, TypedStorage):
            restored = restored._untyped_storage
        if not isinstance(restored, UntypedStorage):
            raise RuntimeError(f"map_location returned {type(restored).__name__}, expected a storage")
        self._loaded[key] = (restored, storage_type, numel)
        return TypedStorage(wrap_storage=restored, dtype=dtype, _internal=True)


# ------------------------------------------------------------------------------- weights-only unpickler
def _safe_set(items=()):
    if not isinstance(items, (list, tuple)):
        raise pickle.UnpicklingError(f"set() may only be built from a list, not {type(items).__name__}")
    return set(items)


def _safe_bytearray(data=b""):
    if not isinstance(data, (bytes, bytearray, list)):
        raise pickle.UnpicklingError(f"bytearray() may only be built from bytes, not {type(data).__name__}")
    return bytearray(data)


def _safe_complex(real=0.0, imag=0.0):
    for part in (real, imag):
        if not isinstance(part, (int, float)) or isinstance(part, bool):
            raise pickle.UnpicklingError(f"complex() may only be built from numbers, not {type(part).__name__}")
    return complex(real, imag)


def _safe_counter(mapping=None):
    if mapping is not None and not isinstance(mapping, dict):
        raise pickle.UnpicklingError(f"Counter() may only be built from a dict, not {type(mapping).__name__}")
    return collections.Counter(mapping or {})


def _safe_ordered_dict(*args):
    if args and not (len(args) == 1 and isinstance(args[0], (list, dict))):
        raise pickle.UnpicklingError("OrderedDict() may only be built from a list of pairs or a dict")
    return OrderedDict(*args)


def _checked_state(state):
    """Attribute dicts restored onto tensors and Parameters: str keys, no dunder names, and none of the
    names tritongrad's Tensor uses for its own fields (a file must not rewire a tensor's memory)."""
    parts = state if isinstance(state, tuple) else (state,)
    for part in parts:
        if part is None:
            continue
        if not isinstance(part, dict):
            raise pickle.UnpicklingError(f"tensor state must be a dict, not {type(part).__name__}")
        internal = _utils._internal_field_names()
        for k in part:
            if not isinstance(k, str) or k.startswith("__") or k in internal:
                raise pickle.UnpicklingError(f"refusing to set attribute {k!r} while loading")
    return state


def _safe_rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _utils._rebuild_parameter_with_state(data, requires_grad, backward_hooks, _checked_state(state))


_SAFE_REBUILDS = {_utils._rebuild_tensor, _utils._rebuild_tensor_v2, _utils._rebuild_tensor_v3,
                  _utils._rebuild_parameter}


def _safe_rebuild_from_type_v2(func, new_type, args, state):
    from ._tensor import Tensor
    from .nn.parameter import Parameter
    if func not in _SAFE_REBUILDS:
        raise pickle.UnpicklingError(f"_rebuild_from_type_v2 may only call a tensor rebuild function, not {func!r}")
    if new_type is not Tensor and new_type is not Parameter and new_type not in _user_globals_by_name().values():
        raise pickle.UnpicklingError(f"_rebuild_from_type_v2 may only build torch.Tensor or "
                                     f"torch.nn.parameter.Parameter, not {new_type!r}")
    if not isinstance(args, tuple):
        raise pickle.UnpicklingError("_rebuild_from_type_v2 arguments must be a tuple")
    return _utils._rebuild_from_type_v2(func, new_type, args, _checked_state(state))


def _weights_only_globals():
    g = _torch_globals()
    g.update({
        "builtins.set": _safe_set,
        "builtins.bytearray": _safe_bytearray,
        "builtins.complex": _safe_complex,
        "collections.Counter": _safe_counter,
        "collections.OrderedDict": _safe_ordered_dict,
        "torch._utils._rebuild_parameter_with_state": _safe_rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _safe_rebuild_from_type_v2,
    })
    try:
        from .nn.parameter import Parameter
        g["torch.nn.parameter.Parameter"] = Parameter
    except ImportError:
        pass
    return g


_SAFE_GLOBALS_CACHE = []


def _get_weights_only_globals():
    if not _SAFE_GLOBALS_CACHE:
        _SAFE_GLOBALS_CACHE.append(_weights_only_globals())
    return _SAFE_GLOBALS_CACHE[0]


class _Truncated(Exception):
    pass


class _WeightsOnlyUnpickler:
    """An explicit opcode loop over PyTorch's protocol-2 subset (spec §3.1, §5).

    Globals resolve only through the allowlist, never by importing; each opcode acts only on the object
    types PyTorch's own weights-only unpickler allows."""

    def __init__(self, data, pos, persistent_load, encoding="ASCII"):
        self._data = data
        self._pos = pos
        self._persistent_load = persistent_load
        self._encoding = encoding
        self._allowed = _get_weights_only_globals()
        self._user = _user_globals_by_name()
        self._allowed_ids = {id(v) for v in self._allowed.values()} | {id(v) for v in self._user.values()}

    @property
    def pos(self):
        return self._pos

    def _read(self, n):
        end = self._pos + n
        if end > len(self._data):
            raise _Truncated()
        chunk = self._data[self._pos:end]
        self._pos = end
        return chunk

    def _readline(self):
        end = self._data.find(b"\n", self._pos)
        if end < 0:
            raise _Truncated()
        line = self._data[self._pos:end]
        self._pos = end + 1
        return line

    def load(self):
        if self._pos >= len(self._data):
            raise EOFError
        try:
            return self._run()
        except (pickle.UnpicklingError, RuntimeError, EOFError, NotImplementedError):
            raise
        except _Truncated:
            raise pickle.UnpicklingError("pickle data was truncated") from None
        except (IndexError, KeyError, TypeError, ValueError, AttributeError, struct.error,
                UnicodeDecodeError, OverflowError, MemoryError) as e:
            raise pickle.UnpicklingError(f"{type(e).__name__}: {e}") from None

    def _pop_mark(self):
        items = self._stack
        self._stack = self._metastack.pop()
        return items

    def _global(self):
        module = _fix_module(self._readline().decode("utf-8"))
        name = self._readline().decode("utf-8")
        full = f"{module}.{name}"
        if module in _BLOCKED_MODULES:
            raise pickle.UnpicklingError(
                f"Trying to load unsupported GLOBAL {full} whose module {module} is blocked.")
        if full in self._allowed:
            return self._allowed[full]
        if full in self._user:
            return self._user[full]
        if full in _TORCH_ONLY_GLOBALS:
            raise pickle.UnpicklingError(f"GLOBAL {full} is allowed by PyTorch but not supported by tritongrad")
        shown = full[len("builtins."):] if full.startswith("builtins.") else full
        raise pickle.UnpicklingError(
            f"Unsupported global: GLOBAL {shown} was not an allowed global by default. Please use "
            f"`torch.serialization.add_safe_globals([{shown}])` or the "
            f"`torch.serialization.safe_globals([{shown}])` context manager to allowlist this global if you "
            "trust this class/function.")

    def _is_allowed(self, obj):
        return id(obj) in self._allowed_ids

    def _build(self, inst, state):
        from ._tensor import Tensor
        try:
            from .nn.parameter import Parameter
        except ImportError:
            Parameter = None
        if type(inst) is Tensor:
            if not isinstance(state, tuple):
                raise pickle.UnpicklingError("BUILD on a Tensor needs (storage, offset, size, stride)")
            rebuilt = _utils._rebuild_tensor(*state)
            inst._data, inst._storage, inst.dtype = rebuilt._data, rebuilt._storage, rebuilt.dtype
        elif Parameter is not None and type(inst) is Parameter:
            if isinstance(state, dict):
                _checked_state(state)
            inst.__setstate__(state)
        elif type(inst) is OrderedDict:
            if not isinstance(state, dict):
                raise pickle.UnpicklingError("BUILD state for an OrderedDict must be a dict")
            inst.__dict__.update(state)
        elif type(inst) in self._user.values():
            if hasattr(inst, "__setstate__"):
                inst.__setstate__(state)
            else:
                slots = None
                if isinstance(state, tuple) and len(state) == 2:
                    state, slots = state
                if state:
                    inst.__dict__.update(state)
                if slots:
                    for k, v in slots.items():
                        setattr(inst, k, v)
        else:
            raise pickle.UnpicklingError(
                "Can only build Tensor, Parameter, OrderedDict or types allowlisted via `add_safe_globals`, "
                f"but got {type(inst)}")

    def _run(self):
        self._stack = stack = []
        self._metastack = []
        memo = {}
        read = self._read
        while True:
            op = read(1)[0]
            stack = self._stack
            if op == 0x63:    # GLOBAL
                stack.append(self._global())
            elif op == 0x52:  # REDUCE
                args = stack.pop()
                func = stack[-1]
                if not self._is_allowed(func):
                    raise pickle.UnpicklingError(f"Trying to call reduce for unrecognized function {func}")
                if not isinstance(args, tuple):
                    raise pickle.UnpicklingError("REDUCE arguments must be a tuple")
                stack[-1] = func(*args)
            elif op == 0x81:  # NEWOBJ
                args = stack.pop()
                cls = stack.pop()
                if not isinstance(args, tuple):
                    raise pickle.UnpicklingError("NEWOBJ arguments must be a tuple")
                try:
                    from .nn.parameter import Parameter
                except ImportError:
                    Parameter = None
                if Parameter is not None and cls is Parameter:
                    stack.append(Parameter(*args))
                elif isinstance(cls, type) and self._is_allowed(cls):
                    stack.append(cls.__new__(cls, *args))
                else:
                    raise pickle.UnpicklingError("Can only create new object for nn.Parameter or classes "
                                                 f"allowlisted via `add_safe_globals` but got {cls}")
            elif op == 0x62:  # BUILD
                state = stack.pop()
                self._build(stack[-1], state)
            elif op == 0x61:  # APPEND
                item = stack.pop()
                if type(stack[-1]) is not list:
                    raise pickle.UnpicklingError(f"Can only append to lists, but got {type(stack[-1])}")
                stack[-1].append(item)
            elif op == 0x65:  # APPENDS
                items = self._pop_mark()
                target = self._stack[-1]
                if type(target) is not list:
                    raise pickle.UnpicklingError(f"Can only extend lists, but got {type(target)}")
                target.extend(items)
            elif op == 0x73:  # SETITEM
                value = stack.pop()
                key = stack.pop()
                self._check_setitem_target(stack[-1], "SETITEM")
                stack[-1][key] = value
            elif op == 0x75:  # SETITEMS
                items = self._pop_mark()
                target = self._stack[-1]
                self._check_setitem_target(target, "SETITEMS")
                if len(items) % 2:
                    raise pickle.UnpicklingError("SETITEMS needs an even number of items")
                for i in range(0, len(items), 2):
                    target[items[i]] = items[i + 1]
            elif op == 0x28:  # MARK
                self._metastack.append(stack)
                self._stack = []
            elif op == 0x74:  # TUPLE
                items = self._pop_mark()
                self._stack.append(tuple(items))
            elif op == 0x85:  # TUPLE1
                stack[-1] = (stack[-1],)
            elif op == 0x86:  # TUPLE2
                if len(stack) < 2:
                    raise pickle.UnpicklingError("stack underflow in TUPLE2")
                stack[-2:] = [(stack[-2], stack[-1])]
            elif op == 0x87:  # TUPLE3
                if len(stack) < 3:
                    raise pickle.UnpicklingError("stack underflow in TUPLE3")
                stack[-3:] = [(stack[-3], stack[-2], stack[-1])]
            elif op == 0x4E:  # NONE
                stack.append(None)
            elif op == 0x88:  # NEWTRUE
                stack.append(True)
            elif op == 0x89:  # NEWFALSE
                stack.append(False)
            elif op == 0x29:  # EMPTY_TUPLE
                stack.append(())
            elif op == 0x5D:  # EMPTY_LIST
                stack.append([])
            elif op == 0x7D:  # EMPTY_DICT
                stack.append({})
            elif op == 0x8F:  # EMPTY_SET
                stack.append(set())
            elif op == 0x4A:  # BININT
                stack.append(struct.unpack("<i", read(4))[0])
            elif op == 0x4B:  # BININT1
                stack.append(read(1)[0])
            elif op == 0x4D:  # BININT2
                stack.append(struct.unpack("<H", read(2))[0])
            elif op == 0x8A:  # LONG1
                n = read(1)[0]
                stack.append(int.from_bytes(read(n), "little", signed=True))
            elif op == 0x47:  # BINFLOAT
                stack.append(struct.unpack(">d", read(8))[0])
            elif op == 0x58:  # BINUNICODE
                n = struct.unpack("<I", read(4))[0]
                stack.append(str(read(n), "utf-8", "surrogatepass"))
            elif op == 0x55:  # SHORT_BINSTRING
                n = read(1)[0]
                raw = bytes(read(n))
                stack.append(raw if self._encoding == "bytes" else raw.decode(self._encoding, "strict"))
            elif op == 0x51:  # BINPERSID
                pid = stack.pop()
                if type(pid) is tuple and pid and (pid[0].decode("ascii") if isinstance(pid[0], bytes)
                                                   else pid[0]) != "storage":
                    raise pickle.UnpicklingError(
                        f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
                if type(pid) is not tuple:
                    raise pickle.UnpicklingError(f"persistent_load id must be tuple or int, but got {type(pid)}")
                stack.append(self._persistent_load(pid))
            elif op == 0x68:  # BINGET
                stack.append(memo[read(1)[0]])
            elif op == 0x6A:  # LONG_BINGET
                stack.append(memo[struct.unpack("<I", read(4))[0]])
            elif op == 0x71:  # BINPUT
                memo[read(1)[0]] = stack[-1]
            elif op == 0x72:  # LONG_BINPUT
                memo[struct.unpack("<I", read(4))[0]] = stack[-1]
            elif op == 0x80:  # PROTO
                proto = read(1)[0]
                if proto != 2:
                    warnings.warn(
                        f"Detected pickle protocol {proto} in the checkpoint, which was not the default pickle "
                        "protocol used by `torch.load` (2). The weights_only Unpickler might not support all "
                        "instructions implemented by this protocol, please file an issue for adding support if "
                        "you encounter this.", stacklevel=4)
            elif op == 0x2E:  # STOP
                result = stack.pop()
                return result
            else:
                raise pickle.UnpicklingError(f"Unsupported operand {op}")

    @staticmethod
    def _check_setitem_target(target, opcode):
        if type(target) not in (dict, OrderedDict, collections.Counter):
            raise pickle.UnpicklingError(f"Can only {opcode} for dict, collections.OrderedDict, "
                                         f"collections.Counter, but got {type(target)}")


def _weights_only_message(message):
    """Wrap an unpickler error the way torch.load words it."""
    if "was not an allowed global by default." in message:
        return ("Weights only load failed. This file can still be loaded, to do so you have two options, "
                "\033[1mdo those steps only if you trust the source of the checkpoint\033[0m. "
                f"\n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with `weights_only=True` please check "
                "the recommended steps in the following error message.\n\tWeightsUnpickler error: "
                + message + _DOCS_MESSAGE)
    text = f"Weights only load failed. {UNSAFE_MESSAGE}\n"
    if "whose module" not in message or "is blocked" not in message:
        text += ("Please file an issue with the following so that we can make `weights_only=True` compatible "
                 "with your use case: WeightsUnpickler error: ")
    return text + "\n\n" + message + _DOCS_MESSAGE


# ------------------------------------------------------------------------------------ full unpickler
def _full_unpickler_class(pickle_module):
    base = getattr(pickle_module, "Unpickler", pickle.Unpickler)

    class _FullUnpickler(base):
        """weights_only=False: any importable global, as unsafe as PyTorch's own full load."""

        def __init__(self, file, persistent_load, **kwargs):
            super().__init__(file, **kwargs)
            self._pload = persistent_load
            self._names = _torch_globals()
            try:
                from .nn.parameter import Parameter
                self._names["torch.nn.parameter.Parameter"] = Parameter
            except ImportError:
                pass

        def persistent_load(self, pid):
            return self._pload(pid)

        def find_class(self, module, name):
            module = _fix_module(module)
            full = f"{module}.{name}"
            if full in self._names:
                return self._names[full]
            if module == "torch" or module.startswith("torch."):
                import importlib
                target = importlib.import_module("tritongrad" + module[len("torch"):])
                obj = target
                for part in name.split("."):
                    obj = getattr(obj, part)
                return obj
            return super().find_class(module, name)

    return _FullUnpickler


# ------------------------------------------------------------------------------------------------ load
def _default_to_weights_only(pickle_module):
    return pickle_module is None


def _open_for_read(f):
    if _is_path(f):
        return open(f, "rb"), True
    for attr in ("seek", "read"):
        if not hasattr(f, attr):
            raise AttributeError(f"'{type(f).__name__}' object has no attribute '{attr}'. You can only torch.load "
                                 "from a file that is seekable. Please pre-load the data into a buffer like "
                                 "io.BytesIO and try to load from it instead.")
    return f, False


def _is_zip(fileobj):
    start = fileobj.tell()
    magic = fileobj.read(4)
    fileobj.seek(start)
    return magic == _ZIP_MAGIC


def _unpickle(data, pos, persistent_load, weights_only, pickle_module, pickle_load_args):
    """Unpickle one pickle from ``data`` at ``pos``; returns (object, position after it)."""
    if weights_only:
        unpickler = _WeightsOnlyUnpickler(data, pos, persistent_load,
                                          encoding=pickle_load_args.get("encoding", "ASCII"))
        return unpickler.load(), unpickler.pos
    stream = io.BytesIO(data)
    stream.seek(pos)
    unpickler = _full_unpickler_class(pickle_module)(stream, persistent_load, **pickle_load_args)
    result = unpickler.load()
    return result, stream.tell()


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None, **pickle_load_args):
    """Load an object saved with ``torch.save`` (by PyTorch or tritongrad) from a path or seekable file.

    ``weights_only`` (the default) only builds tensors, primitive containers and allowlisted globals."""
    true_values = ("1", "y", "yes", "true")
    weights_only_not_set = weights_only is None
    if weights_only_not_set:
        weights_only = _default_to_weights_only(pickle_module)
    if os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in true_values:
        weights_only = True
    elif weights_only_not_set and os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in true_values:
        weights_only = False
    if weights_only:
        if pickle_module is not None:
            raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    else:
        if pickle_module is None:
            pickle_module = pickle
    if "encoding" not in pickle_load_args:
        pickle_load_args["encoding"] = "utf-8"
    if mmap is None:
        mmap = False
    if _is_path(f) and os.fsdecode(os.fspath(f)).endswith(".safetensors"):
        return _load_safetensors(os.fspath(f), map_location)
    fileobj, owned = _open_for_read(f)
    try:
        if _is_zip(fileobj):
            mapped = None
            if mmap:
                if not _is_path(f):
                    raise ValueError("f must be a file path in order to use the mmap argument")
                shared = MAP_SHARED is not None and _mmap_flags[0] == MAP_SHARED
                mapped = np.memmap(os.fspath(f), dtype=np.uint8, mode="r+" if shared else "c")
            reader = _ZipReader(fileobj, mapped)
            if reader.has_record("constants.pkl"):
                if weights_only:
                    raise RuntimeError("Cannot use ``weights_only=True`` with TorchScript archives passed to "
                                       "``torch.load``. " + UNSAFE_MESSAGE)
                raise NotImplementedError("tritongrad cannot load TorchScript archives (torch.jit.load)")
            return _load_zip(reader, map_location, weights_only, pickle_module, pickle_load_args)
        if mmap:
            f_name = f"{f}, " if isinstance(f, str) else ""
            raise RuntimeError("mmap can only be used with files saved with "
                               f"`torch.save({f_name}_use_new_zipfile_serialization=True), please torch.save your "
                               "checkpoint with this option in order to use mmap.")
        return _load_legacy(fileobj.read(), map_location, weights_only, pickle_module, pickle_load_args)
    except pickle.UnpicklingError as e:
        if weights_only:
            raise pickle.UnpicklingError(_weights_only_message(str(e))) from None
        raise
    finally:
        if owned:
            fileobj.close()


def _load_zip(reader, map_location, weights_only, pickle_module, pickle_load_args):
    byteorder = "big" if _load_endianness[0] is LoadEndianness.BIG else "little"
    if reader.has_record("byteorder"):
        byteorder = bytes(reader.get_record("byteorder")).decode("ascii", "replace")
        if byteorder not in ("little", "big"):
            raise ValueError("Unknown endianness type: " + byteorder)
    loader = _StorageLoader(reader, map_location, byteorder)
    data = bytes(reader.get_record("data.pkl"))
    result, _ = _unpickle(data, 0, loader, weights_only, pickle_module, pickle_load_args)
    return result


def _load_legacy(data, map_location, weights_only, pickle_module, pickle_load_args):
    """The pre-1.6 format: five pickles back to back, then the raw storages (spec §8)."""
    def no_persistent(pid):
        raise pickle.UnpicklingError("unsupported persistent id encountered")

    magic, pos = _unpickle(data, 0, no_persistent, weights_only, pickle_module, pickle_load_args)
    if magic != _LEGACY_MAGIC:
        raise RuntimeError("Invalid magic number; corrupt file?")
    version, pos = _unpickle(data, pos, no_persistent, weights_only, pickle_module, pickle_load_args)
    if version != _LEGACY_PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {version}")
    # sys_info (byte order, type sizes) is read and, as by torch, not acted on: data is taken as native
    _, pos = _unpickle(data, pos, no_persistent, weights_only, pickle_module, pickle_load_args)
    restore = _restore_location_fn(map_location)
    roots = {}   # key -> (UntypedStorage, dtype, numel)
    views = {}

    def persistent_load(pid):
        if not isinstance(pid, tuple) or not pid:
            raise pickle.UnpicklingError(f"persistent_load id must be a tuple, but got {type(pid)}")
        kind = pid[0].decode("ascii") if isinstance(pid[0], bytes) else pid[0]
        if kind != "storage":
            raise pickle.UnpicklingError(f"Only persistent_load of storage is allowed, but got {type(pid[0])}")
        if len(pid) != 6:
            raise pickle.UnpicklingError(f"a legacy storage persistent id has 6 fields, but this one has {len(pid)}")
        _, storage_type, key, location, numel, view_metadata = pid
        dtype = _dtype_of_storage_class(storage_type)
        if not isinstance(key, str) or not _utils._is_int(numel) or numel < 0:
            raise pickle.UnpicklingError("malformed legacy storage id")
        if key not in roots:
            if numel * dtype.itemsize > len(data):
                raise RuntimeError(f"storage {key} claims {numel} elements, more than the file holds")
            untyped = restore(UntypedStorage(np.zeros(numel, dtype=dtype._np)), location)
            if isinstance(untyped, TypedStorage):
                untyped = untyped._untyped_storage
            roots[key] = (untyped, dtype, numel)
        root, root_dtype, _ = roots[key]
        if view_metadata is None:
            return TypedStorage(wrap_storage=root, dtype=root_dtype, _internal=True)
        view_key, offset, size = view_metadata
        if view_key not in views:
            buf = root._buf
            if not (_utils._is_int(offset) and _utils._is_int(size)) or offset < 0 or size < 0 \
                    or offset + size > buf.shape[0]:
                raise RuntimeError("legacy storage view lies outside its storage")
            views[view_key] = UntypedStorage(buf[offset:offset + size])
        return TypedStorage(wrap_storage=views[view_key], dtype=root_dtype, _internal=True)

    result, pos = _unpickle(data, pos, persistent_load, weights_only, pickle_module, pickle_load_args)
    keys, pos = _unpickle(data, pos, no_persistent, weights_only, pickle_module, pickle_load_args)
    if not isinstance(keys, list):
        raise RuntimeError("corrupt legacy checkpoint: the storage key list is missing")
    for key in keys:
        if key not in roots:
            raise RuntimeError(f"corrupt legacy checkpoint: storage {key!r} is listed but never used")
        untyped, dtype, numel = roots[key]
        if pos + 8 > len(data):
            raise RuntimeError("corrupt legacy checkpoint: storage data is truncated")
        count = struct.unpack("<q", data[pos:pos + 8])[0]
        pos += 8
        if count != numel:
            raise RuntimeError(f"storage {key}: the file holds {count} elements, but its id says {numel}")
        nbytes = count * dtype.itemsize
        if pos + nbytes > len(data):
            raise RuntimeError("corrupt legacy checkpoint: storage data is truncated")
        values = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=pos).view(dtype._np)
        untyped._buf[...] = values
        pos += nbytes
    return result


# ------------------------------------------------------------------------------------------- inspection
def get_unsafe_globals_in_checkpoint(f):
    """The GLOBALs in a checkpoint's pickle that ``weights_only`` loading would not accept."""
    import pickletools
    fileobj, owned = _open_for_read(f)
    try:
        if not _is_zip(fileobj):
            raise ValueError("Expected input to be a checkpoint returned by torch.save")
        data = bytes(_ZipReader(fileobj).get_record("data.pkl"))
    finally:
        if owned:
            fileobj.close()
    allowed = set(_get_weights_only_globals()) | set(_user_globals_by_name()) | _TORCH_ONLY_GLOBALS
    found = []
    allowed_ops = {"PROTO", "STOP", "MARK", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "EMPTY_TUPLE", "EMPTY_LIST",
                   "EMPTY_DICT", "EMPTY_SET", "APPEND", "APPENDS", "SETITEM", "SETITEMS", "NONE", "NEWTRUE",
                   "NEWFALSE", "BININT", "BININT1", "BININT2", "LONG1", "BINFLOAT", "BINUNICODE",
                   "SHORT_BINSTRING", "BINPERSID", "BINGET", "LONG_BINGET", "BINPUT", "LONG_BINPUT", "GLOBAL",
                   "REDUCE", "BUILD", "NEWOBJ"}
    for opcode, arg, _ in pickletools.genops(data):
        if opcode.name not in allowed_ops:
            raise pickle.UnpicklingError(f"Unsupported operand {opcode.code.encode('latin1')[0]}")
        if opcode.name == "GLOBAL":
            module, name = arg.split(" ", 1)
            full = f"{_fix_module(module)}.{name}"
            if full not in allowed and full not in found:
                found.append(full)
    return found


# ------------------------------------------------------------------------------------------ safetensors
_SAFETENSORS_DTYPES = {"BOOL": D.bool_, "U8": D.uint8, "I8": D.int8, "I16": D.int16, "U16": D.uint16,
                       "F16": D.float16, "BF16": D.bfloat16, "I32": D.int32, "U32": D.uint32, "F32": D.float32,
                       "F64": D.float64, "I64": D.int64, "U64": D.uint64, "C64": D.complex64}


def _load_safetensors(path, map_location):
    """What ``torch.load`` returns for a ``.safetensors`` path: ``{name: tensor}`` in name order.

    The format is a u64 header length, a JSON header and one flat little-endian buffer that the tensors
    must tile exactly; nothing in it is executable."""
    import json
    from ._tensor import Tensor
    target = "cpu"
    if map_location is not None:
        if isinstance(map_location, dict):
            raise RuntimeError("Loading safetensors file with dict map_location is not supported. Use a device "
                               "string or torch.device instead.")
        if callable(map_location) and not isinstance(map_location, _device_cls):
            raise RuntimeError("Loading safetensors file with callable map_location is not supported. Use a "
                               "device string or torch.device instead.")
        target = map_location.decode() if isinstance(map_location, bytes) else str(map_location)
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 8:
        raise RuntimeError(f"safetensors file {path} is too short to hold a header")
    header_len = struct.unpack("<Q", data[:8])[0]
    if 8 + header_len > len(data):
        raise RuntimeError(f"safetensors header of {header_len} bytes does not fit in {path}")
    try:
        header = json.loads(data[8:8 + header_len].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise RuntimeError(f"invalid safetensors header in {path}: {e}") from None
    if not isinstance(header, dict):
        raise RuntimeError(f"invalid safetensors header in {path}: not a JSON object")
    buffer = memoryview(data)[8 + header_len:]
    entries = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(info, dict) or not isinstance(info.get("dtype"), str):
            raise RuntimeError(f"invalid safetensors entry {name!r}")
        dtype = _SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            raise RuntimeError(f"safetensors dtype {info['dtype']} (tensor {name!r}) is not supported by tritongrad")
        shape, offsets = info.get("shape"), info.get("data_offsets")
        if not (isinstance(shape, list) and all(_utils._is_int(n) and n >= 0 for n in shape)
                and isinstance(offsets, list) and len(offsets) == 2 and all(_utils._is_int(o) for o in offsets)):
            raise RuntimeError(f"invalid safetensors entry {name!r}")
        begin, end = offsets
        numel = 1
        for n in shape:
            numel *= n
        if not 0 <= begin <= end or end - begin != numel * dtype.itemsize:
            raise RuntimeError(f"safetensors tensor {name!r}: offsets {offsets} do not match shape {shape}")
        entries.append((begin, end, name, dtype, shape))
    # the tensors must tile the buffer: no gaps, no overlaps, nothing left over
    position = 0
    for begin, end, name, _, _ in sorted(entries):
        if begin != position:
            raise RuntimeError(f"safetensors tensor {name!r} does not start where the previous one ends")
        position = end
    if position != len(buffer):
        raise RuntimeError("safetensors data buffer has bytes that belong to no tensor")
    result = {}
    for begin, end, name, dtype, shape in sorted(entries, key=lambda e: e[2]):
        arr = np.frombuffer(bytearray(buffer[begin:end]), dtype=dtype._np).reshape(shape)
        storage = default_restore_location(UntypedStorage(arr.reshape(-1)), target)
        result[name] = Tensor._make(arr, dtype, storage=storage)
    return result
