"""Reductions: sum, mean, prod, max/min, amax/amin, argmax/argmin, var/std, norm, logsumexp, cumsum/cumprod,
all/any, median, mode, count_nonzero, softmax/log_softmax."""
import collections
import math

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ._common import needs_grad, record, dims_arg, wrap_dim, type_name
from .pointwise import _compute_np, _out, exp, log, where, sqrt, _check_out_grad

_make = Tensor._make
_state = grad_mode._state


def _namedtuple(name, fields):
    cls = collections.namedtuple(name, fields)
    cls.__module__ = "torch.return_types"

    def __repr__(self):
        inner = ",\n".join(f"{f}={getattr(self, f)!r}" for f in fields)
        return f"torch.return_types.{name}(\n" + inner + ")"
    cls.__repr__ = __repr__
    return cls


max_ret = _namedtuple("max", ["values", "indices"])
min_ret = _namedtuple("min", ["values", "indices"])
sort_ret = _namedtuple("sort", ["values", "indices"])
topk_ret = _namedtuple("topk", ["values", "indices"])
median_ret = _namedtuple("median", ["values", "indices"])
mode_ret = _namedtuple("mode", ["values", "indices"])
kthvalue_ret = _namedtuple("kthvalue", ["values", "indices"])
aminmax_ret = _namedtuple("aminmax", ["min", "max"])
cummax_ret = _namedtuple("cummax", ["values", "indices"])
cummin_ret = _namedtuple("cummin", ["values", "indices"])


def _expand_grad(g, in_shape, dims, keepdim):
    """Broadcast a reduced gradient back over the reduced dims."""
    if not keepdim and dims:
        shape = list(g.shape)
        for d in sorted(dims):
            shape.insert(d, 1)
        g = g.reshape(shape)
    return g.expand(in_shape)


def _parse_dim_keepdim(input, dim, keepdim):
    nd = input._data.ndim
    if dim is None or (isinstance(dim, (list, tuple)) and len(dim) == 0):
        return tuple(range(nd)), keepdim, True
    return dims_arg(dim, nd), keepdim, False


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    dims, keepdim, full = _parse_dim_keepdim(input, dim, keepdim)
    if dtype is None:
        dt = input.dtype
        if not (dt.is_floating_point or dt.is_complex):
            dt = D.int64
    else:
        dt = dtype
    cnp = _compute_np(dt)
    x = input._data if input._data.dtype == cnp else input._data.astype(cnp)
    if full and not keepdim:
        res = x.sum(dtype=cnp)
    else:
        res = x.sum(axis=dims, keepdims=keepdim, dtype=cnp)
    _check_out_grad(out, input)
    r = _out(res, dt, out)
    if out is None and needs_grad(input):
        shape = input._data.shape
        record("SumBackward0" if full and not keepdim and dim is None else "SumBackward1", r, (input,),
               lambda node, g: (_expand_grad(g, shape, dims, keepdim),))
    return r


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    mask = input.isnan() if input.dtype.is_floating_point else None
    x = where(mask, 0.0, input) if mask is not None else input
    return sum(x, dim, keepdim, dtype=dtype)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    dt = dtype or input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           f"complex dtype. Got: {type_name(dt)}")
    dims, keepdim, full = _parse_dim_keepdim(input, dim, keepdim)
    cnp = _compute_np(dt)
    x = input._data if input._data.dtype == cnp else input._data.astype(cnp)
    if x.size:
        res = x.mean(dtype=cnp) if full and not keepdim else x.mean(axis=dims, keepdims=keepdim, dtype=cnp)
    else:
        res = np.full(x.sum(axis=dims, keepdims=keepdim).shape, np.nan, dtype=cnp)
    _check_out_grad(out, input)
    r = _out(res, dt, out)
    if out is None and needs_grad(input):
        shape = input._data.shape
        n = 1
        for d in dims:
            n *= shape[d]

        def backward(node, g):
            return (_expand_grad(g, shape, dims, keepdim) / n,)
        record("MeanBackward0" if full and dim is None else "MeanBackward1", r, (input,), backward)
    return r


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    notnan = (~input.isnan())
    return nansum(input, dim, keepdim, dtype=dtype) / notnan.sum(dim, keepdim)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    dt = dtype or (input.dtype if input.dtype.is_floating_point or input.dtype.is_complex else D.int64)
    cnp = _compute_np(dt)
    x = input._data.astype(cnp)
    if dim is None:
        res = np.prod(x, dtype=cnp)
        dims, keep = tuple(range(x.ndim)), False
    else:
        d = wrap_dim(dim, x.ndim)
        res = np.prod(x, axis=d, keepdims=keepdim, dtype=cnp)
        dims, keep = (d,), keepdim
    r = _make(res, dt)
    if needs_grad(input):
        shape = input.shape

        def backward(node, g):
            i, res_ = node.saved(0), node.saved(1)
            g = _expand_grad(g, shape, dims, keep)
            res_e = _expand_grad(res_, shape, dims, keep)
            # where the input is zero, the product of the others is needed
            if bool((i == 0).any()):
                others = _prod_others(i, dims)
                return (g * others,)
            return (g * res_e / i,)
        record("ProdBackward0" if dim is None else "ProdBackward1", r, (input,), backward,
                      (input, "__out__"))
    return r


def _prod_others(i, dims):
    """Product of all other elements along ``dims`` (exclusive cumprod from both ends)."""
    from .shape import flatten, movedim
    if len(dims) == 1:
        d = dims[0]
        left = _exclusive_cumprod(i, d, reverse=False)
        right = _exclusive_cumprod(i, d, reverse=True)
        return left * right
    flat = i.reshape(-1)
    return _prod_others(flat, (0,)).reshape(i.shape)


def _exclusive_cumprod(t, d, reverse):
    from .shape import flip, cat, narrow
    if reverse:
        t = flip(t, [d])
    c = cumprod(t, d)
    n = t.shape[d]
    ones = t.new_ones([1 if k == d else s for k, s in enumerate(t.shape)])
    c = cat([ones, narrow(c, d, 0, n - 1)], d) if n > 0 else c
    if reverse:
        c = flip(c, [d])
    return c


# ------------------------------------------------------------------ max / min family
def _check_nonempty(input, dim, name):
    if input._data.size == 0:
        if dim is None:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                               "Specify the reduction dim with the 'dim' argument.")
        if input.shape[dim] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")


def _max_min(input, dim, keepdim, is_max, name, out_cls):
    x = input._data
    if dim is None:
        if x.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
                               "the reduction dim with the 'dim' argument.")
        cx = x.astype(_compute_np(input.dtype))
        v = (np.max if is_max else np.min)(cx)
        if input.dtype.is_floating_point and np.isnan(cx).any():
            v = np.nan
        r = _make(np.asarray(v), input.dtype)
        if needs_grad(input):
            def backward(node, g):
                i, res = node.saved(0), node.saved(1)
                mask = (i == res)
                return (where(mask, g / mask.sum(), 0.0),)
            record("MaxBackward1" if is_max else "MinBackward1", r, (input,), backward, (input, "__out__"))
        return r
    if isinstance(dim, Tensor) and dim.dim() == 0:
        dim = int(dim)
    if isinstance(dim, Tensor):
        return (maximum_ if is_max else minimum_)(input, dim)
    d = wrap_dim(dim, x.ndim)
    if x.ndim and x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    cx = x.astype(_compute_np(input.dtype))
    if x.ndim == 0:
        idx = np.zeros((), np.int64)
        vals = cx.copy()
    else:
        idx = _arg_nan(cx, d, is_max)
        # the reduction gives the same values (NaN where a NaN is, which the index points at)
        vals = cx.max(axis=d, keepdims=keepdim) if is_max else cx.min(axis=d, keepdims=keepdim)
        if keepdim:
            idx = np.expand_dims(idx, d)
    v = _make(vals, input.dtype)
    ix = _make(idx.astype(np.int64), D.int64)
    if needs_grad(input):
        _record_index_reduce("MaxBackward0" if is_max else "MinBackward0", v, ix, input, d, keepdim)
    return out_cls(v, ix)


def _record_index_reduce(name, values, indices, input, d, keepdim):
    shape = input.shape

    def backward(node, g):
        from .indexing import _value_selecting_backward
        return (_value_selecting_backward(g, d, node.saved(0), shape, keepdim),)
    record(name, values, (input,), backward, (indices,))


def _arg_nan(cx, d, is_max):
    """argmax/argmin along ``d`` where a NaN wins (first NaN), as PyTorch's."""
    if cx.dtype.kind in "fc":
        nan = np.isnan(cx)
        if nan.any():
            base = np.argmax(cx, axis=d) if is_max else np.argmin(cx, axis=d)
            has = nan.any(axis=d)
            first_nan = np.argmax(nan, axis=d)
            return np.where(has, first_nan, base)
    return np.argmax(cx, axis=d) if is_max else np.argmin(cx, axis=d)


def max(input, dim=None, keepdim=False, *, out=None):
    if isinstance(dim, Tensor):
        from .pointwise import maximum
        return maximum(input, dim)
    return _max_min(input, dim, keepdim, True, "max", max_ret)


def min(input, dim=None, keepdim=False, *, out=None):
    if isinstance(dim, Tensor):
        from .pointwise import minimum
        return minimum(input, dim)
    return _max_min(input, dim, keepdim, False, "min", min_ret)


def maximum_(a, b):
    from .pointwise import maximum
    return maximum(a, b)


def minimum_(a, b):
    from .pointwise import minimum
    return minimum(a, b)


def _amaxmin(input, dim, keepdim, is_max):
    name = "amax" if is_max else "amin"
    dims = dims_arg(dim if dim != () else None, input._data.ndim) if dim is not None else tuple(range(input.ndim))
    x = input._data
    for d in dims:
        if x.ndim and x.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    cx = x.astype(_compute_np(input.dtype))
    res = (np.max if is_max else np.min)(cx, axis=dims, keepdims=keepdim) if x.ndim else cx.copy()
    if input.dtype.is_floating_point and x.ndim:
        nan = np.isnan(cx).any(axis=dims, keepdims=keepdim)
        res = np.where(nan, np.nan, res)
    r = _make(res, input.dtype)
    if needs_grad(input):
        shape = input.shape

        def backward(node, g):
            i, res_ = node.saved(0), node.saved(1)
            res_e = _expand_grad(res_, shape, dims, keepdim)
            mask = (i == res_e)
            cnt = _expand_grad(mask.sum(dims, keepdim=keepdim), shape, dims, keepdim)
            return (where(mask, _expand_grad(g, shape, dims, keepdim) / cnt, 0.0),)
        record("AmaxBackward0" if is_max else "AminBackward0", r, (input,), backward, (input, "__out__"))
    return r


def amax(input, dim=(), keepdim=False, *, out=None):
    return _amaxmin(input, None if dim == () or dim == [] else dim, keepdim, True)


def amin(input, dim=(), keepdim=False, *, out=None):
    return _amaxmin(input, None if dim == () or dim == [] else dim, keepdim, False)


def aminmax(input, *, dim=None, keepdim=False):
    return aminmax_ret(amin(input, () if dim is None else dim, keepdim), amax(input, () if dim is None else dim,
                                                                              keepdim))


def _argmaxmin(input, dim, keepdim, is_max):
    name = "argmax" if is_max else "argmin"
    x = input._data.astype(_compute_np(input.dtype))
    if dim is None:
        if x.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        idx = _arg_nan(x.reshape(-1), 0, is_max)
        if keepdim:
            idx = np.asarray(idx).reshape((1,) * x.ndim)
        return _make(np.asarray(idx, dtype=np.int64), D.int64)
    d = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return _make(np.zeros((), np.int64), D.int64)
    if x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    idx = _arg_nan(x, d, is_max)
    if keepdim:
        idx = np.expand_dims(idx, d)
    return _make(np.asarray(idx, dtype=np.int64), D.int64)


def argmax(input, dim=None, keepdim=False):
    return _argmaxmin(input, dim, keepdim, True)


def argmin(input, dim=None, keepdim=False):
    return _argmaxmin(input, dim, keepdim, False)


# ------------------------------------------------------------------ var / std
def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


def _var_args(dim, unbiased, keepdim, correction):
    # var(dim, unbiased, keepdim) and var(unbiased) legacy positional forms
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    return dim, unbiased, keepdim, correction


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    dim, unbiased, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    return _var_std(input, dim, _correction(unbiased, correction), keepdim, False)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    dim, unbiased, keepdim, correction = _var_args(dim, unbiased, keepdim, correction)
    return _var_std(input, dim, _correction(unbiased, correction), keepdim, True)


def _var_std(input, dim, corr, keepdim, is_std):
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"std and var only support floating point and complex dtypes")
    dims = dims_arg(dim, input._data.ndim) if dim is not None else tuple(range(input._data.ndim))
    x = input._data.astype(np.float64 if dt is D.float64 else _compute_np(dt))
    n = 1
    for d in dims:
        n *= x.shape[d] if x.ndim else 1
    m = np.mean(x, axis=dims, keepdims=True) if x.ndim else x
    dev = x - m
    ss = np.sum(dev * np.conj(dev) if dt.is_complex else dev * dev, axis=dims, keepdims=keepdim) if x.ndim \
        else dev * dev
    denom = builtins_max(n - corr, 0)
    if denom == 0:
        import warnings
        warnings.warn(f"{'std' if is_std else 'var'}(): degrees of freedom is <= 0. Correction should be "
                      "strictly less than the reduction factor (input numel divided by output numel). "
                      "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/ReduceOps.cpp:1857.)",
                      UserWarning, stacklevel=3)
    res = ss / denom
    if is_std:
        res = np.sqrt(res)
    rdt = dt.to_real() if dt.is_complex else dt
    r = _make(np.asarray(res).real.astype(rdt._np) if dt.is_complex else np.asarray(res), rdt)
    if needs_grad(input):
        shape = input.shape

        def backward(node, g):
            i = node.saved(0)
            gv = _expand_grad(g, shape, dims, keepdim)
            centered = i - i.mean(dims, keepdim=True)
            if is_std:
                res_ = _expand_grad(node.saved(1), shape, dims, keepdim)
                return (gv * centered / (res_ * (n - corr)),)
            return (gv * 2 * centered / (n - corr),)
        record("StdBackward0" if is_std else "VarBackward0", r, (input,), backward,
               (input, "__out__") if is_std else (input,))
    return r


import builtins as _builtins

builtins_max = _builtins.max


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return var(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return std(input, dim, unbiased, keepdim, correction=correction), mean(input, dim, keepdim)


# ------------------------------------------------------------------ norms, logsumexp
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("torch.norm(p='nuc') (nuclear norm) is not implemented in tritongrad yet")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{type_name(x.dtype)}")
    if isinstance(dim, int):
        dim = (dim,)
    dims = dims_arg(dim, x._data.ndim) if dim is not None else tuple(range(x._data.ndim))
    dt = dtype or (x.dtype.to_real() if x.dtype.is_complex else x.dtype)
    cnp = _compute_np(dt)
    a = np.abs(x._data).astype(cnp) if x._data.ndim else np.abs(x._data).astype(cnp)
    ax = dims if a.ndim else None
    if ord == math.inf:
        res = np.max(a, axis=ax, keepdims=keepdim)
    elif ord == -math.inf:
        res = np.min(a, axis=ax, keepdims=keepdim)
    elif ord == 0:
        res = np.sum(a != 0, axis=ax, keepdims=keepdim).astype(cnp)
    elif ord == 1:
        res = np.sum(a, axis=ax, keepdims=keepdim)
    elif ord == 2:
        res = np.sqrt(np.sum(a * a, axis=ax, keepdims=keepdim))
    else:
        res = np.power(np.sum(np.power(a, ord), axis=ax, keepdims=keepdim), 1.0 / ord)
    r = _make(np.asarray(res, dtype=cnp), dt)
    if needs_grad(x):
        shape = x.shape

        def backward(node, g):
            i, n_ = node.saved(0), node.saved(1)
            ge = _expand_grad(g, shape, dims, keepdim)
            ne = _expand_grad(n_, shape, dims, keepdim)
            from .pointwise import sign, abs as _abs, pow as _pow
            if ord == 2:
                return (where(ne == 0, 0.0, ge * i / ne),)
            if ord == 1:
                return (ge * sign(i),)
            if ord in (math.inf, -math.inf):
                mask = _abs(i) == ne
                cnt = _expand_grad(mask.sum(dims, keepdim=keepdim), shape, dims, keepdim)
                return (where(mask, ge * sign(i) / cnt, 0.0),)
            if ord == 0:
                return (ge * 0,)
            return (where(ne == 0, 0.0, ge * sign(i) * _pow(_abs(i), ord - 1) / _pow(ne, ord - 1)),)
        record("LinalgVectorNormBackward0", r, (x,), backward, (x, "__out__"))
    return r


def logsumexp(input, dim, keepdim=False, *, out=None):
    dims = dims_arg(dim, input._data.ndim)
    dt = input.dtype if input.dtype.is_floating_point else D.get_default_dtype()
    cnp = _compute_np(dt)
    x = input._data.astype(cnp)
    if x.ndim == 0:
        res = x.copy()
    else:
        m = np.max(x, axis=dims, keepdims=True) if x.size else np.zeros([1] * x.ndim, cnp)
        m = np.where(np.isfinite(m), m, 0)
        res = np.log(np.sum(np.exp(x - m), axis=dims, keepdims=True)) + m
        if not keepdim:
            res = np.squeeze(res, axis=dims)
    r = _make(res, dt)
    if needs_grad(input):
        shape = input.shape

        def backward(node, g):
            i, res_ = node.saved(0), node.saved(1)
            return (_expand_grad(g, shape, dims, keepdim) * exp(i - _expand_grad(res_, shape, dims, keepdim)),)
        record("LogsumexpBackward0", r, (input,), backward, (input, "__out__"))
    return r


# ------------------------------------------------------------------ cumulative
def cumsum(input, dim, *, dtype=None, out=None):
    dt = dtype or (input.dtype if input.dtype.is_floating_point or input.dtype.is_complex else D.int64)
    d = wrap_dim(dim, input._data.ndim)
    x = input._data.astype(_compute_np(dt))
    res = np.ascontiguousarray(np.cumsum(x, axis=d, dtype=_compute_np(dt))) if x.ndim else x.copy()
    r = _out(res, dt, out)
    if out is None and needs_grad(input):
        def backward(node, g):
            from .shape import flip
            if g.dim() == 0:
                return (g,)
            return (flip(cumsum(flip(g, [d]), d), [d]),)
        record("CumsumBackward0", r, (input,), backward)
    return r


def cumprod(input, dim, *, dtype=None, out=None):
    dt = dtype or (input.dtype if input.dtype.is_floating_point or input.dtype.is_complex else D.int64)
    d = wrap_dim(dim, input._data.ndim)
    x = input._data.astype(_compute_np(dt))
    res = np.ascontiguousarray(np.cumprod(x, axis=d, dtype=_compute_np(dt))) if x.ndim else x.copy()
    r = _out(res, dt, out)
    if out is None and needs_grad(input):
        def backward(node, g):
            from .shape import flip
            i, res_ = node.saved(0), node.saved(1)
            if g.dim() == 0:
                return (g,)
            if bool((i == 0).any()):
                # exact gradient through the zero: sum over later k of g_k * prod_{j<=k, j!=i} x_j
                n = i.shape[d]
                from .shape import narrow, cat
                grads = []
                for idx in range(n):
                    mask_vals = i.clone()
                    mask_vals.narrow(d, idx, 1).fill_(1.0)
                    cp = cumprod(mask_vals, d)
                    contrib = (g * cp).narrow(d, idx, n - idx).sum(d, keepdim=True)
                    grads.append(contrib)
                return (cat(grads, d),)
            return (flip(cumsum(flip(g * res_, [d]), d), [d]) / i,)
        record("CumprodBackward0", r, (input,), backward, (input, "__out__"))
    return r


def _cum_extreme(input, dim, is_max):
    d = wrap_dim(dim, input._data.ndim)
    x = input._data.astype(_compute_np(input.dtype))
    if x.ndim == 0:
        return (cummax_ret if is_max else cummin_ret)(_make(x.copy(), input.dtype),
                                                      _make(np.zeros((), np.int64), D.int64))
    acc = (np.maximum if is_max else np.minimum).accumulate(x, axis=d)
    n = x.shape[d]
    ar = np.arange(n).reshape([-1 if k == d else 1 for k in range(x.ndim)])
    hit = np.where(x == acc, ar, -1)
    idx = np.maximum.accumulate(hit, axis=d)
    v = _make(acc, input.dtype)
    ix = _make(idx.astype(np.int64), D.int64)
    if needs_grad(input):
        shape = input.shape

        def backward(node, g):
            from .creation import zeros
            return (zeros(shape, dtype=g.dtype).scatter_add(d, node.saved(0), g),)
        record("CummaxBackward0" if is_max else "CumminBackward0", v, (input,), backward, (ix,))
    return (cummax_ret if is_max else cummin_ret)(v, ix)


def cummax(input, dim):
    return _cum_extreme(input, dim, True)


def cummin(input, dim):
    return _cum_extreme(input, dim, False)


def logcumsumexp(input, dim):
    d = wrap_dim(dim, input.ndim)
    m = input.detach().amax(d, keepdim=True) if input.numel() else input.detach()
    m = where(m.isinf(), 0.0, m)
    return log(cumsum(exp(input - m), d)) + m


# ------------------------------------------------------------------ boolean reductions, counting
def all(input, dim=None, keepdim=False, *, out=None):
    x = input._data.astype(bool)
    res = np.all(x, axis=dims_arg(dim, x.ndim) if dim is not None and x.ndim else None, keepdims=keepdim if
                 dim is not None else False)
    return _make(np.asarray(res), D.bool_ if input.dtype is not D.uint8 else D.uint8)


def any(input, dim=None, keepdim=False, *, out=None):
    x = input._data.astype(bool)
    res = np.any(x, axis=dims_arg(dim, x.ndim) if dim is not None and x.ndim else None, keepdims=keepdim if
                 dim is not None else False)
    return _make(np.asarray(res), D.bool_ if input.dtype is not D.uint8 else D.uint8)


def count_nonzero(input, dim=None):
    x = input._data
    res = np.count_nonzero(x, axis=dims_arg(dim, x.ndim) if dim is not None else None)
    return _make(np.asarray(res, dtype=np.int64), D.int64)


# ------------------------------------------------------------------ median, mode, kthvalue, quantile
def median(input, dim=None, keepdim=False):
    x = input._data.astype(_compute_np(input.dtype))
    if dim is None:
        if x.size == 0:
            return _make(np.asarray(np.nan, dtype=x.dtype), input.dtype)
        flat = x.reshape(-1)
        k = (flat.size - 1) // 2
        if input.dtype.is_floating_point and np.isnan(flat).any():
            idx = int(np.argmax(np.isnan(flat)))
        else:
            idx = int(np.argsort(flat, kind="stable")[k])
        r = _make(np.asarray(flat[idx]), input.dtype)
        if needs_grad(input):
            shape, n = input.shape, flat.size

            def backward(node, g):
                from .creation import zeros
                z = zeros(n, dtype=g.dtype)
                z[idx] = g
                return (z.reshape(shape),)
            record("MedianBackward0", r, (input,), backward)
        return r
    return _kth_along(input, dim, keepdim, None, "MedianBackward1", median_ret)


def nanmedian(input, dim=None, keepdim=False):
    return median(input, dim, keepdim)


def kthvalue(input, k, dim=-1, keepdim=False):
    return _kth_along(input, dim, keepdim, k, "KthvalueBackward0", kthvalue_ret)


def _kth_along(input, dim, keepdim, k, node_name, ret):
    d = wrap_dim(dim, input._data.ndim)
    x = input._data.astype(_compute_np(input.dtype))
    if x.ndim == 0:
        v, ix = x.copy(), np.zeros((), np.int64)
    else:
        n = x.shape[d]
        kk = (n - 1) // 2 if k is None else k - 1
        if kk < 0 or kk >= n:
            raise IndexError(f"kthvalue(): selected number k out of range for dimension {d}")
        order = np.argsort(x, axis=d, kind="stable")
        ix = np.take(order, [kk], axis=d)
        if k is None and input.dtype.is_floating_point:
            nan = np.isnan(x)
            if nan.any():
                first_nan = np.expand_dims(np.argmax(nan, axis=d), d)
                ix = np.where(np.expand_dims(nan.any(axis=d), d), first_nan, ix)
        v = np.take_along_axis(x, ix, d)
        if not keepdim:
            v, ix = np.squeeze(v, d), np.squeeze(ix, d)
    values = _make(v, input.dtype)
    indices = _make(ix.astype(np.int64), D.int64)
    if needs_grad(input):
        _record_index_reduce(node_name, values, indices, input, d, keepdim)
    return ret(values, indices)


def mode(input, dim=-1, keepdim=False):
    d = wrap_dim(dim, input._data.ndim)
    x = input._data
    if x.ndim == 0:
        return mode_ret(_make(x.copy(), input.dtype), _make(np.zeros((), np.int64), D.int64))
    xm = np.moveaxis(x, d, -1)
    flat = xm.reshape(-1, xm.shape[-1])
    vals = np.empty(flat.shape[0], dtype=x.dtype)
    idxs = np.empty(flat.shape[0], dtype=np.int64)
    for r in range(flat.shape[0]):
        row = flat[r]
        uniq, counts = np.unique(row, return_counts=True)
        best = uniq[np.argmax(counts == counts.max())]
        vals[r] = best
        idxs[r] = np.nonzero(row == best)[0][-1]
    vals = vals.reshape(xm.shape[:-1])
    idxs = idxs.reshape(xm.shape[:-1])
    if keepdim:
        vals, idxs = np.expand_dims(vals, d), np.expand_dims(idxs, d)
    values = _make(vals, input.dtype)
    indices = _make(idxs, D.int64)
    if needs_grad(input):
        _record_index_reduce("ModeBackward0", values, indices, input, d, keepdim)
    return mode_ret(values, indices)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    qa = q._data if isinstance(q, Tensor) else np.asarray(q, dtype=input._data.dtype)
    x = input._data
    res = np.quantile(x, qa, axis=dim, keepdims=keepdim, method=interpolation)
    return _make(np.asarray(res, dtype=x.dtype), input.dtype)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    qa = q._data if isinstance(q, Tensor) else np.asarray(q, dtype=input._data.dtype)
    res = np.nanquantile(input._data, qa, axis=dim, keepdims=keepdim, method=interpolation)
    return _make(np.asarray(res, dtype=input._data.dtype), input.dtype)


# ------------------------------------------------------------------ softmax family
def _softmax_dim(input, dim, name):
    if dim is None:
        import warnings
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                      "as an argument.", UserWarning, stacklevel=3)
        nd = input.dim()
        dim = 0 if nd in (0, 1, 3) else 1
    return wrap_dim(dim, input._data.ndim)


def softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    d = _softmax_dim(input, dim, "softmax")
    if dtype is not None:
        input = input.to(dtype)
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"\"softmax_lastdim_kernel_impl\" not implemented for '{type_name(dt)}'")
    cnp = _compute_np(dt)
    x = input._data.astype(cnp)
    if x.ndim == 0:
        res = np.ones((), cnp)
    else:
        res = np.exp(x - x.max(axis=d, keepdims=True)) if x.size else np.exp(x)
        res /= res.sum(axis=d, keepdims=True)
        res = np.ascontiguousarray(res)  # PyTorch's softmax output is contiguous whatever the input layout
    r = _make(res, dt)
    if needs_grad(input):
        def backward(node, g):
            return (_softmax_backward_data(g, node.saved(0), d),)
        record("SoftmaxBackward0", r, (input,), backward, ("__out__",), saved_names=("result",))
    return r


def _softmax_backward_data(g, out, d):
    return out * (g - (g * out).sum(d, keepdim=True))


def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3):
    d = _softmax_dim(input, dim, "log_softmax")
    if dtype is not None:
        input = input.to(dtype)
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{type_name(dt)}'")
    cnp = _compute_np(dt)
    x = input._data.astype(cnp)
    if x.ndim == 0:
        res = np.zeros((), cnp)
    else:
        m = np.max(x, axis=d, keepdims=True) if x.size else x
        m = np.where(np.isfinite(m), m, 0)
        sh = x - m
        res = sh - np.log(np.sum(np.exp(sh), axis=d, keepdims=True))
        res = np.ascontiguousarray(res)
    r = _make(res, dt)
    if needs_grad(input):
        def backward(node, g):
            out = node.saved(0)
            return (g - exp(out) * g.sum(d, keepdim=True),)
        record("LogSoftmaxBackward0", r, (input,), backward, ("__out__",), saved_names=("result",))
    return r


def softmin(input, dim=None, dtype=None):
    return softmax(-input if dtype is None else -(input.to(dtype)), dim)
