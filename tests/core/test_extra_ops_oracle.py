"""The less common torch.* functions (diff, isin, cdist, cov, view_as_real, lgamma, ...) against PyTorch."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402
from .oracle import assert_same  # noqa: E402

_R = np.random.default_rng(0)
A = _R.standard_normal((3, 4)).astype(np.float32)
B = _R.standard_normal((5, 4)).astype(np.float32)

CASES = {
    "diff": lambda L: L.diff(L.tensor(A), dim=1),
    "diff_n2_dim0": lambda L: L.diff(L.tensor(A), n=2, dim=0),
    "diff_prepend": lambda L: L.diff(L.tensor([1.0, 3.0, 6.0]), prepend=L.tensor([0.0])),
    "isin": lambda L: L.isin(L.tensor([1, 2, 3, 4]), L.tensor([2, 4])),
    "isin_invert": lambda L: L.isin(L.tensor([1, 2, 3, 4]), L.tensor([2, 4]), invert=True),
    "logaddexp": lambda L: L.logaddexp(L.tensor(A), L.tensor(A[::-1].copy())),
    "logaddexp2": lambda L: L.logaddexp2(L.tensor(A), L.tensor(A * 3)),
    "heaviside": lambda L: L.heaviside(L.tensor([-1.0, 0.0, 2.0]), L.tensor([0.5])),
    "cartesian_prod": lambda L: L.cartesian_prod(L.tensor([1, 2]), L.tensor([3, 4, 5])),
    "combinations": lambda L: L.combinations(L.tensor([1, 2, 3, 4]), 2),
    "combinations_repl": lambda L: L.combinations(L.tensor([1.0, 2.0, 3.0]), 2, with_replacement=True),
    "block_diag": lambda L: L.block_diag(L.tensor([[1, 2], [3, 4]]), L.tensor([[5]]), L.tensor([6, 7])),
    "vsplit": lambda L: L.vsplit(L.arange(16.0).reshape(4, 4), 2),
    "hsplit": lambda L: L.hsplit(L.arange(16.0).reshape(4, 4), [1, 3]),
    "trapezoid": lambda L: L.trapezoid(L.tensor(A)),
    "trapezoid_x": lambda L: L.trapezoid(L.tensor(A), L.tensor([0.0, 1.0, 3.0, 4.0])),
    "cumulative_trapezoid": lambda L: L.cumulative_trapezoid(L.tensor(A), dx=0.5),
    "cov": lambda L: L.cov(L.tensor(A)),
    "cov_correction0": lambda L: L.cov(L.tensor(A), correction=0),
    "corrcoef": lambda L: L.corrcoef(L.tensor(A)),
    "diagflat": lambda L: L.diagflat(L.tensor([[1, 2], [3, 4]]), 1),
    "unravel_index": lambda L: L.unravel_index(L.tensor([4, 7, 11]), (3, 4)),
    "cdist": lambda L: L.cdist(L.tensor(A), L.tensor(B)),
    "cdist_p1": lambda L: L.cdist(L.tensor(A), L.tensor(B), p=1),
    "dist": lambda L: L.dist(L.tensor(A), L.tensor(A * 2), 3),
    "view_as_real": lambda L: L.view_as_real(L.complex(L.tensor(A), L.tensor(A * 2))),
    "view_as_complex": lambda L: L.view_as_complex(L.tensor(A.reshape(3, 2, 2))),
    "polar": lambda L: L.polar(L.tensor([1.0, 2.0]), L.tensor([0.5, 1.0])),
    "lgamma": lambda L: L.lgamma(L.tensor([0.5, 1.5, 3.0, 10.0])),
    "digamma": lambda L: L.digamma(L.tensor([0.5, 1.5, 3.0, 10.0, -0.5])),
    "type_as": lambda L: L.tensor([1, 2]).type_as(L.tensor([1.0], dtype=L.float64)),
    "view_dtype": lambda L: L.tensor([[1.0, 2.0]]).view(L.int32),
    "view_dtype_narrower": lambda L: L.tensor([[1.0, 2.0]]).view(L.float16),
}


@pytest.mark.parametrize("name", list(CASES))
def test_matches_pytorch(name):
    assert_same(CASES[name](tg), CASES[name](torch), rtol=1e-5, atol=1e-6)


GRAD_CASES = {
    "logaddexp": (lambda L, x: L.logaddexp(x, x * 2).sum(), (4,)),
    "cdist": (lambda L, x: L.cdist(x.reshape(2, 2), x.reshape(2, 2) * 3).sum(), (4,)),
    "lgamma": (lambda L, x: L.lgamma(x.abs() + 0.5).sum(), (4,)),
    "cov": (lambda L, x: L.cov(x.reshape(2, 2)).sum(), (4,)),
    "diff": (lambda L, x: (L.diff(x) ** 2).sum(), (4,)),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradients_match_pytorch(name):
    fn, shape = GRAD_CASES[name]
    data = np.random.default_rng(1).standard_normal(shape)
    xm, xt = tg.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    fn(tg, xm).backward()
    fn(torch, xt).backward()
    assert_same(xm.grad, xt.grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("values,k", [
    ([0.0, 0, 1, 0, 0, 0, 0, 0, 2, 0], 5),
    ([3.0, 1, 3, 3, 2, 1, 3, 0, 3, 1, 2, 3], 4),
    ([1.0] * 50 + [2.0] * 3, 7),
])
def test_topk_keeps_pytorch_order_among_ties(values, k):
    mine = tg.topk(tg.tensor(values), k)
    theirs = torch.topk(torch.tensor(values), k)
    assert mine.indices.tolist() == theirs.indices.tolist()
    assert mine.values.tolist() == theirs.values.tolist()
