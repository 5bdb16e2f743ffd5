"""save/load API behaviour: pickle content, weights_only rules, map_location, mmap, plain pickle, storages.

Expected messages and results were taken from torch 2.13 (the oracle); the tests that need torch itself
import it (and skip without it).
"""
import collections
import copy
import io
import os
import pickle
import pickletools
import struct
import warnings
import zipfile

import numpy as np
import pytest

import tritongrad as tg
from tritongrad import _dtype as D
from tritongrad import serialization as S
from tritongrad._device import Size, device
from tritongrad._tensor import Tensor
from tritongrad.nn.parameter import Parameter
from tritongrad.storage import FloatStorage, TypedStorage

from ser_describe import describe_tritongrad

VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors")

# spec §3.1: the protocol-2 opcodes torch's weights-only unpickler understands
ALLOWED_OPCODES = {"PROTO", "STOP", "MARK", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "EMPTY_TUPLE", "EMPTY_LIST",
                   "EMPTY_DICT", "EMPTY_SET", "APPEND", "APPENDS", "SETITEM", "SETITEMS", "NONE", "NEWTRUE",
                   "NEWFALSE", "BININT", "BININT1", "BININT2", "LONG1", "BINFLOAT", "BINUNICODE", "SHORT_BINSTRING",
                   "BINPERSID", "BINGET", "LONG_BINGET", "BINPUT", "LONG_BINPUT", "GLOBAL", "REDUCE", "BUILD",
                   "NEWOBJ"}


def _t(arr, dtype=None):
    arr = np.array(arr)
    return Tensor._make(arr if dtype is None else arr.astype(dtype._np), dtype)


def _round_trip(obj, **load_kwargs):
    buf = io.BytesIO()
    S.save(obj, buf)
    buf.seek(0)
    return S.load(buf, **load_kwargs)


def _pickle_of(obj):
    buf = io.BytesIO()
    S.save(obj, buf)
    zf = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    return zf.read("archive/data.pkl")


def _zip_of(records, archive="archive"):
    out = io.BytesIO()
    S._write_zip(out, archive, records)
    out.seek(0)
    return out


def _checkpoint_with_pickle(pkl, storages=()):
    records = [("data.pkl", pkl)] + [(f"data/{i}", s) for i, s in enumerate(storages)] + [("version", b"3\n")]
    return _zip_of(records)


def test_pickle_uses_only_torch_opcodes_and_allowlisted_globals():
    base = _t(np.arange(24, dtype=np.float32))
    sd = collections.OrderedDict(w=base)
    sd._metadata = collections.OrderedDict({"": {"version": 1}})
    obj = {"dtypes": [_t([1, 0, 1], dt) for dt in D.ALL_DTYPES], "view": base._view_of(base._data[3:7]),
           "param": Parameter(_t(np.ones(2, np.float32))), "sd": sd, "size": Size([1, 2]), "dev": device("cpu"),
           "dt": D.float16, "bytes": b"ab", "ba": bytearray(b"x"), "set": {1}, "c": 1j,
           "counter": collections.Counter("ab"), "ints": [255, 256, 65535, 65536, 2 ** 31, 2 ** 63, -2 ** 63],
           "long": list(range(1001)), "memo": [[i] for i in range(300)]}
    allowed_globals = set(S._get_weights_only_globals())
    for op, arg, _ in pickletools.genops(_pickle_of(obj)):
        assert op.name in ALLOWED_OPCODES
        if op.name == "GLOBAL":
            module, name = arg.split(" ")
            assert S._fix_module(module) + "." + name in allowed_globals
    assert describe_tritongrad(_round_trip(obj)) == describe_tritongrad(obj)


def test_tensor_pickle_matches_torch_bytes():
    # the spec's worked example: torch's 154-byte data.pkl for a 3x4 float32 tensor (key 0)
    with zipfile.ZipFile(os.path.join(VECTORS, "tensor_f32.pt")) as zf:
        torch_pkl = zf.read("tensor_f32/data.pkl")
    t = _t(np.arange(12, dtype=np.float32).reshape(3, 4))
    assert _pickle_of(t) == torch_pkl


def test_file_matches_torch_container_layout(tmp_path):
    path = tmp_path / "tensor_f32.pt"
    t = S.load(os.path.join(VECTORS, "tensor_f32.pt"))
    S.save(t, str(path))
    with zipfile.ZipFile(os.path.join(VECTORS, "tensor_f32.pt")) as a, zipfile.ZipFile(str(path)) as b:
        assert [(i.filename, i.header_offset, i.file_size) for i in a.infolist()][:-1] == \
            [(i.filename, i.header_offset, i.file_size) for i in b.infolist()][:-1]
        for name in a.namelist()[:-1]:
            assert a.read(name) == b.read(name)


def test_paths_pathlike_and_file_objects(tmp_path):
    t = _t(np.arange(3, dtype=np.float64))
    S.save(t, tmp_path / "a.pt")
    S.save(t, str(tmp_path / "b.pt"))
    with open(tmp_path / "c.pt", "wb") as fh:
        S.save(t, fh)
    for name, archive in (("a.pt", "a"), ("b.pt", "b"), ("c.pt", "archive")):
        with zipfile.ZipFile(str(tmp_path / name)) as zf:
            assert zf.namelist()[0] == archive + "/data.pkl"
        assert S.load(tmp_path / name)._data.tolist() == [0.0, 1.0, 2.0]
    with open(tmp_path / "a.pt", "rb") as fh:
        assert S.load(fh)._data.tolist() == [0.0, 1.0, 2.0]


def test_different_dtypes_on_one_storage_refused():
    base = _t(np.arange(4, dtype=np.float32))
    as_int = Tensor._make(base._data.view(np.int32), D.int32, storage=base._get_storage())
    with pytest.raises(RuntimeError) as info:
        S.save([base, as_int], io.BytesIO())
    assert str(info.value) == ("Cannot save multiple tensors or storages that view the same data as different "
                               "types")


def test_shared_storage_saved_once_with_whole_buffer():
    base = _t(np.arange(24, dtype=np.float32))
    view = base._view_of(base._data.reshape(4, 6)[1:3, 2:5])
    buf = io.BytesIO()
    S.save({"v": view}, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert zf.getinfo("archive/data/0").file_size == 96
    loaded = S.load(io.BytesIO(buf.getvalue()))["v"]
    assert loaded.storage_offset() == 8 and loaded.stride() == (6, 1)
    assert loaded._data.tolist() == view._data.tolist()


def test_requires_grad_nonleaf_loads_as_leaf():
    leaf = tg.ones(2, requires_grad=True)
    loaded = _round_trip(leaf * 2)
    assert loaded.requires_grad and loaded.is_leaf and loaded.grad_fn is None
    assert loaded.tolist() == [2.0, 2.0]


def test_parameters_and_state_dict_round_trip():
    p = Parameter(_t(np.ones((2, 2), np.float32)))
    q = Parameter(_t(np.zeros(3, np.float32)), requires_grad=False)
    loaded = _round_trip({"p": p, "q": q, "again": p})
    assert type(loaded["p"]) is Parameter and loaded["p"].requires_grad
    assert type(loaded["q"]) is Parameter and not loaded["q"].requires_grad
    assert loaded["again"] is loaded["p"]


def test_weights_only_refuses_custom_classes_and_allowlist_works():
    obj = {"a": _Custom(3)}
    with pytest.raises(pickle.UnpicklingError) as info:
        _round_trip(obj)
    name = f"{_Custom.__module__}._Custom"
    assert f"Unsupported global: GLOBAL {name} was not an allowed global by default." in str(info.value)
    assert str(info.value).startswith("Weights only load failed. This file can still be loaded")
    assert _round_trip(obj, weights_only=False)["a"].value == 3
    with S.safe_globals([_Custom]):
        assert _round_trip(obj)["a"].value == 3
    assert _Custom not in S.get_safe_globals()
    S.add_safe_globals([_Custom])
    try:
        assert _Custom in S.get_safe_globals()
        assert _round_trip(obj)["a"].value == 3
    finally:
        S.clear_safe_globals()
    with pytest.raises(pickle.UnpicklingError):
        _round_trip(obj)


class _Custom:
    def __init__(self, value):
        self.value = value


def test_blocked_modules_stay_blocked_even_when_allowlisted(capfd):
    with S.safe_globals([os.system]):
        with pytest.raises(pickle.UnpicklingError, match="whose module posix is blocked"):
            S.load(os.path.join(VECTORS, "evil_os_system.pt"))
    assert "payload-ran" not in capfd.readouterr().out


def test_pickle_module_with_weights_only_refused():
    with pytest.raises(RuntimeError, match="^Can not safely load weights when explicit pickle_module is specified$"):
        S.load(os.path.join(VECTORS, "tensor_f32.pt"), pickle_module=pickle, weights_only=True)
    assert S.load(os.path.join(VECTORS, "tensor_f32.pt"), pickle_module=pickle).shape == (3, 4)


@pytest.mark.parametrize("pkl, message", [
    (b"\x80\x02cbuiltins\ngetattr\n.", "Unsupported global: GLOBAL getattr was not an allowed global"),
    (b"\x80\x02ctorch\nEvilStorage\n.", "Unsupported global: GLOBAL torch.EvilStorage was not an allowed"),
    (b"\x80\x02ccollections\nOrderedDict\n)RK\x01a.", "Can only append to lists, but got <class 'collections.OrderedDict'>"),
    (b"\x80\x02]K\x01K\x02s.", "Can only SETITEM for dict, collections.OrderedDict, collections.Counter, but got <class 'list'>"),
    (b"\x80\x02}K\x01b.", "Can only build Tensor, Parameter, OrderedDict or types allowlisted"),
    (b"\x80\x02K\x01)R.", "Trying to call reduce for unrecognized function"),
    (b"\x80\x02\x8c\x01a.", "Unsupported operand 140"),
    (b"\x80\x02t.", "IndexError"),
    (b"\x80\x02h\x05.", "KeyError"),
    (b"\x80\x02X\xff\x00\x00\x00ab", "truncated"),
    (b"\x80\x02ctorch._utils\n_rebuild_qtensor\n.", "not supported by tritongrad"),
])
def test_hostile_pickles_refused(pkl, message):
    with pytest.raises(pickle.UnpicklingError) as info:
        S.load(_checkpoint_with_pickle(pkl))
    assert message in str(info.value)
    assert str(info.value).startswith("Weights only load failed.")


def test_ordered_dict_build_with_class_key_is_harmless():
    pkl = (b"\x80\x02ccollections\nOrderedDict\n)R}X\t\x00\x00\x00__class__K\x01sb.")
    loaded = S.load(_checkpoint_with_pickle(pkl))
    assert type(loaded) is collections.OrderedDict
    assert loaded.__dict__["__class__"] == 1


def test_attribute_dunder_names_refused():
    t = _t(np.ones(2, np.float32))
    t.__dict__["__evil"] = 1
    buf = io.BytesIO()
    S.save(t, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="refusing to set attribute '__evil'"):
        S.load(buf)


def test_storage_key_reused_with_other_class_refused():
    pid = b"(X\x07\x00\x00\x00storagectorch\n%s\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x04tQ"
    pkl = b"\x80\x02]" + b"(" + pid % b"FloatStorage" + pid % b"IntStorage" + b"e."
    with pytest.raises(pickle.UnpicklingError, match="two different storage classes"):
        S.load(_checkpoint_with_pickle(pkl, [b"\x00" * 16]))


def test_protocol_warning_for_other_protocols():
    with pytest.warns(UserWarning, match="Detected pickle protocol 4 in the checkpoint"):
        with pytest.raises(pickle.UnpicklingError, match="Unsupported operand 149"):
            S.load(os.path.join(VECTORS, "proto4.pt"))


def test_get_unsafe_globals_in_checkpoint():
    # what torch 2.13 reports for these vectors
    expected = {"evil_os_system.pt": ["posix.system"], "evil_eval.pt": ["builtins.eval"],
                "evil_popen.pt": ["subprocess.Popen"],
                "numpy_scalar.pt": ["numpy.dtype", "numpy._core.multiarray.scalar"],
                "tensor_f32.pt": [], "attrs.pt": []}
    for name, names in expected.items():
        assert sorted(S.get_unsafe_globals_in_checkpoint(os.path.join(VECTORS, name))) == sorted(names)
    with pytest.raises(pickle.UnpicklingError, match="Unsupported operand 149"):
        S.get_unsafe_globals_in_checkpoint(os.path.join(VECTORS, "evil_stack_global.pt"))


# ---------------------------------------------------------------------------------------- map_location
CUDA_MESSAGE = ("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you "
                "are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') "
                "to map your storages to the CPU.")


@pytest.mark.parametrize("location", [None, "cpu", device("cpu"), {"cuda:0": "cpu"}])
def test_map_location_to_cpu(location):
    t = S.load(os.path.join(VECTORS, "views.pt"), map_location=location)
    assert t["base"].shape == (24,)


def test_map_location_callable_called_once_per_storage():
    calls = []
    loaded = S.load(os.path.join(VECTORS, "views.pt"), map_location=lambda s, loc: calls.append((type(s).__name__, loc)))
    assert calls == [("UntypedStorage", "cpu")]  # what torch passes for this file
    assert loaded["v_offset"].storage_offset() == 5


@pytest.mark.parametrize("location", ["cuda", "cuda:1", device("cuda"), {"cpu": "cuda:0"}])
def test_map_location_cuda_without_cuda(location, monkeypatch):
    monkeypatch.setattr(S, "_cuda_available", lambda: False)
    with pytest.raises(RuntimeError) as info:
        S.load(os.path.join(VECTORS, "tensor_f32.pt"), map_location=location)
    assert str(info.value) == CUDA_MESSAGE


def test_map_location_unknown_tag():
    with pytest.raises(RuntimeError) as info:
        S.load(os.path.join(VECTORS, "tensor_f32.pt"), map_location="xyz")
    assert str(info.value) == "don't know how to restore data location of torch.storage.UntypedStorage (tagged with xyz)"


# ---------------------------------------------------------------------------------------------- mmap
def test_mmap_needs_a_path():
    with open(os.path.join(VECTORS, "tensor_f32.pt"), "rb") as fh:
        with pytest.raises(ValueError, match="^f must be a file path in order to use the mmap argument$"):
            S.load(fh, mmap=True)


def test_mmap_refuses_legacy_files():
    path = os.path.join(VECTORS, "legacy.pt")
    with pytest.raises(RuntimeError) as info:
        S.load(path, mmap=True)
    assert str(info.value) == (f"mmap can only be used with files saved with `torch.save({path}, "
                               "_use_new_zipfile_serialization=True), please torch.save your checkpoint with this "
                               "option in order to use mmap.")


def test_not_a_checkpoint():
    with pytest.raises(EOFError):
        S.load(io.BytesIO(b""))
    with pytest.raises(RuntimeError, match="PytorchStreamReader failed reading zip archive: not a ZIP archive"):
        S.load(io.BytesIO(b"PK\x03\x04junk"))


def test_unsupported_save_options():
    with pytest.raises(NotImplementedError, match="legacy"):
        S.save(_t([1.0]), io.BytesIO(), _use_new_zipfile_serialization=False)


def test_protocol_4_file_loads_with_weights_only_false():
    buf = io.BytesIO()
    S.save({"a": _t(np.arange(3, dtype=np.float32))}, buf, pickle_protocol=4)
    buf.seek(0)
    assert S.load(buf, weights_only=False)["a"]._data.tolist() == [0.0, 1.0, 2.0]


def test_deflated_record_is_inflated():
    with open(os.path.join(VECTORS, "tensor_f32.pt"), "rb") as fh:
        data = fh.read()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.endswith("data/0"):
                dst.writestr(info.filename, _records_raw(data, info), compress_type=zipfile.ZIP_DEFLATED)
            else:
                dst.writestr(info.filename, _records_raw(data, info), compress_type=zipfile.ZIP_STORED)
    out.seek(0)
    assert S.load(out)._data.tolist() == S.load(os.path.join(VECTORS, "tensor_f32.pt"))._data.tolist()


def _records_raw(data, info):
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    return data[start:start + info.file_size]


# ------------------------------------------------------------------------------------------ plain pickle
def test_plain_pickle_round_trip():
    base = _t(np.arange(6, dtype=np.float32))
    view = base._view_of(base._data[2:])
    p = Parameter(_t(np.ones(2, np.float32)))
    out = pickle.loads(pickle.dumps({"base": base, "view": view, "p": p, "again": base}))
    assert out["again"] is out["base"]
    assert out["view"]._data.tolist() == [2.0, 3.0, 4.0, 5.0]
    assert out["view"].storage_offset() == 2
    assert type(out["p"]) is Parameter and out["p"].requires_grad
    # as in torch, each tensor pickled on its own carries its own copy of the storage
    assert out["view"].untyped_storage() is not out["base"].untyped_storage()


def test_copy_copy_shares_memory_deepcopy_does_not():
    t = _t(np.arange(3, dtype=np.float32))
    c = copy.copy(t)
    assert c.data_ptr() == t.data_ptr()
    d = copy.deepcopy(t)
    assert d.data_ptr() != t.data_ptr()


# --------------------------------------------------------------------------------------------- storages
def test_typed_storage_matches_torch():
    torch = pytest.importorskip("torch")
    cases = [([1.0, 2.5], "float32"), ([0.1, 1e10], "float32"), ([1, 2], "int64"), ([True, False], "bool"),
             ([1.5, 2.0], "float16"), ([1.5], "bfloat16"), ([1 + 2j], "complex64"), ([1, 2], "uint16"),
             ([], "int64")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for values, name in cases:
            ours = _t(values, getattr(D, name if name != "bool" else "bool_")).storage()
            theirs = torch.tensor(values, dtype=getattr(torch, name)).storage()
            assert repr(ours) == repr(theirs)
            assert (ours.size(), ours.nbytes(), ours.element_size()) == (
                theirs.size(), theirs.nbytes(), theirs.element_size())
            assert ours.tolist() == theirs.tolist()
    fs = FloatStorage([1, 2, 3])
    assert type(fs) is TypedStorage and isinstance(fs, FloatStorage) and fs.dtype is D.float32
    assert repr(fs) == repr(torch.FloatStorage([1, 2, 3]))
    assert FloatStorage(2).size() == 2
    with pytest.raises(TypeError, match=r"^new\(\): invalid data type 'str'$"):
        FloatStorage("a")


def test_storage_views_tensor_memory():
    t = _t(np.arange(6, dtype=np.float32))
    s = t.storage()
    assert s.data_ptr() == t.data_ptr() and s.untyped() is t.untyped_storage()
    s[0] = 7.0
    assert t._data[0] == 7.0
    with pytest.raises(RuntimeError, match="slices are only supported in UntypedStorage.__getitem__"):
        s[1:3]


def test_saving_a_storage_directly():
    t = _t(np.arange(4, dtype=np.float32))
    loaded = _round_trip({"s": t.storage(), "t": t})
    assert isinstance(loaded["s"], TypedStorage) and loaded["s"].dtype is D.float32
    assert loaded["s"].untyped() is loaded["t"].untyped_storage()


# ----------------------------------------------------------------------------------------- file handling
def test_save_errors_like_torch(tmp_path):
    with pytest.raises(RuntimeError) as info:
        S.save(_t([1.0]), str(tmp_path / "missing" / "x.pt"))
    assert str(info.value) == f"Parent directory {tmp_path / 'missing'} does not exist."
    with pytest.raises(AttributeError) as info:
        S.save(_t([1.0]), 123)
    assert str(info.value) == "expected 'f' to be string, path, or a file-like object with a 'write' attribute"


def test_load_needs_seekable_file():
    class ReadOnly:
        def read(self, n=-1):
            return b""

    with pytest.raises(AttributeError) as info:
        S.load(ReadOnly())
    assert str(info.value) == ("'ReadOnly' object has no attribute 'seek'. You can only torch.load from a file "
                               "that is seekable. Please pre-load the data into a buffer like io.BytesIO and try "
                               "to load from it instead.")
    with pytest.raises(FileNotFoundError):
        S.load("/nonexistent/x.pt")


def test_mmap_shared_mode_writes_through(tmp_path):
    import mmap
    path = tmp_path / "t.pt"
    S.save(_t(np.arange(4, dtype=np.float32)), str(path))
    assert S.get_default_mmap_options() == mmap.MAP_PRIVATE
    with S.set_default_mmap_options(mmap.MAP_SHARED):
        t = S.load(str(path), mmap=True)
        t._data[0] = 9.0
        del t
    assert S.get_default_mmap_options() == mmap.MAP_PRIVATE
    assert S.load(str(path))._data.tolist() == [9.0, 1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="expected mmap.MAP_PRIVATE or mmap.MAP_SHARED, but got 5$"):
        S.set_default_mmap_options(5)


def test_location_tag():
    assert S.location_tag(_t([1.0]).untyped_storage()) == "cpu"


# ------------------------------------------------------------------------------------------ safetensors
def _safetensors_bytes(tensors, metadata=None):
    """A .safetensors file laid out as the format (spec §9) says: u64 header size, JSON, flat buffer."""
    import json
    header, chunks, offset = {}, [], 0
    for name, (code, arr) in tensors.items():
        raw = np.ascontiguousarray(arr).tobytes()
        header[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def test_safetensors_path_loads_as_dict(tmp_path):
    path = tmp_path / "m.safetensors"
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    bf = np.array([1.5, -2.0], dtype=D.bfloat16._np)
    path.write_bytes(_safetensors_bytes({"w": ("F32", w), "b": ("BF16", bf), "i": ("I64", np.array([7]))},
                                        {"format": "pt"}))
    out = S.load(str(path))
    assert list(out) == ["b", "i", "w"]
    assert out["w"]._data.tolist() == w.tolist() and out["w"].dtype is D.float32
    assert out["b"].dtype is D.bfloat16 and out["b"]._data.view(np.uint16).tolist() == bf.view(np.uint16).tolist()
    assert out["i"].dtype is D.int64
    with pytest.raises(RuntimeError, match="dict map_location is not supported"):
        S.load(str(path), map_location={"cpu": "cpu"})


def test_safetensors_must_tile_the_buffer(tmp_path):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(_safetensors_bytes({"w": ("F32", np.ones(2, np.float32))}) + b"\x00" * 4)
    with pytest.raises(RuntimeError, match="belong to no tensor"):
        S.load(str(path))


def test_typed_storage_warns_once_at_the_caller(monkeypatch):
    from tritongrad import storage as storage_module
    monkeypatch.setattr(storage_module, "_typed_storage_warned", [False])
    t = _t(np.ones(2, np.float32))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t.storage()
        t.storage()
    assert len(caught) == 1
    assert str(caught[0].message).startswith("TypedStorage is deprecated. It will be removed in the future")
    assert caught[0].filename == __file__


def test_zip_entries_must_share_one_folder():
    records = [("data.pkl", b"\x80\x02K\x01."), ("version", b"3\n")]
    good = _zip_of(records)
    assert S.load(good) == 1
    two_folders = io.BytesIO()
    with zipfile.ZipFile(two_folders, "w") as zf:
        zf.writestr("a/data.pkl", b"\x80\x02K\x01.")
        zf.writestr("b/version", b"3\n")
    two_folders.seek(0)
    with pytest.raises(RuntimeError, match="not in a subdirectory"):
        S.load(two_folders)
    at_root = io.BytesIO()
    with zipfile.ZipFile(at_root, "w") as zf:
        zf.writestr("data.pkl", b"\x80\x02K\x01.")
    at_root.seek(0)
    with pytest.raises(RuntimeError, match="not in a subdirectory"):
        S.load(at_root)


def test_torchscript_archive_refused():
    archive = _zip_of([("data.pkl", b"\x80\x02K\x01."), ("constants.pkl", b"\x80\x02)."), ("version", b"3\n")])
    with pytest.raises(RuntimeError, match=r"^Cannot use ``weights_only=True`` with TorchScript archives"):
        S.load(archive)


class _ParameterWithState:
    """Pickles as torch._utils._rebuild_parameter_with_state(data, True, hooks, state)."""

    def __init__(self, data, state):
        self.data, self.state = data, state

    def __reduce__(self):
        from tritongrad import _utils
        return (_utils._rebuild_parameter_with_state, (self.data, True, collections.OrderedDict(), self.state))


def test_tensor_slots_cannot_be_overwritten_by_a_file():
    buf = io.BytesIO()
    S.save(_ParameterWithState(_t(np.ones(2, np.float32)), {"_data": "not an array"}), buf)
    buf.seek(0)
    assert S.load(buf, weights_only=False)._data.tolist() == [1.0, 1.0]  # bookkeeping is never restored
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="refusing to set attribute '_data'"):
        S.load(buf)


def test_plain_pickle_of_parameter_keeps_storage_consistent():
    p = Parameter(_t(np.arange(3, dtype=np.float32)))
    q = pickle.loads(pickle.dumps(p))
    assert q.data_ptr() == q.untyped_storage().data_ptr()
    assert q.storage_offset() == 0 and q._data.tolist() == [0.0, 1.0, 2.0]


def test_cuda_tagged_storages(monkeypatch):
    # a checkpoint whose storage was on cuda:0 (tagged as torch tags GPU storages)
    monkeypatch.setattr(S, "_location_tag", lambda storage: "cuda:0")
    buf = io.BytesIO()
    S.save({"w": _t(np.arange(3, dtype=np.float32))}, buf)
    monkeypatch.undo()
    assert b"cuda:0" in zipfile.ZipFile(io.BytesIO(buf.getvalue())).read("archive/data.pkl")
    monkeypatch.setattr(S, "_cuda_available", lambda: False)
    for location in (None, {"cpu": "cpu"}):
        buf.seek(0)
        with pytest.raises(RuntimeError) as info:
            S.load(buf, map_location=location)
        assert str(info.value) == CUDA_MESSAGE
    for location in ("cpu", device("cpu"), {"cuda:0": "cpu"}):
        buf.seek(0)
        assert S.load(buf, map_location=location)["w"]._data.tolist() == [0.0, 1.0, 2.0]
    calls = []
    buf.seek(0)
    S.load(buf, map_location=lambda storage, tag: calls.append(tag) or storage)
    assert calls == ["cuda:0"]


def test_parameter_build_cannot_rewire_storage():
    # NEWOBJ Parameter, then BUILD with a dict naming tritongrad's internal _storage field
    t = _t(np.ones(2, np.float32))
    buf = io.BytesIO()
    S.save(t, buf)
    tensor_pickle = zipfile.ZipFile(io.BytesIO(buf.getvalue())).read("archive/data.pkl")[2:-1]
    pkl = (b"\x80\x02ctorch.nn.parameter\nParameter\n" + tensor_pickle + b"\x85\x81"
           b"}X\x08\x00\x00\x00_storageK\x01sb.")
    with pytest.raises(pickle.UnpicklingError, match="refusing to set attribute '_storage'"):
        S.load(_checkpoint_with_pickle(pkl, [np.ones(2, np.float32).tobytes()]))


# --------------------------------------------------------------------------------------- legacy format
class _LegacyPickler(S._CheckpointPickler):
    """Writes the 6-field storage ids of the pre-1.6 format (tritongrad itself never writes it)."""

    def persistent_id(self, obj):
        if isinstance(obj, tuple) and len(obj) == 6 and obj[0] == "storage":
            return obj
        return super().persistent_id(obj)


def _legacy_checkpoint(obj, keys, storages, little_endian=True):
    out = io.BytesIO()
    sys_info = {"protocol_version": 1001, "little_endian": little_endian,
                "type_sizes": {"short": 2, "int": 4, "long": 8}}
    for value in (0x1950A86A20F9469CFC6C, 1001, sys_info):
        pickle.dump(value, out, protocol=2)
    _LegacyPickler(out, 2).dump(obj)
    pickle.dump(keys, out, protocol=2)
    for count, raw in storages:
        out.write(struct.pack("<q", count) + raw)
    out.seek(0)
    return out


def test_legacy_storage_views():
    # very old files saved storage views as (view_key, offset, size) of a root storage; torch 2.13 loads
    # this file as tensor([3., 4.]) with storage_offset 1 on a 12-byte storage
    pid = ("storage", S._torch_global("torch", "FloatStorage"), "1", "cpu", 6, ("v", 2, 3))
    rebuild = S._torch_global("torch._utils", "_rebuild_tensor_v2")
    obj = {"t": S._ReducedTensor(rebuild, (pid, 1, (2,), (1,), False, collections.OrderedDict()))}
    t = S.load(_legacy_checkpoint(obj, ["1"], [(6, np.arange(6, dtype=np.float32).tobytes())]))["t"]
    assert t._data.tolist() == [3.0, 4.0]
    assert t.storage_offset() == 1 and t.untyped_storage().nbytes() == 12


def test_legacy_storage_count_must_match():
    pid = ("storage", S._torch_global("torch", "FloatStorage"), "1", "cpu", 6, None)
    rebuild = S._torch_global("torch._utils", "_rebuild_tensor_v2")
    obj = S._ReducedTensor(rebuild, (pid, 0, (6,), (1,), False, collections.OrderedDict()))
    with pytest.raises(RuntimeError, match="holds 5 elements, but its id says 6"):
        S.load(_legacy_checkpoint(obj, ["1"], [(5, np.zeros(5, np.float32).tobytes())]))


def test_saving_is_reproducible(tmp_path):
    obj = {"w": _t(np.arange(6, dtype=np.float32).reshape(2, 3)), "step": 3}
    S.save(obj, str(tmp_path / "a.pt"))
    S.save(obj, str(tmp_path / "a2.pt"))
    first = (tmp_path / "a.pt").read_bytes()
    with zipfile.ZipFile(str(tmp_path / "a.pt")) as za, zipfile.ZipFile(str(tmp_path / "a2.pt")) as zb:
        ids = [z.read(z.namelist()[-1]) for z in (za, zb)]
    assert ids[0] == ids[1] and len(ids[0]) == 40 and ids[0].isdigit()
    # the archive name (here "b" instead of "a", same length) is the only difference between files
    S.save(obj, str(tmp_path / "b.pt"))
    assert len((tmp_path / "b.pt").read_bytes()) == len(first)
    with zipfile.ZipFile(str(tmp_path / "b.pt")) as zb, zipfile.ZipFile(str(tmp_path / "a.pt")) as za:
        assert [i.header_offset for i in za.infolist()] == [i.header_offset for i in zb.infolist()]
        assert [za.read(n) for n in za.namelist()] == [zb.read(n) for n in zb.namelist()]


def test_non_ascii_path(tmp_path):
    path = tmp_path / "dïr"
    path.mkdir()
    S.save(_t([1.0, 2.0]), str(path / "x.pt"))
    with zipfile.ZipFile(str(path / "x.pt")) as zf:
        assert zf.namelist()[0] == "archive/data.pkl"
    assert S.load(str(path / "x.pt"))._data.tolist() == [1.0, 2.0]
