"""Time forward+backward of convolution, pooling, resampling, LSTM and attention layers against PyTorch's (CPU).

    python benchmarks/nn_layers.py [--batch 32] [--repeat 5] [--threads 1]

Each case runs ``loss = layer(x).sum(); loss.backward()`` on the same float32 inputs in both libraries and
prints the best time of ``--repeat`` runs and the ratio tritongrad / torch. ``--threads`` sets PyTorch's
intra-op threads; numpy's BLAS threads follow OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (set them before
starting Python for a like-for-like comparison). Without PyTorch installed only tritongrad's times are
printed. Benchmarks never fail a run for speed.
"""
import argparse
import platform
import time

import numpy as np

import tritongrad as tg

try:
    import torch
except ImportError:  # pragma: no cover - the oracle is optional here
    torch = None


def cases(batch):
    """(name, input shape, builder(lib) -> callable(x) returning the output to sum)."""
    return [
        ("conv2d 3->32 k3 32x32", (batch, 3, 32, 32), lambda lib: lib.nn.Conv2d(3, 32, 3, padding=1)),
        ("conv2d 32->64 k3 s2 16x16", (batch, 32, 16, 16), lambda lib: lib.nn.Conv2d(32, 64, 3, 2, 1)),
        ("conv_transpose2d 64->32 k2 s2", (batch, 64, 8, 8), lambda lib: lib.nn.ConvTranspose2d(64, 32, 2, 2)),
        ("max_pool2d 2x2", (batch, 32, 32, 32), lambda lib: lib.nn.MaxPool2d(2)),
        ("avg_pool2d 3x3 s2 p1", (batch, 32, 32, 32), lambda lib: lib.nn.AvgPool2d(3, 2, 1)),
        ("bilinear x2", (batch, 16, 32, 32), lambda lib: lib.nn.Upsample(scale_factor=2, mode="bilinear")),
        ("LSTM 2x128, 50 steps", (50, batch, 64), lambda lib: _first(lib.nn.LSTM(64, 128, 2))),
        ("GRU 1x128 bidirectional", (50, batch, 64), lambda lib: _first(lib.nn.GRU(64, 128, bidirectional=True))),
        ("TransformerEncoderLayer d=128", (batch, 64, 128),
         lambda lib: lib.nn.TransformerEncoderLayer(128, 4, 256, dropout=0.0, batch_first=True)),
    ]


def _first(module):
    return lambda x: module(x)[0]


def best_time(fn, repeat):
    fn()  # warm-up: caches, lazily built state
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run_case(lib, shape, build, x_np, repeat):
    layer = build(lib)
    x = lib.tensor(x_np).requires_grad_(True)

    def step():
        x.grad = None
        layer(x).sum().backward()
    return best_time(step, repeat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    if torch is not None:
        torch.set_num_threads(args.threads)
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()} "
          f"numpy {np.__version__}" + (f" torch {torch.__version__} threads {args.threads}" if torch else ""))
    print(f"{'case':34s} {'tritongrad':>12s} {'torch':>10s} {'ratio':>7s}")
    rng = np.random.default_rng(0)
    for name, shape, build in cases(args.batch):
        x_np = rng.standard_normal(shape).astype(np.float32)
        t_g = run_case(tg, shape, build, x_np, args.repeat)
        if torch is None:
            print(f"{name:34s} {t_g * 1e3:10.1f}ms")
            continue
        t_t = run_case(torch, shape, build, x_np, args.repeat)
        print(f"{name:34s} {t_g * 1e3:10.1f}ms {t_t * 1e3:8.1f}ms {t_g / t_t:7.2f}")


if __name__ == "__main__":
    main()
