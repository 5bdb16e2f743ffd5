"""The real-PyTorch half of the interop tests; run only as a subprocess by test_serialization_torch.py.

    python torch_side.py write DIR   save torch objects as DIR/torch_<case>.pt, describe what torch.load
                                     returns for each, and record reference training losses
    python torch_side.py read DIR    torch.load every DIR/tg_*.pt and DIR/rt_*.pt (written by tritongrad)
                                     three ways, describe them, and resume training from rt_checkpoint.pt
    python torch_side.py serve DIR   write, print "written", then read once stdin says "read"

Results go to DIR/<mode>.json. This process imports torch and never tritongrad.
"""
import collections
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ser_describe import describe_torch  # noqa: E402


LEGACY_CASES = ("views", "params", "state_dict", "misc", "noncontig")


def build_cases():
    torch.manual_seed(0)
    dtypes = {}
    for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16,
               torch.int8, torch.uint8, torch.bool, torch.complex64, torch.complex128, torch.uint16, torch.uint32,
               torch.uint64):
        dtypes[str(dt)] = (torch.arange(6) % 4).to(dt).reshape(2, 3)
    dtypes["zero_dim"] = torch.tensor(2.5)
    dtypes["empty"] = torch.empty(0, 3)
    dtypes["bf16_rounding"] = torch.tensor([1.00390625, -3.3, 1e-3]).to(torch.bfloat16)

    base = torch.arange(24.0)
    views = {"base": base, "offset": base[5:9], "t": base.view(4, 6).t(), "step": base[1::3],
             "expand": base[:3].expand(4, 3), "same": base}

    lin = torch.nn.Linear(3, 2)
    p_nograd = torch.nn.Parameter(torch.ones(2), requires_grad=False)
    p_attr = torch.nn.Parameter(torch.zeros(2))
    p_attr.tag = 7
    t_attr = torch.arange(3.0)
    t_attr.foo = "bar"
    leaf = torch.ones(2, requires_grad=True)
    params = {"weight": lin.weight, "p_nograd": p_nograd, "p_attr": p_attr, "t_attr": t_attr, "leaf": leaf,
              "nonleaf": leaf * 2, "again": lin.weight}

    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    train(model, opt, 2)
    misc = {"size": torch.Size([2, 3]), "cpu": torch.device("cpu"), "cuda1": torch.device("cuda", 1),
            "dtype": torch.bfloat16, "complex": 1 + 2j, "counter": collections.Counter("aab"),
            "floats": [float("inf"), float("-inf"), 1.5e300, -0.0], "big": -2 ** 70, "bytes": b"xy\x00\xff",
            "bytearray": bytearray(b"ab"), "set": {3, 4}, "tuple4": (1, 2, 3, 4), "unicode": "h\u00e9llo\u2713",
            "edges": [0, 255, 256, 65535, 65536, 2 ** 31 - 1, 2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, 2 ** 63,
                      -2 ** 63, -1],
            "long": list(range(1500)), "memo": [[i] for i in range(300)], "empty": [[], {}, ()]}
    noncontig = {"nc": torch.arange(6.0).reshape(2, 3).t(), "sliced": torch.arange(24.0).reshape(4, 6)[1:3, 2:5]}
    return {"dtypes": dtypes, "views": views, "params": params, "state_dict": model.state_dict(),
            "adam": opt.state_dict(), "misc": misc, "noncontig": noncontig}


def make_model():
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 1))


def train(model, opt, steps, skip=0):
    """``steps`` Adam steps on fixed random batches, after skipping the batches of ``skip`` earlier steps."""
    gen = torch.Generator().manual_seed(2)
    for _ in range(skip):
        torch.randn(8, 4, generator=gen)
        torch.randn(8, 1, generator=gen)
    losses = []
    for _ in range(steps):
        x = torch.randn(8, 4, generator=gen)
        y = torch.randn(8, 1, generator=gen)
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def write(out_dir):
    result = {}
    for name, obj in build_cases().items():
        path = os.path.join(out_dir, f"torch_{name}.pt")
        torch.save(obj, path)
        result[name] = describe_torch(torch.load(path), torch)
        if name in LEGACY_CASES:
            path = os.path.join(out_dir, f"torch_legacy_{name}.pt")
            torch.save(obj, path, _use_new_zipfile_serialization=False)
            result["legacy_" + name] = describe_torch(torch.load(path), torch)
    buf_path = os.path.join(out_dir, "torch_bytesio.pt")
    import io
    buf = io.BytesIO()
    torch.save({"x": torch.arange(4.0)}, buf)
    with open(buf_path, "wb") as fh:
        fh.write(buf.getvalue())
    result["bytesio"] = describe_torch(torch.load(buf_path), torch)

    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    train(model, opt, 2)
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 2}, os.path.join(
        out_dir, "torch_checkpoint.pt"))
    result["checkpoint"] = describe_torch(torch.load(os.path.join(out_dir, "torch_checkpoint.pt")), torch)
    result["__losses__"] = train(model, opt, 3, skip=2)
    return result


def read(out_dir):
    result = {}
    names = sorted(n for n in os.listdir(out_dir) if n.endswith(".pt") and n.startswith(("tg_", "rt_")))
    for name in names:
        path = os.path.join(out_dir, name)
        entry = {}
        for mode in ("default", "mmap", "offsets"):
            try:
                if mode == "default":
                    obj = torch.load(path)
                elif mode == "mmap":
                    obj = torch.load(path, mmap=True)
                else:
                    torch.utils.serialization.config.load.calculate_storage_offsets = True
                    try:
                        obj = torch.load(path, mmap=True)
                    finally:
                        torch.utils.serialization.config.load.calculate_storage_offsets = False
                entry[mode] = describe_torch(obj, torch)
            except Exception as e:  # reported to the test, which fails with the message
                entry[mode] = {"error": f"{type(e).__name__}: {e}"}
        result[name[:-3]] = entry
    # views loaded by torch alias one storage: a write through one shows in the others
    views = torch.load(os.path.join(out_dir, "tg_views.pt"))
    views["base"][5] = 100.0
    result["__views_alias__"] = [views["offset"][0].item(), views["t"][5, 0].item(), views["same"] is views["base"]]
    # resume training from a torch checkpoint that went through tritongrad's load and save
    ckpt = torch.load(os.path.join(out_dir, "rt_checkpoint.pt"))
    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    model.load_state_dict(ckpt["model"])
    opt.load_state_dict(ckpt["optim"])
    result["__losses__"] = train(model, opt, 3, skip=2)
    return result


def _dump(directory, mode, data):
    with open(os.path.join(directory, mode + ".json"), "w") as fh:
        json.dump(data, fh)


if __name__ == "__main__":
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == "serve":
        # both halves in one process (torch is imported once): write, wait for tritongrad, then read
        _dump(directory, "write", write(directory))
        print("written", flush=True)
        if sys.stdin.readline().strip() == "read":
            _dump(directory, "read", read(directory))
    else:
        _dump(directory, mode, write(directory) if mode == "write" else read(directory))
