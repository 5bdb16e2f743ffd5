"""The golden vectors written by torch 2.13 (tests/serialization/vectors, spec §10): no torch needed."""
import io
import json
import os
import pickle
import struct
import zipfile

import numpy as np
import pytest

from tritongrad import _dtype as tg_dtype
from tritongrad import serialization as S
from tritongrad.nn.parameter import Parameter

from ser_describe import describe_tritongrad, normalize

HERE = os.path.dirname(__file__)
VECTORS = os.path.join(HERE, "vectors")
with open(os.path.join(VECTORS, "manifest.json")) as fh:
    MANIFEST = json.load(fh)["files"]

LOADABLE = sorted(k for k, v in MANIFEST.items() if v["torch_load_weights_only"] == "ok")
REFUSED = sorted(k for k, v in MANIFEST.items() if v["torch_load_weights_only"] == "error")
ZIP_VECTORS = sorted(k for k, v in MANIFEST.items() if "zip_records" in v)


def vec(name):
    return os.path.join(VECTORS, name)


@pytest.mark.parametrize("name", LOADABLE)
def test_vector_loads_like_torch(name):
    got = describe_tritongrad(S.load(vec(name)))
    assert got == normalize(MANIFEST[name]["expected"])


@pytest.mark.parametrize("name", [n for n in LOADABLE if n != "legacy.pt"])
def test_vector_loads_with_mmap(name):
    got = describe_tritongrad(S.load(vec(name), mmap=True))
    assert got == normalize(MANIFEST[name]["expected"])


@pytest.mark.parametrize("name", LOADABLE)
def test_vector_loads_from_file_object(name):
    with open(vec(name), "rb") as fh:
        data = fh.read()
    got = describe_tritongrad(S.load(io.BytesIO(data)))
    assert got == normalize(MANIFEST[name]["expected"])


@pytest.mark.parametrize("name", [n for n in LOADABLE if n != "legacy.pt"])
def test_vector_loads_with_full_unpickler(name):
    got = describe_tritongrad(S.load(vec(name), weights_only=False))
    assert got == normalize(MANIFEST[name]["expected"])


# proto4.pt is refused by torch's weights-only loader; tritongrad refuses it the same way
@pytest.mark.filterwarnings("ignore:Detected pickle protocol 4")
@pytest.mark.parametrize("name", REFUSED)
def test_hostile_vector_refused_like_torch(name, capfd):
    torch_error = MANIFEST[name]["torch_error"]
    exc_name, _, key = torch_error.partition(": ")
    expected_type = {"UnpicklingError": pickle.UnpicklingError, "RuntimeError": RuntimeError}[exc_name]
    with pytest.raises(expected_type) as info:
        S.load(vec(name))
    assert type(info.value) is expected_type
    # the manifest keeps the first part of torch's message
    assert " ".join(key.split())[:150] in " ".join(str(info.value).split())
    out, err = capfd.readouterr()
    assert "payload-ran" not in out + err


def test_proto4_loads_with_full_unpickler():
    # what torch.load(weights_only=False) returns for this file
    t = S.load(vec("proto4.pt"), weights_only=False)["a"]
    assert t.dtype is tg_dtype.float32 and tuple(t.shape) == (2, 2)
    assert t._data.tolist() == [[-1.0, -0.75], [-0.5, -0.25]]


def test_views_share_one_buffer():
    r = S.load(vec("views.pt"))
    assert r["same"] is r["base"]
    storages = {id(t.untyped_storage()) for t in r.values()}
    assert len(storages) == 1
    r["base"]._data[5] = 100.0
    assert r["v_offset"]._data[0] == 100.0
    assert r["v_2d_T"]._data[5, 0] == 100.0


def test_view_only_reads_whole_storage():
    t = S.load(vec("view_only.pt"))
    assert t.untyped_storage().nbytes() == 96
    assert t.storage_offset() == 8 and t.stride() == (6, 1)


def test_state_dict_metadata_restored():
    sd = S.load(vec("state_dict.pt"))
    assert sd._metadata["bn"] == {"version": 2}
    assert list(sd._metadata)[0] == ""


def test_attrs_restored():
    r = S.load(vec("attrs.pt"))
    assert r["attr_tensor"].foo == "bar"
    assert r["attr_param"].tag == 7
    assert isinstance(r["attr_param"], Parameter)


def test_mmap_is_copy_on_write(tmp_path):
    path = tmp_path / "t.pt"
    with open(vec("tensor_f32.pt"), "rb") as src:
        path.write_bytes(src.read())
    t = S.load(str(path), mmap=True)
    t._data[0, 0] = 42.0
    assert S.load(str(path))._data[0, 0] == -1.0


# --------------------------------------------------------------------- container byte-exactness (§10.3.1)
def _records_of(path):
    """(archive, [(name, bytes)]) in file order, reading payloads through the local headers."""
    with open(path, "rb") as fh:
        data = fh.read()
    zf = zipfile.ZipFile(io.BytesIO(data))
    records = []
    archive = None
    for info in zf.infolist():
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
        start = info.header_offset + 30 + name_len + extra_len
        archive, _, rec = info.filename.partition("/")
        records.append((rec, data[start:start + info.file_size]))
    return archive, records, data


@pytest.mark.parametrize("name", ZIP_VECTORS)
def test_zip_writer_is_byte_exact(name):
    archive, records, original = _records_of(vec(name))
    out = io.BytesIO()
    S._write_zip(out, archive, records, compute_crc=(name != "nocrc.pt"))
    assert out.getvalue() == original


@pytest.mark.parametrize("name", ZIP_VECTORS)
def test_record_layout_matches_manifest(name):
    _, records, original = _records_of(vec(name))
    assert len(original) == MANIFEST[name]["size"]
    assert [size for _, _, size in MANIFEST[name]["zip_records"]] == [len(d) for _, d in records]


def test_archive_names():
    assert S._archive_name("dir/model.pt") == "model"
    assert S._archive_name("model.pth.tar") == "model.pth"
    assert S._archive_name("noext") == "noext"
    assert S._archive_name("a\\b\\c.pt") == "c"
    assert S._archive_name("dïr/x.pt") == "archive"
    assert S._archive_name(".hidden") == "archive"
    assert S._archive_name(io.BytesIO()) == "archive"


def test_zip64_fields_written_for_big_offsets():
    # a record whose header starts past 4 GiB gets the zip64 offset field, without writing 4 GiB
    class Sink:
        def __init__(self):
            self.chunks = []

        def write(self, b):
            self.chunks.append(bytes(b))

    sink = Sink()
    w = S._ZipWriter(sink, "a")
    w._pos = 0x100000000
    w.add("data/0", b"xyz")
    header = sink.chunks[0]
    extra = sink.chunks[2]
    assert struct.unpack("<HH", header[26:30])[1] == len(extra)
    tag, length, offset = struct.unpack("<HHQ", extra[:12])
    assert (tag, length, offset) == (1, 8, 0x100000000)
    assert (0x100000000 + 30 + len(sink.chunks[1]) + len(extra)) % 64 == 0
    assert len(sink.chunks[-1]) == 24  # zip64 data descriptor


def test_big_endian_file_is_swapped():
    archive, records, _ = _records_of(vec("dtypes.pt"))
    expected = MANIFEST["dtypes.pt"]["expected"]["dict"]
    groups = [v["tensor"]["storage_group"] for _, v in expected]
    assert groups == list(range(len(groups)))  # one storage per tensor, keyed in dict order
    np_dtypes = [getattr(tg_dtype, v["tensor"]["dtype"] if v["tensor"]["dtype"] != "bool" else "bool_")._np
                 for _, v in expected]
    swapped = []
    for rec, data in records:
        if rec == "byteorder":
            data = b"big"
        elif rec.startswith("data/") and data:
            dt = np_dtypes[int(rec[5:])]
            if dt.kind == "u" and dt.itemsize > 1:
                # uint16/32/64 storages are untyped (rebuild v3): torch swaps them per byte, i.e. not at all
                pass
            elif dt.kind == "c":
                data = np.frombuffer(data, dtype=f"<f{dt.itemsize // 2}").byteswap().tobytes()
            else:
                data = np.frombuffer(data, dtype=f"<u{dt.itemsize}").byteswap().tobytes()
        swapped.append((rec, data))
    out = io.BytesIO()
    S._write_zip(out, archive, swapped)
    out.seek(0)
    got = describe_tritongrad(S.load(out))
    assert got == normalize(MANIFEST["dtypes.pt"]["expected"])


def test_unknown_byteorder_refused():
    archive, records, _ = _records_of(vec("tensor_f32.pt"))
    records = [(r, b"middle" if r == "byteorder" else d) for r, d in records]
    out = io.BytesIO()
    S._write_zip(out, archive, records)
    out.seek(0)
    with pytest.raises(ValueError, match="Unknown endianness type: middle"):
        S.load(out)


@pytest.mark.parametrize("name", [n for n in LOADABLE if n != "legacy.pt"])
def test_resave_reproduces_torch_file(name, tmp_path):
    # load + save gives torch's file back: same records (data.pkl byte for byte, memo numbering
    # included), same offsets; only the free-form serialization id may differ
    archive, records, _ = _records_of(vec(name))
    path = tmp_path / name
    S.save(S.load(vec(name)), str(path))
    if name == "bytesio.pt":
        archive = "bytesio"  # torch wrote this one through a BytesIO (archive name "archive")
        records_here = _records_of(str(path))[1]
        assert _records_of(vec(name))[0] == "archive"
    else:
        here_archive, records_here, _ = _records_of(str(path))
        assert here_archive == archive
    strip = [(r, d) for r, d in records if r != ".data/serialization_id"]
    assert [(r, d) for r, d in records_here if r != ".data/serialization_id"] == strip
    with zipfile.ZipFile(vec(name)) as a, zipfile.ZipFile(str(path)) as b:
        assert [i.header_offset for i in a.infolist()] == [i.header_offset for i in b.infolist()]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", ["state_dict.pt", "adam.pt", "dtypes.pt", "attrs.pt", "misc.pt"])
def test_corrupted_pickles_fail_cleanly(name):
    # random byte edits of data.pkl: the weights-only loader may refuse them, but only with its own errors
    import random
    rng = random.Random(name)
    archive, records, _ = _records_of(vec(name))
    pkl = dict(records)["data.pkl"]
    for _ in range(150):
        data = bytearray(pkl)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data))
            action = rng.random()
            if action < 0.5:
                data[pos] = rng.randrange(256)
            elif action < 0.75:
                del data[pos]
            else:
                data.insert(pos, rng.randrange(256))
        out = io.BytesIO()
        S._write_zip(out, archive, [(r, bytes(data) if r == "data.pkl" else d) for r, d in records])
        out.seek(0)
        try:
            S.load(out)
        except (pickle.UnpicklingError, RuntimeError, EOFError):
            pass


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name", ["views.pt", "legacy.pt", "adam.pt"])
def test_corrupted_files_fail_cleanly(name):
    import random
    rng = random.Random(name)
    with open(vec(name), "rb") as fh:
        raw = fh.read()
    for _ in range(200):
        data = bytearray(raw)
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            S.load(io.BytesIO(bytes(data)))
        except (pickle.UnpicklingError, RuntimeError, EOFError):
            pass
        except ValueError as e:  # torch's own error for a damaged byteorder record
            assert str(e).startswith("Unknown endianness type")
