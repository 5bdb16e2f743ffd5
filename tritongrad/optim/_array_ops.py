"""PyTorch's in-place tensor ops, on numpy arrays, rounded the way PyTorch's CPU kernels round.

A CPU kernel computes in its "opmath" type (float64 for double tensors, float32 for float, half and
bfloat16), with Python scalars converted to that type, and rounds once when it stores the result. numpy
instead computes in the arrays' own dtype and converts Python scalars to it first, so ``x *= 0.999`` on a
bfloat16 array would multiply by 1.0. These helpers pin the loop dtype to the opmath type and keep
intermediate products in an opmath ``work`` array, so each helper rounds exactly once, like the op it
mirrors.

On float32 tensors the kernels of ``add``/``add_`` with ``alpha``, ``addcmul_`` and ``lerp_`` fuse the final
multiply-add into one FMA (vectorised and scalar loops alike). Products of float32 numbers are exact in
float64, so computing that multiply-add in float64 and rounding to float32 reproduces it. That costs about
four times a plain numpy pass, so it is done for ``add`` with ``alpha`` only, which makes float32 SGD
bit-identical to PyTorch's; Adam-like updates also go through PyTorch's float32 ``sqrt``, which on MKL
builds is not correctly rounded, so exactness there would not pay for the cost. float64 tensors get plain
numpy arithmetic (an ulp away where PyTorch fuses).
"""
import numpy as np


def opmath(arr):
    """numpy dtype PyTorch's CPU kernels compute ``arr``'s dtype in."""
    dtype = arr.dtype
    if dtype.kind == "c" or dtype == np.float64:
        return dtype.type
    return np.float32


def scalar(arr, value):
    """A Python scalar as PyTorch hands it to a kernel over ``arr``."""
    return opmath(arr)(value)


def work_like(arr):
    """A scratch array in ``arr``'s opmath dtype."""
    return np.empty(arr.shape, opmath(arr))


def mul_(x, value):
    """``x.mul_(value)``."""
    np.multiply(x, scalar(x, value), out=x)


def add_scalar_(x, value):
    """``x.add_(value)``: a Python scalar operand is first converted to ``x``'s dtype."""
    np.add(x, scalar(x, value), out=x)


def _alpha(x, alpha):
    # add's alpha is first converted to the tensor's own dtype (it matters for half and bfloat16)
    return opmath(x)(x.dtype.type(alpha))


def _fused(x):
    """Whether PyTorch's kernel over ``x`` fuses its multiply-add (float32, and complex64's real view)."""
    return x.dtype == np.float32


_wide_buffer = [np.empty(0, np.float64)]


def _wide_like(arr):
    """A float64 scratch of ``arr``'s shape, carved from one reused buffer (fresh large arrays would cost a
    page fault per page on every step)."""
    if _wide_buffer[0].size < arr.size:
        _wide_buffer[0] = np.empty(arr.size, np.float64)
    return _wide_buffer[0][:arr.size].reshape(arr.shape)


def _fma_into(out, a, b, c):
    """``out = a * b + c`` rounded once to float32 (``a``: float32 values, ``b``: a float32 scalar, so
    float64 holds a*b exactly)."""
    wide = _wide_like(a)
    wide[...] = a
    wide *= b
    wide += c
    out[...] = wide


def add_(x, y, work, alpha=1):
    """``x.add_(y, alpha=alpha)``."""
    if alpha == 1:
        np.add(x, y, out=x, dtype=opmath(x))
    elif _fused(x):
        _fma_into(x, y, np.float64(np.float32(alpha)), x)
    else:
        np.multiply(y, _alpha(x, alpha), out=work)
        np.add(x, work, out=x)


def add(x, y, work, alpha=1):
    """``x.add(y, alpha=alpha)``: a new array of ``x``'s dtype."""
    out = np.empty_like(x)
    if _fused(x):
        _fma_into(out, y, np.float64(np.float32(alpha)), x)
        return out
    np.multiply(y, _alpha(x, alpha), out=work)
    np.add(x, work, out=out)
    return out


def addcmul_(x, t1, t2, work, value=1):
    """``x.addcmul_(t1, t2, value=value)``: ``x + value * t1 * t2``."""
    np.multiply(t1, scalar(x, value), out=work)
    np.multiply(work, t2, out=work)
    np.add(x, work, out=x)


def addcdiv_(x, t1, t2, work, value=1):
    """``x.addcdiv_(t1, t2, value=value)``: ``x + value * t1 / t2``."""
    np.multiply(t1, scalar(x, value), out=work)
    np.divide(work, t2, out=work)
    np.add(x, work, out=x)


def _is_low_precision(arr):
    return arr.dtype.itemsize <= 2 and arr.dtype.kind != "c"


def lerp_(x, end, weight, work):
    """``x.lerp_(end, weight)`` with PyTorch's two-sided formula (exact at both ends)."""
    w = scalar(x, weight)
    if _is_low_precision(x):
        # the kernel fuses the multiply-add in float32; with half/bfloat16 operands float64 holds the
        # exact product, so rounding to float32 and then to the dtype reproduces it
        diff = end.astype(np.float64) - x.astype(np.float64)
        if abs(w) < 0.5:
            fused = x.astype(np.float64) + np.float64(w) * diff
        else:
            fused = end.astype(np.float64) - diff * np.float64(np.float32(1) - w)
        x[...] = fused.astype(np.float32)
        return
    np.subtract(end, x, out=work, dtype=work.dtype)
    if abs(w) < 0.5:
        np.multiply(work, w, out=work)
        np.add(x, work, out=x)
    else:
        np.multiply(work, opmath(x)(1) - w, out=work)
        np.subtract(end, work, out=x, dtype=work.dtype)


def div_scalar_(x, value):
    """``x.div_(value)``."""
    np.divide(x, scalar(x, value), out=x)


def sqrt(x):
    """``x.sqrt()``: a new array of ``x``'s dtype."""
    return np.sqrt(x, dtype=opmath(x)).astype(x.dtype, copy=False)


def _into(like, op, a, b):
    """``op(a, b)`` computed in ``like``'s opmath dtype and rounded once into a new array of ``like``'s dtype."""
    out = np.empty_like(like)
    op(a, b, out=out, dtype=opmath(like))
    return out


def mul(x, value):
    """``x * value`` for a Python scalar ``value``: a new array."""
    return _into(x, np.multiply, x, scalar(x, value))


def div(x, value):
    """``x / value`` for a Python scalar ``value``: a new array."""
    return _into(x, np.divide, x, scalar(x, value))


def rdiv(value, x):
    """``value / x`` for a Python scalar ``value``: a new array."""
    return _into(x, np.divide, scalar(x, value), x)


def mul_t(x, y):
    """``x * y`` elementwise: a new array of ``x``'s dtype."""
    return _into(x, np.multiply, x, y)


def sub_t(x, y):
    """``x - y`` elementwise: a new array of ``x``'s dtype."""
    return _into(x, np.subtract, x, y)


def mul_t_(x, y):
    """``x.mul_(y)`` elementwise."""
    np.multiply(x, y, out=x, dtype=opmath(x))


def div_t_(x, y):
    """``x.div_(y)`` elementwise."""
    np.divide(x, y, out=x, dtype=opmath(x))
