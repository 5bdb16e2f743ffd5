"""Optimizer trajectories, state, state_dict and errors against the PyTorch oracle."""
import copy
import warnings

import numpy as np
import pytest

import tritongrad.optim as tg_optim
from tritongrad._tensor import Tensor

from optim_test_helpers import loss_and_grads, make_problem, tg_leaf, tg_tensor

torch = pytest.importorskip("torch")

CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.5, maximize=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, foreach=True)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, amsgrad=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, maximize=True, decoupled_weight_decay=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, foreach=False)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, amsgrad=True, weight_decay=0.2, maximize=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, weight_decay=0.1, alpha=0.9)),
    ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.1, maximize=True, eps=1e-6)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1, maximize=True)),
    ("Adamax", dict(lr=0.05)),
    ("Adamax", dict(lr=0.05, weight_decay=0.1, betas=(0.8, 0.95), maximize=True)),
    ("NAdam", dict(lr=0.05)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.05)),
    ("RAdam", dict(lr=0.05, weight_decay=0.1)),
    ("RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("Rprop", dict(lr=0.01)),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, t0=5, lambd=1e-2, alpha=0.5, weight_decay=0.1, maximize=True)),
]

TOLERANCE = {np.float64: dict(rtol=1e-6, atol=1e-9), np.float32: dict(rtol=1e-4, atol=1e-5)}


def _case_id(case):
    name, kwargs = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


def _set_grads_from_loss(torch_params, tg_params, data, dtype):
    _, grads = loss_and_grads([p.detach().numpy() for p in torch_params], data)
    for p, g in zip(torch_params, grads):
        p.grad = torch.from_numpy(g.astype(dtype))
    _, grads = loss_and_grads([p._data for p in tg_params], data)
    for p, g in zip(tg_params, grads):
        p.grad = tg_tensor(g.astype(dtype))


def _pair(name, kwargs, dtype):
    init, data = make_problem(dtype)
    torch_params = [torch.tensor(a, requires_grad=True) for a in init]
    tg_params = [tg_leaf(a) for a in init]
    torch_opt = getattr(torch.optim, name)(torch_params, **kwargs)
    tg_opt = getattr(tg_optim, name)(tg_params, **kwargs)
    return torch_params, tg_params, torch_opt, tg_opt, data


def _assert_same_state(torch_opt, tg_opt, tolerance):
    t_sd, g_sd = torch_opt.state_dict(), tg_opt.state_dict()
    assert list(t_sd["state"]) == list(g_sd["state"])
    for index, t_state in t_sd["state"].items():
        g_state = g_sd["state"][index]
        assert list(t_state) == list(g_state)
        for key, t_value in t_state.items():
            g_value = g_state[key]
            if isinstance(t_value, torch.Tensor):
                assert isinstance(g_value, Tensor), key
                assert str(g_value.dtype) == str(t_value.dtype), key
                assert tuple(g_value.shape) == tuple(t_value.shape), key
                np.testing.assert_allclose(g_value._data, t_value.numpy(), **tolerance, err_msg=key)
            else:
                assert g_value == t_value, key


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_trajectory_matches_torch(case, dtype):
    name, kwargs = case
    torch_params, tg_params, torch_opt, tg_opt, data = _pair(name, kwargs, dtype)
    for _ in range(20):
        _set_grads_from_loss(torch_params, tg_params, data, dtype)
        torch_opt.step()
        tg_opt.step()
        for t_param, g_param in zip(torch_params, tg_params):
            assert g_param._data.dtype == dtype
            np.testing.assert_allclose(g_param._data, t_param.detach().numpy(), **TOLERANCE[dtype])
    _assert_same_state(torch_opt, tg_opt, TOLERANCE[dtype])


def test_parameters_without_grad_are_skipped_and_get_no_state():
    torch_params, tg_params, torch_opt, tg_opt, data = _pair("Adam", dict(lr=0.1), np.float64)
    _set_grads_from_loss(torch_params, tg_params, data, np.float64)
    torch_params[1].grad = None
    tg_params[1].grad = None
    torch_opt.step()
    tg_opt.step()
    np.testing.assert_array_equal(tg_params[1]._data, torch_params[1].detach().numpy())
    assert list(tg_opt.state_dict()["state"]) == list(torch_opt.state_dict()["state"]) == [0]


def test_per_group_hyperparameters():
    init, data = make_problem(np.float64)
    torch_params = [torch.tensor(a, requires_grad=True) for a in init]
    tg_params = [tg_leaf(a) for a in init]
    torch_opt = torch.optim.SGD([{"params": [torch_params[0]]}, {"params": [torch_params[1]], "lr": 0.5,
                                                                  "momentum": 0.3}], lr=0.05, momentum=0.9)
    tg_opt = tg_optim.SGD([{"params": [tg_params[0]]}, {"params": [tg_params[1]], "lr": 0.5, "momentum": 0.3}],
                          lr=0.05, momentum=0.9)
    for _ in range(5):
        _set_grads_from_loss(torch_params, tg_params, data, np.float64)
        torch_opt.step()
        tg_opt.step()
    for t_param, g_param in zip(torch_params, tg_params):
        np.testing.assert_allclose(g_param._data, t_param.detach().numpy(), rtol=1e-12)
    assert repr(tg_opt) == repr(torch_opt)
    assert tg_opt.state_dict()["param_groups"] == torch_opt.state_dict()["param_groups"]


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_lbfgs_matches_torch(line_search_fn, dtype):
    init, data = make_problem(dtype)
    torch_params = [torch.tensor(a, requires_grad=True) for a in init]
    tg_params = [tg_leaf(a) for a in init]
    kwargs = dict(lr=0.5, max_iter=5, history_size=4, line_search_fn=line_search_fn)
    torch_opt = torch.optim.LBFGS(torch_params, **kwargs)
    tg_opt = tg_optim.LBFGS(tg_params, **kwargs)

    def torch_closure():
        loss, grads = loss_and_grads([p.detach().numpy() for p in torch_params], data)
        for p, g in zip(torch_params, grads):
            p.grad = torch.from_numpy(g.astype(dtype))
        return loss

    def tg_closure():
        loss, grads = loss_and_grads([p._data for p in tg_params], data)
        for p, g in zip(tg_params, grads):
            p.grad = tg_tensor(g.astype(dtype))
        return loss

    tolerance = TOLERANCE[dtype] if dtype == np.float64 else dict(rtol=1e-3, atol=1e-4)
    for _ in range(4):
        t_loss = torch_opt.step(torch_closure)
        g_loss = tg_opt.step(tg_closure)
        assert g_loss == pytest.approx(t_loss, rel=tolerance["rtol"])
        for t_param, g_param in zip(torch_params, tg_params):
            np.testing.assert_allclose(g_param._data, t_param.detach().numpy(), **tolerance)

    t_state, g_state = torch_opt.state_dict()["state"][0], tg_opt.state_dict()["state"][0]
    assert list(g_state) == list(t_state)
    for key, t_value in t_state.items():
        g_value = g_state[key]
        if isinstance(t_value, list):
            assert isinstance(g_value, list) and len(g_value) == len(t_value), key
            assert [type(v).__name__ for v in g_value] == [type(v).__name__ for v in t_value], key
        elif isinstance(t_value, torch.Tensor):
            assert isinstance(g_value, Tensor), key
            assert str(g_value.dtype) == str(t_value.dtype) and tuple(g_value.shape) == tuple(t_value.shape), key
        else:
            assert type(g_value) is type(t_value), key
    assert g_state["func_evals"] == t_state["func_evals"] and g_state["n_iter"] == t_state["n_iter"]


# ----------------------------------------------------------------------------- state_dict layout and loading
ALL_OPTIMIZERS = [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(amsgrad=True)), ("AdamW", {}),
                  ("RMSprop", dict(momentum=0.5, centered=True)), ("Adagrad", {}), ("Adadelta", {}),
                  ("Adamax", {}), ("NAdam", {}), ("RAdam", {}), ("Rprop", {}), ("ASGD", dict(t0=1)),
                  ("LBFGS", {})]


def _fresh(name, kwargs):
    init, data = make_problem(np.float32)
    torch_params = [torch.tensor(a, requires_grad=True) for a in init]
    tg_params = [tg_leaf(a) for a in init]
    return (torch_params, getattr(torch.optim, name)(torch_params, **kwargs),
            tg_params, getattr(tg_optim, name)(tg_params, **kwargs), data)


def _value_type(value):
    if isinstance(value, (torch.Tensor, Tensor)):
        return ("tensor", str(value.dtype), tuple(value.shape))
    return type(value).__name__


@pytest.mark.parametrize("name,kwargs", ALL_OPTIMIZERS, ids=[n for n, _ in ALL_OPTIMIZERS])
def test_state_dict_layout_matches_torch(name, kwargs):
    torch_params, torch_opt, tg_params, tg_opt, data = _fresh(name, kwargs)
    assert repr(tg_opt) == repr(torch_opt)
    assert tg_opt.defaults == torch_opt.defaults

    def steps(t_closure=None, g_closure=None):
        if name == "LBFGS":
            torch_opt.step(t_closure)
            tg_opt.step(g_closure)
        else:
            torch_opt.step()
            tg_opt.step()

    def t_closure():
        _set_grads_from_loss(torch_params, tg_params, data, np.float32)
        return 0.0

    _set_grads_from_loss(torch_params, tg_params, data, np.float32)
    steps(t_closure, t_closure)
    t_sd, g_sd = torch_opt.state_dict(), tg_opt.state_dict()
    assert list(g_sd) == ["state", "param_groups"]
    assert g_sd["param_groups"] == t_sd["param_groups"]
    assert [list(g) for g in g_sd["param_groups"]] == [list(g) for g in t_sd["param_groups"]]
    assert list(g_sd["state"]) == list(t_sd["state"])
    for index in t_sd["state"]:
        assert {k: _value_type(v) for k, v in g_sd["state"][index].items()} == \
            {k: _value_type(v) for k, v in t_sd["state"][index].items()}
        assert list(g_sd["state"][index]) == list(t_sd["state"][index])


def _copy_tree(value):
    """A deep copy made with numpy copies of the tensors (independent of Tensor.clone)."""
    if isinstance(value, Tensor):
        return tg_tensor(value._data)
    if isinstance(value, dict):
        return {k: _copy_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_tree(v) for v in value)
    return value


@pytest.mark.parametrize("name,kwargs", ALL_OPTIMIZERS[:-1], ids=[n for n, _ in ALL_OPTIMIZERS[:-1]])
def test_load_state_dict_round_trip_continues_the_trajectory(name, kwargs):
    """Save after 3 steps, load into a fresh optimizer, take 3 more: as torch does the same round trip."""
    init, data = make_problem(np.float64)
    torch_params = [torch.tensor(a, requires_grad=True) for a in init]
    tg_params = [tg_leaf(a) for a in init]
    torch_opt = getattr(torch.optim, name)(torch_params, **kwargs)
    tg_opt = getattr(tg_optim, name)(tg_params, **kwargs)
    for _ in range(3):
        _set_grads_from_loss(torch_params, tg_params, data, np.float64)
        torch_opt.step()
        tg_opt.step()
    saved_torch = copy.deepcopy(torch_opt.state_dict())
    saved_tg = _copy_tree(tg_opt.state_dict())

    torch_resumed = [torch.tensor(p.detach().numpy(), requires_grad=True) for p in torch_params]
    tg_resumed = [tg_leaf(p._data) for p in tg_params]
    torch_opt = getattr(torch.optim, name)(torch_resumed, **kwargs)
    tg_opt = getattr(tg_optim, name)(tg_resumed, **kwargs)
    torch_opt.load_state_dict(saved_torch)
    tg_opt.load_state_dict(saved_tg)
    assert tg_opt.state_dict()["param_groups"] == torch_opt.state_dict()["param_groups"]
    for _ in range(3):
        _set_grads_from_loss(torch_resumed, tg_resumed, data, np.float64)
        torch_opt.step()
        tg_opt.step()
    for t_param, g_param in zip(torch_resumed, tg_resumed):
        np.testing.assert_allclose(g_param._data, t_param.detach().numpy(), **TOLERANCE[np.float64])
    _assert_same_state(torch_opt, tg_opt, TOLERANCE[np.float64])


def test_load_state_dict_casts_state_to_param_dtype_and_keeps_step():
    init, _ = make_problem(np.float64)
    params = [tg_leaf(a) for a in init]
    opt = tg_optim.Adam(params)
    torch_params = [torch.tensor(a.astype(np.float32), requires_grad=True) for a in init]
    torch_opt = torch.optim.Adam(torch_params)
    for p in torch_params:
        p.grad = torch.ones_like(p)
    torch_opt.step()
    # a state dict built by real torch (float32 state) loaded into a float64 tritongrad optimizer
    torch_sd = torch_opt.state_dict()
    converted = {"state": {i: {k: tg_tensor(v.numpy()) for k, v in s.items()} for i, s in torch_sd["state"].items()},
                 "param_groups": torch_sd["param_groups"]}
    opt.load_state_dict(converted)
    state = opt.state[params[0]]
    assert str(state["exp_avg"].dtype) == "torch.float64"
    assert str(state["step"].dtype) == "torch.float32"
    assert state["step"] is converted["state"][0]["step"]


def test_load_state_dict_errors_match_torch():
    _, torch_opt, _, tg_opt, _ = _fresh("SGD", dict(lr=0.1))
    t_sd, g_sd = torch_opt.state_dict(), tg_opt.state_dict()
    for bad in ({"state": {}, "param_groups": []},
                {"state": {}, "param_groups": [dict(t_sd["param_groups"][0], params=[0])]}):
        with pytest.raises(ValueError) as t_err:
            torch_opt.load_state_dict(bad)
        with pytest.raises(ValueError) as g_err:
            tg_opt.load_state_dict(copy.deepcopy(bad))
        assert str(g_err.value) == str(t_err.value)


# ----------------------------------------------------------------------------- construction errors
def _errors_alike(make_torch, make_tg):
    with pytest.raises(Exception) as t_err:
        make_torch()
    with pytest.raises(Exception) as g_err:
        make_tg()
    assert type(g_err.value) is type(t_err.value)
    assert str(g_err.value) == str(t_err.value)


BAD_ARGUMENTS = [
    ("SGD", dict(lr=-1.0)), ("SGD", dict(lr=0.1, momentum=-0.5)), ("SGD", dict(lr=0.1, weight_decay=-1)),
    ("SGD", dict(lr=0.1, nesterov=True)), ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
    ("SGD", dict(fused=True, foreach=True)),
    ("Adam", dict(lr=-1)), ("Adam", dict(eps=-1.0)), ("Adam", dict(betas=(1.0, 0.9))),
    ("Adam", dict(betas=(0.9, -0.1))), ("Adam", dict(weight_decay=-0.1)), ("Adam", dict(betas=(0.9, 1))),
    ("AdamW", dict(lr=-0.5)), ("RMSprop", dict(alpha=-1.0)), ("RMSprop", dict(momentum=-1.0)),
    ("RMSprop", dict(eps=-1e-3)), ("Adagrad", dict(lr_decay=-1.0)),
    ("Adagrad", dict(initial_accumulator_value=-1.0)), ("Adadelta", dict(rho=1.5)),
    ("Adamax", dict(betas=(0.9, 1.5))), ("NAdam", dict(momentum_decay=-1.0)), ("RAdam", dict(weight_decay=-1.0)),
    ("LBFGS", dict(lr=-1.0)), ("Rprop", dict(etas=(1.0, 1.2))), ("Rprop", dict(etas=(0.5, 0.9))),
    ("ASGD", dict(weight_decay=-1.0)),
]


@pytest.mark.parametrize("name,kwargs", BAD_ARGUMENTS, ids=[_case_id(c) for c in BAD_ARGUMENTS])
def test_invalid_hyperparameters_raise_like_torch(name, kwargs):
    _errors_alike(lambda: getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **kwargs),
                  lambda: getattr(tg_optim, name)([tg_leaf(np.zeros(2, np.float32))], **kwargs))


def test_parameter_collection_errors_match_torch():
    t_param, g_param = torch.zeros(2, requires_grad=True), tg_leaf(np.zeros(2, np.float32))
    _errors_alike(lambda: torch.optim.SGD([], lr=0.1), lambda: tg_optim.SGD([], lr=0.1))
    _errors_alike(lambda: torch.optim.SGD(t_param, lr=0.1), lambda: tg_optim.SGD(g_param, lr=0.1))
    _errors_alike(lambda: torch.optim.SGD([{"params": {t_param}}], lr=0.1), lambda: tg_optim.SGD([{"params": {g_param}}], lr=0.1))
    _errors_alike(lambda: torch.optim.SGD([1.5], lr=0.1), lambda: tg_optim.SGD([1.5], lr=0.1))
    _errors_alike(lambda: torch.optim.SGD([{"params": [t_param]}, {"params": [t_param]}], lr=0.1),
                  lambda: tg_optim.SGD([{"params": [g_param]}, {"params": [g_param]}], lr=0.1))
    _errors_alike(lambda: torch.optim.SGD([t_param], lr=0.1).add_param_group([t_param]),
                  lambda: tg_optim.SGD([g_param], lr=0.1).add_param_group([g_param]))
    _errors_alike(lambda: torch.optim.LBFGS([{"params": [t_param]}, {"params": [torch.zeros(1, requires_grad=True)]}]),
                  lambda: tg_optim.LBFGS([{"params": [g_param]}, {"params": [tg_leaf(np.zeros(1, np.float32))]}]))


def test_non_leaf_parameter_is_rejected():
    t_leaf = torch.zeros(2, requires_grad=True)
    with pytest.raises(ValueError) as t_err:
        torch.optim.SGD([t_leaf * 2], lr=0.1)
    g_leaf = tg_leaf(np.zeros(2, np.float32))
    non_leaf = Tensor._make(np.zeros(2, np.float32))
    non_leaf._grad_fn = object()  # what an op's output carries; the optimizer only looks at is_leaf
    with pytest.raises(ValueError) as g_err:
        tg_optim.SGD([g_leaf, non_leaf], lr=0.1)
    assert str(g_err.value) == str(t_err.value) == "can't optimize a non-leaf Tensor"


def test_duplicate_parameters_warn_like_torch():
    t_param, g_param = torch.zeros(2, requires_grad=True), tg_leaf(np.zeros(2, np.float32))
    with warnings.catch_warnings(record=True) as t_warn:
        warnings.simplefilter("always")
        torch.optim.SGD([t_param, t_param], lr=0.1)
    with warnings.catch_warnings(record=True) as g_warn:
        warnings.simplefilter("always")
        tg_optim.SGD([g_param, g_param], lr=0.1)
    assert [str(w.message) for w in g_warn] == [str(w.message) for w in t_warn]


def test_named_parameters_are_kept_in_param_names():
    t_param, g_param = torch.zeros(2, requires_grad=True), tg_leaf(np.zeros(2, np.float32))
    torch_opt = torch.optim.Adam([("weight", t_param)])
    tg_opt = tg_optim.Adam([("weight", g_param)])
    assert tg_opt.state_dict()["param_groups"] == torch_opt.state_dict()["param_groups"]
    assert repr(tg_opt) == repr(torch_opt)


# ----------------------------------------------------------------------------- zero_grad, closure, hooks
def test_zero_grad():
    param = tg_leaf(np.ones(3, np.float32))
    opt = tg_optim.SGD([param], lr=0.1)
    param.grad = tg_tensor(np.full(3, 2.0, np.float32))
    grad = param.grad
    opt.zero_grad(set_to_none=False)
    assert param.grad is grad
    np.testing.assert_array_equal(grad._data, np.zeros(3, np.float32))
    opt.zero_grad()
    assert param.grad is None


def test_step_returns_closure_loss_and_runs_it_with_grad_enabled():
    from tritongrad.autograd import grad_mode
    param = tg_leaf(np.ones(3))
    opt = tg_optim.Adam([param])
    seen = []

    def closure():
        seen.append(grad_mode.is_grad_enabled())
        param.grad = tg_tensor(np.ones(3))
        return 1.25

    with grad_mode.no_grad():
        assert opt.step(closure) == 1.25
    assert seen == [True]


def test_step_hooks_run_in_torch_order():
    def record(framework, param):
        events = []
        opt = framework.optim.SGD([param], lr=0.1) if framework is torch else tg_optim.SGD([param], lr=0.1)
        pre = opt.register_step_pre_hook(lambda o, args, kwargs: events.append(("pre", args[1:], kwargs)))
        opt.register_step_post_hook(lambda o, args, kwargs: events.append(("post", args[1:], kwargs)))
        opt.step()
        pre.remove()
        opt.step(closure=None)
        return events

    torch_events = record(torch, torch.zeros(2, requires_grad=True))
    tg_events = record(None, tg_leaf(np.zeros(2, np.float32)))
    assert tg_events == torch_events


def test_pre_hook_can_replace_arguments():
    param = tg_leaf(np.ones(2))
    opt = tg_optim.SGD([param], lr=0.1)
    opt.register_step_pre_hook(lambda o, args, kwargs: (args, {"closure": lambda: 7.0}))
    assert opt.step() == 7.0
    opt2 = tg_optim.SGD([tg_leaf(np.ones(2))], lr=0.1)
    opt2.register_step_pre_hook(lambda o, args, kwargs: 5)
    with pytest.raises(RuntimeError, match="must return None or a tuple of"):
        opt2.step()


VERSION_CASES = [("SGD", dict(lr=0.1)), ("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(amsgrad=True)),
                 ("AdamW", {}), ("RMSprop", dict(momentum=0.5, centered=True)), ("Adagrad", {}), ("Adadelta", {}),
                 ("Adamax", {}), ("NAdam", dict(weight_decay=0.1, decoupled_weight_decay=True)),
                 ("RAdam", dict(weight_decay=0.1, decoupled_weight_decay=True)), ("Rprop", {}),
                 ("ASGD", dict(t0=0))]


@pytest.mark.parametrize("name,kwargs", VERSION_CASES, ids=[_case_id(c) for c in VERSION_CASES])
def test_step_bumps_versions_like_torch(name, kwargs):
    """Each in-place write PyTorch's update makes shows in the parameter's and the state's _version."""
    t_param = torch.ones(3, dtype=torch.float64, requires_grad=True)
    g_param = tg_leaf(np.ones(3))
    torch_opt, tg_opt = getattr(torch.optim, name)([t_param], **kwargs), getattr(tg_optim, name)([g_param], **kwargs)
    for _ in range(2):
        t_param.grad = torch.ones(3, dtype=torch.float64)
        g_param.grad = tg_tensor(np.ones(3))
        before_t, before_g = t_param._version, g_param._version
        torch_opt.step()
        tg_opt.step()
        assert g_param._version - before_g == t_param._version - before_t
    assert {k: v._version for k, v in tg_opt.state[g_param].items()} == \
        {k: v._version for k, v in torch_opt.state[t_param].items()}


def test_subclass_with_required_parameter():
    from tritongrad.optim.optimizer import required

    class Plain(tg_optim.Optimizer):
        def __init__(self, params, lr=required):
            super().__init__(params, {"lr": lr})

    Plain([tg_leaf(np.ones(1))], lr=0.1)
    with pytest.raises(ValueError) as g_err:
        Plain([tg_leaf(np.ones(1))])

    from torch.optim.optimizer import required as torch_required

    class TorchPlain(torch.optim.Optimizer):
        def __init__(self, params, lr=torch_required):
            super().__init__(params, {"lr": lr})

    with pytest.raises(ValueError) as t_err:
        TorchPlain([torch.ones(1, requires_grad=True)])
    assert str(g_err.value) == str(t_err.value)


CAPTURABLE = ["Adam", "AdamW", "RMSprop", "Adadelta", "Adamax", "NAdam", "RAdam", "ASGD", "Rprop"]


@pytest.mark.parametrize("name", CAPTURABLE)
def test_capturable_on_cpu_asserts_like_torch(name):
    t_param, g_param = torch.ones(2, requires_grad=True), tg_leaf(np.ones(2, np.float32))
    torch_opt = getattr(torch.optim, name)([t_param], capturable=True)
    tg_opt = getattr(tg_optim, name)([g_param], capturable=True)
    t_param.grad = torch.ones(2)
    g_param.grad = tg_tensor(np.ones(2, np.float32))
    _errors_alike(torch_opt.step, tg_opt.step)
    np.testing.assert_array_equal(g_param._data, t_param.detach().numpy())
    assert list(tg_opt.state_dict()["state"]) == list(torch_opt.state_dict()["state"])


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16], ids=["float64", "float32", "float16"])
def test_fused_flag_runs_on_cpu_like_torch(name, dtype):
    init, data = make_problem(dtype)
    torch_params = [torch.tensor(a, requires_grad=True) for a in init]
    tg_params = [tg_leaf(a) for a in init]
    kwargs = dict(lr=0.01, fused=True)
    torch_opt, tg_opt = getattr(torch.optim, name)(torch_params, **kwargs), getattr(tg_optim, name)(tg_params, **kwargs)
    for _ in range(5):
        _set_grads_from_loss(torch_params, tg_params, data, dtype)
        torch_opt.step()
        tg_opt.step()
    tolerance = dict(rtol=2e-3, atol=2e-3) if dtype == np.float16 else TOLERANCE[dtype]
    for t_param, g_param in zip(torch_params, tg_params):
        assert g_param._data.dtype == dtype
        np.testing.assert_allclose(g_param._data.astype(np.float64), t_param.detach().double().numpy(), **tolerance)
    _assert_same_state(torch_opt, tg_opt, dict(rtol=1e-2, atol=1e-3) if dtype == np.float16 else tolerance)


def test_state_dict_and_load_hooks_like_torch():
    def exercise(lib_optim, param):
        calls = []
        opt = lib_optim.SGD([param], lr=0.1, momentum=0.9)
        opt.register_state_dict_pre_hook(lambda o: calls.append("sd-pre"))
        opt.register_state_dict_pre_hook(lambda o: calls.append("sd-pre-first"), prepend=True)

        def add_marker(o, sd):
            calls.append("sd-post")
            sd["marker"] = 1

        opt.register_state_dict_post_hook(add_marker)
        opt.register_state_dict_post_hook(lambda o, sd: dict(sd, replaced=True))

        def change_lr(o, sd):
            calls.append(("load-pre", sorted(sd)))
            sd = dict(sd)
            sd["param_groups"] = [dict(g, lr=0.5) for g in sd["param_groups"]]
            return sd

        handle = opt.register_load_state_dict_pre_hook(change_lr)
        opt.register_load_state_dict_post_hook(lambda o: calls.append(("load-post", o.param_groups[0]["lr"])))
        sd = opt.state_dict()
        calls.append(sorted(sd))
        opt.load_state_dict(sd)
        handle.remove()
        opt.load_state_dict(sd)
        calls.append(opt.param_groups[0]["lr"])
        return calls

    assert exercise(tg_optim, tg_leaf(np.ones(2, np.float32))) == \
        exercise(torch.optim, torch.ones(2, requires_grad=True))


def test_global_step_hooks_like_torch():
    def exercise(lib_optim, register_pre, register_post, param):
        calls = []
        opt = lib_optim.Adam([param])
        opt.register_step_pre_hook(lambda o, a, k: calls.append("local-pre"))
        opt.register_step_post_hook(lambda o, a, k: calls.append("local-post"))
        handles = [register_pre(lambda o, a, k: calls.append("global-pre")),
                   register_post(lambda o, a, k: calls.append("global-post"))]
        try:
            opt.step()
        finally:
            for handle in handles:
                handle.remove()
        opt.step()
        return calls

    from torch.optim.optimizer import register_optimizer_step_post_hook as torch_post
    from torch.optim.optimizer import register_optimizer_step_pre_hook as torch_pre
    from tritongrad.optim.optimizer import register_optimizer_step_post_hook as tg_post
    from tritongrad.optim.optimizer import register_optimizer_step_pre_hook as tg_pre
    assert exercise(tg_optim, tg_pre, tg_post, tg_leaf(np.ones(2, np.float32))) == \
        exercise(torch.optim, torch_pre, torch_post, torch.ones(2, requires_grad=True))


def test_pickle_round_trip_keeps_groups_and_state():
    import pickle
    init, data = make_problem(np.float64)
    params = [tg_leaf(a) for a in init]
    opt = tg_optim.RMSprop(params, lr=0.01, momentum=0.5)
    _, grads = loss_and_grads([p._data for p in params], data)
    for p, g in zip(params, grads):
        p.grad = tg_tensor(g)
    opt.step()
    clone = pickle.loads(pickle.dumps(opt))
    assert type(clone) is tg_optim.RMSprop
    assert repr(clone) == repr(opt)
    assert list(clone.state_dict()["state"]) == [0, 1]
    clone.register_step_pre_hook(lambda o, a, k: None)


def test_custom_optimizer_written_against_the_public_api():
    """A user optimizer in PyTorch's style: private helpers, per-param state, tensor ops under no_grad."""
    def make(lib, helpers):
        class SignSGD(lib.optim.Optimizer):
            def __init__(self, params, lr=0.01, differentiable=False):
                super().__init__(params, {"lr": lr, "differentiable": differentiable})

            @helpers._use_grad_for_differentiable
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        state["steps"] = state.get("steps", 0) + 1
                        p.add_(p.grad.sign(), alpha=-group["lr"] / state["steps"])
                return None

        return SignSGD

    import tritongrad as tg
    import tritongrad.optim.optimizer as tg_helpers
    import torch.optim.optimizer as torch_helpers
    results = []
    for lib, helpers in ((torch, torch_helpers), (tg, tg_helpers)):
        param = lib.nn.Parameter(lib.tensor([1.0, -2.0, 0.5]))
        opt = make(lib, helpers)([param], lr=0.1)
        for _ in range(3):
            param.grad = lib.tensor([0.3, -0.1, 0.0])
            opt.step()
        results.append((param.tolist(), opt.state_dict()["state"], repr(opt),
                        helpers._default_to_fused_or_foreach([param], False, True),
                        str(helpers._get_scalar_dtype()), helpers._get_value(lib.tensor(2.5))))
    assert results[1] == results[0]


COMPLEX_CASES = [("SGD", dict(lr=0.05, momentum=0.9, weight_decay=0.1)), ("Adam", dict(lr=0.05, amsgrad=True)),
                 ("AdamW", dict(lr=0.05)), ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
                 ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.1)), ("Adadelta", dict(weight_decay=0.1)),
                 ("Adamax", dict(lr=0.05)), ("NAdam", dict(lr=0.05)), ("RAdam", dict(lr=0.05)),
                 ("Rprop", dict(lr=0.05)), ("ASGD", dict(lr=0.05, t0=3))]


@pytest.mark.parametrize("name,kwargs", COMPLEX_CASES, ids=[n for n, _ in COMPLEX_CASES])
def test_complex_parameters_follow_torch(name, kwargs):
    """Complex parameters are updated through their real view, element pairs (re, im) as PyTorch does."""
    rng = np.random.default_rng(0)
    init = rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))
    offset = rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))

    def grad_at(p):
        return np.tanh(p.real) * (0.5 + 0.2j) + np.sin(p.imag) * (0.1 - 0.4j) + 0.1 * offset

    t_param, g_param = torch.tensor(init, requires_grad=True), tg_leaf(init)
    torch_opt, tg_opt = getattr(torch.optim, name)([t_param], **kwargs), getattr(tg_optim, name)([g_param], **kwargs)
    for _ in range(10):
        t_param.grad = torch.from_numpy(grad_at(t_param.detach().numpy()))
        g_param.grad = tg_tensor(grad_at(g_param._data))
        torch_opt.step()
        tg_opt.step()
    assert g_param._data.dtype == np.complex128
    np.testing.assert_allclose(g_param._data, t_param.detach().numpy(), rtol=1e-9, atol=1e-12)
    _assert_same_state(torch_opt, tg_opt, dict(rtol=1e-9, atol=1e-12))


@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=10.0, momentum=0.9)), ("Adam", dict(lr=10.0)),
                                         ("Adagrad", dict(lr=10.0)), ("RMSprop", dict(lr=10.0))])
def test_overflowing_updates_are_silent_like_torch(name, kwargs):
    """A diverging run gives the same inf/nan parameters, without numpy's floating-point warnings."""
    results = []
    grads = [np.array([-3e38, np.inf, 1.0, 0.0], np.float32), np.array([-3e38, 1.0, np.nan, 0.0], np.float32)]
    for lib_optim, make_param, make_grad in (
            (torch.optim, lambda a: torch.tensor(a, requires_grad=True), torch.from_numpy),
            (tg_optim, tg_leaf, tg_tensor)):
        param = make_param(np.array([3e38, 1.0, 2.0, 3.0], np.float32))
        opt = getattr(lib_optim, name)([param], **kwargs)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for grad in grads * 2:
                param.grad = make_grad(grad.copy())
                opt.step()
        values = param.detach().numpy() if lib_optim is torch.optim else param._data
        results.append(([str(w.message) for w in caught], np.isnan(values).tolist(), np.isinf(values).tolist()))
    assert results[1] == results[0]


def test_lbfgs_state_dict_round_trip_continues_like_torch():
    init, data = make_problem(np.float64)
    kwargs = dict(lr=0.5, max_iter=3, history_size=3)

    def run(lib_optim, make_param, set_grad, values_of, save, load):
        params = [make_param(a) for a in init]

        def closure():
            loss, grads = loss_and_grads([values_of(p) for p in params], data)
            for p, g in zip(params, grads):
                set_grad(p, g)
            return loss

        opt = lib_optim.LBFGS(params, **kwargs)
        opt.step(closure)
        opt.step(closure)
        saved = save(opt.state_dict())
        resumed = [make_param(values_of(p)) for p in params]
        params[:] = resumed
        opt = lib_optim.LBFGS(resumed, **kwargs)
        load(opt, saved)
        losses = [opt.step(closure) for _ in range(2)]
        return losses, [values_of(p).copy() for p in resumed]

    t_losses, t_values = run(torch.optim, lambda a: torch.tensor(a, requires_grad=True),
                             lambda p, g: setattr(p, "grad", torch.from_numpy(g)), lambda p: p.detach().numpy(),
                             copy.deepcopy, lambda o, sd: o.load_state_dict(sd))
    g_losses, g_values = run(tg_optim, tg_leaf, lambda p, g: setattr(p, "grad", tg_tensor(g)), lambda p: p._data,
                             _copy_tree, lambda o, sd: o.load_state_dict(sd))
    np.testing.assert_allclose(g_losses, t_losses, rtol=1e-9)
    for t_value, g_value in zip(t_values, g_values):
        np.testing.assert_allclose(g_value, t_value, rtol=1e-6, atol=1e-9)


def test_step_hooks_of_a_subclass_calling_super_step_like_torch():
    """PyTorch wraps ``type(self).step`` when an instance is made; a subclass calling the (already wrapped)
    parent step therefore runs the hooks once per wrapped level."""
    def count_hook_calls(lib_optim, make_param):
        lib_optim.Adam([make_param()])  # the parent class has been instantiated: its step is wrapped

        class LoggingAdam(lib_optim.Adam):
            def step(self, closure=None):
                return super().step(closure)

        calls = []
        opt = LoggingAdam([make_param()])
        opt.register_step_pre_hook(lambda o, a, k: calls.append("pre"))
        opt.register_step_post_hook(lambda o, a, k: calls.append("post"))
        opt.step()
        return calls, getattr(type(opt).step, "hooked", False)

    assert count_hook_calls(tg_optim, lambda: tg_leaf(np.ones(2, np.float32))) == \
        count_hook_calls(torch.optim, lambda: torch.ones(2, requires_grad=True))


LOW_PRECISION_CASES = [("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
                       ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)), ("AdamW", dict(lr=0.01)),
                       ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)), ("Adagrad", dict(lr=0.05)),
                       ("Adadelta", dict(weight_decay=0.1)), ("Adamax", dict(lr=0.01)),
                       ("NAdam", dict(lr=0.01, weight_decay=0.1)), ("RAdam", dict(lr=0.01, weight_decay=0.1)),
                       ("Rprop", dict(lr=0.01)), ("ASGD", dict(lr=0.01, t0=3))]


@pytest.mark.parametrize("dtype_name", ["float16", "bfloat16"])
@pytest.mark.parametrize("name,kwargs", LOW_PRECISION_CASES, ids=[n for n, _ in LOW_PRECISION_CASES])
def test_half_and_bfloat16_parameters_follow_torch(name, kwargs, dtype_name):
    """Each op computes in float32 and rounds once, and scalars are not pre-rounded to the dtype (0.999 stays
    0.999), as in PyTorch's CPU kernels; the trajectories agree to a few units in the last place."""
    import ml_dtypes
    np_dtype = np.float16 if dtype_name == "float16" else ml_dtypes.bfloat16
    torch_dtype = getattr(torch, dtype_name)
    init, data = make_problem(np.float64)
    torch_params = [torch.tensor(a).to(torch_dtype).requires_grad_() for a in init]
    tg_params = [tg_leaf(a.astype(np.float32).astype(np_dtype)) for a in init]
    torch_opt, tg_opt = getattr(torch.optim, name)(torch_params, **kwargs), getattr(tg_optim, name)(tg_params, **kwargs)
    for _ in range(20):
        _, grads = loss_and_grads([p.detach().float().numpy() for p in torch_params], data)
        for p, g in zip(torch_params, grads):
            p.grad = torch.from_numpy(g.astype(np.float32)).to(torch_dtype)
        _, grads = loss_and_grads([p._data.astype(np.float64) for p in tg_params], data)
        for p, g in zip(tg_params, grads):
            p.grad = tg_tensor(g.astype(np.float32).astype(np_dtype))
        torch_opt.step()
        tg_opt.step()
    tolerance = 1e-2 if dtype_name == "float16" else 5e-2
    for t_param, g_param in zip(torch_params, tg_params):
        assert g_param._data.dtype == np_dtype
        np.testing.assert_allclose(g_param._data.astype(np.float32), t_param.detach().float().numpy(),
                                   rtol=tolerance, atol=tolerance)


DIFFERENTIABLE_CASES = [("SGD", dict(lr=0.1, momentum=0.9)), ("SGD", dict(lr=0.1, momentum=0.5, nesterov=True,
                                                                      weight_decay=0.1, maximize=True)),
                        ("Adam", dict(lr=0.1)), ("Adam", dict(lr=0.1, amsgrad=True, weight_decay=0.1)),
                        ("AdamW", dict(lr=0.1)),
                        ("Adam", dict(lr=0.1, maximize=True, decoupled_weight_decay=True, weight_decay=0.2))]


@pytest.mark.parametrize("name,kwargs", DIFFERENTIABLE_CASES, ids=[_case_id(c) for c in DIFFERENTIABLE_CASES])
def test_differentiable_step_gradients_match_torch(name, kwargs):
    """With differentiable=True the update is recorded: gradients flow to the initial parameter, the
    gradient and the optimizer state, as with PyTorch."""
    import tritongrad as tg

    def run(lib):
        def leaf(values):
            return lib.tensor(values, dtype=lib.float64, requires_grad=True)

        weight, grad = leaf([1.0, -2.0, 0.5]), leaf([0.3, -0.1, 0.2])
        first, second = leaf([0.1, 0.2, -0.3]), leaf([0.01, 0.2, 0.3])
        param = weight.clone()
        param.grad = grad
        opt = getattr(lib.optim, name)([param], differentiable=True, **kwargs)
        if name == "SGD":
            opt.state[param]["momentum_buffer"] = first.clone()
            inputs = (weight, grad, first)
        else:
            opt.state[param].update(step=lib.tensor(2.0), exp_avg=first.clone(), exp_avg_sq=second.clone())
            if kwargs.get("amsgrad"):
                opt.state[param]["max_exp_avg_sq"] = (second * 1.5).clone()
            inputs = (weight, grad, first, second)
        opt.step()
        state = [v for k, v in opt.state[param].items() if k != "step"]
        out = (param * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).sum() + sum((t * (i + 2)).sum()
                                                                                for i, t in enumerate(state))
        return [g.tolist() for g in lib.autograd.grad(out, inputs)], param.tolist()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading .grad of a non-leaf parameter
        t_grads, t_param = run(torch)
        g_grads, g_param = run(tg)
    np.testing.assert_allclose(g_param, t_param, rtol=1e-12)
    for t_grad, g_grad in zip(t_grads, g_grads):
        np.testing.assert_allclose(g_grad, t_grad, rtol=1e-10, atol=1e-12)


def test_differentiable_with_a_leaf_parameter_raises_like_torch():
    import tritongrad as tg
    errors = []
    for lib in (torch, tg):
        param = lib.tensor([1.0, 2.0], requires_grad=True)
        param.grad = lib.tensor([0.5, 0.5])
        opt = lib.optim.SGD([param], lr=0.1, differentiable=True)
        with pytest.raises(RuntimeError) as err:
            opt.step()
        errors.append(str(err.value))
    assert errors[1] == errors[0]


def test_differentiable_with_complex_parameters_is_not_implemented():
    param = tg_leaf(np.ones(2, np.complex128))
    param.grad = tg_tensor(np.ones(2, np.complex128))
    opt = tg_optim.RMSprop([param], differentiable=True)
    with pytest.raises(NotImplementedError, match="RMSprop does not support differentiable=True with complex"):
        opt.step()


MULTI_STEP_DIFFERENTIABLE = [
    ("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.1, amsgrad=True)), ("AdamW", dict(lr=0.1)),
    ("RMSprop", dict(lr=0.01)), ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1)), ("Adadelta", dict(weight_decay=0.1)),
    ("Adamax", dict(lr=0.05, weight_decay=0.1)), ("NAdam", dict(lr=0.05, weight_decay=0.1)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)), ("RAdam", dict(lr=0.05)),
    ("RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)), ("Rprop", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, t0=1, weight_decay=0.1))]


@pytest.mark.parametrize("name,kwargs", MULTI_STEP_DIFFERENTIABLE,
                         ids=[_case_id(c) for c in MULTI_STEP_DIFFERENTIABLE])
def test_differentiable_multi_step_matches_torch(name, kwargs):
    """Six recorded steps, then gradients of the result w.r.t. the initial parameter and the gradients fed
    in. Where PyTorch's own graph is broken by an in-place state update (amsgrad, Adamax, Rprop, ASGD, centered
    RMSprop with momentum), backward must fail the same way."""
    import tritongrad as tg

    def run(lib):
        def leaf(values):
            return lib.tensor(values, dtype=lib.float64, requires_grad=True)

        weight, grad1, grad2 = leaf([1.0, -2.0, 0.5, 0.0]), leaf([0.3, -0.1, 0.2, 0.5]), leaf([0.2, 0.1, -0.2, 0.5])
        param = weight.clone()
        opt = getattr(lib.optim, name)([param], differentiable=True, **kwargs)
        for _ in range(3):
            for grad in (grad1, grad2):
                param.grad = grad * 1.0
                opt.step()
        out = (param * lib.tensor([1.0, 2.0, 3.0, 4.0], dtype=lib.float64)).sum()
        for value in opt.state[param].values():
            if isinstance(value, lib.Tensor) and value.requires_grad:
                out = out + (value * 0.5).sum()
        try:
            grads = lib.autograd.grad(out, (weight, grad1, grad2), allow_unused=True)
        except RuntimeError as err:
            return "error", str(err).split(", which is output")[0]
        return param.tolist(), [None if g is None else g.tolist() for g in grads]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading .grad of a non-leaf parameter
        expected, actual = run(torch), run(tg)
    if expected[0] == "error":
        assert actual == expected
        return
    # Adam's bias corrections are float32 0-d tensors (``0.9 ** step``), so rounding differences of the core's
    # scalar-tensor ops show at the 1e-8 level
    np.testing.assert_allclose(actual[0], expected[0], rtol=1e-6, atol=1e-9)
    for t_grad, g_grad in zip(expected[1], actual[1]):
        assert (g_grad is None) == (t_grad is None)
        if t_grad is not None:
            np.testing.assert_allclose(g_grad, t_grad, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name,kwargs", [c for c in CASES if c[0] not in ("LBFGS",)][::2],
                         ids=[_case_id(c) for c in [c for c in CASES if c[0] not in ("LBFGS",)][::2]])
def test_tensor_op_update_path_matches_torch(name, kwargs, monkeypatch):
    """The tensor-op update (used for differentiable=True and for parameters outside the CPU) follows the
    same trajectories as the numpy one when forced on CPU parameters."""
    import tritongrad.optim.optimizer as optimizer_module
    import sys
    module = sys.modules[getattr(tg_optim, name)._update_group.__module__]
    monkeypatch.setattr(module, "_use_tensor_ops", lambda group, params: True)
    assert optimizer_module._use_tensor_ops({"differentiable": False}, []) is False
    torch_params, tg_params, torch_opt, tg_opt, data = _pair(name, kwargs, np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(20):
            _set_grads_from_loss(torch_params, tg_params, data, np.float64)
            torch_opt.step()
            tg_opt.step()
    for t_param, g_param in zip(torch_params, tg_params):
        np.testing.assert_allclose(g_param._data, t_param.detach().numpy(), rtol=1e-6, atol=1e-9)
    _assert_same_state(torch_opt, tg_opt, dict(rtol=1e-6, atol=1e-9))


@pytest.mark.parametrize("kwargs", [dict(lr=0.1), dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1),
                                    dict(lr=0.05, momentum=0.9, dampening=0.5, maximize=True)])
def test_float32_sgd_is_bit_identical_to_torch(kwargs):
    """PyTorch fuses add_'s multiply-add on float32; reproduced exactly, 20 SGD steps agree to the bit."""
    if torch.backends.cpu.get_cpu_capability() not in ("AVX2", "AVX512"):
        pytest.skip("this PyTorch build's CPU kernels do not use FMA here")
    torch_params, tg_params, torch_opt, tg_opt, data = _pair("SGD", kwargs, np.float32)
    for _ in range(20):
        _set_grads_from_loss(torch_params, tg_params, data, np.float32)
        torch_opt.step()
        tg_opt.step()
    for t_param, g_param in zip(torch_params, tg_params):
        np.testing.assert_array_equal(g_param._data, t_param.detach().numpy())
