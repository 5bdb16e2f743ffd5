"""The profiler's results: FunctionEvent, FunctionEventAvg, EventList, and the summary table."""
import bisect
import gzip
import json
import math
import os
from collections import defaultdict
from enum import Enum

__all__ = ["EventList", "FormattedTimesMixin", "Interval", "Kernel", "FunctionEvent", "FunctionEventAvg",
           "StringTable", "MemRecordsAcc", "DeviceType"]


class DeviceType(Enum):
    """The device an event ran on (the members PyTorch's profiler reports)."""
    CPU = 0
    CUDA = 1

    def __repr__(self):
        return f"DeviceType.{self.name}"

    __str__ = __repr__


def _format_time(time_us):
    """A time in microseconds as PyTorch's tables print it: us, ms or s with three decimals."""
    if time_us >= 1000.0 * 1000.0:
        return f"{time_us / (1000.0 * 1000.0):.3f}s"
    if time_us >= 1000.0:
        return f"{time_us / 1000.0:.3f}ms"
    return f"{time_us:.3f}us"


def _format_time_share(time_us, total_time_us):
    """``time_us`` as a percentage of ``total_time_us``; NaN when nothing was timed."""
    if total_time_us == 0:
        if time_us != 0:
            raise AssertionError(f"Expected time_us == 0 but got {time_us}")
        return "NaN"
    return f"{time_us * 100.0 / total_time_us:.2f}%"


def _format_memory(nbytes):
    """A byte count in B, KB, MB or GB (powers of 1024)."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if abs(nbytes) >= size:
            return f"{nbytes * 1.0 / size:.2f} {unit}"
    return f"{nbytes} B"


def _time_property(name):
    return property(lambda self: _format_time(getattr(self, name)))


class FormattedTimesMixin:
    """``*_str`` properties (formatted times) and per-call averages for events and averages."""

    cpu_time_str = _time_property("cpu_time")
    device_time_str = _time_property("device_time")
    cpu_time_total_str = _time_property("cpu_time_total")
    device_time_total_str = _time_property("device_time_total")
    self_cpu_time_total_str = _time_property("self_cpu_time_total")
    self_device_time_total_str = _time_property("self_device_time_total")

    @property
    def cpu_time(self):
        return 0.0 if self.count == 0 else 1.0 * self.cpu_time_total / self.count

    @property
    def device_time(self):
        return 0.0 if self.count == 0 else 1.0 * self.device_time_total / self.count

    @property
    def cuda_time(self):
        return self.device_time


class Interval:
    """A start/end pair in microseconds."""

    def __init__(self, start, end):
        self.start = start
        self.end = end

    def elapsed_us(self):
        return self.end - self.start


class Kernel:
    """A device kernel launched by an op (name, device index, duration in us)."""

    def __init__(self, name, device, duration):
        self.name = name
        self.device = device
        self.duration = duration


class StringTable(defaultdict):
    """Identity string table (kept for API compatibility: PyTorch demangles names here)."""

    def __missing__(self, key):
        self[key] = key
        return key


class MemRecordsAcc:
    """Memory records sorted by time, searchable by interval."""

    def __init__(self, mem_records):
        self._mem_records = mem_records
        self._start_nses = [r[0].start_ns() for r in mem_records]
        self._indices = sorted(range(len(mem_records)), key=lambda i: self._start_nses[i])
        self._start_nses = [self._start_nses[i] for i in self._indices]

    def in_interval(self, start_us, end_us):
        lo = bisect.bisect_left(self._start_nses, start_us * 1000)
        hi = bisect.bisect_right(self._start_nses, end_us * 1000)
        for i in range(lo, hi):
            yield self._mem_records[self._indices[i]]


class FunctionEvent(FormattedTimesMixin):
    """One recorded range: an operator, a ``record_function`` block, a backward node or a Python call.

    Times are microseconds. ``cpu_children``/``cpu_parent`` give the nesting on the event's thread.
    """

    def __init__(self, id, name, thread, start_us, end_us, overload_name=None, fwd_thread=None, input_shapes=None,
                 stack=None, scope=0, use_device=None, cpu_memory_usage=0, device_memory_usage=0, is_async=False,
                 is_remote=False, sequence_nr=-1, node_id=-1, device_type=DeviceType.CPU, device_index=0,
                 device_resource_id=None, is_legacy=False, flops=None, trace_name=None, concrete_inputs=None,
                 kwinputs=None, is_user_annotation=False, metadata_json=None):
        self.id = id
        self.node_id = node_id
        self.name = name
        self.overload_name = overload_name
        self.trace_name = trace_name
        self.time_range = Interval(start_us, end_us)
        self.thread = thread
        self.fwd_thread = fwd_thread
        self.kernels = []
        self.count = 1
        self.cpu_children = []
        self.cpu_parent = None
        self.input_shapes = input_shapes
        self.concrete_inputs = concrete_inputs
        self.kwinputs = kwinputs
        self.stack = stack
        self.scope = scope
        self.use_device = use_device
        self.cpu_memory_usage = cpu_memory_usage
        self.device_memory_usage = device_memory_usage
        self.is_async = is_async
        self.is_remote = is_remote
        self.sequence_nr = sequence_nr
        self.device_type = device_type
        self.device_index = device_index
        self.device_resource_id = thread if device_resource_id is None else device_resource_id
        self.is_legacy = is_legacy
        self.flops = flops
        self.is_user_annotation = is_user_annotation
        self.self_cpu_percent = -1
        self.total_cpu_percent = -1
        self.total_device_percent = -1
        self.metadata_json = metadata_json
        # what the trace writer needs beyond PyTorch's public fields: the category and OS thread id
        self._category = "cpu_op"
        self._tid = thread

    def append_kernel(self, name, device, duration):
        if self.device_type != DeviceType.CPU:
            raise AssertionError("Expected device_type to be CPU")
        self.kernels.append(Kernel(name, device, duration))

    def append_cpu_child(self, child):
        """Add ``child`` as a CPU child of this event (same thread, time range inside ours)."""
        if self.device_type != DeviceType.CPU:
            raise AssertionError("Expected device_type to be CPU")
        if not isinstance(child, FunctionEvent):
            raise AssertionError("Expected child to be a FunctionEvent")
        if child.device_type != DeviceType.CPU:
            raise AssertionError("Expected child device_type to be CPU")
        self.cpu_children.append(child)

    def set_cpu_parent(self, parent):
        if self.device_type != DeviceType.CPU:
            raise AssertionError("Expected device_type to be CPU")
        if not isinstance(parent, FunctionEvent):
            raise AssertionError("Expected parent to be a FunctionEvent")
        if parent.device_type != DeviceType.CPU:
            raise AssertionError("Expected parent device_type to be CPU")
        self.cpu_parent = parent

    @property
    def self_cpu_memory_usage(self):
        if self.is_async or self.device_type != DeviceType.CPU:
            return 0
        return self.cpu_memory_usage - sum(child.cpu_memory_usage for child in self.cpu_children)

    @property
    def self_device_memory_usage(self):
        if self.is_async or self.device_type != DeviceType.CPU:
            return 0
        return self.device_memory_usage - sum(child.device_memory_usage for child in self.cpu_children)

    @property
    def self_cuda_memory_usage(self):
        return self.self_device_memory_usage

    @property
    def cuda_memory_usage(self):
        return self.device_memory_usage

    @property
    def cpu_time_total(self):
        if self.device_type == DeviceType.CPU:
            return self.time_range.elapsed_us()
        return 0

    @property
    def self_cpu_time_total(self):
        if self.is_async or self.device_type != DeviceType.CPU:
            return 0
        return self.cpu_time_total - sum(child.cpu_time_total for child in self.cpu_children)

    @property
    def device_time_total(self):
        if self.is_async or not self.use_device:
            return 0
        if self.device_type == DeviceType.CPU:
            return sum(kernel.duration for kernel in self.kernels)
        return self.time_range.elapsed_us()

    @property
    def self_device_time_total(self):
        if self.is_async or not self.use_device:
            return 0
        if self.device_type == DeviceType.CPU:
            return self.device_time_total - sum(child.device_time_total for child in self.cpu_children)
        return self.device_time_total

    @property
    def cuda_time_total(self):
        return self.device_time_total

    @property
    def self_cuda_time_total(self):
        return self.self_device_time_total

    @property
    def key(self):
        return self.name

    def __repr__(self):
        device_name = self.use_device
        return (f"<FunctionEvent id={self.id} name={self.name} overload_name={self.overload_name} "
                f"device_type={self.device_type} node_id={self.node_id} cpu_time={self.cpu_time_str} "
                f"start_us={self.time_range.start} end_us={self.time_range.end} "
                f"cpu_children={[child.id for child in self.cpu_children]} "
                f"{device_name}_time={self.device_time_str} name={self.name} thread={self.thread} "
                f"input_shapes={self.input_shapes} cpu_memory_usage={self.cpu_memory_usage} "
                f"{device_name}_memory_usage={self.device_memory_usage} is_async={self.is_async} "
                f"is_remote={self.is_remote} seq_nr={self.sequence_nr} is_legacy={self.is_legacy}>")


class FunctionEventAvg(FormattedTimesMixin):
    """Statistics summed over the events that share a key (see ``EventList.key_averages``)."""

    def __init__(self):
        self.key = None
        self.count = 0
        self.node_id = 0
        self.is_async = False
        self.is_remote = False
        self.use_device = None
        self.cpu_time_total = 0
        self.device_time_total = 0
        self.self_cpu_time_total = 0
        self.self_device_time_total = 0
        self.input_shapes = None
        self.overload_name = None
        self.stack = None
        self.scope = None
        self.cpu_memory_usage = 0
        self.device_memory_usage = 0
        self.self_cpu_memory_usage = 0
        self.self_device_memory_usage = 0
        self.cpu_children = None
        self.cpu_parent = None
        self.device_type = DeviceType.CPU
        self.is_legacy = False
        self.flops = 0
        self.is_user_annotation = False

    def add(self, other):
        if self.key is None:
            # the first event fixes the non-additive fields
            self.key = other.key
            self.node_id = other.node_id
            self.is_async = other.is_async
            self.is_remote = other.is_remote
            self.cpu_parent = other.cpu_parent
            self.cpu_children = other.cpu_children
            self.overload_name = other.overload_name
            self.input_shapes = other.input_shapes
            self.stack = other.stack
            self.scope = other.scope
            self.device_type = other.device_type
            self.is_legacy = other.is_legacy
            self.use_device = other.use_device
            self.is_user_annotation = other.is_user_annotation
        if not isinstance(other, (FunctionEvent, FunctionEventAvg)):
            raise AssertionError("Expected other to be a FunctionEvent or FunctionEventAvg")
        if other.key != self.key:
            raise AssertionError(f"Expected keys to match, but got {other.key} vs {self.key}")
        self.cpu_time_total += other.cpu_time_total
        self.device_time_total += other.device_time_total
        self.self_cpu_time_total += other.self_cpu_time_total
        self.self_device_time_total += other.self_device_time_total
        self.cpu_memory_usage += other.cpu_memory_usage
        self.device_memory_usage += other.device_memory_usage
        self.self_cpu_memory_usage += other.self_cpu_memory_usage
        self.self_device_memory_usage += other.self_device_memory_usage
        self.count += other.count
        if self.flops is None:
            self.flops = other.flops
        elif other.flops is not None:
            self.flops += other.flops
        return self

    def __iadd__(self, other):
        return self.add(other)

    @property
    def self_cuda_time_total(self):
        return self.self_device_time_total

    @property
    def cuda_time_total(self):
        return self.device_time_total

    @property
    def cuda_memory_usage(self):
        return self.device_memory_usage

    @property
    def self_cuda_memory_usage(self):
        return self.self_device_memory_usage

    def __repr__(self):
        device_name = "cuda" if not self.use_device else self.use_device
        return (f"<FunctionEventAvg key={self.key} self_cpu_time={self.self_cpu_time_total_str} "
                f"cpu_time={self.cpu_time_str}  self_{device_name}_time={self.self_device_time_total_str} "
                f"{device_name}_time={self.device_time_str} input_shapes={self.input_shapes} "
                f"cpu_memory_usage={self.cpu_memory_usage} {device_name}_memory_usage={self.device_memory_usage}>")


class EventList(list):
    """A list of profiler events with the summary helpers (table, averages, trace export)."""

    def __init__(self, *args, **kwargs):
        use_device = kwargs.pop("use_device", None)
        profile_memory = kwargs.pop("profile_memory", False)
        with_flops = kwargs.pop("with_flops", False)
        super().__init__(*args, **kwargs)
        self._use_device = use_device
        self._profile_memory = profile_memory
        self._with_flops = with_flops
        self._tree_built = False

    def _build_tree(self):
        """Order the events by start time and, for a flat list, nest them by time range per thread."""
        self.sort(key=lambda event: (event.time_range.start, -event.time_range.end))
        if not any(getattr(e, "cpu_parent", None) is not None or getattr(e, "cpu_children", None) for e in self):
            open_by_thread = defaultdict(list)
            for event in self:
                if not isinstance(event, FunctionEvent) or event.device_type != DeviceType.CPU or event.is_async:
                    continue
                stack = open_by_thread[event.thread]
                # an open event that ends before this one starts, or ends before it, cannot hold it
                while stack and (event.time_range.start >= stack[-1].time_range.end
                                 or event.time_range.end > stack[-1].time_range.end):
                    stack.pop()
                if stack:
                    event.set_cpu_parent(stack[-1])
                    stack[-1].append_cpu_child(event)
                stack.append(event)
        self._tree_built = True

    def __str__(self):
        return self.table()

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75, max_name_column_width=55,
              max_shapes_column_width=80, header=None, top_level_events_only=False, time_unit=None):
        """The events as PyTorch's summary table, sorted by the attribute ``sort_by`` (descending)."""
        return _build_table(self, sort_by=sort_by, row_limit=row_limit, max_src_column_width=max_src_column_width,
                            max_name_column_width=max_name_column_width,
                            max_shapes_column_width=max_shapes_column_width, header=header,
                            profile_memory=self._profile_memory, with_flops=self._with_flops,
                            top_level_events_only=top_level_events_only, time_unit=time_unit)

    def export_chrome_trace(self, path):
        """Write the events as a Chrome trace (JSON ``traceEvents``), readable by Perfetto and chrome://tracing."""
        _write_chrome_trace(self, path)

    def supported_export_stacks_metrics(self):
        return ["self_cpu_time_total", "self_cuda_time_total", "self_xpu_time_total",
                "self_privateuse1_time_total"]

    def export_stacks(self, path, metric):
        """Write ``frame;frame;...;frame value`` lines (flame-graph input) for events that carry a stack."""
        if metric not in self.supported_export_stacks_metrics():
            raise ValueError("metric should be one of: " + str(self.supported_export_stacks_metrics()))
        translate_table = str.maketrans(" ;\t\n", "____")
        metric = metric.replace("cuda", "device").replace("xpu", "device").replace("privateuse1", "device")
        with open(path, "w") as f:
            for event in self:
                if event.stack and len(event.stack) > 0:
                    metric_value = getattr(event, metric)
                    if int(metric_value) > 0:
                        stack_str = ""
                        for entry in reversed(event.stack):
                            stack_str += entry.translate(translate_table)
                            stack_str += ";"
                        stack_str = stack_str[:-1] + " " + str(int(metric_value))
                        f.write(stack_str + "\n")

    def key_averages(self, group_by_input_shapes=False, group_by_stack_n=0, group_by_overload_name=False):
        """Average the events over their key (name; with the options also input shapes, stack, overload)."""
        if not self._tree_built:
            raise AssertionError("Expected tree to be built before calling key_averages")
        stats = defaultdict(FunctionEventAvg)

        def get_key(event):
            key = [str(event.key), str(event.node_id), str(event.device_type), str(event.is_legacy),
                   str(event.is_user_annotation)]
            if group_by_overload_name:
                key.append(str(event.overload_name))
            if group_by_input_shapes:
                key.append(str(event.input_shapes))
            if group_by_stack_n > 0:
                key += (event.stack or [])[:group_by_stack_n]
            return tuple(key)

        for event in self:
            stats[get_key(event)].add(event)
        averages = EventList(stats.values(), use_device=self._use_device, profile_memory=self._profile_memory,
                             with_flops=self._with_flops)
        for average in averages:
            average.stack = (average.stack or [])[:group_by_stack_n]
            if not group_by_input_shapes:
                average.input_shapes = ""
        return averages

    def total_average(self):
        """All events summed into one FunctionEventAvg with key ``Total``."""
        total = FunctionEventAvg()
        for event in self:
            total += event
            total.key = None
        total.key = "Total"
        return total

    @property
    def self_cpu_time_total(self):
        return sum(event.self_cpu_time_total for event in self)


def _build_table(events, sort_by=None, header=None, row_limit=100, max_src_column_width=75,
                 max_name_column_width=55, max_shapes_column_width=80, with_flops=False, profile_memory=False,
                 top_level_events_only=False, time_unit=None):
    """The summary table: right-aligned columns of width 12 (name, shapes and source sized to fit), two spaces
    after each column, dashed rules, and a ``Self CPU time total`` line."""
    if len(events) == 0:
        return ""
    has_device_time = any(event.self_device_time_total > 0 for event in events)
    has_device_mem = any(event.self_device_memory_usage > 0 for event in events)
    use_device = events[0].use_device
    if not use_device and has_device_time:
        raise RuntimeError("use_device is None, but there is device performance data.")
    has_input_shapes = any(event.input_shapes is not None and len(event.input_shapes) > 0 for event in events)
    has_overload_names = any(event.overload_name is not None and len(event.overload_name) > 0 for event in events)

    if sort_by is not None:
        attribute = sort_by.replace("cuda", "device").replace("xpu", "device").replace("privateuse1", "device")
        events = sorted(events, key=lambda event: getattr(event, attribute), reverse=True)

    name_width = max(len(event.key) for event in events) + 4
    if max_name_column_width is not None:
        name_width = min(name_width, max_name_column_width)
    shapes_width = max(len(str(event.input_shapes)) for event in events) + 4
    if max_shapes_column_width is not None:
        shapes_width = min(shapes_width, max_shapes_column_width)
    stacks = [event.stack for event in events if event.stack is not None and len(event.stack) > 0]
    has_stack = len(stacks) > 0
    src_width = None
    if has_stack:
        src_width = max(len(entry) for stack in stacks for entry in stack) + 4
        if max_src_column_width is not None:
            src_width = min(src_width, max_src_column_width)

    column = 12
    device_name = use_device.upper() if use_device is not None else "None"
    headers = ["Name"]
    widths = [name_width]
    aligns = [">"]
    if has_overload_names:
        headers.append("Overload Name")
        widths.append(name_width)
        aligns.append(">")
    numeric = ["Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg"]
    if has_device_time:
        numeric += [f"Self {device_name}", f"Self {device_name} %", f"{device_name} total",
                    f"{device_name} time avg"]
    if profile_memory:
        numeric += ["CPU Mem", "Self CPU Mem"]
        if use_device and has_device_mem:
            numeric += [f"{device_name} Mem", f"Self {device_name} Mem"]
    numeric.append("# of Calls")
    append_node_id = any(event.node_id != -1 for event in events)
    if append_node_id:
        numeric.append("Node ID")
    headers += numeric
    widths += [column] * len(numeric)
    aligns += [">"] * len(numeric)
    if has_input_shapes:
        headers.append("Input Shapes")
        widths.append(shapes_width)
        aligns.append(">")
    if has_stack:
        headers.append("Source Location")
        widths.append(src_width)
        aligns.append("<")
    flops_scale = 1.0
    if with_flops:
        positive = [event.flops for event in events if event.flops and event.flops > 0]
        if positive:
            flops_scale, flops_unit = _flops_unit(min(positive))
            headers.append(f"Total {flops_unit}")
            widths.append(column)
            aligns.append(">")
        else:
            with_flops = False

    def format_row(values):
        return "".join(f"{str(value):{align}{width}}  " for value, align, width in zip(values, aligns, widths))

    rule = "".join("-" * width + "  " for width in widths)
    line_length = sum(width + 2 for width in widths) - 2

    def trim_path(path):
        if len(path) > src_width:
            path = path[len(path) - src_width:]
            if len(path) > 3:
                path = "..." + path[3:]
        return path

    def time_text(time_us):
        if time_unit == "s":
            return f"{time_us / 1e6:.3f}s"
        if time_unit == "ms":
            return f"{time_us / 1e3:.3f}ms"
        if time_unit == "us":
            return f"{time_us:.3f}us"
        return _format_time(time_us)

    sum_self_cpu = 0
    sum_self_device = 0
    for event in events:
        sum_self_cpu += event.self_cpu_time_total
        if event.device_type == DeviceType.CPU and event.is_legacy:
            sum_self_device += event.self_device_time_total
        elif event.device_type != DeviceType.CPU and not event.is_user_annotation:
            sum_self_device += event.self_device_time_total

    lines = []
    if header is not None:
        lines += ["=" * line_length, header]
    if top_level_events_only:
        lines += ["=" * line_length, "This report only display top-level ops statistics"]
    lines += [rule, format_row(headers), rule]

    shown = 0
    for event in events:
        if shown == row_limit:
            break
        if top_level_events_only and event.cpu_parent is not None:
            continue
        shown += 1
        name = event.key
        if max_name_column_width is not None and len(name) >= max_name_column_width - 3:
            name = name[:max_name_column_width - 3] + "..."
        event.self_cpu_percent = _format_time_share(event.self_cpu_time_total, sum_self_cpu)
        event.total_cpu_percent = (_format_time_share(event.cpu_time_total, sum_self_cpu)
                                   if not event.is_async else 0)
        row = [name]
        if has_overload_names:
            overload = event.overload_name
            if max_name_column_width is not None and len(overload) >= max_name_column_width - 3:
                overload = overload[:max_name_column_width - 3] + "..."
            row.append(overload)
        row += [event.self_cpu_percent, time_text(event.self_cpu_time_total), event.total_cpu_percent,
                time_text(event.cpu_time_total), time_text(event.cpu_time)]
        if has_device_time:
            event.total_device_percent = _format_time_share(event.self_device_time_total, sum_self_device)
            row += [time_text(event.self_device_time_total), event.total_device_percent,
                    time_text(event.device_time_total), time_text(event.device_time)]
        if profile_memory:
            row += [_format_memory(event.cpu_memory_usage), _format_memory(event.self_cpu_memory_usage)]
            if use_device and has_device_mem:
                row += [_format_memory(event.device_memory_usage), _format_memory(event.self_device_memory_usage)]
        row.append(event.count)
        if append_node_id:
            row.append(event.node_id)
        if has_input_shapes:
            row.append(str(event.input_shapes)[:shapes_width])
        if has_stack:
            row.append(trim_path(event.stack[0]) if event.stack else "")
        if with_flops:
            row.append("--" if not event.flops or event.flops <= 0 else f"{event.flops * flops_scale:8.3f}")
        lines.append(format_row(row))
        if has_stack:
            blanks = [""] * (len(headers) - 1)
            for entry in event.stack[1:]:
                lines.append(format_row(blanks + [trim_path(entry)]))
            lines.append(format_row(blanks + [""]))
    lines.append(rule)
    lines.append(f"Self CPU time total: {time_text(sum_self_cpu)}")
    if has_device_time:
        lines.append(f"Self {device_name} time total: {time_text(sum_self_device)}")
    return "".join(line + "\n" for line in lines)


def _flops_unit(flops):
    """(scale, unit) for a FLOP count: the largest of FLOPs, KFLOPs, ... PFLOPs not above it."""
    units = ["FLOPs", "KFLOPs", "MFLOPs", "GFLOPs", "TFLOPs", "PFLOPs"]
    power = max(0, min(math.log10(flops) / 3, float(len(units) - 1)))
    return pow(10, math.floor(power) * -3.0), units[int(power)]


# ------------------------------------------------------------------ Chrome trace

def _chrome_trace_dict(events, trace_name=None, base_time_ns=None, metadata=None):
    """The trace-event JSON object: metadata rows, complete ("X") events and memory instants ("i")."""
    pid = os.getpid()
    trace = []
    threads = []
    for event in events:
        if event._tid not in threads:
            threads.append(event._tid)
    first_ts = min((event.time_range.start for event in events), default=0.0)
    trace.append({"ph": "M", "name": "process_name", "ts": first_ts, "pid": pid, "tid": 0,
                  "args": {"name": "python"}})
    trace.append({"ph": "M", "name": "process_labels", "ts": first_ts, "pid": pid, "tid": 0,
                  "args": {"labels": "CPU"}})
    trace.append({"ph": "M", "name": "process_sort_index", "ts": first_ts, "pid": pid, "tid": 0,
                  "args": {"sort_index": pid}})
    for tid in threads:
        trace.append({"ph": "M", "name": "thread_name", "ts": first_ts, "pid": pid, "tid": tid,
                      "args": {"name": f"thread {tid} (python)"}})
        trace.append({"ph": "M", "name": "thread_sort_index", "ts": first_ts, "pid": pid, "tid": tid,
                      "args": {"sort_index": tid}})
    for index, event in enumerate(events):
        start = round(event.time_range.start, 3)
        if event.name == "[memory]":
            trace.append({"ph": "i", "cat": "cpu_instant_event", "s": "t", "name": "[memory]", "pid": pid,
                          "tid": event._tid, "ts": start,
                          "args": {"Total Reserved": 0, "Total Allocated": getattr(event, "_total_allocated", 0),
                                   "Bytes": event.cpu_memory_usage, "Device Id": -1, "Device Type": 0,
                                   "Ev Idx": index}})
            continue
        args = {"External id": event.id, "Ev Idx": index}
        if event.sequence_nr >= 0:
            args["Sequence number"] = event.sequence_nr
            args["Fwd thread id"] = event.fwd_thread or 0
        if event.input_shapes:
            args["Input Dims"] = event.input_shapes
        if event.flops:
            args["flops"] = event.flops
        trace.append({"ph": "X", "cat": event._category, "name": event.trace_name or event.name, "pid": pid, "tid": event._tid,
                      "ts": start, "dur": round(event.time_range.elapsed_us(), 3), "args": args})
    data = {"schemaVersion": 1, "deviceProperties": []}
    # user metadata (``add_metadata``/``add_metadata_json``) are top-level fields, values given as JSON text
    for key, text in (metadata or {}).items():
        try:
            data[key] = json.loads(text)
        except ValueError:
            data[key] = text
    data.update({"displayTimeUnit": "ms", "baseTimeNanoseconds": base_time_ns if base_time_ns is not None else 0,
                 "traceEvents": trace, "traceName": trace_name or ""})
    return data


def _write_chrome_trace(events, path, base_time_ns=None, metadata=None):
    data = _chrome_trace_dict(events, trace_name=str(path), base_time_ns=base_time_ns, metadata=metadata)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt") as f:
        json.dump(data, f, indent=1)
