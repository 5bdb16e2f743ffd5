"""torch.special against the PyTorch oracle: values over grids (incl. poles and infinities), dtypes, gradients."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402
import tritongrad.special  # noqa: E402,F401

from .compare_cases import check_case  # noqa: E402

_GRID = [0.0, -0.0, -1.0, -2.5, 0.5, 1.0, 1e-8, 2.0, 3.7, 30.0, 1e10, float("inf"), float("-inf"), float("nan")]
_POS = [1e-6, 0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 8.0, 30.0, 150.0]
_REAL = [-40.0, -20.0, -5.0, -1.0, -0.1, 0.0, 0.3, 1.0, 4.0, 10.0, 30.0]
_PROB = [0.0, 1e-10, 0.01, 0.3, 0.5, 0.9, 0.999, 1.0]


def _t(L, values, dtype="float64"):
    return L.tensor(values, dtype=getattr(L, dtype))


def _sp(L):
    return L.special


VALUES = {
    "gammaln": lambda L: _sp(L).gammaln(_t(L, _GRID)),
    "gammaln_f32": lambda L: _sp(L).gammaln(_t(L, _POS, "float32")),
    "gammaln_int": lambda L: _sp(L).gammaln(L.tensor([1, 2, 5])),
    "digamma": lambda L: _sp(L).digamma(_t(L, _GRID)),
    "psi_f32": lambda L: _sp(L).psi(_t(L, _POS, "float32")),
    "polygamma1": lambda L: _sp(L).polygamma(1, _t(L, _POS)),
    "polygamma2": lambda L: _sp(L).polygamma(2, _t(L, _POS)),
    "polygamma3_neg": lambda L: _sp(L).polygamma(3, _t(L, [-2.5, -0.5, 0.25])),
    "polygamma0": lambda L: _sp(L).polygamma(0, _t(L, _POS)),
    "polygamma_inf": lambda L: _sp(L).polygamma(1, _t(L, [float("inf"), 0.0])),
    "zeta": lambda L: _sp(L).zeta(_t(L, [2.0, 1.0, 0.5, 3.0, 4.5]), _t(L, [1.0, 1.0, 1.0, -1.5, 2.0])),
    "zeta_scalar_q": lambda L: _sp(L).zeta(_t(L, [2.0, 3.0, 6.0]), 1.0),
    "multigammaln": lambda L: _sp(L).multigammaln(_t(L, [2.5, 3.0, 10.0]), 3),
    "multigammaln_domain": lambda L: _sp(L).multigammaln(_t(L, [0.5, 1.0]), 3),
    "multigammaln_int": lambda L: _sp(L).multigammaln(L.tensor([2, 5]), 3),
    "err_multigammaln_p": lambda L: _sp(L).multigammaln(_t(L, [2.0]), 0),
    "ndtr_int": lambda L: _sp(L).ndtr(L.tensor([1, 2])),
    "entr": lambda L: _sp(L).entr(_t(L, _GRID)),
    "ndtr": lambda L: _sp(L).ndtr(_t(L, _REAL)),
    "log_ndtr": lambda L: _sp(L).log_ndtr(_t(L, _REAL)),
    "log_ndtr_f32": lambda L: _sp(L).log_ndtr(_t(L, _REAL, "float32")),
    "ndtri": lambda L: _sp(L).ndtri(_t(L, _PROB)),
    "erfcx": lambda L: _sp(L).erfcx(_t(L, _REAL + [1e3])),
    "i0": lambda L: _sp(L).i0(_t(L, [-3.0, 0.0, 0.5, 2.0, 10.0])),
    "i0_f32": lambda L: _sp(L).i0(_t(L, [-3.0, 0.0, 0.5, 2.0, 10.0], "float32")),
    "xlog1py": lambda L: _sp(L).xlog1py(_t(L, [0.0, 1.0, 2.0, 0.0]), _t(L, [-1.0, 0.5, 3.0, float("nan")])),
    "xlog1py_scalar": lambda L: _sp(L).xlog1py(_t(L, [0.0, 2.0], "float32"), 1.5),
    "xlogy": lambda L: _sp(L).xlogy(_t(L, [0.0, 1.0, 2.0]), _t(L, [0.0, 0.5, 3.0])),
    "expit": lambda L: _sp(L).expit(_t(L, _REAL, "float32")),
    "logit": lambda L: _sp(L).logit(_t(L, _PROB, "float32")),
    "logit_eps": lambda L: _sp(L).logit(_t(L, _PROB), eps=1e-3),
    "erf": lambda L: _sp(L).erf(_t(L, _REAL)),
    "erfinv": lambda L: _sp(L).erfinv(_t(L, [-0.9, 0.0, 0.5, 0.999])),
    "exp2": lambda L: _sp(L).exp2(_t(L, [0.0, 1.5, -2.0])),
    "expm1": lambda L: _sp(L).expm1(_t(L, [1e-10, 1.0])),
    "log1p": lambda L: _sp(L).log1p(_t(L, [1e-10, 1.0])),
    "sinc": lambda L: _sp(L).sinc(_t(L, [0.0, 0.5, 1.0, 2.5])),
    "round": lambda L: _sp(L).round(_t(L, [0.5, 1.5, 2.567])),
    "softmax": lambda L: _sp(L).softmax(_t(L, [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), 1),
    "log_softmax": lambda L: _sp(L).log_softmax(_t(L, [[1.0, 2.0, 3.0]], "float32"), -1),
    "softmax_dtype": lambda L: _sp(L).softmax(_t(L, [1.0, 2.0], "float32"), 0, dtype=L.float64),
    "logsumexp": lambda L: _sp(L).logsumexp(_t(L, [[1.0, 2.0], [3.0, 4.0]]), 1),
    "err_polygamma_negative": lambda L: _sp(L).polygamma(-1, _t(L, [1.0])),
}


@pytest.mark.parametrize("name", list(VALUES))
def test_special_values(name):
    # float32 cases: PyTorch evaluates in float32, tritongrad in float64 then rounds
    check_case(VALUES[name], rtol=1e-5 if name.endswith("f32") else 1e-6, atol=1e-9)


GRADS = {
    "gammaln": (lambda L, x: L.special.gammaln(x), [0.5, 1.5, 3.7, 10.0]),
    "digamma": (lambda L, x: L.special.digamma(x), [0.5, 1.5, 3.7, 10.0]),
    "polygamma1": (lambda L, x: L.special.polygamma(1, x), [0.5, 1.5, 3.7]),
    "entr": (lambda L, x: L.special.entr(x), [0.2, 1.0, 3.0]),
    "ndtr": (lambda L, x: L.special.ndtr(x), [-3.0, 0.0, 1.5]),
    "log_ndtr": (lambda L, x: L.special.log_ndtr(x), [-30.0, -3.0, 0.0, 1.5]),
    "ndtri": (lambda L, x: L.special.ndtri(x), [0.1, 0.5, 0.8]),
    "erfcx": (lambda L, x: L.special.erfcx(x), [-1.0, 0.5, 3.0, 40.0]),
    "xlog1py": (lambda L, x: L.special.xlog1py(x, x + 1), [0.5, 2.0]),
    "multigammaln": (lambda L, x: L.special.multigammaln(x, 2), [1.5, 4.0]),
}


@pytest.mark.parametrize("name", list(GRADS))
def test_special_grads(name):
    fn, values = GRADS[name]

    def run(L):
        x = L.tensor(values, dtype=L.float64, requires_grad=True)
        y = fn(L, x)
        y.backward(L.ones_like(y))
        return y.grad_fn.name(), x.grad.numpy()
    mine, theirs = run(tg), run(torch)
    assert mine[0] == theirs[0]
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-7, atol=1e-12)


def test_special_gradcheck():
    x = tg.tensor([0.7, 1.3, 2.9], dtype=tg.float64, requires_grad=True)
    assert tg.autograd.gradcheck(lambda t: tg.special.gammaln(t) + tg.special.digamma(t), (x,))


def test_special_methods():
    check_case(lambda L: (_t(L, _POS).polygamma(1), _t(L, [2.5, 3.0]).mvlgamma(2), _t(L, [0.5, 2.0]).i0()))
