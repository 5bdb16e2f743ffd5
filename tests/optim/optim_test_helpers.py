"""Shared pieces of the optimizer oracle tests: identical parameters and gradients in both frameworks."""
import numpy as np

from tritongrad._tensor import Tensor


def tg_leaf(arr):
    """A tritongrad leaf tensor requiring grad, owning a copy of ``arr``."""
    t = Tensor._make(np.array(arr, copy=True))
    t.requires_grad_(True)
    return t


def tg_tensor(arr):
    return Tensor._make(np.array(arr, copy=True))


def make_problem(dtype, seed=0):
    """Parameters (a weight matrix and a bias) and the data of a smooth, non-quadratic loss."""
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal((3, 4)).astype(dtype)
    bias = rng.standard_normal(3).astype(dtype)
    inputs = rng.standard_normal((5, 4))
    targets = rng.standard_normal((5, 3))
    return [weight, bias], (inputs, targets)


def loss_and_grads(params, data):
    """float64 loss and gradients of sum((tanh(x W^T + b) - y)^2) + 0.5 * sum(cos(W)).

    The loss is bounded, so ``maximize=True`` runs stay finite too."""
    weight, bias = (np.asarray(p, dtype=np.float64) for p in params)
    inputs, targets = data
    pre = inputs @ weight.T + bias
    act = np.tanh(pre)
    resid = act - targets
    loss = (resid ** 2).sum() + 0.5 * np.cos(weight).sum()
    dpre = 2 * resid * (1 - act ** 2)
    grad_w = dpre.T @ inputs - 0.5 * np.sin(weight)
    grad_b = dpre.sum(0)
    return loss, [grad_w, grad_b]
