"""Every loss (functional and module) with every reduction against the PyTorch oracle: values, gradients of the
input and target, grad_fn names, legacy size_average/reduce, and error messages."""
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn
import tritongrad.nn.functional as TF

torch = pytest.importorskip("torch")
F = torch.nn.functional
nn = torch.nn

REDUCTIONS = ["mean", "sum", "none"]


def to_tg(t):
    x = tg.from_numpy(t.detach().numpy().copy())
    if t.requires_grad:
        x.requires_grad_(True)
    return x


def close(a, b, rtol=1e-7, atol=1e-9):
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol, atol=atol)
    assert tuple(a.shape) == tuple(b.shape)


def node_name(t):
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None


def gen(seed):
    return torch.Generator().manual_seed(seed)


def randn(*shape, seed=0):
    return torch.randn(*shape, dtype=torch.float64, generator=gen(seed))


def rand(*shape, seed=0):
    return torch.rand(*shape, dtype=torch.float64, generator=gen(seed))


def check(fn_tg, fn_torch, inputs, grad_idx=(0,), rtol=1e-7, atol=1e-9, check_name=True):
    """Compare value, node name and the gradients of inputs[i] for i in grad_idx."""
    t_in = [x.clone() for x in inputs]
    for i in grad_idx:
        t_in[i].requires_grad_(True)
    g_in = [to_tg(x) for x in t_in]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_t = fn_torch(*t_in)
        out_g = fn_tg(*g_in)
    close(out_g, out_t, rtol, atol)
    assert str(out_g.dtype) == str(out_t.dtype)
    if check_name:
        assert node_name(out_g) == node_name(out_t)
    go = torch.randn(out_t.shape, dtype=out_t.dtype, generator=gen(99))
    out_t.backward(go)
    out_g.backward(to_tg(go))
    for i in grad_idx:
        assert g_in[i].grad is not None, f"no grad for input {i}"
        close(g_in[i].grad, t_in[i].grad, rtol, atol)


# ---------------------------------------------------------------- regression losses
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,kwargs", [("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {}),
                                         ("smooth_l1_loss", {"beta": 0.5}), ("smooth_l1_loss", {"beta": 0.0}),
                                         ("huber_loss", {}), ("huber_loss", {"delta": 0.3})])
def test_regression_losses(name, kwargs, reduction):
    x, y = randn(4, 5, seed=1) * 2, randn(4, 5, seed=2)
    check(lambda a, b: getattr(TF, name)(a, b, reduction=reduction, **kwargs),
          lambda a, b: getattr(F, name)(a, b, reduction=reduction, **kwargs), [x, y], grad_idx=(0, 1))


def test_mse_broadcast_warning_and_weight():
    x, y = randn(3, 4, seed=3), randn(4, seed=4)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[4\]\)\) that is different to the "
                                         r"input size \(torch.Size\(\[3, 4\]\)\)"):
        TF.mse_loss(to_tg(x), to_tg(y))
    check(TF.mse_loss, F.mse_loss, [x, y], grad_idx=(0, 1))
    w = rand(3, 4, seed=5)
    check(lambda a, b, ww: TF.mse_loss(a, b, weight=ww), lambda a, b, ww: F.mse_loss(a, b, weight=ww),
          [randn(3, 4, seed=6), y.expand(3, 4).clone(), w], grad_idx=(0,))
    check(lambda a, b, ww: TF.l1_loss(a, b, weight=ww), lambda a, b, ww: F.l1_loss(a, b, weight=ww),
          [randn(3, 4, seed=6), y.expand(3, 4).clone(), w], grad_idx=(0,))


@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False), (True, True), (False, True)])
def test_legacy_size_average_reduce(size_average, reduce):
    x, y = randn(3, 4, seed=7), randn(3, 4, seed=8)
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        out_g = TF.mse_loss(to_tg(x), to_tg(y), size_average=size_average, reduce=reduce)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_t = F.mse_loss(x, y, size_average=size_average, reduce=reduce)
        close(out_g, out_t)
        m_g = tnn.L1Loss(size_average=size_average, reduce=reduce)
        m_t = nn.L1Loss(size_average=size_average, reduce=reduce)
    assert m_g.reduction == m_t.reduction
    close(m_g(to_tg(x), to_tg(y)), m_t(x, y))


# ---------------------------------------------------------------- classification losses
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"weight": True}, {"ignore_index": 1}, {"weight": True, "ignore_index": 0},
                                  {"label_smoothing": 0.2}, {"label_smoothing": 0.1, "weight": True},
                                  {"label_smoothing": 0.3, "ignore_index": 2}])
def test_cross_entropy_class_indices(opts, reduction):
    x = randn(6, 4, seed=9) * 2
    t = torch.tensor([0, 1, 2, 3, 1, 2])
    kw = dict(opts)
    w_t = rand(4, seed=10) + 0.5 if kw.pop("weight", False) else None
    w_g = to_tg(w_t) if w_t is not None else None
    check(lambda a: TF.cross_entropy(a, to_tg(t), weight=w_g, reduction=reduction, **kw),
          lambda a: F.cross_entropy(a, t, weight=w_t, reduction=reduction, **kw), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_k_dim_and_unbatched(reduction):
    x = randn(2, 3, 4, 5, seed=11)
    t = torch.randint(0, 3, (2, 4, 5), generator=gen(12))
    check(lambda a: TF.cross_entropy(a, to_tg(t), reduction=reduction),
          lambda a: F.cross_entropy(a, t, reduction=reduction), [x])
    check(lambda a: TF.cross_entropy(a, to_tg(t), reduction=reduction, label_smoothing=0.25, ignore_index=1),
          lambda a: F.cross_entropy(a, t, reduction=reduction, label_smoothing=0.25, ignore_index=1), [x])
    t1 = torch.tensor(2)
    check(lambda a: TF.cross_entropy(a, to_tg(t1), reduction=reduction),
          lambda a: F.cross_entropy(a, t1, reduction=reduction), [randn(4, seed=13)])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"label_smoothing": 0.2}, {"weight": True}])
def test_cross_entropy_class_probabilities(opts, reduction):
    x = randn(5, 4, seed=14)
    p = torch.softmax(randn(5, 4, seed=15), 1)
    kw = dict(opts)
    w_t = rand(4, seed=16) + 0.5 if kw.pop("weight", False) else None
    w_g = to_tg(w_t) if w_t is not None else None
    check(lambda a, b: TF.cross_entropy(a, b, weight=w_g, reduction=reduction, **kw),
          lambda a, b: F.cross_entropy(a, b, weight=w_t, reduction=reduction, **kw), [x, p], grad_idx=(0, 1),
          check_name=False)


def test_cross_entropy_float32_node_and_module():
    x = torch.randn(8, 10, generator=gen(17))
    t = torch.randint(0, 10, (8,), generator=gen(18))
    check(lambda a: tnn.CrossEntropyLoss()(a, to_tg(t)), lambda a: nn.CrossEntropyLoss()(a, t), [x], rtol=1e-5,
          atol=1e-6)
    check(lambda a: tnn.CrossEntropyLoss(label_smoothing=0.1, reduction="sum")(a, to_tg(t)),
          lambda a: nn.CrossEntropyLoss(label_smoothing=0.1, reduction="sum")(a, t), [x], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss(reduction, weighted):
    x = torch.log_softmax(randn(5, 3, seed=19), 1)
    t = torch.tensor([0, 2, 1, 2, -100])
    w_t = rand(3, seed=20) + 0.1 if weighted else None
    w_g = to_tg(w_t) if weighted else None
    check(lambda a: TF.nll_loss(a, to_tg(t), w_g, reduction=reduction),
          lambda a: F.nll_loss(a, t, w_t, reduction=reduction), [x])
    x3 = randn(2, 3, 4, seed=21)
    t3 = torch.tensor([[0, 1, 2, 1], [2, 2, 0, 1]])
    check(lambda a: TF.nll_loss(a, to_tg(t3), w_g, reduction=reduction),
          lambda a: F.nll_loss(a, t3, w_t, reduction=reduction), [x3])
    tnll = tnn.NLLLoss(weight=w_g, ignore_index=2, reduction=reduction)
    onll = nn.NLLLoss(weight=w_t, ignore_index=2, reduction=reduction)
    close(tnll(to_tg(x), to_tg(t.clamp(min=0))), onll(x, t.clamp(min=0)))


def test_nll_loss_all_ignored_mean_is_nan():
    x = torch.log_softmax(randn(2, 3, seed=22), 1)
    t = torch.tensor([-100, -100])
    out_g = TF.nll_loss(to_tg(x), to_tg(t))
    assert np.isnan(out_g.item()) and np.isnan(F.nll_loss(x, t).item())


LOSS_ERRORS = [
    lambda M, T: M.nll_loss(T.randn(3, 4), T.tensor([1.0, 2.0, 3.0])),
    lambda M, T: M.nll_loss(T.randn(3, 4), T.tensor([1, 2])),
    lambda M, T: M.nll_loss(T.randn(3, 4), T.tensor([1, 2, 5])),
    lambda M, T: M.nll_loss(T.randn(3, 4), T.tensor([1, 2, -2])),
    lambda M, T: M.nll_loss(T.tensor(1.0), T.tensor(1)),
    lambda M, T: M.nll_loss(T.randn(3, 4), T.tensor([1, 2, 3], dtype=T.int32)),
    lambda M, T: M.nll_loss(T.randn(3, 4), T.tensor([1, 2, 3]), weight=T.ones(3)),
    lambda M, T: M.nll_loss(T.rand(2, 3, 4), T.tensor([[1, 2, 0], [0, 0, 0]])),
    lambda M, T: M.cross_entropy(T.randn(3, 4), T.rand(3, 5)),
    lambda M, T: M.cross_entropy(T.randn(3, 4), T.rand(2, 4)),
    lambda M, T: M.cross_entropy(T.randn(3, 4), T.rand(3)),
    lambda M, T: M.cross_entropy(T.randn(3, 4), T.rand(3, 4), ignore_index=1),
    lambda M, T: M.cross_entropy(T.randn(3, 4), T.tensor([1, 2, 3]), label_smoothing=1.5),
    lambda M, T: M.cross_entropy(T.randn(3, 4), T.tensor([1, 2, 3]), reduction="foo"),
    lambda M, T: M.mse_loss(T.randn(3, 4), T.rand(2, 4)),
    lambda M, T: M.binary_cross_entropy(T.rand(3), T.rand(2)),
    lambda M, T: M.binary_cross_entropy(T.rand(3) + 1, T.rand(3)),
    lambda M, T: M.binary_cross_entropy_with_logits(T.rand(3), T.rand(2)),
    lambda M, T: M.smooth_l1_loss(T.rand(3), T.rand(3), beta=-1),
    lambda M, T: M.huber_loss(T.rand(3), T.rand(3), delta=-1),
    lambda M, T: M.margin_ranking_loss(T.rand(3), T.rand(3, 1), T.rand(3)),
    lambda M, T: M.triplet_margin_loss(T.rand(3, 2), T.rand(3, 2), T.rand(2)),
    lambda M, T: M.gaussian_nll_loss(T.ones(3, 4), T.ones(3, 4), -T.ones(3, 4)),
    lambda M, T: M.gaussian_nll_loss(T.ones(3, 4), T.ones(3, 4), T.ones(3, 2)),
    lambda M, T: M.multi_margin_loss(T.rand(3, 4), T.tensor([1, 2, 3]), p=3),
    lambda M, T: M.multilabel_margin_loss(T.rand(3, 4), T.tensor([1, 2, -1, 0])),
    lambda M, T: M.poisson_nll_loss(T.rand(3), T.rand(3), reduction="x"),
]


@pytest.mark.parametrize("call", LOSS_ERRORS, ids=[f"err{i}" for i in range(len(LOSS_ERRORS))])
def test_loss_errors_match(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as et:
            call(F, torch)
        with pytest.raises(type(et.value)) as eg:
            call(TF, tg)
    assert str(eg.value) == str(et.value)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(reduction, weighted):
    x = torch.sigmoid(randn(4, 3, seed=23))
    y = rand(4, 3, seed=24)
    w_t = rand(3, seed=25) if weighted else None
    w_g = to_tg(w_t) if weighted else None
    check(lambda a, b: TF.binary_cross_entropy(a, b, w_g, reduction=reduction),
          lambda a, b: F.binary_cross_entropy(a, b, w_t, reduction=reduction), [x, y], grad_idx=(0, 1))
    close(tnn.BCELoss(weight=w_g, reduction=reduction)(to_tg(x), to_tg(y)),
          nn.BCELoss(weight=w_t, reduction=reduction)(x, y))


def test_binary_cross_entropy_log_clamp():
    x = torch.tensor([0.0, 1.0, 0.5], dtype=torch.float64)
    y = torch.tensor([1.0, 0.0, 0.5], dtype=torch.float64)
    check(lambda a, b: TF.binary_cross_entropy(a, b, reduction="none"),
          lambda a, b: F.binary_cross_entropy(a, b, reduction="none"), [x, y], grad_idx=(0,))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"weight": True}, {"pos_weight": True}, {"weight": True, "pos_weight": True}])
def test_bce_with_logits(opts, reduction):
    x = randn(4, 3, seed=26) * 3
    y = rand(4, 3, seed=27)
    w_t = rand(3, seed=28) if opts.get("weight") else None
    pw_t = rand(3, seed=29) * 3 if opts.get("pos_weight") else None
    w_g = to_tg(w_t) if w_t is not None else None
    pw_g = to_tg(pw_t) if pw_t is not None else None
    check(lambda a, b: TF.binary_cross_entropy_with_logits(a, b, w_g, reduction=reduction, pos_weight=pw_g),
          lambda a, b: F.binary_cross_entropy_with_logits(a, b, w_t, reduction=reduction, pos_weight=pw_t),
          [x, y], grad_idx=(0, 1))
    close(tnn.BCEWithLogitsLoss(w_g, reduction=reduction, pos_weight=pw_g)(to_tg(x), to_tg(y)),
          nn.BCEWithLogitsLoss(w_t, reduction=reduction, pos_weight=pw_t)(x, y))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = torch.log_softmax(randn(3, 4, seed=30), 1)
    y = torch.softmax(randn(3, 4, seed=31), 1)
    if log_target:
        y = y.log()
    y[0, 0] = 0.0 if not log_target else y[0, 0]
    check(lambda a, b: TF.kl_div(a, b, reduction=reduction, log_target=log_target),
          lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target), [x, y], grad_idx=(0,))
    close(tnn.KLDivLoss(reduction=reduction, log_target=log_target)(to_tg(x), to_tg(y)),
          nn.KLDivLoss(reduction=reduction, log_target=log_target)(x, y))


def test_kl_div_mean_warns():
    with pytest.warns(UserWarning, match="reduction: 'mean' divides the total loss by both the batch size"):
        TF.kl_div(tg.randn(2, 3), tg.rand(2, 3))


# ---------------------------------------------------------------- margin / embedding losses
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_and_embedding_losses(reduction):
    x1, x2 = randn(5, 4, seed=32), randn(5, 4, seed=33)
    y = torch.tensor([1, -1, 1, -1, 1], dtype=torch.float64)
    check(lambda a, b: TF.cosine_embedding_loss(a, b, to_tg(y), margin=0.2, reduction=reduction),
          lambda a, b: F.cosine_embedding_loss(a, b, y, margin=0.2, reduction=reduction), [x1, x2],
          grad_idx=(0, 1), check_name=reduction != "none")
    check(lambda a, b: TF.margin_ranking_loss(a, b, to_tg(y), margin=0.1, reduction=reduction),
          lambda a, b: F.margin_ranking_loss(a, b, y, margin=0.1, reduction=reduction), [x1[:, 0], x2[:, 0]],
          grad_idx=(0, 1), check_name=reduction != "none")
    ysign = torch.sign(randn(5, 4, seed=34))
    check(lambda a: TF.hinge_embedding_loss(a, to_tg(ysign), margin=0.5, reduction=reduction),
          lambda a: F.hinge_embedding_loss(a, ysign, margin=0.5, reduction=reduction), [x1])
    check(lambda a: TF.soft_margin_loss(a, to_tg(ysign), reduction=reduction),
          lambda a: F.soft_margin_loss(a, ysign, reduction=reduction), [x1])
    yprob = (rand(5, 4, seed=35) > 0.5).double()
    wt = rand(4, seed=36)
    check(lambda a: TF.multilabel_soft_margin_loss(a, to_tg(yprob), weight=to_tg(wt), reduction=reduction),
          lambda a: F.multilabel_soft_margin_loss(a, yprob, weight=wt, reduction=reduction), [x1])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"swap": True}, {"p": 1.0, "margin": 0.5}])
def test_triplet_margin_loss(reduction, opts):
    a, p, n = randn(4, 3, seed=37), randn(4, 3, seed=38), randn(4, 3, seed=39)
    check(lambda x, y, z: TF.triplet_margin_loss(x, y, z, reduction=reduction, **opts),
          lambda x, y, z: F.triplet_margin_loss(x, y, z, reduction=reduction, **opts), [a, p, n],
          grad_idx=(0, 1, 2), check_name=reduction != "none")
    close(tnn.TripletMarginLoss(reduction=reduction, **opts)(to_tg(a), to_tg(p), to_tg(n)),
          nn.TripletMarginLoss(reduction=reduction, **opts)(a, p, n))
    check(lambda x, y, z: TF.triplet_margin_with_distance_loss(x, y, z, reduction=reduction,
                                                               swap=opts.get("swap", False)),
          lambda x, y, z: F.triplet_margin_with_distance_loss(x, y, z, reduction=reduction,
                                                              swap=opts.get("swap", False)),
          [a, p, n], grad_idx=(0, 1, 2), check_name=reduction != "none")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin_loss(reduction):
    x = randn(3, 5, seed=40)
    t = torch.tensor([[3, 0, -1, 1, 2], [1, 2, 4, -1, 0], [0, 1, 2, 3, 4]])
    check(lambda a: TF.multilabel_margin_loss(a, to_tg(t), reduction=reduction),
          lambda a: F.multilabel_margin_loss(a, t, reduction=reduction), [x])
    check(lambda a: TF.multilabel_margin_loss(a, to_tg(t[0]), reduction=reduction),
          lambda a: F.multilabel_margin_loss(a, t[0], reduction=reduction), [x[0].clone()])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin_loss(reduction, p):
    x = randn(4, 5, seed=41)
    t = torch.tensor([0, 4, 2, 2])
    w = rand(5, seed=42)
    check(lambda a: TF.multi_margin_loss(a, to_tg(t), p=p, margin=0.7, reduction=reduction),
          lambda a: F.multi_margin_loss(a, t, p=p, margin=0.7, reduction=reduction), [x])
    check(lambda a: TF.multi_margin_loss(a, to_tg(t), p=p, weight=to_tg(w), reduction=reduction),
          lambda a: F.multi_margin_loss(a, t, p=p, weight=w, reduction=reduction), [x])


# ---------------------------------------------------------------- likelihood losses
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"log_input": False}, {"full": True}, {"log_input": False, "full": True}])
def test_poisson_nll_loss(reduction, opts):
    x = rand(4, 3, seed=43) + 0.1
    y = rand(4, 3, seed=44) * 4
    check(lambda a, b: TF.poisson_nll_loss(a, b, reduction=reduction, **opts),
          lambda a, b: F.poisson_nll_loss(a, b, reduction=reduction, **opts), [x, y], grad_idx=(0, 1))
    close(tnn.PoissonNLLLoss(reduction=reduction, **opts)(to_tg(x), to_tg(y)),
          nn.PoissonNLLLoss(reduction=reduction, **opts)(x, y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("var_shape", [(4, 3), (4, 1), (4,)])
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_loss(reduction, var_shape, full):
    x, y = randn(4, 3, seed=45), randn(4, 3, seed=46)
    v = rand(*var_shape, seed=47) + 0.05
    check(lambda a, b, c: TF.gaussian_nll_loss(a, b, c, full=full, reduction=reduction),
          lambda a, b, c: F.gaussian_nll_loss(a, b, c, full=full, reduction=reduction), [x, y, v],
          grad_idx=(0, 1, 2))
    close(tnn.GaussianNLLLoss(full=full, reduction=reduction)(to_tg(x), to_tg(y), to_tg(v)),
          nn.GaussianNLLLoss(full=full, reduction=reduction)(x, y, v))


def test_loss_module_reprs_and_buffers():
    pairs = [(tnn.MSELoss(), nn.MSELoss()), (tnn.CrossEntropyLoss(), nn.CrossEntropyLoss()),
             (tnn.TripletMarginWithDistanceLoss(), nn.TripletMarginWithDistanceLoss()),
             (tnn.BCEWithLogitsLoss(pos_weight=tg.ones(2)), nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)))]
    for a, b in pairs:
        assert repr(a) == repr(b)
        assert list(a.state_dict().keys()) == list(b.state_dict().keys())
        assert list(a._buffers.keys()) == list(b._buffers.keys())


@pytest.mark.parametrize("name", ["mse_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy_with_logits",
                                  "cross_entropy", "nll_loss", "soft_margin_loss", "multi_margin_loss",
                                  "binary_cross_entropy"])
def test_double_backward_through_loss(name):
    x = randn(4, 3, seed=60)
    if name == "binary_cross_entropy":
        x = torch.sigmoid(x)
    if name in ("cross_entropy", "nll_loss", "multi_margin_loss"):
        target = torch.tensor([0, 2, 1, 2])
    elif name == "soft_margin_loss":
        target = torch.sign(randn(4, 3, seed=61))
    else:
        target = rand(4, 3, seed=61)
    xt = x.clone().requires_grad_()
    xg = to_tg(xt)
    kw = {"p": 2} if name == "multi_margin_loss" else {}
    (gt,) = torch.autograd.grad(getattr(F, name)(xt, target, **kw), xt, create_graph=True)
    (gg,) = tg.autograd.grad(getattr(TF, name)(xg, to_tg(target), **kw), xg, create_graph=True)
    close(gg, gt)
    if name == "multi_margin_loss":
        return  # PyTorch has no double backward for it
    (g2t,) = torch.autograd.grad((gt * gt).sum(), xt, allow_unused=True)
    if not gg.requires_grad:
        # a gradient that is constant in x: PyTorch's second derivative is zero
        assert g2t is None or not g2t.numpy().any()
        return
    (g2g,) = tg.autograd.grad((gg * gg).sum(), xg, allow_unused=True)
    if g2t is None:
        assert g2g is None or not g2g.numpy().any()
    else:
        close(g2g, g2t, 1e-6, 1e-8)
