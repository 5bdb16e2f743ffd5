"""nn.Module behaviour against the PyTorch oracle: registration, iteration, state_dict/load_state_dict, hooks,
reprs, conversions and the errors PyTorch raises. Each model is built the same way in both frameworks."""
import copy
import pickle
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn

torch = pytest.importorskip("torch")
nn = torch.nn


def build(T, N):
    """A small model with nesting, a shared parameter, buffers (one non-persistent) and a stateless child."""
    class Net(N.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = N.Linear(3, 4)
            self.bn = N.BatchNorm1d(4)
            self.seq = N.Sequential(N.Linear(4, 4), N.ReLU())
            self.fc2 = N.Linear(4, 2, bias=False)
            self.tied = self.fc2
            self.register_buffer("steps", T.zeros(1))
            self.register_buffer("scratch", T.ones(2), persistent=False)
            self.scale = N.Parameter(T.ones(1))

        def forward(self, x):
            return self.fc2(self.seq(self.bn(self.fc1(x)))) * self.scale

    return Net()


def copy_weights(src_torch, dst_tg):
    for (name, p), (name2, q) in zip(src_torch.state_dict(keep_vars=True).items(),
                                     dst_tg.state_dict(keep_vars=True).items()):
        assert name == name2
        q.data = tg.from_numpy(p.detach().numpy().copy())


def pair():
    torch.manual_seed(0)
    mt = build(torch, nn)
    mg = build(tg, tnn)
    copy_weights(mt, mg)
    return mg, mt


def names(it):
    return [n for n, _ in it]


def test_iteration_orders_match():
    mg, mt = pair()
    assert names(mg.named_parameters()) == names(mt.named_parameters())
    assert names(mg.named_parameters(remove_duplicate=False)) == names(mt.named_parameters(remove_duplicate=False))
    assert names(mg.named_parameters(recurse=False)) == names(mt.named_parameters(recurse=False))
    assert names(mg.named_parameters(prefix="model")) == names(mt.named_parameters(prefix="model"))
    assert names(mg.named_buffers()) == names(mt.named_buffers())
    assert names(mg.named_children()) == names(mt.named_children())
    assert names(mg.named_modules()) == names(mt.named_modules())
    assert names(mg.named_modules(remove_duplicate=False)) == names(mt.named_modules(remove_duplicate=False))
    assert len(list(mg.parameters())) == len(list(mt.parameters()))
    assert len(list(mg.modules())) == len(list(mt.modules()))
    assert len(list(mg.children())) == len(list(mt.children()))
    assert len(list(mg.buffers())) == len(list(mt.buffers()))


def test_state_dict_keys_values_metadata():
    mg, mt = pair()
    sg, st = mg.state_dict(), mt.state_dict()
    assert type(sg) is OrderedDict
    assert list(sg.keys()) == list(st.keys())
    assert sg._metadata == st._metadata
    for k in st:
        np.testing.assert_array_equal(sg[k].numpy(), st[k].numpy())
        assert str(sg[k].dtype) == str(st[k].dtype)
        assert not sg[k].requires_grad
        assert type(sg[k]) is tg.Tensor
    kv = mg.state_dict(keep_vars=True)
    assert isinstance(kv["fc1.weight"], tnn.Parameter) and kv["fc1.weight"] is mg.fc1.weight
    assert list(mg.state_dict(prefix="p.").keys()) == list(mt.state_dict(prefix="p.").keys())


def test_state_dict_shares_memory_with_parameters():
    mg, _ = pair()
    sd = mg.state_dict()
    with tg.no_grad():
        mg.fc1.weight.add_(1.0)
    np.testing.assert_array_equal(sd["fc1.weight"].numpy(), mg.fc1.weight.detach().numpy())


def test_load_state_dict_roundtrip_and_result_repr():
    mg, mt = pair()
    other = build(tg, tnn)
    res_g = other.load_state_dict(mg.state_dict())
    res_t = build(torch, nn).load_state_dict(mt.state_dict())
    assert repr(res_g) == repr(res_t) == "<All keys matched successfully>"
    assert res_g.missing_keys == [] and res_g.unexpected_keys == []
    for k, v in mg.state_dict().items():
        np.testing.assert_array_equal(other.state_dict()[k].numpy(), v.numpy())


def _load_error(m, sd, **kw):
    with pytest.raises(Exception) as e:
        m.load_state_dict(sd, **kw)
    return type(e.value), str(e.value)


def test_load_state_dict_error_text():
    lg, lt = tnn.Linear(3, 3), nn.Linear(3, 3)
    sd_g = {"weight": tg.zeros(2, 3), "foo": tg.zeros(1)}
    sd_t = {"weight": torch.zeros(2, 3), "foo": torch.zeros(1)}
    assert _load_error(lg, sd_g) == _load_error(lt, sd_t)
    mg, mt = pair()
    sd_g = mg.state_dict()
    sd_t = mt.state_dict()
    del sd_g["bn.running_mean"], sd_t["bn.running_mean"]
    sd_g["seq.5.weight"] = tg.zeros(1)
    sd_t["seq.5.weight"] = torch.zeros(1)
    sd_g["fc1.bias"] = tg.zeros(7)
    sd_t["fc1.bias"] = torch.zeros(7)
    assert _load_error(mg, sd_g) == _load_error(mt, sd_t)
    assert _load_error(lg, [1, 2]) == _load_error(lt, [1, 2])


def test_load_state_dict_non_strict_and_assign():
    lg, lt = tnn.Linear(3, 3), nn.Linear(3, 3)
    rg = lg.load_state_dict({"weight": tg.ones(3, 3), "foo": tg.zeros(1)}, strict=False)
    rt = lt.load_state_dict({"weight": torch.ones(3, 3), "foo": torch.zeros(1)}, strict=False)
    assert repr(rg) == repr(rt)
    assert rg.missing_keys == rt.missing_keys and rg.unexpected_keys == rt.unexpected_keys
    assert isinstance(rg, tuple) and rg == (["bias"], ["foo"])
    assert lg.weight.detach().numpy().tolist() == [[1.0] * 3] * 3
    new_w = tg.full((3, 3), 2.0)
    lg.load_state_dict({"weight": new_w, "bias": tg.zeros(3)}, assign=True)
    assert isinstance(lg.weight, tnn.Parameter) and lg.weight.requires_grad
    assert lg.weight.data_ptr() == new_w.data_ptr()


def test_load_state_dict_old_batchnorm_without_num_batches_tracked():
    bn = tnn.BatchNorm1d(3)
    sd = OrderedDict((k, v) for k, v in bn.state_dict().items() if k != "num_batches_tracked")
    sd._metadata = OrderedDict([("", {"version": 1})])
    assert repr(bn.load_state_dict(sd)) == "<All keys matched successfully>"


def test_shared_parameter_listed_once():
    mg, mt = pair()
    assert sum(1 for p in mg.parameters() if p is mg.fc2.weight) == 1
    assert "tied.weight" not in dict(mg.named_parameters())
    assert ("tied.weight" in mg.state_dict()) == ("tied.weight" in mt.state_dict())


def test_forward_matches_oracle_and_backward():
    mg, mt = pair()
    x = torch.randn(5, 3)
    out_t = mt(x)
    out_g = mg(tg.from_numpy(x.numpy().copy()))
    np.testing.assert_allclose(out_g.detach().numpy(), out_t.detach().numpy(), rtol=1e-5, atol=1e-6)
    out_t.sum().backward()
    out_g.sum().backward()
    for (n, p), (_, q) in zip(mt.named_parameters(), mg.named_parameters()):
        np.testing.assert_allclose(q.grad.numpy(), p.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=n)


def test_reprs_match():
    mg, mt = pair()
    assert repr(mg).replace("Net", "X") == repr(mt).replace("Net", "X")
    for a, b in [(tnn.Module(), nn.Module()), (tnn.Sequential(), nn.Sequential())]:
        assert repr(a) == repr(b)


def test_train_eval_requires_grad_zero_grad():
    mg, mt = pair()
    assert mg.training
    mg.eval()
    assert all(not m.training for m in mg.modules())
    mg.train()
    assert all(m.training for m in mg.modules())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        mg.train(3)
    mg.requires_grad_(False)
    assert not any(p.requires_grad for p in mg.parameters())
    mg.requires_grad_()
    mg(tg.randn(4, 3)).sum().backward()
    assert all(p.grad is not None for p in mg.parameters())
    mg.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in mg.parameters())
    mg.zero_grad()
    assert all(p.grad is None for p in mg.parameters())


def test_apply_visits_children_first():
    order_g, order_t = [], []
    mg, mt = pair()
    mg.apply(lambda m: order_g.append(type(m).__name__))
    mt.apply(lambda m: order_t.append(type(m).__name__))
    assert order_g == order_t


def test_dtype_conversions_keep_parameter_identity():
    mg, _ = pair()
    w = mg.fc1.weight
    mg(tg.randn(4, 3)).sum().backward()
    mg.double()
    assert mg.fc1.weight is w and w.dtype == tg.float64 and w.grad.dtype == tg.float64
    assert mg.bn.num_batches_tracked.dtype == tg.int64
    mg.to(tg.float32)
    assert w.dtype == tg.float32
    mg.half()
    assert w.dtype == tg.float16
    mg.float()
    mg.to(dtype=tg.float64)
    assert w.dtype == tg.float64
    mg.to(tg.zeros(1))
    assert w.dtype == tg.float32
    assert mg.to("cpu") is mg and mg.cpu() is mg
    with pytest.raises(TypeError) as eg:
        mg.to(tg.int64)
    with pytest.raises(TypeError) as et:
        nn.Linear(1, 1).to(torch.int64)
    assert str(eg.value) == str(et.value)


MODULE_ERRORS = [
    lambda T, N: setattr(N.Linear(3, 3), "weight", T.zeros(3)),
    lambda T, N: N.Linear(1, 1).register_buffer("weight", T.zeros(1)),
    lambda T, N: N.Linear(1, 1).register_buffer("x", 3),
    lambda T, N: N.Linear(1, 1).register_buffer("a.b", T.zeros(1)),
    lambda T, N: N.Linear(1, 1).register_buffer("", T.zeros(1)),
    lambda T, N: N.Linear(1, 1).register_parameter("y", T.zeros(1)),
    lambda T, N: N.Linear(1, 1).register_parameter("a.b", None),
    lambda T, N: N.Linear(1, 1).add_module("y", 3),
    lambda T, N: N.Linear(1, 1).add_module("a.b", N.ReLU()),
    lambda T, N: N.Linear(1, 1).add_module("", N.ReLU()),
    lambda T, N: N.Linear(1, 1).add_module("weight", N.ReLU()),
    lambda T, N: N.Linear(1, 1).nope,
    lambda T, N: N.Module()(3),
    lambda T, N: N.Module(3),
    lambda T, N: N.Module(a=3),
    lambda T, N: N.Linear(1, 1).get_submodule("weight"),
    lambda T, N: N.Linear(1, 1).get_submodule("a.b"),
    lambda T, N: N.Linear(1, 1).get_parameter("nope"),
    lambda T, N: N.Linear(1, 1).get_buffer("weight"),
]


@pytest.mark.parametrize("call", MODULE_ERRORS, ids=[f"err{i}" for i in range(len(MODULE_ERRORS))])
def test_module_errors_match(call):
    with pytest.raises(Exception) as et:
        call(torch, nn)
    with pytest.raises(type(et.value)) as eg:
        call(tg, tnn)
    assert str(eg.value) == str(et.value)


def test_assignment_errors_match():
    def cases(T, N):
        out = []
        lin = N.Linear(1, 1)
        lin.register_buffer("buf", None)
        lin.sub = N.ReLU()
        for name, value in [("buf", 3), ("sub", 3)]:
            try:
                setattr(lin, name, value)
            except Exception as e:
                out.append((type(e).__name__, str(e)))

        class Early(N.Module):
            def __init__(self, what):
                if what == "module":
                    self.a = N.Linear(1, 1)
                elif what == "param":
                    self.p = N.Parameter(T.zeros(1))
                else:
                    self.register_buffer("b", T.zeros(1))

        for what in ("module", "param", "buffer"):
            try:
                Early(what)
            except Exception as e:
                out.append((type(e).__name__, str(e)))
        return out

    assert cases(tg, tnn) == cases(torch, nn)


def test_setattr_moves_between_kinds_and_delattr():
    m = tnn.Module()
    m.x = tg.zeros(1)
    assert "x" not in m._buffers
    m.register_buffer("b", tg.zeros(1))
    m.b = tg.ones(2)
    assert m._buffers["b"].shape == (2,)
    m.b = tnn.Parameter(tg.zeros(1))
    assert "b" in m._parameters and "b" not in m._buffers
    m.b = None
    assert m._parameters["b"] is None
    m.c = tnn.Buffer(tg.zeros(3), persistent=False)
    assert "c" in m._buffers and "c" in m._non_persistent_buffers_set
    assert "c" not in m.state_dict()
    del m.c
    assert "c" not in m._buffers
    m.sub = tnn.ReLU()
    del m.sub
    assert "sub" not in m._modules


def test_get_submodule_parameter_buffer():
    mg, _ = pair()
    assert mg.get_submodule("seq.0") is mg.seq[0]
    assert mg.get_submodule("") is mg
    assert mg.get_parameter("seq.0.weight") is mg.seq[0].weight
    assert mg.get_buffer("bn.running_mean") is mg.bn.running_mean
    mg.set_submodule("seq.1", tnn.Tanh())
    assert isinstance(mg.seq[1], tnn.Tanh)


def test_dir_lists_members():
    mg, mt = pair()
    dg = dir(mg)
    for name in ("fc1", "bn", "steps", "scale", "forward", "state_dict"):
        assert name in dg
    assert dg == sorted(dg)
    assert not any(k[0].isdigit() for k in dir(tnn.Sequential(tnn.ReLU())))


def test_forward_hooks_order_kwargs_and_removal():
    def run(T, N):
        calls = []
        m = N.Linear(3, 2)
        h1 = m.register_forward_pre_hook(lambda mod, a: calls.append("pre1"))
        m.register_forward_pre_hook(lambda mod, a: calls.append("pre0"), prepend=True)
        m.register_forward_pre_hook(lambda mod, a, k: calls.append(("prekw", sorted(k))), with_kwargs=True)
        m.register_forward_hook(lambda mod, a, o: calls.append(("fwd", tuple(o.shape))))
        m.register_forward_hook(lambda mod, a, k, o: calls.append(("fwdkw", sorted(k))), with_kwargs=True)
        m.register_forward_hook(lambda mod, a, o: calls.append("first"), prepend=True)
        m(T.randn(4, 3))
        h1.remove()
        m(T.randn(1, 3))
        return calls

    assert run(tg, tnn) == run(torch, nn)


def test_hooks_can_replace_args_and_output():
    for T, N in ((tg, tnn), (torch, nn)):
        m = N.Identity()
        m.register_forward_pre_hook(lambda mod, a: (a[0] * 2,))
        m.register_forward_hook(lambda mod, a, o: o + 1)
        assert m(T.ones(2)).tolist() == [3.0, 3.0]
        m2 = N.Identity()
        m2.register_forward_pre_hook(lambda mod, a, k: ((a[0] + 5,), k), with_kwargs=True)
        assert m2(T.ones(1)).tolist() == [6.0]


def test_forward_hook_always_call_runs_on_exception():
    for N in (tnn, nn):
        seen = []

        class Boom(N.Module):
            def forward(self, x):
                raise ValueError("boom")

        b = Boom()
        b.register_forward_hook(lambda m, a, o: seen.append("always"), always_call=True)
        b.register_forward_hook(lambda m, a, o: seen.append("normal"))
        with pytest.raises(ValueError):
            b(1)
        assert seen == ["always"]


def test_global_forward_hooks():
    seen = []
    h1 = tnn.modules.module.register_module_forward_pre_hook(lambda m, a: seen.append(("pre", type(m).__name__)))
    h2 = tnn.modules.module.register_module_forward_hook(lambda m, a, o: seen.append(("post", type(m).__name__)))
    try:
        tnn.Sequential(tnn.ReLU())(tg.ones(1))
    finally:
        h1.remove()
        h2.remove()
    assert seen == [("pre", "Sequential"), ("pre", "ReLU"), ("post", "ReLU"), ("post", "Sequential")]
    tnn.ReLU()(tg.ones(1))
    assert len(seen) == 4


def _backward_hook_trace(T, N, x_requires_grad):
    calls = []
    torch.manual_seed(0)
    m = N.Linear(3, 2)
    m.register_full_backward_pre_hook(lambda mod, go: calls.append(("pre", [tuple(g.shape) for g in go])))
    m.register_full_backward_hook(lambda mod, gi, go: calls.append(
        ("bw", [None if g is None else tuple(g.shape) for g in gi], [tuple(g.shape) for g in go])))
    x = T.ones(4, 3, requires_grad=x_requires_grad)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = m(x)
        y.sum().backward()
    return calls, type(y.grad_fn).__name__


@pytest.mark.parametrize("x_requires_grad", [True, False])
def test_full_backward_hooks_match(x_requires_grad):
    assert _backward_hook_trace(tg, tnn, x_requires_grad) == _backward_hook_trace(torch, nn, x_requires_grad)


def test_full_backward_hook_modifies_grad_input_and_pre_hook_grad_output():
    for T, N in ((tg, tnn), (torch, nn)):
        m = N.Identity()
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0] + 1,))
        x = T.ones(2, requires_grad=True)
        m(x * 1).sum().backward()
        assert x.grad.tolist() == [4.0, 4.0]


def test_full_backward_hook_warning_when_no_input_requires_grad():
    m = tnn.Linear(2, 2)
    m.register_full_backward_hook(lambda mod, gi, go: None)
    with pytest.warns(UserWarning, match="Full backward hook is firing when gradients are computed with respect"):
        m(tg.ones(1, 2)).sum().backward()


def test_mixing_backward_hook_kinds_errors():
    for N in (tnn, nn):
        m = N.Linear(1, 1)
        m.register_full_backward_hook(lambda *a: None)
        with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks and full backward hooks"):
            m.register_backward_hook(lambda *a: None)


def test_state_dict_and_load_hooks():
    m = tnn.Linear(2, 2)
    seen = []
    m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: seen.append(("pre", prefix)))
    m.register_state_dict_post_hook(lambda mod, sd, prefix, meta: seen.append(("post", list(sd))))
    m.register_load_state_dict_post_hook(lambda mod, keys: seen.append(("load", list(keys.missing_keys))))
    sd = m.state_dict()
    m.load_state_dict(sd)
    assert seen == [("pre", ""), ("post", ["weight", "bias"]), ("load", [])]


def test_deepcopy_and_pickle_roundtrip():
    mg, _ = pair()
    clone = copy.deepcopy(mg)
    assert clone.fc1.weight is not mg.fc1.weight
    assert clone.tied is clone.fc2
    np.testing.assert_array_equal(clone.fc1.weight.detach().numpy(), mg.fc1.weight.detach().numpy())
    lin = tnn.Linear(2, 3)
    back = pickle.loads(pickle.dumps(lin))
    assert repr(back) == repr(lin)
    np.testing.assert_array_equal(back.weight.detach().numpy(), lin.weight.detach().numpy())
    assert isinstance(back.weight, tnn.Parameter)


def test_setstate_fills_missing_hook_dicts():
    m = tnn.Linear(1, 1)
    state = {k: v for k, v in m.__dict__.items() if k not in ("_forward_hooks_with_kwargs", "_backward_pre_hooks")}
    fresh = tnn.Linear.__new__(tnn.Linear)
    fresh.__setstate__(state)
    assert fresh(tg.ones(1, 1)).shape == (1, 1)
    assert fresh._version == 1 and tnn.BatchNorm1d(1)._version == 2


# ---------------------------------------------------------------- Parameter
def test_parameter_basics_and_repr():
    p = tnn.Parameter(tg.ones(2))
    q = nn.Parameter(torch.ones(2))
    assert repr(p) == repr(q)
    assert isinstance(p, tg.Tensor) and p.requires_grad and p.is_leaf
    assert repr(tnn.Parameter(tg.ones(2, dtype=tg.float64), requires_grad=False)) == \
        repr(nn.Parameter(torch.ones(2, dtype=torch.float64), requires_grad=False))
    assert type(p * 2) is tg.Tensor
    assert type(p.detach()) is tg.Tensor
    assert tnn.Parameter().shape == (0,)
    data = tg.zeros(3)
    shared = tnn.Parameter(data)
    with tg.no_grad():
        shared.add_(1)
    assert data.tolist() == [1.0, 1.0, 1.0]


def test_parameter_deepcopy_and_pickle():
    p = tnn.Parameter(tg.arange(3.0))
    c = copy.deepcopy(p)
    assert isinstance(c, tnn.Parameter) and c.requires_grad and c.data_ptr() != p.data_ptr()
    back = pickle.loads(pickle.dumps(p))
    assert isinstance(back, tnn.Parameter) and back.tolist() == [0.0, 1.0, 2.0] and back.requires_grad
    frozen = pickle.loads(pickle.dumps(tnn.Parameter(tg.ones(1), requires_grad=False)))
    assert not frozen.requires_grad


def test_parameter_int_requires_grad_error():
    with pytest.raises(RuntimeError) as eg:
        tnn.Parameter(tg.ones(2, dtype=tg.int64))
    with pytest.raises(RuntimeError) as et:
        nn.Parameter(torch.ones(2, dtype=torch.int64))
    assert str(eg.value) == str(et.value)


def _multi_io_trace(T, N):
    calls = []

    class Two(N.Module):
        def forward(self, a, k, b):
            return a * b, b.sum() * 2, k

    def shapes(gs):
        return [None if g is None else tuple(g.shape) for g in gs]

    m = Two()
    m.register_full_backward_pre_hook(lambda mod, go: calls.append(("pre", shapes(go))))
    m.register_full_backward_hook(lambda mod, gi, go: calls.append(
        ("bw", [None if g is None else g.tolist() for g in gi], shapes(go))))
    a = T.ones(3, requires_grad=True)
    x, y, _ = m(a, 5, T.full((3,), 2.0))
    (x.sum() + y).backward()
    calls.append(a.grad.tolist())
    legacy = Two()
    legacy.register_backward_hook(lambda mod, gi, go: calls.append(("legacy", shapes(gi), shapes(go))))
    x, _, _ = legacy(T.ones(3, requires_grad=True), 5, T.full((3,), 2.0, requires_grad=True))
    x.sum().backward()
    return calls


def test_backward_hooks_with_several_inputs_and_outputs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _multi_io_trace(tg, tnn) == _multi_io_trace(torch, nn)


def test_data_parallel_without_cuda_is_transparent():
    if tg.cuda.is_available():
        pytest.skip("checks the CPU-only behaviour")
    torch.manual_seed(0)
    mt = nn.DataParallel(nn.Linear(2, 3))
    tg.manual_seed(0)
    mg = tnn.DataParallel(tnn.Linear(2, 3))
    assert repr(mg) == repr(mt)
    assert list(mg.state_dict()) == list(mt.state_dict()) == ["module.weight", "module.bias"]
    assert mg.device_ids == mt.device_ids == []
    out_g = mg(tg.ones(4, 2))
    out_t = mt(torch.ones(4, 2))
    np.testing.assert_allclose(out_g.detach().numpy(), out_t.detach().numpy(), rtol=1e-6)
    assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
