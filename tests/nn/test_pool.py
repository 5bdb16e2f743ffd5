"""Pooling, interpolation, unfold/fold, padding and pixel shuffle against the PyTorch oracle."""
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn
import tritongrad.nn.functional as TF

torch = pytest.importorskip("torch")
F = torch.nn.functional


def to_tg(t):
    out = tg.tensor(t.detach().numpy().copy())
    if t.requires_grad:
        out.requires_grad_(True)
    return out


def close(a, b, tol=1e-10):
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def rand(*shape, dtype=torch.float64):
    return torch.randn(*shape, dtype=dtype, requires_grad=True)


def check(t_fn, g_fn, x, tol=1e-10, grad_fn=True):
    """Forward values (and indices when a tuple comes back), grad_fn name and input gradient."""
    xg = to_tg(x)
    out_t, out_g = t_fn(x), g_fn(xg)
    if isinstance(out_t, tuple):
        (out_t, idx_t), (out_g, idx_g) = out_t, out_g
        np.testing.assert_array_equal(idx_g.numpy(), idx_t.numpy())
        assert idx_g.dtype == tg.int64
    close(out_g, out_t, tol)
    if grad_fn:
        assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
    seed = torch.randn_like(out_t)
    out_t.backward(seed)
    out_g.backward(tg.tensor(seed.numpy()))
    close(xg.grad, x.grad, tol)


MAXPOOL2D = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)),
    dict(kernel_size=3, stride=2, ceil_mode=True),
    dict(kernel_size=2, stride=3, padding=1, ceil_mode=True),
    dict(kernel_size=2, dilation=2, ceil_mode=True),
]


@pytest.mark.parametrize("kw", MAXPOOL2D)
@pytest.mark.parametrize("indices", [False, True])
def test_max_pool2d(kw, indices):
    torch.manual_seed(0)
    x = rand(2, 3, 9, 8)
    check(lambda x: F.max_pool2d(x, return_indices=indices, **kw),
          lambda x: TF.max_pool2d(x, return_indices=indices, **kw), x)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
                                dict(kernel_size=2, dilation=3, return_indices=True)])
def test_max_pool1d(kw):
    torch.manual_seed(1)
    x = rand(2, 3, 11)
    check(lambda x: F.max_pool1d(x, **kw), lambda x: TF.max_pool1d(x, **kw), x)


def test_max_pool_ties_nan_and_unbatched():
    x = torch.tensor([[[1.0, 1.0, 2.0, 2.0], [float("nan"), 0.0, 3.0, 3.0], [-1.0, -1.0, -5.0, -5.0]]],
                     dtype=torch.float64, requires_grad=True)
    check(lambda x: F.max_pool2d(x, 2, return_indices=True), lambda x: TF.max_pool2d(x, 2, return_indices=True), x)
    x = torch.full((1, 1, 3, 3), float("-inf"), dtype=torch.float64)
    out_t, idx_t = F.max_pool2d(x, 2, stride=2, padding=1, return_indices=True)
    out_g, idx_g = TF.max_pool2d(to_tg(x), 2, stride=2, padding=1, return_indices=True)
    np.testing.assert_array_equal(idx_g.numpy(), idx_t.numpy())
    np.testing.assert_array_equal(out_g.numpy(), out_t.numpy())


def test_max_pool2d_float32_and_double_backward():
    torch.manual_seed(2)
    x = rand(1, 2, 6, 6, dtype=torch.float32)
    check(lambda x: F.max_pool2d(x, 3, 2, 1), lambda x: TF.max_pool2d(x, 3, 2, 1), x, tol=1e-6)
    x = rand(1, 2, 6, 6)
    xg = to_tg(x)
    (gt,) = torch.autograd.grad(F.max_pool2d(x, 2).pow(3).sum(), x, create_graph=True)
    (gg,) = tg.autograd.grad(TF.max_pool2d(xg, 2).pow(3).sum(), xg, create_graph=True)
    close(gg, gt)
    (ht,) = torch.autograd.grad(gt.pow(2).sum(), x)
    (hg,) = tg.autograd.grad(gg.pow(2).sum(), xg)
    close(hg, ht)


AVGPOOL2D = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=(2, 3), stride=(3, 1), padding=(1, 1), ceil_mode=True),
    dict(kernel_size=3, divisor_override=2),
    dict(kernel_size=3, stride=2, padding=1, divisor_override=5, ceil_mode=True),
]


@pytest.mark.parametrize("kw", AVGPOOL2D)
def test_avg_pool2d(kw):
    torch.manual_seed(3)
    x = rand(2, 3, 9, 8)
    check(lambda x: F.avg_pool2d(x, **kw), lambda x: TF.avg_pool2d(x, **kw), x)


@pytest.mark.parametrize("kw", [dict(kernel_size=3), dict(kernel_size=4, stride=3, padding=2, ceil_mode=True),
                                dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)])
def test_avg_pool1d(kw):
    torch.manual_seed(4)
    x = rand(2, 3, 10)
    check(lambda x: F.avg_pool1d(x, **kw), lambda x: TF.avg_pool1d(x, **kw), x)


@pytest.mark.parametrize("size", [3, (4, 2), (5, 7), (1, 1), (3, None), 9])
def test_adaptive_avg_pool2d(size):
    torch.manual_seed(5)
    x = rand(2, 3, 9, 7)
    check(lambda x: F.adaptive_avg_pool2d(x, size), lambda x: TF.adaptive_avg_pool2d(x, size), x)


@pytest.mark.parametrize("size", [3, (4, 2), (5, 7), 1])
def test_adaptive_max_pool2d(size):
    torch.manual_seed(6)
    x = rand(2, 3, 9, 7)
    check(lambda x: F.adaptive_max_pool2d(x, size, return_indices=True),
          lambda x: TF.adaptive_max_pool2d(x, size, return_indices=True), x)


@pytest.mark.parametrize("size", [1, 4, 6])
def test_adaptive_pool1d(size):
    torch.manual_seed(7)
    x = rand(2, 3, 10)
    check(lambda x: F.adaptive_avg_pool1d(x, size), lambda x: TF.adaptive_avg_pool1d(x, size), x)
    x = rand(2, 3, 10)
    check(lambda x: F.adaptive_max_pool1d(x, size, True), lambda x: TF.adaptive_max_pool1d(x, size, True), x)


def test_lp_pool():
    torch.manual_seed(8)
    x = rand(1, 2, 6, 7)
    check(lambda x: F.lp_pool2d(x, 2, 3, 2), lambda x: TF.lp_pool2d(x, 2, 3, 2), x, grad_fn=False)
    x = rand(1, 2, 9)
    check(lambda x: F.lp_pool1d(x, 3, 2), lambda x: TF.lp_pool1d(x, 3, 2), x, grad_fn=False)


INTERP = [
    dict(scale_factor=2),
    dict(size=(5, 7)),
    dict(scale_factor=(1.7, 0.6)),
    dict(size=(13, 3), mode="nearest-exact"),
    dict(scale_factor=2, mode="bilinear"),
    dict(size=(5, 11), mode="bilinear", align_corners=True),
    dict(size=(7, 3), mode="bilinear"),
    dict(scale_factor=1.5, mode="bilinear", recompute_scale_factor=True),
    dict(scale_factor=(0.7, 1.3), mode="bilinear"),
    dict(size=(9, 5), mode="bicubic"),
    dict(size=(9, 5), mode="bicubic", align_corners=True),
    dict(scale_factor=0.5, mode="bicubic"),
    dict(size=(3, 2), mode="area"),
]


@pytest.mark.parametrize("kw", INTERP)
def test_interpolate_2d(kw):
    torch.manual_seed(9)
    x = rand(2, 3, 6, 5)
    check(lambda x: F.interpolate(x, **kw), lambda x: TF.interpolate(x, **kw), x)


@pytest.mark.parametrize("kw", [dict(scale_factor=3), dict(size=7, mode="linear"),
                                dict(size=4, mode="linear", align_corners=True), dict(size=13, mode="nearest-exact")])
def test_interpolate_1d(kw):
    torch.manual_seed(10)
    x = rand(2, 3, 6)
    check(lambda x: F.interpolate(x, **kw), lambda x: TF.interpolate(x, **kw), x)


def test_interpolate_float32():
    torch.manual_seed(11)
    for kw in (dict(scale_factor=3), dict(size=(7, 9), mode="bilinear"), dict(size=(11, 9), mode="bicubic")):
        x = rand(1, 2, 5, 6, dtype=torch.float32)
        check(lambda x: F.interpolate(x, **kw), lambda x: TF.interpolate(x, **kw), x, tol=1e-5)


UNFOLD = [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=2, padding=1, dilation=(2, 1))]


@pytest.mark.parametrize("kw", UNFOLD)
def test_unfold_fold(kw):
    torch.manual_seed(12)
    x = rand(2, 3, 7, 6)
    check(lambda x: F.unfold(x, **kw), lambda x: TF.unfold(x, **kw), x)
    cols = F.unfold(x, **kw).detach().clone().requires_grad_(True)
    check(lambda c: F.fold(c, (7, 6), **kw), lambda c: TF.fold(c, (7, 6), **kw), cols)


PADS = [("constant", (1, 2)), ("constant", (1, 2, -1, 3)), ("reflect", (2, 1, 1, 2)), ("replicate", (3, 0, 2, 4)),
        ("circular", (2, 1, 0, 3)), ("reflect", (1, 2)), ("replicate", (2, 2))]


@pytest.mark.parametrize("mode,pads", PADS)
def test_pad(mode, pads):
    torch.manual_seed(13)
    x = rand(2, 3, 5, 4) if len(pads) == 4 else rand(2, 3, 5)
    check(lambda x: F.pad(x, pads, mode=mode), lambda x: TF.pad(x, pads, mode=mode), x)


def test_pad_constant_value_and_ints():
    x = torch.arange(12).reshape(3, 4)
    out_g = TF.pad(tg.tensor(x.numpy()), (1, 1, 2, 0), value=7)
    np.testing.assert_array_equal(out_g.numpy(), F.pad(x, (1, 1, 2, 0), value=7).numpy())
    assert out_g.dtype == tg.int64


def test_pixel_shuffle():
    torch.manual_seed(14)
    x = rand(2, 8, 3, 4)
    check(lambda x: F.pixel_shuffle(x, 2), lambda x: TF.pixel_shuffle(x, 2), x)
    x = rand(1, 2, 6, 9)
    check(lambda x: F.pixel_unshuffle(x, 3), lambda x: TF.pixel_unshuffle(x, 3), x)


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - compared by type and message
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("case", [
    lambda m, t: m.max_pool2d(t.randn(1, 3, 8, 8), 3, padding=2),
    lambda m, t: m.max_pool2d(t.randn(1, 3, 8, 8), 9),
    lambda m, t: m.avg_pool2d(t.randn(1, 3, 8, 8), 3, padding=2),
    lambda m, t: m.avg_pool2d(t.randn(1, 3, 8, 8), 9),
    lambda m, t: m.pad(t.randn(1, 3, 8, 8), (4, 4), mode="reflect"),
    lambda m, t: m.pad(t.randn(1, 3, 8), (8, 8), mode="reflect"),
    lambda m, t: m.pad(t.randn(1, 3, 8, 8), (1, 1, 1), mode="constant"),
    lambda m, t: m.pad(t.randn(1, 3, 8, 8), (1, 1), mode="foo"),
    lambda m, t: m.interpolate(t.randn(1, 3, 8, 8), scale_factor=2, align_corners=True),
    lambda m, t: m.interpolate(t.randn(1, 3, 8, 8), scale_factor=2, mode="linear"),
    lambda m, t: m.interpolate(t.randn(1, 3, 8, 8)),
    lambda m, t: m.interpolate(t.randn(1, 3, 8, 8), size=3, scale_factor=2),
    lambda m, t: m.pixel_shuffle(t.randn(1, 3, 8, 8), 2),
    lambda m, t: m.pixel_unshuffle(t.randn(1, 3, 8, 9), 2),
])
def test_errors_match(case):
    expected = _err(lambda: case(F, torch))
    assert expected is not None
    assert _err(lambda: case(TF, tg)) == expected


MODULES = [
    ("MaxPool2d", (2,), {}), ("MaxPool2d", (3, 2, 1), dict(ceil_mode=True, return_indices=True)),
    ("MaxPool1d", (2,), {}), ("AvgPool2d", (2,), {}), ("AvgPool1d", (3, 2, 1, True, False), {}),
    ("AvgPool2d", (3,), dict(divisor_override=2)), ("AdaptiveAvgPool2d", ((3, None),), {}),
    ("AdaptiveMaxPool1d", (3, True), {}), ("AdaptiveAvgPool1d", (2,), {}), ("AdaptiveMaxPool2d", (2,), {}),
    ("Upsample", (), dict(scale_factor=2)), ("Upsample", (), dict(size=(3, 4), mode="bilinear", align_corners=True)),
    ("UpsamplingNearest2d", (), dict(scale_factor=2)), ("UpsamplingBilinear2d", (), dict(size=3)),
    ("PixelShuffle", (2,), {}), ("PixelUnshuffle", (2,), {}),
    ("ZeroPad2d", (2,), {}), ("ConstantPad1d", ((1, 2), 3.5), {}), ("ReflectionPad2d", (1,), {}),
    ("ReplicationPad1d", ((1, 2),), {}), ("CircularPad2d", (1,), {}), ("ZeroPad1d", (1,), {}),
    ("ConstantPad2d", (1, 0.0), {}), ("Fold", ((4, 5), 2), {}), ("Unfold", (2,), dict(padding=1)),
    ("LPPool2d", (2, 3), {}), ("LPPool1d", (2, 3), dict(stride=2)),
]


@pytest.mark.parametrize("name,args,kw", MODULES)
def test_module_repr_and_forward(name, args, kw):
    tm = getattr(torch.nn, name)(*args, **kw)
    gm = getattr(tnn, name)(*args, **kw)
    assert repr(gm) == repr(tm)
    torch.manual_seed(15)
    if name == "Fold":
        x = rand(2, 3 * 4, 12)
    elif name.endswith("1d"):
        x = rand(2, 4, 8)
    else:
        x = rand(2, 4, 8, 8)
    out_t, out_g = tm(x), gm(to_tg(x))
    if isinstance(out_t, tuple):
        out_t, out_g = out_t[0], out_g[0]
    close(out_g, out_t)


@pytest.mark.parametrize("case", [
    lambda m, t: m.max_pool2d(t.randn(1, 1, 8, 8), (3, 2), padding=(2, 1), dilation=(2, 1)),
    lambda m, t: m.max_pool2d(t.randn(1, 1, 8, 8), (3, 2), padding=(2, 2), return_indices=True),
    lambda m, t: m.max_pool2d(t.randn(1, 1, 8, 8), 2, 1, 0, (0, 1)),
    lambda m, t: m.max_pool2d(t.randn(1, 1, 8, 8), 2, 1, -1),
    lambda m, t: m.max_pool2d(t.randn(1, 1, 8, 8), (0, 2)),
    lambda m, t: m.max_pool1d(t.randn(1, 1, 8), 3, padding=2),
    lambda m, t: m.max_pool1d(t.randn(1, 1, 8), 2, padding=2, dilation=3, return_indices=True),
    lambda m, t: m.max_pool1d(t.randn(1, 1, 8), 2, 0),
    lambda m, t: m.max_pool1d(t.randn(1, 1, 8), 9),
    lambda m, t: m.max_pool1d(t.randn(8), 2),
    lambda m, t: m.max_pool1d(t.randn(8), 2, return_indices=True),
    lambda m, t: m.avg_pool1d(t.randn(8), 2),
    lambda m, t: m.avg_pool2d(t.randn(8, 8), 2),
    lambda m, t: m.avg_pool2d(t.randn(1, 1, 8, 8), (3, 2), padding=(1, 2)),
    lambda m, t: m.adaptive_avg_pool2d(t.randn(8), 2),
    lambda m, t: m.adaptive_max_pool2d(t.randn(8), 2),
    lambda m, t: m.adaptive_avg_pool1d(t.randn(8), 2),
    lambda m, t: m.pad(t.randn(1, 1, 3, 3), (3, 3, 3, 1), mode="reflect"),
    lambda m, t: m.pad(t.randn(1, 1, 3, 7), (0, 2, 1, 4), mode="reflect"),
    lambda m, t: m.pad(t.randn(1, 1, 3, 7, 2), (0, 1, 0, 0, 3, 3), mode="reflect"),
    lambda m, t: m.pad(t.randn(1, 1, 3, 7), (0, 8, 1, 1), mode="circular"),
    lambda m, t: m.interpolate(t.randn(1, 2, 1), scale_factor=0.5),
    lambda m, t: m.interpolate(t.randn(1, 2, 3, 3), scale_factor=0.2, mode="bilinear"),
    lambda m, t: m.conv_transpose1d(t.randn(1, 2, 5), t.randn(2, 2, 3), stride=2, output_padding=2),
    lambda m, t: m.conv_transpose1d(t.randn(1, 2, 2), t.randn(2, 2, 1), padding=3),
    lambda m, t: m.conv_transpose3d(t.randn(1, 2, 3, 3, 3), t.randn(2, 2, 2, 2, 2), output_padding=1),
    lambda m, t: m.conv1d(t.randn(1, 2, 3), t.randn(2, 2, 5)),
])
def test_more_errors_match(case):
    expected = _err(lambda: case(F, torch))
    assert expected is not None
    assert _err(lambda: case(TF, tg)) == expected


def test_max_pool_window_of_padding_only():
    # PyTorch reports the window's first tap at or after 0 (here past the end) with a -inf value
    x = torch.randn(1, 1, 2, 4, dtype=torch.float64)
    out_t, idx_t = F.max_pool2d(x, (2, 4), (2, 1), (1, 1), (3, 1), return_indices=True)
    out_g, idx_g = TF.max_pool2d(to_tg(x), (2, 4), (2, 1), (1, 1), (3, 1), return_indices=True)
    np.testing.assert_array_equal(idx_g.numpy(), idx_t.numpy())
    np.testing.assert_array_equal(out_g.numpy(), out_t.numpy())


def test_random_configurations_match():
    """A seeded sweep over conv / pool / interpolate / pad arguments (values, indices and input gradients)."""
    import random
    rng = random.Random(1234)
    for _ in range(25):
        nd = rng.choice([1, 2])
        sp = [rng.randint(2, 8) for _ in range(nd)]
        k = [rng.randint(1, 3) for _ in range(nd)]
        s = [rng.randint(1, 3) for _ in range(nd)]
        d = [rng.randint(1, 2) for _ in range(nd)]
        p = [rng.randint(0, kk // 2) for kk in k]
        x = torch.randn(2, 2, *sp, dtype=torch.float64, requires_grad=True)
        w = torch.randn(4, 1, *k, dtype=torch.float64)
        conv_t = F.conv1d if nd == 1 else F.conv2d
        conv_g = TF.conv1d if nd == 1 else TF.conv2d
        if all(L + 2 * pp >= dd * (kk - 1) + 1 for L, kk, pp, dd in zip(sp, k, p, d)):
            check(lambda x: conv_t(x, w, None, s, p, d, 2), lambda x: conv_g(x, to_tg(w), None, s, p, d, 2),
                  x.detach().clone().requires_grad_(True))
        cm = rng.random() < 0.5
        pool_t = F.max_pool1d if nd == 1 else F.max_pool2d
        pool_g = TF.max_pool1d if nd == 1 else TF.max_pool2d
        fits = all(L + 2 * pp >= dd * (kk - 1) + 1 for L, kk, pp, dd in zip(sp, k, p, d))
        if fits and all(pp < dd or kk > 1 for kk, pp, dd in zip(k, p, d)):
            check(lambda x: pool_t(x, k, s, p, d, cm, True), lambda x: pool_g(x, k, s, p, d, cm, True),
                  x.detach().clone().requires_grad_(True))
        osz = [rng.randint(1, 9) for _ in range(nd)]
        mode = rng.choice(["nearest", "nearest-exact", "area", "linear" if nd == 1 else "bilinear"])
        check(lambda x: F.interpolate(x, size=osz, mode=mode), lambda x: TF.interpolate(x, size=osz, mode=mode),
              x.detach().clone().requires_grad_(True))
        pm = rng.choice(["constant", "reflect", "replicate", "circular"])
        pads = [v for L in sp[::-1] for v in (rng.randint(0, L - 1), rng.randint(0, L - 1))]
        check(lambda x: F.pad(x, pads, mode=pm), lambda x: TF.pad(x, pads, mode=pm),
              x.detach().clone().requires_grad_(True), grad_fn=pm != "circular")


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("kw", [dict(scale_factor=0.5), dict(size=(3, 5)), dict(size=(13, 4)),
                                dict(scale_factor=(0.3, 2.5)), dict(size=(3, 5), align_corners=True)])
def test_interpolate_antialias(mode, kw):
    torch.manual_seed(16)
    x = rand(2, 2, 9, 8)
    check(lambda x: F.interpolate(x, mode=mode, antialias=True, **kw),
          lambda x: TF.interpolate(x, mode=mode, antialias=True, **kw), x)
    assert _err(lambda: TF.interpolate(tg.randn(1, 2, 4), scale_factor=0.5, mode="linear", antialias=True)) == \
        _err(lambda: F.interpolate(torch.randn(1, 2, 4), scale_factor=0.5, mode="linear", antialias=True))


@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_and_grid_sample(mode, padding_mode, align_corners):
    torch.manual_seed(17)
    f64 = torch.float64
    theta = (torch.eye(2, 3, dtype=f64) + 0.5 * torch.randn(2, 2, 3, dtype=f64)).requires_grad_(True)
    x = rand(2, 3, 5, 6)
    theta_g, x_g = to_tg(theta), to_tg(x)
    grid_t = F.affine_grid(theta, (2, 3, 4, 7), align_corners=align_corners) * 1.4  # reach outside [-1, 1]
    grid_g = TF.affine_grid(theta_g, (2, 3, 4, 7), align_corners=align_corners) * 1.4
    close(grid_g, grid_t)
    out_t = F.grid_sample(x, grid_t, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    out_g = TF.grid_sample(x_g, grid_g, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    close(out_g, out_t)
    assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
    seed = torch.randn_like(out_t)
    out_t.backward(seed)
    out_g.backward(tg.tensor(seed.numpy()))
    close(x_g.grad, x.grad)
    close(theta_g.grad, theta.grad, 1e-9)


def test_grid_sample_warning_and_errors():
    x, g = tg.randn(1, 2, 3, 3), tg.zeros(1, 2, 2, 2)
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        TF.grid_sample(x, g)
    for case in (lambda m, t: m.grid_sample(t.randn(1, 2, 3, 3), t.zeros(1, 2, 2, 2), mode="foo"),
                 lambda m, t: m.grid_sample(t.randn(1, 2, 3, 3), t.zeros(1, 2, 2, 2), padding_mode="foo"),
                 lambda m, t: m.grid_sample(t.randn(1, 2, 3, 3), t.zeros(1, 2, 2, 1), align_corners=False),
                 lambda m, t: m.affine_grid(t.randn(2, 2, 3), (2, 3, 4), align_corners=False),
                 lambda m, t: m.affine_grid(t.randn(2, 3, 3), (2, 3, 4, 5), align_corners=False)):
        expected = _err(lambda: case(F, torch))
        assert expected is not None and _err(lambda: case(TF, tg)) == expected


@pytest.mark.parametrize("nd,output_size", [(2, None), (2, (7, 7)), (2, (1, 2, 7, 7)), (1, None), (1, (7,))])
def test_max_unpool(nd, output_size):
    torch.manual_seed(18)
    x = torch.randn(1, 2, *([6] * nd), dtype=torch.float64)
    pool = F.max_pool1d if nd == 1 else F.max_pool2d
    unpool_t = F.max_unpool1d if nd == 1 else F.max_unpool2d
    unpool_g = TF.max_unpool1d if nd == 1 else TF.max_unpool2d
    o, i = pool(x, 2, return_indices=True)
    o = o.requires_grad_(True)
    check(lambda o: unpool_t(o, i, 2, output_size=output_size),
          lambda o: unpool_g(o, tg.tensor(i.numpy()), 2, output_size=output_size), o)
    name = "MaxUnpool1d" if nd == 1 else "MaxUnpool2d"
    assert repr(getattr(tnn, name)(2)) == repr(getattr(torch.nn, name)(2))
    bad = (9,) * nd
    assert _err(lambda: unpool_g(to_tg(o), tg.tensor(i.numpy()), 2, output_size=bad)) == \
        _err(lambda: unpool_t(o, i, 2, output_size=bad))


def test_channel_shuffle():
    torch.manual_seed(19)
    x = rand(2, 6, 3, 2)
    check(lambda x: F.channel_shuffle(x, 3), lambda x: TF.channel_shuffle(x, 3), x)
    assert repr(tnn.ChannelShuffle(2)) == repr(torch.nn.ChannelShuffle(2))
    close(tnn.ChannelShuffle(2)(to_tg(x)), torch.nn.ChannelShuffle(2)(x))


def test_max_pool_last_nan_wins():
    nan = float("nan")
    x = torch.tensor([[[nan, 3.0, nan, 1.0, 1.0, nan, 2.0, 5.0]]], dtype=torch.float64, requires_grad=True)
    check(lambda x: F.max_pool1d(x, 4, return_indices=True), lambda x: TF.max_pool1d(x, 4, return_indices=True), x)
    x = x.detach().clone().requires_grad_(True)
    check(lambda x: F.adaptive_max_pool1d(x, 2, True), lambda x: TF.adaptive_max_pool1d(x, 2, True), x)


@pytest.mark.parametrize("fn,kw", [
    ("max_pool3d", dict(kernel_size=2, return_indices=True)),
    ("max_pool3d", dict(kernel_size=(3, 2, 2), stride=(2, 1, 2), padding=(1, 0, 1), dilation=(1, 2, 1),
                        ceil_mode=True, return_indices=True)),
    ("avg_pool3d", dict(kernel_size=2)),
    ("avg_pool3d", dict(kernel_size=3, stride=2, padding=1, count_include_pad=False, ceil_mode=True)),
    ("adaptive_avg_pool3d", dict(output_size=(2, 3, 4))),
    ("adaptive_max_pool3d", dict(output_size=(3, 2, 3), return_indices=True)),
    ("interpolate", dict(scale_factor=2, mode="trilinear")),
    ("interpolate", dict(size=(3, 7, 4), mode="trilinear", align_corners=True)),
    ("interpolate", dict(size=(3, 7, 4), mode="nearest")),
    ("interpolate", dict(size=(2, 3, 4), mode="area")),
    ("pad", dict(pad=(1, 2, 0, 1, 2, 1), mode="replicate")),
    ("pad", dict(pad=(1, 2, 0, 1, 2, 1), mode="reflect")),
    ("pad", dict(pad=(1, 2, 0, 1, 2, 1), mode="circular")),
])
def test_3d_variants(fn, kw):
    torch.manual_seed(20)
    x = rand(2, 2, 5, 6, 4)
    check(lambda x: getattr(F, fn)(x, **kw), lambda x: getattr(TF, fn)(x, **kw), x,
          grad_fn=fn != "pad" or kw["mode"] != "circular")


def test_empty_batch():
    for fn in (lambda m, t, x: m.conv2d(x, t.ones(4, 3, 3, 3)), lambda m, t, x: m.max_pool2d(x, 2),
               lambda m, t, x: m.adaptive_max_pool2d(x, 3), lambda m, t, x: m.pad(x, (1, 1, 1, 1), mode="reflect"),
               lambda m, t, x: m.interpolate(x, scale_factor=2), lambda m, t, x: m.avg_pool2d(x, 3, 2, 1)):
        xt = torch.zeros(0, 3, 8, 8, requires_grad=True)
        xg = tg.zeros(0, 3, 8, 8).requires_grad_(True)
        out_t, out_g = fn(F, torch, xt), fn(TF, tg, xg)
        assert tuple(out_g.shape) == tuple(out_t.shape)
        out_g.sum().backward()
        assert tuple(xg.grad.shape) == (0, 3, 8, 8)


@pytest.mark.parametrize("kw", [dict(kernel_size=3, output_size=(5, 4)), dict(kernel_size=(2, 3), output_size=(9, 3)),
                                dict(kernel_size=2, output_ratio=(0.5, 0.7)), dict(kernel_size=2, output_size=1)])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_fractional_max_pool2d(kw, dtype):
    torch.manual_seed(21)
    x = rand(2, 3, 11, 9, dtype=dtype)
    samples = torch.rand(2, 3, 2, dtype=dtype)
    check(lambda x: F.fractional_max_pool2d(x, return_indices=True, _random_samples=samples, **kw),
          lambda x: TF.fractional_max_pool2d(x, return_indices=True, _random_samples=tg.tensor(samples.numpy()), **kw),
          x, tol=1e-6)


def test_fractional_max_pool_rng_3d_and_module():
    x = torch.randn(2, 3, 11, 9)
    torch.manual_seed(0)
    tg.manual_seed(0)
    close(TF.fractional_max_pool2d(to_tg(x), 2, output_size=5), F.fractional_max_pool2d(x, 2, output_size=5))
    x3 = torch.randn(2, 3, 7, 6, 5, dtype=torch.float64, requires_grad=True)
    samples = torch.rand(2, 3, 3, dtype=torch.float64)
    check(lambda x: F.fractional_max_pool3d(x, 2, output_size=(4, 3, 3), return_indices=True, _random_samples=samples),
          lambda x: TF.fractional_max_pool3d(x, 2, output_size=(4, 3, 3), return_indices=True,
                                             _random_samples=tg.tensor(samples.numpy())), x3)
    assert repr(tnn.FractionalMaxPool2d(3, output_size=5)) == repr(torch.nn.FractionalMaxPool2d(3, output_size=5))
    for ctor in (lambda nn: nn.FractionalMaxPool2d(3), lambda nn: nn.FractionalMaxPool2d(3, output_ratio=1.5),
                 lambda nn: nn.FractionalMaxPool2d(3, output_size=2, output_ratio=0.5)):
        assert _err(lambda: ctor(tnn)) == _err(lambda: ctor(torch.nn))
    xb = torch.randn(2, 3, 9, 8)
    for case in (lambda m, t, x: m.fractional_max_pool2d(x, 3),
                 lambda m, t, x: m.fractional_max_pool2d(x, 3, output_size=9),
                 lambda m, t, x: m.fractional_max_pool2d(x, 3, output_size=(7, 8)),
                 lambda m, t, x: m.fractional_max_pool2d(x, 3, output_ratio=0.5),
                 lambda m, t, x: m.fractional_max_pool2d(x, 3, output_size=2, _random_samples=t.rand(2, 2, 2))):
        assert _err(lambda: case(TF, tg, to_tg(xb))) == _err(lambda: case(F, torch, xb))
    assert tuple(TF.lp_pool3d(tg.randn(1, 2, 4, 5, 6), 2, 2).shape) == (1, 2, 2, 2, 3)


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.uint8, torch.bool])
def test_integer_dtype_support_matches(dtype):
    x = torch.randint(-9 if dtype in (torch.int64, torch.int32) else 0, 9, (2, 3, 7, 6)).to(dtype)
    cases = [lambda m, x: m.avg_pool2d(x, 2), lambda m, x: m.avg_pool2d(x, 3, 2, 1, True, False),
             lambda m, x: m.avg_pool2d(x, 3, 2, 1, divisor_override=4), lambda m, x: m.avg_pool1d(x[0], 2),
             lambda m, x: m.adaptive_avg_pool2d(x, 3), lambda m, x: m.max_pool2d(x, 2),
             lambda m, x: m.adaptive_max_pool2d(x, 3), lambda m, x: m.interpolate(x, scale_factor=2),
             lambda m, x: m.interpolate(x, size=(5, 9), mode="bilinear"),
             lambda m, x: m.interpolate(x, size=(5, 9), mode="bicubic"),
             lambda m, x: m.interpolate(x, size=(3, 4), mode="bilinear", antialias=True),
             lambda m, x: m.interpolate(x[0], size=5, mode="linear")]
    for case in cases:
        try:
            expected = case(F, x)
        except Exception as e:  # noqa: BLE001 - compared by type and message
            assert _err(lambda: case(TF, tg.tensor(x.numpy()))) == (type(e).__name__, str(e))
            continue
        got = case(TF, tg.tensor(x.numpy()))
        assert got.dtype == tg.tensor(expected.numpy()).dtype
        np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_uint8_resampling_matches_fixed_point():
    torch.manual_seed(22)
    for mode in ("bilinear", "bicubic"):
        for antialias, align_corners in ((False, None), (False, True), (True, None)):
            for kw in (dict(size=(5, 4)), dict(size=(13, 17)), dict(scale_factor=1.7), dict(scale_factor=(0.4, 2.2))):
                x = torch.randint(0, 256, (2, 3, 7, 9), dtype=torch.uint8)
                expected = F.interpolate(x, mode=mode, antialias=antialias, align_corners=align_corners, **kw)
                got = TF.interpolate(tg.tensor(x.numpy()), mode=mode, antialias=antialias, align_corners=align_corners,
                                     **kw)
                np.testing.assert_array_equal(got.numpy(), expected.numpy())


@pytest.mark.parametrize("kw", [dict(size=(5, 11)), dict(size=(20, 7)), dict(scale_factor=(2.5, 0.3))])
def test_interpolate_lanczos(kw):
    torch.manual_seed(23)
    x = rand(2, 3, 9, 8)
    check(lambda x: F.interpolate(x, mode="lanczos", antialias=True, **kw),
          lambda x: TF.interpolate(x, mode="lanczos", antialias=True, **kw), x)
    x8 = (torch.randn(2, 3, 9, 8) * 60 + 128).clamp(0, 255).to(torch.uint8)
    np.testing.assert_array_equal(TF.interpolate(tg.tensor(x8.numpy()), mode="lanczos", antialias=True, **kw).numpy(),
                                  F.interpolate(x8, mode="lanczos", antialias=True, **kw).numpy())
    for case in (lambda m, t: m.interpolate(t.randn(1, 2, 4, 4), size=3, mode="lanczos"),
                 lambda m, t: m.interpolate(t.randn(1, 2, 4, 4), size=3, mode="lanczos", antialias=True,
                                            align_corners=True),
                 lambda m, t: m.interpolate(t.randn(1, 2, 4), size=3, mode="lanczos", antialias=True),
                 lambda m, t: m.interpolate(t.randn(1, 2, 4), size=3, mode="lanczos"),
                 lambda m, t: m.interpolate(t.randn(1, 2, 4), size=3, mode="foo")):
        assert _err(lambda: case(TF, tg)) == _err(lambda: case(F, torch))


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
def test_affine_grid_and_grid_sample_3d(mode, padding_mode):
    torch.manual_seed(24)
    f64 = torch.float64
    theta = (torch.eye(3, 4, dtype=f64) + 0.4 * torch.randn(2, 3, 4, dtype=f64)).requires_grad_(True)
    x = rand(2, 3, 4, 5, 6)
    theta_g, x_g = to_tg(theta), to_tg(x)
    grid_t = F.affine_grid(theta, (2, 3, 3, 4, 5), align_corners=False) * 1.3
    grid_g = TF.affine_grid(theta_g, (2, 3, 3, 4, 5), align_corners=False) * 1.3
    out_t = F.grid_sample(x, grid_t, mode=mode, padding_mode=padding_mode, align_corners=False)
    out_g = TF.grid_sample(x_g, grid_g, mode=mode, padding_mode=padding_mode, align_corners=False)
    close(out_g, out_t)
    assert type(out_g.grad_fn).__name__ == type(out_t.grad_fn).__name__
    seed = torch.randn_like(out_t)
    out_t.backward(seed)
    out_g.backward(tg.tensor(seed.numpy()))
    close(x_g.grad, x.grad)
    close(theta_g.grad, theta.grad, 1e-9)
    assert _err(lambda: TF.grid_sample(x_g, grid_g, mode="bicubic", align_corners=False)) == \
        _err(lambda: F.grid_sample(x, grid_t, mode="bicubic", align_corners=False))


def _f64(*shape):
    return tg.randn(*shape, dtype=tg.float64).requires_grad_(True)


GRADCHECK_CASES = {
    "conv2d": (lambda x, w: TF.conv2d(x, w, stride=2, padding=1, groups=2),
               lambda: (_f64(1, 4, 5, 4), _f64(2, 2, 3, 2))),
    "conv_transpose1d": (lambda x, w: TF.conv_transpose1d(x, w, stride=2, padding=1, output_padding=1, dilation=2),
                         lambda: (_f64(1, 2, 4), _f64(2, 3, 3))),
    "avg_pool2d": (lambda x: TF.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
                   lambda: (_f64(1, 2, 5, 6),)),
    "max_pool2d": (lambda x: TF.max_pool2d(x, 2, 1, 1), lambda: (_f64(1, 2, 4, 5),)),
    "bicubic": (lambda x: TF.interpolate(x, size=(5, 3), mode="bicubic", align_corners=True),
                lambda: (_f64(1, 2, 3, 4),)),
    "antialias": (lambda x: TF.interpolate(x, size=(2, 3), mode="bilinear", antialias=True),
                  lambda: (_f64(1, 1, 5, 6),)),
    "reflect_pad": (lambda x: TF.pad(x, (2, 1, 1, 2), mode="reflect"), lambda: (_f64(1, 2, 4, 5),)),
    "fold": (lambda x: TF.fold(x, (4, 5), (2, 3), padding=1, stride=2), lambda: (_f64(1, 12, 9),)),
    "pixel_shuffle": (lambda x: TF.pixel_shuffle(x, 2), lambda: (_f64(1, 8, 2, 3),)),
}


@pytest.mark.parametrize("name", sorted(GRADCHECK_CASES))
def test_gradcheck_and_gradgradcheck(name):
    fn, make = GRADCHECK_CASES[name]
    tg.manual_seed(31)
    args = make()
    assert tg.autograd.gradcheck(fn, args)
    assert tg.autograd.gradgradcheck(fn, args)


def test_gradcheck_grid_sample():
    tg.manual_seed(32)
    x = _f64(1, 2, 4, 5)
    grid = (tg.rand(1, 3, 2, 2, dtype=tg.float64) * 1.6 - 0.8).requires_grad_(True)
    for mode in ("bilinear", "bicubic"):
        assert tg.autograd.gradcheck(
            lambda x, g: TF.grid_sample(x, g, mode=mode, padding_mode="reflection", align_corners=False), (x, grid))


def test_grid_sample_nan_grid_points():
    torch.manual_seed(35)
    x = rand(1, 1, 3, 3)
    grid = torch.tensor([[[[float("nan"), 0.0], [0.2, 0.1]]]], dtype=torch.float64, requires_grad=True)
    for mode in ("bilinear", "nearest", "bicubic"):
        x.grad = grid.grad = None
        xg, gg = to_tg(x), to_tg(grid)
        out_t = F.grid_sample(x, grid, mode=mode, padding_mode="zeros", align_corners=False)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            out_g = TF.grid_sample(xg, gg, mode=mode, padding_mode="zeros", align_corners=False)
        np.testing.assert_allclose(out_g.detach().numpy(), out_t.detach().numpy(), rtol=1e-10, equal_nan=True)
        out_t.sum().backward()
        out_g.sum().backward()
        np.testing.assert_allclose(xg.grad.numpy(), x.grad.numpy(), rtol=1e-10, atol=1e-12)
