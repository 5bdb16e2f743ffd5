"""Pointwise ops: arithmetic, unary math, comparisons, logical and bitwise ops, clamp, where, lerp, ..."""
import math

import numpy as np
from ml_dtypes import bfloat16 as _np_bf16

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ._common import (result_type, np_operand, needs_grad, record, sum_to, check_broadcast, to_tensor,
                      type_name)

_make = Tensor._make
_state = grad_mode._state
_HALF = (np.dtype(np.float16), np.dtype(_np_bf16))
_F32 = np.dtype(np.float32)


def _compute_np(dt):
    """numpy dtype to compute in: half types compute in float32 and round once, as PyTorch's CPU kernels do."""
    n = dt._np
    return _F32 if n in _HALF else n


def _arr(x, npdt):
    if isinstance(x, Tensor):
        a = x._data
        return a if a.dtype == npdt else a.astype(npdt)
    try:
        return np.asarray(x, dtype=npdt)
    except OverflowError:
        # a Python int outside a narrow integer dtype wraps around, as PyTorch's scalar conversion does
        return np.asarray(x, dtype=np.int64).astype(npdt)


def _out(res, dt, out=None):
    t = _make(res, dt)
    if out is not None:
        from .conversion import copy_into_out
        return copy_into_out(out, t)
    return t


def _check_out_grad(out, *ts, name=None):
    if out is not None and _state[0] and needs_grad(*ts):
        if name is None:
            import sys
            name = sys._getframe(1).f_code.co_name
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")


# ------------------------------------------------------------------ binary arithmetic
def _binary_setup(a, b):
    if isinstance(b, Tensor):
        if isinstance(a, Tensor):
            if a._data.shape != b._data.shape:
                check_broadcast(a, b)
            dt = a.dtype if a.dtype is b.dtype else result_type(a, b)
        else:
            dt = result_type(a, b)
    elif not isinstance(a, Tensor):
        a = to_tensor(a)
        dt = result_type(a, b)
    elif b.__class__ is float and a.dtype._category == 2:
        dt = a.dtype  # float tensor with a Python float keeps its dtype
    else:
        dt = result_type(a, b)
    cnp = _compute_np(dt)
    return dt, _arr(a, cnp), _arr(b, cnp), a


def _scaled(y, alpha, dt):
    """alpha * other for add/sub: PyTorch rounds the product to a half-precision dtype before adding."""
    p = y * alpha
    if dt._np in _HALF:
        p = p.astype(dt._np).astype(_F32)
    return p


def add(input, other, *, alpha=1, out=None):
    dt, x, y, input = _binary_setup(input, other)
    if alpha != 1:
        if dt is D.bool_ and not isinstance(alpha, bool):
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
        if not (dt.is_floating_point or dt.is_complex) and isinstance(alpha, float):
            raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
        y = _scaled(y, alpha, dt)
    res = np.logical_or(x, y) if dt is D.bool_ else x + y
    _check_out_grad(out, input, other)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        ash, bsh = input._data.shape, other._data.shape if isinstance(other, Tensor) else None

        def backward(node, g):
            ga = sum_to(g, ash)
            gb = None
            if bsh is not None:
                gb = sum_to(g * alpha if alpha != 1 else g, bsh)
            return ga, gb
        record("AddBackward0", r, (input, other), backward)
    return r


def sub(input, other, *, alpha=1, out=None):
    a_bool = isinstance(input, bool) or isinstance(input, Tensor) and input.dtype is D.bool_
    b_bool = isinstance(other, bool) or isinstance(other, Tensor) and other.dtype is D.bool_
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                           "`logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")
    dt, x, y, input = _binary_setup(input, other)
    res = x - (_scaled(y, alpha, dt) if alpha != 1 else y)
    _check_out_grad(out, input, other)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        ash, bsh = input._data.shape, other._data.shape if isinstance(other, Tensor) else None

        def backward(node, g):
            gb = None
            if bsh is not None:
                gb = sum_to(-g * alpha if alpha != 1 else -g, bsh)
            return sum_to(g, ash), gb
        record("SubBackward0", r, (input, other), backward)
    return r


def rsub(input, other, *, alpha=1):
    """other - alpha * input."""
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    dt, x, y, input = _binary_setup(input, other)
    res = y - (x * alpha if alpha != 1 else x)
    r = _make(res, dt)
    if needs_grad(input):
        ash = input.shape
        record("RsubBackward1", r, (input,), lambda node, g: (sum_to(-g * alpha if alpha != 1 else -g, ash),))
    return r


def mul(input, other, *, out=None):
    dt, x, y, input = _binary_setup(input, other)
    res = np.logical_and(x, y) if dt is D.bool_ else x * y
    _check_out_grad(out, input, other)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        other_t = isinstance(other, Tensor)
        a_rg = input.requires_grad
        b_rg = other_t and other.requires_grad
        ash = input._data.shape
        bsh = other._data.shape if other_t else None
        # save only what the formula needs, as PyTorch does
        saved = (input if b_rg else None, other if a_rg else None)

        def backward(node, g):
            ga = gb = None
            if a_rg:
                o = node.saved(1)
                ga = sum_to(g * (o.conj() if isinstance(o, Tensor) and o.is_complex() else o), ash)
            if b_rg:
                i = node.saved(0)
                gb = sum_to(g * i, bsh)
            return ga, gb
        record("MulBackward0", r, (input, other), backward, saved, saved_names=("self", "other"))
    return r


def div(input, other, *, rounding_mode=None, out=None):
    if rounding_mode is not None:
        if rounding_mode not in ("trunc", "floor"):
            raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                               f"'{rounding_mode}'")
        return _div_rounding(input, other, rounding_mode, out)
    dt, x, y, input = _binary_setup(input, other)
    if dt._category < 2:
        # true division of integers happens in the default float dtype
        dt = D.get_default_dtype()
        cnp = _compute_np(dt)
        x, y = x.astype(cnp), y.astype(cnp)
    res = x / y
    _check_out_grad(out, input, other)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        other_t = isinstance(other, Tensor)
        a_rg = input.requires_grad
        b_rg = other_t and other.requires_grad
        ash = input._data.shape
        bsh = other._data.shape if other_t else None
        saved = (input if b_rg else None, other)

        def backward(node, g):
            ga = gb = None
            o = node.saved(1)
            if a_rg:
                ga = sum_to(g / o, ash)
            if b_rg:
                i = node.saved(0)
                gb = sum_to(-g * i / (o * o), bsh)
            return ga, gb
        record("DivBackward0", r, (input, other), backward, saved, saved_names=("self", "other"))
    return r


def _div_rounding(input, other, mode, out):
    dt, x, y, input = _binary_setup(input, other)
    if not (dt.is_floating_point or dt.is_complex):
        if np.any(y == 0):
            raise RuntimeError("ZeroDivisionError")
        res = np.floor_divide(x, y) if mode == "floor" else _trunc_div_int(x, y)
    else:
        res = np.floor_divide(x, y) if mode == "floor" else np.trunc(x / y)
        if mode == "floor":
            # PyTorch's floor division returns floor(x / y) even where numpy's floor_divide rounds from fmod
            q = np.floor(x / y)
            res = np.where(np.isfinite(q), q, res)
    _check_out_grad(out, input, other, name="div")
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        other_t = isinstance(other, Tensor)
        ash, bsh = input.shape, other.shape if other_t else None
        name = "DivBackward2" if other_t else "DivBackward3"
        record(name, r, (input, other) if other_t else (input,),
               lambda node, g: (sum_to(g * 0, ash),) + ((sum_to(g * 0, bsh),) if other_t else ()))
    return r


def _trunc_div_int(x, y):
    q = np.abs(x) // np.abs(y)
    return np.where((x < 0) != (y < 0), -q, q).astype(np.result_type(x, y))


true_divide = div


def floor_divide(input, other, *, out=None):
    with grad_mode.no_grad():
        r = _div_rounding(input, other, "floor", out)
    if out is None and needs_grad(input, other):
        def backward(node, g):
            raise RuntimeError("derivative for aten::floor_divide is not implemented")
        record("NotImplemented", r, (input, other), backward)
    return r


def _modulo_op(name, np_fn, node_stem, quotient):
    """remainder / fmod: ``input - quotient(input, other) * other``; ``quotient`` gives the other's gradient."""
    def op(input, other, *, out=None):
        dt, x, y, input = _binary_setup(input, other)
        if not (dt.is_floating_point or dt.is_complex) and np.any(y == 0):
            raise RuntimeError("ZeroDivisionError")
        r = _out(np_fn(x, y), dt, out)
        if out is None and needs_grad(input, other):
            ash = input.shape
            if isinstance(other, Tensor):
                bsh = other.shape
                record(node_stem + "Backward1", r, (input, other),
                       lambda node, g: (sum_to(g, ash), sum_to(-g * quotient(node.saved(0), node.saved(1)), bsh)),
                       (input, other))
            else:
                record(node_stem + "Backward0", r, (input,), lambda node, g: (g,))
        return r
    op.__name__ = name
    return op


remainder = _modulo_op("remainder", np.mod, "Remainder", lambda a, b: floor_divide(a, b))
fmod = _modulo_op("fmod", np.fmod, "Fmod", lambda a, b: trunc(div(a, b)))


def pow(input, exponent, *, out=None):
    if not isinstance(input, Tensor):
        return _pow_scalar_base(input, exponent, out)
    dt = result_type(input, exponent)
    if isinstance(exponent, Tensor):
        check_broadcast(input, exponent)
    if not (dt.is_floating_point or dt.is_complex):
        e = exponent._data if isinstance(exponent, Tensor) else np.asarray(exponent)
        if np.any(e < 0):
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    cnp = _compute_np(dt)
    x, y = _arr(input, cnp), _arr(exponent, cnp)
    res = np.power(x, y)
    _check_out_grad(out, input, exponent)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, exponent):
        if isinstance(exponent, Tensor):
            a_rg, b_rg = input.requires_grad, exponent.requires_grad
            ash, bsh = input.shape, exponent.shape

            def backward(node, g):
                i, e = node.saved(0), node.saved(1)
                ga = gb = None
                if a_rg:
                    ga = sum_to(g * e * pow(i, e - 1), ash)
                if b_rg:
                    res = node.saved(2)
                    gb = sum_to(g * where((i == 0) & (e >= 0), 0.0, res * log(i)), bsh)
                return ga, gb
            record("PowBackward1", r, (input, exponent), backward, (input, exponent, "__out__"),
                          saved_names=("self", "exponent", "result"))
        else:
            e = exponent

            def backward(node, g):
                if e == 0:
                    return (g * 0,)
                i = node.saved(0)
                return (g * (e * pow(i, e - 1)),)
            record("PowBackward0", r, (input,), backward, (input,), saved_names=("self",))
    return r


def _pow_scalar_base(base, exponent, out=None):
    dt = result_type(base, exponent)
    cnp = _compute_np(dt)
    res = np.power(np.asarray(base, dtype=cnp), _arr(exponent, cnp))
    r = _out(res, dt, out)
    if out is None and needs_grad(exponent):
        def backward(node, g):
            res = node.saved(0)
            if base == 0:
                return (g * where(exponent_ge0(node), 0.0, res * math.log(base) if base > 0 else res),)
            return (g * res * math.log(base),)
        record("PowBackward2", r, (exponent,), backward, ("__out__", exponent))
    return r


def exponent_ge0(node):
    return node.saved(1) >= 0


def float_power(input, exponent):
    dt = D.complex128 if (isinstance(input, Tensor) and input.is_complex()) or \
        (isinstance(exponent, Tensor) and exponent.is_complex()) else D.float64
    a = input.to(dt) if isinstance(input, Tensor) else input
    b = exponent.to(dt) if isinstance(exponent, Tensor) else exponent
    return pow(a, b)


def atan2(input, other, *, out=None):
    dt, x, y, input = _binary_setup(input, other)
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
        x, y = x.astype(dt._np), y.astype(dt._np)
    r = _out(np.arctan2(x, y), dt, out)
    if out is None and needs_grad(input, other):
        ash, bsh = input.shape, other.shape

        def backward(node, g):
            a, b = node.saved(0), node.saved(1)
            den = a * a + b * b
            return sum_to(g * b / den, ash), sum_to(g * -a / den, bsh)
        record("Atan2Backward0", r, (input, other), backward, (input, other))
    return r


arctan2 = atan2


def _minmax_binary(name, np_fn, node_name, propagate_nan=True):
    def op(input, other, *, out=None):
        if not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
        dt, x, y, input = _binary_setup(input, other)
        res = np_fn(x, y)
        r = _out(res, dt, out)
        if out is None and needs_grad(input, other):
            ash, bsh = input.shape, other.shape

            def backward(node, g):
                a, b = node.saved(0), node.saved(1)
                pick_a = (a > b) if np_fn is np.maximum or np_fn is np.fmax else (a < b)
                tie = a == b
                wa = where(pick_a, 1.0, 0.0) + where(tie, 0.5, 0.0)
                return sum_to(g * wa, ash), sum_to(g * (1 - wa), bsh)
            record(node_name, r, (input, other), backward, (input, other))
        return r
    op.__name__ = name
    return op


maximum = _minmax_binary("maximum", np.maximum, "MaximumBackward0")
minimum = _minmax_binary("minimum", np.minimum, "MinimumBackward0")
fmax = _minmax_binary("fmax", np.fmax, "FmaxBackward0")
fmin = _minmax_binary("fmin", np.fmin, "FminBackward0")


def hypot(input, other, *, out=None):
    dt, x, y, input = _binary_setup(input, other)
    r = _out(np.hypot(x, y), dt, out)
    if out is None and needs_grad(input, other):
        ash, bsh = input.shape, other.shape

        def backward(node, g):
            a, b, res = node.saved(0), node.saved(1), node.saved(2)
            return sum_to(g * a / res, ash), sum_to(g * b / res, bsh)
        record("HypotBackward0", r, (input, other), backward, (input, other, "__out__"))
    return r


def copysign(input, other, *, out=None):
    dt, x, y, input = _binary_setup(input, other)
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
    r = _out(np.copysign(x, y), dt, out)
    if out is None and needs_grad(input):
        record("CopysignBackward0", r, (input, other) if isinstance(other, Tensor) else (input,),
               lambda node, g: (g * sign(node.saved(0)) * sign(node.saved(1)),) + (
                   (None,) if isinstance(other, Tensor) else ()), (input, r.detach()))
    return r


def xlogy(input, other, *, out=None):
    dt, x, y, input = _binary_setup(input, other) if isinstance(input, Tensor) else _binary_setup(to_tensor(input), other)
    if not dt.is_floating_point:
        dt = D.get_default_dtype()
        x, y = x.astype(dt._np), y.astype(dt._np)
    res = np.where(x == 0, np.where(np.isnan(y), np.nan, 0.0), x * np.log(y)).astype(dt._np)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        ash = input.shape
        other_t = isinstance(other, Tensor)

        def backward(node, g):
            a, b = node.saved(0), node.saved(1)
            ga = sum_to(g * where((a == 0) & ~isnan(b), 0.0, log(b)), ash)
            gb = sum_to(g * a / b, b.shape) if other_t else None
            return ga, gb
        record("XlogyBackward0", r, (input, other), backward, (input, to_tensor(other, dt)))
    return r


# ------------------------------------------------------------------ unary math
def _unary(name, np_fn, node_name, grad=None, float_only=True, save="input", int_ok=False, bool_ok=True,
           complex_np=None):
    """One unary op. ``grad(node, g)`` receives the node (``node.saved(0)`` is the input or result)."""

    backward = (lambda node, g: (grad(node, g),)) if grad is not None else None

    def op(input, *, out=None):
        dt = input.dtype
        if float_only and not (dt.is_floating_point or dt.is_complex):
            dt = D.get_default_dtype()
        elif not bool_ok and dt is D.bool_:
            raise RuntimeError(f"{name}: bool input is not supported")
        cnp = _compute_np(dt)
        x = input._data if input._data.dtype == cnp else input._data.astype(cnp)
        res = np_fn(x)
        _check_out_grad(out, input, name=name)
        r = _out(res, dt, out)
        if out is None and grad is not None and (input._requires_grad or input._grad_fn is not None) and _state[0]:
            if save == "input":
                record(node_name, r, (input,), backward, (input,), saved_names=("self",))
            elif save == "result":
                record(node_name, r, (input,), backward, ("__out__",), saved_names=("result",))
            else:
                record(node_name, r, (input,), backward)
        return r

    op.__name__ = name
    return op


def _zero_grad(node, g):
    return g * 0


exp = _unary("exp", np.exp, "ExpBackward0", lambda n, g: g * n.saved(0), save="result")
exp2 = _unary("exp2", np.exp2, "Exp2Backward0", lambda n, g: g * n.saved(0) * math.log(2.0), save="result")
expm1 = _unary("expm1", np.expm1, "Expm1Backward0", lambda n, g: g * (n.saved(0) + 1), save="result")
log = _unary("log", np.log, "LogBackward0", lambda n, g: g / n.saved(0))
log2 = _unary("log2", np.log2, "Log2Backward0", lambda n, g: g / (n.saved(0) * math.log(2.0)))
log10 = _unary("log10", np.log10, "Log10Backward0", lambda n, g: g / (n.saved(0) * math.log(10.0)))
log1p = _unary("log1p", np.log1p, "Log1PBackward0", lambda n, g: g / (n.saved(0) + 1))
sqrt = _unary("sqrt", np.sqrt, "SqrtBackward0", lambda n, g: g / (2 * n.saved(0)), save="result")
rsqrt = _unary("rsqrt", lambda x: 1 / np.sqrt(x), "RsqrtBackward0",
               lambda n, g: g * (-0.5) * pow(n.saved(0), 3), save="result")
sin = _unary("sin", np.sin, "SinBackward0", lambda n, g: g * cos(n.saved(0)))
cos = _unary("cos", np.cos, "CosBackward0", lambda n, g: g * -sin(n.saved(0)))
tan = _unary("tan", np.tan, "TanBackward0", lambda n, g: g * (1 + n.saved(0) * n.saved(0)), save="result")
asin = _unary("asin", np.arcsin, "AsinBackward0", lambda n, g: g * rsqrt(1 - n.saved(0) * n.saved(0)))
acos = _unary("acos", np.arccos, "AcosBackward0", lambda n, g: -g * rsqrt(1 - n.saved(0) * n.saved(0)))
atan = _unary("atan", np.arctan, "AtanBackward0", lambda n, g: g / (1 + n.saved(0) * n.saved(0)))
sinh = _unary("sinh", np.sinh, "SinhBackward0", lambda n, g: g * cosh(n.saved(0)))
cosh = _unary("cosh", np.cosh, "CoshBackward0", lambda n, g: g * sinh(n.saved(0)))
tanh = _unary("tanh", np.tanh, "TanhBackward0", lambda n, g: g * (1 - n.saved(0) * n.saved(0)), save="result")
asinh = _unary("asinh", np.arcsinh, "AsinhBackward0", lambda n, g: g * rsqrt(n.saved(0) * n.saved(0) + 1))
acosh = _unary("acosh", np.arccosh, "AcoshBackward0", lambda n, g: g * rsqrt(n.saved(0) * n.saved(0) - 1))
atanh = _unary("atanh", np.arctanh, "AtanhBackward0", lambda n, g: g / (1 - n.saved(0) * n.saved(0)))


def _sigmoid_np(x):
    # 1 / (1 + exp(-x)) as PyTorch computes it; exp overflowing to inf gives the right limit, 0
    return 1 / (1 + np.exp(-x))


sigmoid = _unary("sigmoid", _sigmoid_np, "SigmoidBackward0",
                 lambda n, g: g * (1 - n.saved(0)) * n.saved(0), save="result")  # PyTorch's rounding order


def _erf_np(x):
    from math import erf as _erf
    return np.vectorize(_erf, otypes=[x.dtype])(x) if x.size else x.copy()


def _erfinv_np(x):
    # Newton refinement of a rational initial guess
    a = 0.147
    ln = np.log(np.maximum(1 - x * x, 1e-300))
    t = 2 / (math.pi * a) + ln / 2
    y = np.sign(x) * np.sqrt(np.sqrt(t * t - ln / a) - t)
    for _ in range(3):
        err = _erf_np(y.astype(np.float64)) - x
        y = y - err / (2 / math.sqrt(math.pi) * np.exp(-y * y))
    y = np.where(x == 1, np.inf, np.where(x == -1, -np.inf, y))
    return np.where(np.abs(x) > 1, np.nan, y).astype(x.dtype)


def _erf_fast(x):
    """erf through the complementary error function identity with numpy only (max abs error ~1e-7 in float64 is
    too loose for float64 gradchecks, so float64 uses the exact scalar routine)."""
    if x.dtype == np.float64 or x.size <= 64:
        return _erf_np(x)
    return _erf_np(x.astype(np.float64)).astype(x.dtype)


erf = _unary("erf", _erf_fast, "ErfBackward0",
             lambda n, g: g * (2 / math.sqrt(math.pi)) * exp(-(n.saved(0) * n.saved(0))))
_erfc_vec = np.frompyfunc(math.erfc, 1, 1)
erfc = _unary("erfc", lambda x: _erfc_vec(x).astype(x.dtype) if x.size else x.copy(), "ErfcBackward0",
              lambda n, g: g * (-2 / math.sqrt(math.pi)) * exp(-(n.saved(0) * n.saved(0))))
erfinv = _unary("erfinv", _erfinv_np, "ErfinvBackward0",
                lambda n, g: g * (math.sqrt(math.pi) / 2) * exp(n.saved(0) * n.saved(0)), save="result")
reciprocal = _unary("reciprocal", lambda x: 1 / x, "ReciprocalBackward0",
                    lambda n, g: g * -(n.saved(0) * n.saved(0)), save="result")


def _keep_int(name, np_fn, node_name, grad=None, save="none"):
    return _unary(name, np_fn, node_name, grad, float_only=False, save=save)


_neg = _keep_int("neg", np.negative, "NegBackward0", lambda n, g: -g)


def neg(input, *, out=None):
    if input.dtype is D.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                           "invert a mask, use the `~` or `logical_not()` operator instead.")
    return _neg(input, out=out)


negative = neg
_abs_real = _keep_int("abs", np.abs, "AbsBackward0", lambda n, g: g * sign(n.saved(0)), save="input")


def abs(input, *, out=None):
    if input.dtype.is_complex:
        r = _out(np.abs(input._data), input.dtype.to_real(), out)
        if out is None and needs_grad(input):
            record("AbsBackward0", r, (input,), lambda node, g: (g * sgn(node.saved(0)),), (input,))
        return r
    return _abs_real(input, out=out)
absolute = abs
sign = _keep_int("sign", lambda x: np.sign(x).astype(x.dtype) if x.dtype != np.bool_ else x.copy(),
                 "SignBackward0", _zero_grad)
sgn = _keep_int("sgn", lambda x: np.sign(x).astype(x.dtype) if x.dtype != np.bool_ else x.copy(), "SgnBackward0",
                _zero_grad)
floor = _keep_int("floor", lambda x: np.floor(x) if x.dtype.kind == "f" else x.copy(), "FloorBackward0", _zero_grad)
ceil = _keep_int("ceil", lambda x: np.ceil(x) if x.dtype.kind == "f" else x.copy(), "CeilBackward0", _zero_grad)
trunc = _keep_int("trunc", lambda x: np.trunc(x) if x.dtype.kind == "f" else x.copy(), "TruncBackward0", _zero_grad)
fix = trunc
frac = _keep_int("frac", lambda x: x - np.trunc(x), "FracBackward0", lambda n, g: g)


def round(input, *, decimals=0, out=None):
    if decimals == 0:
        return _round0(input, out=out)
    dt = input.dtype
    cnp = _compute_np(dt)
    x = input._data.astype(cnp)
    scale = 10.0 ** decimals
    res = np.round(x * scale) / scale if dt.is_floating_point else x.copy()
    r = _out(res, dt, out)
    if out is None and needs_grad(input):
        record("RoundBackward1", r, (input,), lambda node, g: (g * 0,))
    return r


_round0 = _keep_int("round", lambda x: np.round(x) if x.dtype.kind == "f" else x.copy(), "RoundBackward0", _zero_grad)


def square(input, *, out=None):
    if input.dtype is D.bool_:
        return pow(input.to(D.int64), 2)
    return pow(input, 2)


def relu(input):
    dt = input.dtype
    if dt is D.bool_:
        raise RuntimeError("Boolean inputs not supported for relu")
    x = input._data
    res = np.maximum(x, np.zeros((), dtype=x.dtype))  # np.maximum propagates NaN, as relu does
    r = _make(res, dt)
    if needs_grad(input):
        record("ReluBackward0", r, (input,), lambda node, g: (threshold_backward(g, node.saved(0), 0),),
                      ("__out__",), saved_names=("result",))
    return r


def threshold_backward(grad_output, self, threshold):
    """grad where self > threshold, else 0 (its own node, so the double backward is right)."""
    mask = self._data > threshold
    r = _make(np.where(mask, grad_output._data, np.zeros((), dtype=grad_output._data.dtype)), grad_output.dtype)
    if needs_grad(grad_output, self):
        def backward(node, g):
            return threshold_backward(g, node.saved(0), threshold), (g * 0 if self.requires_grad else None)
        record("ThresholdBackwardBackward0", r, (grad_output, self), backward, (self,))
    return r


def logit(input, eps=None, *, out=None):
    dt = input.dtype if input.dtype.is_floating_point else D.get_default_dtype()
    x = input._data.astype(_compute_np(dt))
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    res = np.log(x / (1 - x))
    r = _out(res, dt, out)
    if out is None and needs_grad(input):
        def backward(node, g):
            i = node.saved(0)
            gr = g / (i * (1 - i))
            if eps is not None:
                gr = where((i < eps) | (i > 1 - eps), 0.0, gr)
            else:
                gr = where((i < 0) | (i > 1), math.nan, gr)
            return (gr,)
        record("LogitBackward0", r, (input,), backward, (input,))
    return r


def _nan_to_num_np(x, nan, posinf, neginf):
    if x.dtype.kind != "f":
        return x.copy()
    info = np.finfo(x.dtype)
    return np.nan_to_num(x, nan=0.0 if nan is None else nan,
                         posinf=info.max if posinf is None else posinf,
                         neginf=info.min if neginf is None else neginf)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    res = _nan_to_num_np(input._data, nan, posinf, neginf)
    r = _out(res, input.dtype, out)
    if out is None and needs_grad(input):
        record("NanToNumBackward0", r, (input,),
               lambda node, g: (g * isfinite(node.saved(0)),), (input,))
    return r


# ------------------------------------------------------------------ comparisons, logical, bitwise
def _compare(name, np_fn):
    def op(input, other, *, out=None):
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            check_broadcast(input, other)
        dt = result_type(input, other)
        cnp = _compute_np(dt)
        res = np_fn(_arr(input, cnp), _arr(other, cnp))
        return _out(np.asarray(res), D.bool_, out)
    op.__name__ = name
    return op


eq = _compare("eq", np.equal)
ne = _compare("ne", np.not_equal)
lt = _compare("lt", np.less)
le = _compare("le", np.less_equal)
gt = _compare("gt", np.greater)
ge = _compare("ge", np.greater_equal)
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical(name, np_fn):
    def op(input, other, *, out=None):
        if isinstance(input, Tensor) and isinstance(other, Tensor):
            check_broadcast(input, other)
        res = np_fn(_arr(input, input._data.dtype if isinstance(input, Tensor) else None),
                    _arr(other, other._data.dtype if isinstance(other, Tensor) else None))
        return _out(np.asarray(res), D.bool_, out)
    op.__name__ = name
    return op


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def logical_not(input, *, out=None):
    return _out(np.logical_not(input._data), D.bool_, out)


def _bitwise(name, np_fn):
    def op(input, other, *, out=None):
        dt, x, y, input = _binary_setup(input, other)
        if dt.is_floating_point or dt.is_complex:
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{type_name(dt)}'")
        return _out(np_fn(x, y), dt, out)
    op.__name__ = name
    return op


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)
bitwise_left_shift = _bitwise("bitwise_left_shift", np.left_shift)
bitwise_right_shift = _bitwise("bitwise_right_shift", np.right_shift)


def bitwise_not(input, *, out=None):
    if input.dtype.is_floating_point or input.dtype.is_complex:
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for '{type_name(input.dtype)}'")
    return _out(np.invert(input._data), input.dtype, out)


def isnan(input):
    return _make(np.isnan(input._data) if input.dtype.is_floating_point or input.dtype.is_complex
                 else np.zeros(input._data.shape, bool), D.bool_)


def isinf(input):
    return _make(np.isinf(input._data) if input.dtype.is_floating_point or input.dtype.is_complex
                 else np.zeros(input._data.shape, bool), D.bool_)


def isposinf(input):
    return _make(np.isposinf(input._data) if input.dtype.is_floating_point
                 else np.zeros(input._data.shape, bool), D.bool_)


def isneginf(input):
    return _make(np.isneginf(input._data) if input.dtype.is_floating_point
                 else np.zeros(input._data.shape, bool), D.bool_)


def isfinite(input):
    return _make(np.isfinite(input._data) if input.dtype.is_floating_point or input.dtype.is_complex
                 else np.ones(input._data.shape, bool), D.bool_)


def isreal(input):
    return _make(np.isreal(input._data), D.bool_)


def signbit(input):
    return _make(np.signbit(input._data.astype(_compute_np(input.dtype))) if input.dtype is not D.bool_
                 else np.zeros(input._data.shape, bool), D.bool_)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{input.dtype} did not match {other.dtype}")
    cnp = _compute_np(input.dtype)
    return _make(np.isclose(input._data.astype(cnp), other._data.astype(cnp), rtol=rtol, atol=atol,
                            equal_nan=equal_nan), D.bool_)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    if input.shape != other.shape:
        return False
    return bool(np.array_equal(input._data, other._data))


# ------------------------------------------------------------------ clamp, where, lerp
def clamp(input, min=None, max=None, *, out=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    tensor_bounds = isinstance(min, Tensor) or isinstance(max, Tensor)
    dt = result_type(input, *(b for b in (min, max) if b is not None)) if tensor_bounds else \
        result_type(input, *(b for b in (min, max) if b is not None))
    cnp = _compute_np(dt)
    x = _arr(input, cnp)
    res = x
    if min is not None:
        res = np.maximum(res, _arr(min, cnp))
    if max is not None:
        res = np.minimum(res, _arr(max, cnp))
    if dt.is_floating_point:
        res = np.where(np.isnan(x), x, res)
    r = _out(res, dt, out)
    if out is None and needs_grad(input, min, max):
        if tensor_bounds:
            lo, hi = min, max

            def backward(node, g):
                i = node.saved(0)
                keep = ones_mask(i)
                glo = ghi = None
                if lo is not None:
                    keep = keep & (i >= lo)
                if hi is not None:
                    keep = keep & (i <= hi)
                gi = where(keep, g, 0.0)
                # where min > max the result is max, so max gets the gradient
                if isinstance(lo, Tensor) and lo.requires_grad:
                    pick = (i < lo) & (lo < hi) if hi is not None else i < lo
                    glo = sum_to(where(pick, g, 0.0), lo.shape)
                if isinstance(hi, Tensor) and hi.requires_grad:
                    pick = (i > hi) | (hi < lo) if lo is not None else i > hi
                    ghi = sum_to(where(pick, g, 0.0), hi.shape)
                return gi, glo, ghi
            record("ClampBackward0", r, (input, min if isinstance(min, Tensor) else None,
                                         max if isinstance(max, Tensor) else None), backward, (input,))
        else:
            lo, hi = min, max
            name = "ClampBackward1"

            def backward(node, g):
                i = node.saved(0)
                if lo is not None and hi is not None:
                    keep = (i >= lo) & (i <= hi)
                elif lo is not None:
                    keep = i >= lo
                else:
                    keep = i <= hi
                return (where(keep, g, 0.0),)
            record(name, r, (input,), backward, (input,))
    return r


def ones_mask(t):
    return _make(np.ones(t._data.shape, bool), D.bool_)


clip = clamp


def _clamp_one_side(input, bound, is_min):
    with grad_mode.no_grad():
        r = clamp(input, min=bound) if is_min else clamp(input, max=bound)
    if needs_grad(input, bound):
        b_t = isinstance(bound, Tensor)

        def backward(node, g):
            i = node.saved(0)
            keep = (i >= bound) if is_min else (i <= bound)
            gi = where(keep, g, 0.0)
            if b_t:
                return gi, (sum_to(where(keep, 0.0, g), bound.shape) if bound.requires_grad else None)
            return (gi,)
        name = ("ClampMinBackward" if is_min else "ClampMaxBackward") + ("1" if b_t else "0")
        record(name, r, (input, bound) if b_t else (input,), backward, (input,))
    return r


def clamp_min(input, min):
    return _clamp_one_side(input, min, True)


def clamp_max(input, max):
    return _clamp_one_side(input, max, False)


def where(condition, input=None, other=None, *, out=None):
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor):
        raise TypeError("where(): argument 'condition' (position 1) must be Tensor")
    if condition.dtype is not D.bool_ and condition.dtype is not D.uint8:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{type_name(condition.dtype)}")
    dt = result_type(input, other)
    if isinstance(input, Tensor) and isinstance(other, Tensor) and (input.dtype is not other.dtype):
        dt = D.promote_types(input.dtype, other.dtype)
    cnp = _compute_np(dt)
    for t in (input, other):
        if isinstance(t, Tensor):
            check_broadcast(condition, t)
    res = np.where(condition._data.astype(bool), _arr(input, cnp), _arr(other, cnp))
    r = _out(res, dt, out)
    if out is None and needs_grad(input, other):
        ish = input.shape if isinstance(input, Tensor) else None
        osh = other.shape if isinstance(other, Tensor) else None

        def backward(node, g):
            c = node.saved(0)
            zero = 0.0
            ga = sum_to(where(c, g, zero), ish) if ish is not None else None
            gb = sum_to(where(c, zero, g), osh) if osh is not None else None
            return ga, gb
        record("WhereBackward0", r, (input if isinstance(input, Tensor) else None,
                                     other if isinstance(other, Tensor) else None), backward, (condition,))
    return r


def lerp(input, end, weight, *, out=None):
    dt = result_type(input, end)
    cnp = _compute_np(dt)
    check_broadcast(input, end)
    x, e, w = _arr(input, cnp), _arr(end, cnp), _arr(weight, cnp)
    # PyTorch's formula: switch at |weight| < 0.5 for accuracy
    res = np.where(np.abs(w) < 0.5, x + w * (e - x), e - (e - x) * (1 - w))
    r = _out(res, dt, out)
    if out is None and needs_grad(input, end, weight):
        ish, esh = input.shape, end.shape
        w_t = isinstance(weight, Tensor)

        def backward(node, g):
            wv = node.saved(0)
            gi = sum_to(g * (1 - wv), ish)
            ge_ = sum_to(g * wv, esh)
            gw = None
            if w_t and weight.requires_grad:
                gw = sum_to(g * (node.saved(2) - node.saved(1)), weight.shape)
            return (gi, ge_, gw) if w_t else (gi, ge_)
        name = "LerpBackward1" if w_t else "LerpBackward0"
        record(name, r, (input, end, weight) if w_t else (input, end), backward, (weight, input, end))
    return r


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    with grad_mode.no_grad():
        prod = mul(tensor1, tensor2)
        r = add(input, prod * value if value != 1 else prod, out=out)
    if out is None and needs_grad(input, tensor1, tensor2):
        shapes = (input.shape, tensor1.shape, tensor2.shape)

        def backward(node, g):
            t1, t2 = node.saved(0), node.saved(1)
            gv = g * value if value != 1 else g
            return (sum_to(g, shapes[0]), sum_to(gv * t2, shapes[1]) if tensor1.requires_grad else None,
                    sum_to(gv * t1, shapes[2]) if tensor2.requires_grad else None)
        record("AddcmulBackward0", r, (input, tensor1, tensor2), backward, (tensor1, tensor2))
    return r


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    if not (tensor1.dtype.is_floating_point or tensor1.dtype.is_complex) and \
            not (tensor2.dtype.is_floating_point or tensor2.dtype.is_complex):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future release addcdiv "
                           "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
                           "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                           "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                           "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
                           "tensor2), for all dtypes.")
    with grad_mode.no_grad():
        q = div(tensor1, tensor2)
        r = add(input, q * value if value != 1 else q, out=out)
    if out is None and needs_grad(input, tensor1, tensor2):
        shapes = (input.shape, tensor1.shape, tensor2.shape)

        def backward(node, g):
            t1, t2 = node.saved(0), node.saved(1)
            gv = g * value if value != 1 else g
            return (sum_to(g, shapes[0]), sum_to(gv / t2, shapes[1]) if tensor1.requires_grad else None,
                    sum_to(-gv * t1 / (t2 * t2), shapes[2]) if tensor2.requires_grad else None)
        record("AddcdivBackward0", r, (input, tensor1, tensor2), backward, (tensor1, tensor2))
    return r


def positive(input):
    if input.dtype is D.bool_:
        raise TypeError("The `+` operator, on a bool tensor is not supported.")
    return input


def real(input):
    if not input.is_complex():
        return input
    return input._view_of(input._data.real, dtype=input.dtype.to_real())


def imag(input):
    if not input.is_complex():
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return input._view_of(input._data.imag, dtype=input.dtype.to_real())


def conj(input):
    if not input.is_complex():
        return input
    return _make(np.conj(input._data), input.dtype)


def angle(input):
    dt = input.dtype.to_real() if input.is_complex() else (input.dtype if input.dtype.is_floating_point
                                                            else D.get_default_dtype())
    return _make(np.angle(input._data).astype(dt._np), dt)


def deg2rad(input):
    return input * (math.pi / 180.0)


def rad2deg(input):
    return input * (180.0 / math.pi)


def sinc(input):
    dt = input.dtype if input.dtype.is_floating_point else D.get_default_dtype()
    r = _make(np.sinc(input._data.astype(_compute_np(dt))), dt)
    if needs_grad(input):
        def backward(node, g):
            x = node.saved(0)
            px = x * math.pi
            d = (cos(px) * px - sin(px)) / (px * x)
            return (g * where(x == 0, 0.0, d),)
        record("SincBackward0", r, (input,), backward, (input,))
    return r


def softplus_np(x, beta, threshold):
    return np.where(x * beta > threshold, x, np.log1p(np.exp(x * beta)) / beta)
