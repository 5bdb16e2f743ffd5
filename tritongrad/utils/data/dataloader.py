"""DataLoader: batches from a dataset, in the main process or in worker processes."""
import atexit
import collections.abc
import contextlib
import itertools
import math
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import signal
import threading
import warnings
import weakref

import tritongrad

from . import _utils
from ._utils.worker import _IterableDatasetStopIteration, _ResumeIteration
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]

default_collate = _utils.collate.default_collate
default_convert = _utils.collate.default_convert
get_worker_info = _utils.worker.get_worker_info


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last):
        if kind == _DatasetKind.Map:
            return _utils.fetch._MapDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)
        return _utils.fetch._IterableDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)


class _InfiniteConstantSampler(Sampler):
    """Endless ``None`` s: the sampler of an IterableDataset, which only counts requests."""

    def __iter__(self):
        while True:
            yield None


def _cpu_count():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def _accelerator_available():
    cuda = getattr(tritongrad, "cuda", None)
    try:
        return bool(cuda is not None and cuda.is_available())
    except Exception:
        return False


def _pin_memory(data):
    """Pin every tensor in ``data`` (containers are rebuilt like default_convert does)."""
    if isinstance(data, tritongrad.Tensor):
        pin = getattr(data, "pin_memory", None)
        return pin() if pin is not None else data
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        return _utils.collate._rebuild_mapping(data, {key: _pin_memory(value) for key, value in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(_pin_memory(item) for item in data))
    if isinstance(data, tuple):
        return [_pin_memory(item) for item in data]
    if isinstance(data, list):
        return _utils.collate._rebuild_sequence(data, [_pin_memory(item) for item in data])
    if hasattr(data, "pin_memory"):
        return data.pin_memory()
    return data


def _record_function(name):
    """The profiler's ``record_function`` context when tritongrad has one, else a no-op."""
    profiler = getattr(getattr(tritongrad, "autograd", None), "profiler", None)
    record_function = getattr(profiler, "record_function", None)
    return record_function(name) if record_function is not None else contextlib.nullcontext()


_UNSET_ATTRS_AFTER_INIT = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class DataLoader:
    """Iterates over ``dataset`` in batches.

    Map-style datasets are read in the order of ``sampler`` (sequential, or random with
    ``shuffle=True``), grouped by ``batch_size`` (or taken from ``batch_sampler``) and merged
    with ``collate_fn`` (``default_collate``; ``default_convert`` when ``batch_size=None``).
    Iterable datasets are read in their own order. ``num_workers > 0`` loads in that many worker
    processes, each keeping ``prefetch_factor`` batches in flight, results returned in order.
    """

    _DataLoader__initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None,
                 persistent_workers=False, pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; "
                             "use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            if shuffle not in {False, None}:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified sampler option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive "
                                 "with batch_size, shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching "
                             "and is mutually exclusive with drop_last")

        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        # Set by len(loader) on an IterableDataset; iterators warn when they yield more than that.
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        return _MultiProcessingDataLoaderIter(self)

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, context):
        if context is not None:
            if self.num_workers <= 0:
                raise ValueError("multiprocessing_context can only be used with "
                                 "multi-process loading (num_workers > 0), but got "
                                 f"num_workers={self.num_workers}")
            if isinstance(context, str):
                valid = multiprocessing.get_all_start_methods()
                if context not in valid:
                    raise ValueError("multiprocessing_context option "
                                     f"should specify a valid start method in {valid!r}, but got "
                                     f"multiprocessing_context={context!r}")
                context = multiprocessing.get_context(context)
            if not isinstance(context, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context "
                                "object or a string specifying the start method, but got "
                                f"multiprocessing_context={context}")
        self.__multiprocessing_context = context

    def __setattr__(self, attr, value):
        if self.__initialized and attr in _UNSET_ATTRS_AFTER_INIT:
            raise ValueError(f"{attr} attribute should not be set after {self.__class__.__name__} is initialized")
        super().__setattr__(attr, value)

    def __iter__(self):
        # Persistent workers outlive an epoch: the same iterator is rewound instead of rebuilt.
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self):
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)

    def check_worker_number_rationality(self):
        """Warn when more workers are asked for than this process may use CPUs."""
        if not self.num_workers:
            return
        suggested = _cpu_count()
        if suggested is not None and self.num_workers <= suggested:
            return
        if suggested is None:
            advice = "DataLoader is not able to compute a suggested max number of worker in current system."
        else:
            cpuset_note = "" if hasattr(os, "sched_getaffinity") else " (`cpuset` is not taken into account)"
            advice = (f"Our suggested max number of worker in current system is {suggested}{cpuset_note}, "
                      "which is smaller than what this DataLoader is going to create.")
        warnings.warn(
            f"This DataLoader will create {self.num_workers} worker processes in total. {advice} "
            "Please be aware that excessive worker creation might get DataLoader running slow or even freeze, "
            "lower the worker number to avoid potential slowness/freeze if necessary.", stacklevel=2)


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn("pin_memory_device is deprecated, the current accelerator will be used as the device,"
                          f"ignore pin_memory_device='{loader.pin_memory_device}'.", stacklevel=3)
        has_accelerator = _accelerator_available()
        if loader.pin_memory and not has_accelerator:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        self._pin_memory = loader.pin_memory and has_accelerator
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        # Samplers are generators: creating the iterator draws nothing, so the base seed below is
        # the first draw of an epoch and a RandomSampler's own seed comes with the first batch.
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = tritongrad.empty((), dtype=tritongrad.int64).random_(generator=loader.generator).item()
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0
        self._profile_name = f"enumerate(DataLoader)#{self.__class__.__name__}.__next__"

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError("_next_data is implemented by the single- and multi-process iterators")

    def __next__(self):
        with _record_function(self._profile_name):
            data = self._next_data()
            self._num_yielded += 1
            if (self._dataset_kind == _DatasetKind.Iterable and self._IterableDataset_len_called is not None
                    and self._num_yielded > self._IterableDataset_len_called):
                message = (f"Length of IterableDataset {self._dataset} was reported to be "
                           f"{self._IterableDataset_len_called}(when accessing len(dataloader)), but "
                           f"{self._num_yielded} samples have been fetched. ")
                if self._num_workers > 0:
                    message += ("For multiprocessing data-loading, this could be caused by not properly configuring "
                                "the IterableDataset replica at each worker. Please see "
                                "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset "
                                "for examples.")
                warnings.warn(message, stacklevel=2)
            return data

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError("{} cannot be pickled", self.__class__.__name__)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        if self._timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn, self._drop_last)

    def _next_data(self):
        index = self._next_index()
        data = self._dataset_fetcher.fetch(index)
        if self._pin_memory:
            data = _pin_memory(data)
        return data


# Numbers the multi-process iterators of this process (their shared-memory file prefix).
_iterator_serial = itertools.count()

# Iterators whose workers are still running; shut down before multiprocessing's own exit hook
# terminates daemonic children, so workers get to close their queues.
_live_worker_iterators = weakref.WeakSet()
_live_worker_iterators_lock = threading.Lock()
_exit_hook_registered = False


def _shutdown_live_iterators_at_exit():
    with _live_worker_iterators_lock:
        iterators = list(_live_worker_iterators)
    for iterator in iterators:
        iterator._shutdown_workers(at_exit=True)


def _register_live_iterator(iterator):
    global _exit_hook_registered
    with _live_worker_iterators_lock:
        _live_worker_iterators.add(iterator)
        if not _exit_hook_registered:
            atexit.register(_shutdown_live_iterators_at_exit)
            _exit_hook_registered = True


def _worker_failure_message(worker):
    """What PyTorch's SIGCHLD check says about a worker that died abnormally (None if it exited 0)."""
    code = worker.exitcode
    if code is None or code == 0:
        return None
    if code < 0:
        try:
            name = signal.strsignal(-code)
        except ValueError:
            name = None
        message = f"DataLoader worker (pid {worker.pid}) is killed by signal: {name or 'Unknown signal ' + str(-code)}. "
        if -code == signal.SIGBUS:
            message += ("It is possible that dataloader's workers are out of shared memory. "
                        "Please try to raise your shared memory limit.")
        return message
    return (f"DataLoader worker (pid {worker.pid}) exited unexpectedly with exit code {code}. "
            "Details are lost due to multiprocessing. Rerunning with num_workers=0 may give better error trace.")


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Feeds sampler outputs round-robin to worker processes, at most ``prefetch_factor`` per worker
    in flight, and returns their results in sampler order (unless ``in_order=False``)."""

    def __init__(self, loader):
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        if self._num_workers <= 0:
            raise AssertionError("num_workers must be greater than 0 for MultiProcessingDataLoaderIter")
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter")
        context = loader.multiprocessing_context or multiprocessing.get_context()
        self._worker_init_fn = loader.worker_init_fn
        self._shutdown = False
        # Forked workers inherit this object; only the process that started them may stop them.
        self._owner_pid = os.getpid()
        self._shared_prefix = None
        if _utils.worker.shared_memory_available():
            self._shared_prefix = f"tritongrad-dataloader-{os.getpid()}-{next(_iterator_serial)}-"
        self._worker_result_queue = context.Queue()
        self._workers_done_event = context.Event()
        self._index_queues = []
        self._workers = []
        # True until the worker was told to exit: only those are watched for unexpected deaths.
        self._worker_expected_alive = []
        for worker_id in range(self._num_workers):
            index_queue = context.Queue()
            # Never block interpreter exit flushing requests to a worker that is gone.
            index_queue.cancel_join_thread()
            worker = context.Process(
                target=_utils.worker._worker_loop,
                args=(self._dataset_kind, self._dataset, index_queue, self._worker_result_queue,
                      self._workers_done_event, self._auto_collation, self._collate_fn, self._drop_last,
                      self._base_seed, self._worker_init_fn, worker_id, self._num_workers,
                      self._persistent_workers, self._shared_prefix))
            worker.daemon = True
            try:
                worker.start()
            except (TypeError, AttributeError, pickle.PicklingError):
                warnings.warn(
                    "Got pickle error when attempting to start a worker Process. "
                    "This might be because the worker Process arguments are not picklable. "
                    "Python 3.14+ changed the multiprocessing start method in non-Mac POSIX platforms "
                    "to 'forkserver', which requires the worker Process arguments to be picklable. "
                    "You can also try multiprocessing.set_start_method('fork').", stacklevel=2)
                self._index_queues.append(index_queue)
                self._shutdown_workers()
                raise
            self._index_queues.append(index_queue)
            self._workers.append(worker)
            self._worker_expected_alive.append(True)
        _register_live_iterator(self)
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._send_idx = 0
        self._rcvd_idx = 0
        # task index -> (worker_id,) while in flight, (worker_id, data) once arrived early
        self._task_info = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * self._num_workers
        self._workers_num_tasks = [0] * self._num_workers
        self._worker_queue_idx_cycle = itertools.cycle(range(self._num_workers))
        if not first_iter:
            # Rewind persistent workers; results of the abandoned epoch that arrive first are dropped.
            for index_queue in self._index_queues:
                index_queue.put(_ResumeIteration())
            acknowledgements = 0
            while acknowledgements < self._num_workers:
                task_index, _ = self._get_data()
                if isinstance(task_index, _ResumeIteration):
                    acknowledgements += 1
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    # -------------------------------------------------------------- receiving
    def _receive(self, timeout):
        """One (task index, data) message, or None if ``timeout`` seconds passed without one.
        Raises if a worker that should be alive has died."""
        reader = getattr(self._worker_result_queue, "_reader", None)
        watched = [worker.sentinel for worker, alive in zip(self._workers, self._worker_expected_alive) if alive]
        try:
            if reader is None:
                payload = self._worker_result_queue.get(timeout=timeout)
            else:
                ready = multiprocessing.connection.wait([reader] + watched, timeout)
                if reader not in ready:
                    if ready:
                        self._raise_for_dead_workers()
                    return None
                payload = self._worker_result_queue.get()
            return pickle.loads(payload)
        except queue.Empty:
            self._raise_for_dead_workers()
            return None
        except Exception:
            # A message cut short by a dying worker is better reported as that worker's death.
            self._raise_for_dead_workers()
            raise

    def _raise_for_dead_workers(self):
        failed = []
        for worker_id, worker in enumerate(self._workers):
            if self._worker_expected_alive[worker_id] and not worker.is_alive():
                failed.append(worker)
                self._mark_worker_as_unavailable(worker_id)
        if not failed:
            return
        pids = ", ".join(str(worker.pid) for worker in failed)
        causes = [message for message in map(_worker_failure_message, failed) if message]
        error = RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly")
        if causes:
            raise error from RuntimeError(causes[0])
        raise error

    def _get_data(self):
        if self._timeout > 0:
            message = self._receive(self._timeout)
            if message is None:
                self._raise_for_dead_workers()
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            return message
        while True:
            # Wake up now and then even without events, in case a death went unnoticed.
            message = self._receive(_utils.MP_STATUS_CHECK_INTERVAL)
            if message is not None:
                return message
            self._raise_for_dead_workers()

    # -------------------------------------------------------------- scheduling
    def _next_data(self):
        while True:
            # Skip tasks whose worker has gone quiet (an exhausted IterableDataset replica).
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info:
                    if len(info) == 2 or self._workers_status[info[0]]:
                        break
                    del self._task_info[self._rcvd_idx]
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration

            if len(self._task_info[self._rcvd_idx]) == 2:
                worker_id, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

            if self._shutdown or self._tasks_outstanding <= 0:
                raise AssertionError("Invalid iterator state: shutdown or no outstanding tasks when fetching next data")
            task_index, data = self._get_data()
            self._tasks_outstanding -= 1
            if self._dataset_kind == _DatasetKind.Iterable and isinstance(data, _IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if task_index != self._rcvd_idx:
                if not self._in_order:
                    worker_id = self._task_info.pop(task_index)[0]
                    return self._process_data(data, worker_id)
                self._task_info[task_index] += (data,)
            else:
                worker_id = self._task_info.pop(task_index)[0]
                self._rcvd_idx += 1
                return self._process_data(data, worker_id)

    def _try_put_index(self):
        max_tasks = self._prefetch_factor * self._num_workers
        if self._tasks_outstanding >= max_tasks:
            raise AssertionError("Number of outstanding tasks exceeded maximum allowed tasks")
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = next(self._worker_queue_idx_cycle)
            if self._workers_status[worker_id]:
                if self._in_order:
                    break
                if self._workers_num_tasks[worker_id] < max_tasks // sum(self._workers_status):
                    break
        else:
            return
        self._index_queues[worker_id].put((self._send_idx, index))
        self._task_info[self._send_idx] = (worker_id,)
        self._workers_num_tasks[worker_id] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    def _process_data(self, data, worker_id):
        self._workers_num_tasks[worker_id] -= 1
        self._try_put_index()
        if isinstance(data, _utils.ExceptionWrapper):
            data.reraise()
        if self._pin_memory:
            data = _pin_memory(data)
        return data

    # -------------------------------------------------------------- shutdown
    def _mark_worker_as_unavailable(self, worker_id):
        self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False
        self._worker_expected_alive[worker_id] = False

    def _shutdown_workers(self, at_exit=False):
        if not at_exit and _utils.python_exit_status is not False:
            # Interpreter teardown: module state may be gone; the exit hooks handle the workers.
            return
        if self._shutdown or os.getpid() != self._owner_pid:
            return
        self._shutdown = True
        try:
            self._workers_done_event.set()
            for worker_id in range(len(self._workers)):
                if self._worker_expected_alive[worker_id]:
                    self._mark_worker_as_unavailable(worker_id)
            for worker in self._workers:
                worker.join(timeout=_utils.MP_STATUS_CHECK_INTERVAL)
            for index_queue in self._index_queues:
                index_queue.cancel_join_thread()
                index_queue.close()
            self._worker_result_queue.cancel_join_thread()
            self._worker_result_queue.close()
        finally:
            for worker in self._workers:
                if worker.is_alive():
                    worker.terminate()
                    worker.join(timeout=_utils.MP_STATUS_CHECK_INTERVAL)
            if self._shared_prefix is not None:
                _utils.worker.remove_shared_files(self._shared_prefix)
            with _live_worker_iterators_lock:
                _live_worker_iterators.discard(self)

    def __del__(self):
        if getattr(self, "_workers", None) is not None:
            self._shutdown_workers()
