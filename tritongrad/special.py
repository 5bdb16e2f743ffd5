"""torch.special: special functions computed with numpy (in float64, rounded to the result dtype), with
PyTorch's derivative formulas written in tritongrad ops."""
import math

import numpy as np

from . import _dtype as D
from ._tensor import Tensor
from ._ops import pointwise as _pw
from ._ops import reduction as _red
from ._ops._common import needs_grad, record, result_type, np_operand, to_tensor
from ._ops.pointwise import _unary

_make = Tensor._make

__all__ = ["digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammaln", "i0",
           "log1p", "log_ndtr", "log_softmax", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma",
           "psi", "round", "sinc", "softmax", "xlog1py", "xlogy", "zeta"]

# functions that are PyTorch's own pointwise ops under a second name
erf = _pw.erf
erfc = _pw.erfc
erfinv = _pw.erfinv
exp2 = _pw.exp2
expm1 = _pw.expm1
log1p = _pw.log1p
sinc = _pw.sinc
xlogy = _pw.xlogy
round = _pw.round
expit = _pw.sigmoid


def logit(input, eps=None, *, out=None):
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when ``eps`` is given."""
    return _pw.logit(input, eps)


def logsumexp(input, dim, keepdim=False, *, out=None):
    return _red.logsumexp(input, dim, keepdim)


def softmax(input, dim, *, dtype=None):
    return _red.softmax(input, dim, dtype=dtype) if dtype is not None else _red.softmax(input, dim)


def log_softmax(input, dim, *, dtype=None):
    return _red.log_softmax(input, dim, dtype=dtype) if dtype is not None else _red.log_softmax(input, dim)


# ------------------------------------------------------------------ numpy kernels (float64 in, float64 out)
def _vectorized(fn):
    return np.frompyfunc(fn, 1, 1)


def _lgamma_scalar(v):
    try:
        return math.lgamma(v)
    except (ValueError, OverflowError):
        return math.inf


_lgamma_u = _vectorized(_lgamma_scalar)
_erfc_u = _vectorized(math.erfc)


def _lgamma_np(x):
    x = np.asarray(x, dtype=np.float64)
    out = _lgamma_u(x).astype(np.float64) if x.size else x.copy()
    return np.where(np.isnan(x), np.nan, out)


def _erfc_np(x):
    x = np.asarray(x, dtype=np.float64)
    return _erfc_u(x).astype(np.float64) if x.size else x.copy()


def _digamma_np(x):
    """psi(x): reflection below 0, upward recurrence to x >= 6, then the asymptotic series."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    with np.errstate(all="ignore"):
        neg = x < 0
        pole = (x <= 0) & (x == np.floor(x))
        xr = np.where(neg, 1 - x, x)
        acc = np.zeros_like(xr)
        z = xr.copy()
        small = z < 6
        while small.any():
            acc = np.where(small, acc - 1 / z, acc)
            z = np.where(small, z + 1, z)
            small = z < 6
        inv = 1 / z
        inv2 = inv * inv
        series = np.log(z) - 0.5 * inv - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (
            1 / 240 - inv2 * (1 / 132)))))
        res = series + acc
        res = np.where(neg, res - math.pi / np.tan(math.pi * x), res)
        out[...] = res
        out[pole] = np.nan
        zero = x == 0
        out[zero] = np.where(np.signbit(x[zero]), np.inf, -np.inf)
    return out


# Bernoulli numbers B_2k / (2k)! for the Euler-Maclaurin tail of the Hurwitz zeta function
_EM_COEFFS = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000,
              1 / 74724249600, -3617 / 10670622842880000, 43867 / 5109094217170944000,
              -174611 / 802857662698291200000, 77683 / 14101100039391805440000,
              -236364091 / 1693824136731743669452800000]


def _zeta_np(s, q):
    """Hurwitz zeta(s, q) = sum_k (k + q)^-s, by direct summation plus the Euler-Maclaurin tail."""
    s, q = np.broadcast_arrays(np.asarray(s, dtype=np.float64), np.asarray(q, dtype=np.float64))
    n_terms = 9
    with np.errstate(all="ignore"):
        total = np.zeros(s.shape)
        for k in range(n_terms):
            total += (q + k) ** -s
        a = q + n_terms
        total += a ** (1 - s) / (s - 1) + 0.5 * a ** -s
        fact = s * a ** (-s - 1)  # s (s+1) ... (s+2j-2) a^(-s-2j+1) for j = 1
        for j, c in enumerate(_EM_COEFFS):
            total += c * fact
            fact = fact * (s + 2 * j + 1) * (s + 2 * j + 2) / (a * a)
        res = np.where(s == 1, np.inf, total)
        res = np.where(s < 1, np.nan, res)
        res = np.where((q <= 0) & (q == np.floor(q)), np.inf, res)
    return res


def _polygamma_np(n, x):
    if n == 0:
        return _digamma_np(x)
    sign = -1.0 if n % 2 == 0 else 1.0
    return sign * math.factorial(n) * _zeta_np(n + 1, x)


def _ndtr_np(x):
    return 0.5 * _erfc_np(-np.asarray(x, dtype=np.float64) / math.sqrt(2))


def _log_ndtr_np(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        direct = np.log(_ndtr_np(x))
        # far in the left tail ndtr underflows: log Phi(x) = -x^2/2 - log(-x) - log(2 pi)/2 + log(series)
        z = np.where(x < -20, x, -20.0)
        inv2 = 1 / (z * z)
        series = 1 - inv2 * (1 - 3 * inv2 * (1 - 5 * inv2 * (1 - 7 * inv2)))
        tail = -0.5 * z * z - np.log(-z) - 0.5 * math.log(2 * math.pi) + np.log(series)
        return np.where(x < -20, tail, direct)


def _erfcx_np(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        direct = np.exp(x * x) * _erfc_np(x)
        # large x: erfc(x) exp(x^2) ~ 1 / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6))
        z = np.where(x > 25, x, 25.0)
        inv2 = 1 / (z * z)
        tail = (1 - inv2 / 2 * (1 - 1.5 * inv2 * (1 - 2.5 * inv2))) / (z * math.sqrt(math.pi))
        return np.where(x > 25, tail, np.where(x < -26.7, np.inf, direct))


def _ndtri_np(p):
    from ._ops.pointwise import _erfinv_np
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(all="ignore"):
        res = math.sqrt(2) * _erfinv_np(2 * p - 1)
        return np.where(p == 0, -np.inf, np.where(p == 1, np.inf, res))


def _in_float64(fn):
    """Run a float64 numpy kernel on an array of any float dtype and round back to that dtype."""
    def run(x):
        return np.asarray(fn(x.astype(np.float64))).astype(x.dtype)
    return run


# ------------------------------------------------------------------ ops
gammaln = _unary("special_gammaln", _in_float64(_lgamma_np), "LgammaBackward0",
                 lambda n, g: g * digamma(n.saved(0)))
gammaln.__name__ = "gammaln"
digamma = _unary("special_digamma", _in_float64(_digamma_np), "DigammaBackward0",
                 lambda n, g: g * polygamma(1, n.saved(0)))
digamma.__name__ = "digamma"
psi = digamma
entr = _unary("special_entr", lambda x: np.where(
    np.isnan(x), x, np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), np.where(x == 0, 0, -np.inf))).astype(
    x.dtype), "SpecialEntrBackward0", lambda n, g: g * -(_pw.log(n.saved(0)) + 1))
entr.__name__ = "entr"


def _scalar_op(name, t, scalar, fn, grad):
    """``fn(t, scalar)`` as PyTorch's C++ Tensor-Scalar overload (``MulBackward1``/``AddBackward1`` nodes)."""
    dt = t.dtype if t.dtype.is_floating_point or t.dtype.is_complex else D.get_default_dtype()
    r = _make(np.asarray(fn(t._data.astype(dt._np), scalar)).astype(dt._np), dt)
    if needs_grad(t):
        record(name, r, (t,), lambda node, g: (grad(g),))
    return r


def _mul_scalar(t, scalar):
    return _scalar_op("MulBackward1", t, scalar, np.multiply, lambda g: g * scalar)


def _add_scalar(t, scalar):
    return _scalar_op("AddBackward1", t, scalar, np.add, lambda g: g)


def ndtr(input, *, out=None):
    """The standard normal CDF, (1 + erf(x / sqrt(2))) / 2 (composed as PyTorch composes it)."""
    return _mul_scalar(_add_scalar(_pw.erf(_mul_scalar(input, math.sqrt(0.5))), 1), 0.5)


log_ndtr = _unary("special_log_ndtr", _in_float64(_log_ndtr_np), "SpecialLogNdtrBackward0",
                  lambda n, g: g * _pw.exp(-0.5 * n.saved(0) * n.saved(0) - log_ndtr(n.saved(0))) /
                  math.sqrt(2 * math.pi))
log_ndtr.__name__ = "log_ndtr"
ndtri = _unary("special_ndtri", _in_float64(_ndtri_np), "SpecialNdtriBackward0",
               lambda n, g: g * math.sqrt(2 * math.pi) * _pw.exp(0.5 * n.saved(0) * n.saved(0)), save="result")
ndtri.__name__ = "ndtri"
erfcx = _unary("special_erfcx", _in_float64(_erfcx_np), "SpecialErfcxBackward0",
               lambda n, g: g * (2 * n.saved(0) * erfcx(n.saved(0)) - 2 / math.sqrt(math.pi)))
erfcx.__name__ = "erfcx"


def _i0_grad(node, g):
    raise NotImplementedError("the derivative of i0 (which needs i1) is not implemented in tritongrad")


i0 = _unary("i0", lambda x: np.i0(x.astype(np.float64)).astype(x.dtype), "I0Backward0", _i0_grad)


def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma (n = 0 is digamma itself)."""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return digamma(input)
    op = _unary("polygamma", _in_float64(lambda x: _polygamma_np(n, x)), "PolygammaBackward0",
                lambda node, g: g * polygamma(n + 1, node.saved(0)))
    return op(input)


def multigammaln(input, p, *, out=None):
    """log of the multivariate gamma function of dimension ``p``."""
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    dt = input.dtype if input.dtype.is_floating_point else D.get_default_dtype()
    x = input._data.astype(np.float64)
    total = sum(_lgamma_np(x - j / 2) for j in range(p)) + p * (p - 1) / 4 * math.log(math.pi)
    r = _make(np.asarray(total).astype(dt._np), dt)
    if needs_grad(input):
        def backward(node, g):
            a = node.saved(0)
            acc = None
            for j in range(p):
                term = digamma(a - j / 2)
                acc = term if acc is None else acc + term
            return (g * acc,)
        record("MvlgammaBackward0", r, (input,), backward, (input,))
    return r


def xlog1py(input, other, *, out=None):
    """input * log1p(other), 0 where input is 0 (unless other is nan)."""
    dt = result_type(input, other)
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
    x = np_operand(input, dt)
    y = np_operand(other, dt)
    with np.errstate(all="ignore"):
        res = np.where((x == 0) & ~np.isnan(y), 0, x * np.log1p(y)).astype(dt._np)
    r = _make(np.asarray(res), dt)
    if needs_grad(input, other):
        xt, yt = to_tensor(input, dt), to_tensor(other, dt)
        from ._ops._common import sum_to

        def backward(node, g):
            a, b = node.saved(0), node.saved(1)
            ga = sum_to(g * _pw.log1p(b), a.shape) if isinstance(input, Tensor) and input.requires_grad else None
            gb = sum_to(g * a / (b + 1), b.shape) if isinstance(other, Tensor) and other.requires_grad else None
            return ga, gb
        record("SpecialXlog1PyBackward0", r, (input if isinstance(input, Tensor) else None,
                                               other if isinstance(other, Tensor) else None), backward, (xt, yt))
    return r


def zeta(input, other, *, out=None):
    """Hurwitz zeta function: sum over k >= 0 of (k + other)^(-input)."""
    dt = result_type(input, other)
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
    res = _zeta_np(np_operand(input, dt), np_operand(other, dt)).astype(dt._np)
    r = _make(np.asarray(res), dt)
    if needs_grad(input if isinstance(input, Tensor) else None, other if isinstance(other, Tensor) else None):
        def backward(node, g):
            raise NotImplementedError("the derivative of special.zeta is not implemented")
        record("SpecialZetaBackward0", r, (input if isinstance(input, Tensor) else None,
                                           other if isinstance(other, Tensor) else None), backward)
    return r


def _polygamma_method(self, n):
    return polygamma(n, self)


def _mvlgamma_method(self, p):
    return multigammaln(self, p)


for _name, _fn in (("polygamma", _polygamma_method), ("mvlgamma", _mvlgamma_method), ("i0", i0)):
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _fn)
