"""Learning-rate schedules, state dicts, warnings and errors against the PyTorch oracle."""
import math
import warnings

import numpy as np
import pytest

import tritongrad.optim as tg_optim
from tritongrad.optim import lr_scheduler as tg_sched

from optim_test_helpers import tg_leaf

torch = pytest.importorskip("torch")
torch_sched = torch.optim.lr_scheduler


class Scale:
    """A callable object: LambdaLR saves its __dict__ in state_dict."""

    def __init__(self, factor):
        self.factor = factor

    def __call__(self, epoch):
        return self.factor ** epoch


def _two_group_optimizers(name="SGD", **kwargs):
    torch_params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    tg_params = [tg_leaf(np.zeros(2, np.float32)), tg_leaf(np.zeros(3, np.float32))]
    groups = lambda ps: [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.05}]  # noqa: E731
    return (getattr(torch.optim, name)(groups(torch_params), lr=0.1, **kwargs),
            getattr(tg_optim, name)(groups(tg_params), lr=0.1, **kwargs))


SCHEDULERS = {
    "LambdaLR": (dict(), lambda m, o: m.LambdaLR(o, lambda e: 0.95 ** e)),
    "LambdaLR-list-object": (dict(), lambda m, o: m.LambdaLR(o, [Scale(0.9), lambda e: 1.0 / (e + 1)])),
    "MultiplicativeLR": (dict(), lambda m, o: m.MultiplicativeLR(o, lambda e: 0.97)),
    "StepLR": (dict(), lambda m, o: m.StepLR(o, step_size=4, gamma=0.5)),
    "MultiStepLR": (dict(), lambda m, o: m.MultiStepLR(o, milestones=[3, 7, 7, 20], gamma=0.3)),
    "ConstantLR": (dict(), lambda m, o: m.ConstantLR(o, factor=0.4, total_iters=6)),
    "LinearLR": (dict(), lambda m, o: m.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=12)),
    "ExponentialLR": (dict(), lambda m, o: m.ExponentialLR(o, gamma=0.9)),
    "CosineAnnealingLR": (dict(), lambda m, o: m.CosineAnnealingLR(o, T_max=7, eta_min=0.001)),
    "CosineAnnealingWarmRestarts": (dict(), lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2,
                                                                                       eta_min=0.002)),
    "PolynomialLR": (dict(), lambda m, o: m.PolynomialLR(o, total_iters=20, power=2.0)),
    "OneCycleLR": (dict(momentum=0.9), lambda m, o: m.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=31)),
    "OneCycleLR-adam-linear-3phase": (dict(_name="Adam"), lambda m, o: m.OneCycleLR(
        o, max_lr=0.3, epochs=4, steps_per_epoch=8, anneal_strategy="linear", three_phase=True)),
    "CyclicLR": (dict(momentum=0.9), lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.2], step_size_up=4,
                                                             step_size_down=6)),
    "CyclicLR-triangular2": (dict(momentum=0.9), lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=3,
                                                                         mode="triangular2")),
    "CyclicLR-exp_range-adam": (dict(_name="Adam"), lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=5,
                                                                            mode="exp_range", gamma=0.97)),
    "SequentialLR": (dict(), lambda m, o: m.SequentialLR(
        o, [m.LinearLR(o, start_factor=0.1, total_iters=5), m.ExponentialLR(o, 0.9), m.StepLR(o, 3)],
        milestones=[5, 14])),
    "ChainedScheduler": (dict(), lambda m, o: m.ChainedScheduler(
        [m.ConstantLR(o, factor=0.5, total_iters=4), m.ExponentialLR(o, 0.9)])),
}


def _build(key):
    opt_kwargs, make = SCHEDULERS[key]
    opt_kwargs = dict(opt_kwargs)
    name = opt_kwargs.pop("_name", "SGD")
    torch_opt, tg_opt = _two_group_optimizers(name, **opt_kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch_opt, tg_opt, make(torch_sched, torch_opt), make(tg_sched, tg_opt)


def _group_view(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


def _comparable_state(value):
    if isinstance(value, dict):
        return {k: _comparable_state(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable_state(v) for v in value]
    return value


def _assert_same_schedule_state(torch_scheduler, tg_scheduler):
    t_sd, g_sd = torch_scheduler.state_dict(), tg_scheduler.state_dict()
    assert list(g_sd) == list(t_sd)
    for key in t_sd:
        if key in ("_schedulers",):
            for t_child, g_child in zip(t_sd[key], g_sd[key]):
                assert list(g_child) == list(t_child)
        else:
            assert g_sd[key] == t_sd[key], key


@pytest.mark.parametrize("key", list(SCHEDULERS))
def test_schedule_matches_torch_over_30_steps(key):
    torch_opt, tg_opt, torch_scheduler, tg_scheduler = _build(key)
    assert tg_scheduler.get_last_lr() == torch_scheduler.get_last_lr()
    assert _group_view(tg_opt) == _group_view(torch_opt)
    _assert_same_schedule_state(torch_scheduler, tg_scheduler)
    for _ in range(30):
        torch_opt.step()
        tg_opt.step()
        torch_scheduler.step()
        tg_scheduler.step()
        assert tg_scheduler.get_last_lr() == torch_scheduler.get_last_lr()
        assert _group_view(tg_opt) == _group_view(torch_opt)
    _assert_same_schedule_state(torch_scheduler, tg_scheduler)


def test_reduce_lr_on_plateau_matches_torch():
    metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
    for kwargs in (dict(patience=2), dict(mode="max", patience=1, cooldown=2, factor=0.5, min_lr=[0.02, 0.001]),
                   dict(threshold_mode="abs", threshold=0.05, patience=0, eps=1e-3)):
        torch_opt, tg_opt = _two_group_optimizers()
        torch_scheduler = torch_sched.ReduceLROnPlateau(torch_opt, **kwargs)
        tg_scheduler = tg_sched.ReduceLROnPlateau(tg_opt, **kwargs)
        for metric in metrics:
            torch_opt.step()
            tg_opt.step()
            torch_scheduler.step(metric)
            tg_scheduler.step(metric)
            assert tg_scheduler.get_last_lr() == torch_scheduler.get_last_lr()
            assert _group_view(tg_opt) == _group_view(torch_opt)
        _assert_same_schedule_state(torch_scheduler, tg_scheduler)


@pytest.mark.parametrize("key", ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR",
                                 "ConstantLR", "PolynomialLR", "CosineAnnealingWarmRestarts"])
def test_explicit_epoch_uses_closed_form_and_warns(key):
    torch_opt, tg_opt, torch_scheduler, tg_scheduler = _build(key)
    for epoch in (3, 8, 2, 15):
        with warnings.catch_warnings(record=True) as t_warn:
            warnings.simplefilter("always")
            torch_opt.step()
            torch_scheduler.step(epoch)
        with warnings.catch_warnings(record=True) as g_warn:
            warnings.simplefilter("always")
            tg_opt.step()
            tg_scheduler.step(epoch)
        assert [str(w.message) for w in g_warn] == [str(w.message) for w in t_warn]
        assert tg_scheduler.get_last_lr() == torch_scheduler.get_last_lr()


def test_state_dict_round_trip_resumes_schedule():
    torch_opt, tg_opt, torch_scheduler, tg_scheduler = _build("LambdaLR-list-object")
    for _ in range(5):
        tg_opt.step()
        tg_scheduler.step()
        torch_opt.step()
        torch_scheduler.step()
    saved = tg_scheduler.state_dict()
    assert saved["lr_lambdas"] == [{"factor": 0.9}, None]
    _, tg_opt2, _, tg_resumed = _build("LambdaLR-list-object")
    tg_resumed.lr_lambdas[0].factor = 0.1
    tg_resumed.load_state_dict(saved)
    assert tg_resumed.lr_lambdas[0].factor == 0.9
    assert tg_resumed.last_epoch == torch_scheduler.last_epoch
    tg_resumed.step()
    torch_scheduler.step()
    assert tg_resumed.get_last_lr() == torch_scheduler.get_last_lr()

    torch_opt, tg_opt, torch_scheduler, tg_scheduler = _build("SequentialLR")
    for _ in range(7):
        tg_opt.step()
        tg_scheduler.step()
    _, _, _, tg_resumed = _build("SequentialLR")
    tg_resumed.load_state_dict(tg_scheduler.state_dict())
    assert tg_resumed.last_epoch == tg_scheduler.last_epoch
    assert [s.last_epoch for s in tg_resumed._schedulers] == [s.last_epoch for s in tg_scheduler._schedulers]


def _warnings_of(action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    return [(w.category, str(w.message)) for w in caught]


def test_scheduler_step_before_optimizer_step_warns_like_torch():
    torch_opt, tg_opt = _two_group_optimizers()
    torch_scheduler = torch_sched.StepLR(torch_opt, 3)
    tg_scheduler = tg_sched.StepLR(tg_opt, 3)
    t_first = _warnings_of(torch_scheduler.step)
    g_first = _warnings_of(tg_scheduler.step)
    assert g_first == t_first and len(t_first) == 1
    assert _warnings_of(tg_scheduler.step) == _warnings_of(torch_scheduler.step) == []


def test_overridden_optimizer_step_warns_like_torch():
    torch_opt, tg_opt = _two_group_optimizers()
    torch_scheduler = torch_sched.ExponentialLR(torch_opt, 0.5)
    tg_scheduler = tg_sched.ExponentialLR(tg_opt, 0.5)
    torch_opt.step = lambda closure=None: None
    tg_opt.step = lambda closure=None: None
    assert _warnings_of(tg_scheduler.step) == _warnings_of(torch_scheduler.step) != []


def test_no_warning_in_the_right_order_and_get_lr_outside_step_warns():
    torch_opt, tg_opt = _two_group_optimizers()
    torch_scheduler = torch_sched.StepLR(torch_opt, 3)
    tg_scheduler = tg_sched.StepLR(tg_opt, 3)

    def right_order(opt, scheduler):
        return lambda: (opt.step(), scheduler.step())

    assert _warnings_of(right_order(tg_opt, tg_scheduler)) == _warnings_of(right_order(torch_opt, torch_scheduler)) \
        == []
    assert _warnings_of(tg_scheduler.get_lr) == _warnings_of(torch_scheduler.get_lr) != []


def test_initial_lr_bookkeeping():
    torch_opt, tg_opt = _two_group_optimizers()
    torch_sched.StepLR(torch_opt, 3)
    tg_sched.StepLR(tg_opt, 3)
    assert [g["initial_lr"] for g in tg_opt.param_groups] == [g["initial_lr"] for g in torch_opt.param_groups]
    torch_opt, tg_opt = _two_group_optimizers()
    with pytest.raises(KeyError) as t_err:
        torch_sched.StepLR(torch_opt, 3, last_epoch=4)
    with pytest.raises(KeyError) as g_err:
        tg_sched.StepLR(tg_opt, 3, last_epoch=4)
    assert str(g_err.value) == str(t_err.value)
    # resuming with last_epoch >= 0 keeps the recorded initial_lr
    for opt in (torch_opt, tg_opt):
        for group in opt.param_groups:
            group["initial_lr"] = 1.0
    torch_resumed = torch_sched.StepLR(torch_opt, 3, last_epoch=4)
    tg_resumed = tg_sched.StepLR(tg_opt, 3, last_epoch=4)
    assert tg_resumed.base_lrs == torch_resumed.base_lrs
    assert tg_resumed.get_last_lr() == torch_resumed.get_last_lr()


ERROR_CASES = [
    lambda m, o: m.StepLR(object(), 3),
    lambda m, o: m.ConstantLR(o, factor=1.5),
    lambda m, o: m.LinearLR(o, start_factor=0),
    lambda m, o: m.LinearLR(o, end_factor=2.0),
    lambda m, o: m.LambdaLR(o, [lambda e: 1.0]),
    lambda m, o: m.MultiplicativeLR(o, [1.0, 2.0]),
    lambda m, o: m.ReduceLROnPlateau(o, factor=1.0),
    lambda m, o: m.ReduceLROnPlateau(o, mode="middle"),
    lambda m, o: m.ReduceLROnPlateau(o, threshold_mode="relative"),
    lambda m, o: m.ReduceLROnPlateau(o, min_lr=[0.1]),
    lambda m, o: m.CyclicLR(o, 0.1, 0.2, mode="sawtooth"),
    lambda m, o: m.CyclicLR(o, [0.1], 0.2),
    lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=0),
    lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=1.5),
    lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=2, eta_min="0"),
    lambda m, o: m.OneCycleLR(o, 0.1),
    lambda m, o: m.OneCycleLR(o, 0.1, total_steps=0),
    lambda m, o: m.OneCycleLR(o, 0.1, epochs=0, steps_per_epoch=3),
    lambda m, o: m.OneCycleLR(o, 0.1, epochs=2, steps_per_epoch=-3),
    lambda m, o: m.OneCycleLR(o, 0.1, total_steps=10, pct_start=1),
    lambda m, o: m.OneCycleLR(o, 0.1, total_steps=10, anneal_strategy="step"),
    lambda m, o: m.SequentialLR(o, [], milestones=[]),
    lambda m, o: m.SequentialLR(o, [m.StepLR(o, 2)], milestones=[3]),
    lambda m, o: m.SequentialLR(o, [m.StepLR(o, 2), m.ReduceLROnPlateau(o)], milestones=[3]),
    lambda m, o: m.ChainedScheduler([]),
    lambda m, o: m.ChainedScheduler([m.StepLR(o, 2), object()]),
]


@pytest.mark.parametrize("index", range(len(ERROR_CASES)))
def test_construction_errors_match_torch(index):
    make = ERROR_CASES[index]
    torch_opt, tg_opt = _two_group_optimizers()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as t_err:
            make(torch_sched, torch_opt)
        with pytest.raises(Exception) as g_err:
            make(tg_sched, tg_opt)
    assert type(g_err.value) is type(t_err.value)
    assert str(g_err.value) == str(t_err.value)


def test_one_cycle_past_total_steps_raises_like_torch():
    torch_opt, tg_opt = _two_group_optimizers(momentum=0.9)
    torch_scheduler = torch_sched.OneCycleLR(torch_opt, 0.1, total_steps=3)
    tg_scheduler = tg_sched.OneCycleLR(tg_opt, 0.1, total_steps=3)
    for _ in range(3):
        torch_opt.step()
        tg_opt.step()
        torch_scheduler.step()
        tg_scheduler.step()
    with pytest.raises(ValueError) as t_err:
        torch_scheduler.step()
    with pytest.raises(ValueError) as g_err:
        tg_scheduler.step()
    assert str(g_err.value) == str(t_err.value)


def test_cosine_annealing_matches_closed_form_without_eta_min():
    _, tg_opt = _two_group_optimizers()
    scheduler = tg_sched.CosineAnnealingLR(tg_opt, T_max=10)
    for epoch in range(1, 11):
        tg_opt.step()
        scheduler.step()
        expected = [base * (1 + math.cos(math.pi * epoch / 10)) / 2 for base in (0.1, 0.05)]
        assert scheduler.get_last_lr() == pytest.approx(expected, abs=1e-12)


RESUMABLE = {
    "StepLR": lambda m, o, e: m.StepLR(o, step_size=4, gamma=0.5, last_epoch=e),
    "MultiStepLR": lambda m, o, e: m.MultiStepLR(o, milestones=[3, 7, 9], gamma=0.3, last_epoch=e),
    "ExponentialLR": lambda m, o, e: m.ExponentialLR(o, gamma=0.9, last_epoch=e),
    "CosineAnnealingLR": lambda m, o, e: m.CosineAnnealingLR(o, T_max=7, eta_min=0.001, last_epoch=e),
    "LinearLR": lambda m, o, e: m.LinearLR(o, start_factor=0.2, total_iters=12, last_epoch=e),
    "ConstantLR": lambda m, o, e: m.ConstantLR(o, factor=0.4, total_iters=8, last_epoch=e),
    "PolynomialLR": lambda m, o, e: m.PolynomialLR(o, total_iters=20, power=2.0, last_epoch=e),
    "CosineAnnealingWarmRestarts": lambda m, o, e: m.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2, last_epoch=e),
    "LambdaLR": lambda m, o, e: m.LambdaLR(o, lambda k: 0.95 ** k, last_epoch=e),
    "MultiplicativeLR": lambda m, o, e: m.MultiplicativeLR(o, lambda k: 0.97, last_epoch=e),
    "CyclicLR": lambda m, o, e: m.CyclicLR(o, 0.01, 0.1, step_size_up=4, last_epoch=e),
    "OneCycleLR": lambda m, o, e: m.OneCycleLR(o, max_lr=0.5, total_steps=31, last_epoch=e),
}


@pytest.mark.parametrize("key", list(RESUMABLE))
def test_resuming_with_last_epoch_matches_torch(key):
    """A scheduler rebuilt with last_epoch=k (initial_lr already in the groups) continues like PyTorch's."""
    torch_opt, tg_opt = _two_group_optimizers(momentum=0.9)
    make = RESUMABLE[key]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module, opt in ((torch_sched, torch_opt), (tg_sched, tg_opt)):
            make(module, opt, -1)
            for group in opt.param_groups:
                group["lr"] = group["initial_lr"] * 0.5
        torch_scheduler, tg_scheduler = make(torch_sched, torch_opt, 6), make(tg_sched, tg_opt, 6)
        assert tg_scheduler.get_last_lr() == torch_scheduler.get_last_lr()
        for _ in range(8):
            torch_opt.step()
            tg_opt.step()
            torch_scheduler.step()
            tg_scheduler.step()
            assert tg_scheduler.get_last_lr() == torch_scheduler.get_last_lr()
            assert _group_view(tg_opt) == _group_view(torch_opt)
