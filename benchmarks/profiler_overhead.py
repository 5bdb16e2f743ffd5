"""Eager overhead with and without the profiler.

Times small eager workloads (tiny-tensor ops, where per-op Python overhead dominates, and an MLP training
step with an optimizer) in fresh processes:

- ``absent``:  the profiler modules cannot be imported at all (as if the code did not exist);
- ``present``: the profiler is imported but not running (the normal case: it must cost nothing);
- ``active``:  inside ``torch.autograd.profiler.profile()`` (recording every op);
- PyTorch eager and PyTorch under its profiler, for reference, when PyTorch is installed.

Run: ``python benchmarks/profiler_overhead.py``. Prints microseconds per iteration and ratios; never fails
for speed.
"""
import json
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _BlockProfiler:
    """Meta-path finder that makes the profiler modules unimportable."""

    BLOCKED = ("tritongrad.autograd.profiler", "tritongrad.autograd.profiler_util", "tritongrad.profiler")

    def find_spec(self, name, path=None, target=None):
        if name in self.BLOCKED:
            raise ImportError(f"{name} is blocked for the 'absent' measurement")
        return None


def _best_of(fn, repeats, number):
    """Best time per call over ``repeats`` rounds of ``number`` calls (microseconds)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best * 1e6


def _workloads(lib):
    lib.manual_seed(0)
    a = lib.ones(4, 4)
    b = lib.ones(4, 4)

    def tiny_ops():
        c = a + b
        c = c * 2.0
        c = c.relu()
        return c.sum()

    model = lib.nn.Sequential(lib.nn.Linear(16, 32), lib.nn.ReLU(), lib.nn.Linear(32, 4))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01)
    x = lib.randn(8, 16)
    y = lib.tensor([0, 1, 2, 3, 0, 1, 2, 3])

    def train_step():
        optimizer.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()

    return {"tiny_ops": tiny_ops, "train_step": train_step}


def _child(mode):
    if mode == "absent":
        sys.meta_path.insert(0, _BlockProfiler())
    if mode.startswith("torch"):
        import torch as lib
        import torch.autograd.profiler as profiler
        lib.set_num_threads(1)  # one thread, like tritongrad's numpy ops on these sizes
    else:
        sys.path.insert(0, REPO)
        import tritongrad as lib
        profiler = None
        if mode != "absent":
            import tritongrad.autograd.profiler as profiler
            import tritongrad.profiler  # noqa: F401
    results = {}
    for name, fn in _workloads(lib).items():
        for _ in range(20):
            fn()
        if mode.endswith("active"):
            with profiler.profile():
                results[name] = _best_of(fn, repeats=3, number=50)
        else:
            results[name] = _best_of(fn, repeats=5, number=100)
    print(json.dumps(results))


def main(rounds=4):
    modes = ["absent", "present", "active"]
    try:
        import torch  # noqa: F401
        modes += ["torch", "torch_active"]
    except ImportError:
        pass
    # the modes alternate over several rounds and the best round counts: a busy machine only adds time
    results = {}
    for _ in range(rounds):
        for mode in modes:
            out = subprocess.run([sys.executable, __file__, "--child", mode], capture_output=True, text=True,
                                 check=True, env=dict(os.environ, PYTHONPATH=REPO))
            measured = json.loads(out.stdout.strip().splitlines()[-1])
            best = results.setdefault(mode, measured)
            for workload, value in measured.items():
                best[workload] = min(best[workload], value)
    print(f"{'workload':<12}" + "".join(f"{m:>14}" for m in modes) + f"{'present/absent':>16}{'active/present':>16}")
    for workload in results["absent"]:
        row = [results[m][workload] for m in modes]
        print(f"{workload:<12}" + "".join(f"{v:>12.1f}us" for v in row)
              + f"{results['present'][workload] / results['absent'][workload]:>16.3f}"
              + f"{results['active'][workload] / results['present'][workload]:>16.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main()
