"""torch.linalg against the PyTorch oracle: values, dtypes, errors, and gradients (plus float64 gradcheck)."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402
import tritongrad.linalg  # noqa: E402,F401

from .compare_cases import check_case  # noqa: E402

_RNG = np.random.default_rng(0)
_M = _RNG.standard_normal((3, 3))
_SPD = _M @ _M.T + 3 * np.eye(3)
_BATCH = _RNG.standard_normal((2, 3, 3))
_RECT = _RNG.standard_normal((4, 3))
_B = _RNG.standard_normal((3, 2))
_V = _RNG.standard_normal(3)


def _t(L, a, dtype="float32", grad=False):
    t = L.tensor(a).to(getattr(L, dtype))
    return t.requires_grad_() if grad else t


def _la(L):
    return L.linalg


VALUES = {
    "inv": lambda L: _la(L).inv(_t(L, _M)),
    "inv_batch": lambda L: _la(L).inv(_t(L, _BATCH, "float64")),
    "inv_ex": lambda L: tuple(_la(L).inv_ex(_t(L, _M))),
    "det": lambda L: _la(L).det(_t(L, _M)),
    "det_batch": lambda L: _la(L).det(_t(L, _BATCH)),
    "det_singular": lambda L: _la(L).det(L.zeros(2, 2)),
    "slogdet": lambda L: tuple(_la(L).slogdet(_t(L, _M))),
    "slogdet_negative": lambda L: tuple(_la(L).slogdet(-L.eye(3))),
    "solve": lambda L: _la(L).solve(_t(L, _M), _t(L, _B)),
    "solve_vector": lambda L: _la(L).solve(_t(L, _M), _t(L, _V)),
    "solve_batch_broadcast": lambda L: _la(L).solve(_t(L, _BATCH), _t(L, _B)),
    "solve_left_false": lambda L: _la(L).solve(_t(L, _M), _t(L, _B.T), left=False),
    "cholesky": lambda L: _la(L).cholesky(_t(L, _SPD)),
    "cholesky_upper": lambda L: _la(L).cholesky(_t(L, _SPD, "float64"), upper=True),
    "cholesky_ex": lambda L: tuple(_la(L).cholesky_ex(_t(L, _SPD))),
    "qr": lambda L: tuple(_la(L).qr(_t(L, _RECT, "float64"))),
    "qr_complete": lambda L: tuple(_la(L).qr(_t(L, _RECT, "float64"), mode="complete")),
    "svdvals": lambda L: _la(L).svdvals(_t(L, _RECT)),
    "svd_reconstruct": lambda L: (lambda r: r.U @ L.diag_embed(r.S) @ r.Vh)(_la(L).svd(_t(L, _RECT, "float64"),
                                                                                         full_matrices=False)),
    "svd_shapes": lambda L: [tuple(x.shape) for x in _la(L).svd(_t(L, _RECT))],
    "eigh_values": lambda L: _la(L).eigh(_t(L, _SPD, "float64")).eigenvalues,
    "eigh_vectors_abs": lambda L: _la(L).eigh(_t(L, _SPD, "float64")).eigenvectors.abs(),
    "eigvalsh": lambda L: _la(L).eigvalsh(_t(L, _SPD)),
    # compared through Python complex numbers: eigenvalue order and the complex abs are not what is tested
    "eigvals_abs": lambda L: sorted(abs(v) for v in _la(L).eigvals(_t(L, _M, "float64")).tolist()),
    "eigvals_dtype": lambda L: _la(L).eigvals(_t(L, _M)).dtype,
    "pinv": lambda L: _la(L).pinv(_t(L, _RECT, "float64")),
    "pinv_singular": lambda L: _la(L).pinv(L.ones(3, 3, dtype=L.float64)),
    "matrix_rank": lambda L: _la(L).matrix_rank(L.ones(3, 3)),
    "matrix_rank_full": lambda L: _la(L).matrix_rank(_t(L, _BATCH)),
    "matrix_rank_hermitian": lambda L: _la(L).matrix_rank(_t(L, _SPD), hermitian=True),
    "lstsq_solution": lambda L: _la(L).lstsq(_t(L, _RECT, "float64"), _t(L, np.ones((4, 2)), "float64")).solution,
    "lstsq_fields": lambda L: [tuple(x.shape) for x in _la(L).lstsq(_t(L, _RECT), _t(L, np.ones((4, 2))))],
    "lstsq_gelsd": lambda L: tuple(_la(L).lstsq(_t(L, _RECT, "float64"), _t(L, np.ones((4, 2)), "float64"),
                                                driver="gelsd")),
    "vector_norm": lambda L: _la(L).vector_norm(_t(L, _M)),
    "vector_norm_dim": lambda L: _la(L).vector_norm(_t(L, _M), 3, dim=1, keepdim=True),
    "vector_norm_inf": lambda L: _la(L).vector_norm(_t(L, _M), float("inf"), dim=0),
    "vector_norm_zero": lambda L: _la(L).vector_norm(_t(L, _M), 0),
    "vector_norm_dtype": lambda L: _la(L).vector_norm(_t(L, _M), dtype=L.float64),
    "matrix_norm_fro": lambda L: _la(L).matrix_norm(_t(L, _BATCH)),
    "matrix_norm_nuc": lambda L: _la(L).matrix_norm(_t(L, _M), "nuc"),
    "matrix_norm_2": lambda L: _la(L).matrix_norm(_t(L, _M), 2),
    "matrix_norm_m2": lambda L: _la(L).matrix_norm(_t(L, _M), -2),
    "matrix_norm_1": lambda L: _la(L).matrix_norm(_t(L, _BATCH), 1),
    "matrix_norm_inf_keep": lambda L: _la(L).matrix_norm(_t(L, _BATCH), float("inf"), keepdim=True),
    "norm_vector": lambda L: _la(L).norm(_t(L, _V)),
    "norm_matrix": lambda L: _la(L).norm(_t(L, _M)),
    "norm_matrix_ord": lambda L: _la(L).norm(_t(L, _M), 1),
    "norm_3d": lambda L: _la(L).norm(_t(L, _BATCH)),
    "norm_dim": lambda L: _la(L).norm(_t(L, _BATCH), dim=(0, 2)),
    "cond": lambda L: _la(L).cond(_t(L, _M, "float64")),
    "cross": lambda L: _la(L).cross(_t(L, _M), _t(L, _M.T)),
    "multi_dot": lambda L: _la(L).multi_dot([_t(L, _M), _t(L, _B), _t(L, _B.T)]),
    "diagonal": lambda L: _la(L).diagonal(_t(L, _BATCH), offset=1),
    "matrix_power": lambda L: _la(L).matrix_power(_t(L, _M, "float64"), 3),
    "matrix_power_neg": lambda L: _la(L).matrix_power(_t(L, _M, "float64"), -2),
    "matrix_power_zero": lambda L: _la(L).matrix_power(_t(L, _BATCH), 0),
    "solve_triangular": lambda L: _la(L).solve_triangular(_t(L, _SPD, "float64"), _t(L, _B, "float64"), upper=True),
    "vecdot": lambda L: _la(L).vecdot(_t(L, _M), _t(L, _M)),
    # errors
    "err_inv_singular": lambda L: _la(L).inv(L.zeros(2, 2)),
    "err_inv_singular_batch": lambda L: _la(L).inv(L.zeros(2, 2, 2)),
    "err_inv_nonsquare": lambda L: _la(L).inv(L.zeros(2, 3)),
    "err_inv_1d": lambda L: _la(L).inv(L.zeros(3)),
    "err_inv_int": lambda L: _la(L).inv(L.eye(2, dtype=L.long)),
    "err_det_nonsquare": lambda L: _la(L).det(L.ones(2, 3)),
    "err_cholesky_not_pd": lambda L: _la(L).cholesky(L.tensor([[1.0, 2.0], [2.0, 1.0]])),
    "err_cholesky_batch": lambda L: _la(L).cholesky(L.tensor([[[1.0, 0], [0, 1]], [[1, 2], [2, 1]]])),
    "err_solve_singular": lambda L: _la(L).solve(L.zeros(2, 2), L.ones(2)),
    "err_solve_shapes": lambda L: _la(L).solve(L.eye(2), L.ones(3)),
    "err_vector_norm_int": lambda L: _la(L).vector_norm(L.ones(2, dtype=L.long)),
    "err_matrix_norm_1d": lambda L: _la(L).matrix_norm(L.ones(3)),
    "err_matrix_norm_dim": lambda L: _la(L).norm(L.ones(2, 3), ord="fro", dim=1),
    "err_eigh_nonsquare": lambda L: _la(L).eigh(L.ones(2, 3)),
    "err_cross_len": lambda L: _la(L).cross(L.ones(2), L.ones(2)),
    "err_is_linalg_error": lambda L: (lambda: isinstance(_catch(lambda: _la(L).inv(L.zeros(2, 2))),
                                                         _la(L).LinAlgError))(),
}


def _catch(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return e
    return None


@pytest.mark.parametrize("name", list(VALUES))
def test_linalg_values(name):
    check_case(VALUES[name], rtol=1e-4, atol=1e-5)


def _grad_of(fn, L, arrays, dtype="float64"):
    ins = [_t(L, a, dtype, grad=True) for a in arrays]
    out = fn(L, *ins)
    out = out if isinstance(out, (tuple, list)) else (out,)
    total = sum((o * L.arange(1.0, o.numel() + 1, dtype=o.dtype).reshape(o.shape)).sum() for o in out
                if o.dtype.is_floating_point)
    total.backward()
    return (out[0].grad_fn.name() if out[0].grad_fn is not None else None,) + tuple(i.grad for i in ins)


GRADS = {
    "inv": (lambda L, a: L.linalg.inv(a), [_M]),
    "det": (lambda L, a: L.linalg.det(a), [_M]),
    "det_batch": (lambda L, a: L.linalg.det(a), [_BATCH]),
    "slogdet": (lambda L, a: L.linalg.slogdet(a).logabsdet, [_M]),
    "solve": (lambda L, a, b: L.linalg.solve(a, b), [_M, _B]),
    "solve_vector": (lambda L, a, b: L.linalg.solve(a, b), [_M, _V]),
    "solve_broadcast": (lambda L, a, b: L.linalg.solve(a, b), [_BATCH, _B]),
    "cholesky": (lambda L, a: L.linalg.cholesky(a), [_SPD]),
    "cholesky_upper": (lambda L, a: L.linalg.cholesky(a, upper=True), [_SPD]),
    "vector_norm": (lambda L, a: L.linalg.vector_norm(a), [_M]),
    "vector_norm_p3_dim": (lambda L, a: L.linalg.vector_norm(a, 3, dim=0), [_M]),
    "vector_norm_1": (lambda L, a: L.linalg.vector_norm(a, 1, dim=1), [_M]),
    "vector_norm_inf": (lambda L, a: L.linalg.vector_norm(a, float("inf")), [_M]),
    "vector_norm_zero_input": (lambda L, a: L.linalg.vector_norm(a * 0), [_M]),
    "matrix_norm_fro": (lambda L, a: L.linalg.matrix_norm(a), [_BATCH]),
    "matrix_norm_nuc": (lambda L, a: L.linalg.matrix_norm(a, "nuc"), [_M]),
    "matrix_norm_2": (lambda L, a: L.linalg.matrix_norm(a, 2), [_M]),
    "matrix_norm_1": (lambda L, a: L.linalg.matrix_norm(a, 1), [_M]),
    "svdvals": (lambda L, a: L.linalg.svdvals(a), [_RECT]),
    "eigh_values": (lambda L, a: L.linalg.eigh(a + a.mT).eigenvalues, [_M]),
    "eigvalsh": (lambda L, a: L.linalg.eigvalsh(a + a.mT), [_M]),
    "eigh_vectors_sq": (lambda L, a: L.linalg.eigh(a + a.mT).eigenvectors ** 2, [_M]),
    "norm": (lambda L, a: L.linalg.norm(a), [_M]),
    "matrix_power": (lambda L, a: L.linalg.matrix_power(a, 3), [_M]),
}


@pytest.mark.parametrize("name", list(GRADS))
def test_linalg_grads(name):
    fn, arrays = GRADS[name]
    mine = _grad_of(fn, tg, arrays)
    theirs = _grad_of(fn, torch, arrays)
    assert mine[0] == theirs[0]
    for m, t in zip(mine[1:], theirs[1:]):
        np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["inv", "det", "solve", "cholesky", "vector_norm_p3_dim", "svdvals",
                                  "eigh_values"])
def test_linalg_gradcheck(name):
    fn, arrays = GRADS[name]
    ins = tuple(_t(tg, a, "float64", grad=True) for a in arrays)
    if name == "cholesky":  # the factorization reads one triangle: check it on symmetric perturbations
        assert tg.autograd.gradcheck(lambda a: fn(tg, (a + a.mT) / 2), ins)
    else:
        assert tg.autograd.gradcheck(lambda *xs: fn(tg, *xs), ins)


def test_linalg_double_backward_inv():
    def second(L):
        a = _t(L, _M, "float64", grad=True)
        (g,) = L.autograd.grad(L.linalg.inv(a).sum(), a, create_graph=True)
        (gg,) = L.autograd.grad((g ** 2).sum(), a)
        return gg
    np.testing.assert_allclose(second(tg).numpy(), second(torch).numpy(), rtol=1e-6)


def test_no_derivative_is_named():
    a = _t(tg, _RECT, "float64", grad=True)
    q = tg.linalg.qr(a).Q
    with pytest.raises(NotImplementedError, match="linalg.qr"):
        q.sum().backward()


LEGACY = {
    "det_method": lambda L: _t(L, _M).det(),
    "inverse_method": lambda L: _t(L, _M).inverse(),
    "torch_inverse": lambda L: L.inverse(_t(L, _M)),
    "torch_det": lambda L: L.det(_t(L, _BATCH)),
    "slogdet_method": lambda L: tuple(_t(L, _M).slogdet()),
    "slogdet_type": lambda L: type(_t(L, _M).slogdet()).__name__,
    "logdet_method": lambda L: _t(L, _M).logdet(),
    "logdet_negative": lambda L: (-L.eye(3)).logdet(),
    "cholesky_method": lambda L: _t(L, _SPD).cholesky(),
    "qr_method": lambda L: tuple(_t(L, _RECT, "float64").qr()),
    "qr_type": lambda L: type(_t(L, _RECT).qr()).__name__,
    "svd_method_reconstruct": lambda L: (lambda r: r.U @ L.diag_embed(r.S) @ r.V.mT)(_t(L, _RECT, "float64").svd()),
    "svd_method_shapes": lambda L: [tuple(x.shape) for x in _t(L, _RECT).svd(some=False)],
    "svd_no_uv": lambda L: tuple(_t(L, _RECT).svd(compute_uv=False)),
    "pinverse_method": lambda L: _t(L, _RECT, "float64").pinverse(),
    "matrix_power_method": lambda L: _t(L, _M, "float64").matrix_power(2),
}


@pytest.mark.parametrize("name", list(LEGACY))
def test_linalg_legacy_spellings(name):
    check_case(LEGACY[name], rtol=1e-4, atol=1e-5)
