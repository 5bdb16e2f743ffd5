"""nn.functional activations, normalization, embedding and distances against the PyTorch oracle:
values, input/parameter gradients, grad_fn names and error messages."""
import math
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn.functional as TF

torch = pytest.importorskip("torch")
F = torch.nn.functional


def to_tg(t, requires_grad=None):
    x = tg.from_numpy(t.detach().numpy().copy())
    if requires_grad is None:
        requires_grad = t.requires_grad
    if requires_grad:
        x.requires_grad_(True)
    return x


def close(a, b, rtol=1e-7, atol=1e-9):
    a_np = a.detach().numpy() if isinstance(a, tg.Tensor) else np.asarray(a)
    b_np = b.detach().numpy()
    assert a_np.shape == b_np.shape, (a_np.shape, b_np.shape)
    np.testing.assert_allclose(a_np, b_np, rtol=rtol, atol=atol)


def node_name(t):
    return type(t.grad_fn).__name__ if t.grad_fn is not None else None


def run_both(fn_tg, fn_torch, *inputs, grad_out_seed=0, rtol=1e-7, atol=1e-9, check_name=True):
    """Run with the same float64 inputs in both frameworks; compare outputs, node names and all input grads."""
    t_in = [x.clone().requires_grad_(x.is_floating_point()) if isinstance(x, torch.Tensor) else x for x in inputs]
    g_in = [to_tg(x) if isinstance(x, torch.Tensor) else x for x in t_in]
    out_t = fn_torch(*t_in)
    out_g = fn_tg(*g_in)
    close(out_g, out_t, rtol, atol)
    assert out_g.dtype.__repr__() == repr(out_t.dtype)
    if check_name:
        assert node_name(out_g) == node_name(out_t)
    gen = torch.Generator().manual_seed(grad_out_seed)
    go = torch.randn(out_t.shape, dtype=out_t.dtype, generator=gen)
    out_t.backward(go)
    out_g.backward(to_tg(go))
    for a, b in zip(g_in, t_in):
        if isinstance(b, torch.Tensor) and b.requires_grad:
            if b.grad is None:
                assert a.grad is None or not a.grad.detach().numpy().any()
            else:
                close(a.grad, b.grad, rtol, atol)
    return out_g, out_t


def randn(*shape, seed=0, dtype=torch.float64):
    return torch.randn(shape, dtype=dtype, generator=torch.Generator().manual_seed(seed))


# ---------------------------------------------------------------- activations
ACTIVATIONS = [
    ("relu", {}), ("relu6", {}), ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {"alpha": 0.7}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}), ("gelu", {}), ("gelu", {"approximate": "tanh"}),
    ("silu", {}), ("mish", {}), ("sigmoid", {}), ("tanh", {}), ("softplus", {}), ("softplus", {"beta": 2,
                                                                                              "threshold": 3}),
    ("softsign", {}), ("hardtanh", {}), ("hardtanh", {"min_val": -0.5, "max_val": 2.0}), ("hardsigmoid", {}),
    ("hardswish", {}), ("logsigmoid", {}), ("tanhshrink", {}), ("threshold", {"threshold": 0.1, "value": 2.0}),
    ("softshrink", {}), ("softshrink", {"lambd": 1.0}), ("hardshrink", {}), ("glu", {}), ("glu", {"dim": 0}),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS, ids=[f"{n}-{k}" for n, k in ACTIVATIONS])
def test_activation_values_grads_and_node(name, kwargs):
    x = randn(4, 6, seed=1) * 3
    run_both(lambda a: getattr(TF, name)(a, **kwargs), lambda a: getattr(F, name)(a, **kwargs), x)


@pytest.mark.parametrize("name", ["gelu", "silu", "mish", "elu", "softplus", "logsigmoid", "hardswish", "glu"])
def test_activation_float32(name):
    x = randn(3, 8, seed=2, dtype=torch.float32) * 4
    run_both(lambda a: getattr(TF, name)(a), lambda a: getattr(F, name)(a), x, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["gelu", "silu", "elu", "softplus", "logsigmoid", "mish"])
def test_activation_double_backward(name):
    x = randn(5, seed=3, dtype=torch.float64).requires_grad_()
    xg = to_tg(x)
    (gt,) = torch.autograd.grad(getattr(F, name)(x).sum(), x, create_graph=True)
    (gg,) = tg.autograd.grad(getattr(TF, name)(xg).sum(), xg, create_graph=True)
    close(gg, gt)
    (g2t,) = torch.autograd.grad((gt * gt).sum(), x)
    (g2g,) = tg.autograd.grad((gg * gg).sum(), xg)
    close(g2g, g2t)


@pytest.mark.parametrize("name,kwargs", [("relu", {}), ("elu", {}), ("leaky_relu", {"negative_slope": 0.3}),
                                         ("hardtanh", {}), ("relu6", {}), ("silu", {}), ("selu", {}),
                                         ("threshold", {"threshold": 0.0, "value": -1.0}), ("hardswish", {}),
                                         ("hardsigmoid", {}), ("mish", {}), ("celu", {})])
def test_inplace_activation_on_nonleaf(name, kwargs):
    x = randn(3, 4, seed=4)
    xt = x.clone().requires_grad_()
    xg = to_tg(xt)
    yt = xt * 2
    yg = xg * 2
    rt = getattr(F, name)(yt, inplace=True, **kwargs)
    rg = getattr(TF, name)(yg, inplace=True, **kwargs)
    assert rg is yg
    close(yg, yt)
    assert node_name(rg) == node_name(rt)
    rt.sum().backward()
    rg.sum().backward()
    close(xg.grad, xt.grad)


def test_inplace_on_leaf_requiring_grad_raises():
    x = tg.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        TF.elu(x, inplace=True)


def test_prelu_per_channel_and_shared():
    x = randn(2, 3, 4, seed=5)
    for w in (torch.tensor([0.25, -0.1, 0.5], dtype=torch.float64), torch.tensor([0.3], dtype=torch.float64)):
        run_both(TF.prelu, F.prelu, x, w)


def test_prelu_channel_mismatch_error():
    with pytest.raises(RuntimeError) as e:
        TF.prelu(tg.randn(3, 4), tg.rand(2))
    with pytest.raises(RuntimeError) as e2:
        F.prelu(torch.randn(3, 4), torch.rand(2))
    assert str(e.value) == str(e2.value)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax", "softmin"])
def test_softmax_family(fn):
    x = randn(3, 5, seed=6)
    for dim in (0, 1, -1):
        run_both(lambda a: getattr(TF, fn)(a, dim), lambda a: getattr(F, fn)(a, dim), x)


def test_softmax_dtype_and_implicit_dim_warning():
    x = randn(3, 5, seed=7, dtype=torch.float32)
    run_both(lambda a: TF.softmax(a, 1, dtype=tg.float64), lambda a: F.softmax(a, 1, dtype=torch.float64), x)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        out = TF.softmax(to_tg(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        close(out, F.softmax(x), 1e-6, 1e-7)
        close(TF.log_softmax(to_tg(randn(4))), F.log_softmax(randn(4)))


@pytest.mark.parametrize("call,message_fn", [
    (lambda M: M.gelu(M_rand(M), approximate="foo"), None),
    (lambda M: M.glu(M_rand(M, 3, 3), 1), None),
    (lambda M: M.hardtanh(M_rand(M), 2.0, 1.0), None),
])
def test_activation_errors(call, message_fn):
    with pytest.raises(Exception) as et:
        call(F)
    with pytest.raises(type(et.value)) as eg:
        call(TF)
    assert str(eg.value) == str(et.value)


def M_rand(M, *shape):
    shape = shape or (3, 4)
    return torch.rand(*shape) if M is F else tg.rand(*shape)


# ---------------------------------------------------------------- linear / bilinear
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (4,)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear(shape, with_bias):
    x = randn(*shape, seed=8)
    w = randn(5, 4, seed=9)
    b = randn(5, seed=10)
    if with_bias:
        out_g, out_t = run_both(TF.linear, F.linear, x, w, b, check_name=False)
    else:
        out_g, out_t = run_both(TF.linear, F.linear, x, w, check_name=False)
    if len(shape) == 2 or with_bias:
        assert node_name(out_g) == node_name(out_t)


def test_linear_non_contiguous_input_with_bias():
    run_both(lambda x, w, b: TF.linear(x.transpose(1, 2), w, b), lambda x, w, b: F.linear(x.transpose(1, 2), w, b),
             randn(2, 4, 3, seed=8), randn(5, 4, seed=9), randn(5, seed=10))


def test_linear_shape_error_matches():
    with pytest.raises(RuntimeError) as et:
        F.linear(torch.randn(3, 4), torch.randn(5, 3))
    with pytest.raises(RuntimeError) as eg:
        TF.linear(tg.randn(3, 4), tg.randn(5, 3))
    assert str(eg.value) == str(et.value)


def test_bilinear():
    run_both(TF.bilinear, F.bilinear, randn(4, 3, seed=1), randn(4, 2, seed=2), randn(5, 3, 2, seed=3),
             randn(5, seed=4))
    run_both(TF.bilinear, F.bilinear, randn(2, 4, 3, seed=1), randn(2, 4, 2, seed=2), randn(5, 3, 2, seed=3),
             check_name=False)


# ---------------------------------------------------------------- normalization
@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm(affine):
    x = randn(3, 4, 5, seed=11)
    if affine:
        run_both(lambda a, w, b: TF.layer_norm(a, (4, 5), w, b), lambda a, w, b: F.layer_norm(a, (4, 5), w, b), x,
                 randn(4, 5, seed=12), randn(4, 5, seed=13))
    else:
        run_both(lambda a: TF.layer_norm(a, (5,)), lambda a: F.layer_norm(a, (5,)), x)


def test_layer_norm_float32_and_error():
    x = randn(6, 8, seed=14, dtype=torch.float32)
    run_both(lambda a: TF.layer_norm(a, (8,)), lambda a: F.layer_norm(a, (8,)), x, rtol=1e-5, atol=1e-5)
    with pytest.raises(RuntimeError) as et:
        F.layer_norm(torch.randn(3, 4), (5,))
    with pytest.raises(RuntimeError) as eg:
        TF.layer_norm(tg.randn(3, 4), (5,))
    assert str(eg.value) == str(et.value)


def test_layer_norm_double_backward():
    x = randn(3, 4, seed=15).requires_grad_()
    w = randn(4, seed=16).requires_grad_()
    xg, wg = to_tg(x), to_tg(w)
    gt = torch.autograd.grad(F.layer_norm(x, (4,), w).pow(3).sum(), (x, w), create_graph=True)
    gg = tg.autograd.grad(TF.layer_norm(xg, (4,), wg).pow(3).sum(), (xg, wg), create_graph=True)
    for a, b in zip(gg, gt):
        close(a, b)
    s_t = torch.autograd.grad(sum((g * g).sum() for g in gt), (x, w))
    s_g = tg.autograd.grad(sum((g * g).sum() for g in gg), (xg, wg))
    for a, b in zip(s_g, s_t):
        close(a, b, 1e-6, 1e-8)


@pytest.mark.parametrize("shape,groups", [((2, 6, 5), 3), ((2, 4, 3, 3), 2), ((3, 4), 4)])
def test_group_norm(shape, groups):
    c = shape[1]
    run_both(lambda a, w, b: TF.group_norm(a, groups, w, b), lambda a, w, b: F.group_norm(a, groups, w, b),
             randn(*shape, seed=17), randn(c, seed=18), randn(c, seed=19))
    run_both(lambda a: TF.group_norm(a, groups), lambda a: F.group_norm(a, groups), randn(*shape, seed=20))


def test_group_norm_error():
    with pytest.raises(RuntimeError) as et:
        F.group_norm(torch.rand(2, 3, 4), 2)
    with pytest.raises(RuntimeError) as eg:
        TF.group_norm(tg.rand(2, 3, 4), 2)
    assert str(eg.value) == str(et.value)


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm(shape, training):
    c = shape[1]
    rm_t, rv_t = randn(c, seed=21), randn(c, seed=22).abs() + 0.5
    rm_g, rv_g = to_tg(rm_t), to_tg(rv_t)
    run_both(lambda a, w, b: TF.batch_norm(a, rm_g, rv_g, w, b, training, 0.3),
             lambda a, w, b: F.batch_norm(a, rm_t, rv_t, w, b, training, 0.3),
             randn(*shape, seed=23), randn(c, seed=24), randn(c, seed=25))
    close(rm_g, rm_t)
    close(rv_g, rv_t)


def test_batch_norm_errors():
    for args in [(torch.rand(1, 3), None, None), (torch.rand(2, 3), None, None)]:
        training = args[0].shape[0] == 1
        with pytest.raises(Exception) as et:
            F.batch_norm(*args, training=training)
        with pytest.raises(type(et.value)) as eg:
            TF.batch_norm(to_tg(args[0]), None, None, training=training)
        assert str(eg.value) == str(et.value)


def test_instance_norm():
    x = randn(2, 3, 5, seed=26)
    run_both(lambda a, w, b: TF.instance_norm(a, weight=w, bias=b),
             lambda a, w, b: F.instance_norm(a, weight=w, bias=b), x, randn(3, seed=27), randn(3, seed=28),
             check_name=False)
    rm_t, rv_t = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    rm_g, rv_g = to_tg(rm_t), to_tg(rv_t)
    close(TF.instance_norm(to_tg(x), rm_g, rv_g), F.instance_norm(x, rm_t, rv_t))
    close(rm_g, rm_t)
    close(rv_g, rv_t)


def test_rms_norm():
    run_both(lambda a, w: TF.rms_norm(a, (4,), w), lambda a, w: F.rms_norm(a, (4,), w), randn(3, 4, seed=29),
             randn(4, seed=30))
    run_both(lambda a: TF.rms_norm(a, (4,), eps=1e-3), lambda a: F.rms_norm(a, (4,), eps=1e-3),
             randn(3, 4, seed=31))


# ---------------------------------------------------------------- embedding, one_hot, distances
def test_embedding_values_grads_padding_and_freq():
    w = randn(6, 3, seed=32)
    idx = torch.tensor([[0, 2, 2], [5, 1, 2]])
    run_both(lambda i, ww: TF.embedding(i, ww), lambda i, ww: F.embedding(i, ww), idx, w)
    run_both(lambda i, ww: TF.embedding(i, ww, padding_idx=2), lambda i, ww: F.embedding(i, ww, padding_idx=2),
             idx, w)
    run_both(lambda i, ww: TF.embedding(i, ww, scale_grad_by_freq=True),
             lambda i, ww: F.embedding(i, ww, scale_grad_by_freq=True), idx, w)
    run_both(lambda i, ww: TF.embedding(i, ww, padding_idx=-1), lambda i, ww: F.embedding(i, ww, padding_idx=-1),
             torch.tensor([5, 0, 5]), w)


def test_embedding_max_norm_renormalises_weight_in_place():
    w_t = randn(5, 4, seed=33) * 3
    w_g = to_tg(w_t)
    idx = torch.tensor([0, 3, 3])
    out_t = F.embedding(idx, w_t, max_norm=1.5)
    out_g = TF.embedding(to_tg(idx), w_g, max_norm=1.5)
    close(out_g, out_t)
    close(w_g, w_t)


@pytest.mark.parametrize("call", [
    lambda M, T: M.embedding(T([1.0, 2.0]), T([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    lambda M, T: M.embedding(T([1, 5]), T([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    lambda M, T: M.one_hot(T([1.0, 2.0])),
    lambda M, T: M.one_hot(T([1, 2]), 2),
    lambda M, T: M.one_hot(T([1, -2])),
])
def test_embedding_and_one_hot_errors(call):
    with pytest.raises(Exception) as et:
        call(F, torch.tensor)
    with pytest.raises(type(et.value)) as eg:
        call(TF, tg.tensor)
    assert str(eg.value) == str(et.value)


def test_one_hot():
    for t, n in [(torch.tensor([0, 3, 1]), -1), (torch.tensor([[0, 1], [2, 0]]), 4), (torch.tensor(2), 3)]:
        out_g = TF.one_hot(to_tg(t), n)
        out_t = F.one_hot(t, n)
        assert out_g.dtype == tg.int64
        np.testing.assert_array_equal(out_g.numpy(), out_t.numpy())


def test_pairwise_distance_cosine_similarity_normalize():
    a, b = randn(4, 5, seed=34), randn(4, 5, seed=35)
    run_both(TF.pairwise_distance, F.pairwise_distance, a, b, check_name=False)
    run_both(lambda x, y: TF.pairwise_distance(x, y, 1.0, 1e-3, True),
             lambda x, y: F.pairwise_distance(x, y, 1.0, 1e-3, True), a, b, check_name=False)
    run_both(TF.cosine_similarity, F.cosine_similarity, a, b)
    run_both(lambda x, y: TF.cosine_similarity(x, y, 0), lambda x, y: F.cosine_similarity(x, y, 0), a, b)
    run_both(TF.normalize, F.normalize, a)
    run_both(lambda x: TF.normalize(x, 1.0, 0), lambda x: F.normalize(x, 1.0, 0), a)
    # a zero row: the norm clamp keeps the result finite
    z = torch.zeros(2, 3, dtype=torch.float64)
    close(TF.cosine_similarity(to_tg(z), to_tg(z)), F.cosine_similarity(z, z))


# ---------------------------------------------------------------- dropout
def test_dropout_matches_oracle_bit_for_bit():
    x = torch.ones(50, dtype=torch.float32)
    for seed, p in [(0, 0.2), (42, 0.5), (7, 0.9)]:
        torch.manual_seed(seed)
        tg.manual_seed(seed)
        np.testing.assert_array_equal(TF.dropout(to_tg(x), p).numpy(), F.dropout(x, p).numpy())


def test_dropout_grad_and_node():
    torch.manual_seed(3)
    tg.manual_seed(3)
    run_both(lambda a: TF.dropout(a, 0.4), lambda a: F.dropout(a, 0.4), randn(4, 5, seed=36))


def test_dropout_no_draw_cases_and_errors():
    x = tg.randn(3, 4)
    assert TF.dropout(x, 0.5, training=False) is x
    assert TF.dropout(x, 0.0) is x
    assert not TF.dropout(x, 1.0).numpy().any()
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        TF.dropout(x, 1.5)


@pytest.mark.parametrize("fn,shape", [("dropout1d", (2, 3, 4)), ("dropout1d", (3, 4)), ("dropout2d", (2, 3, 4, 4)),
                                      ("dropout3d", (2, 3, 2, 2, 2)), ("dropout3d", (3, 2, 2, 2))])
def test_feature_dropout_matches_oracle(fn, shape):
    x = torch.ones(shape)
    torch.manual_seed(11)
    tg.manual_seed(11)
    np.testing.assert_array_equal(getattr(TF, fn)(to_tg(x), 0.5).numpy(), getattr(F, fn)(x, 0.5).numpy())


def test_dropout1d_bad_dim_error_and_dropout2d_warning():
    with pytest.raises(RuntimeError) as et:
        F.dropout1d(torch.rand(2, 3, 4, 5))
    with pytest.raises(RuntimeError) as eg:
        TF.dropout1d(tg.rand(2, 3, 4, 5))
    assert str(eg.value) == str(et.value)
    with pytest.warns(UserWarning, match="dropout2d: Received a 3D input to dropout2d"):
        TF.dropout2d(tg.rand(2, 3, 4))


@pytest.mark.parametrize("fn", ["alpha_dropout", "feature_alpha_dropout"])
def test_alpha_dropout_matches_oracle(fn):
    x = randn(4, 3, 5, seed=37, dtype=torch.float32)
    torch.manual_seed(5)
    tg.manual_seed(5)
    close(getattr(TF, fn)(to_tg(x), 0.3, True), getattr(F, fn)(x, 0.3, True), 1e-6, 1e-6)
    assert getattr(TF, fn)(to_tg(x), 0.3, False).numpy().tolist() == x.numpy().tolist()


# ---------------------------------------------------------------- embedding_bag
EMBEDDING_BAG_CASES = [
    ({"mode": "mean"}, False), ({"mode": "sum"}, False), ({"mode": "max"}, False),
    ({"mode": "mean", "padding_idx": 4}, False), ({"mode": "sum", "include_last_offset": True}, False),
    ({"mode": "sum"}, True),
    ({"mode": "max", "padding_idx": 2}, False),
]


@pytest.mark.parametrize("kwargs,weighted", EMBEDDING_BAG_CASES, ids=range(len(EMBEDDING_BAG_CASES)))
def test_embedding_bag_1d_with_offsets(kwargs, weighted):
    idx = torch.tensor([1, 2, 4, 5, 4, 3, 0, 2])
    offsets = torch.tensor([0, 2, 2, 6]) if not kwargs.get("include_last_offset") else torch.tensor([0, 2, 2, 6, 8])
    w = randn(6, 3, seed=50)
    if weighted:
        psw = randn(8, seed=51)
        run_both(lambda ww, p: TF.embedding_bag(to_tg(idx), ww, to_tg(offsets), per_sample_weights=p, **kwargs),
                 lambda ww, p: F.embedding_bag(idx, ww, offsets, per_sample_weights=p, **kwargs), w, psw)
    else:
        run_both(lambda ww: TF.embedding_bag(to_tg(idx), ww, to_tg(offsets), **kwargs),
                 lambda ww: F.embedding_bag(idx, ww, offsets, **kwargs), w)


def test_embedding_bag_2d_and_module():
    idx = torch.tensor([[1, 2, 4], [5, 4, 3]])
    for mode in ("sum", "mean", "max"):
        run_both(lambda ww: TF.embedding_bag(to_tg(idx), ww, mode=mode),
                 lambda ww: F.embedding_bag(idx, ww, mode=mode), randn(6, 3, seed=52))
    torch.manual_seed(0)
    mt = torch.nn.EmbeddingBag(10, 3, mode="sum", padding_idx=2)
    tg.manual_seed(0)
    mg = tg.nn.EmbeddingBag(10, 3, mode="sum", padding_idx=2)
    assert repr(mg) == repr(mt)
    np.testing.assert_array_equal(mg.weight.detach().numpy(), mt.weight.detach().numpy())
    x, off = torch.tensor([1, 2, 9, 3]), torch.tensor([0, 3])
    close(mg(to_tg(x), to_tg(off)), mt(x, off))
    assert repr(tg.nn.EmbeddingBag(10, 3)) == repr(torch.nn.EmbeddingBag(10, 3))


@pytest.mark.parametrize("call", [
    lambda M, T, w: M.embedding_bag(T.tensor([[1, 2], [4, 5]]), w, T.tensor([0, 1])),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 4]), w),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 4]), w, T.tensor([0, 1]), mode="mean",
                                    per_sample_weights=T.ones(3)),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 4]), w, T.tensor([0, 1]), mode="foo"),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 9]), w, T.tensor([0, 1])),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 3, 9]), w, T.tensor([0, 1])),
    lambda M, T, w: M.embedding_bag(T.tensor([[1, 2], [9, 1]]), w),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 4]), w, T.tensor([1, 2])),
    lambda M, T, w: M.embedding_bag(T.tensor([1.0, 2, 4]), w, T.tensor([0, 1])),
    lambda M, T, w: M.embedding_bag(T.tensor([1, 2, 4]), w, T.tensor([0, 1]), per_sample_weights=T.ones(2),
                                    mode="sum"),
    lambda M, T, w: M.embedding_bag(T.tensor([[[1]]]), w),
])
def test_embedding_bag_errors(call):
    with pytest.raises(Exception) as et:
        call(F, torch, torch.zeros(6, 3))
    with pytest.raises(type(et.value)) as eg:
        call(TF, tg, tg.zeros(6, 3))
    assert str(eg.value) == str(et.value)


# ---------------------------------------------------------------- local_response_norm, pdist
@pytest.mark.parametrize("shape,size", [((2, 5, 4), 3), ((2, 6, 3, 3), 2), ((1, 4, 2, 2, 2), 5)])
def test_local_response_norm(shape, size):
    run_both(lambda a: TF.local_response_norm(a, size, 1e-2, 0.75, 2.0),
             lambda a: F.local_response_norm(a, size, 1e-2, 0.75, 2.0), randn(*shape, seed=60))
    mg, mt = tg.nn.LocalResponseNorm(size), torch.nn.LocalResponseNorm(size)
    assert repr(mg) == repr(mt)


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, math.inf, 0.0])
def test_pdist(p):
    x = randn(5, 3, seed=61)
    run_both(lambda a: TF.pdist(a, p), lambda a: F.pdist(a, p), x, check_name=True)


def test_lrn_and_pdist_errors():
    for call in (lambda M, T: M.local_response_norm(T.randn(2, 3), 2), lambda M, T: M.pdist(T.randn(3)),
                 lambda M, T: M.pdist(T.randn(3, 2), -1)):
        with pytest.raises(Exception) as et:
            call(F, torch)
        with pytest.raises(type(et.value)) as eg:
            call(TF, tg)
        assert str(eg.value) == str(et.value)


def test_rrelu_training_draws_match_oracle_and_eval_slope():
    x = randn(4, 5, seed=70)
    torch.manual_seed(9)
    tg.manual_seed(9)
    run_both(lambda a: TF.rrelu(a, training=True), lambda a: F.rrelu(a, training=True), x)
    run_both(lambda a: TF.rrelu(a, 0.1, 0.3), lambda a: F.rrelu(a, 0.1, 0.3), x)
    x32 = randn(50, seed=71, dtype=torch.float32)
    torch.manual_seed(2)
    tg.manual_seed(2)
    np.testing.assert_array_equal(TF.rrelu(to_tg(x32), training=True).numpy(), F.rrelu(x32, training=True).numpy())
    torch.manual_seed(2)
    tg.manual_seed(2)
    mg, mt = tg.nn.RReLU(0.1, 0.3), torch.nn.RReLU(0.1, 0.3)
    assert repr(mg) == repr(mt)
    np.testing.assert_array_equal(mg(to_tg(x32)).numpy(), mt(x32).numpy())


def _next_function_names(M, T):
    x = T.ones(4, 3, requires_grad=True)
    t = T.tensor([0, 1, 2, 0])
    w = T.ones(3, requires_grad=True)
    b = T.zeros(3, requires_grad=True)
    outs = {
        "nll": M.nll_loss(x, t), "nll_weighted": M.nll_loss(x, t, weight=T.ones(3)),
        "mse": M.mse_loss(x, x.detach()), "layer_norm": M.layer_norm(x, (3,), w, b),
        "layer_norm_plain": M.layer_norm(x, (3,)), "batch_norm": M.batch_norm(x, None, None, w, b, True),
        "group_norm": M.group_norm(x.view(4, 3, 1), 1, w, b), "embedding": M.embedding(t, x), "gelu": M.gelu(x),
        "prelu": M.prelu(x, w), "prelu_1d": M.prelu(w, T.ones(1, requires_grad=True)),
        "bce": M.binary_cross_entropy(T.sigmoid(x), T.ones(4, 3) * 0.5),
        "bce_logits": M.binary_cross_entropy_with_logits(x, T.ones(4, 3) * 0.5, pos_weight=T.ones(3)),
        "smooth_l1": M.smooth_l1_loss(x, x.detach() * 2), "soft_margin": M.soft_margin_loss(x, T.ones(4, 3)),
        "multi_margin": M.multi_margin_loss(x, t), "embedding_bag": M.embedding_bag(t, x, T.tensor([0, 2])),
        "multilabel_margin": M.multilabel_margin_loss(x, T.zeros(4, 3, dtype=T.int64)),
    }
    return {k: [type(n).__name__ if n is not None else None for n, _ in v.grad_fn.next_functions]
            for k, v in outs.items()}


def test_custom_nodes_next_functions_match():
    assert _next_function_names(TF, tg) == _next_function_names(F, torch)


@pytest.mark.parametrize("call", [
    lambda M, T: M.prelu(T.ones(3), T.ones(3)),
    lambda M, T: M.prelu(T.ones(()), T.ones(3)),
    lambda M, T: M.soft_margin_loss(T.ones(3), T.ones(3, requires_grad=True)),
])
def test_prelu_and_target_grad_errors(call):
    with pytest.raises(RuntimeError) as et:
        call(F, torch)
    with pytest.raises(RuntimeError) as eg:
        call(TF, tg)
    assert str(eg.value) == str(et.value)


def test_prelu_shapes():
    for xs, ws in [((3,), (1,)), ((), (1,)), ((2, 3, 4, 2), (3,)), ((2, 3, 4), (1,))]:
        run_both(TF.prelu, F.prelu, randn(*xs, seed=80), randn(*ws, seed=81).abs())


@pytest.mark.parametrize("which", ["batch_norm", "group_norm", "embedding", "glu", "prelu"])
def test_double_backward_custom_nodes(which):
    def f(M, T, x, w):
        if which == "batch_norm":
            return M.batch_norm(x, None, None, w, None, True)
        if which == "group_norm":
            return M.group_norm(x.view(2, 3, 2), 3, w)
        if which == "embedding":
            return M.embedding(T.tensor([[0, 2], [1, 1]]), x) * w[0]
        if which == "glu":
            return M.glu(x, 1) * w[0]
        return M.prelu(x, w)

    x = randn(4, 3, seed=90) if which != "glu" else randn(4, 6, seed=90)
    w = randn(3, seed=91).abs()
    xt, wt = x.clone().requires_grad_(), w.clone().requires_grad_()
    xg, wg = to_tg(xt), to_tg(wt)
    gt = torch.autograd.grad(f(F, torch, xt, wt).pow(3).sum(), (xt, wt), create_graph=True)
    gg = tg.autograd.grad(f(TF, tg, xg, wg).pow(3).sum(), (xg, wg), create_graph=True)
    for a, b in zip(gg, gt):
        close(a, b)
    st = torch.autograd.grad(sum((g * g).sum() for g in gt), (xt, wt))
    sg = tg.autograd.grad(sum((g * g).sum() for g in gg), (xg, wg))
    for a, b in zip(sg, st):
        close(a, b, 1e-6, 1e-8)


@pytest.mark.parametrize("name", ["leaky_relu", "gelu", "elu", "hardtanh", "softplus", "threshold", "celu",
                                  "selu", "relu6", "hardswish", "logsigmoid", "softshrink", "hardshrink"])
def test_first_derivative_node_with_create_graph(name):
    args = (0.1, 0.0) if name == "threshold" else ()
    x = randn(6, seed=95).requires_grad_()
    xg = to_tg(x)
    (gt,) = torch.autograd.grad(getattr(F, name)(x, *args).sum(), x, create_graph=True)
    (gg,) = tg.autograd.grad(getattr(TF, name)(xg, *args).sum(), xg, create_graph=True)
    assert node_name(gg) == node_name(gt)
    assert gg.requires_grad == gt.requires_grad
    (g2t,) = torch.autograd.grad((gt * gt).sum(), x)
    (g2g,) = tg.autograd.grad((gg * gg).sum(), xg)
    close(g2g, g2t, 1e-6, 1e-8)


@pytest.mark.parametrize("hard", [False, True])
def test_gumbel_softmax_matches_oracle_under_seed(hard):
    x = randn(3, 5, seed=100, dtype=torch.float32)
    torch.manual_seed(4)
    tg.manual_seed(4)
    run_both(lambda a: TF.gumbel_softmax(a, tau=0.5, hard=hard), lambda a: F.gumbel_softmax(a, tau=0.5, hard=hard),
             x, rtol=1e-5, atol=1e-6)
