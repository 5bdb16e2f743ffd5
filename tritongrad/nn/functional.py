"""torch.nn.functional: activations, normalization, dropout, embedding, distances and losses.

Functions that PyTorch implements as one ATen op with its own backward node (GeluBackward0, NllLossBackward0,
NativeLayerNormBackward0, ...) compute their forward with numpy and record that node; the backward formulas are
written with tritongrad ops so that higher-order gradients work. Functions that PyTorch composes from other ops
(l1_loss, kl_div, cosine_similarity, ...) are composed the same way here, so their grad_fn names match.
"""
import math
import warnings

import numpy as np

import tritongrad as tg
from .. import _dtype as D
from .._tensor import Tensor, _scalar_type_name
from ..autograd import grad_mode
from ..autograd.grad_mode import no_grad
from .._ops._common import record, needs_grad, check_inplace, sum_to
from ._functional_spatial import *  # noqa: F401,F403  (conv, pooling, padding, interpolate: other file)
from ._functional_spatial import __all__ as _spatial_all
from ._functional_seq import *  # noqa: F401,F403  (rnn cells, attention: other file)
from ._functional_seq import __all__ as _seq_all

_make = Tensor._make
_HALF = (D.float16, D.bfloat16)


# ====================================================================== helpers
def _cnp(t):
    """numpy value of ``t`` in the dtype its math is done in (float32 for half types, as PyTorch's CPU does)."""
    a = t._data
    if t.dtype in _HALF:
        return a.astype(np.float32)
    return a


def _wrap(arr, dtype):
    arr = np.asarray(arr)
    if arr.dtype != dtype._np:
        arr = arr.astype(dtype._np)
    return _make(arr, dtype)


def _check_tensor(x, name, argpos=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument 'input' (position {argpos}) must be Tensor, not {type(x).__name__}")


def _custom(name, out, inputs, backward, saved=()):
    """Attach node ``name`` to ``out`` if any of ``inputs`` needs grad."""
    if needs_grad(*inputs):
        record(name, out, inputs, backward, saved)
    return out


_DOUBLE_BACKWARD_NAMES = {"CeluBackward0": "EluBackwardBackward0", "SiluBackward0": None, "MishBackward0": None,
                          "HardsigmoidBackward0": None}


def _pointwise(name, input, np_fn, backward):
    """An elementwise op with its own node; ``backward(g, x)`` gets the saved input (a tritongrad tensor).

    With ``create_graph``, the first derivative is presented as PyTorch's ``<Op>BackwardBackward0`` node over
    (the formula's graph, input): same name, and it requires grad whenever the input does, as in PyTorch."""
    _check_tensor(input, name[:-len("Backward0")].lower())
    out = _wrap(np_fn(_cnp(input)), input.dtype)
    if name.endswith("Backward0"):
        double_name = _DOUBLE_BACKWARD_NAMES.get(name, name[:-len("0")] + "Backward0")
    else:
        double_name = None

    def node_backward(node, g):
        x = node.saved(0)
        r = backward(g, x)
        if double_name is None or not grad_mode._state[0] or not needs_grad(g, x):
            return (r,)
        first = r.detach()
        # the x-dependence of the derivative (if any) is inside r's own graph; the direct edge carries zeros
        record(double_name, first, (r, x), lambda n2, gg: (gg, tg.zeros_like(x)))
        return (first,)

    return _custom(name, out, (input,), node_backward, (input,))


def _inplace_from(input, result):
    """Make ``input`` hold ``result`` (an out-of-place result) and take over its history, as an in-place op."""
    check_inplace(input)
    if result._grad_fn is not None and input._base is not None:
        # a view's base must learn about the write: let the core's copy_ rebase the history
        return input.copy_(result)
    input._data[...] = result._data
    input._vc[0] += 1
    if result._grad_fn is not None:
        input._grad_fn = result._grad_fn
        input._output_nr = result._output_nr
    return input


def _inplace_apply(fn, input, *args):
    """Run out-of-place ``fn`` on a copy of ``input``'s values (so saved tensors stay valid) and write it back."""
    check_inplace(input)
    if needs_grad(input):
        src = input.clone()
    else:
        src = input
    with no_grad() if not needs_grad(input) else _nullctx():
        res = fn(src, *args)
    if not needs_grad(input):
        input._data[...] = res._data
        input._vc[0] += 1
        return input
    return _inplace_from(input, res)


class _nullctx:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


# ====================================================================== linear
def linear(input, weight, bias=None):
    """y = x W^T + b."""
    if input.dim() == 2 and bias is not None:
        return tg.addmm(bias, input, weight.t())
    if bias is not None and input.dim() != 2 and input.is_contiguous():
        # PyTorch folds contiguous N-d input into one addmm and views the result back
        out = tg.addmm(bias, input.view(-1, input.shape[-1]), weight.t())
        return out.view(*input.shape[:-1], out.shape[-1])
    out = input.matmul(weight.t())
    if bias is not None:
        out = out + bias
    return out


def bilinear(input1, input2, weight, bias=None):
    """y = x1^T A x2 + b, with A of shape (out, in1, in2)."""
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match: got {input1.shape[i]} and "
                               f"{input2.shape[i]}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
                           f"expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
                           f"expected {weight.shape[2]}")
    lead = input1.shape[:-1]
    out_f, in1, in2 = weight.shape
    x1 = input1.reshape(-1, in1)
    x2 = input2.reshape(-1, in2)
    # (N, in1) @ (in1, out*in2) -> (N, out, in2), then contract with x2
    tmp = x1.matmul(weight.permute(1, 0, 2).reshape(in1, out_f * in2)).reshape(-1, out_f, in2)
    out = (tmp * x2.unsqueeze(1)).sum(-1)
    out = out.reshape(*lead, out_f)
    if bias is not None:
        out = out + bias
    return out


def identity(input):
    return input


# ====================================================================== activations
def relu(input, inplace=False):
    if inplace:
        return input.relu_()
    return tg.relu(input)


def relu_(input):
    return input.relu_()


def _hardtanh_impl(input, min_val, max_val):
    def fwd(a):
        return np.clip(a, min_val, max_val)

    def bwd(g, x):
        return g * ((x > min_val) & (x < max_val)).to(g.dtype)

    return _pointwise("HardtanhBackward0", input, fwd, bwd)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return _inplace_apply(_hardtanh_impl, input, min_val, max_val)
    return _hardtanh_impl(input, min_val, max_val)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


def _elu_impl(input, alpha=1.0, scale=1.0, input_scale=1.0, node="EluBackward0"):
    def fwd(a):
        with np.errstate(over="ignore"):
            neg = scale * alpha * np.expm1(np.minimum(a, 0) * input_scale)
        return np.where(a > 0, a * scale, neg)

    def bwd(g, x):
        pos = (x > 0).to(g.dtype)
        return g * (pos * scale + (1 - pos) * (scale * alpha * input_scale) * tg.exp(x.clamp(max=0) * input_scale))

    return _pointwise(node, input, fwd, bwd)


def elu(input, alpha=1.0, inplace=False):
    if inplace:
        return _inplace_apply(_elu_impl, input, alpha, 1.0, 1.0, "EluBackward1")
    return _elu_impl(input, alpha)


def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input, inplace=False):
    if inplace:
        return _inplace_apply(_elu_impl, input, _SELU_ALPHA, _SELU_SCALE, 1.0, "EluBackward1")
    return _elu_impl(input, _SELU_ALPHA, _SELU_SCALE)


def selu_(input):
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError")
    if inplace:
        return _inplace_apply(_elu_impl, input, alpha, 1.0, 1.0 / alpha, "CeluBackward1")
    return _elu_impl(input, alpha, 1.0, 1.0 / alpha, "CeluBackward0")


def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


def _leaky_impl(input, negative_slope, node="LeakyReluBackward0"):
    def fwd(a):
        return np.where(a > 0, a, a * np.asarray(negative_slope, a.dtype))

    def bwd(g, x):
        pos = (x > 0).to(g.dtype)
        return g * (pos + (1 - pos) * negative_slope)

    return _pointwise(node, input, fwd, bwd)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return _inplace_apply(_leaky_impl, input, negative_slope, "LeakyReluBackward1")
    return _leaky_impl(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def _rrelu_impl(input, lower, upper, training, generator=None):
    a = _cnp(input)
    if training:
        from .. import _random
        gen = _random._gen(generator)
        flat = np.ascontiguousarray(a).reshape(-1)
        neg = flat <= 0
        # one random64 per non-positive element, in memory order, scaled in double into [lower, upper), the
        # bounds first rounded to the input's compute dtype (as PyTorch's kernel takes them)
        lo = float(np.asarray(lower, dtype=a.dtype))
        hi = float(np.asarray(upper, dtype=a.dtype))
        r = gen._u53(int(neg.sum())) * (hi - lo) + lo
        noise = np.ones(flat.shape, dtype=a.dtype)
        noise[neg] = r.astype(a.dtype)
        noise = noise.reshape(a.shape)
        out = _wrap(a * noise, input.dtype)
    else:
        noise = np.where(a <= 0, np.asarray((lower + upper) / 2, dtype=a.dtype), np.asarray(1, dtype=a.dtype))
        out = _wrap(a * noise, input.dtype)
    noise_t = _wrap(noise, input.dtype)
    return _custom("RreluWithNoiseBackward0", out, (input,), lambda node, g: (g * noise_t,))


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Leaky ReLU whose negative slope is drawn from U(lower, upper) per element in training, else the mean."""
    if inplace:
        return _inplace_apply(_rrelu_impl, input, lower, upper, training)
    return _rrelu_impl(input, lower, upper, training)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


def prelu(input, weight):
    """max(0, x) + weight * min(0, x), weight per channel (dim 1) or shared."""
    n = weight.numel()
    if input.dim() == 0 and n != 1:
        raise RuntimeError("Not allow zero-dim input tensor.")
    channels = input.shape[1] if input.dim() >= 2 else 1
    if n != 1 and n != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = {n} "
                           f"and channel size = {channels}.")
    # PyTorch views the weight into the broadcast shape (except for 1-D input)
    if input.dim() >= 2:
        w_view = weight.view([n] + [1] * (input.dim() - 2)) if n != 1 else weight.view([1] * (input.dim() - 1))
    elif input.dim() == 0:
        w_view = weight.view(())
    else:
        w_view = weight
    a = _cnp(input)
    out = _wrap(np.where(a > 0, a, a * _cnp(w_view)), D.promote_types(input.dtype, weight.dtype))

    def backward(node, g):
        x, w = node.saved(0), node.saved(1)
        pos = (x > 0).to(g.dtype)
        gx = g * (pos + (1 - pos) * w)
        contrib = g * x * (1 - pos)
        return gx, sum_to(contrib, w.shape)

    return _custom("PreluKernelBackward0", out, (input, w_view), backward, (input, w_view))


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _erfc_approx(z):
    """erfc of a float64 array with relative error below 1.2e-7 everywhere (Chebyshev fit of the complementary
    error function); enough for float32/half results, ~50x faster than calling math.erf per element."""
    az = np.abs(z)
    t = 1.0 / (1.0 + 0.5 * az)
    poly = -az * az - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                                                                               + t * 0.17087277))))))))
    r = t * np.exp(poly)
    return np.where(z >= 0, r, 2.0 - r)


def _erf_approx(z):
    """erf of a float64 array: a Taylor series near 0 (where 1 - erfc would lose relative precision), the
    erfc fit elsewhere; relative error below ~1.2e-7."""
    small = np.abs(z) < 0.5
    z2 = z * z
    series = z * (1.0 + z2 * (-1.0 / 3 + z2 * (1.0 / 10 + z2 * (-1.0 / 42 + z2 * (1.0 / 216 + z2 * (
        -1.0 / 1320 + z2 * (1.0 / 9360 - z2 / 75600)))))))
    return np.where(small, series * (2.0 / math.sqrt(math.pi)), 1.0 - _erfc_approx(z))


def _gelu_np(a):
    """x * 0.5 * (1 + erf(x / sqrt(2))), rounded step by step in ``a``'s dtype as PyTorch's CPU kernel does."""
    dt = a.dtype.type
    if a.dtype == np.float64:
        with no_grad():
            erf = tg.erf(_make(a * _INV_SQRT_2, D.float64))._data
    else:
        erf = _erf_approx((a * dt(_INV_SQRT_2)).astype(np.float64)).astype(a.dtype)
    return (a * dt(0.5)) * (dt(1) + erf)


def _gelu_grad_np(a):
    """d gelu / dx = Phi(x) + x * phi(x)."""
    dt = a.dtype.type
    if a.dtype == np.float64:
        with no_grad():
            erf = tg.erf(_make(a * _INV_SQRT_2, D.float64))._data
    else:
        erf = _erf_approx((a * dt(_INV_SQRT_2)).astype(np.float64)).astype(a.dtype)
    pdf = np.exp(a * a * dt(-0.5)) * dt(_INV_SQRT_2PI)
    return dt(0.5) * (dt(1) + erf) + a * pdf


def gelu(input, approximate="none"):
    """x * Phi(x), or its tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    if approximate == "tanh":
        def fwd(a):
            inner = _SQRT_2_OVER_PI * (a + 0.044715 * a * a * a)
            return 0.5 * a * (1 + np.tanh(inner))

        def bwd(g, x):
            inner = _SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)
            t = tg.tanh(inner)
            d_inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
            return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * d_inner)
    else:
        fwd = _gelu_np

        def bwd(g, x):
            if not grad_mode._state[0]:
                # plain backward: the derivative is a constant of x, computed in numpy
                return g * _wrap(_gelu_grad_np(_cnp(x)), x.dtype)
            cdf = 0.5 * (1 + tg.erf(x * _INV_SQRT_2))
            pdf = tg.exp(-0.5 * x * x) * _INV_SQRT_2PI
            return g * (cdf + x * pdf)

    return _pointwise("GeluBackward0", input, fwd, bwd)


def _sigmoid_np(a):
    with np.errstate(over="ignore"):
        return np.where(a >= 0, 1 / (1 + np.exp(-np.abs(a))), np.exp(-np.abs(a)) / (1 + np.exp(-np.abs(a))))


def _softplus_np(a):
    # log(1 + exp(a)) without overflow
    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))


def _silu_impl(input):
    def bwd(g, x):
        s = tg.sigmoid(x)
        return g * (s * (1 + x * (1 - s)))

    return _pointwise("SiluBackward0", input, lambda a: a * _sigmoid_np(a), bwd)


def silu(input, inplace=False):
    if inplace:
        return _inplace_apply(_silu_impl, input)
    return _silu_impl(input)


def _mish_impl(input):
    def bwd(g, x):
        tsp = tg.tanh(softplus(x))
        return g * (tsp + x * tg.sigmoid(x) * (1 - tsp * tsp))

    return _pointwise("MishBackward0", input, lambda a: a * np.tanh(_softplus_np(a)), bwd)


def mish(input, inplace=False):
    if inplace:
        return _inplace_apply(_mish_impl, input)
    return _mish_impl(input)


def sigmoid(input):
    return tg.sigmoid(input)


def tanh(input):
    return tg.tanh(input)


def softplus(input, beta=1.0, threshold=20.0):
    def fwd(a):
        bx = a * beta
        with np.errstate(over="ignore"):
            return np.where(bx > threshold, a, np.log1p(np.exp(bx)) / beta)

    def bwd(g, x):
        bx = x * beta
        above = (bx > threshold).to(g.dtype)
        return g * (above + (1 - above) * tg.sigmoid(bx))

    return _pointwise("SoftplusBackward0", input, fwd, bwd)


def softsign(input):
    return input / (input.abs() + 1)


def hardsigmoid(input, inplace=False):
    def impl(x):
        def bwd(g, xs):
            return g * ((xs > -3) & (xs < 3)).to(g.dtype) / 6

        return _pointwise("HardsigmoidBackward0", x, lambda a: np.clip(a + 3, 0, 6) / 6, bwd)

    if inplace:
        return _inplace_apply(impl, input)
    return impl(input)


def hardswish(input, inplace=False):
    def impl(x):
        def bwd(g, xs):
            low = (xs < -3).to(g.dtype)
            high = (xs > 3).to(g.dtype)
            mid = 1 - low - high
            return g * (mid * (xs / 3 + 0.5) + high)

        return _pointwise("HardswishBackward0", x, lambda a: a * np.clip(a + 3, 0, 6) / 6, bwd)

    if inplace:
        return _inplace_apply(impl, input)
    return impl(input)


def logsigmoid(input):
    return _pointwise("LogSigmoidBackward0", input, lambda a: -_softplus_np(-a), lambda g, x: g * tg.sigmoid(-x))


def tanhshrink(input):
    return input - input.tanh()


def _threshold_impl(input, threshold_, value, node="ThresholdBackward0"):
    def fwd(a):
        return np.where(a > threshold_, a, np.asarray(value, a.dtype))

    return _pointwise(node, input, fwd, lambda g, x: g * (x > threshold_).to(g.dtype))


def threshold(input, threshold, value, inplace=False):
    if inplace:
        return _inplace_apply(_threshold_impl, input, threshold, value, "ThresholdBackward1")
    return _threshold_impl(input, threshold, value)


def threshold_(input, threshold, value):
    return globals()["threshold"](input, threshold, value, True)


def softshrink(input, lambd=0.5):
    if lambd < 0:
        raise RuntimeError(f"lambda must be greater or equal to 0, but found to be {lambd}.")

    def fwd(a):
        return np.where(a > lambd, a - lambd, np.where(a < -lambd, a + lambd, 0)).astype(a.dtype)

    return _pointwise("SoftshrinkBackward0", input, fwd, lambda g, x: g * (x.abs() > lambd).to(g.dtype))


def hardshrink(input, lambd=0.5):
    def fwd(a):
        return np.where((a >= -lambd) & (a <= lambd), 0, a).astype(a.dtype)

    return _pointwise("HardshrinkBackward0", input, fwd, lambda g, x: g * (x.abs() > lambd).to(g.dtype))


def glu(input, dim=-1):
    """a * sigmoid(b) where a, b are the two halves of ``input`` along ``dim``."""
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim + input.dim() if dim < 0 else dim
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    a_np, b_np = np.split(_cnp(input), 2, axis=d)
    out = _wrap(a_np * _sigmoid_np(b_np), input.dtype)

    def backward(node, g):
        x = node.saved(0)
        a, b = x.chunk(2, d)
        s = tg.sigmoid(b)
        return (tg.cat([g * s, g * a * s * (1 - s)], d),)

    return _custom("GluBackward0", out, (input,), backward, (input,))


def _get_softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X as "
                  "an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.log_softmax(dim)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return (-input).softmax(dim)


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """Samples from the Gumbel-softmax distribution (``hard``: one-hot, straight-through gradient)."""
    gumbels = -tg.empty_like(logits).exponential_().log()
    gumbels = (logits + gumbels) / tau
    y_soft = gumbels.softmax(dim)
    if hard:
        index = y_soft.max(dim, keepdim=True)[1]
        y_hard = tg.zeros_like(logits).scatter_(dim, index, 1.0)
        return y_hard - y_soft.detach() + y_soft
    return y_soft


# ====================================================================== normalization
def _norm_input_grad(x, g_xhat, dims, eps):
    """Gradient w.r.t. ``x`` of normalising over ``dims`` given the gradient w.r.t. x-hat (tritongrad ops, so
    it differentiates again)."""
    mu = x.mean(dims, keepdim=True)
    xc = x - mu
    var = (xc * xc).mean(dims, keepdim=True)
    rstd = (var + eps).rsqrt()
    xhat = xc * rstd
    return rstd * (g_xhat - g_xhat.mean(dims, keepdim=True) - xhat * (g_xhat * xhat).mean(dims, keepdim=True))


def _np_normalize(a, axes, eps):
    mu = a.mean(axis=axes, keepdims=True)
    xc = a - mu
    var = (xc * xc).mean(axis=axes, keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    return xc * rstd, mu, rstd


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dims, then scale and shift."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or input.dim() < k or tuple(input.shape[input.dim() - k:]) != normalized_shape:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{list(input.shape)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != normalized_shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                               f"{list(p.shape)} and normalized_shape = {list(normalized_shape)}")
    axes = tuple(range(input.dim() - k, input.dim()))
    xhat, _, _ = _np_normalize(_cnp(input), axes, eps)
    y = xhat
    if weight is not None:
        y = y * _cnp(weight)
    if bias is not None:
        y = y + _cnp(bias)
    out = _wrap(y, input.dtype)
    lead = tuple(range(input.dim() - k))

    def backward(node, g):
        x, w = node.saved(0), node.saved(1)
        gxhat = g * w if w is not None else g
        gx = _norm_input_grad(x, gxhat, axes, eps)
        gw = gb = None
        if w is not None or node.saved(2) is not None:
            mu = x.mean(axes, keepdim=True)
            xc = x - mu
            xh = xc * ((xc * xc).mean(axes, keepdim=True) + eps).rsqrt()
            if w is not None:
                gw = (g * xh).sum(lead) if lead else g * xh
            if node.saved(2) is not None:
                gb = g.sum(lead) if lead else g
        return gx, gw, gb

    return _custom("NativeLayerNormBackward0", out, (input, weight, bias), backward, (input, weight, bias))


def rms_norm(input, normalized_shape, weight=None, eps=None):
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    normalized_shape = tuple(normalized_shape)
    k = len(normalized_shape)
    if input.dim() < k or tuple(input.shape[input.dim() - k:]) != normalized_shape:
        raise RuntimeError(f"Given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in normalized_shape)}], but got input of size"
                           f"{list(input.shape)}")
    if eps is None:
        eps = tg.finfo(input.dtype).eps
    dims = tuple(range(input.dim() - k, input.dim()))
    out = input * (input.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    if weight is not None:
        out = out * weight
    return out


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise over groups of channels (dim 1) and the spatial dims, then scale and shift per channel."""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups != 0:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {list(input.shape)} and num_groups={num_groups}")
    shape = tuple(input.shape)
    bshape = (1, c) + (1,) * (input.dim() - 2)
    a = _cnp(input).reshape(n, num_groups, -1)
    xhat, _, _ = _np_normalize(a, (2,), eps)
    y = xhat.reshape(shape)
    if weight is not None:
        y = y * _cnp(weight).reshape(bshape)
    if bias is not None:
        y = y + _cnp(bias).reshape(bshape)
    out = _wrap(y, input.dtype)
    red = (0,) + tuple(range(2, input.dim()))

    def backward(node, g):
        x, w, b = node.saved(0), node.saved(1), node.saved(2)
        gxhat = g * w.reshape(bshape) if w is not None else g
        xg = x.reshape(n, num_groups, -1)
        gx = _norm_input_grad(xg, gxhat.reshape(n, num_groups, -1), (2,), eps).reshape(shape)
        gw = gb = None
        if w is not None:
            mu = xg.mean(2, keepdim=True)
            xc = xg - mu
            xh = (xc * ((xc * xc).mean(2, keepdim=True) + eps).rsqrt()).reshape(shape)
            gw = (g * xh).sum(red)
        if b is not None:
            gb = g.sum(red)
        return gx, gw, gb

    return _custom("NativeGroupNormBackward0", out, (input, weight, bias), backward, (input, weight, bias))


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Normalise each channel (dim 1) over the batch and spatial dims; updates running stats when training."""
    if training:
        size = input.shape
        count = 1
        for i, s in enumerate(size):
            if i != 1:
                count *= s
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")
    elif running_mean is None or running_var is None:
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be defined in evaluation mode")
    c = input.shape[1] if input.dim() > 1 else input.shape[0]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    bshape = (1, c) + (1,) * (input.dim() - 2)
    red = (0,) + tuple(range(2, input.dim()))
    a = _cnp(input)
    if training:
        # Statistics accumulate in double, as PyTorch's CPU kernel does.
        wide = a.astype(np.float64)
        mu = wide.mean(axis=red, keepdims=True)
        mean_for_affine = mu
        invstd = 1.0 / np.sqrt(((wide - mu) ** 2).mean(axis=red, keepdims=True) + eps)
        if running_mean is not None or running_var is not None:
            n = a.size // c
            with no_grad():
                if running_mean is not None:
                    new = (1 - momentum) * _cnp(running_mean) + momentum * mu.reshape(c)
                    running_mean._data[...] = new.astype(running_mean.dtype._np)
                    running_mean._vc[0] += 1
                if running_var is not None:
                    var_unbiased = ((a - mu) ** 2).sum(axis=red) / max(n - 1, 1)
                    new = (1 - momentum) * _cnp(running_var) + momentum * var_unbiased.reshape(c)
                    running_var._data[...] = new.astype(running_var.dtype._np)
                    running_var._vc[0] += 1
    else:
        rm = _cnp(running_mean).reshape(bshape)
        rstd_np = 1.0 / np.sqrt(_cnp(running_var).reshape(bshape) + eps)
        mean_for_affine, invstd = rm, rstd_np
        eval_rstd = _wrap(rstd_np, input.dtype)
        eval_mean = _wrap(rm, input.dtype)
    # PyTorch folds normalisation and affine into y = x * alpha + beta per channel (alpha, beta in the
    # input's compute dtype) and evaluates it as one fused multiply-add; rounding once from double does the same.
    alpha = invstd.astype(a.dtype)
    if weight is not None:
        alpha = alpha * _cnp(weight).reshape(bshape)
    beta = -(mean_for_affine.astype(a.dtype) * alpha)
    if bias is not None:
        beta = _cnp(bias).reshape(bshape) - mean_for_affine.astype(a.dtype) * alpha
    y = a.astype(np.float64) * alpha.astype(np.float64) + beta.astype(np.float64)
    out = _wrap(y.astype(a.dtype), input.dtype)

    def backward(node, g):
        x, w, b = node.saved(0), node.saved(1), node.saved(2)
        gxhat = g * w.reshape(bshape) if w is not None else g
        if training:
            gx = _norm_input_grad(x, gxhat, red, eps)
            mu = x.mean(red, keepdim=True)
            xc = x - mu
            xh = xc * ((xc * xc).mean(red, keepdim=True) + eps).rsqrt()
        else:
            gx = gxhat * eval_rstd
            xh = (x - eval_mean) * eval_rstd
        gw = (g * xh).sum(red) if w is not None else None
        gb = g.sum(red) if b is not None else None
        return gx, gw, gb

    return _custom("NativeBatchNormBackward0", out, (input, weight, bias), backward, (input, weight, bias))


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """x / (k + alpha * mean of x^2 over ``size`` neighbouring channels)^beta."""
    dim = input.dim()
    if dim < 3:
        # PyTorch's message carries the indentation of its source line
        raise ValueError(f"Expected 3D or higher dimensionality                          input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    sq = input.mul(input)
    before, after = size // 2, (size - 1) // 2
    if dim == 3:
        windows = pad(sq.unsqueeze(1), (0, 0, before, after))
        div = avg_pool2d(windows, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        windows = pad(sq.view(sizes[0], 1, sizes[1], sizes[2], -1), (0, 0, 0, 0, before, after))
        div = avg_pool3d(windows, (size, 1, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Normalise each (sample, channel) over the spatial dims."""
    if use_input_stats:
        size = input.shape
        count = 1
        for s in size[2:]:
            count *= s
        if count == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input size {size}")
    n, c = input.shape[0], input.shape[1]
    # as PyTorch does: batch norm over a (1, N*C, ...) view, running stats averaged over the batch
    rm = running_mean.repeat(n) if running_mean is not None else None
    rv = running_var.repeat(n) if running_var is not None else None
    w = weight.repeat(n) if weight is not None else None
    b = bias.repeat(n) if bias is not None else None
    x = input.reshape(1, n * c, *input.shape[2:])
    out = batch_norm(x, rm, rv, w, b, use_input_stats, momentum, eps)
    with no_grad():
        if running_mean is not None:
            running_mean.copy_(rm.view(n, c).mean(0))
        if running_var is not None:
            running_var.copy_(rv.view(n, c).mean(0))
    return out.view(input.shape)


# ====================================================================== dropout
def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _zeros_scalar(input):
    return _make(np.zeros((), dtype=input.dtype._np), input.dtype)


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p)."""
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        return input.mul_(_zeros_scalar(input)) if inplace else input * _zeros_scalar(input)
    from .._random import dropout_mask
    mask = dropout_mask(input, p)
    return input.mul_(mask) if inplace else input * mask


def _feature_dropout(input, p, training, inplace):
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        return input.mul_(_zeros_scalar(input)) if inplace else input * _zeros_scalar(input)
    from .._random import feature_dropout_mask
    mask = feature_dropout_mask(input, p)
    return input.mul_(mask) if inplace else input * mask


def dropout1d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. Note that "
                           "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a "
                           "channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if inp_dim == 2:
        x = input.unsqueeze(0)
        out = _feature_dropout(x, p, training, inplace)
        return input if out is x and not inplace else (out.squeeze(0) if not inplace else input)
    return _feature_dropout(input, p, training, inplace)


def dropout2d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if inp_dim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
                      "This behavior will change in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please "
                      "switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D "
                      "inputs).", stacklevel=2)
    if inp_dim == 4:
        x = input.unsqueeze(0)
        out = _feature_dropout(x, p, training, inplace)
        return input if out is x and not inplace else (out.squeeze(0) if not inplace else input)
    return _feature_dropout(input, p, training, inplace)


_ALPHA_DROPOUT_ALPHA = 1.7580993408473766


def _alpha_dropout_impl(input, p, training, inplace, feature):
    _check_p(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        return input.mul_(_zeros_scalar(input)) if inplace else input * _zeros_scalar(input)
    from .._random import dropout_mask, feature_dropout_mask
    scaled = feature_dropout_mask(input, p) if feature else dropout_mask(input, p)
    # the masks are bernoulli(1-p)/(1-p); alpha dropout needs the 0/1 draws themselves
    keep = (scaled != 0).to(input.dtype)
    alpha = _ALPHA_DROPOUT_ALPHA
    a = 1.0 / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    b = keep.add(-1).mul_(alpha * a).add_(alpha * a * p)
    noise = keep.mul_(a)
    if inplace:
        return input.mul_(noise).add_(b)
    return (input * noise).add_(b) if not needs_grad(input) else input * noise + b


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    return _alpha_dropout_impl(input, p, training, inplace, False)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    return _alpha_dropout_impl(input, p, training, inplace, True)


# ====================================================================== embedding, one_hot, distances
def one_hot(tensor, num_classes=-1):
    """(*) int64 class indices -> (*, num_classes) int64 one-hot."""
    if tensor.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    a = tensor._data
    if num_classes == -1:
        if a.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(a.max()) + 1
    if a.size:
        if a.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if a.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(a.shape + (num_classes,), dtype=np.int64)
    if a.size:
        np.put_along_axis(out, a[..., None], 1, axis=-1)
    return _make(out, D.int64)


def _embedding_renorm_(weight, input, max_norm, norm_type):
    rows = np.unique(input._data.reshape(-1))
    w = weight._data
    for r in rows:
        row = w[r].astype(np.float64)
        if norm_type == math.inf:
            norm = np.abs(row).max()
        else:
            norm = (np.abs(row) ** norm_type).sum() ** (1.0 / norm_type)
        if norm > max_norm:
            w[r] = (w[r] * np.asarray(max_norm / (norm + 1e-7), dtype=w.dtype)).astype(w.dtype)
    weight._vc[0] += 1


def _segment_sum(ids, values, n):
    """Row ``i`` of the result is the sum of the rows of ``values`` (m, d) whose id is ``i`` (one bincount)."""
    m, d = values.shape
    if m == 0:
        return np.zeros((n, d), dtype=values.dtype)
    keys = (ids.astype(np.int64)[:, None] * d + np.arange(d)).ravel()
    sums = np.bincount(keys, weights=values.ravel().astype(np.float64), minlength=n * d)
    return sums.reshape(n, d).astype(values.dtype)


def _rows_sum(num, rows, values):
    """``zeros(num, d).index_add(0, rows, values)``; in a plain backward (no graph to build) it is a single
    bincount, much faster than scattered adds."""
    if grad_mode._state[0]:
        return tg.zeros((num,) + tuple(values.shape[1:]), dtype=values.dtype).index_add(
            0, _make(np.ascontiguousarray(rows, dtype=np.int64), D.int64), values)
    v = _cnp(values)
    return _wrap(_segment_sum(rows, v.reshape(v.shape[0], -1), num).reshape((num,) + v.shape[1:]), values.dtype)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` looked up by the integer indices in ``input``."""
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding)")
    idx = input._data.astype(np.int64, copy=False)
    num = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        with no_grad():
            _embedding_renorm_(weight, input, max_norm, norm_type)
    out = _make(np.take(weight._data, idx, axis=0), weight.dtype)
    if sparse:
        warnings.warn("tritongrad has no sparse tensors: Embedding(sparse=True) produces a dense gradient")

    def backward(node, g):
        dim = weight.shape[1]
        flat = idx.reshape(-1)
        g2 = g.reshape(-1, dim)
        keep = flat != padding_idx
        scale = np.ones(flat.shape, dtype=np.float64)
        if scale_grad_by_freq:
            counts = np.bincount(flat, minlength=num)
            scale = 1.0 / counts[flat]
        scale = np.where(keep, scale, 0.0)
        if not keep.all() or scale_grad_by_freq:
            g2 = g2 * _wrap(scale.reshape(-1, 1), g.dtype)
        return (_rows_sum(num, flat, g2),)

    return _custom("EmbeddingBackward0", out, (weight,), backward)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """Sums, means or maxes of bags of embeddings: rows of a 2-D ``input``, or the slices of a 1-D ``input``
    that start at ``offsets``."""
    if weight.dtype in (D.int64, D.int32) and input.dtype.is_floating_point:
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.")
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             "fixed length sequences. However, found offsets of type <class 'torch.Tensor'>")
        n_bags, bag_len = input.shape
        starts = np.arange(n_bags, dtype=np.int64) * bag_len
        flat_idx = input._data.reshape(-1)
        ends = starts + bag_len
        psw = per_sample_weights.reshape(-1) if per_sample_weights is not None else None
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        flat_idx = input._data
        off = offsets._data.astype(np.int64)
        if off.size and off[0] != 0:
            raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                               f"position 0. However, got {int(off[0])}\n[ torch.LongTensor{{}} ]")
        if include_last_offset:
            starts, ends = off[:-1], off[1:]
        else:
            starts = off
            ends = np.append(off[1:], flat_idx.size).astype(np.int64)
        n_bags = starts.size
        psw = per_sample_weights
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    if input.dtype not in (D.int64, D.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got {input.type()} instead (while checking arguments for embedding_bag)")
    num, dim = weight.shape
    flat_idx = flat_idx.astype(np.int64)
    bad = np.nonzero((flat_idx < 0) | (flat_idx >= num))[0]
    if bad.size:
        if input.dim() == 2:
            raise RuntimeError("Expected i < index_size to be true, but got false.  (Could this error message be "
                               "improved?  If so, please report an enhancement request to PyTorch.)")
        # PyTorch reports the position inside the offending bag
        b = int(np.searchsorted(starts, bad[0], side="right")) - 1
        raise RuntimeError(f"Index {int(bad[0] - starts[max(b, 0)])} of input takes value {int(flat_idx[bad[0]])} "
                           f"which is not in the valid range [0, {num})")
    if padding_idx is not None:
        if padding_idx < 0:
            padding_idx += num
    if max_norm is not None:
        with no_grad():
            _embedding_renorm_(weight, _make(flat_idx.copy(), D.int64), max_norm, norm_type)
    # bag id of every index position (positions past the last bag's end belong to no bag)
    seg = np.full(flat_idx.size, -1, dtype=np.int64)
    lengths = np.clip(np.minimum(ends, flat_idx.size) - starts, 0, None)
    if lengths.sum():
        first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        seg[np.repeat(starts - first, lengths) + np.arange(lengths.sum())] = np.repeat(np.arange(n_bags), lengths)
    keep = seg >= 0
    if padding_idx is not None:
        keep &= flat_idx != padding_idx
    pos = np.nonzero(keep)[0]
    rows = flat_idx[pos]
    bags = seg[pos]
    w = _cnp(weight)
    counts = np.bincount(bags, minlength=n_bags)
    if mode == "max":
        out = np.zeros((n_bags, dim), dtype=w.dtype)
        arg = np.full((n_bags, dim), -1, dtype=np.int64)
        for b in range(n_bags):
            sel = rows[bags == b]
            if sel.size:
                vals = w[sel]
                k = vals.argmax(axis=0)
                out[b] = vals[k, np.arange(dim)]
                arg[b] = sel[k]
    else:
        contrib = w[rows]
        if psw is not None:
            contrib = contrib * _cnp(psw).reshape(-1)[pos][:, None]
        out = _segment_sum(bags, contrib, n_bags)
        if mode == "mean":
            out = out / np.maximum(counts, 1)[:, None]
    result = _wrap(out, weight.dtype)
    if sparse:
        warnings.warn("tritongrad has no sparse tensors: embedding_bag(sparse=True) produces a dense gradient")

    def backward(node, g):
        wsaved = node.saved(0)
        if mode == "max":
            valid = arg >= 0
            flat_pos = (arg * dim + np.arange(dim))[valid]
            gw = tg.zeros(num * dim, dtype=g.dtype).index_add(
                0, _make(flat_pos.astype(np.int64), D.int64), g.reshape(-1)[_make(np.nonzero(valid.reshape(-1))[0],
                                                                                  D.int64)])
            return gw.reshape(num, dim), None
        scale = np.ones(rows.size, dtype=np.float64)
        if mode == "mean":
            scale = scale / np.maximum(counts, 1)[bags]
        if scale_grad_by_freq:
            freq = np.bincount(rows, minlength=num)
            scale = scale / freq[rows]
        g_rows = g.index_select(0, _make(bags.copy(), D.int64))
        per_row = g_rows * _wrap(scale.reshape(-1, 1), g.dtype)
        gpsw = None
        if psw is not None:
            ps = node.saved(1).reshape(-1).index_select(0, _make(pos.copy(), D.int64))
            per_row = per_row * ps.unsqueeze(1)
            dots = (wsaved.index_select(0, _make(rows.copy(), D.int64)) * g_rows).sum(1)
            gpsw_flat = tg.zeros(flat_idx.size, dtype=g.dtype).index_add(0, _make(pos.copy(), D.int64), dots)
            gpsw = gpsw_flat.reshape(per_sample_weights.shape)
        return _rows_sum(num, rows, per_row), gpsw

    return _custom("EmbeddingBagBackward0", result, (weight, per_sample_weights), backward,
                   (weight, per_sample_weights))


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """p-norm of ``x1 - x2 + eps`` over the last dim."""
    output_dim = max(x1.dim(), x2.dim())
    innermost = output_dim - 1
    if output_dim == 0:
        return (x1 - x2 + eps).abs()
    return tg.norm(x1 - x2 + eps, p, innermost, keepdim)


def _clamped_norm(x, dim, eps):
    n = x.norm(2, dim, True)
    # clamp the value only: the gradient flows as if unclamped (PyTorch clamps under no_grad)
    with no_grad():
        shift = n.clamp_min(eps) - n
    return n + shift


def pdist(input, p=2):
    """p-norm distances between all pairs of rows of a 2-D ``input`` (upper triangle, row-major)."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    rows_i, rows_j = np.triu_indices(n, 1)
    a = _cnp(input)
    diff = a[rows_i] - a[rows_j]
    if p == 0:
        dist = (diff != 0).sum(axis=1).astype(a.dtype)
    elif p == math.inf:
        dist = np.abs(diff).max(axis=1, initial=0)
    else:
        dist = (np.abs(diff) ** p).sum(axis=1) ** (1.0 / p)
    out = _wrap(dist, input.dtype)
    ii = _make(rows_i.astype(np.int64), D.int64)
    jj = _make(rows_j.astype(np.int64), D.int64)

    def backward(node, g):
        x = node.saved(0)
        if p == 0 or rows_i.size == 0:
            return (tg.zeros_like(x),)
        d = x.index_select(0, ii) - x.index_select(0, jj)
        dist_t = tg.norm(d, p, 1, True)
        if p == math.inf:
            coef = d.sign() * (d.abs() == dist_t).to(d.dtype)
        elif p == 1:
            coef = d.sign()
        else:
            safe = tg.where(dist_t == 0, tg.ones_like(dist_t), dist_t)
            coef = d.sign() * d.abs().pow(p - 1) / safe.pow(p - 1)
            coef = tg.where(dist_t == 0, tg.zeros_like(coef), coef)
        contrib = coef * g.unsqueeze(1)
        return (tg.zeros_like(x).index_add(0, ii, contrib).index_add(0, jj, -contrib),)

    return _custom("PdistBackward0", out, (input,), backward, (input,))


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim``."""
    common = D.promote_types(x1.dtype, x2.dtype)
    if not common.is_floating_point:
        common = D.get_default_dtype()
    x1 = x1.to(common)
    x2 = x2.to(common)
    x1, x2 = tg.broadcast_tensors(x1, x2)
    n1 = _clamped_norm(x1, dim, eps)
    n2 = _clamped_norm(x2, dim, eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """``input`` divided by its ``p``-norm over ``dim`` (at least ``eps``)."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    if out is None:
        return input / denom
    return tg.div(input, denom, out=out)


# ====================================================================== losses
_REDUCTIONS = ("none", "mean", "sum")


def _legacy_reduction(size_average, reduce, emit_warning=True):
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
                      stacklevel=3)
    return ret


def _reduction(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _apply_reduction(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _weighted_reduction(loss, weight, reduction):
    """'mean' of a weighted elementwise loss divides by the total weight (as PyTorch's mse/l1 with weight=)."""
    if reduction == "mean":
        return loss.sum() / weight.expand(loss.shape).sum()
    return _apply_reduction(loss, reduction)


def _reduce_np(arr, reduction):
    if reduction == "mean":
        return np.asarray(arr.mean() if arr.size else np.nan, dtype=arr.dtype)
    if reduction == "sum":
        return np.asarray(arr.sum(), dtype=arr.dtype)
    return arr


def _grad_scale(g, reduction, n):
    """The incoming loss gradient broadcast per element (mean divides by the element count)."""
    if reduction == "mean":
        return g / n
    return g


def _warn_size(input, target):
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input size ({input.size()}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
                      "same size.", stacklevel=3)


def _not_differentiable_target(fn, target):
    if grad_mode._state[0] and target.requires_grad:
        raise RuntimeError(f"The function '{fn}' is not differentiable with respect to argument 'target'. This input "
                           "cannot have requires_grad True.")


def _pointwise_loss(name, input, target, reduction, np_fn, grad_fn):
    """A loss that PyTorch computes as one op: elementwise ``np_fn(x, t)``, reduced; ``grad_fn(x, t)`` is
    d loss / d x per element (tritongrad ops); the target gets the negative of it."""
    if input.shape != target.shape:
        input, target = tg.broadcast_tensors(input, target)
    dt = D.promote_types(input.dtype, target.dtype)
    loss = np_fn(_cnp(input).astype(dt._np if dt not in _HALF else np.float32),
                 _cnp(target).astype(dt._np if dt not in _HALF else np.float32))
    out = _wrap(_reduce_np(loss, reduction), dt)
    n = input.numel()

    def backward(node, g):
        x, t = node.saved(0), node.saved(1)
        d = _grad_scale(g, reduction, n) * grad_fn(x, t)
        return d, -d

    return _custom(name, out, (input, target), backward, (input, target))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    reduction = _reduction(size_average, reduce, reduction)
    _warn_size(input, target)
    if weight is not None:
        input, target = tg.broadcast_tensors(input, target)
        return _weighted_reduction((input - target) ** 2 * weight, weight, reduction)
    return _pointwise_loss("MseLossBackward0", input, target, reduction, lambda x, t: (x - t) ** 2,
                           lambda x, t: 2 * (x - t))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    reduction = _reduction(size_average, reduce, reduction)
    _warn_size(input, target)
    input, target = tg.broadcast_tensors(input, target)
    loss = (input - target).abs()
    if weight is not None:
        return _weighted_reduction(loss * weight, weight, reduction)
    return _apply_reduction(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    reduction = _reduction(size_average, reduce, reduction)
    _warn_size(input, target)
    if beta == 0.0:
        input, target = tg.broadcast_tensors(input, target)
        return _apply_reduction((input - target).abs(), reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")

    def fwd(x, t):
        z = np.abs(x - t)
        return np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)

    def grad(x, t):
        d = x - t
        inside = (d.abs() < beta).to(d.dtype)
        return inside * d / beta + (1 - inside) * d.sign()

    return _pointwise_loss("SmoothL1LossBackward0", input, target, reduction, fwd, grad)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    _warn_size(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")

    def fwd(x, t):
        z = np.abs(x - t)
        return np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))

    def grad(x, t):
        d = x - t
        inside = (d.abs() <= delta).to(d.dtype)
        return inside * d + (1 - inside) * delta * d.sign()

    if weight is not None:
        input, target = tg.broadcast_tensors(input, target)
        loss = _pointwise_loss("HuberLossBackward0", input, target, "none", fwd, grad)
        return _apply_reduction(loss * weight, reduction)
    return _pointwise_loss("HuberLossBackward0", input, target, reduction, fwd, grad)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    _not_differentiable_target("soft_margin_loss", target)
    if input.shape != target.shape:
        input, target = tg.broadcast_tensors(input, target)
    loss = np.log1p(np.exp(-_cnp(target) * _cnp(input)))
    out = _wrap(_reduce_np(loss, reduction), input.dtype)
    n = input.numel()

    def backward(node, g):
        x, t = node.saved(0), node.saved(1)
        z = tg.exp(-t * x)
        return (_grad_scale(g, reduction, n) * (-t * z / (z + 1)),)

    return _custom("SoftMarginLossBackward0", out, (input,), backward, (input, target))


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        weight = weight.expand(tg.broadcast_shapes(tuple(target.shape), tuple(weight.shape)))
    x = _cnp(input)
    if x.size and (np.any(x < 0) or np.any(x > 1) or np.any(np.isnan(x))):
        raise RuntimeError("all elements of input should be between 0 and 1")
    t = _cnp(target)
    with np.errstate(divide="ignore"):
        loss = -(t * np.maximum(np.log(x), -100) + (1 - t) * np.maximum(np.log1p(-x), -100))
    if weight is not None:
        loss = loss * _cnp(weight)
    out = _wrap(_reduce_np(loss.astype(x.dtype), reduction), input.dtype)
    n = input.numel()

    def backward(node, g):
        xs, ts, w = node.saved(0), node.saved(1), node.saved(2)
        gs = _grad_scale(g, reduction, n)
        gx = gs * (xs - ts) / ((1 - xs) * xs).clamp_min(1e-12)
        gt = gs * (tg.log1p(-xs).clamp_min(-100) - tg.log(xs).clamp_min(-100))
        if w is not None:
            gx = gx * w
            gt = gt * w
        return gx, gt

    return _custom("BinaryCrossEntropyBackward0", out, (input, target), backward, (input, target, weight))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    reduction = _reduction(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    x = _cnp(input)
    t = _cnp(target)
    # log(1 + exp(-x)) computed stably
    log_sig_neg = np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))
    if pos_weight is not None:
        lw = 1 + (_cnp(pos_weight) - 1) * t
        loss = (1 - t) * x + lw * log_sig_neg
    else:
        loss = (1 - t) * x + log_sig_neg
    if weight is not None:
        loss = loss * _cnp(weight)
    loss = np.asarray(loss)
    out_dtype = input.dtype
    out = _wrap(_reduce_np(loss.astype(x.dtype), reduction), out_dtype)
    n = loss.size

    def backward(node, g):
        xs, ts, w, pw = node.saved(0), node.saved(1), node.saved(2), node.saved(3)
        gs = _grad_scale(g, reduction, n)
        s = tg.sigmoid(xs)
        if pw is not None:
            gx = gs * (s * (1 + (pw - 1) * ts) - pw * ts)
            gt = gs * ((pw - 1) * -logsigmoid(xs) - xs)
        else:
            gx = gs * (s - ts)
            gt = gs * -xs
        if w is not None:
            gx = gx * w
            gt = gt * w
        return gx, gt

    return _custom("BinaryCrossEntropyWithLogitsBackward0", out, (input, target), backward,
                   (input, target, weight, pos_weight))


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction not in ("none", "mean", "sum", "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if log_target:
        loss = tg.exp(target) * (target - input)
    else:
        loss = tg.xlogy(target, target) - target * input
    if reduction == "batchmean":
        if input.dim() == 0:
            return loss.sum()
        return loss.sum() / input.size(0)
    return _apply_reduction(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if log_input:
        loss = tg.exp(input) - target * input
    else:
        loss = input - target * tg.log(input + eps)
    if full:
        stirling = target * tg.log(target) - target + 0.5 * tg.log(2 * math.pi * target)
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _apply_reduction(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = input.new_full((), float(var))
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = var.unsqueeze(-1)
        elif input.size()[:-1] == var.size()[:-1] and var.size(-1) == 1:
            pass
        elif var.dim() == 0:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    if bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (tg.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _apply_reduction(loss, reduction)


def _nll_check(input, target):
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and input.size(0) != target.size(0):
        raise ValueError(f"Expected input batch_size ({input.size(0)}) to match target batch_size "
                         f"({target.size(0)}).")
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_scalar_type_name(target.dtype)}")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log likelihood: ``-input[n, target[n]]`` per sample (times the class weight)."""
    reduction = _reduction(size_average, reduce, reduction)
    _nll_check(input, target)
    c = input.shape[1] if input.dim() >= 2 else input.shape[0]
    if input.dim() == 1:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif input.dim() == 2:
        if target.dim() != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    else:
        expected = (input.shape[0],) + tuple(input.shape[2:])
        if tuple(target.shape) != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
    if input.dim() == 3 or input.dim() > 4:
        # as PyTorch: fold the trailing dims into a 4-D problem, then view the per-element result back
        n = input.shape[0]
        out_size = (n,) + tuple(input.shape[2:])
        x4 = input.contiguous().view(n, c, 1, -1)
        t4 = target.contiguous().view(n, 1, -1)
        out = nll_loss(x4, t4, weight, None, ignore_index, None, reduction)
        return out.view(out_size) if reduction == "none" else out
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no classes but got "
                           f"weight tensor of shape: {list(weight.shape)}")
    x = _cnp(input)
    # move the class dim last: (N, d1.., C)
    if input.dim() == 1:
        xl = x.reshape(1, c)
        tl = target._data.astype(np.int64).reshape(1)
    else:
        xl = np.moveaxis(x, 1, -1)
        tl = target._data.astype(np.int64)
    valid = tl != ignore_index
    bad = valid & ((tl < 0) | (tl >= c))
    if bad.any():
        raise IndexError(f"Target {int(tl[bad].flat[0])} is out of bounds.")
    safe_t = np.where(valid, tl, 0)
    w_np = _cnp(weight).astype(x.dtype) if weight is not None else np.ones(c, dtype=x.dtype)
    w_t = np.where(valid, w_np[safe_t], 0).astype(x.dtype)
    picked = np.take_along_axis(xl, safe_t[..., None], axis=-1)[..., 0]
    losses = -(picked * w_t)
    losses = np.where(valid, losses, 0).astype(x.dtype)
    total_weight = w_t.sum(dtype=x.dtype)
    if reduction == "none":
        res = losses if input.dim() != 1 else losses.reshape(())
    elif reduction == "sum":
        res = np.asarray(losses.sum(dtype=x.dtype))
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            res = np.asarray(losses.sum(dtype=x.dtype) / total_weight)
    out = _wrap(res, input.dtype)

    def backward(node, g):
        # d loss / d input is -w[t] at the target class (0 elsewhere), scaled by the reduction
        coef = np.where(valid, -w_t, 0).astype(x.dtype)  # +0 for ignored targets, as PyTorch's
        if reduction == "mean":
            coef = coef / total_weight
        onehot = np.zeros(xl.shape, dtype=x.dtype)
        np.put_along_axis(onehot, safe_t[..., None], coef[..., None].astype(x.dtype), axis=-1)
        if input.dim() == 1:
            onehot = onehot.reshape(c)
        else:
            onehot = np.moveaxis(onehot, -1, 1)
        m = _wrap(np.ascontiguousarray(onehot), input.dtype)
        if reduction == "none" and input.dim() >= 2:
            return (m * g.unsqueeze(1),)
        return (m * g,)

    return _custom("NllLoss2DBackward0" if input.dim() == 4 else "NllLossBackward0", out, (input,), backward)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """log_softmax over the class dim (1, or 0 for unbatched input) followed by nll_loss, or the soft-label loss
    for class-probability targets."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim] if input.dim() >= 1 else 1
    logp = input.log_softmax(class_dim)
    if target.dtype.is_floating_point and target.shape == input.shape:
        if ignore_index != -100:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        wshape = [1] * input.dim()
        wshape[class_dim] = n_classes
        if weight is not None:
            loss = -(logp * weight.view(wshape) * target).sum(class_dim)
        else:
            loss = -(logp * target).sum(class_dim)
        if reduction == "mean":
            if input.numel() == 0:
                return loss.sum() * float("nan")
            return loss.sum() / (input.numel() // n_classes)
        return _apply_reduction(loss, reduction) if reduction == "sum" else loss
    if target.dtype.is_floating_point and input.dim() >= 1 and target.dim() != input.dim() - 1 \
            and target.dim() == input.dim():
        if input.dim() > 1 and target.shape[0] != input.shape[0]:
            raise ValueError(f"Expected input batch_size ({input.size(0)}) to match target batch_size "
                             f"({target.size(0)}).")
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    nll = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0:
        return nll
    ignore_mask = target == ignore_index
    wshape = [1] * input.dim()
    wshape[class_dim] = n_classes
    if weight is not None:
        smooth = -(logp * weight.view(wshape)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignore_mask, 0.0)
    if reduction == "mean":
        if weight is not None:
            kept = target[~ignore_mask].reshape(-1)
            ret = smooth.sum() / weight.gather(0, kept).sum()
        else:
            ret = smooth.sum() / (~ignore_mask).sum()
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / n_classes)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    targ_dim = target.dim()
    if targ_dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if targ_dim == 1:
        if input1.dim() != 2 or input2.dim() != 2:
            raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                               f"{list(input1.shape)} and {list(input2.shape)}.")
    else:
        if input1.dim() != 1 or input2.dim() != 1:
            raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                               f"{list(input1.shape)} and {list(input2.shape)}.")
    eps = 1e-12
    dim = targ_dim
    prod_sum = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod_sum / (mag1 * mag2).sqrt()
    zeros = tg.zeros_like(cos)
    pos = 1 - cos
    neg = (cos - margin).clamp_min(0)
    out = tg.where(target == 1, pos, zeros) + tg.where(target == -1, neg, zeros)
    return _apply_reduction(out, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _apply_reduction(loss, reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    zeros = tg.zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    out = tg.where(target != 1, margin_clamp, zeros) + tg.where(target != -1, input, zeros)
    return _apply_reduction(out, reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    return _apply_reduction(loss, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Hinge loss between each target class (listed in ``target`` up to the first -1) and each other class."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.dtype is not D.int64:
        raise RuntimeError(f"expected scalar type Long but found {_scalar_type_name(target.dtype)}")
    if tuple(target.shape) != tuple(input.shape) or input.dim() > 2:
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}")
    x = _cnp(input).reshape(-1, input.shape[-1] if input.dim() else 1)
    t = target._data.reshape(x.shape)
    n, c = x.shape
    is_target = np.zeros((n, c), dtype=bool)
    for i in range(n):
        for j in t[i]:
            if j < 0:
                break
            if j >= c:
                raise RuntimeError(f"target index {j} is out of range")
            is_target[i, j] = True
    # margin[n, j, k] = 1 - (x[n, j] - x[n, k]) for target j, non-target k
    pair = is_target[:, :, None] & ~is_target[:, None, :]
    h = 1 - (x[:, :, None] - x[:, None, :])
    active = pair & (h > 0)
    per_sample = (np.where(active, h, 0).sum(axis=(1, 2)) / c).astype(x.dtype)
    if input.dim() <= 1:
        per_sample_out = per_sample.reshape(())
    else:
        per_sample_out = per_sample
    out = _wrap(_reduce_np(per_sample_out, reduction), input.dtype)

    def backward(node, g):
        coef = (active.sum(axis=1) - active.sum(axis=2)).astype(x.dtype) / c  # d/dx[n, k]
        if reduction == "mean":
            coef = coef / n
        m = _wrap(coef.reshape(input.shape), input.dtype)
        if reduction == "none" and input.dim() == 2:
            return (m * g.unsqueeze(1),)
        return (m * g,)

    return _custom("MultilabelMarginLossBackward0", out, (input,), backward)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    """Multi-class hinge loss: sum over i != y of max(0, margin - x[y] + x[i])^p (times w[y]) / C."""
    reduction = _reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x2 = input.reshape(-1, input.shape[-1]) if input.dim() else input.reshape(1, 1)
    n, c = x2.shape
    t = target._data.reshape(-1).astype(np.int64)
    if t.size and (t.min() < 0 or t.max() >= c):
        raise RuntimeError("target out of range")
    onehot_np = np.zeros((n, c), dtype=input.dtype._np)
    onehot_np[np.arange(n), t] = 1
    onehot = _make(onehot_np, input.dtype)
    a = _cnp(x2)
    xy = a[np.arange(n), t][:, None]
    h = np.where(onehot_np.astype(bool), 0, margin - xy + a)
    hp = np.maximum(h, 0) ** p
    if weight is not None:
        hp = hp * _cnp(weight)[t][:, None]
    per = (hp.sum(axis=1) / c).astype(a.dtype)
    if input.dim() <= 1:
        per = per.reshape(())
    out = _wrap(_reduce_np(per, reduction), input.dtype)
    w_y = _wrap((_cnp(weight)[t] if weight is not None else np.ones(n)).reshape(n, 1), input.dtype)

    def backward(node, g):
        xs = node.saved(0).reshape(n, c)
        xys = (xs * onehot).sum(1, keepdim=True)
        hs = (margin - xys + xs) * (1 - onehot)
        act = (hs > 0).to(xs.dtype) * (1 - onehot)
        coef = act if p == 1 else 2 * hs * act
        coef = coef * w_y / c
        gx = coef - onehot * coef.sum(1, keepdim=True)
        if reduction == "mean":
            gx = gx / n
        if reduction == "none" and input.dim() == 2:
            gx = gx * g.reshape(n, 1)
        else:
            gx = gx * g
        return (gx.reshape(input.shape),)

    return _custom("MultiMarginLossBackward0", out, (input,), backward, (input,))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    reduction = _reduction(size_average, reduce, reduction)
    a_dim, p_dim, n_dim = anchor.dim(), positive.dim(), negative.dim()
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_swap = pairwise_distance(positive, negative, p, eps)
        d_neg = tg.minimum(d_neg, d_swap)
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return _apply_reduction(loss, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0,
                                      swap=False, reduction="mean"):
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                         "instead")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    a_dim, p_dim, n_dim = anchor.dim(), positive.dim(), negative.dim()
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs")
    dist = distance_function if distance_function is not None else pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = tg.minimum(d_neg, dist(positive, negative))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return _apply_reduction(loss, reduction)


# ====================================================================== CTC loss
def _lengths_list(lengths, name):
    if isinstance(lengths, Tensor):
        return [int(v) for v in np.asarray(lengths._data).reshape(-1)]
    if isinstance(lengths, int):
        return [lengths]
    return [int(v) for v in lengths]


def _logsumexp_np(*arrays):
    stacked = np.stack(arrays)
    top = stacked.max(axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(np.exp(stacked - safe).sum(axis=0))


def _ctc_one(lp, labels, blank):
    """-log p(labels | lp) for one sample (lp: (T, C) float64) and PyTorch's gradient template
    ``exp(lp) - exp(log(alpha*beta) + nll - lp)`` (zero rows past T are added by the caller)."""
    T = lp.shape[0]
    ext = np.full(2 * len(labels) + 1, blank, dtype=np.int64)
    ext[1::2] = labels
    S = len(ext)
    # alpha may also come from s-2 when it skips a blank between two different labels.
    skip = np.zeros(S, dtype=bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    neg_inf = -np.inf
    alpha = np.full((T, S), neg_inf)
    alpha[0, 0] = lp[0, blank]
    if S > 1:
        alpha[0, 1] = lp[0, ext[1]]
    for t in range(1, T):
        prev = alpha[t - 1]
        one = np.concatenate(([neg_inf], prev[:-1]))
        two = np.where(skip, np.concatenate(([neg_inf, neg_inf], prev[:-2])), neg_inf)
        alpha[t] = _logsumexp_np(prev, one, two) + lp[t, ext]
    nll = -(_logsumexp_np(alpha[T - 1, S - 1], alpha[T - 1, S - 2]) if S > 1 else alpha[T - 1, 0])
    beta = np.full((T, S), neg_inf)
    beta[T - 1, S - 1] = lp[T - 1, blank]
    if S > 1:
        beta[T - 1, S - 2] = lp[T - 1, ext[S - 2]]
    skip_next = np.zeros(S, dtype=bool)
    skip_next[:-2] = skip[2:]
    for t in range(T - 2, -1, -1):
        nxt = beta[t + 1]
        one = np.concatenate((nxt[1:], [neg_inf]))
        two = np.where(skip_next, np.concatenate((nxt[2:], [neg_inf, neg_inf])), neg_inf)
        beta[t] = _logsumexp_np(nxt, one, two) + lp[t, ext]
    ab = alpha + beta
    log_ab = np.full(lp.shape, neg_inf)
    for c in np.unique(ext):
        log_ab[:, c] = _logsumexp_np(*ab[:, ext == c].T)
    with np.errstate(invalid="ignore", over="ignore"):
        grad = np.exp(lp) - np.exp(log_ab + nll - lp)
    return nll, grad


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean", zero_infinity=False):
    """The Connectionist Temporal Classification loss of ``log_probs`` (T, N, C) or (T, C) against
    ``targets`` (N, S) padded or concatenated, as ``torch.nn.functional.ctc_loss``."""
    _check_tensor(log_probs, "ctc_loss")
    unbatched = log_probs.dim() == 2
    lp_t = log_probs.unsqueeze(1) if unbatched else log_probs
    T, N, C = lp_t.shape
    in_lens = _lengths_list(input_lengths, "input_lengths")
    tg_lens = _lengths_list(target_lengths, "target_lengths")
    if len(in_lens) != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(tg_lens) != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    tgt = np.asarray(targets._data if isinstance(targets, Tensor) else targets).astype(np.int64)
    if unbatched:
        tgt = tgt.reshape(1, -1)
    concatenated = tgt.ndim == 1
    max_len = max(tg_lens) if tg_lens else 0
    if not concatenated and tgt.shape[1] < max_len:
        raise RuntimeError(f"Expected tensor to have size at least {max_len} at dimension 1, but got size "
                           f"{tgt.shape[1]} for argument #2 'targets' (while checking arguments for "
                           "ctc_loss_allocate_outputs)")
    for length in in_lens:
        if length > T:
            raise RuntimeError(f"Expected input_lengths to have value at most {T}, but got value {length} "
                               "(while checking arguments for ctc_loss_allocate_outputs)")
    lp = np.asarray(_cnp(lp_t), dtype=np.float64)
    nll = np.zeros(N)
    grad = np.zeros(lp.shape)
    offset = 0
    for n in range(N):
        if concatenated:
            labels = tgt[offset:offset + tg_lens[n]]
            offset += tg_lens[n]
        else:
            labels = tgt[n, :tg_lens[n]]
        if in_lens[n] == 0:
            nll[n] = 0.0 if len(labels) == 0 else np.inf
            continue
        nll[n], grad[:in_lens[n], n] = _ctc_one(lp[:in_lens[n], n], labels, blank)
        if zero_infinity and np.isinf(nll[n]):
            grad[:, n] = 0.0
    dtype = log_probs.dtype
    raw = _wrap(nll, dtype)
    grad_template = grad.astype(np.float32 if dtype in _HALF else dtype._np)

    def backward(node, g):
        scale = _cnp(g).reshape(1, N, 1)
        with np.errstate(invalid="ignore"):  # an impossible alignment's gradient is nan, as in PyTorch
            return (_wrap(grad_template * scale, dtype),)

    raw = _custom("CtcLossBackward0", raw, (lp_t,), backward)
    if zero_infinity:
        raw = tg.where(raw == float("inf"), tg.zeros((), dtype=dtype), raw)
    if reduction == "mean":
        divisor = tg.tensor(tg_lens, dtype=tg.int64).clamp_min(1).to(dtype)
        out = (raw / divisor).mean()
    elif reduction == "sum":
        out = raw.sum()
    elif reduction == "none":
        out = raw
    else:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return out.squeeze(0) if unbatched and reduction == "none" else out


__all__ = [
    "linear", "bilinear", "identity", "relu", "relu_", "relu6", "hardtanh", "hardtanh_", "elu", "elu_", "selu",
    "selu_", "celu", "celu_", "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_", "gelu", "silu", "mish", "sigmoid", "tanh",
    "softplus", "softsign", "hardsigmoid", "hardswish", "logsigmoid", "tanhshrink", "threshold", "threshold_",
    "softshrink", "hardshrink", "glu", "softmax", "log_softmax", "softmin", "gumbel_softmax", "layer_norm",
    "rms_norm", "group_norm", "batch_norm", "instance_norm", "local_response_norm", "pdist", "dropout", "dropout1d", "dropout2d", "dropout3d",
    "alpha_dropout", "feature_alpha_dropout", "one_hot", "embedding", "embedding_bag", "pairwise_distance", "cosine_similarity",
    "normalize", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "ctc_loss", "kl_div", "poisson_nll_loss", "gaussian_nll_loss", "nll_loss",
    "cross_entropy", "cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss",
    "multilabel_soft_margin_loss", "multilabel_margin_loss", "multi_margin_loss", "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
] + list(_spatial_all) + list(_seq_all)
