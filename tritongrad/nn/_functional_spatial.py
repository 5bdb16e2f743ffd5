"""Spatial part of torch.nn.functional: convolution, pooling, interpolation, unfold/fold, padding, pixel shuffle.

Every op here computes its forward in numpy with BLAS-backed products (im2col through strided window views,
or per-dimension resampling matrices) and records a graph node named as PyTorch's. The backward of each op is
itself one of these ops (conv <-> transposed conv <-> weight gradient, gather <-> scatter, a resampling matrix
<-> its transpose), so gradients of gradients work too.
"""
import math
import warnings

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._tensor import Tensor
from .._ops._common import record, needs_grad

__all__ = [
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices", "max_pool2d_with_indices",
    "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
    "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
    "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices", "adaptive_max_pool3d_with_indices",
    "lp_pool1d", "lp_pool2d", "interpolate", "upsample", "upsample_nearest", "upsample_bilinear",
    "unfold", "fold", "pad", "pixel_shuffle", "pixel_unshuffle", "grid_sample", "affine_grid",
    "max_unpool1d", "max_unpool2d", "max_unpool3d", "channel_shuffle", "native_channel_shuffle", "lp_pool3d",
    "fractional_max_pool2d", "fractional_max_pool3d", "fractional_max_pool2d_with_indices",
    "fractional_max_pool3d_with_indices", "GRID_SAMPLE_INTERPOLATION_MODES", "GRID_SAMPLE_PADDING_MODES",
]

GRID_SAMPLE_INTERPOLATION_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
GRID_SAMPLE_PADDING_MODES = {"zeros": 0, "border": 1, "reflection": 2}


# ---------------------------------------------------------------------------------------------------- helpers
def _ntuple(v, n, name="argument"):
    if isinstance(v, Tensor):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        if len(v) == 1 and n > 1:
            return tuple(int(v[0]) for _ in range(n))
        return tuple(int(a) for a in v)
    return (int(v),) * n


def _compute_dtype(np_dtype):
    """Half-precision math runs in float32 and is rounded back, as PyTorch's CPU kernels accumulate."""
    np_dtype = np.dtype(np_dtype)
    if np_dtype.kind == "f" and np_dtype.itemsize >= 4:
        return np_dtype
    if np_dtype.kind in "iub":
        return np_dtype
    return np.dtype(np.float32)


def _np(t, dt=None):
    a = t._data
    if dt is not None and a.dtype != dt:
        a = a.astype(dt)
    return a


def _wrap(arr, like):
    """A new tensor with ``like``'s dtype holding ``arr``."""
    return Tensor._make(np.ascontiguousarray(arr, dtype=like.dtype._np), like.dtype)


def _wants(node, i):
    return node.next_functions[i][0] is not None


def _shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _prod(xs):
    p = 1
    for x in xs:
        p *= int(x)
    return p


# ------------------------------------------------------------------------------------- im2col / col2im kernels
def _windows(xp, ksize, stride, dilation):
    """Strided view (…, *out, *ksize) of every receptive field of ``xp`` over its last len(ksize) dims."""
    nd = len(ksize)
    eff = tuple((k - 1) * d + 1 for k, d in zip(ksize, dilation))
    v = sliding_window_view(xp, eff, axis=tuple(range(xp.ndim - nd, xp.ndim)))
    lead = xp.ndim - nd
    idx = (slice(None),) * lead + tuple(slice(None, None, s) for s in stride) + \
        tuple(slice(None, None, d) for d in dilation)
    return v[idx]


def _col2im(taps, full_sp, stride, dilation):
    """Adjoint of ``_windows``: sum receptive-field entries ``taps`` (*k, …, *out) into an array (…, *full_sp).

    ``taps`` is kernel-tap-major and contiguous, so each of the (few) strided adds reads one contiguous block:
    a loop over the kernel, never over output elements.
    """
    nd = len(full_sp)
    ksize = taps.shape[:nd]
    osp = taps.shape[taps.ndim - nd:]
    out = np.zeros(taps.shape[nd:taps.ndim - nd] + tuple(full_sp), dtype=taps.dtype)
    for kidx in np.ndindex(*ksize):
        sl = tuple(slice(k * d, k * d + (o - 1) * s + 1, s) for k, d, o, s in zip(kidx, dilation, osp, stride))
        out[(Ellipsis,) + sl] += taps[kidx]
    return out


def _pad_np(x, pads, value=0):
    if not any(lo or hi for lo, hi in pads):
        return x
    return np.pad(x, [(0, 0)] * (x.ndim - len(pads)) + [tuple(p) for p in pads], constant_values=value)


def _conv_cols(x, ksize, stride, pads, dilation, groups, osp=None):
    """im2col of ``x`` (N, C, *S): (G, N*P, Cg*K) and the output spatial shape."""
    nd = len(ksize)
    n, c = x.shape[:2]
    v = _windows(_pad_np(x, pads), ksize, stride, dilation)
    if osp is not None:
        v = v[(slice(None), slice(None)) + tuple(slice(0, o) for o in osp)]
    osp = v.shape[2:2 + nd]
    cg = c // groups
    v = v.reshape((n, groups, cg) + osp + tuple(ksize))
    perm = (1, 0) + tuple(range(3, 3 + nd)) + (2,) + tuple(range(3 + nd, 3 + 2 * nd))
    cols = v.transpose(perm).reshape(groups, n * _prod(osp), cg * _prod(ksize))
    return cols, osp


def _grad_rows(gy, groups):
    """(N, O, *P) -> (G, N*P, Og)."""
    n, o = gy.shape[:2]
    p = _prod(gy.shape[2:])
    return gy.reshape(n, groups, o // groups, p).transpose(1, 0, 3, 2).reshape(groups, n * p, o // groups)


def _conv_forward_chunk(x, w, stride, pads, dilation, groups, osp=None):
    nd = w.ndim - 2
    n = x.shape[0]
    o = w.shape[0]
    cols, osp = _conv_cols(x, w.shape[2:], stride, pads, dilation, groups, osp)
    wm = w.reshape(groups, o // groups, -1)
    out = np.matmul(cols, wm.transpose(0, 2, 1))  # (G, N*P, Og)
    out = out.reshape((groups, n) + osp + (o // groups,))
    out = out.transpose((1, 0, 2 + nd) + tuple(range(2, 2 + nd))).reshape((n, o) + osp)
    return np.ascontiguousarray(out)


def _conv_input_grad_chunk(gy, w, in_sp, stride, pads, dilation, groups):
    n = gy.shape[0]
    osp = gy.shape[2:]
    ksize = w.shape[2:]
    cg = w.shape[1]
    og = w.shape[0] // groups
    kk = _prod(ksize)
    p = _prod(osp)
    # taps come out kernel-major, (*k, C, N, *out), straight from the product: (G, K*Cg, Og) @ (G, Og, N*P)
    w_t = w.reshape(groups, og, cg, kk).transpose(0, 3, 2, 1).reshape(groups, kk * cg, og)
    gy_m = gy.reshape(n, groups, og, p).transpose(1, 2, 0, 3).reshape(groups, og, n * p)
    taps = np.matmul(w_t, gy_m).reshape((groups, kk, cg, n * p))
    if groups > 1:
        taps = np.ascontiguousarray(taps.transpose(1, 0, 2, 3))
    cols = taps.reshape(ksize + (groups * cg, n) + osp)
    full = tuple(s + lo + hi for s, (lo, hi) in zip(in_sp, pads))
    need = tuple((o - 1) * st + (k - 1) * d + 1 for o, st, k, d in zip(osp, stride, ksize, dilation))
    big = tuple(max(f, q) for f, q in zip(full, need))
    xp = _col2im(cols, big, stride, dilation)  # (C, N, *big)
    crop = (slice(None), slice(None)) + tuple(slice(lo, lo + s) for s, (lo, _) in zip(in_sp, pads))
    return np.ascontiguousarray(xp[crop].swapaxes(0, 1))


def _conv_weight_grad_chunk(x, gy, ksize, stride, pads, dilation, groups):
    cols, _ = _conv_cols(x, ksize, stride, pads, dilation, groups, gy.shape[2:])
    gw = np.matmul(_grad_rows(gy, groups).transpose(0, 2, 1), cols)  # (G, Og, Cg*K)
    cg = x.shape[1] // groups
    return gw.reshape((gy.shape[1], cg) + tuple(ksize))


# im2col matrices are built for a slice of the batch at a time, so a large batch or image never needs one
# column matrix of kernel-size times the input (PyTorch's own kernels don't materialise it either)
_COLS_BUDGET_BYTES = 1 << 27


def _batch_slices(n, sample_bytes):
    if n == 0:
        return [slice(0, 0)]
    step = max(1, _COLS_BUDGET_BYTES // max(int(sample_bytes), 1))
    return [slice(i, min(i + step, n)) for i in range(0, n, step)]


def _cols_bytes(c, ksize, osp, itemsize):
    return c * _prod(ksize) * _prod(osp) * itemsize


def _out_size(sp, ksize, stride, pads, dilation):
    return tuple((s + lo + hi - (k - 1) * d - 1) // st + 1
                 for s, k, st, (lo, hi), d in zip(sp, ksize, stride, pads, dilation))


def _conv_forward_np(x, w, stride, pads, dilation, groups, osp=None):
    ksize = w.shape[2:]
    osp_ = osp if osp is not None else _out_size(x.shape[2:], ksize, stride, pads, dilation)
    parts = _batch_slices(x.shape[0], _cols_bytes(x.shape[1], ksize, osp_, x.itemsize))
    if len(parts) == 1:
        return _conv_forward_chunk(x, w, stride, pads, dilation, groups, osp)
    return np.concatenate([_conv_forward_chunk(x[sl], w, stride, pads, dilation, groups, osp) for sl in parts])


def _conv_input_grad_np(gy, w, in_sp, stride, pads, dilation, groups):
    c = w.shape[1] * groups
    parts = _batch_slices(gy.shape[0], _cols_bytes(c, w.shape[2:], gy.shape[2:], gy.itemsize))
    if len(parts) == 1:
        return _conv_input_grad_chunk(gy, w, in_sp, stride, pads, dilation, groups)
    return np.concatenate([_conv_input_grad_chunk(gy[sl], w, in_sp, stride, pads, dilation, groups)
                           for sl in parts])


def _conv_weight_grad_np(x, gy, ksize, stride, pads, dilation, groups):
    parts = _batch_slices(x.shape[0], _cols_bytes(x.shape[1], ksize, gy.shape[2:], x.itemsize))
    total = None
    for sl in parts:
        gw = _conv_weight_grad_chunk(x[sl], gy[sl], ksize, stride, pads, dilation, groups)
        total = gw if total is None else total + gw
    return total


class _ConvGeometry:
    """What a convolution's three bilinear maps share: x (N, C, *x_sp) * w (O, C/G, *k) -> y (N, O, *y_sp)."""

    __slots__ = ("stride", "pads", "dilation", "groups", "x_sp", "y_sp", "ksize")

    def __init__(self, stride, pads, dilation, groups, x_sp, y_sp, ksize):
        self.stride, self.pads, self.dilation, self.groups = stride, pads, dilation, groups
        self.x_sp, self.y_sp, self.ksize = tuple(x_sp), tuple(y_sp), tuple(ksize)


def _conv_map(kind, a, b, geo):
    """One of the bilinear maps of a convolution, as a differentiable op on tensors.

    'fwd': (x, w) -> y;  'inp': (gy, w) -> x-shaped (transposed convolution);  'wgt': (x, gy) -> w-shaped.
    """
    dt = _compute_dtype(a.dtype._np)
    an, bn = _np(a, dt), _np(b, dt)
    g = geo
    if kind == "fwd":
        r = _conv_forward_np(an, bn, g.stride, g.pads, g.dilation, g.groups, g.y_sp)
    elif kind == "inp":
        r = _conv_input_grad_np(an, bn, g.x_sp, g.stride, g.pads, g.dilation, g.groups)
    else:
        r = _conv_weight_grad_np(an, bn, g.ksize, g.stride, g.pads, g.dilation, g.groups)
    out = _wrap(r, a)
    if needs_grad(a, b):
        def backward(node, go):
            a_, b_ = node.saved(0), node.saved(1)
            ga = gb = None
            if kind == "fwd":  # a=x, b=w
                ga = _conv_map("inp", go, b_, geo) if _wants(node, 0) else None
                gb = _conv_map("wgt", a_, go, geo) if _wants(node, 1) else None
            elif kind == "inp":  # a=gy, b=w
                ga = _conv_map("fwd", go, b_, geo) if _wants(node, 0) else None
                gb = _conv_map("wgt", go, a_, geo) if _wants(node, 1) else None
            else:  # a=x, b=gy
                ga = _conv_map("inp", b_, go, geo) if _wants(node, 0) else None
                gb = _conv_map("fwd", a_, go, geo) if _wants(node, 1) else None
            return ga, gb
        record("ConvolutionBackwardBackward0", out, (a, b), backward, (a, b))
    return out


def _convolution(x, w, bias, geo, transposed):
    """A recorded ConvolutionBackward0 node over (input, weight, bias)."""
    dt = _compute_dtype(x.dtype._np)
    xn, wn = _np(x, dt), _np(w, dt)
    g = geo
    if transposed:
        r = _conv_input_grad_np(xn, wn, g.x_sp, g.stride, g.pads, g.dilation, g.groups)
    else:
        r = _conv_forward_np(xn, wn, g.stride, g.pads, g.dilation, g.groups, g.y_sp)
    if bias is not None:
        r = r + _np(bias, dt).reshape((1, -1) + (1,) * (r.ndim - 2))
    out = _wrap(r, x)
    inputs = (x, w, bias)
    if needs_grad(*inputs):
        def backward(node, go):
            x_, w_ = node.saved(0), node.saved(1)
            gx = gw = gb = None
            if transposed:
                if _wants(node, 0):
                    gx = _conv_map("fwd", go, w_, geo)
                if _wants(node, 1):
                    gw = _conv_map("wgt", go, x_, geo)
            else:
                if _wants(node, 0):
                    gx = _conv_map("inp", go, w_, geo)
                if _wants(node, 1):
                    gw = _conv_map("wgt", x_, go, geo)
            if bias is not None and _wants(node, 2):
                gb = go.sum([0] + list(range(2, go.dim())))
            return gx, gw, gb
        record("ConvolutionBackward0", out, inputs, backward, (x, w), ("input", "weight"))
    return out


def _conv_checks(x, w, bias, nd, name, groups, stride, transposed=False):
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {name}, but got "
                           f"input of size: {_shape_str(x.shape)}")
    if bias is not None and bias.dtype != x.dtype:
        raise RuntimeError(f"Input type ({_c_name(x.dtype)}) and bias type ({_c_name(bias.dtype)}) should be the "
                           "same")
    if x.dtype != w.dtype:
        # PyTorch names the input's dtype as the expected one
        raise RuntimeError(f"expected scalar type {_scalar_name(x.dtype)} but found {_scalar_name(w.dtype)}")
    if w.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if w.dim() > nd + 2:
        raise RuntimeError(f"Expected {w.dim()}-dimensional input for {w.dim()}-dimensional weight "
                           f"{_shape_str(w.shape)}, but got {x.dim()}-dimensional input of size "
                           f"{_shape_str(x.shape)} instead")
    if w.dim() < nd + 2:
        raise RuntimeError(f"expected stride to be a single integer value or a list of {w.dim() - 2} values to "
                           f"match the convolution dimensions, but got stride={list(_ntuple(stride, nd))}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    kind = _dt_name(x.dtype)
    if transposed and not (x.dtype.is_floating_point or kind == "int64"):
        raise _unsupported(f"slow_conv_transpose{max(nd, 2)}d_out_cpu", x.dtype)
    if kind == "bool":
        raise _unsupported(f"slow_conv{max(nd, 2)}d_cpu", x.dtype)


def _scalar_name(dt):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(_dt_name(dt), str(dt))


def _c_name(dt):
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "int64": "long int", "int32": "int"}.get(_dt_name(dt), str(dt))


def _dt_name(dt):
    return str(dt).replace("torch.", "")


def _autocast_inputs(*tensors):
    """Convolutions are on CPU autocast's lower-precision list."""
    from ..amp.autocast_mode import _state, cast_inputs
    return cast_inputs(*tensors) if _state["cpu"][0] else tensors


def _conv_nd(x, w, bias, stride, padding, dilation, groups, nd, name):
    x, w, bias = _autocast_inputs(x, w, bias)
    _conv_checks(x, w, bias, nd, name, groups, stride)
    unbatched = x.dim() == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    stride = _ntuple(stride, nd)
    dilation = _ntuple(dilation, nd)
    ksize = tuple(w.shape[2:])
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if isinstance(padding, str):
        if padding == "valid":
            pads = [(0, 0)] * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            if any(k % 2 == 0 and d % 2 == 1 for k, d in zip(ksize, dilation)):
                warnings.warn("Using padding='same' with even kernel lengths and odd dilation may require a "
                              "zero-padded copy of the input be created")
            pads = []
            for k, d in zip(ksize, dilation):
                total = d * (k - 1)
                pads.append((total // 2, total - total // 2))
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        p = _ntuple(padding, nd)
        if any(v < 0 for v in p):
            raise RuntimeError("negative padding is not supported")
        pads = [(v, v) for v in p]
    n, c = x.shape[:2]
    if c != w.shape[1] * groups or w.shape[0] % groups:
        if w.shape[0] % groups:
            raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                               f"but got weight of size {_shape_str(w.shape)} instead")
        raise RuntimeError(f"Given groups={groups}, weight of size {_shape_str(w.shape)}, expected input"
                           f"{_shape_str(x.shape)} to have {w.shape[1] * groups} channels, but got {c} channels "
                           "instead")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != w.shape[0]):
        raise RuntimeError(f"Given weight of size {_shape_str(w.shape)}, expected bias to be 1-dimensional with "
                           f"{w.shape[0]} elements, but got bias of size {_shape_str(bias.shape)} instead")
    x_sp = tuple(x.shape[2:])
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(x_sp, pads))
    eff = tuple((k - 1) * d + 1 for k, d in zip(ksize, dilation))
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
                           f"Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be greater than actual "
                           "input size")
    y_sp = tuple((p - e) // s + 1 for p, e, s in zip(padded, eff, stride))
    geo = _ConvGeometry(stride, pads, dilation, groups, x_sp, y_sp, ksize)
    out = _convolution(x, w, bias, geo, False)
    return out.squeeze(0) if unbatched else out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Applies a 1D convolution over an input signal composed of several input planes."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Applies a 2D convolution over an input image composed of several input planes."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """Applies a 3D convolution over an input image composed of several input planes."""
    return _conv_nd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _conv_transpose_nd(x, w, bias, stride, padding, output_padding, groups, dilation, nd, name):
    x, w, bias = _autocast_inputs(x, w, bias)
    _conv_checks(x, w, bias, nd, name, groups, stride, transposed=True)
    unbatched = x.dim() == nd + 1
    if unbatched:
        x = x.unsqueeze(0)
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' (position 5) must be tuple of ints, not str")
    stride = _ntuple(stride, nd)
    dilation = _ntuple(dilation, nd)
    p = _ntuple(padding, nd)
    op = _ntuple(output_padding, nd)
    ksize = tuple(w.shape[2:])
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(v < 0 for v in p):
        raise RuntimeError("negative padding is not supported")
    # PyTorch reports a 1-D transposed convolution as a 2-D one of height 1
    shown = ((0,), (1,), (1,)) if nd == 1 else ((), (), ())
    if any(o >= s and o >= d for o, s, d in zip(op, stride, dilation)):
        names = ("depth", "height", "width")[3 - max(nd, 2):]
        groups_shown = (("output_padding", shown[0] + op), ("stride", shown[1] + stride),
                        ("dilation", shown[2] + dilation))
        parts = [f"{kind}_{nm}: {v}" for kind, vals in groups_shown for nm, v in zip(names, vals)]
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got " + " ".join(parts))
    c = x.shape[1]
    if c != w.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {_shape_str(w.shape)}, expected input"
                           f"{_shape_str(x.shape)} to have {w.shape[0]} channels, but got {c} channels instead")
    if c % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size {_shape_str(w.shape)} instead")
    cout = w.shape[1] * groups
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != cout):
        raise RuntimeError(f"Given transposed=1, weight of size {_shape_str(w.shape)}, expected bias to be "
                           f"1-dimensional with {cout} elements, but got bias of size {_shape_str(bias.shape)} "
                           "instead")
    in_sp = tuple(x.shape[2:])
    out_sp = tuple((i - 1) * s - 2 * pp + d * (k - 1) + o + 1
                   for i, s, pp, d, k, o in zip(in_sp, stride, p, dilation, ksize, op))
    if any(o <= 0 for o in out_sp):
        lead = (1,) if nd == 1 else ()
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, lead + in_sp))}). Calculated output "
                           f"size per channel: ({' x '.join(map(str, lead + out_sp))}). Output size is too small")
    # the transposed convolution is the input-gradient map of the convolution from out_sp to in_sp
    geo = _ConvGeometry(stride, [(v, v) for v in p], dilation, groups, out_sp, in_sp, ksize)
    out = _convolution(x, w, bias, geo, True)
    return out.squeeze(0) if unbatched else out


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Applies a 1D transposed convolution operator over an input signal composed of several input planes."""
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                              "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Applies a 2D transposed convolution operator over an input image composed of several input planes."""
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                              "conv_transpose2d")


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Applies a 3D transposed convolution operator over an input image composed of several input planes."""
    return _conv_transpose_nd(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                              "conv_transpose3d")


# ----------------------------------------------------------------------------- gather / scatter over planes
def _gather_op(x, idx, nsp, name, back_name, per_plane=False, fill=0, unique=False):
    """out[..., j] = x[..., idx[..., j]] over the flattened last ``nsp`` dims of ``x``.

    ``idx`` holds int64 flat indices into the input plane: shaped like the output's spatial dims (shared by all
    planes) or, with ``per_plane``, like the whole output. An index outside the plane (a max-pool window made only
    of padding) reads ``fill`` and passes no gradient. The backward is the matching scatter-add (a plain
    assignment when ``unique`` says no two outputs read the same element).
    """
    in_sp = tuple(x.shape[x.dim() - nsp:])
    lead = tuple(x.shape[:x.dim() - nsp])
    plane = _prod(in_sp)
    xf = x._data.reshape(lead + (plane,))
    outside = (idx < 0) | (idx >= plane)
    safe = np.where(outside, 0, idx) if outside.any() else idx
    if per_plane:
        r = np.take_along_axis(xf, safe.reshape(lead + (_prod(idx.shape[len(lead):]),)), axis=-1).reshape(idx.shape)
    else:
        r = xf[..., safe.reshape(-1)].reshape(lead + idx.shape)
    if safe is not idx:
        r = np.where(outside, np.asarray(fill).astype(r.dtype), r)
    out = Tensor._make(np.ascontiguousarray(r), x.dtype)
    if needs_grad(x):
        def backward(node, go):
            return (_scatter_op(go, idx, in_sp, back_name, name, per_plane, unique),)
        record(name, out, (x,), backward)
    return out


def _scatter_op(g, idx, in_sp, name, back_name, per_plane, unique=False):
    """Adjoint of ``_gather_op``: sums ``g``'s entries into zero planes of shape ``in_sp`` at ``idx``."""
    plane = _prod(in_sp)
    gn = g._data
    if per_plane:
        lead = gn.shape[:gn.ndim - len(in_sp)]  # output and input planes have the same rank
    else:
        lead = gn.shape[:gn.ndim - idx.ndim]
    nlead = _prod(lead)
    offs = (np.arange(nlead, dtype=np.int64) * plane)[:, None]
    per_row = _prod(idx.shape[len(lead):]) if per_plane else idx.size
    flat = idx.reshape(nlead if per_plane else 1, per_row) + offs
    weights = gn.reshape(nlead, per_row)
    outside = (idx < 0) | (idx >= plane)
    if outside.any():
        inside = ~np.broadcast_to(outside.reshape(nlead if per_plane else 1, per_row), weights.shape)
        flat = np.broadcast_to(flat, weights.shape)[inside]
        weights = weights[inside]
    if unique:
        r = np.zeros(nlead * plane, dtype=gn.dtype)
        r[flat.reshape(-1)] = weights.reshape(-1)
    else:
        r = np.bincount(flat.reshape(-1), weights=weights.reshape(-1).astype(np.float64), minlength=nlead * plane)
    r = r.reshape(tuple(lead) + tuple(in_sp)).astype(g.dtype._np, copy=False)
    out = Tensor._make(np.ascontiguousarray(r), g.dtype)
    if needs_grad(g):
        def backward(node, go):
            return (_gather_op(go, idx, len(in_sp), back_name, name, per_plane, unique=unique),)
        record(name, out, (g,), backward)
    return out


def _sparse_rows(m):
    """(out, in) matrix -> (idx, w), each (out, K): the nonzero columns of every row, padded with index ``in``
    (a zero slot appended to the data) so that an inf/NaN input only reaches the outputs whose window holds it."""
    nz = m != 0
    counts = nz.sum(1)
    k = max(int(counts.max()) if counts.size else 0, 1)
    order = np.argsort(~nz, axis=1, kind="stable")[:, :k]
    valid = np.arange(k)[None, :] < counts[:, None]
    idx = np.where(valid, order, m.shape[1])
    w = np.where(valid, np.take_along_axis(m, order, axis=1), 0.0)
    return idx, w


def _apply_rows(arr, axis, idx, w):
    """out[..., o, ...] = sum_k w[o, k] * arr[..., idx[o, k], ...] along ``axis`` (index ``L`` reads zero)."""
    pad_shape = list(arr.shape)
    pad_shape[axis] = 1
    padded = np.concatenate([arr, np.zeros(pad_shape, arr.dtype)], axis=axis)
    wshape = [1] * arr.ndim
    wshape[axis] = idx.shape[0]
    out = None
    for k in range(idx.shape[1]):  # one gather and fused multiply-add per tap
        term = np.take(padded, idx[:, k], axis=axis) * w[:, k].astype(arr.dtype).reshape(wshape)
        out = term if out is None else out + term
    return out


def _separable_op(x, mats, name):
    """Apply one (out_d, in_d) matrix along each of the last len(mats) dims; the backward applies transposes.

    The matrices are banded (pooling windows, interpolation taps), so each is applied as a gather of its
    nonzero taps and a weighted sum: linear cost, and non-finite values stay inside their windows.
    """
    nsp = len(mats)
    dt = _compute_dtype(x.dtype._np)
    r = _np(x, dt)
    for d, m in enumerate(mats):
        if m is None:
            continue
        idx, w = _sparse_rows(m)
        r = _apply_rows(r, r.ndim - nsp + d, idx, w)
    out = Tensor._make(np.ascontiguousarray(r.astype(x.dtype._np, copy=False)), x.dtype)
    if needs_grad(x):
        def backward(node, go):
            return (_separable_op(go, [None if m is None else m.T for m in mats], name + "Backward"),)
        record(name, out, (x,), backward)
    return out


# --------------------------------------------------------------------------------------------- pooling
def _pool_out_size(length, k, s, p, d, ceil_mode):
    num = length + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)
    out = num // s + 1
    if ceil_mode and (out - 1) * s >= length + p:
        out -= 1
    return out


def _pool_args(kernel_size, stride, padding, dilation, nd):
    k = _ntuple(kernel_size, nd)
    s = _ntuple(stride, nd) if stride is not None and not (isinstance(stride, (list, tuple)) and len(stride) == 0) \
        else k
    p = _ntuple(padding, nd)
    d = _ntuple(dilation, nd)
    return k, s, p, d


def _pool_checks(k, s, p, d, kind, effective):
    """PyTorch's argument checks of the 2-D/3-D pooling kernels, in its order.

    ``kind`` is 'max' or 'avg'; ``effective`` adds the up-front 'half of effective kernel size' check that
    max_pool without indices and avg_pool make.
    """
    if any(v == 0 for v in s):
        raise RuntimeError("stride should not be zero")
    if kind == "max" and any(v <= 0 for v in d):
        names = ("dilationT", "dilationH", "dilationW")[3 - len(d):]
        raise RuntimeError("dilation should be greater than zero, but got " +
                           " ".join(f"{n}: {v}" for n, v in zip(names, d)))
    for v in p:
        if v < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {v}")
    if effective:
        for kk, pp, dd in zip(k, p, d):
            if pp > ((kk - 1) * dd + 1) // 2:
                raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={pp}, "
                                   f"kernel_size={kk} and dilation={dd}")
    if kind == "max" and any(pp > kk // 2 for kk, pp in zip(k, p)):
        if len(k) == 2:
            raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {p[1]}, "
                               f"padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got padW = {p[2]}, "
                           f"padH = {p[1]}, padT = {p[0]}, kW = {k[2]}, kH = {k[1]}, kT = {k[0]}")


def _dims_check(x, lo, hi, name):
    if not lo <= x.dim() <= hi:
        raise RuntimeError(f"Expected {lo} to {hi} dimensions, but got {x.dim()}-dimensional tensor for argument #1 "
                           f"'self' (while checking arguments for {name})")


def _pool_size_check(x, in_sp, out_sp):
    if any(o <= 0 for o in out_sp):
        c = x.shape[-len(in_sp) - 1]
        raise RuntimeError(f"Given input size: ({'x'.join(map(str, (c,) + tuple(in_sp)))}). Calculated output size: "
                           f"({'x'.join(map(str, (c,) + tuple(out_sp)))}). Output size is too small")


def _index_tables_max(x_sp, out_sp, k, s, p, d):
    """Per dim, (out, k) tables of input positions (may fall outside [0, L): those are padding)."""
    return [np.arange(o)[:, None] * ss - pp + np.arange(kk)[None, :] * dd
            for o, kk, ss, pp, dd in zip(out_sp, k, s, p, d)]


def _max_by_tables(x, tables):
    """Flat input-plane indices of the maximum of every window given by per-dim (out, k) position tables.

    Follows PyTorch's scan: start at the window's first tap at or after position 0 with -inf, move on a strictly
    greater value or on any NaN (so the last NaN wins), one vectorised pass per kernel tap.
    """
    nd = len(tables)
    xn = x._data
    in_sp = xn.shape[xn.ndim - nd:]
    lo = [max(0, -int(t.min())) for t in tables]
    hi = [max(0, int(t.max()) - (L - 1)) for t, L in zip(tables, in_sp)]
    floating = xn.dtype.kind in "fc" or xn.dtype.kind == "V" or str(xn.dtype) == "bfloat16"
    fill = -np.inf if floating else np.iinfo(xn.dtype).min
    if any(lo) or any(hi):
        xp = _pad_np(xn, list(zip(lo, hi)), fill)
    else:
        xp = xn
    out_sp = tuple(t.shape[0] for t in tables)
    ksz = tuple(t.shape[1] for t in tables)

    def plane_index(cols):
        flat = np.zeros(out_sp, dtype=np.int64)
        for i, col in enumerate(cols):
            shape = [1] * nd
            shape[i] = out_sp[i]
            flat = flat * in_sp[i] + col.reshape(shape)
        return flat

    starts = []
    for t in tables:
        nonneg = t >= 0
        starts.append(np.where(nonneg.any(1), t[np.arange(t.shape[0]), np.argmax(nonneg, axis=1)], t[:, -1]))
    lead = xn.shape[:xn.ndim - nd]
    idx = np.broadcast_to(plane_index(starts), lead + out_sp).copy()
    best = np.full(lead + out_sp, fill, dtype=xn.dtype)
    for kidx in np.ndindex(*ksz):
        v = xp
        for d in range(nd):
            v = v.take(tables[d][:, kidx[d]] + lo[d], axis=xp.ndim - nd + d)
        upd = v > best
        if floating:
            upd |= np.isnan(v)
        if upd.any():
            best = np.where(upd, v, best)
            idx = np.where(upd, plane_index([t[:, k] for t, k in zip(tables, kidx)]), idx)
    return idx


def _max_pool_nd(x, kernel_size, stride, padding, dilation, ceil_mode, nd, name, with_indices):
    k, s, p, d = _pool_args(kernel_size, stride, padding, dilation, nd)
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    _pool_checks(k, s, p, d, "max", True)
    if _dt_name(x.dtype) == "bool":
        raise _unsupported(f"max_pool{nd}d", x.dtype)
    in_sp = tuple(x.shape[x.dim() - nd:])
    out_sp = tuple(_pool_out_size(L, kk, ss, pp, dd, ceil_mode) for L, kk, ss, pp, dd in zip(in_sp, k, s, p, d))
    _pool_size_check(x, in_sp, out_sp)
    idx = _max_by_tables(x, _index_tables_max(in_sp, out_sp, k, s, p, d))
    disjoint = all(ss >= (kk - 1) * dd + 1 for kk, ss, dd in zip(k, s, d))  # no element in two windows
    out = _gather_op(x, idx, nd, f"MaxPool{nd}DWithIndicesBackward0", f"MaxPool{nd}DWithIndicesBackwardBackward0",
                     per_plane=True, fill=-np.inf, unique=disjoint)
    return out, Tensor._make(idx)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """2D max pooling that returns (output, indices)."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 2, "max_pool2d", True)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Applies a 2D max pooling over an input signal composed of several input planes."""
    out, idx = _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 2, "max_pool2d",
                            return_indices)
    return (out, idx) if return_indices else out


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """3D max pooling that returns (output, indices)."""
    return _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 3, "max_pool3d", True)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Applies a 3D max pooling over an input signal composed of several input planes."""
    out, idx = _max_pool_nd(input, kernel_size, stride, padding, dilation, ceil_mode, 3, "max_pool3d",
                            return_indices)
    return (out, idx) if return_indices else out


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """1D max pooling that returns (output, indices)."""
    _dims_check(input, 2, 3, "max_pool1d")
    k, s, p, d = _pool_args(kernel_size, stride, padding, dilation, 1)
    out, idx = _max_pool_nd(input.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, (1,) + d, ceil_mode, 2, "max_pool1d",
                            True)
    return out.squeeze(-2), idx.squeeze(-2)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Applies a 1D max pooling over an input signal composed of several input planes."""
    if return_indices:
        return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    if not input.dtype.is_floating_point:
        raise _unsupported("max_pool1d_impl", input.dtype)
    if input.dim() not in (2, 3):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           "input, but got:" + _shape_str(input.shape))
    (k,), (s,), (p,), (d,) = _pool_args(kernel_size, stride, padding, dilation, 1)
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    o = _pool_out_size(input.shape[-1], k, s, p, d, ceil_mode)
    if o <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")
    out, _ = _max_pool_nd(input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode, 2, "max_pool1d", True)
    return out.squeeze(-2)


def _avg_matrix(L, o, k, s, p, ceil_mode, count_include_pad, divisor_override):
    """(o, L) averaging matrix of one pooled dim (the divisor folded in when it factorizes)."""
    m = np.zeros((o, L), dtype=np.float64)
    for i in range(o):  # builds an (out, in) table: cost O(out) per dim, not per element
        start = i * s - p
        end = min(start + k, L + p)
        pool = end - start
        a, b = max(start, 0), min(end, L)
        if b <= a:
            continue
        if divisor_override:
            m[i, a:b] = 1.0
        elif count_include_pad:
            m[i, a:b] = 1.0 / pool
        else:
            m[i, a:b] = 1.0 / (b - a)
    return m


def _avg_pool_nd(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, nd, name):
    k, s, p, _ = _pool_args(kernel_size, stride, padding, 1, nd)
    if x.dim() < nd + 1:
        n = max(x.dim(), 1)
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {-nd - 1})")
    if x.dim() > nd + 2:
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    _pool_checks(k, s, p, (1,) * nd, "avg", True)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    in_sp = tuple(x.shape[x.dim() - nd:])
    out_sp = tuple(_pool_out_size(L, kk, ss, pp, 1, ceil_mode) for L, kk, ss, pp in zip(in_sp, k, s, p))
    _pool_size_check(x, in_sp, out_sp)
    mats = [_avg_matrix(L, o, kk, ss, pp, ceil_mode, count_include_pad, divisor_override)
            for L, o, kk, ss, pp in zip(in_sp, out_sp, k, s, p)]
    if not x.dtype.is_floating_point:
        if _dt_name(x.dtype) != "int64":
            raise _unsupported(f"avg_pool{max(nd, 2)}d", x.dtype)
        return _int_avg_pool(x, mats, divisor_override)
    if divisor_override:
        mats[0] = mats[0] / float(divisor_override)
    return _separable_op(x, mats, f"AvgPool{nd}DBackward0")


def _int_avg_pool(x, mats, divisor_override):
    """int64 average pooling: the window sum divided by the divisor with C's truncation toward zero."""
    r = x._data
    div = np.ones((), dtype=np.float64)
    nd = len(mats)
    for d, m in enumerate(mats):
        ones = (m != 0).astype(np.int64)
        ax = r.ndim - nd + d
        r = np.moveaxis(np.tensordot(r, ones, axes=([ax], [1])), -1, ax)
        rows = np.where(m != 0, m, np.inf).min(axis=1) if not divisor_override else np.ones(m.shape[0])
        shape = [1] * nd
        shape[d] = m.shape[0]
        div = div * (1.0 / rows).reshape(shape)  # each row's divisor is 1 / its weight
    divisor = np.full(div.shape, int(divisor_override)) if divisor_override else np.rint(div).astype(np.int64)
    q = np.abs(r) // divisor
    return Tensor._make(np.ascontiguousarray(np.where(r < 0, -q, q)), x.dtype)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """Applies 2D average-pooling operation in kH x kW regions by step size sH x sW steps."""
    return _avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 2,
                        "avg_pool2d")


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """Applies 3D average-pooling operation in kT x kH x kW regions by step size sT x sH x sW steps."""
    return _avg_pool_nd(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, 3,
                        "avg_pool3d")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Applies a 1D average pooling over an input signal composed of several input planes."""
    _dims_check(input, 2, 3, "avg_pool1d")
    k, s, p, _ = _pool_args(kernel_size, stride, padding, 1, 1)
    out = _avg_pool_nd(input.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, ceil_mode, count_include_pad, None, 2,
                       "avg_pool1d")
    return out.squeeze(-2)


def _adaptive_ranges(L, o):
    starts = (np.arange(o) * L) // o
    ends = -((-(np.arange(o) + 1) * L) // o)
    return starts, ends


def _adaptive_sizes(x, output_size, nd, name):
    if x.dim() not in (nd + 1, nd + 2):
        colon = ":" if "max" in name else ""
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{colon} {_shape_str(x.shape)}")
    if isinstance(output_size, (list, tuple)):
        osz = tuple(output_size)
        if len(osz) == 1 and nd > 1:
            osz = osz * nd
    else:
        osz = (output_size,) * nd
    in_sp = tuple(x.shape[x.dim() - nd:])
    osz = tuple(int(L) if o is None else int(o) for o, L in zip(osz, in_sp))
    for i in range(1, x.dim()):
        if x.shape[i] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input "
                               f"has sizes {_shape_str(x.shape)} with dimension {i} being empty")
    return in_sp, osz


def _adaptive_avg_nd(x, output_size, nd, name):
    in_sp, osz = _adaptive_sizes(x, output_size, nd, name)
    if not x.dtype.is_floating_point:
        raise _unsupported(name, x.dtype)
    mats = []
    for L, o in zip(in_sp, osz):
        st, en = _adaptive_ranges(L, o)
        m = np.zeros((o, L))
        for i in range(o):
            m[i, st[i]:en[i]] = 1.0 / (en[i] - st[i])
        mats.append(m)
    return _separable_op(x, mats, f"AdaptiveAvgPool{nd}DBackward0")


def adaptive_avg_pool2d(input, output_size):
    """Applies a 2D adaptive average pooling over an input signal composed of several input planes."""
    in_sp, osz = _adaptive_sizes(input, output_size, 2, "adaptive_avg_pool2d")
    if osz == (1, 1):
        # PyTorch takes the mean over the plane for a 1x1 output
        return input.mean((-1, -2), keepdim=True)
    return _adaptive_avg_nd(input, output_size, 2, "adaptive_avg_pool2d")


def adaptive_avg_pool3d(input, output_size):
    """Applies a 3D adaptive average pooling over an input signal composed of several input planes."""
    return _adaptive_avg_nd(input, output_size, 3, "adaptive_avg_pool3d")


def adaptive_avg_pool1d(input, output_size):
    """Applies a 1D adaptive average pooling over an input signal composed of several input planes."""
    _dims_check(input, 2, 3, "adaptive_avg_pool1d")
    o = _ntuple(output_size, 1)
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1,) + o).squeeze(-2)


def _adaptive_max_nd(x, output_size, nd, name):
    in_sp, osz = _adaptive_sizes(x, output_size, nd, name)
    if not x.dtype.is_floating_point:
        raise _unsupported(name, x.dtype)
    tables = []
    for L, o in zip(in_sp, osz):
        st, en = _adaptive_ranges(L, o)
        kmax = int((en - st).max())
        # short windows repeat their last position: a repeated element cannot change a max or its first index
        t = np.minimum(st[:, None] + np.arange(kmax)[None, :], (en - 1)[:, None])
        tables.append(t)
    idx = _max_by_tables(x, tables)
    out = _gather_op(x, idx, nd, f"AdaptiveMaxPool{nd}DBackward0", f"AdaptiveMaxPool{nd}DBackwardBackward0",
                     per_plane=True, fill=-np.inf)
    return out, Tensor._make(idx)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """2D adaptive max pooling that returns (output, indices)."""
    return _adaptive_max_nd(input, output_size, 2, "adaptive_max_pool2d")


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Applies a 2D adaptive max pooling over an input signal composed of several input planes."""
    out, idx = _adaptive_max_nd(input, output_size, 2, "adaptive_max_pool2d")
    return (out, idx) if return_indices else out


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """3D adaptive max pooling that returns (output, indices)."""
    return _adaptive_max_nd(input, output_size, 3, "adaptive_max_pool3d")


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Applies a 3D adaptive max pooling over an input signal composed of several input planes."""
    out, idx = _adaptive_max_nd(input, output_size, 3, "adaptive_max_pool3d")
    return (out, idx) if return_indices else out


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """1D adaptive max pooling that returns (output, indices)."""
    _dims_check(input, 2, 3, "adaptive_max_pool1d")
    o = _ntuple(output_size, 1)
    out, idx = _adaptive_max_nd(input.unsqueeze(-2), (1,) + o, 2, "adaptive_max_pool2d")
    return out.squeeze(-2), idx.squeeze(-2)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Applies a 1D adaptive max pooling over an input signal composed of several input planes."""
    out, idx = adaptive_max_pool1d_with_indices(input, output_size)
    return (out, idx) if return_indices else out


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Applies a 2D power-average pooling over an input signal composed of several input planes."""
    kw, kh = _ntuple(kernel_size, 2)
    if stride is not None:
        out = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool2d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kw * kh).pow(1.0 / norm_type)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Applies a 3D power-average pooling over an input signal composed of several input planes."""
    kd, kw, kh = _ntuple(kernel_size, 3)
    if stride is not None:
        out = avg_pool3d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool3d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kd * kw * kh).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Applies a 1D power-average pooling over an input signal composed of several input planes."""
    if stride is not None:
        out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool1d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (out.sign() * out.abs().relu()).mul(kernel_size).pow(1.0 / norm_type)


# --------------------------------------------------------------------------------------------- interpolate
def _linear_matrix(L, o, align_corners, scale, compute):
    """(o, L) matrix of 1-D linear interpolation, with PyTorch's source-index rule."""
    if align_corners:
        sc = (L - 1) / (o - 1) if o > 1 else 0.0
    else:
        sc = (1.0 / scale) if (scale is not None and scale > 0) else L / o
    sc = compute(sc)
    dst = np.arange(o, dtype=compute)
    if align_corners:
        src = dst * sc
    else:
        src = np.maximum(sc * (dst + compute(0.5)) - compute(0.5), compute(0))
    i0 = src.astype(np.int64)
    i1 = np.where(i0 < L - 1, i0 + 1, i0)
    l1 = src - i0.astype(compute)
    l0 = compute(1) - l1
    m = np.zeros((o, L), dtype=np.float64)
    np.add.at(m, (np.arange(o), i0), l0.astype(np.float64))
    np.add.at(m, (np.arange(o), i1), l1.astype(np.float64))
    return m


def _cubic_matrix(L, o, align_corners, scale, compute):
    a = -0.75
    if align_corners:
        sc = (L - 1) / (o - 1) if o > 1 else 0.0
    else:
        sc = (1.0 / scale) if (scale is not None and scale > 0) else L / o
    sc = compute(sc)
    dst = np.arange(o, dtype=compute)
    src = dst * sc if align_corners else sc * (dst + compute(0.5)) - compute(0.5)
    fl = np.floor(src)
    t = (src - fl).astype(np.float64)
    i0 = fl.astype(np.int64)

    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    coeffs = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    m = np.zeros((o, L), dtype=np.float64)
    for j, c in enumerate(coeffs):
        np.add.at(m, (np.arange(o), np.clip(i0 - 1 + j, 0, L - 1)), c)
    return m


def _antialias_matrix(L, o, align_corners, scale, compute, cubic):
    """(o, L) matrix of PyTorch's anti-aliased (support-widening) bilinear/bicubic/lanczos resampling.

    ``cubic`` is False (triangle filter), True (cubic, A = -0.5) or "lanczos" (Lanczos-3 windowed sinc)."""
    if align_corners:
        sc = (L - 1) / (o - 1) if o > 1 else 0.0
    else:
        sc = (1.0 / scale) if (scale is not None and scale > 0) else L / o
    sc = float(compute(sc))
    interp_size = 6 if cubic == "lanczos" else (4 if cubic else 2)
    support = interp_size * 0.5 * sc if sc >= 1.0 else interp_size * 0.5
    invscale = 1.0 / sc if sc >= 1.0 else 1.0

    def filt(x):
        x = np.abs(x)
        if cubic == "lanczos":
            return np.where(x < 3.0, np.sinc(x) * np.sinc(x / 3.0), 0.0)
        if not cubic:
            return np.where(x < 1.0, 1.0 - x, 0.0)
        a = -0.5
        return np.where(x < 1.0, ((a + 2) * x - (a + 3)) * x * x + 1,
                        np.where(x < 2.0, (((x - 5) * x + 8) * x - 4) * a, 0.0))
    m = np.zeros((o, L), dtype=np.float64)
    for i in range(o):  # one row of taps per output position
        center = sc * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xmax = min(int(center + support + 0.5), L)
        j = np.arange(xmin, xmax)
        w = filt((j - center + 0.5) * invscale)
        total = w.sum()
        if total != 0.0:
            w = w / total
        m[i, xmin:xmax] = w
    return m


def _nearest_index(L, o, scale, exact):
    if o == L and not exact:
        return np.arange(o)
    if o == 2 * L and not exact:
        return np.arange(o) >> 1
    sc = np.float32((1.0 / scale) if (scale is not None and scale > 0) else L / o)
    dst = np.arange(o, dtype=np.float32)
    src = np.floor((dst + np.float32(0.5)) * sc) if exact else np.floor(dst * sc)
    return np.minimum(src.astype(np.int64), L - 1)


def _uint8_resample(x, mats):
    """PyTorch's uint8 resampling: int16 fixed-point taps, width pass first, rounding and clamping per pass."""
    r = x._data
    for axis in sorted(range(len(mats)), reverse=True):
        m = mats[axis]
        if m.shape[0] == m.shape[1] and np.array_equal(m, np.eye(m.shape[0])):
            continue
        wmax = float(np.abs(m).max())
        prec = 0
        for prec in range(22):
            if int(0.5 + wmax * (1 << (prec + 1))) >= (1 << 15):
                break
        v = m * (1 << prec)
        taps = np.where(v < 0, np.trunc(v - 0.5), np.trunc(v + 0.5))
        ax = r.ndim - len(mats) + axis
        moved = np.moveaxis(r, ax, -1).astype(np.float64)
        # integer sums far below 2**53, so the float64 product is exact
        acc = (moved @ taps.T).astype(np.int64) + (1 << (prec - 1) if prec else 0)
        r = np.moveaxis(np.clip(acc >> prec, 0, 255).astype(np.uint8), -1, ax)
    return Tensor._make(np.ascontiguousarray(r), x.dtype)


def _unsupported(op, dt):
    return NotImplementedError(f'"{op}" not implemented for \'{_scalar_name(dt)}\'')


def _interp_dtype_check(x, mode, nd, antialias):
    dt = x.dtype
    if dt.is_floating_point:
        return
    uint8_modes = ("nearest", "nearest-exact", "bilinear", "bicubic", "lanczos")
    if _dt_name(dt) == "uint8" and nd == 2 and mode in uint8_modes:
        return
    if antialias:
        op = "compute_index_ranges_weights"
    elif nd == 2:
        op = "compute_indices_weights_cubic" if mode == "bicubic" else \
            ("upsample_bilinear2d_channels_last" if mode == "bilinear" else "upsample_nearest2d_channels_last")
    else:
        op = "compute_indices_weights_" + ("nearest" if mode.startswith("nearest") else "linear")
    raise _unsupported(op, dt)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Down/up samples the input to the given size or by the given scale_factor."""
    nd = input.dim() - 2
    modes = {"nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area", "lanczos"}
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: linear | bilinear "
                             "| bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if nd < 1:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) "
                                  f"for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | "
                                  f"area | nearest-exact (got {mode})")
    in_sp = tuple(input.shape[2:])
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != nd:
                raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(in_sp)} and output size of {list(size)}. Please "
                                 "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                                 "...,oK) format.")
            out_sp = tuple(int(s) for s in size)
        else:
            out_sp = (int(size),) * nd
        scales = [None] * nd
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != nd:
                raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(in_sp)} and scale_factor of shape "
                                 f"{list(scale_factor)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                                 "and scale_factor in (s1, s2, ...,sK) format.")
            sfs = [float(v) for v in scale_factor]
        else:
            sfs = [float(scale_factor)] * nd
        out_sp = tuple(int(math.floor(float(L) * f)) for L, f in zip(in_sp, sfs))
        scales = [None] * nd if recompute_scale_factor else sfs
    else:
        raise ValueError("either size or scale_factor should be defined")
    if mode not in modes:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) "
                                  f"for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | "
                                  f"area | nearest-exact (got {mode})")
    if mode == "lanczos" and nd != 2:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) "
                                  f"for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | "
                                  f"area | nearest-exact (got {mode})")
    if mode == "lanczos":
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
    need = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
    if mode in need and need[mode] != nd:
        raise NotImplementedError(f"Got {input.dim()}D input, but {mode} mode needs {need[mode] + 2}D input")
    if mode == "area":
        if nd == 1:
            return adaptive_avg_pool1d(input, out_sp)
        if nd == 2:
            return adaptive_avg_pool2d(input, out_sp)
        return adaptive_avg_pool3d(input, out_sp)
    if any(o <= 0 for o in out_sp):
        names = ("D", "H", "W")[3 - nd:]
        shown_in = ", ".join(f"{n}: {v}" for n, v in zip(names, in_sp))
        shown_out = ", ".join(f"{n}: {v}" for n, v in zip(names, out_sp))
        joiner = " and " if nd == 1 else " "
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({shown_in}){joiner}"
                           f"output ({shown_out})")
    if mode != "area":
        _interp_dtype_check(input, mode, nd, antialias)
    if mode in ("nearest", "nearest-exact"):
        exact = mode == "nearest-exact"
        idx = None
        for i, (L, o, sc) in enumerate(zip(in_sp, out_sp, scales)):
            ii = _nearest_index(L, o, sc, exact)
            idx = ii if idx is None else idx[..., None] * L + ii
        tag = "NearestExact" if exact else "Nearest"
        return _gather_op(input, idx.astype(np.int64), nd, f"Upsample{tag}{nd}DBackward0",
                          f"Upsample{tag}{nd}DBackwardBackward0")
    # uint8 weights are computed in double, as PyTorch's fixed-point path does
    compute = np.float64 if input.dtype._np in (np.float64, np.uint8) else np.float32
    tag = {"linear": "Linear1D", "bilinear": "Bilinear2D", "bicubic": "Bicubic2D", "trilinear": "Trilinear3D",
           "lanczos": "Lanczos2D"}[mode]
    if antialias:
        kind = "lanczos" if mode == "lanczos" else mode == "bicubic"
        mats = [_antialias_matrix(L, o, align_corners, sc, compute, kind)
                for L, o, sc in zip(in_sp, out_sp, scales)]
        if _dt_name(input.dtype) == "uint8":
            return _uint8_resample(input, mats)
        return _separable_op(input, mats, f"Upsample{tag}AaBackward0")
    make = _cubic_matrix if mode == "bicubic" else _linear_matrix
    mats = [make(L, o, align_corners, sc, compute) for L, o, sc in zip(in_sp, out_sp, scales)]
    if _dt_name(input.dtype) == "uint8":
        return _uint8_resample(input, mats)
    return _separable_op(input, mats, f"Upsample{tag}Backward0")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of interpolate."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: nearest-neighbour interpolate."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: bilinear interpolate with align_corners=True."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ------------------------------------------------------------------------------------------- unfold / fold
def _im2col_op(x, k, d, p, s):
    n, c = x.shape[:2]
    v = _windows(_pad_np(x._data, [(pp, pp) for pp in p]), k, s, d)  # (N, C, *O, *k)
    osp = v.shape[2:4]
    cols = v.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * _prod(k), _prod(osp))
    out = Tensor._make(np.ascontiguousarray(cols), x.dtype)
    in_sp = tuple(x.shape[2:])
    if needs_grad(x):
        def backward(node, go):
            return (_col2im_op(go, in_sp, k, d, p, s),)
        record("Im2ColBackward0", out, (x,), backward)
    return out


def _col2im_op(cols, out_sp, k, d, p, s):
    n, ck, L = cols.shape
    c = ck // _prod(k)
    full = tuple(o + 2 * pp for o, pp in zip(out_sp, p))
    osp = tuple((f - ((kk - 1) * dd + 1)) // ss + 1 for f, kk, dd, ss in zip(full, k, d, s))
    cn = np.ascontiguousarray(cols._data.reshape((n, c) + tuple(k) + osp).transpose(2, 3, 0, 1, 4, 5))
    xp = _col2im(cn, full, s, d)
    r = xp[(slice(None), slice(None)) + tuple(slice(pp, pp + o) for pp, o in zip(p, out_sp))]
    out = Tensor._make(np.ascontiguousarray(r), cols.dtype)
    if needs_grad(cols):
        def backward(node, go):
            return (_im2col_op(go, k, d, p, s),)
        record("Col2ImBackward0", out, (cols,), backward)
    return out


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding local blocks from a batched input tensor (im2col)."""
    if input.dim() not in (3, 4):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:"
                           + _shape_str(input.shape))
    k, d, p, s = (_ntuple(v, 2) for v in (kernel_size, dilation, padding, stride))
    unbatched = input.dim() == 3
    x = input.unsqueeze(0) if unbatched else input
    in_sp = tuple(x.shape[2:])
    osp = tuple((L + 2 * pp - (dd * (kk - 1) + 1)) // ss + 1 for L, kk, dd, pp, ss in zip(in_sp, k, d, p, s))
    if any(o < 1 for o in osp):
        raise RuntimeError(f"Given input with spatial size ({in_sp[0]}, {in_sp[1]}), kernel_size=({k[0]}, {k[1]}), "
                           f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape of the array of "
                           f"sliding blocks as ({osp[0]}, {osp[1]}), but its components must be at least one.")
    out = _im2col_op(x, k, d, p, s)
    return out.squeeze(0) if unbatched else out


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Combines an array of sliding local blocks into a large containing tensor (col2im)."""
    if input.dim() not in (2, 3):
        raise RuntimeError("Expected 2D or 3D (batch mode) input tensor with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {_shape_str(input.shape)}")
    osz, k, d, p, s = (_ntuple(v, 2) for v in (output_size, kernel_size, dilation, padding, stride))
    unbatched = input.dim() == 2
    x = input.unsqueeze(0) if unbatched else input
    kk = _prod(k)
    if x.shape[1] % kk:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={x.shape[1]} and kernel_size=({k[0]}, {k[1]})")
    blocks = tuple((o + 2 * pp - (dd * (kq - 1) + 1)) // ss + 1 for o, kq, dd, pp, ss in zip(osz, k, d, p, s))
    if _prod(blocks) != x.shape[2]:
        raise RuntimeError(f"Given output_size=({osz[0]}, {osz[1]}), kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, "
                           f"{d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), expected size of input's "
                           f"dimension 2 to match the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
                           f"{_prod(blocks)}, but got input.size(2)={x.shape[2]}.")
    out = _col2im_op(x, osz, k, d, p, s)
    return out.squeeze(0) if unbatched else out


# ------------------------------------------------------------------------------------------------- padding
def _constant_pad_op(x, pad, value):
    nd = len(pad) // 2
    xn = x._data
    pairs = [(pad[2 * i], pad[2 * i + 1]) for i in range(nd)][::-1]  # last dim first in ``pad``
    lead = xn.ndim - nd
    crop = [slice(None)] * lead
    grow = [(0, 0)] * lead
    new_shape = list(xn.shape[:lead])
    for (lo, hi), L in zip(pairs, xn.shape[lead:]):
        crop.append(slice(max(-lo, 0), L - max(-hi, 0)))
        grow.append((max(lo, 0), max(hi, 0)))
        new = L + lo + hi
        if new < 0:
            raise RuntimeError(f"The input size {L}, plus negative padding {lo} and {hi} resulted in a negative output "
                               f"size, which is invalid. Check dimension {len(new_shape)} of your input.")
        new_shape.append(new)
    r = xn[tuple(crop)]
    if any(g != (0, 0) for g in grow):
        r = np.pad(r, grow, constant_values=value)
    out = Tensor._make(np.ascontiguousarray(r.reshape(new_shape)), x.dtype)
    if needs_grad(x):
        def backward(node, go):
            return (_constant_pad_op(go, [-v for v in pad], 0),)
        record("ConstantPadNdBackward0", out, (x,), backward)
    return out


def _pad_index(L, lo, hi, mode):
    j = np.arange(-lo, L + hi)
    if mode == "reflect":
        period = 2 * (L - 1) if L > 1 else 1
        j = np.abs(j) % period if L > 1 else np.zeros_like(j)
        j = np.where(j >= L, period - j, j)
    elif mode == "replicate":
        j = np.clip(j, 0, L - 1)
    else:
        j = j % L
    return j


_PAD_ERR = ("Padding size {n} is not supported for {d}D input tensor.\nSupported combinations for non-constant "
            "padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D input: padding size "
            "= 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def pad(input, pad, mode="constant", value=None):
    """Pads tensor (``pad`` lists (left, right) pairs starting from the last dimension)."""
    pad = [int(v) for v in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(pad)} and input of dimension {input.dim()}")
    if mode == "constant":
        return _constant_pad_op(input, pad, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    nd = len(pad) // 2
    if not (1 <= nd <= 3 and input.dim() in (nd + 1, nd + 2)):
        raise NotImplementedError(_PAD_ERR.format(n=len(pad), d=input.dim()))
    in_sp = tuple(input.shape[input.dim() - nd:])
    pairs = [(pad[2 * i], pad[2 * i + 1]) for i in range(nd)][::-1]
    # PyTorch checks the last dimension first and names the position of its (left, right) pair as an argument
    for back in range(nd):
        dim_i = nd - 1 - back
        (lo, hi), L = pairs[dim_i], in_sp[dim_i]
        dim = input.dim() - nd + dim_i
        if mode == "reflect" and (lo >= L or hi >= L):
            raise RuntimeError(f"Argument #{4 + 2 * back}: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input "
                               f"{_shape_str(input.shape)}")
        if mode == "circular" and (lo > L or hi > L):
            raise RuntimeError("Padding value causes wrapping around more than once.")
    if mode != "circular" and _dt_name(input.dtype) == "bool":
        raise _unsupported(("reflection_pad" if mode == "reflect" else "replication_pad") + f"{nd}d", input.dtype)
    idx = None
    for (lo, hi), L in zip(pairs, in_sp):
        ii = _pad_index(L, lo, hi, mode)
        idx = ii if idx is None else idx[..., None] * L + ii
    if mode == "circular":
        name = "CopySlices"
    else:
        name = ("ReflectionPad" if mode == "reflect" else "ReplicationPad") + f"{nd}DBackward0"
    return _gather_op(input, idx.astype(np.int64), nd, name, name.replace("Backward0", "BackwardBackward0"))


# ------------------------------------------------------------------------------------------- pixel shuffle
def _shuffle_op(x, r, down):
    xn = x._data
    lead = xn.shape[:-3]
    c, h, w = xn.shape[-3:]
    nl = len(lead)
    if not down:
        oc = c // (r * r)
        t = xn.reshape(lead + (oc, r, r, h, w))
        t = t.transpose(tuple(range(nl)) + tuple(nl + i for i in (0, 3, 1, 4, 2)))
        res = t.reshape(lead + (oc, h * r, w * r))
    else:
        oh, ow = h // r, w // r
        t = xn.reshape(lead + (c, oh, r, ow, r))
        t = t.transpose(tuple(range(nl)) + tuple(nl + i for i in (0, 2, 4, 1, 3)))
        res = t.reshape(lead + (c * r * r, oh, ow))
    out = Tensor._make(np.ascontiguousarray(res), x.dtype)
    if needs_grad(x):
        def backward(node, go):
            return (_shuffle_op(go, r, not down),)
        record("PixelUnshuffleBackward0" if down else "PixelShuffleBackward0", out, (x,), backward)
    return out


def pixel_shuffle(input, upscale_factor):
    """Rearranges (*, C*r^2, H, W) into (*, C, H*r, W*r)."""
    r = int(upscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c = input.shape[-3]
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    return _shuffle_op(input, r, False)


def pixel_unshuffle(input, downscale_factor):
    """Rearranges (*, C, H*r, W*r) into (*, C*r^2, H, W)."""
    r = int(downscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    h, w = input.shape[-2:]
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)={h}"
                           f" is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)={w}"
                           f" is not divisible by {r}")
    return _shuffle_op(input, r, True)


# ------------------------------------------------------------------------------ affine_grid / grid_sample
_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please "
                  "specify align_corners=True if the old behavior is desired. See the documentation of grid_sample "
                  "for details.")


def _base_coords(n, align_corners):
    c = np.linspace(-1.0, 1.0, n) if n > 1 else np.zeros(n)
    if not align_corners:
        c = c * (n - 1) / n
    return c


def affine_grid(theta, size, align_corners=None):
    """The sampling grid (N, H, W, 2) of a batch of 2-D affine matrices theta (N, 2, 3), for grid_sample."""
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING)
        align_corners = False
    size = tuple(int(v) for v in size)
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. Got "
                             f"{theta.shape}.")
    elif len(size) == 5:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size {size}. Got "
                             f"{theta.shape}.")
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    n, sp = size[0], size[2:]
    nd = len(sp)
    # base grid rows (x, y[, z], 1): x runs along the last dim
    base = np.empty(tuple(sp) + (nd + 1,))
    for k in range(nd):
        shape = [1] * nd
        shape[nd - 1 - k] = sp[nd - 1 - k]
        base[..., k] = _base_coords(sp[nd - 1 - k], align_corners).reshape(shape)
    base[..., nd] = 1.0
    pts = _prod(sp)
    base = base.reshape(pts, nd + 1).astype(theta.dtype._np)
    r = np.matmul(base[None], np.swapaxes(theta._data, 1, 2))  # (N, points, nd)
    out = Tensor._make(np.ascontiguousarray(r.reshape((n,) + tuple(sp) + (nd,))), theta.dtype)
    if needs_grad(theta):
        base_t = Tensor._make(base, theta.dtype)

        def backward(node, go):
            return (go.reshape(n, pts, nd).transpose(1, 2).matmul(base_t),)
        record("AffineGridGeneratorBackward0", out, (theta,), backward)
    return out


def _reflect_coords(c, twice_low, twice_high):
    """PyTorch's reflect_coordinates, with the derivative (+1/-1) of the result w.r.t. ``c``."""
    if twice_low == twice_high:
        return np.zeros_like(c), np.zeros_like(c)
    lo = twice_low / 2
    span = (twice_high - twice_low) / 2
    shifted = c - lo
    sign = np.where(shifted < 0, -1.0, 1.0)
    a = np.abs(shifted)
    extra = np.fmod(a, span)
    flips = np.floor(a / span)
    even = np.fmod(flips, 2) == 0
    return np.where(even, extra + lo, span - extra + lo).astype(c.dtype), np.where(even, sign, -sign)


def _grid_source(coord, size, padding_mode, align_corners):
    """Pixel coordinate of normalised ``coord`` and d(pixel)/d(coord), as grid_sampler computes them."""
    if align_corners:
        c = (coord + 1) / 2 * (size - 1)
        mult = np.full(coord.shape, (size - 1) / 2)
    else:
        c = ((coord + 1) * size - 1) / 2
        mult = np.full(coord.shape, size / 2)
    if padding_mode == "border":
        mult = mult * ((c > 0) & (c < size - 1))
        c = np.clip(c, 0, size - 1)
    elif padding_mode == "reflection":
        if align_corners:
            c, d = _reflect_coords(c, 0, 2 * (size - 1))
        else:
            c, d = _reflect_coords(c, -1, 2 * size - 1)
        mult = mult * d * ((c > 0) & (c < size - 1))
        c = np.clip(c, 0, size - 1)
    return c, mult


def _grid_tap_coords(c, size, padding_mode, align_corners):
    """Where a bicubic tap at pixel coordinate ``c`` reads (PyTorch's compute_coordinates, no gradient)."""
    if padding_mode == "border":
        return np.clip(c, 0, size - 1)
    if padding_mode == "reflection":
        if align_corners:
            c, _ = _reflect_coords(c, 0, 2 * (size - 1))
        else:
            c, _ = _reflect_coords(c, -1, 2 * size - 1)
        return np.clip(c, 0, size - 1)
    return c


def _cubic_weights(t):
    """The four cubic-convolution weights (A = -0.75) of fraction ``t`` and their derivatives in ``t``."""
    a = -0.75

    def near(v):
        return ((a + 2) * v - (a + 3)) * v * v + 1

    def far(v):
        return ((a * v - 5 * a) * v + 8 * a) * v - 4 * a

    def near_d(v):
        return (3 * (a + 2) * v - 2 * (a + 3)) * v

    def far_d(v):
        return (3 * a * v - 10 * a) * v + 8 * a
    ws = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    ds = [far_d(t + 1), near_d(t), -near_d(1 - t), -far_d(2 - t)]
    return ws, ds


def _grid_sample_nd(x, grid, mode, padding_mode, align_corners):
    """grid_sample over 2 or 3 spatial dims; grid's last axis holds (x, y[, z]), i.e. the dims in reverse."""
    dt = _compute_dtype(x.dtype._np)
    xn, gn = _np(x, dt), _np(grid, dt)
    nd = xn.ndim - 2
    n, c = xn.shape[:2]
    in_sp = xn.shape[2:]
    out_sp = gn.shape[1:1 + nd]
    p = _prod(out_sp)
    # bicubic taps apply the padding mode one by one, so its source index is only unnormalised
    source_padding = "zeros" if mode == "bicubic" else padding_mode
    pos, mult = [], []
    for d in range(nd):
        ci, mi = _grid_source(gn[..., nd - 1 - d], in_sp[d], source_padding, align_corners)
        pos.append(ci.reshape(n, 1, p))
        mult.append(mi)
    plane = _prod(in_sp)
    xf = xn.reshape(n, c, plane)

    def corner(coords):
        """Values (N, C, P) at integer positions, zero outside, the in-bounds mask and flat index (N, 1, P)."""
        inside = np.ones((n, 1, p), dtype=bool)
        flat = np.zeros((n, 1, p), dtype=np.int64)
        for cd, size in zip(coords, in_sp):
            inside &= (cd >= 0) & (cd < size)  # False for NaN positions: they read nothing
            flat = flat * size + np.clip(np.nan_to_num(cd), 0, size - 1).astype(np.int64)
        vals = np.take_along_axis(xf, np.broadcast_to(flat, (n, c, p)), axis=2)
        return np.where(inside, vals, 0), inside, flat

    corners = []  # (values, in-bounds, flat index, weight, d weight / d position per dim)
    if mode == "nearest":
        vals, inside, flat = corner([np.rint(q) for q in pos])
        zero = np.zeros((n, 1, p), dtype=dt)
        corners.append((vals, inside, flat, np.ones((n, 1, p), dtype=dt), [zero] * nd))
    elif mode == "bilinear":
        lo = [np.floor(q) for q in pos]
        near = [(lo_d + 1 - q) for lo_d, q in zip(lo, pos)]  # weight of the lower neighbour
        far = [(q - lo_d) for lo_d, q in zip(lo, pos)]
        for bits in np.ndindex(*(2,) * nd):
            fac = [far[d] if b else near[d] for d, b in enumerate(bits)]
            wgt = _prod_arrays(fac)
            grads = [(1 if b else -1) * _prod_arrays(fac[:d] + fac[d + 1:]) for d, b in enumerate(bits)]
            vals, inside, flat = corner([lo[d] + b for d, b in enumerate(bits)])
            corners.append((vals, inside, flat, wgt, grads))
    else:
        lo = [np.floor(q) for q in pos]
        (wys, dys), (wxs, dxs) = _cubic_weights(pos[0] - lo[0]), _cubic_weights(pos[1] - lo[1])
        for j in range(4):
            ty = np.trunc(_grid_tap_coords(lo[0] - 1 + j, in_sp[0], padding_mode, align_corners))
            for i in range(4):
                tx = np.trunc(_grid_tap_coords(lo[1] - 1 + i, in_sp[1], padding_mode, align_corners))
                vals, inside, flat = corner([ty, tx])
                corners.append((vals, inside, flat, wxs[i] * wys[j], [wxs[i] * dys[j], dxs[i] * wys[j]]))
    out = np.zeros((n, c, p), dtype=dt)
    for vals, _, _, wgt, _ in corners:
        out += vals * wgt
    out_t = Tensor._make(np.ascontiguousarray(out.reshape((n, c) + tuple(out_sp)).astype(x.dtype._np)), x.dtype)
    if needs_grad(x, grid):
        def backward(node, go):
            g = _np(go, dt).reshape(n, c, p)
            gx = gg = None
            if _wants(node, 0):
                acc = np.zeros(n * c * plane, dtype=np.float64)
                base = (np.arange(n * c, dtype=np.int64) * plane).reshape(n, c, 1)
                for vals, inside, flat, wgt, _ in corners:
                    contrib = np.broadcast_to(np.where(inside, g * wgt, 0), (n, c, p))
                    acc += np.bincount(np.broadcast_to(base + flat, (n, c, p)).reshape(-1),
                                       weights=contrib.reshape(-1).astype(np.float64), minlength=acc.size)
                gx = Tensor._make(acc.reshape(xn.shape).astype(x.dtype._np), x.dtype)
            if _wants(node, 1):
                gpos = [np.zeros((n, p), dtype=dt) for _ in range(nd)]
                for vals, _, _, _, grads in corners:
                    s_ = (vals * g).sum(1)
                    for d in range(nd):
                        gpos[d] += s_ * grads[d][:, 0]
                comps = [gpos[nd - 1 - k].reshape((n,) + tuple(out_sp)) * mult[nd - 1 - k] for k in range(nd)]
                gg = Tensor._make(np.ascontiguousarray(np.stack(comps, axis=-1).astype(grid.dtype._np)), grid.dtype)
            return gx, gg
        record(f"GridSampler{nd}DBackward0", out_t, (x, grid), backward)
    return out_t


def _prod_arrays(arrays):
    out = arrays[0]
    for a in arrays[1:]:
        out = out * a
    return out


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Samples ``input`` at the normalised (x, y) locations of ``grid`` (bilinear or nearest)."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
                         f"got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING)
        align_corners = False
    if input.dim() not in (4, 5) or grid.dim() != input.dim():
        raise RuntimeError(f"grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but "
                           f"got input with sizes {_shape_str(input.shape)} and grid with sizes "
                           f"{_shape_str(grid.shape)}")
    nd = input.dim() - 2
    if grid.shape[-1] != nd:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {nd} in last dimension, but got grid with "
                           f"sizes {_shape_str(grid.shape)}")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {_shape_str(input.shape)} and grid with sizes {_shape_str(grid.shape)}")
    if input.dtype != grid.dtype:
        raise RuntimeError(f"grid_sampler(): expected input and grid to have same dtype, but input has "
                           f"{input.dtype} and grid has {grid.dtype}")
    if mode == "bicubic" and nd == 3:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    return _grid_sample_nd(input, grid, mode, padding_mode, align_corners)


# --------------------------------------------------------------------------------- max_unpool / channel_shuffle
def _unpool_output_size(x, k, s, p, output_size, nd):
    in_sp = tuple(x.shape[x.dim() - nd:])
    default = [(i - 1) * ss - 2 * pp + kk for i, kk, ss, pp in zip(in_sp, k, s, p)]
    if output_size is None:
        return tuple(default)
    output_size = list(output_size.tolist() if isinstance(output_size, Tensor) else output_size)
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    elif len(output_size) == nd + 1 and x.dim() == nd + 1:
        output_size = output_size[1:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, but it has a length "
                         f"of '{len(output_size)}'")
    for d in range(nd):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < output_size[d] < hi:
            raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must be between {lo} and {hi})')
    return tuple(int(v) for v in output_size)


def _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, nd):
    k = _ntuple(kernel_size, nd)
    s = _ntuple(stride, nd) if stride is not None else k
    p = _ntuple(padding, nd)
    out_sp = _unpool_output_size(input, k, s, p, output_size, nd)
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({_shape_str(input.shape)}) but got indices tensor with shape: "
                           f"{_shape_str(indices.shape)}")
    idx = np.ascontiguousarray(indices._data.astype(np.int64))
    plane = _prod(out_sp)
    bad = (idx < 0) | (idx >= plane)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {int(idx[bad].reshape(-1)[0])} (output volumes are of size "
                           f"{'x'.join(map(str, out_sp))})")
    return _scatter_op(input, idx, out_sp, f"MaxUnpool{nd}DBackward0", f"MaxUnpool{nd}DBackwardBackward0", True)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool2d: places each value at its index in a zero plane."""
    return _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool3d: places each value at its index in a zero volume."""
    return _max_unpool_nd(input, indices, kernel_size, stride, padding, output_size, 3)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool1d: places each value at its index in a zero signal."""
    k = _ntuple(kernel_size, 1)
    s = _ntuple(stride, 1) if stride is not None else k
    p = _ntuple(padding, 1)
    out_sp = _unpool_output_size(input, k, s, p, output_size, 1)
    out = _max_unpool_nd(input.unsqueeze(-2), indices.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, (1,) + out_sp, 2)
    return out.squeeze(-2)


def _channel_shuffle_op(x, groups):
    xn = x._data
    n, c = xn.shape[:2]
    rest = xn.shape[2:]
    r = xn.reshape((n, groups, c // groups) + rest).swapaxes(1, 2).reshape(xn.shape)
    out = Tensor._make(np.ascontiguousarray(r), x.dtype)
    if needs_grad(x):
        def backward(node, go):
            return (_channel_shuffle_op(go, c // groups),)
        record("ChannelShuffleBackward0", out, (x,), backward)
    return out


def channel_shuffle(input, groups):
    """Splits the channels into ``groups`` and interleaves them: (N, g*k, *) -> (N, k*g, *)."""
    groups = int(groups)
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    if input.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups.")
    return _channel_shuffle_op(input, groups)


native_channel_shuffle = channel_shuffle


# ------------------------------------------------------------------------------------ fractional max pooling
def _fractional_starts(samples, in_size, out_size, pool, dt):
    """Window starts (…, out_size) of PyTorch's pseudo-random interval sequence, in the input's precision."""
    seq = np.empty(samples.shape + (out_size,), dtype=np.int64)
    if out_size > 1:
        alpha = dt.type(in_size - pool) / dt.type(out_size - 1)
        i = np.arange(out_size - 1, dtype=dt)
        u = samples.astype(dt)[..., None]
        seq[..., :-1] = ((i + u) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)
    seq[..., -1] = in_size - pool
    return seq


def _fractional_max_pool(input, kernel_size, output_size, samples, nd, name):
    k = _ntuple(kernel_size, nd)
    o = tuple(int(v) for v in _ntuple(output_size, nd))
    x = input.unsqueeze(0) if input.dim() == nd + 1 else input
    n, c = x.shape[:2]
    in_sp = tuple(x.shape[2:])
    if samples.shape[1] != c:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    for dim_name, oo, kk, L in zip(("time", "height", "width")[3 - nd:], o, k, in_sp):
        if oo + kk - 1 > L:
            raise RuntimeError(f"{name}(): pool {dim_name} {kk} too large relative to input {dim_name} {L}")
    dt = _compute_dtype(x.dtype._np)
    # PyTorch draws the width interval from sample 0 and the height one from sample 1 (2-D); t, h, w in 3-D
    order = (1, 0) if nd == 2 else (0, 1, 2)
    starts = [_fractional_starts(samples._data[:, :, j], L, oo, kk, dt) for j, L, oo, kk in zip(order, in_sp, o, k)]
    xf = x._data.reshape(n, c, _prod(in_sp))
    floating = xf.dtype.kind in "fc" or str(xf.dtype) in ("bfloat16",)

    def flat_of(kidx):
        flat = np.zeros((n, c) + o, dtype=np.int64)
        for d, (st, kd) in enumerate(zip(starts, kidx)):
            shape = [n, c] + [1] * nd
            shape[2 + d] = o[d]
            flat = flat * in_sp[d] + (st + kd).reshape(shape)
        return flat

    idx = flat_of((0,) * nd)
    best = np.full((n, c) + o, -np.inf if floating else np.iinfo(xf.dtype).min, dtype=xf.dtype)
    for kidx in np.ndindex(*k):
        pos = flat_of(kidx)
        v = np.take_along_axis(xf, pos.reshape(n, c, -1), axis=2).reshape(pos.shape)
        upd = v > best
        if floating:
            upd |= np.isnan(v)
        best = np.where(upd, v, best)
        idx = np.where(upd, pos, idx)
    out = _gather_op(x, idx, nd, f"FractionalMaxPool{nd}DBackward0", f"FractionalMaxPool{nd}DBackwardBackward0",
                     per_plane=True)
    indices = Tensor._make(idx)
    if input.dim() == nd + 1:
        return out.squeeze(0), indices.squeeze(0)
    return out, indices


def _fractional_args(input, kernel_size, output_size, output_ratio, _random_samples, nd, name):
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if len(output_ratio) > nd:
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple of Ints.")
        ratio = tuple(output_ratio) * (nd if len(output_ratio) == 1 else 1)
        output_size = [int(input.size(-nd + i) * ratio[i]) for i in range(nd)]
    if _random_samples is None:
        from .. import rand
        n_batch = 1 if input.dim() == nd + 1 else input.size(0)
        _random_samples = rand(n_batch, input.size(-nd - 1), nd, dtype=input.dtype)
    return output_size, _random_samples


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                                       _random_samples=None):
    """2D fractional max pooling (pseudo-random window starts) returning (output, indices)."""
    output_size, samples = _fractional_args(input, kernel_size, output_size, output_ratio, _random_samples, 2,
                                            "fractional_max_pool2d")
    return _fractional_max_pool(input, kernel_size, output_size, samples, 2, "fractional_max_pool2d")


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    """Applies 2D fractional max pooling (Graham, 2014) over an input signal composed of several input planes."""
    out, idx = fractional_max_pool2d_with_indices(input, kernel_size, output_size, output_ratio, False,
                                                  _random_samples)
    return (out, idx) if return_indices else out


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                                       _random_samples=None):
    """3D fractional max pooling (pseudo-random window starts) returning (output, indices)."""
    output_size, samples = _fractional_args(input, kernel_size, output_size, output_ratio, _random_samples, 3,
                                            "fractional_max_pool3d")
    return _fractional_max_pool(input, kernel_size, output_size, samples, 3, "fractional_max_pool3d")


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    """Applies 3D fractional max pooling over an input signal composed of several input planes."""
    out, idx = fractional_max_pool3d_with_indices(input, kernel_size, output_size, output_ratio, False,
                                                  _random_samples)
    return (out, idx) if return_indices else out
