"""Intra-op threads: the BLAS thread pool numpy's matrix products run on (torch.set_num_threads).

OpenBLAS's worker threads spin while they wait; on a machine whose cores are shared (CI, notebooks next to
DataLoader workers) that turns a millisecond product into a hundred. So unless the user chose a count through
OMP_NUM_THREADS / OPENBLAS_NUM_THREADS / MKL_NUM_THREADS, tritongrad starts with one BLAS thread, and
torch.set_num_threads(n) raises it.
"""
import os

try:
    import threadpoolctl as _tpc
except ImportError:  # pragma: no cover - a dependency; without it the thread count stays the library's own
    _tpc = None

_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_state = {"n": None, "limiter": None}


def _blas_threads():
    if _tpc is None:
        return None
    counts = [p["num_threads"] for p in _tpc.threadpool_info() if p.get("user_api") == "blas"]
    return max(counts) if counts else None


def set_num_threads(n):
    """Sets the number of threads used for intra-op parallelism (the BLAS pool) on the CPU."""
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _state["n"] = n
    if _tpc is not None:
        _state["limiter"] = _tpc.threadpool_limits(limits=n, user_api="blas")


def get_num_threads():
    """Returns the number of threads used for intra-op parallelism on the CPU."""
    if _state["n"] is None:
        _state["n"] = _blas_threads() or 1
    return _state["n"]


def init():
    if not any(os.environ.get(k) for k in _ENV):
        set_num_threads(1)
