"""Shape ops and views: view, reshape, permute, transpose, squeeze/unsqueeze, expand, cat/stack, split/chunk/
unbind, narrow, flip, roll, tril/triu, diag, as_strided, clone, contiguous, ..."""
import math

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _contiguous_strides
from ..autograd import grad_mode
from ._common import needs_grad, record, wrap_dim, sum_to, shape_str, type_name, edge
from .creation import parse_size, zeros

_make = Tensor._make
_state = grad_mode._state


def _view(input, arr, name, backward, multi=False):
    r = input._view_of(arr, "multi" if multi else None)
    if needs_grad(input):
        record(name, r, (input,), backward)
    return r


def _infer_size(shape, numel):
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = 1
    for i, s in enumerate(shape):
        if s != -1:
            known *= s
    if neg:
        if known == 0 or numel % known:
            if known == 0:
                raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {shape_str(shape)} because the "
                                   "unspecified dimension size -1 can be any value and is ambiguous")
            raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{shape_str(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _shape_arg(shape):
    """view/reshape sizes as a tuple of ints: varargs, one sequence, or a torch.Size."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
        if isinstance(shape, Tensor):
            shape = (int(shape),)
    if type(shape) is tuple and all(type(v) is int for v in shape):
        return shape
    return tuple(int(v) for v in shape)


def _resolved_shape(shape, numel):
    if -1 in shape or math.prod(shape) != numel or any(v < 0 for v in shape):
        return _infer_size(shape, numel)
    return shape


def _reshape_view(arr, shape):
    """A numpy view of ``arr`` with ``shape``, or None when the strides make that impossible."""
    if arr.flags.c_contiguous:
        return arr.reshape(shape)
    try:
        return np.reshape(arr, shape, copy=False)
    except ValueError:
        return None


def _view_backward_to(in_shape):
    return lambda node, g: (g.reshape(in_shape),)


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        return view_dtype(input, shape[0])
    shape = _resolved_shape(_shape_arg(shape), input._data.size)
    arr = _reshape_view(input._data, shape)
    if arr is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one dimension "
                           "spans across two contiguous subspaces). Use .reshape(...) instead.")
    return _view(input, arr, "ViewBackward0", _view_backward_to(input._data.shape))


def _size_tuple(shape):
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)) and not isinstance(shape[0], Tensor):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def view_dtype(input, dtype):
    """Tensor.view(dtype): the same bytes read as another dtype."""
    if dtype.itemsize != input.dtype.itemsize:
        if input.dim() == 0:
            raise RuntimeError("self.dim() cannot be 0 to view " + str(input.dtype).replace("torch.", "") + " as " +
                               str(dtype).replace("torch.", "") + " (different element sizes)")
        if input.stride(-1) != 1:
            raise RuntimeError("self.stride(-1) must be 1 to view " + str(input.dtype).replace("torch.", "") +
                               " as " + str(dtype).replace("torch.", "") + " (different element sizes), but got "
                               + str(input.stride(-1)))
    return input._view_of(input._data.view(dtype._np), dtype=dtype)


def reshape(input, *shape):
    shape = _resolved_shape(_shape_arg(shape), input._data.size)
    arr = _reshape_view(input._data, shape)
    if arr is None:
        c = clone(input, memory_format=_CONTIGUOUS)
        r = _make(np.reshape(c._data, shape), input.dtype)
        if needs_grad(c):
            record("UnsafeViewBackward0", r, (c,), _view_backward_to(input._data.shape))
        return r
    return _view(input, arr, "ViewBackward0", _view_backward_to(input._data.shape))


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    nd = input._data.ndim
    if nd == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, nd), wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shp = input.shape
    n = 1
    for k in range(s, e + 1):
        n *= shp[k]
    return reshape(input, tuple(shp[:s]) + (n,) + tuple(shp[e + 1:]))


def ravel(input):
    return reshape(input, -1)


def unflatten(input, dim, sizes):
    d = wrap_dim(dim, input._data.ndim)
    sizes = tuple(sizes)
    if len(sizes) == 0:
        raise RuntimeError("unflatten: sizes must be non-empty")
    shp = input.shape
    sizes = _infer_size(sizes, shp[d]) if -1 in sizes else sizes
    if math.prod(sizes) != shp[d]:
        raise RuntimeError(f"unflatten: Provided sizes {shape_str(sizes)} don't multiply up to the size of dim "
                           f"{dim} ({shp[d]}) in the input tensor")
    return view(input, tuple(shp[:d]) + sizes + tuple(shp[d + 1:]))


def permute(input, *dims):
    dims = _size_tuple(dims)
    nd = input._data.ndim
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length "
                           f"of the desired ordering of dimensions i.e. input.dim() = {nd} is not equal to "
                           f"len(dims) = {len(dims)}")
    dims = tuple(wrap_dim(d, nd) for d in dims)
    if len(set(dims)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    inv = tuple(np.argsort(dims))
    return _view(input, np.transpose(input._data, dims), "PermuteBackward0", lambda node, g: (g.permute(inv),))


def transpose(input, dim0, dim1):
    nd = input._data.ndim
    d0, d1 = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    if nd == 0:
        return _view(input, input._data.view(), "TransposeBackward0", lambda node, g: (g,))
    arr = np.swapaxes(input._data, d0, d1)
    return _view(input, arr, "TransposeBackward0", lambda node, g: (g.transpose(d0, d1),))


swapaxes = swapdims = transpose


def t(input):
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    arr = input._data.T if nd == 2 else input._data.view()
    return _view(input, arr, "TBackward0", lambda node, g: (g.t(),))


def _T(input):
    nd = input._data.ndim
    if nd != 2 and nd != 0:
        import warnings
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                      "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                      "matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a "
                      "tensor.", UserWarning, stacklevel=3)
    return permute(input, tuple(range(nd - 1, -1, -1)))


def _mT(input):
    if input._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor." if
                           input._data.ndim == 1 else "tensor.mT is only supported on matrices or batches of "
                           "matrices. Got 0-D tensor.")
    return transpose(input, -2, -1)


def _mH(input):
    return _mT(input).conj() if input.is_complex() else _mT(input)


def adjoint(input):
    return _mH(input)


def movedim(input, source, destination):
    nd = input._data.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain "
                           f"the same number of dims as destination ({list(dst)} dims)")
    src = [wrap_dim(s, nd) for s in src]
    dst = [wrap_dim(d, nd) for d in dst]
    order = [n for n in range(nd) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, order)


moveaxis = movedim


def squeeze(input, dim=None):
    shp = input._data.shape
    if dim is None:
        axes = tuple(i for i, n in enumerate(shp) if n == 1)
        name = "SqueezeBackward0"
    elif isinstance(dim, (tuple, list)):
        axes = tuple(wrap_dim(d, len(shp)) for d in dim)
        axes = tuple(a for a in axes if len(shp) and shp[a] == 1)
        name = "SqueezeBackward2"
    else:
        d = wrap_dim(dim, len(shp))
        axes = (d,) if len(shp) and shp[d] == 1 else ()
        name = "SqueezeBackward1"
    in_shape = input.shape
    return _view(input, np.squeeze(input._data, axes) if axes else input._data.view(), name,
                 lambda node, g: (g.reshape(in_shape),))


def unsqueeze(input, dim):
    d = wrap_dim(dim, input._data.ndim + 1)
    return _view(input, np.expand_dims(input._data, d), "UnsqueezeBackward0", lambda node, g: (g.squeeze(d),))


def expand(input, *sizes, implicit=False):
    sizes = _size_tuple(sizes)
    shp = input._data.shape
    if len(sizes) < len(shp):
        raise RuntimeError(f"expand(torch.FloatTensor{{{shape_str(shp)}}}, size={shape_str(sizes)}): the number of "
                           f"sizes provided ({len(sizes)}) must be greater or equal to the number of dimensions in "
                           f"the tensor ({len(shp)})".replace("torch.FloatTensor",
                                                              "torch." + (input.dtype._legacy or "Tensor")))
    lead = len(sizes) - len(shp)
    target = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a leading, non-existing "
                                   f"dimension {i}")
            target.append(s)
        else:
            cur = shp[i - lead]
            if s == -1:
                s = cur
            elif cur != s and cur != 1:
                raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at "
                                   f"non-singleton dimension {i}.  Target sizes: {shape_str(sizes)}.  Tensor sizes: "
                                   f"{shape_str(shp)}")
            target.append(s)
    target = tuple(target)
    if target == shp:
        arr = input._data.view()
    else:
        arr = np.broadcast_to(input._data, target)
        arr = np.lib.stride_tricks.as_strided(input._data, target, arr.strides, writeable=True)
    in_shape = input.shape
    return _view(input, arr, "ExpandBackward0", lambda node, g: (sum_to(g, in_shape),))


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


def broadcast_tensors(*tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    from ._common import broadcast_shapes
    shape = broadcast_shapes(*(t.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def broadcast_shapes(*shapes):
    from ._common import broadcast_shapes as bs
    from .._device import Size
    return Size(bs(*(tuple(s) if not isinstance(s, int) else (s,) for s in shapes)))


def atleast_1d(*tensors):
    ts = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    res = tuple(reshape(t, 1) if t.dim() == 0 else t for t in ts)
    return res[0] if len(res) == 1 else res


def atleast_2d(*tensors):
    ts = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    res = tuple(reshape(t, 1, 1) if t.dim() == 0 else unsqueeze(t, 0) if t.dim() == 1 else t for t in ts)
    return res[0] if len(res) == 1 else res


def atleast_3d(*tensors):
    ts = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    out = []
    for t_ in ts:
        if t_.dim() == 0:
            t_ = reshape(t_, 1, 1, 1)
        elif t_.dim() == 1:
            t_ = reshape(t_, 1, -1, 1)
        elif t_.dim() == 2:
            t_ = unsqueeze(t_, -1)
        out.append(t_)
    return out[0] if len(out) == 1 else tuple(out)


def repeat(input, *repeats):
    reps = _size_tuple(repeats)
    nd = input._data.ndim
    if len(reps) < nd:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                           "tensor")
    x = input._data.reshape((1,) * (len(reps) - nd) + input._data.shape)
    r = _make(np.tile(x, reps), input.dtype)
    if needs_grad(input):
        in_shape = input.shape
        xs = x.shape

        def backward(node, g):
            inter = []
            for rep, s in zip(reps, xs):
                inter += [rep, s]
            g2 = g.reshape(inter)
            g2 = g2.sum(tuple(range(0, 2 * len(reps), 2)))
            return (g2.reshape(in_shape),)
        record("RepeatBackward0", r, (input,), backward)
    return r


def tile(input, dims):
    dims = tuple(dims)
    nd = input.dim()
    if len(dims) < nd:
        dims = (1,) * (nd - len(dims)) + dims
    return repeat(input, dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    if repeats is None:
        # torch.repeat_interleave(repeats_tensor)
        reps = input._data
        return _make(np.repeat(np.arange(reps.size), reps).astype(np.int64), D.int64)
    if dim is None:
        input = flatten(input)
        d = 0
    else:
        d = wrap_dim(dim, input._data.ndim)
    if isinstance(repeats, Tensor):
        if repeats.dim() == 0 or repeats.numel() == 1:
            repeats = int(repeats)
        else:
            idx = _make(np.repeat(np.arange(input.shape[d]), repeats._data).astype(np.int64), D.int64)
            from .indexing import index_select
            return index_select(input, d, idx)
    # as PyTorch: unsqueeze, expand, clone, view
    x = unsqueeze(input, d + 1)
    shp = list(x.shape)
    shp[d + 1] = repeats
    x = expand(x, shp)
    x = clone(x)
    new = list(input.shape)
    new[d] *= repeats
    return view(x, new)


def _cat_dim_check(tensors, d, name="cat"):
    ref = None
    for t in tensors:
        if t._data.ndim == 1 and t._data.shape[0] == 0:
            continue  # legacy: empty 1-D tensors are skipped
        if ref is None:
            ref = t
            continue
        if t._data.ndim != ref._data.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref._data.ndim} and "
                               f"{t._data.ndim}")
        for k in range(ref._data.ndim):
            if k != d and t._data.shape[k] != ref._data.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{ref._data.shape[k]} but got size {t._data.shape[k]} for tensor number "
                                   f"{next(i for i, u in enumerate(tensors) if u is t)} in the list.")


def cat(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    for i, t_ in enumerate(tensors):
        if not isinstance(t_, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t_).__name__}")
    nonempty = [t_ for t_ in tensors if not (t_._data.ndim == 1 and t_._data.shape[0] == 0)]
    ref = nonempty[0] if nonempty else tensors[0]
    if ref._data.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = wrap_dim(dim, ref._data.ndim)
    _cat_dim_check(tensors, d)
    dt = tensors[0].dtype
    for t_ in tensors[1:]:
        dt = D.promote_types(dt, t_.dtype)
    arrs = [t_._data.astype(dt._np) if t_.dtype is not dt else t_._data for t_ in nonempty] or [ref._data]
    res = np.ascontiguousarray(np.concatenate(arrs, axis=d))  # PyTorch: contiguous result
    r = _make(res, dt)
    if out is not None:
        from .conversion import copy_into_out
        return copy_into_out(out, r, "cat", tensors)
    if needs_grad(*tensors):
        sizes = [t_.shape[d] if not (t_._data.ndim == 1 and t_._data.shape[0] == 0) else 0 for t_ in tensors]
        shapes = [t_.shape for t_ in tensors]

        def backward(node, g):
            out_ = []
            off = 0
            for n, shp in zip(sizes, shapes):
                if n == 0 and len(shp) == 1 and shp[0] == 0:
                    out_.append(zeros(shp, dtype=g.dtype))
                    continue
                out_.append(narrow(g, d, off, n))
                off += n
            return tuple(out_)
        record("CatBackward0", r, tuple(tensors), backward)
    return r


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shp = tensors[0].shape
    for i, t_ in enumerate(tensors):
        if t_.shape != shp:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {shape_str(shp)} at entry 0 and "
                               f"{shape_str(t_.shape)} at entry {i}")
    d = wrap_dim(dim, len(shp) + 1)
    return _stack(tensors, d, out)


def _stack(tensors, d, out):
    dt = tensors[0].dtype
    for t_ in tensors[1:]:
        dt = D.promote_types(dt, t_.dtype)
    res = np.stack([t_._data.astype(dt._np) if t_.dtype is not dt else t_._data for t_ in tensors], axis=d)
    res = np.ascontiguousarray(res)  # PyTorch: contiguous result
    r = _make(res, dt)
    if out is not None:
        from .conversion import copy_into_out
        return copy_into_out(out, r, "stack", tensors)
    if needs_grad(*tensors):
        record("StackBackward0", r, tuple(tensors), lambda node, g: tuple(unbind(g, d)))
    return r


def hstack(tensors):
    ts = atleast_1d(*tensors)
    ts = (ts,) if isinstance(ts, Tensor) else ts
    return cat(ts, 0 if ts[0].dim() == 1 else 1)


def vstack(tensors):
    ts = atleast_2d(*tensors)
    ts = (ts,) if isinstance(ts, Tensor) else ts
    return cat(ts, 0)


row_stack = vstack


def dstack(tensors):
    ts = atleast_3d(*tensors)
    ts = (ts,) if isinstance(ts, Tensor) else ts
    return cat(ts, 2)


def column_stack(tensors):
    ts = [reshape(t_, -1, 1) if t_.dim() <= 1 else t_ for t_ in tensors]
    return cat(ts, 1)


def _multi_view(input, arrs, name, d, sizes):
    outs = tuple(input._view_of(a, "multi") for a in arrs)
    if needs_grad(input):
        def backward(node, *grads):
            return (cat(list(grads), d),)
        record(name, outs, (input,), backward)
    return outs


def split(input, split_size_or_sections, dim=0):
    nd = input._data.ndim
    if nd == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, nd)
    n = input._data.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        s = int(split_size_or_sections)
        if s < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
        if s == 0 and n != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        sizes = [s] * (n // s) + ([n % s] if n % s else []) if s else [0]
        name = "SplitBackward0"
    else:
        sizes = [int(v) for v in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                               f"dimension {d}), but got split_sizes={sizes}")
        name = "SplitWithSizesBackward0"
    arrs = []
    off = 0
    for s in sizes:
        idx = [slice(None)] * nd
        idx[d] = slice(off, off + s)
        arrs.append(input._data[tuple(idx)])
        off += s
    return _multi_view(input, arrs, name, d, sizes)


def split_with_sizes(input, split_sizes, dim=0):
    return split(input, list(split_sizes), dim)


def tensor_split(input, indices_or_sections, dim=0):
    d = wrap_dim(dim, input.dim())
    n = input.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        base, extra = divmod(n, k)
        sizes = [base + 1] * extra + [base] * (k - extra)
    else:
        idx = [0] + list(indices_or_sections) + [n]
        sizes = [max(min(b, n) - min(a, n), 0) for a, b in zip(idx[:-1], idx[1:])]
    return split(input, sizes, d)


def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    nd = input._data.ndim
    if nd == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    d = wrap_dim(dim, nd)
    n = input._data.shape[d]
    size = (n + chunks - 1) // chunks
    if n == 0:
        return split(input, [0] * chunks, d)
    return split(input, size, d)


def unbind(input, dim=0):
    nd = input._data.ndim
    if nd == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    d = wrap_dim(dim, nd)
    arrs = [input._data[(slice(None),) * d + (i,)] for i in range(input._data.shape[d])]
    outs = tuple(input._view_of(a, "multi") for a in arrs)
    if needs_grad(input):
        record("UnbindBackward0", outs, (input,), lambda node, *grads: (stack(list(grads), d),))
    return outs


def narrow(input, dim, start, length):
    nd = input._data.ndim
    if nd == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, nd)
    n = input._data.shape[d]
    start = int(start)
    if start < -n or start > n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if start + length > n or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    idx = [slice(None)] * nd
    idx[d] = slice(start, start + length)
    return _slice_view(input, tuple(idx), "SliceBackward0")


def _slice_view(input, key, name):
    in_shape = input.shape
    from .indexing import basic_index_backward
    return _view(input, input._data[key], name, lambda node, g: (basic_index_backward(g, in_shape, key),))


def select(input, dim, index):
    nd = input._data.ndim
    if nd == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, nd)
    n = input._data.shape[d]
    index = int(index)
    if index < -n or index >= n:
        raise IndexError(f"select(): index {index} out of range for tensor of size {shape_str(input.shape)} at "
                         f"dimension {d}")
    if index < 0:
        index += n
    return _slice_view(input, (slice(None),) * d + (index,), "SelectBackward0")


def flip(input, dims):
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    nd = input._data.ndim
    axes = tuple(wrap_dim(d, nd) for d in dims)
    r = _make(np.flip(input._data, axes).copy() if nd else input._data.copy(), input.dtype)
    if needs_grad(input):
        record("FlipBackward0", r, (input,), lambda node, g: (flip(g, axes),))
    return r


def fliplr(input):
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, [1])


def flipud(input):
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, [0])


def roll(input, shifts, dims=None):
    shifts_t = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        r = _make(np.roll(input._data.reshape(-1), shifts_t[0]).reshape(input._data.shape), input.dtype)
        if needs_grad(input):
            shp = input.shape
            record("RollBackward0", r, (input,),
                   lambda node, g: (roll(g.reshape(-1), -shifts_t[0]).reshape(shp),))
        return r
    dims_t = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts_t) != len(dims_t):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts_t)}, dims:{len(dims_t)}")
    axes = tuple(wrap_dim(d, input.dim()) for d in dims_t)
    r = _make(np.ascontiguousarray(np.roll(input._data, shifts_t, axes)), input.dtype)
    if needs_grad(input):
        record("RollBackward0", r, (input,), lambda node, g: (roll(g, tuple(-s for s in shifts_t), axes),))
    return r


def rot90(input, k=1, dims=(0, 1)):
    r = _make(np.rot90(input._data, k, tuple(dims)).copy(), input.dtype)
    if needs_grad(input):
        record("Rot90Backward0", r, (input,), lambda node, g: (rot90(g, -k, dims),))
    return r


def _tri(input, diagonal, lower):
    if input._data.ndim < 2:
        raise RuntimeError(f"{'tril' if lower else 'triu'}: input tensor must have at least 2 dimensions")
    x = input._data
    n, m = x.shape[-2:]
    mask = np.tri(n, m, diagonal, dtype=bool) if lower else ~np.tri(n, m, diagonal - 1, dtype=bool)
    r = _make(np.where(mask, x, np.zeros((), x.dtype)), input.dtype)
    if needs_grad(input):
        record("TrilBackward0" if lower else "TriuBackward0", r, (input,),
               lambda node, g: (_tri(g, diagonal, lower),))
    return r


def tril(input, diagonal=0, *, out=None):
    return _tri(input, diagonal, True)


def triu(input, diagonal=0, *, out=None):
    return _tri(input, diagonal, False)


def diagonal(input, offset=0, dim1=0, dim2=1):
    nd = input._data.ndim
    d1, d2 = wrap_dim(dim1, nd), wrap_dim(dim2, nd)
    base = input._data
    ro = np.diagonal(base, offset, d1, d2)
    arr = ro
    if ro.size:
        # np.diagonal is read-only; rebuild the same view writable from the first diagonal element
        start_idx = [0] * nd
        if offset >= 0:
            start_idx[d2] = offset
        else:
            start_idx[d1] = -offset
        origin = base[tuple(slice(s, None) for s in start_idx)]
        arr = np.lib.stride_tricks.as_strided(origin, ro.shape, ro.strides, writeable=True)
    in_shape = input.shape
    r = input._view_of(arr)
    if needs_grad(input):
        def backward(node, g):
            return (diag_embed_into(g, in_shape, offset, d1, d2),)
        record("DiagonalBackward0", r, (input,), backward)
    return r


def diag_embed_into(g, shape, offset, d1, d2):
    z = zeros(shape, dtype=g.dtype)
    diagonal(z, offset, d1, d2).copy_(g)
    return z


def diag(input, diagonal_=0):
    if input._data.ndim == 1:
        r = _make(np.diag(input._data, diagonal_), input.dtype)
        if needs_grad(input):
            record("DiagEmbedBackward0", r, (input,), lambda node, g: (diagonal(g, diagonal_),))
        return r
    if input._data.ndim != 2:
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + str(input._data.ndim) + "D")
    r = _make(np.diag(input._data, diagonal_).copy(), input.dtype)
    if needs_grad(input):
        shp = input.shape
        record("DiagonalBackward0_copy", r, (input,), lambda node, g: (diag_embed_into(g, shp, diagonal_, 0, 1),))
    return r


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    n = input.shape[-1] + abs(offset)
    shape = tuple(input.shape[:-1]) + (n, n)
    z = zeros(shape, dtype=input.dtype)
    nd = len(shape)
    with grad_mode.no_grad():
        diagonal(z, offset, wrap_dim(dim1, nd), wrap_dim(dim2, nd)).copy_(input)
    if needs_grad(input):
        out = z
        record("DiagEmbedBackward0", out, (input,),
               lambda node, g: (diagonal(g, offset, wrap_dim(dim1, nd), wrap_dim(dim2, nd)),))
    return z


def trace(input):
    if input.dim() != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(input.dim()))
    r = _make(np.asarray(np.trace(input._data)), input.dtype if input.dtype.is_floating_point else D.int64)
    if needs_grad(input):
        shp = input.shape
        record("TraceBackward0", r, (input,), lambda node, g: (diag_embed_into(g.expand(min(shp)), shp, 0, 0, 1),))
    return r


def as_strided(input, size, stride, storage_offset=None):
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    off = input.storage_offset() if storage_offset is None else int(storage_offset)
    buf = input._get_storage()._buf
    need = off + (1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0)
    if need > buf.size:
        raise RuntimeError(f"setStorage: sizes {shape_str(size)}, strides {shape_str(stride)}, storage offset {off}, "
                           f"and itemsize {input.dtype.itemsize} requiring a storage size of "
                           f"{need * input.dtype.itemsize} are out of bounds for storage of size "
                           f"{buf.size * input.dtype.itemsize}")
    it = buf.itemsize
    arr = np.lib.stride_tricks.as_strided(buf[off:] if buf.size else buf, size, tuple(s * it for s in stride),
                                          writeable=True)
    r = input._view_of(arr)
    if needs_grad(input):
        meta = (input._data.shape, input.stride(), input.storage_offset())
        record("AsStridedBackward0", r, (input,), as_strided_backward_fn(meta, size, stride, off))
    return r


def _storage_span(shape, stride, offset):
    if any(n == 0 for n in shape):
        return offset
    return offset + 1 + sum((n - 1) * s for n, s in zip(shape, stride))


def _storage_indices(shape, stride, offset):
    """The storage position of every element of a strided view."""
    idx = np.full(shape, offset, dtype=np.int64)
    for d, (n, s) in enumerate(zip(shape, stride)):
        sh = [1] * len(shape)
        sh[d] = n
        idx = idx + (np.arange(n, dtype=np.int64) * s).reshape(sh)
    return idx


def as_strided_backward_fn(base_meta, size, stride, offset):
    """Backward of a strided view of a tensor described by ``base_meta``: scatter into storage positions."""

    def backward(node, grad):
        shape, bstride, boff = base_meta
        span = max(_storage_span(shape, bstride, boff), _storage_span(size, stride, offset))
        view_idx = _make(_storage_indices(size, stride, offset).reshape(-1), D.int64)
        base_idx = _make(_storage_indices(shape, bstride, boff), D.int64)
        full = zeros(span, dtype=grad.dtype)
        full = full.index_add(0, view_idx, grad.reshape(-1))
        from .indexing import index_tensor
        return (index_tensor(full, (base_idx,)),)
    return backward


def unfold(input, dimension, size, step):
    d = wrap_dim(dimension, max(input.dim(), 1))
    x = input._data
    if x.ndim == 0:
        x = x.reshape(1)
    n = x.shape[d]
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    count = (n - size) // step + 1
    shape = x.shape[:d] + (count,) + x.shape[d + 1:] + (size,)
    strides = x.strides[:d] + (x.strides[d] * step,) + x.strides[d + 1:] + (x.strides[d],)
    arr = np.lib.stride_tricks.as_strided(x, shape, strides, writeable=True)
    r = input._view_of(arr)
    if needs_grad(input):
        in_shape = input.shape

        def backward(node, g):
            # windows may overlap: accumulate through index_add on a flat view
            idx = np.arange(int(np.prod(in_shape)) if in_shape else 1).reshape(in_shape if in_shape else (1,))
            win = np.lib.stride_tricks.as_strided(idx, shape, tuple(s // x.itemsize * idx.itemsize for s in strides))
            flat = zeros(idx.size, dtype=g.dtype).index_add(0, _make(win.reshape(-1).astype(np.int64), D.int64),
                                                            g.reshape(-1))
            return (flat.reshape(in_shape),)
        record("UnfoldBackward0", r, (input,), backward)
    return r


class _ContiguousFormat:
    _name = "contiguous_format"


_CONTIGUOUS = _ContiguousFormat()


def clone(input, *, memory_format=None):
    # preserve_format (the default): the copy keeps the input's stride order, as PyTorch's does
    fmt = getattr(memory_format, "_name", "preserve_format")
    if fmt == "channels_last":
        return _to_channels_last(input)
    x = input._data
    # overlapping memory (an expanded, stride-0 dim) has no order to keep: such copies are contiguous
    keep_order = fmt != "contiguous_format" and all(st or n == 1 for st, n in zip(x.strides, x.shape))
    r = _make(np.array(x, copy=True, order="K" if keep_order else "C"), input.dtype)
    if needs_grad(input):
        record("CloneBackward0", r, (input,), lambda node, g: (g,))
    return r


def contiguous(input, memory_format=None):
    if memory_format is not None and getattr(memory_format, "_name", "contiguous_format") == "channels_last":
        return _to_channels_last(input)
    if input.is_contiguous():
        return input
    return clone(input, memory_format=_CONTIGUOUS)


def _to_channels_last(input):
    if input.dim() != 4:
        raise RuntimeError("required rank 4 tensor to use channels_last format")
    r = clone(input.permute(0, 2, 3, 1), memory_format=_CONTIGUOUS).permute(0, 3, 1, 2)
    return r


def _is_channels_last(t, memory_format):
    if t.dim() != 4:
        return False
    s = t.stride()
    n, c, h, w = t.shape
    return s[1] == 1 and s[3] == c and s[2] == c * w


def alias(input):
    return _view(input, input._data.view(), "AliasBackward0", lambda node, g: (g,))


def resize_(input, *sizes):
    if input.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = _size_tuple(sizes)
    n = int(np.prod(shape)) if shape else 1
    flat = input._data.reshape(-1) if input._data.flags.c_contiguous else np.ascontiguousarray(input._data).reshape(-1)
    if n <= flat.size:
        new = flat[:n].reshape(shape)
    else:
        new = np.zeros(n, dtype=flat.dtype)
        new[:flat.size] = flat
        new = new.reshape(shape)
        input._storage = None
    input._data = new
    return input


def resize_as_(input, other):
    return resize_(input, other.shape)
