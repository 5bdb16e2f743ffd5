"""scaled_dot_product_attention and MultiheadAttention against the PyTorch oracle."""
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn
import tritongrad.nn.functional as TF

torch = pytest.importorskip("torch")
F = torch.nn.functional


def to_tg(t):
    if t is None:
        return None
    out = tg.tensor(t.detach().numpy().copy())
    if t.requires_grad:
        out.requires_grad_(True)
    return out


def close(a, b, tol=1e-10):
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def rand(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


def _masks():
    torch.manual_seed(100)
    bool_mask = torch.rand(3, 5) > 0.3
    bool_mask[:, 0] = True
    return [
        dict(),
        dict(is_causal=True),
        dict(attn_mask=bool_mask),
        dict(attn_mask=torch.randn(3, 5, dtype=torch.float64)),
        dict(attn_mask=torch.randn(2, 1, 3, 5, dtype=torch.float64), scale=0.3),
        dict(scale=2.0),
    ]


@pytest.mark.parametrize("kw", _masks())
def test_sdpa(kw):
    torch.manual_seed(0)
    L, S = 3, (3 if kw.get("is_causal") else 5)
    q, k, v = rand(2, 4, L, 6), rand(2, 4, S, 6), rand(2, 4, S, 7)
    qg, kg, vg = to_tg(q), to_tg(k), to_tg(v)
    gkw = {n: (to_tg(m) if n == "attn_mask" else m) for n, m in kw.items()}
    out_t = F.scaled_dot_product_attention(q, k, v, **kw)
    out_g = TF.scaled_dot_product_attention(qg, kg, vg, **gkw)
    close(out_g, out_t)
    assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
    seed = torch.randn_like(out_t)
    out_t.backward(seed)
    out_g.backward(tg.tensor(seed.numpy()))
    for a, b in ((qg, q), (kg, k), (vg, v)):
        close(a.grad, b.grad)


def test_sdpa_fully_masked_rows_are_zero():
    torch.manual_seed(1)
    q = rand(2, 3, 4)
    mask = torch.ones(3, 3, dtype=torch.bool)
    mask[1] = False
    out_t = F.scaled_dot_product_attention(q, q, q, attn_mask=mask)
    qg = to_tg(q)
    out_g = TF.scaled_dot_product_attention(qg, qg, qg, attn_mask=to_tg(mask))
    close(out_g, out_t)
    out_t.sum().backward()
    out_g.sum().backward()
    close(qg.grad, q.grad)


def _err(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # noqa: BLE001 - compared by type and message
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("case", [
    lambda f, t: f.scaled_dot_product_attention(t.ones(2, 3, 4), t.ones(2, 3, 4), t.ones(2, 3, 4),
                                                attn_mask=t.ones(3, 3, dtype=t.bool), is_causal=True),
    lambda f, t: f.scaled_dot_product_attention(t.ones(2, 3, 4), t.ones(2, 3, 4), t.ones(2, 3, 4),
                                                attn_mask=t.ones(3, 3, dtype=t.int64)),
])
def test_sdpa_errors(case):
    expected = _err(lambda: case(F, torch))
    assert expected is not None
    assert _err(lambda: case(TF, tg)) == expected


def mha_pair(*args, **kw):
    tm = torch.nn.MultiheadAttention(*args, **kw).double()
    gm = tnn.MultiheadAttention(*args, **kw).double()
    assert repr(gm) == repr(tm)
    assert list(gm.state_dict().keys()) == list(tm.state_dict().keys())
    with tg.no_grad():
        for (n, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
            pg.copy_(tg.tensor(pt.detach().numpy()))
    return tm, gm


MHA_CASES = [
    (dict(), dict()),
    (dict(), dict(need_weights=False)),
    (dict(), dict(average_attn_weights=False)),
    (dict(batch_first=True), dict()),
    (dict(add_bias_kv=True, add_zero_attn=True), dict()),
    (dict(kdim=5, vdim=3), dict()),
    (dict(bias=False), dict(need_weights=False)),
    (dict(), dict(key_padding_mask="bool")),
    (dict(), dict(attn_mask="float", need_weights=False)),
    (dict(), dict(attn_mask="bool", key_padding_mask="bool")),
    (dict(), dict(attn_mask="causal", is_causal=True, need_weights=False)),
    (dict(add_bias_kv=True), dict(attn_mask="float", key_padding_mask="float")),
]


@pytest.mark.parametrize("ctor,call", MHA_CASES)
def test_multihead_attention(ctor, call):
    torch.manual_seed(2)
    E, H, L, S, N = 8, 2, 3, 4, 2
    tm, gm = mha_pair(E, H, **ctor)
    kd, vd = ctor.get("kdim", E), ctor.get("vdim", E)
    bf = ctor.get("batch_first", False)

    def shape(n, d):
        return (N, n, d) if bf else (n, N, d)
    q, k, v = rand(*shape(L, E)), rand(*shape(S, kd)), rand(*shape(S, vd))
    if call.get("attn_mask") == "causal":
        k, v = rand(*shape(L, kd)), rand(*shape(L, vd))
    kwt = dict(call)
    Sk = k.shape[1 if bf else 0]
    if call.get("key_padding_mask") == "bool":
        kpm = torch.zeros(N, Sk, dtype=torch.bool)
        kpm[1, -1] = True
        kwt["key_padding_mask"] = kpm
    elif call.get("key_padding_mask") == "float":
        kwt["key_padding_mask"] = torch.randn(N, Sk, dtype=torch.float64)
    if call.get("attn_mask") == "bool":
        m = torch.zeros(L, Sk, dtype=torch.bool)
        m[0, 1] = True
        kwt["attn_mask"] = m
    elif call.get("attn_mask") == "float":
        kwt["attn_mask"] = torch.randn(L, Sk, dtype=torch.float64)
    elif call.get("attn_mask") == "causal":
        kwt["attn_mask"] = torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.float64)
    kwg = {n: (to_tg(m) if isinstance(m, torch.Tensor) else m) for n, m in kwt.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_t, w_t = tm(q, k, v, **kwt)
        qg, kg, vg = to_tg(q), to_tg(k), to_tg(v)
        out_g, w_g = gm(qg, kg, vg, **kwg)
    close(out_g, out_t)
    if w_t is None:
        assert w_g is None
    else:
        close(w_g, w_t)
    seed = torch.randn_like(out_t)
    loss_t = (out_t * seed).sum() + (w_t.sum() if w_t is not None else 0)
    loss_g = (out_g * tg.tensor(seed.numpy())).sum() + (w_g.sum() if w_g is not None else 0)
    loss_t.backward()
    loss_g.backward()
    for a, b in ((qg, q), (kg, k), (vg, v)):
        close(a.grad, b.grad)
    for (n, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
        close(pg.grad, pt.grad)


def test_multihead_attention_unbatched_eval():
    torch.manual_seed(3)
    tm, gm = mha_pair(4, 2)
    tm.eval()
    gm.eval()
    x = rand(3, 4)
    out_t, w_t = tm(x, x, x)
    out_g, w_g = gm(to_tg(x), to_tg(x), to_tg(x))
    close(out_g, out_t)
    close(w_g, w_t)


def test_mismatched_mask_warning():
    gm = tnn.MultiheadAttention(4, 2)
    x = tg.randn(3, 2, 4)
    with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and attn_mask is deprecated"):
        gm(x, x, x, key_padding_mask=tg.zeros(2, 3, dtype=tg.bool), attn_mask=tg.zeros(3, 3))


def test_mha_init_matches_torch_rng():
    for kw in (dict(), dict(kdim=3, vdim=5, add_bias_kv=True)):
        torch.manual_seed(9)
        tm = torch.nn.MultiheadAttention(6, 3, **kw)
        tg.manual_seed(9)
        gm = tnn.MultiheadAttention(6, 3, **kw)
        for (_, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
            np.testing.assert_array_equal(pg.detach().numpy(), pt.detach().numpy())


def test_mha_errors():
    assert _err(lambda: tnn.MultiheadAttention(8, 3)) == _err(lambda: torch.nn.MultiheadAttention(8, 3))


def test_dropout_streams_match_torch():
    torch.manual_seed(10)
    q, k, v = (torch.randn(2, 2, n, 4, dtype=torch.float64) for n in (3, 5, 5))
    torch.manual_seed(0)
    tg.manual_seed(0)
    out_t = F.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
    out_g = TF.scaled_dot_product_attention(to_tg(q), to_tg(k), to_tg(v), dropout_p=0.4)
    close(out_g, out_t)
    torch.manual_seed(11)
    tm, gm = mha_pair(8, 2, dropout=0.3)
    x = torch.randn(3, 2, 8, dtype=torch.float64)
    for need_weights in (True, False):
        torch.manual_seed(5)
        tg.manual_seed(5)
        close(gm(to_tg(x), to_tg(x), to_tg(x), need_weights=need_weights)[0],
              tm(x, x, x, need_weights=need_weights)[0])


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 2, 3, 4)])
@pytest.mark.parametrize("value_dim", [4, 6])
def test_sdpa_node_and_mask_gradient(shape, value_dim):
    torch.manual_seed(12)
    q = rand(*shape)
    v = rand(*shape[:-1], value_dim)
    mask = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    for m in (mask, mask.detach()):
        args_t = (q, q, v)
        out_t = F.scaled_dot_product_attention(*args_t, attn_mask=m)
        qg, vg, mg = to_tg(q), to_tg(v), to_tg(m)
        out_g = TF.scaled_dot_product_attention(qg, qg, vg, attn_mask=mg)
        close(out_g, out_t)
        assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
        grads_t = torch.autograd.grad(out_t.pow(2).sum(), [q, v] + ([m] if m.requires_grad else []))
        grads_g = tg.autograd.grad(out_g.pow(2).sum(), [qg, vg] + ([mg] if m.requires_grad else []))
        for a, b in zip(grads_g, grads_t):
            close(a, b)


@pytest.mark.parametrize("case", [
    lambda nn, t, m, x: m(x, x, x, attn_mask=t.zeros(2, 3)),
    lambda nn, t, m, x: m(x, x, x, attn_mask=t.zeros(5, 3, 3)),
    lambda nn, t, m, x: m(x, x, x, attn_mask=t.zeros(1, 1, 3, 3)),
    lambda nn, t, m, x: m(x, x, x, key_padding_mask=t.zeros(2, 4, dtype=t.bool)),
    lambda nn, t, m, x: m(x, x, x, key_padding_mask=t.zeros(3, 3, dtype=t.bool)),
    lambda nn, t, m, x: m(x, x, x, key_padding_mask=t.zeros(2, 3, dtype=t.int64)),
    lambda nn, t, m, x: m(x, x, x, is_causal=True),
    lambda nn, t, m, x: m(t.randn(3, 2, 5), x, x),
    lambda nn, t, m, x: m(x, t.randn(3, 4), x),
    lambda nn, t, m, x: m(x[:, 0], x[:, 0], x[:, 0], attn_mask=t.zeros(3, 3, 3)),
    lambda nn, t, m, x: m(x[:, 0], x[:, 0], x[:, 0], key_padding_mask=t.zeros(2, 3, dtype=t.bool)),
    lambda nn, t, m, x: m(x[None], x[None], x[None]),
    lambda nn, t, m, x: nn.MultiheadAttention(0, 2),
])
def test_mha_errors_match(case):
    m_t, m_g = torch.nn.MultiheadAttention(4, 2), tnn.MultiheadAttention(4, 2)
    expected = _err(lambda: case(torch.nn, torch, m_t, torch.randn(3, 2, 4)))
    assert expected is not None
    assert _err(lambda: case(tnn, tg, m_g, tg.randn(3, 2, 4))) == expected


def test_sdpa_gradcheck_and_gradgradcheck():
    tg.manual_seed(33)
    q, k, v = (tg.randn(1, 2, 3, 4, dtype=tg.float64).requires_grad_(True) for _ in range(3))
    fn = lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, is_causal=True)  # noqa: E731
    assert tg.autograd.gradcheck(fn, (q, k, v))
    assert tg.autograd.gradgradcheck(fn, (q, k, v))
