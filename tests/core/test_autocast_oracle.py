"""CPU autocast against PyTorch: which ops run in bfloat16, the recorded casts, and float32 gradients."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402


def _run(lib):
    rng = np.random.default_rng(0)
    conv_w = rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    lin_w = rng.standard_normal((4, 12)).astype(np.float32)
    x = rng.standard_normal((2, 2, 4, 4)).astype(np.float32)
    cw = lib.tensor(conv_w, requires_grad=True)
    lw = lib.tensor(lin_w, requires_grad=True)
    xt = lib.tensor(x)
    with lib.autocast("cpu", dtype=lib.bfloat16):
        enabled = lib.is_autocast_enabled("cpu")
        h = lib.nn.functional.conv2d(xt, cw)
        p = lib.nn.functional.relu(h).flatten(1)
        out = lib.nn.functional.linear(p, lw)
        with lib.autocast("cpu", enabled=False):
            plain = xt.flatten(1) @ xt.flatten(1).t()
        s = out.float().sum()
    s.backward()
    return (enabled, lib.is_autocast_enabled("cpu"), str(h.dtype), str(out.dtype), str(plain.dtype),
            type(out.grad_fn).__name__, out.float().detach().numpy(), cw.grad.numpy(), lw.grad.numpy())


def test_cpu_autocast_matches_pytorch():
    mine, theirs = _run(tg), _run(torch)
    assert mine[:6] == theirs[:6]
    for a, b in zip(mine[6:], theirs[6:]):
        np.testing.assert_allclose(a, b, rtol=2e-2, atol=2e-2)  # bfloat16 arithmetic


def test_cuda_autocast_and_scaler_disable_themselves_without_cuda():
    for lib in (tg, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            with lib.autocast("cuda"):
                enabled = lib.is_autocast_enabled("cuda")
            scaler = lib.amp.GradScaler("cuda")
        assert enabled is False
        assert scaler.is_enabled() is False
        assert any("CUDA is not available" in str(m.message) for m in w)
