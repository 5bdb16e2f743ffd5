"""torch.multiprocessing: Python's multiprocessing plus PyTorch's sharing-strategy switches and ``spawn``.

Tensors moved into shared memory with ``Tensor.share_memory_()`` (``Module.share_memory()``) live in an
anonymous shared mapping, so processes started with the 'fork' method see each other's writes (Hogwild-style
training). Under 'spawn'/'forkserver' a tensor passed as an argument is pickled, i.e. copied.
"""
import multiprocessing
import signal
import sys
import traceback
from multiprocessing import *  # noqa: F401,F403
from multiprocessing import get_context

__all__ = ["set_sharing_strategy", "get_sharing_strategy", "get_all_sharing_strategies", "spawn",
           "start_processes", "ProcessContext", "SpawnContext", "ProcessRaisedException",
           "ProcessExitedException", "ProcessError"]
__all__ += multiprocessing.__all__

_all_sharing_strategies = {"file_descriptor", "file_system"} if sys.platform != "darwin" else {"file_system"}
_sharing_strategy = ["file_descriptor" if sys.platform != "darwin" else "file_system"]


def set_sharing_strategy(new_strategy):
    """Choose how tensors are shared between processes ('file_descriptor' or 'file_system')."""
    assert new_strategy in _all_sharing_strategies, (f"invalid sharing strategy '{new_strategy}', expected one of "
                                                     f"{_all_sharing_strategies}")
    _sharing_strategy[0] = new_strategy


def get_sharing_strategy():
    return _sharing_strategy[0]


def get_all_sharing_strategies():
    return set(_all_sharing_strategies)


def init_reductions():
    """Tensor pickling for inter-process queues is registered when tritongrad is imported; nothing to do."""


class ProcessException(Exception):
    __slots__ = ["error_index", "error_pid"]

    def __init__(self, msg, error_index, pid):
        super().__init__(msg)
        self.msg = msg
        self.error_index = error_index
        self.pid = pid

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.pid)


class ProcessRaisedException(ProcessException):
    """A spawned process raised an exception; the message carries its traceback."""


class ProcessExitedException(ProcessException):
    """A spawned process exited with a non-zero code or was killed by a signal."""

    __slots__ = ["exit_code"]

    def __init__(self, msg, error_index, error_pid, exit_code, signal_name=None):
        super().__init__(msg, error_index, error_pid)
        self.exit_code = exit_code
        self.signal_name = signal_name

    def __reduce__(self):
        return type(self), (self.msg, self.error_index, self.pid, self.exit_code, self.signal_name)


def _wrap(fn, i, args, error_queue):
    try:
        fn(i, *args)
    except KeyboardInterrupt:
        pass
    except Exception:  # noqa: BLE001 - every failure goes back to the parent
        error_queue.put(traceback.format_exc())
        sys.exit(1)


class ProcessContext:
    """The processes started by ``start_processes``; ``join()`` waits and re-raises the first failure."""

    def __init__(self, processes, error_queues):
        self.error_queues = error_queues
        self.processes = processes
        self.sentinels = {process.sentinel: index for index, process in enumerate(processes)}

    def pids(self):
        return [int(process.pid) for process in self.processes]

    def join(self, timeout=None, grace_period=None):
        """True when all processes finished successfully, False while some still run; raises on a failure."""
        from multiprocessing.connection import wait
        if len(self.sentinels) == 0:
            return True
        ready = wait(self.sentinels.keys(), timeout=timeout)
        error_index = None
        for sentinel in ready:
            index = self.sentinels.pop(sentinel)
            process = self.processes[index]
            process.join()
            if process.exitcode != 0:
                error_index = index
                break
        if error_index is None:
            return len(self.sentinels) == 0
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join(grace_period)
        failed = self.processes[error_index]
        if self.error_queues[error_index].empty():
            exitcode = failed.exitcode
            if exitcode < 0:
                name = signal.Signals(-exitcode).name
                raise ProcessExitedException(f"process {error_index} terminated with signal {name}", error_index,
                                             failed.pid, exitcode, name)
            raise ProcessExitedException(f"process {error_index} terminated with exit code {exitcode}", error_index,
                                         failed.pid, exitcode)
        original_trace = self.error_queues[error_index].get()
        msg = f"\n\n-- Process {error_index} terminated with the following error:\n" + original_trace
        raise ProcessRaisedException(msg, error_index, failed.pid)


class SpawnContext(ProcessContext):
    pass


def start_processes(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Start ``nprocs`` processes running ``fn(i, *args)``; with ``join`` wait for them, else return the
    ProcessContext."""
    mp = get_context(start_method)
    error_queues = []
    processes = []
    for i in range(nprocs):
        error_queue = mp.SimpleQueue()
        process = mp.Process(target=_wrap, args=(fn, i, args, error_queue), daemon=daemon)
        process.start()
        error_queues.append(error_queue)
        processes.append(process)
    context = ProcessContext(processes, error_queues)
    if not join:
        return context
    while not context.join():
        pass
    return None


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """``start_processes`` with the 'spawn' start method, as ``torch.multiprocessing.spawn``."""
    return start_processes(fn, args, nprocs, join, daemon, start_method)
