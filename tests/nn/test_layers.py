"""nn layers and containers against the PyTorch oracle: default initialisation under the same seed, outputs and
input/parameter gradients with identical weights, running statistics, reprs and container behaviour."""
from collections import OrderedDict

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn

torch = pytest.importorskip("torch")
nn = torch.nn


def to_tg(t):
    x = tg.from_numpy(t.detach().numpy().copy())
    if t.requires_grad:
        x.requires_grad_(True)
    return x


def close(a, b, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol, atol=atol)
    assert tuple(a.shape) == tuple(b.shape)


def build_both(factory, seed=0):
    """Build the module in both frameworks from the same seed; the default init must give the same weights."""
    torch.manual_seed(seed)
    mt = factory(nn)
    tg.manual_seed(seed)
    mg = factory(tnn)
    assert repr(mg) == repr(mt)
    sd_t, sd_g = mt.state_dict(), mg.state_dict()
    assert list(sd_g.keys()) == list(sd_t.keys())
    for k in sd_t:
        np.testing.assert_array_equal(sd_g[k].numpy(), sd_t[k].numpy(), err_msg=k)
        assert str(sd_g[k].dtype) == str(sd_t[k].dtype)
    return mg, mt


def compare_forward_backward(mg, mt, *inputs, rtol=1e-6, atol=1e-7, check_node=True):
    t_in = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    g_in = [to_tg(x) for x in t_in]
    out_t = mt(*t_in)
    out_g = mg(*g_in)
    close(out_g, out_t, rtol, atol)
    if check_node:
        assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
    go = torch.randn(out_t.shape, dtype=out_t.dtype, generator=torch.Generator().manual_seed(7))
    out_t.backward(go)
    out_g.backward(to_tg(go))
    for a, b in zip(g_in, t_in):
        if b.requires_grad:
            close(a.grad, b.grad, rtol, atol)
    for (name, p), (_, q) in zip(mt.named_parameters(), mg.named_parameters()):
        if p.grad is None:
            assert q.grad is None, name
        else:
            close(q.grad, p.grad, rtol, atol)
    return out_g, out_t


def randn(*shape, seed=0, dtype=torch.float32):
    return torch.randn(*shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


# ---------------------------------------------------------------- dense layers
@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4), (4,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape, bias):
    mg, mt = build_both(lambda N: N.Linear(4, 3, bias=bias))
    compare_forward_backward(mg, mt, randn(*shape, seed=1), check_node=len(shape) == 2 or (bias and len(shape) == 3))


def test_linear_seed_vectors_from_spec():
    tg.manual_seed(0)
    lin = tnn.Linear(4, 3)
    assert lin.weight[0, 0].item() == pytest.approx(-0.003743410110473633, abs=0)
    assert lin.bias[0].item() == pytest.approx(-0.4776742458343506, abs=0)


def test_bilinear():
    mg, mt = build_both(lambda N: N.Bilinear(3, 2, 4))
    compare_forward_backward(mg, mt, randn(5, 3, seed=2), randn(5, 2, seed=3))


def test_identity_flatten_unflatten():
    for factory in (lambda N: N.Identity(54, unused="x"), lambda N: N.Flatten(), lambda N: N.Flatten(0, 1),
                    lambda N: N.Unflatten(1, (2, 6))):
        mg, mt = build_both(factory)
        compare_forward_backward(mg, mt, randn(2, 12, 3, seed=4), check_node=not isinstance(mt, nn.Identity))


# ---------------------------------------------------------------- activations as modules
ACTIVATION_MODULES = [
    lambda N: N.ReLU(), lambda N: N.ReLU6(), lambda N: N.LeakyReLU(0.2), lambda N: N.PReLU(),
    lambda N: N.PReLU(3, 0.1), lambda N: N.ELU(0.7), lambda N: N.SELU(), lambda N: N.CELU(1.3), lambda N: N.GELU(),
    lambda N: N.GELU("tanh"), lambda N: N.SiLU(), lambda N: N.Mish(), lambda N: N.Sigmoid(), lambda N: N.Tanh(),
    lambda N: N.Softplus(2, 5), lambda N: N.Softsign(), lambda N: N.Hardtanh(-2, 2), lambda N: N.Hardsigmoid(),
    lambda N: N.Hardswish(), lambda N: N.LogSigmoid(), lambda N: N.Tanhshrink(), lambda N: N.Threshold(0.1, 20),
    lambda N: N.Softmax(1), lambda N: N.LogSoftmax(-1), lambda N: N.Softmin(0), lambda N: N.GLU(-1),
    lambda N: N.Softshrink(0.3), lambda N: N.Hardshrink(), lambda N: N.Softmax2d(),
]


@pytest.mark.parametrize("factory", ACTIVATION_MODULES, ids=range(len(ACTIVATION_MODULES)))
def test_activation_modules(factory):
    mg, mt = build_both(factory)
    compare_forward_backward(mg, mt, randn(2, 3, 4, seed=5) * 3, rtol=1e-5, atol=1e-6)


def test_inplace_activation_module_reprs():
    for factory in (lambda N: N.ReLU(True), lambda N: N.ReLU6(True), lambda N: N.ELU(0.5, True),
                    lambda N: N.LeakyReLU(0.2, True), lambda N: N.Hardtanh(-2, 2, True), lambda N: N.SiLU(True),
                    lambda N: N.Mish(True), lambda N: N.SELU(True), lambda N: N.Threshold(0.1, 20, True),
                    lambda N: N.Hardsigmoid(True), lambda N: N.Softmax(), lambda N: N.GELU("tanh")):
        build_both(factory)


def test_relu_inplace_module_in_sequential_backward():
    mg, mt = build_both(lambda N: N.Sequential(N.Linear(3, 4), N.ReLU(inplace=True), N.Linear(4, 2)))
    compare_forward_backward(mg, mt, randn(5, 3, seed=6))


# ---------------------------------------------------------------- normalization layers
@pytest.mark.parametrize("factory,shape", [
    (lambda N: N.BatchNorm1d(3), (6, 3)), (lambda N: N.BatchNorm1d(3), (4, 3, 5)),
    (lambda N: N.BatchNorm2d(3), (2, 3, 4, 4)), (lambda N: N.BatchNorm3d(2), (2, 2, 3, 2, 2)),
    (lambda N: N.BatchNorm1d(3, momentum=None), (6, 3)), (lambda N: N.BatchNorm1d(3, affine=False), (6, 3)),
    (lambda N: N.BatchNorm1d(3, track_running_stats=False), (6, 3)),
    (lambda N: N.BatchNorm1d(3, momentum=0.5, eps=1e-3, bias=False), (6, 3)),
])
def test_batchnorm_train_then_eval(factory, shape):
    mg, mt = build_both(factory)
    for step in range(3):
        compare_forward_backward(mg, mt, randn(*shape, seed=10 + step), rtol=1e-5, atol=1e-6)
    for k, v in mt.state_dict().items():
        close(mg.state_dict()[k], v, 1e-6, 1e-7)
    mg.eval()
    mt.eval()
    compare_forward_backward(mg, mt, randn(*shape, seed=20), rtol=1e-5, atol=1e-6)
    assert int(mg.num_batches_tracked or 0) == int(mt.num_batches_tracked or 0)


def test_batchnorm_input_dim_errors():
    for factory, shape in [(lambda N: N.BatchNorm1d(3), (2, 3, 4, 5)), (lambda N: N.BatchNorm2d(3), (2, 3, 4)),
                           (lambda N: N.BatchNorm3d(3), (2, 3, 4, 4))]:
        with pytest.raises(ValueError) as et:
            factory(nn)(torch.rand(*shape))
        with pytest.raises(ValueError) as eg:
            factory(tnn)(tg.rand(*shape))
        assert str(eg.value) == str(et.value)


@pytest.mark.parametrize("factory,shape", [
    (lambda N: N.LayerNorm(5), (3, 5)), (lambda N: N.LayerNorm([3, 5]), (2, 3, 5)),
    (lambda N: N.LayerNorm(5, elementwise_affine=False), (3, 5)), (lambda N: N.LayerNorm(5, bias=False), (3, 5)),
    (lambda N: N.GroupNorm(2, 4), (3, 4, 5)), (lambda N: N.GroupNorm(1, 4, affine=False), (3, 4, 2, 2)),
    (lambda N: N.RMSNorm(5), (3, 5)), (lambda N: N.RMSNorm([2, 5], eps=1e-3), (3, 2, 5)),
    (lambda N: N.InstanceNorm1d(3), (2, 3, 6)), (lambda N: N.InstanceNorm2d(3, affine=True), (2, 3, 4, 4)),
])
def test_norm_layers(factory, shape):
    mg, mt = build_both(factory)
    compare_forward_backward(mg, mt, randn(*shape, seed=30), rtol=1e-5, atol=1e-6,
                             check_node="Instance" not in type(mt).__name__)


def test_instance_norm_running_stats():
    mg, mt = build_both(lambda N: N.InstanceNorm1d(3, track_running_stats=True))
    compare_forward_backward(mg, mt, randn(2, 3, 6, seed=31), rtol=1e-5, atol=1e-6, check_node=False)
    for k, v in mt.state_dict().items():
        close(mg.state_dict()[k], v)


def test_group_norm_bad_channels():
    with pytest.raises(ValueError, match="num_channels must be divisible by num_groups"):
        tnn.GroupNorm(3, 4)


# ---------------------------------------------------------------- dropout
@pytest.mark.parametrize("factory,shape", [(lambda N: N.Dropout(0.3), (4, 5)), (lambda N: N.Dropout1d(0.5), (2, 3, 4)),
                                           (lambda N: N.Dropout2d(0.5), (2, 3, 2, 2)),
                                           (lambda N: N.Dropout3d(0.5), (2, 3, 2, 2, 2)),
                                           (lambda N: N.AlphaDropout(0.2), (4, 5)),
                                           (lambda N: N.FeatureAlphaDropout(0.2), (2, 3, 4))])
def test_dropout_modules_train_and_eval(factory, shape):
    mg, mt = build_both(factory)
    x = randn(*shape, seed=40)
    torch.manual_seed(3)
    tg.manual_seed(3)
    compare_forward_backward(mg, mt, x, check_node=False)
    mg.eval()
    mt.eval()
    xg = to_tg(x)
    assert mg(xg) is xg


def test_dropout_in_sequential_matches_seed():
    torch.manual_seed(1)
    mt = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Dropout(0.5), nn.Linear(6, 2))
    tg.manual_seed(1)
    mg = tnn.Sequential(tnn.Linear(4, 6), tnn.ReLU(), tnn.Dropout(0.5), tnn.Linear(6, 2))
    x = torch.randn(8, 4, generator=torch.Generator().manual_seed(5))
    out_t = mt(x)
    out_g = mg(to_tg(x))
    close(out_g, out_t, 1e-5, 1e-6)


# ---------------------------------------------------------------- embedding
def test_embedding_default_init_and_padding():
    mg, mt = build_both(lambda N: N.Embedding(10, 3, padding_idx=2))
    assert not mg.weight[2].detach().numpy().any()
    idx = torch.tensor([[1, 2, 4], [2, 9, 9]])
    out_t = mt(idx)
    out_g = mg(to_tg(idx))
    close(out_g, out_t)
    out_t.sum().backward()
    out_g.sum().backward()
    close(mg.weight.grad, mt.weight.grad)


def test_embedding_from_pretrained_and_reprs():
    w = randn(4, 3, seed=50)
    eg = tnn.Embedding.from_pretrained(to_tg(w))
    et = nn.Embedding.from_pretrained(w)
    assert repr(eg) == repr(et) and not eg.weight.requires_grad
    eg2 = tnn.Embedding.from_pretrained(to_tg(w), freeze=False, padding_idx=1, max_norm=1.0)
    et2 = nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1, max_norm=1.0)
    assert repr(eg2) == repr(et2) and eg2.weight.requires_grad
    idx = torch.tensor([0, 1, 3])
    close(eg2(to_tg(idx)), et2(idx))
    close(eg2.weight, et2.weight)
    build_both(lambda N: N.Embedding(3, 4, scale_grad_by_freq=True, sparse=True, norm_type=1.0))
    with pytest.raises(AssertionError, match="Embeddings parameter is expected to be 2-dimensional"):
        tnn.Embedding.from_pretrained(tg.rand(3))


# ---------------------------------------------------------------- containers
def test_sequential_indexing_slicing_mutation_and_reprs():
    def ops(N):
        out = []
        s = N.Sequential(N.ReLU(), N.Tanh(), N.Sigmoid())
        out.append(repr(s[1:]))
        out.append(repr(s[-1]))
        out.append(repr(s + N.Sequential(N.ReLU())))
        out.append(repr(s * 2))
        s2 = N.Sequential(N.ReLU())
        s2.insert(0, N.Tanh())
        s2.append(N.Sigmoid())
        s2.extend([N.ReLU6()])
        out.append(repr(s2))
        out.append(repr(s2.pop(1)))
        del s2[0]
        out.append(repr(s2))
        s2[0] = N.GELU()
        out.append(repr(s2))
        out.append(len(s2))
        out.append(repr(N.Sequential(OrderedDict([("a", N.ReLU()), ("b", N.Tanh())]))))
        out.append([type(m).__name__ for m in s])
        return out

    assert ops(tnn) == ops(nn)


def test_sequential_errors():
    cases = [lambda N: N.Sequential(N.ReLU())[5], lambda N: N.Sequential() + 3, lambda N: N.Sequential() * 0,
             lambda N: N.Sequential() * 1.5, lambda N: N.Sequential().insert(0, 3),
             lambda N: N.Sequential(N.ReLU()).insert(5, N.ReLU()), lambda N: N.ModuleList()[0],
             lambda N: N.ModuleList().extend(3), lambda N: N.ModuleDict().update(3), lambda N: N.ModuleDict()["x"],
             lambda N: N.ParameterDict()[1], lambda N: N.ParameterList()(), lambda N: N.ModuleList().append(3)]
    for call in cases:
        with pytest.raises(Exception) as et:
            call(nn)
        with pytest.raises(type(et.value)) as eg:
            call(tnn)
        assert str(eg.value) == str(et.value)


def test_sequential_forward_matches():
    mg, mt = build_both(lambda N: N.Sequential(N.Linear(3, 5), N.Tanh(), N.Linear(5, 2), N.LogSoftmax(1)))
    compare_forward_backward(mg, mt, randn(4, 3, seed=60), rtol=1e-5, atol=1e-6)


def test_module_list_and_dict():
    def ops(N):
        out = []
        ml = N.ModuleList([N.ReLU(), N.ReLU(), N.Linear(1, 1), N.Linear(1, 1)])
        out.append(repr(ml))
        out.append(repr(ml[1:]))
        out.append(repr(ml + N.ModuleList([N.ReLU()])))
        ml.insert(1, N.Tanh())
        ml.append(N.Sigmoid())
        ml += [N.GELU()]
        out.append(repr(ml))
        del ml[0]
        out.append(repr(ml.pop(-1)))
        out.append(repr(ml))
        out.append(len(ml))
        out.append(repr(N.ModuleList()))
        md = N.ModuleDict({"b": N.ReLU(), "a": N.Linear(1, 2)})
        md["c"] = N.Tanh()
        md.update([("d", N.Sigmoid())])
        out.append(repr(md))
        out.append(list(md.keys()))
        out.append("a" in md)
        out.append(repr(md.pop("b")))
        out.append(len(md))
        out.append([k for k in md])
        out.append(repr(N.ModuleList([N.ReLU()] * 3 + [N.Linear(1, 1), N.ReLU(), N.ReLU()])))
        return out

    assert ops(tnn) == ops(nn)


def test_parameter_list_and_dict():
    def ops(T, N):
        out = []
        pl = N.ParameterList([N.Parameter(T.zeros(2, 3)), T.zeros(2, dtype=T.float64)])
        out.append(repr(pl))
        pl.append(3)
        out.append(repr(pl))
        out.append(type(pl[1]).__name__)
        out.append(pl[1].requires_grad)
        out.append(repr(pl[0:2]))
        out.append(list(pl.state_dict().keys()))
        out.append(len(pl))
        out.append(repr(N.ParameterList([N.Parameter(T.zeros(1))])))
        pd = N.ParameterDict({"b": T.zeros(1), "a": N.Parameter(T.zeros(2, 3, dtype=T.float64))})
        pd["s"] = "str"
        pd.update({"d": T.zeros(1), "c": T.zeros(1)})
        out.append(repr(pd))
        out.append(list(pd.keys()))
        out.append(list(pd.state_dict().keys()))
        out.append("a" in pd)
        out.append(repr(pd.pop("a")) == repr(N.Parameter(T.zeros(2, 3, dtype=T.float64))))
        out.append(len(pd))
        out.append(pd.get("zz", 5))
        return out

    assert ops(tg, tnn) == ops(torch, nn)


def test_nested_repr_with_containers():
    factory = (lambda N: N.Sequential(OrderedDict([
        ("features", N.Sequential(N.Linear(2, 3), N.BatchNorm1d(3), N.ReLU())),
        ("heads", N.ModuleList([N.Linear(3, 1) for _ in range(2)])),
        ("extra", N.ModuleDict({"drop": N.Dropout(0.1), "emb": N.Embedding(3, 2)})),
        ("params", N.ParameterList([N.Parameter(N.init.zeros_(N.Linear(1, 1).weight.data.new_empty(2)))])),
    ])))
    build_both(factory)


def _train(T, N, steps=5):
    T.manual_seed(0)
    model = N.Sequential(N.Linear(6, 16), N.BatchNorm1d(16), N.GELU(), N.Dropout(0.2), N.Linear(16, 16),
                         N.LayerNorm(16), N.SiLU(), N.Linear(16, 4))
    opt = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = N.CrossEntropyLoss(label_smoothing=0.1)
    gen = torch.Generator().manual_seed(1)
    losses = []
    for _ in range(steps):
        x = torch.randn(8, 6, generator=gen)
        y = torch.randint(0, 4, (8,), generator=gen)
        if T is tg:
            x, y = to_tg(x), to_tg(y)
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        N.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
    model.eval()
    return losses, {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def test_seeded_training_loop_matches_oracle():
    losses_g, state_g = _train(tg, tnn)
    losses_t, state_t = _train(torch, nn)
    np.testing.assert_allclose(losses_g, losses_t, rtol=1e-5)
    assert list(state_g) == list(state_t)
    for k in state_t:
        np.testing.assert_allclose(state_g[k], state_t[k], rtol=1e-4, atol=1e-5, err_msg=k)
