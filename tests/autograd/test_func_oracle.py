"""torch.func (grad, grad_and_value, vmap, functional_call, vjp, jacrev, hessian) against PyTorch."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402
from core.oracle import assert_same  # noqa: E402

_X = np.random.default_rng(0).standard_normal((4, 3))
_W = np.random.default_rng(1).standard_normal((3,))


def _f(lib):
    return lambda x, w: (x @ w).sin().sum()


CASES = {
    "grad": lambda L: L.func.grad(_f(L))(L.tensor(_X), L.tensor(_W)),
    "grad_argnums": lambda L: L.func.grad(_f(L), argnums=(0, 1))(L.tensor(_X), L.tensor(_W)),
    "grad_and_value": lambda L: L.func.grad_and_value(_f(L), argnums=1)(L.tensor(_X), L.tensor(_W)),
    "grad_dict": lambda L: L.func.grad(lambda p: (p["a"] * p["b"]).sum())(
        {"a": L.tensor(_W), "b": L.tensor(_W * 2)}),
    "vmap": lambda L: L.func.vmap(lambda row, w: (row * w).sum())(L.tensor(_X), L.tensor(_X)),
    "vmap_in_dims": lambda L: L.func.vmap(lambda row, w: row @ w, in_dims=(0, None))(L.tensor(_X), L.tensor(_W)),
    "vmap_out_dims": lambda L: L.func.vmap(lambda r: r * 2, in_dims=1, out_dims=1)(L.tensor(_X)),
    "vmap_grad": lambda L: L.func.vmap(L.func.grad(lambda r, w: (r @ w) ** 2), in_dims=(0, None))(
        L.tensor(_X), L.tensor(_W)),
    "vjp": lambda L: L.func.vjp(lambda x: x.exp(), L.tensor(_W))[1](L.ones(3, dtype=L.float64)),
    "jacrev": lambda L: L.func.jacrev(lambda x: x.sin() * x)(L.tensor(_W)),
    "hessian": lambda L: L.func.hessian(lambda x: (x ** 3).sum())(L.tensor(_W)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_func_matches_pytorch(name):
    mine, theirs = CASES[name](tg), CASES[name](torch)
    if isinstance(theirs, dict):
        assert list(mine) == list(theirs)
        mine, theirs = list(mine.values()), list(theirs.values())
    assert_same(mine, theirs, rtol=1e-10, atol=1e-12)


def test_functional_call_with_substitute_parameters():
    def run(L):
        L.manual_seed(0)
        model = L.nn.Linear(3, 2)
        params = {k: v.detach() * 2 for k, v in model.named_parameters()}
        x = L.tensor(_X)
        out = L.func.functional_call(model, params, (x.float(),))
        return out, model.weight  # the module keeps its own parameters afterwards
    mine, theirs = run(tg), run(torch)
    assert_same(mine[0].detach(), theirs[0].detach(), rtol=1e-6)
    assert_same(mine[1].detach(), theirs[1].detach())
