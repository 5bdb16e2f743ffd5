"""torch.profiler: ``profile`` with activities, schedules and trace handlers; ``record_function``; ``itt``."""
import gzip
import os
import socket
import time
import warnings
from enum import Enum

from ..autograd import profiler as prof
from ..autograd.profiler import record_function, KinetoStepTracker
from . import itt

__all__ = ["profile", "schedule", "supported_activities", "tensorboard_trace_handler", "record_function",
           "ProfilerAction", "ProfilerActivity", "itt", "ExecutionTraceObserver", "_KinetoProfile"]


class ProfilerActivity(Enum):
    """What a profiler records: CPU ops, or kernels on an accelerator."""
    CPU = 0
    XPU = 1
    CUDA = 2
    HPU = 3
    MTIA = 4
    PrivateUse1 = 5

    def __repr__(self):
        return f"<ProfilerActivity.{self.name}: {self.value}>"

    @property
    def value_name(self):
        return self.name


class ProfilerAction(Enum):
    """What the profiler does during a step, as a schedule returns it."""
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3
    DEVICE_STOPPED = 4


def supported_activities():
    """The activities this build can record: CPU, plus CUDA when a GPU is present."""
    from .. import cuda
    activities = {ProfilerActivity.CPU}
    if cuda.is_available():
        activities.add(ProfilerActivity.CUDA)
    return activities


def schedule(*, wait, warmup, active, repeat=0, skip_first=0, skip_first_wait=0):
    """A step -> ProfilerAction function: skip ``skip_first`` steps, then cycles of ``wait`` idle steps,
    ``warmup`` steps and ``active`` recorded steps (the last one saves), ``repeat`` times (0: forever)."""

    def schedule_fn(step):
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait != 0:
            step += wait
        num_steps = wait + warmup + active
        if repeat > 0 and step / num_steps >= repeat:
            return ProfilerAction.NONE
        mod_step = step % num_steps
        if mod_step < wait:
            return ProfilerAction.NONE
        if mod_step < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD if mod_step < num_steps - 1 else ProfilerAction.RECORD_AND_SAVE

    if not (wait >= 0 and warmup >= 0 and active > 0 and repeat >= 0 and skip_first >= 0):
        raise AssertionError(
            f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} (need >= 0), "
            f"active={active} (need > 0), repeat={repeat} (need >= 0), skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn("Profiler won't be using warmup, this can skew profiler results", stacklevel=2)
    return schedule_fn


def _default_schedule_fn(_):
    """Without a schedule, every step records."""
    return ProfilerAction.RECORD


def tensorboard_trace_handler(dir_name, worker_name=None, use_gzip=False):
    """An ``on_trace_ready`` handler writing ``<worker>.<time_ns>.pt.trace.json[.gz]`` into ``dir_name``."""

    def handler_fn(prof_inst):
        if not os.path.isdir(dir_name):
            try:
                os.makedirs(dir_name, exist_ok=True)
            except Exception as e:
                raise RuntimeError("Can't create directory: " + dir_name) from e
        name = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        file_name = f"{name}.{time.time_ns()}.pt.trace.json"
        if use_gzip:
            file_name = file_name + ".gz"
        prof_inst.export_chrome_trace(os.path.join(dir_name, file_name))

    return handler_fn


class _KinetoProfile:
    """The profiler without a schedule: ``start()``, ``stop()``, then read events or export."""

    def __init__(self, *, activities=None, record_shapes=False, profile_memory=False, with_stack=False,
                 with_flops=False, with_modules=False, experimental_config=None, execution_trace_observer=None,
                 acc_events=False, custom_trace_id_callback=None, post_processing_timeout_s=None):
        self.activities = set(activities) if activities else supported_activities()
        self.record_shapes = record_shapes
        self.with_flops = with_flops
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_modules = with_modules
        self.experimental_config = experimental_config
        self.execution_trace_observer = execution_trace_observer
        self.acc_events = acc_events
        self.custom_trace_id_callback = custom_trace_id_callback
        self.post_processing_timeout_s = post_processing_timeout_s
        self.profiler = None
        self.has_cudagraphs = False
        self.mem_tl = None
        self.use_device = None
        if ProfilerActivity.CUDA in self.activities:
            self.use_device = "cuda"
        self.preset_metadata = {}

    def start(self):
        self.prepare_trace()
        self.start_trace()

    def stop(self):
        self.stop_trace()

    def prepare_trace(self):
        if self.profiler is None or not self.acc_events:
            self.profiler = prof.profile(use_cpu=(ProfilerActivity.CPU in self.activities),
                                         use_device=self.use_device, record_shapes=self.record_shapes,
                                         with_flops=self.with_flops, profile_memory=self.profile_memory,
                                         with_stack=self.with_stack, with_modules=self.with_modules,
                                         use_kineto=True, experimental_config=self.experimental_config,
                                         acc_events=self.acc_events,
                                         custom_trace_id_callback=self.custom_trace_id_callback)
        self.profiler._prepare_trace()

    def start_trace(self):
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before starting trace")
        self.profiler._start_trace(_caller_frame())
        if self.profile_memory:
            self.add_metadata_json("profile_memory", "1")
        if self.with_stack:
            self.add_metadata_json("with_stack", "1")
        if self.record_shapes:
            self.add_metadata_json("record_shapes", "1")
        if self.with_modules:
            self.add_metadata_json("with_modules", "1")
        if self.with_flops:
            self.add_metadata_json("with_flops", "1")

    def stop_trace(self):
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before stopping trace")
        self.profiler.__exit__(None, None, None)
        # metadata belongs to the recorded window: what is added after it ends is not written
        self.profiler._trace_metadata = dict(self.preset_metadata)

    def export_chrome_trace(self, path):
        """Write the last recorded window as a Chrome trace JSON (``.gz``: compressed)."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before exporting chrome trace")
        if path.endswith(".gz"):
            # write to a temporary plain file first, as PyTorch does, then compress it
            plain = path[:-3] + ".tmp"
            self.profiler.export_chrome_trace(plain, _metadata=self._window_metadata())
            with open(plain, "rb") as fin, gzip.open(path, "wb") as fout:
                fout.writelines(fin)
            os.remove(plain)
            return None
        return self.profiler.export_chrome_trace(path, _metadata=self._window_metadata())

    def _window_metadata(self):
        recorded = getattr(self.profiler, "_trace_metadata", None)
        return dict(self.preset_metadata) if recorded is None else recorded

    def export_stacks(self, path, metric="self_cpu_time_total"):
        """Write ``frame;...;frame value`` lines for the events that carry a stack."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before exporting stacks")
        return self.profiler.export_stacks(path, metric)

    def events(self):
        """The FunctionEvents of the last recorded window (an EventList)."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before accessing events")
        return self.profiler.function_events

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False):
        """Events averaged by name (optionally by input shape and stack): an EventList of FunctionEventAvg."""
        if self.profiler is None:
            raise AssertionError("Profiler must be initialized before getting key averages")
        return self.profiler.key_averages(group_by_input_shape, group_by_stack_n, group_by_overload_name)

    def add_metadata(self, key, value):
        """Attach a string key/value to the trace."""
        self.preset_metadata[key] = '"' + value.replace('"', '\\"') + '"'

    def add_metadata_json(self, key, value):
        """Attach a key with a JSON value (given as text) to the trace."""
        self.preset_metadata[key] = value

    def preset_metadata_json(self, key, value):
        self.preset_metadata[key] = value

    def _get_distributed_info(self):
        return None

    def export_memory_timeline(self, path, device=None):
        raise NotImplementedError("export_memory_timeline: the memory timeline (per-category allocation plot) is "
                                  "not recorded by tritongrad's profiler")


def _caller_frame():
    """The first frame outside the profiler's own modules (where the user started profiling)."""
    import sys
    frame = sys._getframe(1)
    here = os.path.dirname(os.path.abspath(__file__))
    own = (os.path.abspath(prof.__file__), here)
    while frame is not None and (os.path.abspath(frame.f_code.co_filename) == own[0]
                                 or os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == own[1]):
        frame = frame.f_back
    return frame


class profile(_KinetoProfile):
    """The profiler as a context manager or with ``start()``/``step()``/``stop()``.

    ``schedule`` maps each step number to an action (idle, warm up, record, record and save); when a recorded
    window ends, ``on_trace_ready(prof)`` is called (e.g. ``tensorboard_trace_handler(dir)``). Each step
    records a ``ProfilerStep#<n>`` range when a schedule is given.
    """

    def __init__(self, *, activities=None, schedule=None, on_trace_ready=None, record_shapes=False,
                 profile_memory=False, with_stack=False, with_flops=False, with_modules=False,
                 experimental_config=None, execution_trace_observer=None, acc_events=False, use_cuda=None,
                 custom_trace_id_callback=None, post_processing_timeout_s=None):
        activities_set = set(activities) if activities is not None else supported_activities()
        if use_cuda is not None:
            warnings.warn("`use_cuda` is deprecated, use `activities` argument instead", FutureWarning,
                          stacklevel=2)
            if use_cuda:
                activities_set.add(ProfilerActivity.CUDA)
            elif ProfilerActivity.CUDA in activities_set:
                activities_set.remove(ProfilerActivity.CUDA)
        if len(activities_set) == 0:
            raise AssertionError("No valid profiler activities found")
        super().__init__(activities=activities_set, record_shapes=record_shapes, profile_memory=profile_memory,
                         with_stack=with_stack, with_flops=with_flops, with_modules=with_modules,
                         experimental_config=experimental_config, execution_trace_observer=execution_trace_observer,
                         acc_events=acc_events, custom_trace_id_callback=custom_trace_id_callback,
                         post_processing_timeout_s=post_processing_timeout_s)
        if schedule:
            self.schedule = schedule
            self.record_steps = True
        else:
            self.schedule = _default_schedule_fn
            self.record_steps = False
        self.on_trace_ready = on_trace_ready
        self.step_num = 0
        self.current_action = self.schedule(self.step_num)
        self.step_rec_fn = None
        A = ProfilerAction
        self.action_map = {
            (A.NONE, A.NONE): [],
            (A.NONE, A.WARMUP): [self.prepare_trace],
            (A.NONE, A.RECORD): [self.prepare_trace, self.start_trace],
            (A.NONE, A.RECORD_AND_SAVE): [self.prepare_trace, self.start_trace],
            (A.WARMUP, A.NONE): [lambda: warnings.warn("Incorrect schedule: WARMUP followed by NONE",
                                                       stacklevel=2), self.start_trace, self.stop_trace],
            (A.WARMUP, A.WARMUP): [],
            (A.WARMUP, A.RECORD): [self.start_trace],
            (A.WARMUP, A.RECORD_AND_SAVE): [self.start_trace],
            (A.RECORD, A.NONE): [lambda: warnings.warn("Incorrect schedule: RECORD followed by NONE",
                                                       stacklevel=2), self.stop_trace],
            (A.RECORD, A.WARMUP): [lambda: warnings.warn("Incorrect schedule: RECORD followed by WARMUP",
                                                         stacklevel=2), self.stop_trace],
            (A.RECORD, A.RECORD): [],
            (A.RECORD, A.RECORD_AND_SAVE): [],
            (A.RECORD_AND_SAVE, A.NONE): [self.stop_trace, self._trace_ready],
            (A.RECORD_AND_SAVE, A.WARMUP): [self.stop_trace, self._trace_ready, self.prepare_trace],
            (A.RECORD_AND_SAVE, A.RECORD): [self.stop_trace, self._trace_ready, self.prepare_trace,
                                            self.start_trace],
            (A.RECORD_AND_SAVE, A.RECORD_AND_SAVE): [self.stop_trace, self._trace_ready, self.prepare_trace,
                                                     self.start_trace],
            (A.WARMUP, None): [self.start_trace, self.stop_trace],
            (A.RECORD, None): [self.stop_trace, self._trace_ready],
            (A.RECORD_AND_SAVE, None): [self.stop_trace, self._trace_ready],
        }
        KinetoStepTracker.init_step_count("ProfilerStep")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.stop()
        KinetoStepTracker.erase_step_count("ProfilerStep")

    def start(self):
        """Begin profiling: run the actions the schedule gives for the current step."""
        self._transit_action(ProfilerAction.NONE, self.current_action)
        if self.record_steps:
            self.step_rec_fn = record_function("ProfilerStep#" + str(self.step_num))
            self.step_rec_fn.__enter__()

    def stop(self):
        """End profiling; a window still recording is finished (and handed to ``on_trace_ready``)."""
        if self.record_steps and self.step_rec_fn:
            self.step_rec_fn.__exit__(None, None, None)
        self._transit_action(self.current_action, None)

    def step(self):
        """Mark the end of a training step: the schedule decides what the next step does."""
        if self.record_steps and self.step_rec_fn:
            self.step_rec_fn.__exit__(None, None, None)
        prev_action = self.current_action
        self.step_num += 1
        self.current_action = self.schedule(self.step_num)
        self._transit_action(prev_action, self.current_action)
        KinetoStepTracker.increment_step("ProfilerStep")
        if self.record_steps:
            self.step_rec_fn = record_function("ProfilerStep#" + str(self.step_num))
            self.step_rec_fn.__enter__()

    def set_custom_trace_id_callback(self, callback):
        self.custom_trace_id_callback = callback

    def get_trace_id(self):
        return None

    def _trace_ready(self):
        if self.on_trace_ready:
            self.on_trace_ready(self)

    def _transit_action(self, prev_action, current_action):
        for action in self.action_map.get((prev_action, current_action), []):
            action()

    def _stats(self):
        return None


class ExecutionTraceObserver:
    """Records an execution trace (the graph of ops with their arguments) to a JSON file."""

    def __init__(self):
        raise NotImplementedError("ExecutionTraceObserver: execution-graph traces are not recorded by tritongrad")
