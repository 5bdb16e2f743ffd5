"""Chrome traces a viewer can open; schedules and on_trace_ready; the patching leaves no trace behind."""
import gzip
import json
import os
import warnings

import pytest

import tritongrad as tg
import tritongrad.profiler as tgp
from tritongrad.autograd import profiler as tg_profiler


def _load(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def _check_trace(data, expected_names):
    """The fields a trace viewer needs: complete events with name/ph/ts/dur/pid/tid, nested per thread."""
    assert isinstance(data["traceEvents"], list)
    complete = [e for e in data["traceEvents"] if e["ph"] == "X"]
    for event in data["traceEvents"]:
        assert event["ph"] in ("X", "M", "i")
        assert isinstance(event["name"], str) and "pid" in event and "tid" in event
        assert isinstance(event["ts"], (int, float))
    for event in complete:
        assert isinstance(event["dur"], (int, float)) and event["dur"] >= 0
        assert isinstance(event["cat"], str)
    names = [e["name"] for e in complete]
    for name in expected_names:
        assert name in names
    # intervals on one thread either nest or are disjoint (what makes a flame chart)
    by_thread = {}
    for event in complete:
        by_thread.setdefault(event["tid"], []).append((event["ts"], event["ts"] + event["dur"]))
    for spans in by_thread.values():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for start, end in spans:
            while stack and start >= stack[-1][1] - 1e-3:
                stack.pop()
            if stack:
                assert end <= stack[-1][1] + 1e-3
            stack.append((start, end))
    metadata = {e["name"] for e in data["traceEvents"] if e["ph"] == "M"}
    assert {"process_name", "thread_name"} <= metadata


def test_export_chrome_trace_is_valid_json(tmp_path):
    model = tg.nn.Linear(4, 2)
    with tg_profiler.profile(record_shapes=True, profile_memory=True) as prof:
        with tg_profiler.record_function("forward"):
            model(tg.ones(3, 4)).sum().backward()
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    data = _load(path)
    _check_trace(data, ["forward", "aten::linear", "aten::addmm", "aten::sum",
                        "autograd::engine::evaluate_function: SumBackward0"])
    (linear,) = [e for e in data["traceEvents"] if e["name"] == "aten::linear"]
    assert linear["args"]["Input Dims"] == [[3, 4], [2, 4], [2]]
    assert [e["cat"] for e in data["traceEvents"] if e["name"] == "forward"] == ["user_annotation"]


def test_export_chrome_trace_gzip_and_tensorboard_handler(tmp_path):
    directory = tmp_path / "logs"
    with tgp.profile(schedule=tgp.schedule(wait=0, warmup=1, active=1, repeat=1),
                     on_trace_ready=tgp.tensorboard_trace_handler(str(directory), worker_name="w0",
                                                                  use_gzip=True)) as prof:
        for _ in range(3):
            tg.ones(2, 2).mul(2)
            prof.step()
    files = os.listdir(directory)
    assert len(files) == 1 and files[0].startswith("w0.") and files[0].endswith(".pt.trace.json.gz")
    data = _load(directory / files[0])
    _check_trace(data, ["ProfilerStep#1", "aten::mul"])


def test_export_before_running_fails_like_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    errors = []
    for module in (tg_profiler, torch.autograd.profiler):
        with pytest.raises(AttributeError) as info:
            module.profile().export_chrome_trace(str(tmp_path / "x.json"))
        errors.append(str(info.value))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("arguments", [
    dict(wait=1, warmup=1, active=2, repeat=2, skip_first=1),
    dict(wait=0, warmup=1, active=1),
    dict(wait=2, warmup=1, active=1, repeat=2, skip_first_wait=1),
    dict(wait=3, warmup=2, active=3, repeat=1, skip_first=2, skip_first_wait=1),
])
def test_schedule_actions_match_pytorch(arguments):
    torch = pytest.importorskip("torch")
    ours = tgp.schedule(**arguments)
    theirs = torch.profiler.schedule(**arguments)
    assert [ours(i).name for i in range(30)] == [theirs(i).name for i in range(30)]


@pytest.mark.parametrize("arguments", [dict(wait=0, warmup=0, active=0), dict(wait=-1, warmup=1, active=1),
                                       dict(wait=1, warmup=0, active=1)])
def test_schedule_errors_and_warnings_match_pytorch(arguments):
    torch = pytest.importorskip("torch")
    outcomes = []
    for module in (tgp, torch.profiler):
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            try:
                module.schedule(**arguments)
                outcome = None
            except AssertionError as e:
                outcome = str(e)
        outcomes.append((outcome, [str(r.message) for r in records]))
    assert outcomes[0] == outcomes[1]


def _run_schedule(module, lib, steps, **schedule_arguments):
    ready = []

    def on_trace_ready(prof):
        ready.append((prof.step_num, sorted({e.name for e in prof.events()
                                             if not e.name.startswith("aten::") or e.name == "aten::add"})))
    x = lib.ones(2, 2)
    with module.profile(schedule=module.schedule(**schedule_arguments), on_trace_ready=on_trace_ready) as prof:
        for i in range(steps):
            with module.record_function(f"work{i}"):
                x + i
            prof.step()
    return ready


@pytest.mark.parametrize("steps, arguments", [
    (6, dict(wait=1, warmup=1, active=2, repeat=1)),
    (10, dict(wait=1, warmup=1, active=1, repeat=3)),
    (5, dict(wait=0, warmup=1, active=2)),
    (4, dict(wait=1, warmup=1, active=3, skip_first=1)),
])
def test_on_trace_ready_called_on_the_right_steps_like_pytorch(steps, arguments):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = _run_schedule(tgp, tg, steps, **arguments)
        theirs = _run_schedule(torch.profiler, torch, steps, **arguments)
    assert ours == theirs
    assert ours


def test_default_profile_calls_on_trace_ready_once_at_stop():
    calls = []
    with tgp.profile(on_trace_ready=lambda p: calls.append(len(p.events()))) as prof:
        tg.ones(2) + 1
        prof.step()
        tg.ones(2) + 1
    assert calls == [len(prof.events())] and calls[0] > 0


def _bindings():
    from tritongrad._tensor import Tensor
    from tritongrad import _ops
    snapshot = {("Tensor", k): v for k, v in vars(Tensor).items()}
    snapshot.update({("tg", k): v for k, v in vars(tg).items()})
    snapshot.update({("pointwise", k): v for k, v in vars(_ops.pointwise).items()})
    snapshot.update({("F", k): v for k, v in vars(tg.nn.functional).items()})
    return snapshot


def test_stopping_restores_every_binding_even_after_an_error():
    from tritongrad.autograd import engine
    before = _bindings()
    with pytest.raises(RuntimeError):
        with tg_profiler.profile(with_stack=True, profile_memory=True):
            assert tg.add is not before[("tg", "add")]
            tg.ones(2, 3) @ tg.ones(2, 3)
    after = _bindings()
    assert [k for k in before if before[k] is not after.get(k)] == []
    assert engine.evaluate_hook[0] is None and tg_profiler._active[0] is None
    import sys
    assert sys.getprofile() is None


def test_exception_inside_op_closes_its_events():
    with pytest.raises(RuntimeError):
        with tg_profiler.profile() as prof:
            tg.ones(2, 3).mm(tg.ones(2, 3))
    (mm,) = [e for e in prof.function_events if e.name == "aten::mm"]
    assert mm.time_range.end >= mm.time_range.start


def test_nested_profiler_inner_records():
    with tg_profiler.profile() as outer:
        tg.ones(2) + 1
        with tg_profiler.profile() as inner:
            tg.ones(2) * 2
        tg.ones(2) - 1
    assert "aten::mul" in [e.name for e in inner.function_events]
    assert "aten::add" in [e.name for e in outer.function_events]
    assert "aten::mul" not in [e.name for e in outer.function_events]
    assert tg_profiler._active[0] is None


def test_profiled_results_equal_unprofiled():
    tg.manual_seed(3)
    model = tg.nn.Sequential(tg.nn.Linear(3, 4), tg.nn.Tanh(), tg.nn.Linear(4, 1))
    x = tg.randn(6, 3)
    plain = model(x).sum()
    plain.backward()
    plain_grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    with tg_profiler.profile(record_shapes=True, profile_memory=True, with_stack=True, with_flops=True):
        profiled = model(x).sum()
        profiled.backward()
    assert profiled.item() == plain.item()
    for p, g in zip(model.parameters(), plain_grads):
        assert tg.equal(p.grad, g)


def test_export_stacks_and_group_by_stack(tmp_path):
    with tg_profiler.profile(with_stack=True) as prof:
        tg.ones(2).mul(2)
    path = tmp_path / "stacks.txt"
    prof.export_stacks(str(path))
    # PyTorch 2.13 keeps op stacks empty (the Python calls are events of their own), so nothing is written
    assert path.read_text() == ""
    assert prof.key_averages(group_by_stack_n=3).table().startswith("-")
    with pytest.raises(ValueError, match="metric should be one of"):
        prof.export_stacks(str(path), "wall_time")


def test_importing_the_profiler_changes_no_binding():
    import subprocess
    import sys
    code = """
import tritongrad as tg
from tritongrad._tensor import Tensor
from tritongrad import _ops
def snapshot():
    out = {("Tensor", k): v for k, v in vars(Tensor).items()}
    out.update({("tg", k): v for k, v in vars(tg).items() if k != "profiler"})
    out.update({("pointwise", k): v for k, v in vars(_ops.pointwise).items()})
    out.update({("F", k): v for k, v in vars(tg.nn.functional).items()})
    return out
before = snapshot()
import tritongrad.profiler, tritongrad.autograd.profiler
from tritongrad.autograd import engine
after = snapshot()
print(sorted(str(k) for k in before if before[k] is not after.get(k)), engine.evaluate_hook[0])
"""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True,
                         env=dict(os.environ, PYTHONPATH=root))
    assert out.stdout.strip() == "[] None"


def test_ops_on_other_threads_are_recorded_on_their_own_thread():
    import threading
    with tg_profiler.profile() as prof:
        label = tg_profiler.record_function("spans_threads")
        label.__enter__()
        worker = threading.Thread(target=lambda: tg.ones(3).mul(2))
        worker.start()
        worker.join()
        tg.ones(2).add(1)
        closer = threading.Thread(target=lambda: label.__exit__(None, None, None))
        closer.start()
        closer.join()
        tg.ones(2).sub(1)
    events = prof.function_events
    (mul,) = [e for e in events if e.name == "aten::mul"]
    (add,) = [e for e in events if e.name == "aten::add"]
    (sub,) = [e for e in events if e.name == "aten::sub"]
    (span,) = [e for e in events if e.name == "spans_threads"]
    assert mul.thread != add.thread and mul.cpu_parent is None
    assert add.cpu_parent is span
    # the range closed on another thread ends there; it no longer holds later ops
    assert sub.cpu_parent is None and span.time_range.end <= sub.time_range.start


def test_trace_metadata_like_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    found = []
    for lib, module in ((tg, tgp), (torch, torch.profiler)):
        with module.profile(record_shapes=True) as prof:
            lib.ones(2) + 1
            prof.add_metadata("run", "first try")
            prof.add_metadata_json("settings", '{"lr": 0.5, "steps": [1, 2]}')
        prof.add_metadata("late", "after the window")
        path = tmp_path / f"{lib.__name__}.json"
        prof.export_chrome_trace(str(path))
        data = _load(path)
        found.append({key: data.get(key) for key in ("run", "settings", "record_shapes", "schemaVersion", "late")})
    assert found[0] == found[1]


def test_with_stack_traces_threads_started_while_recording():
    import threading

    def work_in_thread():
        tg.ones(2).mul(2)
    with tg_profiler.profile(with_stack=True) as prof:
        worker = threading.Thread(target=work_in_thread)
        worker.start()
        worker.join()
    (mul,) = [e for e in prof.function_events if e.name == "aten::mul"]
    assert mul.cpu_parent is not None and mul.cpu_parent.name.endswith(": work_in_thread")
    assert threading.getprofile() is None
