"""Interop with real PyTorch: files written here load in torch, files torch wrote load here.

torch runs in one subprocess (torch_side.py), never in this process: it writes torch files, waits while
tritongrad loads them and writes its own, then reads the files tritongrad wrote (plain, mmap, and mmap with
calculate_storage_offsets) and resumes training from a torch checkpoint that went through tritongrad.
"""
import collections
import importlib.util
import io
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tritongrad import _dtype as D
from tritongrad import serialization as S
from tritongrad._device import Size, device
from tritongrad._tensor import Tensor
from tritongrad.nn.parameter import Parameter

from ser_describe import describe_tritongrad

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs real PyTorch")

TORCH_SIDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_side.py")
TORCH_CASES = ["dtypes", "views", "params", "state_dict", "adam", "misc", "noncontig", "bytesio", "checkpoint"]
LEGACY_CASES = ["views", "params", "state_dict", "misc", "noncontig"]


def _t(arr, dtype=None):
    arr = np.array(arr)
    return Tensor._make(arr if dtype is None else arr.astype(dtype._np), dtype)


def build_cases():
    """tritongrad objects of every kind a checkpoint holds."""
    dtypes = {}
    for dt in D.ALL_DTYPES:
        dtypes[dt.name] = _t((np.arange(6) % 4).reshape(2, 3), dt)
    dtypes["zero_dim"] = _t(np.float32(2.5))
    dtypes["empty"] = _t(np.empty((0, 3), np.float32))
    dtypes["bf16"] = _t(np.array([1.00390625, -3.3, 1e-3], np.float32).astype(D.bfloat16._np))

    base = _t(np.arange(24, dtype=np.float32))
    views = {"base": base, "offset": base._view_of(base._data[5:9]), "t": base._view_of(base._data.reshape(4, 6).T),
             "step": base._view_of(base._data[1::3]),
             "expand": base._view_of(np.broadcast_to(base._data[:3], (4, 3))), "same": base}

    weight = Parameter(_t(np.ones((2, 3), np.float32)))
    p_attr = Parameter(_t(np.zeros(2, np.float32)))
    p_attr.tag = 7
    t_attr = _t(np.arange(3, dtype=np.float32))
    t_attr.foo = "bar"
    leaf = _t(np.ones(2, np.float32)).requires_grad_()
    params = {"weight": weight, "p_nograd": Parameter(_t(np.ones(2, np.float32)), requires_grad=False),
              "p_attr": p_attr, "t_attr": t_attr, "leaf": leaf, "again": weight}

    sd = collections.OrderedDict([("fc.weight", _t(np.full((2, 3), 0.5, np.float32))),
                                  ("fc.bias", _t(np.zeros(2, np.float32))),
                                  ("bn.num_batches_tracked", _t(np.int64(3)))])
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("fc", {"version": 1}), ("bn", {"version": 2})])

    misc = {"size": Size([2, 3]), "cpu": device("cpu"), "cuda1": device("cuda", 1), "dtype": D.bfloat16,
            "complex": 1 + 2j, "counter": collections.Counter("aab"),
            "floats": [float("inf"), float("-inf"), float("nan"), 1.5e300, -0.0], "big": -2 ** 70,
            "bytes": b"xy\x00\xff", "bytearray": bytearray(b"ab"), "set": {3, 4}, "tuple4": (1, 2, 3, 4),
            "unicode": "h\u00e9llo\u2713",
            "edges": [0, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, 2 ** 63,
                      -2 ** 63, -1],
            "long": list(range(1500)), "memo": [[i] for i in range(300)], "empty": [[], {}, ()]}
    arr = np.arange(6, dtype=np.float32)
    noncontig = {"flipped": _t(arr[::-1]), "t": _t(np.arange(6, dtype=np.float32).reshape(2, 3).T)}
    return {"dtypes": dtypes, "views": views, "params": params, "state_dict": sd, "misc": misc,
            "noncontig": noncontig}


def _start_torch(directory):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TORCH_SERIALIZATION_DEBUG"] = "1"
    return subprocess.Popen([sys.executable, TORCH_SIDE, "serve", str(directory)], cwd=str(directory), env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _json(directory, mode):
    with open(os.path.join(directory, mode + ".json")) as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def interop(tmp_path_factory):
    directory = tmp_path_factory.mktemp("interop")
    proc = _start_torch(directory)
    try:
        # tritongrad's own files are written while torch starts up
        cases = build_cases()
        for name, obj in cases.items():
            S.save(obj, str(directory / f"tg_{name}.pt"))
        buf = io.BytesIO()
        S.save({"x": _t(np.arange(4, dtype=np.float32))}, buf)
        (directory / "tg_bytesio.pt").write_bytes(buf.getvalue())
        line = proc.stdout.readline()
        assert line.strip() == "written", proc.communicate(timeout=60)[1][-3000:]
        written = _json(directory, "write")
        loaded_here = {}
        for name in TORCH_CASES:
            with open(directory / f"torch_{name}.pt", "rb") as fh:
                obj = S.load(fh)
            loaded_here[name] = obj
            S.save(obj, str(directory / f"rt_{name}.pt"))
        for name in LEGACY_CASES:
            loaded_here["legacy_" + name] = S.load(str(directory / f"torch_legacy_{name}.pt"))
        _, err = proc.communicate("read\n", timeout=300)
        assert proc.returncode == 0, err[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return {"dir": directory, "written": written, "read": _json(directory, "read"), "cases": cases,
            "loaded_here": loaded_here}


@pytest.mark.parametrize("name", TORCH_CASES)
def test_torch_file_loads_here(interop, name):
    assert describe_tritongrad(interop["loaded_here"][name]) == interop["written"][name]


@pytest.mark.parametrize("name", LEGACY_CASES)
def test_torch_legacy_format_file_loads_here(interop, name):
    assert describe_tritongrad(interop["loaded_here"]["legacy_" + name]) == interop["written"]["legacy_" + name]


@pytest.mark.parametrize("name", TORCH_CASES)
def test_resaved_torch_file_loads_in_torch(interop, name):
    for mode in ("default", "mmap", "offsets"):
        assert interop["read"]["rt_" + name][mode] == interop["written"][name], mode


@pytest.mark.parametrize("name", ["dtypes", "views", "params", "state_dict", "misc", "noncontig", "bytesio"])
def test_tritongrad_file_loads_in_torch(interop, name):
    here = describe_tritongrad(S.load(str(interop["dir"] / f"tg_{name}.pt")))
    for mode in ("default", "mmap", "offsets"):
        assert interop["read"]["tg_" + name][mode] == here, mode


@pytest.mark.parametrize("name", ["dtypes", "views", "params", "state_dict", "misc"])
def test_round_trip_here_keeps_everything(interop, name):
    original = interop["cases"][name]
    assert describe_tritongrad(S.load(str(interop["dir"] / f"tg_{name}.pt"))) == describe_tritongrad(original)


def test_noncontiguous_layouts(interop):
    loaded = S.load(str(interop["dir"] / "tg_noncontig.pt"))
    # a negative-stride view has no (offset, stride) form: it is written as its own contiguous copy
    assert loaded["flipped"].stride() == (1,)
    assert loaded["flipped"]._data.tolist() == [5.0, 4.0, 3.0, 2.0, 1.0, 0.0]
    assert loaded["t"].stride() == (1, 3)


def test_views_alias_in_torch(interop):
    offset0, t50, same = interop["read"]["__views_alias__"]
    assert offset0 == 100.0 and t50 == 100.0 and same


def test_resumed_training_is_bit_identical(interop):
    assert interop["read"]["__losses__"] == interop["written"]["__losses__"]


def test_same_object_saved_twice_loads_once(interop):
    loaded = S.load(str(interop["dir"] / "tg_params.pt"))
    assert loaded["again"] is loaded["weight"]
    torch_loaded = interop["loaded_here"]["params"]
    assert torch_loaded["again"] is torch_loaded["weight"]
    # torch saves a non-leaf tensor; it comes back as a leaf that requires grad
    assert torch_loaded["nonleaf"].requires_grad and torch_loaded["nonleaf"].is_leaf
