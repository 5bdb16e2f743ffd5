"""RNN/LSTM/GRU modules, cells and packed-sequence utilities against the PyTorch oracle."""
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn
from tritongrad.nn.utils import rnn as trnn

torch = pytest.importorskip("torch")
from torch.nn.utils import rnn as prnn  # noqa: E402


def to_tg(t):
    out = tg.tensor(t.detach().numpy().copy())
    if t.requires_grad:
        out.requires_grad_(True)
    return out


def close(a, b, tol=1e-10):
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def pair(cls_name, *args, **kw):
    """The same module built by both libraries, in float64, with torch's weights copied over."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = getattr(torch.nn, cls_name)(*args, **kw).double()
        gm = getattr(tnn, cls_name)(*args, **kw).double()
    assert [n for n, _ in gm.named_parameters()] == [n for n, _ in tm.named_parameters()]
    with tg.no_grad():
        for (_, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
            assert tuple(pg.shape) == tuple(pt.shape)
            pg.copy_(tg.tensor(pt.detach().numpy()))
    return tm, gm


def flat(out):
    if isinstance(out, (prnn.PackedSequence, trnn.PackedSequence)):
        return [out.data]
    if isinstance(out, (tuple, list)):
        res = []
        for o in out:
            res.extend(flat(o))
        return res
    return [out]


def compare_run(tm, gm, inputs_t, inputs_g, tol=1e-10):
    out_t, out_g = tm(*inputs_t), gm(*inputs_g)
    ft, fg = flat(out_t), flat(out_g)
    assert len(ft) == len(fg)
    for a, b in zip(fg, ft):
        close(a, b, tol)
    loss_t = sum((o * torch.linspace(-1, 1, o.numel(), dtype=o.dtype).reshape(o.shape)).sum() for o in ft)
    loss_g = sum((o * tg.tensor(np.linspace(-1, 1, o.numel()).reshape(tuple(o.shape)))).sum() for o in fg)
    loss_t.backward()
    loss_g.backward()
    for (n, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
        close(pg.grad, pt.grad, tol)
    return out_t, out_g


CONFIGS = [
    dict(),
    dict(num_layers=2),
    dict(bidirectional=True),
    dict(num_layers=2, bidirectional=True, batch_first=True),
    dict(bias=False, batch_first=True),
    dict(num_layers=3, bidirectional=True, dropout=0.3),
]


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kw", CONFIGS)
def test_rnn_modules(mode, kw):
    torch.manual_seed(0)
    tm, gm = pair(mode, 3, 5, **kw)
    tm.eval()
    gm.eval()  # dropout off: the streams are compared in test_rnn_dropout_train
    bf = kw.get("batch_first", False)
    x = torch.randn(*((2, 4, 3) if bf else (4, 2, 3)), dtype=torch.float64, requires_grad=True)
    xg = to_tg(x)
    compare_run(tm, gm, [x], [xg])
    close(xg.grad, x.grad)


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_rnn_initial_state(mode):
    torch.manual_seed(1)
    tm, gm = pair(mode, 3, 4, num_layers=2, bidirectional=True)
    x = torch.randn(5, 3, 3, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(4, 3, 4, dtype=torch.float64, requires_grad=True)
    if mode == "LSTM":
        c0 = torch.randn(4, 3, 4, dtype=torch.float64, requires_grad=True)
        hs_t, hs_g = (h0, c0), (to_tg(h0), to_tg(c0))
    else:
        hs_t, hs_g = h0, to_tg(h0)
    xg = to_tg(x)
    compare_run(tm, gm, [x, hs_t], [xg, hs_g])
    close(xg.grad, x.grad)
    for a, b in zip(flat(hs_g), flat(hs_t)):
        close(a.grad, b.grad)


def test_rnn_relu_and_unbatched():
    torch.manual_seed(2)
    tm, gm = pair("RNN", 3, 4, nonlinearity="relu", num_layers=2)
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    compare_run(tm, gm, [x], [to_tg(x)])
    tm, gm = pair("LSTM", 3, 4)
    x = torch.randn(5, 3, dtype=torch.float64)
    h = (torch.randn(1, 4, dtype=torch.float64), torch.randn(1, 4, dtype=torch.float64))
    compare_run(tm, gm, [x, h], [to_tg(x), tuple(to_tg(v) for v in h)])


def test_lstm_proj_size():
    torch.manual_seed(3)
    tm, gm = pair("LSTM", 3, 6, proj_size=2, num_layers=2, bidirectional=True)
    assert repr(gm) == repr(tm)
    x = torch.randn(4, 2, 3, dtype=torch.float64)
    compare_run(tm, gm, [x], [to_tg(x)])


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_packed_sequence_input(mode, enforce_sorted):
    torch.manual_seed(4)
    tm, gm = pair(mode, 3, 4, num_layers=2, bidirectional=True)
    lengths = [5, 3, 3, 1] if enforce_sorted else [3, 5, 1, 3]
    x = torch.randn(5, 4, 3, dtype=torch.float64, requires_grad=True)
    xg = to_tg(x)
    pt = prnn.pack_padded_sequence(x, lengths, enforce_sorted=enforce_sorted)
    pg = trnn.pack_padded_sequence(xg, lengths, enforce_sorted=enforce_sorted)
    np.testing.assert_array_equal(pg.batch_sizes.numpy(), pt.batch_sizes.numpy())
    close(pg.data, pt.data)
    out_t, out_g = compare_run(tm, gm, [pt], [pg])
    close(xg.grad, x.grad)
    padded_t, len_t = prnn.pad_packed_sequence(out_t[0], batch_first=True)
    padded_g, len_g = trnn.pad_packed_sequence(out_g[0], batch_first=True)
    close(padded_g, padded_t)
    np.testing.assert_array_equal(len_g.numpy(), len_t.numpy())


def test_rnn_dropout_train_stream():
    torch.manual_seed(5)
    tm, gm = pair("LSTM", 3, 4, num_layers=2, dropout=0.5)
    x = torch.randn(4, 2, 3, dtype=torch.float64)
    torch.manual_seed(7)
    tg.manual_seed(7)
    out_t, out_g = tm(x)[0], gm(to_tg(x))[0]
    close(out_g, out_t)


@pytest.mark.parametrize("cell,kw", [("RNNCell", {}), ("RNNCell", dict(nonlinearity="relu", bias=False)),
                                     ("LSTMCell", {}), ("GRUCell", {}), ("GRUCell", dict(bias=False))])
def test_cells(cell, kw):
    torch.manual_seed(6)
    tm, gm = pair(cell, 3, 4, **kw)
    assert repr(gm) == repr(tm)
    x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    xg = to_tg(x)
    compare_run(tm, gm, [x], [xg])
    close(xg.grad, x.grad)
    if cell == "LSTMCell":
        h = (torch.randn(2, 4, dtype=torch.float64), torch.randn(2, 4, dtype=torch.float64))
        compare_run(tm, gm, [x[0].detach(), tuple(v[0] for v in h)],
                    [to_tg(x[0].detach()), tuple(to_tg(v[0]) for v in h)])
    else:
        h = torch.randn(2, 4, dtype=torch.float64)
        compare_run(tm, gm, [x.detach(), h], [to_tg(x.detach()), to_tg(h)])


REPRS = [
    ("LSTM", (10, 20), dict(num_layers=2, batch_first=True)),
    ("GRU", (3, 4), dict(bidirectional=True, dropout=0.5, bias=False, num_layers=2)),
    ("RNN", (3, 4), dict(nonlinearity="relu")),
    ("LSTM", (3, 4), dict(proj_size=2)),
    ("LSTMCell", (3, 4), {}), ("GRUCell", (3, 4), dict(bias=False)), ("RNNCell", (3, 4), dict(nonlinearity="relu")),
]


@pytest.mark.parametrize("name,args,kw", REPRS)
def test_repr_and_state_dict_keys(name, args, kw):
    tm = getattr(torch.nn, name)(*args, **kw)
    gm = getattr(tnn, name)(*args, **kw)
    assert repr(gm) == repr(tm)
    assert list(gm.state_dict().keys()) == list(tm.state_dict().keys())
    for k, v in tm.state_dict().items():
        assert tuple(gm.state_dict()[k].shape) == tuple(v.shape)


@pytest.mark.parametrize("name,args,kw", REPRS)
def test_default_init_matches_torch_rng(name, args, kw):
    torch.manual_seed(42)
    tm = getattr(torch.nn, name)(*args, **kw)
    tg.manual_seed(42)
    gm = getattr(tnn, name)(*args, **kw)
    for (_, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
        np.testing.assert_array_equal(pg.detach().numpy(), pt.detach().numpy())


def _err(fn):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn()
    except Exception as e:  # noqa: BLE001 - compared by type and message
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("case", [
    lambda nn, t: nn.LSTM(3, 4, proj_size=4),
    lambda nn, t: nn.GRU(3, 4, proj_size=2),
    lambda nn, t: nn.RNN(3, 4, nonlinearity="foo"),
    lambda nn, t: nn.RNN(3, 0),
    lambda nn, t: nn.RNN(3, 4, dropout=2),
    lambda nn, t: nn.LSTM(3, 4, 2)(t.randn(5, 2, 3), (t.zeros(1, 2, 4), t.zeros(2, 2, 4))),
    lambda nn, t: nn.LSTM(3, 4, 2)(t.randn(5, 2, 3), (t.zeros(2, 2, 4), t.zeros(2, 3, 4))),
    lambda nn, t: nn.LSTM(3, 4, 2)(t.randn(5, 2, 3), (t.zeros(2, 4), t.zeros(2, 4))),
    lambda nn, t: nn.LSTM(3, 4, 2)(t.randn(5, 2, 2, 3)),
    lambda nn, t: nn.GRU(3, 4)(t.randn(5, 2, 3), t.zeros(2, 2, 4)),
    lambda nn, t: nn.GRU(3, 4)(t.randn(5, 2, 4)),
    lambda nn, t: nn.GRUCell(3, 4)(t.randn(2, 2, 3)),
    lambda nn, t: nn.GRUCell(3, 4)(t.randn(2, 3), t.randn(3, 4)),
    lambda nn, t: nn.GRUCell(3, 4)(t.randn(2, 5)),
    lambda nn, t: nn.LSTM(3, 4).double()(t.randn(2, 1, 3)),
])
def test_errors_match(case):
    expected = _err(lambda: case(torch.nn, torch))
    assert expected is not None
    assert _err(lambda: case(tnn, tg)) == expected


def test_dropout_single_layer_warning():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1, but got dropout=0.5"):
        tnn.GRU(3, 4, dropout=0.5)


def test_pack_pad_utilities():
    torch.manual_seed(8)
    seqs = [torch.randn(n, 2, dtype=torch.float64, requires_grad=True) for n in (2, 4, 3)]
    gseqs = [to_tg(s) for s in seqs]
    pt = prnn.pad_sequence(seqs, batch_first=True, padding_value=-1.0)
    pg = trnn.pad_sequence(gseqs, batch_first=True, padding_value=-1.0)
    close(pg, pt)
    close(trnn.pad_sequence(gseqs, padding_side="left"), prnn.pad_sequence(seqs, padding_side="left"))
    packed_t = prnn.pack_sequence(seqs, enforce_sorted=False)
    packed_g = trnn.pack_sequence(gseqs, enforce_sorted=False)
    close(packed_g.data, packed_t.data)
    for a, b in zip(packed_g[1:], packed_t[1:]):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    out_t, len_t = prnn.pad_packed_sequence(packed_t, padding_value=9.0, total_length=6)
    out_g, len_g = trnn.pad_packed_sequence(packed_g, padding_value=9.0, total_length=6)
    close(out_g, out_t)
    np.testing.assert_array_equal(len_g.numpy(), len_t.numpy())
    (out_t * torch.arange(out_t.numel(), dtype=out_t.dtype).reshape(out_t.shape)).sum().backward()
    (out_g * tg.tensor(np.arange(out_g.numel(), dtype=np.float64).reshape(tuple(out_g.shape)))).sum().backward()
    for a, b in zip(gseqs, seqs):
        close(a.grad, b.grad)
    for a, b in zip(trnn.unpack_sequence(packed_g), prnn.unpack_sequence(packed_t)):
        close(a, b)
    assert _err(lambda: trnn.pad_packed_sequence(packed_g, total_length=2)) == \
        _err(lambda: prnn.pad_packed_sequence(packed_t, total_length=2))
    x = torch.randn(4, 3, 2)
    assert _err(lambda: trnn.pack_padded_sequence(to_tg(x), [2, 4, 1])) == \
        _err(lambda: prnn.pack_padded_sequence(x, [2, 4, 1]))
    assert _err(lambda: trnn.pack_padded_sequence(to_tg(x), [4, 0, 1], enforce_sorted=False)) == \
        _err(lambda: prnn.pack_padded_sequence(x, [4, 0, 1], enforce_sorted=False))


def _seq_model(lib):
    nn = lib.nn

    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(10, 6)
            self.rnn = nn.LSTM(6, 8, num_layers=2, batch_first=True, bidirectional=True, dropout=0.2)
            self.gru = nn.GRU(16, 5, batch_first=True)
            self.head = nn.Linear(5, 3)

        def forward(self, tokens):
            out, _ = self.rnn(self.embed(tokens))
            out, h = self.gru(out)
            return self.head(out)
    return Tagger()


def test_training_steps_match_torch():
    """Same seed, same init, same dropout masks: a few SGD steps of an embedding-LSTM-GRU tagger agree."""
    torch.manual_seed(0)
    tmodel = _seq_model(torch)
    tg.manual_seed(0)
    gmodel = _seq_model(tg)
    for (n, pt), (_, pg) in zip(tmodel.named_parameters(), gmodel.named_parameters()):
        np.testing.assert_array_equal(pg.detach().numpy(), pt.detach().numpy(), err_msg=n)
    topt = torch.optim.SGD(tmodel.parameters(), lr=0.5)
    gopt = tg.optim.SGD(gmodel.parameters(), lr=0.5)
    tokens = np.random.default_rng(0).integers(0, 10, size=(4, 7))
    targets = np.random.default_rng(1).integers(0, 3, size=(4 * 7,))
    for _ in range(3):
        tl = torch.nn.functional.cross_entropy(tmodel(torch.tensor(tokens)).reshape(-1, 3), torch.tensor(targets))
        gl = tg.nn.functional.cross_entropy(gmodel(tg.tensor(tokens)).reshape(-1, 3), tg.tensor(targets))
        np.testing.assert_allclose(gl.item(), tl.item(), rtol=1e-5)
        topt.zero_grad()
        gopt.zero_grad()
        tl.backward()
        gl.backward()
        topt.step()
        gopt.step()


def test_empty_batch():
    for name in ("LSTM", "GRU"):
        tm, gm = pair(name, 3, 4, bidirectional=True)
        out_t, out_g = tm(torch.zeros(5, 0, 3, dtype=torch.float64)), gm(tg.zeros(5, 0, 3, dtype=tg.float64))
        assert tuple(out_g[0].shape) == tuple(out_t[0].shape)
        assert [tuple(a.shape) for a in flat(out_g[1])] == [tuple(a.shape) for a in flat(out_t[1])]


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_double_backward_through_recurrence(mode):
    torch.manual_seed(9)
    tm, gm = pair(mode, 3, 4, num_layers=2)
    x = torch.randn(4, 2, 3, dtype=torch.float64, requires_grad=True)
    xg = to_tg(x)
    (gx_t,) = torch.autograd.grad(tm(x)[0].pow(2).sum(), x, create_graph=True)
    (gx_g,) = tg.autograd.grad(gm(xg)[0].pow(2).sum(), xg, create_graph=True)
    close(gx_g, gx_t)
    w_t = tm.weight_hh_l0
    w_g = gm.weight_hh_l0
    (h_t,) = torch.autograd.grad(gx_t.sin().sum(), w_t)
    (h_g,) = tg.autograd.grad(gx_g.sin().sum(), w_g)
    close(h_g, h_t, 1e-9)


def test_float32_and_saturated_gates_do_not_warn():
    torch.manual_seed(10)
    tm = torch.nn.LSTM(3, 4)
    gm = tnn.LSTM(3, 4)
    with tg.no_grad():
        for (_, pt), (_, pg) in zip(tm.named_parameters(), gm.named_parameters()):
            pg.copy_(tg.tensor(pt.detach().numpy()))
    x = torch.randn(5, 2, 3) * 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out_g = gm(to_tg(x))[0]
    close(out_g, tm(x)[0], 1e-5)


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_packed_unsorted_with_initial_state(mode):
    torch.manual_seed(13)
    tm, gm = pair(mode, 3, 4, num_layers=2, bidirectional=True, batch_first=True)
    x = torch.randn(4, 5, 3, dtype=torch.float64, requires_grad=True)
    lengths = torch.tensor([2, 5, 1, 3])
    h0 = torch.randn(4, 4, 4, dtype=torch.float64, requires_grad=True)
    xg, h0g = to_tg(x), to_tg(h0)
    pt = prnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    pg = trnn.pack_padded_sequence(xg, tg.tensor(lengths.numpy()), batch_first=True, enforce_sorted=False)
    if mode == "LSTM":
        c0 = torch.randn(4, 4, 4, dtype=torch.float64, requires_grad=True)
        c0g = to_tg(c0)
        hs_t, hs_g = (h0, c0), (h0g, c0g)
    else:
        hs_t, hs_g = h0, h0g
    compare_run(tm, gm, [pt, hs_t], [pg, hs_g])
    close(xg.grad, x.grad)
    close(h0g.grad, h0.grad)
    if mode == "LSTM":
        close(c0g.grad, c0.grad)


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
def test_gradcheck_recurrent_layers(mode):
    tg.manual_seed(34)
    m = getattr(tnn, mode)(2, 2, bidirectional=True).double()
    x = tg.randn(2, 1, 2, dtype=tg.float64).requires_grad_(True)
    h0 = tg.randn(2, 1, 2, dtype=tg.float64).requires_grad_(True)
    if mode == "LSTM":
        c0 = tg.randn(2, 1, 2, dtype=tg.float64).requires_grad_(True)
        fn = lambda x, h, c: m(x, (h, c))[0]  # noqa: E731
        args = (x, h0, c0)
    else:
        fn = lambda x, h: m(x, h)[0]  # noqa: E731
        args = (x, h0)
    assert tg.autograd.gradcheck(fn, args)
    assert tg.autograd.gradgradcheck(fn, args)
