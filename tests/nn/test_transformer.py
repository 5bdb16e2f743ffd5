"""Transformer encoder/decoder layers and stacks against the PyTorch oracle."""
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn

torch = pytest.importorskip("torch")


def to_tg(t):
    if t is None:
        return None
    out = tg.tensor(t.detach().numpy().copy())
    if t.requires_grad:
        out.requires_grad_(True)
    return out


def close(a, b, tol=1e-9):
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def build(factory):
    """factory(nn) builds a module; returns torch's and ours (float64) with torch's weights, and checks reprs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = factory(torch.nn).double()
        gm = factory(tnn).double()
    assert repr(gm) == repr(tm)
    assert list(gm.state_dict().keys()) == list(tm.state_dict().keys())
    with tg.no_grad():
        for (n, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
            assert tuple(pg.shape) == tuple(pt.shape), n
            pg.copy_(tg.tensor(pt.detach().numpy()))
    return tm, gm


def run_both(tm, gm, args_t, kwargs_t=None, tol=1e-9):
    kwargs_t = kwargs_t or {}
    args_g = [to_tg(a) for a in args_t]
    kwargs_g = {k: (to_tg(v) if isinstance(v, torch.Tensor) else v) for k, v in kwargs_t.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_t = tm(*args_t, **kwargs_t)
        out_g = gm(*args_g, **kwargs_g)
    close(out_g, out_t, tol)
    seed = torch.randn_like(out_t)
    (out_t * seed).sum().backward()
    (out_g * tg.tensor(seed.numpy())).sum().backward()
    for a, b in zip(args_g, args_t):
        if b.requires_grad:
            close(a.grad, b.grad, tol)
    for (n, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
        close(pg.grad, pt.grad, tol)


def rand(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


ENC_CASES = [
    (dict(), {}),
    (dict(norm_first=True, activation="gelu"), {}),
    (dict(batch_first=True), {}),
    (dict(), dict(src_mask="causal")),
    (dict(), dict(src_key_padding_mask=True)),
    (dict(bias=False), dict(src_mask="causal", is_causal=True)),
]


@pytest.mark.parametrize("ctor,call", ENC_CASES)
def test_encoder_layer(ctor, call):
    torch.manual_seed(0)
    tm, gm = build(lambda nn: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **ctor))
    L, N = 4, 3
    x = rand(N, L, 8) if ctor.get("batch_first") else rand(L, N, 8)
    kw = dict(call)
    if kw.get("src_mask") == "causal":
        kw["src_mask"] = torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.float64)
    if kw.get("src_key_padding_mask"):
        kpm = torch.zeros(N, L, dtype=torch.bool)
        kpm[0, -2:] = True
        kw["src_key_padding_mask"] = kpm
    run_both(tm, gm, [x], kw)


def test_encoder_layer_eval_mode():
    torch.manual_seed(1)
    tm, gm = build(lambda nn: nn.TransformerEncoderLayer(8, 2, 16))
    tm.eval()
    gm.eval()
    x = rand(4, 2, 8)
    run_both(tm, gm, [x])


def test_encoder_stack_and_warning():
    torch.manual_seed(2)
    with pytest.warns(UserWarning, match="enable_nested_tensor is True, but self.use_nested_tensor is False because "
                                         "encoder_layer.self_attn.batch_first was not True"):
        tnn.TransformerEncoder(tnn.TransformerEncoderLayer(8, 2, 16), 2)
    tm, gm = build(lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0), 2,
                                                    norm=nn.LayerNorm(8)))
    x = rand(5, 2, 8)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64)
    run_both(tm, gm, [x], dict(mask=mask))


def test_decoder_and_full_transformer():
    torch.manual_seed(3)
    tm, gm = build(lambda nn: nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0))
    tgt, mem = rand(4, 2, 8), rand(5, 2, 8)
    run_both(tm, gm, [tgt, mem],
             dict(tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)))
    tm, gm = build(lambda nn: nn.Transformer(8, 2, 2, 1, 16, dropout=0.0, batch_first=True))
    src, tgt = rand(2, 5, 8), rand(2, 4, 8)
    run_both(tm, gm, [src, tgt],
             dict(tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)), tol=1e-8)


def test_square_subsequent_mask():
    m_t = torch.nn.Transformer.generate_square_subsequent_mask(4)
    m_g = tnn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(m_g.numpy(), m_t.numpy())
    assert m_g.dtype == tg.float32


def test_transformer_init_matches_torch_rng():
    torch.manual_seed(4)
    tm = torch.nn.TransformerEncoderLayer(8, 2, 16)
    tg.manual_seed(4)
    gm = tnn.TransformerEncoderLayer(8, 2, 16)
    for (_, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
        np.testing.assert_array_equal(pg.detach().numpy(), pt.detach().numpy())


def test_activation_error():
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        tnn.TransformerEncoderLayer(8, 2, 16, activation="tanh")


def test_encoder_inference_zeroes_padding_like_nested_path():
    torch.manual_seed(5)
    tm, gm = build(lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2,
                                                    norm=nn.LayerNorm(8)))
    with torch.no_grad():
        for p in tm.norm.parameters():
            p.uniform_(0.5, 1.5)
    with tg.no_grad():
        for (_, pt), (_, pg) in zip(tm.norm.named_parameters(), gm.norm.named_parameters()):
            pg.copy_(tg.tensor(pt.detach().numpy()))
    tm.eval()
    gm.eval()
    x = torch.randn(2, 4, 8, dtype=torch.float64)
    kpm = torch.tensor([[False, False, True, True], [False, False, False, False]])
    for grad_mode in (False, True):
        with torch.set_grad_enabled(grad_mode), tg.set_grad_enabled(grad_mode):
            out_t = tm(x, src_key_padding_mask=kpm)
            out_g = gm(to_tg(x), src_key_padding_mask=to_tg(kpm))
        close(out_g, out_t)


def test_encoder_layer_training_dropout_stream():
    torch.manual_seed(6)
    tm, gm = build(lambda nn: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.2))
    x = torch.randn(3, 2, 8, dtype=torch.float64)
    torch.manual_seed(5)
    tg.manual_seed(5)
    close(gm(to_tg(x)), tm(x))


def _pickled_modules(nn):
    return [nn.Conv2d(2, 3, 3, padding=1), nn.MaxPool2d(2), nn.LSTM(3, 4, 2, bidirectional=True), nn.GRUCell(3, 4),
            nn.MultiheadAttention(4, 2), nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2),
            nn.Upsample(scale_factor=2), nn.ReflectionPad2d(1), nn.Unfold(2), nn.ChannelShuffle(2)]


def test_whole_module_pickles_load_in_both_libraries():
    import io
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = _pickled_modules(tnn), _pickled_modules(torch.nn)
    for g, t in zip(ours, theirs):
        buf = io.BytesIO()
        tg.save(g, buf)
        buf.seek(0)
        back = torch.load(buf, weights_only=False)
        assert type(back) is type(t) and repr(back) == repr(t)
        buf = io.BytesIO()
        torch.save(t, buf)
        buf.seek(0)
        back = tg.load(buf, weights_only=False)
        assert type(back) is type(g) and repr(back) == repr(t)
        for (n, pt), (_, pg) in zip(t.named_parameters(), back.named_parameters()):
            np.testing.assert_array_equal(pg.detach().numpy(), pt.detach().numpy(), err_msg=n)
    lstm = tg.load(io.BytesIO(_saved(theirs[2])), weights_only=False)
    x = torch.randn(5, 2, 3)
    close(lstm(to_tg(x))[0], theirs[2](x)[0], 1e-6)


def _saved(obj):
    import io
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()
