"""Time one optimizer step of tritongrad against PyTorch's (CPU, same process, same parameter shapes).

    python benchmarks/optim_step.py [--params 20] [--size 256] [--repeat 20]

The model is ``--params`` float32 tensors of shape (size, size), each with a gradient. Prints the best
time per ``step()`` and the ratio tritongrad / torch. PyTorch runs its default (for-loop) CPU path, which
is the one tritongrad reproduces. Without PyTorch installed only tritongrad's times are printed.
Benchmarks never fail a run for speed.
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

OPTIMIZERS = [("SGD", dict(lr=0.01)), ("SGD", dict(lr=0.01, momentum=0.9, nesterov=True)), ("Adam", {}),
              ("AdamW", dict(amsgrad=True)), ("RMSprop", dict(centered=True, momentum=0.9)), ("Adagrad", {}),
              ("NAdam", {}), ("RAdam", {}), ("Adadelta", {}), ("Adamax", {})]


def best_step_time(lib, name, kwargs, arrays, repeat):
    params = [lib.nn.Parameter(lib.from_numpy(a.copy())) for a in arrays]
    for p, a in zip(params, arrays):
        p.grad = lib.from_numpy(a * 0.01)
    opt = getattr(lib.optim, name)(params, **kwargs)
    opt.step()  # state allocation is not part of the steady-state cost
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        opt.step()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=int, default=20)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal((args.size, args.size)).astype(np.float32) for _ in range(args.params)]
    print(f"{platform.processor() or platform.machine()}, numpy {np.__version__}"
          + (f", torch {torch.__version__} ({torch.get_num_threads()} threads)" if torch else ""))
    print(f"{args.params} float32 parameters of shape ({args.size}, {args.size}); best of {args.repeat}")
    print(f"{'optimizer':44s} {'tritongrad':>12s} {'torch':>12s} {'ratio':>7s}")
    for name, kwargs in OPTIMIZERS:
        label = name + "(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"
        ours = best_step_time(tg, name, kwargs, arrays, args.repeat)
        if torch is not None:
            theirs = best_step_time(torch, name, kwargs, arrays, args.repeat)
            print(f"{label:44s} {ours * 1e3:10.2f}ms {theirs * 1e3:10.2f}ms {ours / theirs:7.2f}")
        else:
            print(f"{label:44s} {ours * 1e3:10.2f}ms")


if __name__ == "__main__":
    main()
