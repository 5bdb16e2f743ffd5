"""The DataLoader worker process: its main loop, its seeding, ``get_worker_info``, and how tensors
travel between processes."""
import contextlib
import io
import itertools
import mmap
import os
import pickle
import queue
import random
import sys
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler

import numpy as np

import tritongrad
from tritongrad._tensor import Tensor

from . import ExceptionWrapper

_worker_info = None

# How often an idle worker checks whether it should stop or its parent has gone.
_IDLE_POLL_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a worker knows about itself: ``id`` (0 .. num_workers - 1), ``num_workers``, ``seed``
    (the seed its default generator got) and ``dataset`` (this process's copy)."""

    id: int
    num_workers: int
    seed: int
    dataset: object
    rng: object = None
    worker_method: str = "multiprocessing"


def get_worker_info():
    """The :class:`WorkerInfo` of the current DataLoader worker process, or ``None`` in the main
    process."""
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    """A worker's answer when its copy of an IterableDataset is exhausted."""

    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    """Sent to persistent workers at the start of a new epoch; echoed back once they restarted."""

    seed: int = None


def _generate_state(base_seed, worker_id):
    """The four 32-bit words PyTorch seeds numpy's global RandomState with in a worker: numpy's
    SeedSequence hash of (worker_id, low and high halves of base_seed, 0)."""
    mask32 = 0xFFFFFFFF
    entropy = [worker_id & mask32, base_seed & mask32, (base_seed >> 32) & mask32, 0]
    sequence = np.random.SeedSequence(entropy, pool_size=4)
    return [int(word) for word in sequence.generate_state(4, dtype=np.uint32)]


# ---------------------------------------------------------------------------------------------
# Tensors in transit. Worker results go through multiprocessing's pickler; this reducer sends a
# CPU tensor as the numpy buffer its elements span (so views keep their strides) and rebuilds a
# fresh leaf tensor on the other side, independent of how Tensor pickles itself elsewhere.

_SPAN_SLACK = 4  # a view spanning more than this many times its numel travels as a compact copy


def _rebuild_tensor(flat, shape, strides, requires_grad, device):
    if flat.size:
        itemsize = flat.itemsize
        array = np.lib.stride_tricks.as_strided(flat, shape=shape, strides=[s * itemsize for s in strides])
    else:
        array = flat.reshape(shape)
    tensor = Tensor._make(array)
    if device != "cpu":
        tensor = tensor.to(device)
    if requires_grad:
        tensor.requires_grad_(True)
    return tensor


def _reduce_tensor(tensor):
    if tensor.requires_grad and not tensor.is_leaf:
        raise RuntimeError(
            "Cowardly refusing to serialize non-leaf tensor which requires_grad, since autograd does not "
            "support crossing process boundaries.  If you just want to transfer the data, call detach() on "
            "the tensor before serializing (e.g., putting it on the queue).")
    device = str(tensor.device)
    array = tensor.detach().cpu()._data
    itemsize = array.itemsize
    if array.size == 0:
        return _rebuild_tensor, (np.empty(0, dtype=array.dtype), array.shape, (), tensor.requires_grad, device)
    strides = [s // itemsize for s in array.strides]
    span = 1 + sum((n - 1) * s for n, s in zip(array.shape, strides))
    if min(array.strides, default=0) < 0 or any(s % itemsize for s in array.strides) \
            or span > _SPAN_SLACK * array.size:
        array = np.ascontiguousarray(array)
        strides = [s // itemsize for s in array.strides]
        span = array.size
    # A contiguous 1-D view of exactly the span: pickling it copies those bytes and no more.
    flat = np.lib.stride_tricks.as_strided(array, shape=(span,), strides=(itemsize,))
    shared_name = _write_shared_file(flat)
    if shared_name is not None:
        return _rebuild_tensor_from_shared_file, (shared_name, flat.dtype, span, array.shape, tuple(strides),
                                                  tensor.requires_grad, device)
    return _rebuild_tensor, (flat, array.shape, tuple(strides), tensor.requires_grad, device)


# Large results of DataLoader workers travel through files in shared memory instead of the
# result pipe, which moves data an order of magnitude slower. The worker writes the file; the
# main process maps it and unlinks it as soon as it unpickles the result, so the memory lives
# exactly as long as the tensor. Files are named with a per-iterator prefix so that results
# which are never received (an abandoned epoch) are removed when the iterator shuts down.
_SHARED_DIR = "/dev/shm"
_SHARED_MIN_BYTES = 1 << 20
_shared_prefix = None  # set in worker processes only: plain pickling elsewhere stays in-band
_shared_counter = itertools.count()


def shared_memory_available():
    return sys.platform.startswith("linux") and os.path.isdir(_SHARED_DIR) and os.access(_SHARED_DIR, os.W_OK)


def remove_shared_files(prefix):
    """Delete the shared-memory files whose names start with ``prefix`` (results never received)."""
    try:
        names = os.listdir(_SHARED_DIR)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(_SHARED_DIR, name))


def _write_shared_file(flat):
    """The name of a new shared-memory file holding ``flat``'s bytes, or None to send them in-band."""
    if _shared_prefix is None or flat.nbytes < _SHARED_MIN_BYTES:
        return None
    name = f"{_shared_prefix}{next(_shared_counter)}"
    path = os.path.join(_SHARED_DIR, name)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    except OSError:
        return None
    try:
        # Reserve the pages now: writing to a mapping beyond what tmpfs can hold would be SIGBUS.
        os.posix_fallocate(fd, 0, flat.nbytes)
        with mmap.mmap(fd, flat.nbytes) as mapping:
            destination = np.frombuffer(mapping, dtype=np.uint8)
            destination[:] = flat.view(np.uint8)
            del destination
    except (OSError, ValueError, BufferError):
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    os.close(fd)
    return name


def _rebuild_tensor_from_shared_file(name, dtype, span, shape, strides, requires_grad, device):
    path = os.path.join(_SHARED_DIR, name)
    fd = os.open(path, os.O_RDWR)
    try:
        os.unlink(path)
        mapping = mmap.mmap(fd, span * dtype.itemsize)
    finally:
        os.close(fd)
    flat = np.frombuffer(mapping, dtype=np.uint8).view(dtype)
    return _rebuild_tensor(flat, shape, strides, requires_grad, device)


ForkingPickler.register(Tensor, _reduce_tensor)


def _dumps(message):
    buffer = io.BytesIO()
    # Protocol 5 writes array data straight from the array, without an intermediate copy.
    ForkingPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(message)
    return buffer.getvalue()


def _encode(message, worker_id):
    """Pickle a (task index, result) pair here, in the worker's own thread, so that an unpicklable
    result becomes an exception the main process re-raises instead of a lost message."""
    try:
        return _dumps(message)
    except Exception:
        wrapper = ExceptionWrapper(where=f"in DataLoader worker process {worker_id}")
    try:
        return _dumps((message[0], wrapper))
    except Exception:
        # The exception type itself cannot be pickled (e.g. a class defined inside a function).
        wrapper.exc_type = RuntimeError
        return _dumps((message[0], wrapper))


def _seed_worker(base_seed, worker_id):
    seed = base_seed + worker_id
    random.seed(seed)
    tritongrad.manual_seed(seed)
    np.random.seed(_generate_state(base_seed, worker_id))
    return seed


def _worker_loop(dataset_kind, dataset, index_queue, data_queue, done_event, auto_collation, collate_fn,
                 drop_last, base_seed, init_fn, worker_id, num_workers, persistent_workers, shared_prefix=None):
    """Serve (task index, sampler output) requests from ``index_queue`` until told to stop with
    ``None`` or until the main process disappears."""
    from ..dataloader import _DatasetKind

    global _shared_prefix
    if shared_prefix is not None:
        _shared_prefix = f"{shared_prefix}{worker_id}-"
    parent_pid = os.getppid()
    try:
        set_num_threads = getattr(tritongrad, "set_num_threads", None)
        if set_num_threads is not None:
            set_num_threads(1)
        seed = _seed_worker(base_seed, worker_id)
        global _worker_info
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)

        where = f"in DataLoader worker process {worker_id}"
        pending_init_error = None
        fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = _DatasetKind.create_fetcher(dataset_kind, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            pending_init_error = ExceptionWrapper(where=where)

        iteration_ended = False
        while os.getppid() == parent_pid:
            try:
                request = index_queue.get(timeout=_IDLE_POLL_INTERVAL)
            except queue.Empty:
                # The final None may never arrive (its queue can be finalised by the garbage
                # collector before the iterator shuts down), so the done event ends the loop too.
                if done_event.is_set():
                    break
                continue
            if isinstance(request, _ResumeIteration):
                data_queue.put(_encode((request, None), worker_id))
                iteration_ended = False
                fetcher = _DatasetKind.create_fetcher(dataset_kind, dataset, auto_collation, collate_fn, drop_last)
                continue
            if request is None:
                break
            if done_event.is_set() or iteration_ended:
                continue
            task_index, sampler_output = request
            if pending_init_error is not None:
                result, pending_init_error = pending_init_error, None
            else:
                try:
                    result = fetcher.fetch(sampler_output)
                except StopIteration:
                    if dataset_kind != _DatasetKind.Iterable:
                        result = ExceptionWrapper(where=where)
                    else:
                        result = _IterableDatasetStopIteration(worker_id)
                        iteration_ended = True
                except Exception:
                    result = ExceptionWrapper(where=where)
            data_queue.put(_encode((task_index, result), worker_id))
            del result, request, sampler_output
    except KeyboardInterrupt:
        # The main process sees the interrupt too and shuts the workers down.
        pass
    if _shared_prefix is not None and os.getppid() != parent_pid:
        # Orphaned: nobody will map what this worker sent, nor clean it up.
        remove_shared_files(_shared_prefix)
    if done_event.is_set():
        data_queue.cancel_join_thread()
        data_queue.close()
