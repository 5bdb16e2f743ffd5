"""Less common torch.* functions, composed from the core ops (so autograd comes for free)."""
import itertools
import math

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ._common import wrap_dim, needs_grad, record, result_type, shape_str
from ..autograd import grad_mode
from . import pointwise as P, reduction as R, shape as S, creation as C, linalg as L

_make = Tensor._make


def type_as(input, other):
    return input.to(other.dtype)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    d = wrap_dim(dim, input.dim())
    if prepend is not None or append is not None:
        parts = ([prepend] if prepend is not None else []) + [input] + ([append] if append is not None else [])
        input = S.cat([p if p.dim() == input.dim() else p.expand(*[input.shape[k] if k != d else -1 for k in
                                                                    range(input.dim())]) for p in parts], d)
    for _ in range(n):
        m = input.shape[d]
        hi = S.narrow(input, d, 1, max(m - 1, 0))
        lo = S.narrow(input, d, 0, max(m - 1, 0))
        input = P.logical_xor(hi, lo) if input.dtype is D.bool_ else hi - lo
    return input


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    t = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return _make(np.asarray(np.isin(e, t, invert=invert)), D.bool_)


def logaddexp(input, other):
    m = P.maximum(input, other).detach()
    m = P.where(m.isinf(), 0.0, m)
    return P.log(P.exp(input - m) + P.exp(other - m)) + m


def logaddexp2(input, other):
    m = P.maximum(input, other).detach()
    m = P.where(m.isinf(), 0.0, m)
    return P.log2(P.exp2(input - m) + P.exp2(other - m)) + m


def heaviside(input, values):
    dt = result_type(input, values)
    x = input._data
    return _make(np.where(x == 0, np.broadcast_to(values._data, np.broadcast_shapes(x.shape, values._data.shape)),
                          (x > 0)).astype(dt._np), dt)


def cartesian_prod(*tensors):
    if len(tensors) == 1:
        return tensors[0]
    grids = _meshgrid_ij(tensors)
    return S.stack([g.reshape(-1) for g in grids], 1)


def _meshgrid_ij(tensors):
    n = len(tensors)
    shape = [t.numel() for t in tensors]
    out = []
    for i, t in enumerate(tensors):
        view = [1] * n
        view[i] = -1
        out.append(t.reshape(view).expand(shape))
    return out


def combinations(input, r=2, with_replacement=False):
    n = input.shape[0]
    gen = itertools.combinations_with_replacement(range(n), r) if with_replacement else itertools.combinations(range(n), r)
    idx = list(gen)
    if not idx:
        return C.empty(0, r, dtype=input.dtype) if r > 0 else C.empty(0, dtype=input.dtype)
    index = _make(np.asarray(idx, dtype=np.int64), D.int64)
    return input[index.reshape(-1)].reshape(len(idx), r)


def block_diag(*tensors):
    mats = [t.reshape(1, -1) if t.dim() == 1 else (t.reshape(1, 1) if t.dim() == 0 else t) for t in tensors]
    rows = sum(m.shape[0] for m in mats)
    cols = sum(m.shape[1] for m in mats)
    dt = mats[0].dtype
    for m in mats[1:]:
        dt = D.promote_types(dt, m.dtype)
    out = C.zeros(rows, cols, dtype=dt)
    r = c = 0
    pieces = []
    for m in mats:
        pieces.append((r, c, m))
        r += m.shape[0]
        c += m.shape[1]
    if not needs_grad(*mats):
        for r0, c0, m in pieces:
            out._data[r0:r0 + m.shape[0], c0:c0 + m.shape[1]] = m._data
        return out
    for r0, c0, m in pieces:
        out[r0:r0 + m.shape[0], c0:c0 + m.shape[1]] = m.to(dt)
    return out


def _split_dim(name, dim, min_dim):
    def fn(input, indices_or_sections):
        if input.dim() < min_dim:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dim} dimension, but got a tensor "
                               f"with {input.dim()} dimensions!")
        d = 0 if (name == "hsplit" and input.dim() == 1) else dim
        if isinstance(indices_or_sections, int) and input.shape[d] % indices_or_sections:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {d}, but the size of the dimension "
                               f"{input.shape[d]} is not divisible by the split_size {indices_or_sections}!")
        return S.tensor_split(input, indices_or_sections, d)
    fn.__name__ = name
    return fn


vsplit = _split_dim("vsplit", 0, 2)
hsplit = _split_dim("hsplit", 1, 1)
dsplit = _split_dim("dsplit", 2, 3)


def trapezoid(y, x=None, *, dx=None, dim=-1):
    d = wrap_dim(dim, y.dim())
    n = y.shape[d]
    if n == 0:
        return y.sum(d)
    left = S.narrow(y, d, 0, n - 1)
    right = S.narrow(y, d, 1, n - 1)
    if x is not None:
        dxs = diff(x, dim=-1 if x.dim() == 1 else d)
        if x.dim() == 1:
            shape = [1] * y.dim()
            shape[d] = n - 1
            dxs = dxs.reshape(shape)
        return ((left + right) * dxs).sum(d) / 2
    step = 1.0 if dx is None else dx
    return (left + right).sum(d) * (step / 2)


trapz = trapezoid


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    d = wrap_dim(dim, y.dim())
    n = y.shape[d]
    left = S.narrow(y, d, 0, max(n - 1, 0))
    right = S.narrow(y, d, 1, max(n - 1, 0))
    if x is not None:
        dxs = diff(x, dim=-1 if x.dim() == 1 else d)
        if x.dim() == 1:
            shape = [1] * y.dim()
            shape[d] = n - 1
            dxs = dxs.reshape(shape)
        return ((left + right) * dxs / 2).cumsum(d)
    step = 1.0 if dx is None else dx
    return ((left + right) * (step / 2)).cumsum(d)


def cov(input, *, correction=1, fweights=None, aweights=None):
    x = input if input.dim() == 2 else input.reshape(1, -1)
    n = x.shape[1]
    w = None
    if fweights is not None:
        w = fweights.to(x.dtype if x.is_floating_point() else D.get_default_dtype())
    if aweights is not None:
        w = aweights if w is None else w * aweights
    if w is None:
        xf = x if x.is_floating_point() else x.to(D.get_default_dtype())
        mean = xf.mean(1, keepdim=True)
        xc = xf - mean
        c = xc @ xc.t().conj() if xc.is_complex() else xc @ xc.t()
        c = c / max(n - correction, 0)
    else:
        xf = x if x.is_floating_point() else x.to(D.get_default_dtype())
        wsum = w.sum()
        mean = (xf * w).sum(1, keepdim=True) / wsum
        xc = xf - mean
        c = (xc * w) @ xc.t()
        if correction == 0:
            norm = wsum
        elif aweights is None:
            norm = wsum - correction
        else:
            norm = wsum - correction * (w * aweights).sum() / wsum
        c = c / norm
    return c.reshape(()) if input.dim() < 2 else c


def corrcoef(input):
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = c.diagonal()
    stddev = d.sqrt()
    c = c / stddev.reshape(-1, 1)
    c = c / stddev.reshape(1, -1)
    return c.clamp(-1, 1)


def diagflat(input, offset=0):
    return S.diag(input.reshape(-1), offset)


def unravel_index(indices, shape):
    if isinstance(shape, int):
        shape = (shape,)
    idx = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError("expected 'indices' to be integer dtype, but got " + str(D.from_numpy_dtype(idx.dtype)))
    total = int(np.prod(shape)) if shape else 1
    if idx.size and (idx.max() >= total or idx.min() < -total):
        raise RuntimeError("index is out of bounds for tensor of shape " + shape_str(shape))
    res = np.unravel_index(np.where(idx < 0, idx + total, idx), tuple(shape))
    return tuple(_make(np.asarray(r, dtype=np.int64), D.int64) for r in res)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    diffs = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 0:
        return (diffs != 0).to(x1.dtype).sum(-1)
    if p == math.inf:
        return diffs.abs().amax(-1)
    if p == 2:
        return (diffs * diffs).sum(-1).sqrt()
    if p == 1:
        return diffs.abs().sum(-1)
    return (diffs.abs() ** p).sum(-1) ** (1.0 / p)


def dist(input, other, p=2):
    with grad_mode.no_grad():
        r = R.vector_norm(input - other, p)
    if needs_grad(input, other):
        def backward(node, g):
            diff_ = node.saved(0) - node.saved(1)
            n = node.saved(2)
            if p == 0:
                gd = diff_ * 0
            elif p == 1:
                gd = P.sign(diff_) * g
            elif p == math.inf or p == -math.inf:
                mask = (diff_.abs() == n).to(diff_.dtype)
                gd = P.sign(diff_) * mask / mask.sum() * g
            else:
                gd = P.where(n == 0, 0.0, P.sign(diff_) * diff_.abs() ** (p - 1) / n ** (p - 1)) * g
            from ._common import sum_to
            return (sum_to(gd, input.shape) if input.requires_grad else None,
                    sum_to(-gd, other.shape) if isinstance(other, Tensor) and other.requires_grad else None)
        record("DistBackward0", r, (input, other), backward, (input, other, "__out__"))
    return r


def view_as_real(input):
    if not input.is_complex():
        raise RuntimeError("view_as_real is only supported for complex tensors")
    real_dt = input.dtype.to_real()
    arr = input._data[..., None].view(real_dt._np)
    return input._view_of(arr, dtype=real_dt)


def view_as_complex(input):
    if input.dtype not in (D.float32, D.float64):
        raise RuntimeError("view_as_complex is only supported for float and double tensors, but got a tensor of "
                           f"scalar type: {input.dtype}")
    if input.dim() == 0 or input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if input.stride(-1) != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(st % 2 for st in input.stride()[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    cdt = input.dtype.to_complex()
    return input._view_of(input._data.view(cdt._np)[..., 0], dtype=cdt)


def complex(real, imag):
    if real.dtype is not imag.dtype:
        raise RuntimeError(f"Expected object of scalar type {real.dtype} but got scalar type {imag.dtype} for "
                           "second argument")
    if real.dtype not in (D.float32, D.float64, D.float16):
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got {real.dtype} and "
                           f"{imag.dtype}")
    return _make(real._data + 1j * imag._data, real.dtype.to_complex())


def polar(abs, angle):
    return complex(abs * P.cos(angle), abs * P.sin(angle))


def _vectorized(fn, name, grad=None):
    uf = np.frompyfunc(fn, 1, 1)

    def op(input, *, out=None):
        dt = input.dtype if input.dtype.is_floating_point else D.get_default_dtype()
        x = input._data.astype(np.float64)
        r = _make(np.asarray(uf(x), dtype=np.float64).astype(dt._np), dt)
        if grad is not None and needs_grad(input):
            record(name, r, (input,), lambda node, g: (g * grad(node.saved(0)),), (input,))
        return r
    return op


def _digamma_scalar(x):
    if x == 0:
        return -math.inf
    if x < 0 and x == math.floor(x):
        return math.nan
    result = 0.0
    if x < 0:
        # reflection: psi(1 - x) - psi(x) = pi / tan(pi x)
        return _digamma_scalar(1 - x) - math.pi / math.tan(math.pi * x)
    while x < 6:
        result -= 1 / x
        x += 1
    f = 1 / (x * x)
    t = f * (-1 / 12 + f * (1 / 120 + f * (-1 / 252 + f * (1 / 240 + f * (-1 / 132)))))
    return result + math.log(x) - 0.5 / x + t


def _trigamma(x):
    from ..special import polygamma
    return polygamma(1, x)


lgamma = _vectorized(math.lgamma, "LgammaBackward0", lambda x: digamma(x))
digamma = _vectorized(_digamma_scalar, "DigammaBackward0", _trigamma)


def is_same_size(input, other):
    return input.shape == other.shape


def is_signed(input):
    return input.dtype.is_signed


def is_conj(input):
    return False


def is_neg(input):
    return False


def resolve_conj(input):
    return input


def resolve_neg(input):
    return input


def get_default_device():
    from .._device import cpu_device
    return cpu_device


def set_default_device(device):
    from .._device import device as _dev
    if device is not None and _dev(device).type != "cpu":
        C.check_device(device)


def apply_(self, callable):
    flat = self._data.reshape(-1) if self._data.flags.c_contiguous else None
    if flat is None:
        raise RuntimeError("apply_ is only implemented on contiguous CPU tensors")
    for i in range(flat.size):
        flat[i] = callable(flat[i].item())
    self._vc[0] += 1
    return self


def map_(self, tensor, callable):
    other = np.broadcast_to(tensor._data, self._data.shape)
    it = np.nditer([self._data, other], flags=["refs_ok"], op_flags=[["readwrite"], ["readonly"]])
    for a, b in it:
        a[...] = callable(a.item(), b.item())
    self._vc[0] += 1
    return self


Tensor.type_as = type_as
Tensor.diff = diff
Tensor.logaddexp = logaddexp
Tensor.logaddexp2 = logaddexp2
Tensor.heaviside = heaviside
Tensor.diagflat = diagflat
Tensor.vsplit = vsplit
Tensor.hsplit = hsplit
Tensor.dsplit = dsplit
Tensor.dist = dist
Tensor.lgamma = lgamma
Tensor.digamma = digamma
Tensor.is_same_size = is_same_size
Tensor.is_conj = is_conj
Tensor.is_neg = is_neg
Tensor.resolve_conj = resolve_conj
Tensor.resolve_neg = resolve_neg
Tensor.apply_ = apply_
Tensor.map_ = map_
Tensor.cov = cov
Tensor.corrcoef = corrcoef
Tensor.isin = lambda self, test_elements, *, assume_unique=False, invert=False: isin(self, test_elements,
                                                                                    invert=invert)

FUNCTIONS = {name: fn for name, fn in globals().items()
             if callable(fn) and not name.startswith("_") and getattr(fn, "__module__", None) == __name__
             and name not in ("type_as", "apply_", "map_", "FUNCTIONS")}
FUNCTIONS.update(lgamma=lgamma, digamma=digamma, vsplit=vsplit, hsplit=hsplit, dsplit=dsplit)
