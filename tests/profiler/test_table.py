"""The summary table and the event statistics, against PyTorch's own formatter on identical events."""
import pytest

from tritongrad.autograd import profiler_util as ours

torch = pytest.importorskip("torch")
from torch.autograd import profiler_util as theirs  # noqa: E402


# nesting comes from the time ranges, as EventList._build_tree infers it
# (name, start_us, end_us, parent index, input shapes, self memory bytes, flops)
_TREE = [
    ("aten::linear", 0.0, 410.25, None, [[5, 4], [3, 4], [3]], 0, 0),
    ("aten::t", 3.5, 60.0, 0, [[3, 4]], 0, 0),
    ("aten::transpose", 10.0, 55.125, 1, [[3, 4], [], []], 0, 0),
    ("aten::as_strided", 20.0, 50.0, 2, [[3, 4], [], [], []], 0, 0),
    ("aten::addmm", 70.0, 400.0, 0, [[3], [5, 4], [4, 3], [], []], 60, 120),
    ("aten::relu", 500.0, 1700.5, None, [[5, 3]], 0, 0),
    ("aten::clamp_min", 510.0, 1690.0, 5, [[5, 3], []], 60, 0),
    ("autograd::engine::evaluate_function: AddmmBackward0", 2000.0, 2500.0, None, [], 0, 0),
    ("AddmmBackward0", 2010.0, 2490.0, 7, [[5, 3]], 0, 0),
    ("aten::mm", 2020.0, 2480.0, 8, [[5, 3], [3, 4]], 80, 2_000_000),
    ("a_very_long_record_function_name_that_goes_past_the_name_column_width", 3000.0, 1_203_000.0, None, [], 0, 0),
    ("aten::t", 1_210_000.0, 1_210_004.0, None, [[2, 2]], 0, 0),
    ("[memory]", 1_220_000.0, 1_220_000.0, None, [], -60, 0),
]


def _events(module, with_shapes=True, with_memory=False, with_flops=False):
    events = []
    for index, (name, start, end, parent, shapes, memory, flops) in enumerate(_TREE):
        events.append(module.FunctionEvent(id=index + 1, name=name, thread=1, start_us=start, end_us=end,
                                           input_shapes=shapes if with_shapes else [], stack=[],
                                           flops=flops if with_flops else None))
    if with_memory:
        # cpu_memory_usage is inclusive of the children, as the recorder fills it
        for index in reversed(range(len(_TREE))):
            events[index].cpu_memory_usage += _TREE[index][5]
            if _TREE[index][3] is not None:
                events[_TREE[index][3]].cpu_memory_usage += events[index].cpu_memory_usage
    return events


def _pair(**options):
    flags = dict(profile_memory=options.pop("with_memory", False), with_flops=options.pop("with_flops", False))
    shapes = options.pop("with_shapes", True)
    a = ours.EventList(_events(ours, shapes, flags["profile_memory"], flags["with_flops"]), **flags)
    b = theirs.EventList(_events(theirs, shapes, flags["profile_memory"], flags["with_flops"]), **flags)
    a._build_tree()
    b._build_tree()
    return a, b


@pytest.mark.parametrize("options", [
    {},
    {"sort_by": "self_cpu_time_total"},
    {"sort_by": "cpu_time_total", "row_limit": 4},
    {"sort_by": "count", "max_name_column_width": 20},
    {"header": "A header line", "top_level_events_only": True},
    {"time_unit": "ms"},
    {"time_unit": "s", "max_shapes_column_width": 12},
    {"time_unit": "us", "row_limit": 0},
])
def test_event_table_matches_pytorch(options):
    a, b = _pair()
    assert a.table(**options) == b.table(**options)


@pytest.mark.parametrize("flags", [{"with_memory": True}, {"with_flops": True}, {"with_shapes": False},
                                   {"with_memory": True, "with_flops": True, "with_shapes": False}])
def test_memory_and_flops_columns_match_pytorch(flags):
    a, b = _pair(**flags)
    assert a.table(sort_by="self_cpu_memory_usage") == b.table(sort_by="self_cpu_memory_usage")
    assert a.key_averages().table() == b.key_averages().table()


@pytest.mark.parametrize("group_by_input_shapes", [False, True])
def test_key_averages_match_pytorch(group_by_input_shapes):
    a, b = _pair(with_memory=True)
    mine = a.key_averages(group_by_input_shapes=group_by_input_shapes)
    real = b.key_averages(group_by_input_shapes=group_by_input_shapes)
    assert [e.key for e in mine] == [e.key for e in real]
    for x, y in zip(mine, real):
        assert (x.count, x.input_shapes) == (y.count, y.input_shapes)
        assert x.cpu_time_total == pytest.approx(y.cpu_time_total)
        assert x.self_cpu_time_total == pytest.approx(y.self_cpu_time_total)
        assert (x.cpu_memory_usage, x.self_cpu_memory_usage) == (y.cpu_memory_usage, y.self_cpu_memory_usage)
        assert repr(x) == repr(y)
    for sort_by in ("self_cpu_time_total", "cpu_time", "count"):
        assert mine.table(sort_by=sort_by, row_limit=6) == real.table(sort_by=sort_by, row_limit=6)


def test_totals_match_pytorch():
    a, b = _pair()
    assert a.self_cpu_time_total == pytest.approx(b.self_cpu_time_total)
    assert repr(a.total_average()) == repr(b.total_average())
    assert repr(a.key_averages().total_average()) == repr(b.key_averages().total_average())


def test_empty_table_is_empty():
    assert ours.EventList([]).table() == theirs.EventList([]).table() == ""


@pytest.mark.parametrize("value", [0, 0.5, 999.999, 1000, 1234.5678, 999_999.9, 1_000_000, 3_600_000_123.0])
def test_time_format_matches_pytorch(value):
    assert ours._format_time(value) == theirs._format_time(value)


@pytest.mark.parametrize("value", [0, 1, -4, 1023, 1024, -40000, 5 * 1024 ** 2 + 7, 3 * 1024 ** 3, -2 ** 41])
def test_memory_format_matches_pytorch(value):
    assert ours._format_memory(value) == theirs._format_memory(value)


@pytest.mark.parametrize("share", [(0, 0), (1, 3), (2.5, 2.5), (10, 1000)])
def test_time_share_format_matches_pytorch(share):
    assert ours._format_time_share(*share) == theirs._format_time_share(*share)


def test_event_fields_match_pytorch():
    a, b = _pair(with_memory=True)
    for x, y in zip(a, b):
        assert x.cpu_time_total == pytest.approx(y.cpu_time_total)
        assert x.self_cpu_time_total == pytest.approx(y.self_cpu_time_total)
        assert x.self_cpu_memory_usage == y.self_cpu_memory_usage
        assert (x.cpu_time_str, x.cpu_time_total_str, x.self_cpu_time_total_str) == \
               (y.cpu_time_str, y.cpu_time_total_str, y.self_cpu_time_total_str)
        assert x.key == y.key
        assert repr(x) == repr(y)
