"""What the profiler records for real code, compared with PyTorch's profiler on the same code."""
import collections
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn
import tritongrad.nn.functional as TF
from tritongrad.autograd import profiler as tg_profiler
import tritongrad.profiler as tg_torch_profiler

torch = pytest.importorskip("torch")
import torch.autograd.profiler  # noqa: E402
import torch.profiler  # noqa: E402


def _model_step(lib, nn, F):
    """A small MLP classifier: forward, cross-entropy, backward."""
    lib.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    x = lib.ones(5, 4)
    y = lib.tensor([0, 1, 0, 1, 1])
    return model, x, y


def _profile_model(lib, nn, F, profiler_module, **options):
    model, x, y = _model_step(lib, nn, F)
    with profiler_module.profile(**options) as prof:
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    return prof


def _top_level(events):
    return [e.name for e in events if e.cpu_parent is None]


def _children(event):
    return [c.name for c in event.cpu_children]


@pytest.fixture(scope="module")
def both():
    ours = _profile_model(tg, tnn, TF, tg_profiler, record_shapes=True)
    theirs = _profile_model(torch, torch.nn, torch.nn.functional, torch.autograd.profiler, record_shapes=True)
    return ours.function_events, theirs.function_events


def test_top_level_forward_ops_match_pytorch(both):
    ours, theirs = both
    forward = lambda names: [n for n in names if not n.startswith("autograd::")]  # noqa: E731
    assert forward(_top_level(ours)) == forward(_top_level(theirs))


def test_backward_nodes_match_pytorch(both):
    ours, theirs = both
    evaluate = lambda names: collections.Counter(n for n in names if n.startswith("autograd::"))  # noqa: E731
    assert evaluate(_top_level(ours)) == evaluate(_top_level(theirs))
    for events in both:
        for event in events:
            if event.name.startswith("autograd::engine::evaluate_function: "):
                node = event.name.split(": ", 1)[1]
                assert _children(event)[0] == node


def test_linear_nesting_and_shapes_match_pytorch(both):
    ours, theirs = both
    linear_ours = [e for e in ours if e.name == "aten::linear"]
    linear_theirs = [e for e in theirs if e.name == "aten::linear"]
    assert len(linear_ours) == len(linear_theirs) == 2
    for a, b in zip(linear_ours, linear_theirs):
        assert _children(a) == [n for n in _children(b) if n in ("aten::t", "aten::addmm")] == ["aten::t", "aten::addmm"]
        assert a.input_shapes == b.input_shapes
        t_ours, t_theirs = a.cpu_children[0], b.cpu_children[0]
        assert _children(t_ours) == _children(t_theirs) == ["aten::transpose"]
        assert _children(t_ours.cpu_children[0]) == _children(t_theirs.cpu_children[0]) == ["aten::as_strided"]


def test_cross_entropy_nesting_matches_pytorch(both):
    ours, theirs = both

    def tree(events):
        (loss,) = [e for e in events if e.name == "aten::cross_entropy_loss"]
        return [(c.name, [g.name for g in c.cpu_children if g.name != "aten::to"]) for c in loss.cpu_children]
    assert tree(ours) == tree(theirs)


def test_key_average_names_and_counts_of_forward_ops_match_pytorch(both):
    ours, theirs = both
    names = ["aten::linear", "aten::addmm", "aten::relu", "aten::cross_entropy_loss",
             "aten::log_softmax", "aten::nll_loss_nd", "NllLossBackward0", "AddmmBackward0",
             "torch::autograd::AccumulateGrad", "TBackward0", "ReluBackward0"]
    count = lambda events: {a.key: a.count for a in events.key_averages() if a.key in names}  # noqa: E731
    assert count(ours) == count(theirs)


def test_times_are_consistent(both):
    ours, _ = both
    for event in ours:
        assert event.time_range.end >= event.time_range.start
        assert event.self_cpu_time_total <= event.cpu_time_total + 1e-9
        for child in event.cpu_children:
            assert child.cpu_parent is event
            assert event.time_range.start <= child.time_range.start <= child.time_range.end <= event.time_range.end
    assert ours.self_cpu_time_total == pytest.approx(sum(e.cpu_time_total for e in ours if e.cpu_parent is None))


_EXPRESSIONS = {
    "add": lambda lib, a, x: a + a,
    "sub_scalar": lambda lib, a, x: a - 1,
    "mul_": lambda lib, a, x: a.clone().mul_(2),
    "iadd": lambda lib, a, x: a.clone().__iadd__(1),
    "matmul": lambda lib, a, x: a @ a.t(),
    "mean": lambda lib, a, x: a.mean(),
    "sum_dim": lambda lib, a, x: a.sum(1),
    "softmax": lambda lib, a, x: lib.softmax(a, 1),
    "view": lambda lib, a, x: a.view(12),
    "reshape": lambda lib, a, x: a.reshape(12),
    "getitem_int": lambda lib, a, x: a[0],
    "getitem_slice": lambda lib, a, x: a[1:],
    "exp": lambda lib, a, x: a.exp(),
    "tanh": lambda lib, a, x: lib.tanh(a),
    "cat": lambda lib, a, x: lib.cat([a, a]),
    "argmax": lambda lib, a, x: a.argmax(1),
    "unsqueeze": lambda lib, a, x: a.unsqueeze(0),
    "permute": lambda lib, a, x: x.permute(0, 2, 3, 1),
    "eq": lambda lib, a, x: a == a,
    "detach": lambda lib, a, x: a.detach(),
    "zeros": lambda lib, a, x: lib.zeros(3),
    "item": lambda lib, a, x: a.sum().item(),
    "conv2d": lambda lib, a, x: lib.nn.functional.conv2d(x, lib.ones(4, 3, 3, 3)),
    "max_pool2d": lambda lib, a, x: lib.nn.functional.max_pool2d(x, 2),
    "layer_norm": lambda lib, a, x: lib.nn.functional.layer_norm(a, (3,)),
    "relu": lambda lib, a, x: lib.relu(a),
}


@pytest.mark.parametrize("name", sorted(_EXPRESSIONS))
def test_top_level_op_names_match_pytorch(name):
    expression = _EXPRESSIONS[name]
    values = np.arange(12, dtype=np.float32).reshape(4, 3) / 7
    images = np.linspace(-1, 1, 150, dtype=np.float32).reshape(2, 3, 5, 5)

    def run(lib, profiler_module):
        a, x = lib.tensor(values), lib.tensor(images)
        with profiler_module.profile() as prof:
            expression(lib, a, x)
        return prof.function_events
    ours, theirs = run(tg, tg_profiler), run(torch, torch.autograd.profiler)
    skip = {"aten::clone", "aten::numpy_T", "aten::sum"} if name in ("mul_", "iadd", "item", "matmul") else set()
    assert [n for n in _top_level(ours) if n not in skip] == [n for n in _top_level(theirs) if n not in skip]
    first_chain = lambda events: [e.name for e in events if e.cpu_parent is None or  # noqa: E731
                                  (e.cpu_parent.cpu_parent is None and len(e.cpu_parent.cpu_children) == 1)]
    if name in ("getitem_int", "getitem_slice", "unsqueeze", "permute", "softmax", "max_pool2d", "relu"):
        assert first_chain(ours) == first_chain(theirs)


def test_profile_memory_matches_pytorch():
    def run(lib, profiler_module):
        with profiler_module.profile(profile_memory=True) as prof:
            a = lib.ones(100, 100)
            b = a.mm(a)
            b.sum()
            del b
        return prof.function_events
    ours, theirs = run(tg, tg_profiler), run(torch, torch.autograd.profiler)
    memory = lambda events, name: [(e.cpu_memory_usage) for e in events if e.name == name]  # noqa: E731
    for name in ("aten::ones", "aten::mm", "aten::sum"):
        assert memory(ours, name) == memory(theirs, name)
    # freeing ``b`` outside any op is a [memory] event of its own
    assert -40000 in memory(ours, "[memory]") and -40000 in memory(theirs, "[memory]")
    assert all(e.cpu_time_total == 0 for e in ours if e.name == "[memory]")
    table = ours.table()
    assert "CPU Mem" in table and "Self CPU Mem" in table and "-39.06 KB" in table


def test_with_flops_matches_pytorch():
    def run(lib, profiler_module):
        a = lib.ones(8, 6)
        b = lib.ones(6, 5)
        x, w = lib.ones(2, 3, 9, 9), lib.ones(4, 3, 3, 3)
        with profiler_module.profile(with_flops=True) as prof:
            a.mm(b)
            lib.addmm(lib.ones(5), a, b)
            a + a
            a * 2
            lib.bmm(lib.ones(2, 3, 4), lib.ones(2, 4, 5))
            lib.nn.functional.conv2d(x, w, stride=2, padding=1)
            lib.nn.functional.conv2d(lib.ones(2, 4, 9, 9), lib.ones(4, 2, 3, 3), groups=2)
        return [(e.name, e.flops) for e in prof.function_events if e.flops]
    assert run(tg, tg_profiler) == run(torch, torch.autograd.profiler)


def test_with_stack_records_python_calls_and_modules_like_pytorch():
    def run(lib):
        model = lib.nn.Linear(4, 2)
        x = lib.ones(3, 4)

        def helper(m, v):
            return m(v)
        with (tg_profiler if lib is tg else torch.autograd.profiler).profile(with_stack=True) as prof:
            helper(model, x)
        return prof.function_events
    ours, theirs = run(tg), run(torch)
    for events in (ours, theirs):
        (module_event,) = [e for e in events if e.name.startswith("nn.Module: ")]
        assert module_event.name == "nn.Module: Linear_0"
        assert module_event.cpu_parent.name.endswith(": helper")
        assert module_event.cpu_children[0].name.endswith(": _call_impl")
        (linear,) = [e for e in events if e.name == "aten::linear"]
        ancestors = []
        parent = linear.cpu_parent
        while parent is not None:
            ancestors.append(parent.name)
            parent = parent.cpu_parent
        assert "nn.Module: Linear_0" in ancestors
        assert any(name.endswith("): forward") for name in ancestors)
        assert all(e.stack == [] for e in events)
    without = tg_profiler.profile()
    with without:
        tg.nn.Linear(4, 2)(tg.ones(3, 4))
    assert not [e for e in without.function_events if e.name.startswith("nn.Module")]


def test_record_function_as_context_and_decorator():
    def run(lib, profiler_module, record_function):
        x = lib.ones(2, 2)

        @record_function("decorated")
        def f():
            return x * 2
        with profiler_module.profile() as prof:
            with record_function("outer"):
                f()
        return [(e.name, e.cpu_parent.name if e.cpu_parent else None) for e in prof.events()
                if not e.name.startswith("aten::") or e.cpu_parent.name == "decorated"]
    ours = run(tg, tg_torch_profiler, tg_torch_profiler.record_function)
    theirs = run(torch, torch.profiler, torch.profiler.record_function)
    assert ours == theirs == [("outer", None), ("decorated", "outer"), ("aten::mul", "decorated")]


def test_record_function_without_profiler_records_nothing():
    with tg_profiler.record_function("alone"):
        value = tg.ones(2) + 1
    assert value.tolist() == [2.0, 2.0]


def test_disabled_profile_and_reentry_like_pytorch():
    with tg_profiler.profile(enabled=False) as ours:
        tg.ones(2) + 1
    with torch.autograd.profiler.profile(enabled=False) as theirs:
        torch.ones(2) + 1
    assert ours is None and theirs is None
    for lib, module in ((tg, tg_profiler), (torch, torch.autograd.profiler)):
        prof = module.profile()
        assert len(prof.key_averages()) == 0 and prof.table() == "" and prof.self_cpu_time_total == 0
        with prof:
            lib.ones(2) + 1
        with pytest.raises(RuntimeError, match="^Profiler context manager is not reentrant$"):
            with prof:
                pass


def test_use_cuda_without_cuda_warns_like_pytorch():
    def caught(module, **options):
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            module.profile(**options)
        return [(r.category, str(r.message)) for r in records]
    for options in ({"use_cuda": True}, {"use_device": "cuda"}):
        assert caught(tg_profiler, **options) == caught(torch.autograd.profiler, **options)

    def activities(module):
        value = (tg if module is tg_torch_profiler else torch).ones(2)
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            with module.profile(activities=[module.ProfilerActivity.CPU, module.ProfilerActivity.CUDA]) as prof:
                value + 1
        return [str(r.message) for r in records], [e.name for e in prof.events()]
    ours, theirs = activities(tg_torch_profiler), activities(torch.profiler)
    assert ours[0] == theirs[0]
    assert ours[1][0] == theirs[1][0] == "aten::add"
    assert tg_torch_profiler.supported_activities() == {tg_torch_profiler.ProfilerActivity.CPU}
    assert {a.name: a.value for a in tg_torch_profiler.ProfilerActivity} == \
           {a.name: a.value for a in torch.profiler.ProfilerActivity.__members__.values()}


def test_start_stop_api():
    prof = tg_torch_profiler.profile()
    prof.start()
    tg.ones(2).mul(3)
    prof.stop()
    assert [e.name for e in prof.events()][-1] == "aten::mul"


def test_training_step_top_level_events_match_pytorch():
    def run(lib, profiler_module):
        lib.manual_seed(0)
        model = lib.nn.Linear(3, 2)
        optimizer = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        x = lib.ones(4, 3)
        with profiler_module.profile() as prof:
            optimizer.zero_grad()
            model(x).sum().backward()
            optimizer.step()
        return _top_level(prof.function_events)
    assert run(tg, tg_profiler) == run(torch, torch.autograd.profiler)


@pytest.mark.parametrize("device", ["cpu", "foo", "xpu", "cuda"])
def test_use_device_warnings_match_pytorch(device):
    def caught(module):
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            prof = module.profile(use_device=device)
        return [(r.category, str(r.message)) for r in records], prof.use_device
    assert caught(tg_profiler) == caught(torch.autograd.profiler)


def test_torch_profiler_api_errors_match_pytorch(tmp_path):
    def outcomes(module):
        found = []
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            module.profile(use_cuda=False)
        found.append([(r.category, str(r.message)) for r in records])
        try:
            module.profile(activities=[])
        except AssertionError as e:
            found.append(str(e))
        prof = module.profile()
        for call in (prof.events, prof.key_averages, lambda: prof.export_chrome_trace(str(tmp_path / "t.json")),
                     prof.stop):
            try:
                call()
            except AssertionError as e:
                found.append(str(e))
        return found
    assert outcomes(tg_torch_profiler) == outcomes(torch.profiler)


def test_export_stacks_requires_with_stack_like_pytorch(tmp_path):
    messages = []
    for lib, module in ((tg, tg_profiler), (torch, torch.autograd.profiler)):
        with module.profile() as prof:
            lib.ones(2) + 1
        with pytest.raises(AssertionError) as info:
            prof.export_stacks(str(tmp_path / "stacks.txt"))
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_convolutional_model_events_match_pytorch():
    def run(lib, profiler_module):
        lib.manual_seed(0)
        nn = lib.nn
        model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(18, 4),
                              nn.Dropout(0.1), nn.LogSoftmax(1))
        x = lib.ones(2, 1, 8, 8)
        target = lib.tensor([0, 1])
        with profiler_module.profile() as prof:
            loss = lib.nn.functional.nll_loss(model(x), target)
            loss.backward()
        top = _top_level(prof.function_events)
        forward = [n for n in top if not n.startswith("autograd::") and n != "aten::ones_like"]
        backward = collections.Counter(n for n in top if n.startswith("autograd::"))
        (conv,) = [e for e in prof.function_events if e.name == "aten::conv2d"]
        chain = []
        while conv is not None:
            chain.append(conv.name)
            conv = conv.cpu_children[0] if conv.cpu_children else None
        return forward, backward, chain[:4]
    assert run(tg, tg_profiler) == run(torch, torch.autograd.profiler)


def test_module_events_numbering_and_nesting_match_pytorch():
    def run(lib, profiler_module):
        lib.manual_seed(0)
        model = lib.nn.Sequential(lib.nn.Linear(4, 3), lib.nn.ReLU(), lib.nn.Linear(3, 2))
        head = lib.nn.Linear(2, 2)
        x = lib.ones(5, 4)
        with profiler_module.profile(with_stack=True) as prof:
            head(model(x))
            model(x)
        found = []
        for event in prof.function_events:
            if event.name.startswith("nn.Module: "):
                parent = event.cpu_parent
                while parent is not None and not parent.name.startswith("nn.Module: "):
                    parent = parent.cpu_parent
                found.append((event.name, parent.name if parent else None))
        return found
    assert run(tg, tg_profiler) == run(torch, torch.autograd.profiler)


def test_forward_ops_link_to_their_backward_nodes_like_pytorch():
    def run(lib, profiler_module):
        model, x, y = _model_step(lib, lib.nn, lib.nn.functional)
        with profiler_module.profile() as prof:
            lib.nn.functional.cross_entropy(model(x), y).backward()
        forward = {}
        for event in prof.function_events:
            if event.sequence_nr >= 0 and event.fwd_thread == 0 and not event.name.startswith("autograd::"):
                forward.setdefault(event.sequence_nr, []).append(event.name)
        links = {}
        for event in prof.function_events:
            if event.name.startswith("autograd::engine::evaluate_function: ") and event.sequence_nr >= 0:
                links.setdefault(event.name.split(": ", 1)[1], []).append(forward.get(event.sequence_nr, []))
        return links
    ours, theirs = run(tg, tg_profiler), run(torch, torch.autograd.profiler)
    assert sorted(ours) == sorted(theirs)
    for node, linked in ours.items():
        assert len(linked) == len(theirs[node])
        for our_ops, their_ops in zip(linked, theirs[node]):
            # the op that created the node is linked on both sides
            assert our_ops and our_ops[-1] in their_ops
