"""Time tritongrad's random functions against PyTorch's CPU generator (same process, same sizes).

    python benchmarks/rng_throughput.py [--n 10000000] [--repeat 3]

Prints the best-of-``repeat`` CPU time of this process per call (both libraries run single-threaded
here, so CPU time is the fair measure on a shared machine) and the ratio tritongrad / torch. Without
PyTorch installed only tritongrad's times are printed. Benchmarks never fail a run for speed.
"""
import argparse
import os
import platform
import sys
import time

# run from a checkout without installing: the repository root holds the tritongrad package
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tritongrad as tg  # noqa: E402


def best_time(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def cases(lib, n):
    f32 = lib.float32
    return [
        (f"rand({n:,}) float32", lambda: lib.rand(n)),
        (f"randn({n:,}) float32", lambda: lib.randn(n)),
        (f"empty({n:,}).uniform_(-0.29, 0.29)", lambda: lib.empty(n, dtype=f32).uniform_(-0.2887, 0.2887)),
        (f"empty({n:,}).normal_(2, 3)", lambda: lib.empty(n, dtype=f32).normal_(2.0, 3.0)),
        (f"randn({n // 10:,}) float64", lambda: lib.randn(n // 10, dtype=lib.float64)),
        (f"bernoulli_(0.5) {n // 10:,}", lambda: lib.empty(n // 10, dtype=f32).bernoulli_(0.5)),
        (f"randint(0, 1000, ({n // 10:,},))", lambda: lib.randint(0, 1000, (n // 10,))),
        ("randperm(100,000)", lambda: lib.randperm(100_000)),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    print(f"machine: {platform.machine()}, {platform.processor() or 'unknown cpu'}, python {platform.python_version()}")
    tg.manual_seed(0)
    ours = [(name, best_time(fn, args.repeat)) for name, fn in cases(tg, args.n)]
    theirs = None
    if torch is not None:
        torch.manual_seed(0)
        theirs = [best_time(fn, args.repeat) for _, fn in cases(torch, args.n)]
    header = f"{'call':40s} {'tritongrad':>12s}"
    if theirs:
        header += f" {'torch':>12s} {'ratio':>8s}"
    print(header)
    for i, (name, t) in enumerate(ours):
        line = f"{name:40s} {t * 1e3:10.1f}ms"
        if theirs:
            line += f" {theirs[i] * 1e3:10.1f}ms {t / theirs[i]:7.1f}x"
        print(line)


if __name__ == "__main__":
    main()
