"""torch.utils.checkpoint against PyTorch: node names, gradients, and replayed dropout masks."""
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402


def _run(lib, use_reentrant):
    from importlib import import_module
    checkpoint = import_module(lib.__name__ + ".utils.checkpoint").checkpoint
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Dropout(0.5), lib.nn.ReLU(), lib.nn.Linear(8, 2))
    x = lib.randn(3, 4, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = checkpoint(net, x, use_reentrant=use_reentrant)
    y.sum().backward()
    after = lib.rand(2)  # the random stream continues where PyTorch's does
    return (type(y.grad_fn).__name__, y.detach().numpy(), x.grad.numpy(), net[0].weight.grad.numpy(),
            after.numpy())


@pytest.mark.parametrize("use_reentrant", [True, False])
def test_checkpoint_matches_pytorch(use_reentrant):
    mine, theirs = _run(tg, use_reentrant), _run(torch, use_reentrant)
    assert mine[0] == theirs[0]
    for a, b in zip(mine[1:], theirs[1:]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_missing_use_reentrant_warns_like_pytorch():
    from tritongrad.utils.checkpoint import checkpoint
    from torch.utils.checkpoint import checkpoint as torch_checkpoint
    with pytest.warns(UserWarning) as mine:
        checkpoint(lambda t: t * 2, tg.ones(2, requires_grad=True))
    with pytest.warns(UserWarning) as theirs:
        torch_checkpoint(lambda t: t * 2, torch.ones(2, requires_grad=True))
    assert str(mine[0].message) == str(theirs[0].message)
