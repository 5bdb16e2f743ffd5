"""Eager-mode cost per op, tritongrad vs PyTorch (CPU) in the same process.

Small tensors measure the Python/dispatch overhead, large ones throughput; each with and without autograd
recording. Prints a table of times and ratios (tritongrad / PyTorch: lower is better, 1.0 is parity).

    python benchmarks/eager_overhead.py [--quick] [--markdown]
"""
import argparse
import platform
import sys
import time

import numpy as np

import tritongrad as tg

try:
    import torch
except ImportError:  # pragma: no cover
    print("PyTorch is not installed: nothing to compare against.")
    sys.exit(0)

OPS = {
    "add": lambda m, a, b: a + b,
    "mul": lambda m, a, b: a * b,
    "sub_scalar": lambda m, a, b: a - 1.5,
    "div": lambda m, a, b: a / b,
    "pow2": lambda m, a, b: a ** 2,
    "exp": lambda m, a, b: a.exp(),
    "tanh": lambda m, a, b: a.tanh(),
    "sigmoid": lambda m, a, b: a.sigmoid(),
    "relu": lambda m, a, b: a.relu(),
    "sum": lambda m, a, b: a.sum(),
    "mean_dim": lambda m, a, b: a.mean(1),
    "max_dim": lambda m, a, b: a.max(1),
    "softmax": lambda m, a, b: a.softmax(-1),
    "matmul": lambda m, a, b: a @ b,
    "transpose": lambda m, a, b: a.t(),
    "view": lambda m, a, b: a.view(-1),
    "index": lambda m, a, b: a[1:, :2],
    "cat": lambda m, a, b: m.cat([a, b]),
    "where": lambda m, a, b: m.where(a > 0, a, b),
    "clone": lambda m, a, b: a.clone(),
}


def per_call(fn, budget):
    """Seconds per call: repeat until ``budget`` seconds are spent, best of 3 rounds."""
    fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt > budget / 10:
            break
        n *= 4
    best = dt / n
    for _ in range(2):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def inputs(lib, size, requires_grad):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(np.float32)
    b = rng.standard_normal((size, size)).astype(np.float32) + 3
    if lib is tg:
        return tg.tensor(a, requires_grad=requires_grad), tg.tensor(b, requires_grad=requires_grad)
    return torch.tensor(a, requires_grad=requires_grad), torch.tensor(b, requires_grad=requires_grad)


def mlp_step(lib, batch, width):
    rng = np.random.default_rng(0)
    model_tg = tg.nn.Sequential(tg.nn.Linear(width, width), tg.nn.ReLU(), tg.nn.Linear(width, 10))
    model_pt = torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU(), torch.nn.Linear(width, 10))
    x = rng.standard_normal((batch, width)).astype(np.float32)
    y = rng.integers(0, 10, batch)
    if lib is tg:
        model, xt, yt, F = model_tg, tg.tensor(x), tg.tensor(y), tg.nn.functional
    else:
        model, xt, yt, F = model_pt, torch.tensor(x), torch.tensor(y), torch.nn.functional

    def step():
        loss = F.cross_entropy(model(xt), yt)
        loss.backward()
    return step


def fmt(s):
    if s < 1e-3:
        return f"{s * 1e6:8.1f} us"
    return f"{s * 1e3:8.2f} ms"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="shorter timing budget")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args()
    budget = 0.05 if args.quick else 0.2
    torch.set_num_threads(1)
    rows = []
    for size_name, size in (("small 4x4", 4), ("large 1024x1024", 1024)):
        for grad in (False, True):
            for name, op in OPS.items():
                times = []
                for lib in (tg, torch):
                    a, b = inputs(lib, size, grad)
                    times.append(per_call(lambda: op(lib, a, b), budget))
                rows.append((size_name, "grad" if grad else "no grad", name, times[0], times[1]))
    for batch, width in ((32, 64), (256, 512)):
        times = [per_call(mlp_step(lib, batch, width), budget * 2) for lib in (tg, torch)]
        rows.append((f"MLP {batch}x{width}", "fwd+bwd", "mlp step", times[0], times[1]))
    if args.markdown:
        print("| tensors | mode | op | tritongrad | PyTorch | ratio |")
        print("| --- | --- | --- | ---: | ---: | ---: |")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} | {fmt(r[3]).strip()} | {fmt(r[4]).strip()} | {r[3] / r[4]:.2f} |")
    else:
        print(f"{'tensors':18} {'mode':8} {'op':10} {'tritongrad':>12} {'PyTorch':>12} {'ratio':>7}")
        for r in rows:
            print(f"{r[0]:18} {r[1]:8} {r[2]:10} {fmt(r[3]):>12} {fmt(r[4]):>12} {r[3] / r[4]:7.2f}")
    small = [r[3] / r[4] for r in rows if r[0].startswith("small")]
    large = [r[3] / r[4] for r in rows if r[0].startswith("large")]
    geo = lambda v: float(np.exp(np.mean(np.log(v))))  # noqa: E731
    print(f"\ngeometric mean ratio: small {geo(small):.2f}, large {geo(large):.2f}")
    print(f"machine: {platform.machine()} {platform.processor() or ''}, python {platform.python_version()}, "
          f"numpy {np.__version__}, torch {torch.__version__} (1 thread)")


if __name__ == "__main__":
    main()
