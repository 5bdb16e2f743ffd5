"""Indexing: __getitem__/__setitem__, gather/scatter, index_select/index_add/index_put, masked ops, sort/topk,
unique, nonzero."""
import numbers

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ._common import needs_grad, record, wrap_dim, sum_to, shape_str, type_name
from .creation import zeros, zeros_like, _C_TYPE_NAMES
from .reduction import sort_ret, topk_ret, _namedtuple

histogram_ret = _namedtuple("histogram", ["hist", "bin_edges"])

_make = Tensor._make
_state = grad_mode._state
_builtin_slice = slice


# ------------------------------------------------------------------ key handling
def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _is_mask(k):
    return isinstance(k, Tensor) and k.dtype in (D.bool_, D.uint8)


def _as_index(k):
    """Lists, tuples and numpy arrays used as one index become tensors, as PyTorch converts them."""
    if isinstance(k, Tensor):
        return k
    if isinstance(k, str):
        raise TypeError("new(): invalid data type 'str'")
    from .creation import tensor
    if isinstance(k, np.ndarray):
        return tensor(k)
    return tensor(k if len(k) else np.zeros(0, dtype=np.int64))


def _normalise_key(key):
    if isinstance(key, tuple):
        return key
    if isinstance(key, list) and any(k is None or k is Ellipsis or isinstance(k, (_builtin_slice, list, tuple,
                                                                                      Tensor)) for k in key):
        # a non-tuple sequence of index objects is read as a tuple (deprecated in PyTorch, still honoured)
        return tuple(key)
    return (key,)


def _split_key(key, x):
    """Split a PyTorch index into a numpy basic-index key (ints, slices, None, one Ellipsis), applied first
    as a view, and the advanced indices as (dim of the view, numpy array, is_mask), as PyTorch applies them."""
    key = _normalise_key(key)
    conv = []
    for k in key:
        if isinstance(k, range):
            k = list(k)  # a range indexes like the list of its values
        if isinstance(k, (list, tuple, np.ndarray)) or isinstance(k, str):
            k = _as_index(k)
        conv.append(k)
    n_real = 0
    for k in conv:
        if k is None or k is Ellipsis or isinstance(k, (bool, np.bool_)):
            continue
        if isinstance(k, Tensor) and k.dim() == 0 and k.dtype is D.bool_:
            continue
        n_real += k.dim() if _is_mask(k) else 1
    if n_real > x.ndim:
        if x.ndim == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                             "in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    basic, adv = [], []
    dim = 0     # dim of x the next index applies to
    rdim = 0    # dim of the basic view that dim becomes
    ell_seen = False
    for k in conv:
        if k is Ellipsis:
            if not ell_seen:
                ell_seen = True
                cover = x.ndim - n_real
                basic.extend([_builtin_slice(None)] * cover)
                dim += cover
                rdim += cover
        elif k is None:
            basic.append(None)
            rdim += 1
        elif isinstance(k, (bool, np.bool_)) or isinstance(k, Tensor) and k.dim() == 0 and k.dtype is D.bool_:
            basic.append(None)
            adv.append((rdim, np.zeros(1 if bool(k) else 0, dtype=np.int64), False))
            rdim += 1
        elif _is_int(k) or isinstance(k, Tensor) and k.dim() == 0 and not _is_mask(k) and \
                not (k.dtype.is_floating_point or k.dtype.is_complex):
            i = int(k)
            n = x.shape[dim]
            if i < -n or i >= n:
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {n}")
            basic.append(i)
            dim += 1
        elif isinstance(k, _builtin_slice):
            step = 1 if k.step is None else _idx(k.step)
            if step == 0:
                raise ValueError("slice step cannot be zero")
            if step < 0:
                raise ValueError("step must be greater than zero")
            basic.append(_builtin_slice(_idx(k.start), _idx(k.stop), step))
            dim += 1
            rdim += 1
        elif isinstance(k, Tensor):
            if _is_mask(k):
                if k.dtype is D.uint8:
                    import warnings
                    warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                                  "torch.bool instead.", UserWarning, stacklevel=4)
                m = k._data.astype(bool)
                for j in range(m.ndim):
                    if m.shape[j] != x.shape[dim + j]:
                        raise IndexError(f"The shape of the mask {shape_str(m.shape)} at index {j} does not match "
                                         f"the shape of the indexed tensor {shape_str(x.shape)} at index {dim + j}")
                basic.extend([_builtin_slice(None)] * m.ndim)
                adv.append((rdim, m, True))
                dim += m.ndim
                rdim += m.ndim
            elif k.dtype.is_floating_point or k.dtype.is_complex:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            else:
                adv.append((rdim, _check_bounds(k._data.astype(np.int64), x, dim), False))
                basic.append(_builtin_slice(None))
                dim += 1
                rdim += 1
        elif hasattr(k, "__index__"):
            i = k.__index__()
            n = x.shape[dim]
            if i < -n or i >= n:
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {n}")
            basic.append(i)
            dim += 1
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             "valid indices (got " + type(k).__name__ + ")")
    return tuple(basic), adv


def _adv_key(adv, ndim):
    """The numpy key that applies the advanced indices of ``_split_key`` to the basic view."""
    key = [_builtin_slice(None)] * ndim
    drop = set()
    for rdim, arr, is_mask in adv:
        key[rdim] = arr
        if is_mask:
            drop.update(range(rdim + 1, rdim + arr.ndim))
    return tuple(k for i, k in enumerate(key) if i not in drop)


def _convert_key(key, x):
    """A numpy key equivalent to PyTorch's ``key`` on ``x`` (ints applied before advanced indices)."""
    basic, adv = _split_key(key, x)
    if not adv:
        return basic, False
    view = x[basic]
    view = view if isinstance(view, np.ndarray) else np.asarray(view)
    return (basic, _adv_key(adv, view.ndim)), True


def _unsqueeze_strides(x, basic):
    """The strides PyTorch gives a basic-indexing view (its unsqueezed dims take size*stride of the next dim)."""
    it = x.itemsize
    shape = list(x.shape)
    strides = [st // it for st in x.strides]
    out_shape, out_strides = [], []
    dim = 0
    for k in basic:
        if k is None:
            nxt = shape[dim] * strides[dim] if dim < len(shape) else 1
            out_shape.append(1)
            out_strides.append(nxt)
        elif isinstance(k, _builtin_slice):
            n = len(range(*k.indices(shape[dim])))
            out_shape.append(n)
            out_strides.append(strides[dim] * (k.step or 1))
            dim += 1
        else:
            dim += 1
    out_shape.extend(shape[dim:])
    out_strides.extend(strides[dim:])
    return tuple(out_shape), tuple(out_strides)


def _basic_view_array(x, basic):
    arr = x[basic]
    if not isinstance(arr, np.ndarray):
        arr = np.asarray(arr) if Ellipsis in basic else x[basic + (Ellipsis,)]
    if any(k is None for k in basic) and arr.size:
        shape, strides = _unsqueeze_strides(x, basic)
        if shape == arr.shape and tuple(st * arr.itemsize for st in strides) != arr.strides:
            arr = np.lib.stride_tricks.as_strided(arr, shape=shape,
                                                  strides=tuple(st * arr.itemsize for st in strides))
    return arr


def _idx(v):
    if v is None:
        return None
    if isinstance(v, Tensor):
        return int(v)
    return v.__index__() if not isinstance(v, int) else v


def _check_bounds(a, x, dim):
    if dim < x.ndim and a.size:
        n = x.shape[dim]
        bad = (a >= n) | (a < -n)
        if bad.any():
            v = int(a[bad].reshape(-1)[0])
            raise IndexError(f"index {v} is out of bounds for dimension {dim} with size {n}")
    return a


def _grad_name_basic(npkey):
    for k in reversed(npkey):
        if k is None:
            return "UnsqueezeBackward0"
        if isinstance(k, int):
            return "SelectBackward0"
        if isinstance(k, _builtin_slice):
            return "SliceBackward0"
    return "AliasBackward0"


def _basic_getitem(self, basic):
    r = self._view_of(_basic_view_array(self._data, basic))
    if needs_grad(self):
        in_shape = self.shape
        record(_grad_name_basic(basic) if basic else "AliasBackward0", r, (self,),
               lambda node, g: (basic_index_backward(g, in_shape, basic),))
    return r


def getitem(self, key):
    basic, adv = _split_key(key, self._data)
    if not adv:
        return _basic_getitem(self, basic)
    view = _basic_getitem(self, basic) if any(not (isinstance(k, _builtin_slice) and k == _builtin_slice(None))
                                              for k in basic) else self
    return index_tensor(view, _adv_key(adv, view._data.ndim), layout=True)


def _advanced_result_strides(x, npkey, res_shape):
    """Strides of PyTorch's advanced-indexing result: TensorIterator orders dims by the source's strides
    (indexed dims by the index tensors' strides)."""
    if x.flags.c_contiguous:
        return None  # a C-contiguous source gives a C-contiguous result (its strides leave the order as is)
    from .creation import iter_output_strides
    it = x.itemsize
    src_strides = [st // it for st in x.strides]
    arrays = [(i, k) for i, k in enumerate(npkey) if isinstance(k, np.ndarray)]
    if any(k.dtype == bool for _, k in arrays) or not arrays:
        return None
    positions = [i for i, _ in arrays]
    bshape = np.broadcast_shapes(*(k.shape for _, k in arrays))
    adjacent = positions == list(range(positions[0], positions[0] + len(positions)))
    rest = [i for i in range(x.ndim) if i not in positions] + list(range(len(npkey), x.ndim))
    rest = sorted(set(rest))
    index_strides = _contiguous_strides(bshape)
    if adjacent:
        before = [i for i in rest if i < positions[0]]
        after = [i for i in rest if i > positions[-1]]
        src = [src_strides[i] for i in before] + [0] * len(bshape) + [src_strides[i] for i in after]
        idx = [0] * len(before) + list(index_strides) + [0] * len(after)
    else:
        src = [0] * len(bshape) + [src_strides[i] for i in rest]
        idx = list(index_strides) + [0] * len(rest)
    if len(src) != len(res_shape):
        return None
    return iter_output_strides(res_shape, [src, idx])


def _canonical_contiguous(arr):
    """A C-contiguous array with PyTorch's strides on size-1 dims too (numpy may leave others there)."""
    if 1 not in arr.shape:
        return arr
    want = tuple(st * arr.itemsize for st in _contiguous_strides(arr.shape))
    if arr.strides != want and arr.size:
        arr = np.lib.stride_tricks.as_strided(arr, shape=arr.shape, strides=want)
    return arr


def _contiguous_strides(shape):
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(out))


def index_tensor(self, npkey, layout=False):
    """Advanced indexing (a copy), with IndexBackward0."""
    if not isinstance(npkey, tuple):
        npkey = (npkey,)
    npkey = tuple(k._data if isinstance(k, Tensor) else k for k in npkey)
    res = self._data[npkey]
    strides = _advanced_result_strides(self._data, npkey, res.shape) if layout and res.size > 1 else None
    if strides is not None and strides != _contiguous_strides(res.shape):
        from .creation import empty_strided
        out = empty_strided(res.shape, strides, dtype=self.dtype)._data
        out[...] = res
        res = out
    else:
        res = _canonical_contiguous(np.ascontiguousarray(res))
    r = _make(res, self.dtype)
    if needs_grad(self):
        in_shape = self.shape
        record("IndexBackward0", r, (self,), lambda node, g: (_index_put_into_zeros(g, in_shape, npkey),))
    return r


def basic_index_backward(g, in_shape, npkey):
    """zeros(in_shape) with g written at npkey; itself differentiable (its backward indexes again)."""
    out = np.zeros(in_shape, dtype=g._data.dtype)
    out[npkey] = g._data
    r = _make(out, g.dtype)
    if needs_grad(g):
        record("SliceBackwardBackward0", r, (g,), lambda node, gg: (getitem_np(gg, npkey),))
    return r


def getitem_np(t, npkey):
    arr = t._data[npkey]
    r = t._view_of(arr if isinstance(arr, np.ndarray) else np.asarray(arr))
    if needs_grad(t):
        in_shape = t.shape
        record("SliceBackward0", r, (t,), lambda node, g: (basic_index_backward(g, in_shape, npkey),))
    return r


def _index_put_into_zeros(g, in_shape, npkey):
    out = np.zeros(in_shape, dtype=g._data.dtype)
    np.add.at(out, npkey, g._data)
    r = _make(out, g.dtype)
    if needs_grad(g):
        record("IndexPutBackward0", r, (g,), lambda node, gg: (index_tensor(gg, npkey),))
    return r


def setitem(self, key, value):
    """PyTorch's __setitem__: basic indices make a view, advanced ones then index_put_ into it."""
    from .inplace import apply_inplace
    basic, adv = _split_key(key, self._data)
    if not isinstance(value, (Tensor, numbers.Number)):
        kind = type(value)
        label = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
        from .._tensor import legacy_type_name
        raise TypeError(f"can't assign a {label} to a {legacy_type_name(self)}")
    if not isinstance(value, Tensor):
        with np.errstate(invalid="ignore", over="ignore"):
            value = _make(np.asarray(value).astype(self.dtype._np), self.dtype)
    trivial = all(isinstance(k, _builtin_slice) and k == _builtin_slice(None) for k in basic)
    view = self if trivial and adv else _basic_getitem(self, basic)
    if not adv:
        value = _strip_leading_ones(value, view._data.ndim)
        if value._data.shape != view._data.shape and not _expandable(value._data.shape, view._data.shape):
            value.expand(view.shape)  # raises PyTorch's expand error
        copy_(view, value)
        return
    advkey = _adv_key(adv, view._data.ndim)
    value = _strip_leading_ones(value, view._data[advkey].ndim)
    apply_inplace(view, _index_put_np, advkey, value, False)


def _expandable(shape, target):
    if len(shape) > len(target):
        return False
    return all(n == 1 or n == t for n, t in zip(reversed(shape), reversed(target)))


def _strip_leading_ones(value, ndim):
    while value._data.ndim > ndim and value._data.shape[0] == 1:
        value = value.squeeze(0)
    return value


def _index_put_np(self, npkey, values, accumulate):
    x = self._data.copy()
    v = values._data.astype(self.dtype._np) if values.dtype is not self.dtype else values._data
    try:
        if accumulate:
            np.add.at(x, npkey, v)
        else:
            x[npkey] = v
    except ValueError:
        target = x[npkey].shape
        raise RuntimeError(f"shape mismatch: value tensor of shape {shape_str(values.shape)} cannot be broadcast to "
                           f"indexing result of shape {shape_str(target)}") from None
    r = _make(x, self.dtype)
    if needs_grad(self, values):
        vshape = values.shape

        def backward(node, g):
            gs = g
            if not accumulate:
                gs = _masked_zero(g, npkey)
            gv = None
            if values.requires_grad:
                gv = sum_to(index_tensor(g, npkey), vshape) if index_tensor(g, npkey).shape != vshape else \
                    index_tensor(g, npkey)
            return gs, gv
        record("IndexPutBackward0", r, (self, values), backward)
    return r


def _masked_zero(g, npkey):
    out = g._data.copy()
    out[npkey] = 0
    r = _make(out, g.dtype)
    if needs_grad(g):
        record("IndexPutBackward0", r, (g,), lambda node, gg: (_masked_zero(gg, npkey),))
    return r


def index_put(input, indices, values, accumulate=False):
    for i, k in enumerate(indices):
        if not isinstance(k, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(k).__name__}")
    npkey = tuple(i._data for i in indices)
    npkey = tuple(k.astype(bool) if isinstance(k, np.ndarray) and k.dtype == np.uint8 else k for k in npkey)
    if not isinstance(values, Tensor):
        values = _make(np.asarray(values, dtype=input.dtype._np), input.dtype)
    if values.dtype is not input.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{type_name(input.dtype)} for the destination and {type_name(values.dtype)} for the "
                           f"source.")
    return _index_put_np(input, npkey, values, accumulate)


def index_put_(input, indices, values, accumulate=False):
    from .inplace import apply_inplace
    return apply_inplace(input, index_put, indices, values, accumulate)


# ------------------------------------------------------------------ copy_
def _copy_from(self, src):
    if not isinstance(src, Tensor):
        src = _make(np.asarray(src, dtype=self.dtype._np), self.dtype)
    from ._common import check_broadcast
    check_broadcast(self, src)
    shape = np.broadcast_shapes(src._data.shape, self._data.shape)
    if shape != self._data.shape:
        raise RuntimeError(f"output with shape {shape_str(self._data.shape)} doesn't match the broadcast shape "
                           f"{shape_str(shape)}")
    arr = np.broadcast_to(src._data, self._data.shape).astype(self.dtype._np, copy=True)
    r = _make(arr, self.dtype)
    if needs_grad(src):
        sshape, sdt = src.shape, src.dtype

        def backward(node, g):
            gs = sum_to(g, sshape)
            if gs.dtype is not sdt:
                gs = gs.to(sdt)
            return g * 0, gs
        record("CopyBackwards", r, (self, src), backward)
    elif needs_grad(self):
        record("CopyBackwards", r, (self, None), lambda node, g: (g * 0, None))
    return r


def copy_(self, src, non_blocking=False):
    from .inplace import apply_inplace
    return apply_inplace(self, _copy_from, src)


# ------------------------------------------------------------------ gather / scatter
def _check_index_dtype(index, name):
    if index.dtype is not D.int64 and index.dtype is not D.int32:
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def _check_scatter_dims(input, index, src, d):
    if input.dim() and index.dim() != input.dim():
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if isinstance(src, Tensor) and src.dim() and index.dim() != src.dim():
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")


def _full_index(index_arr, d):
    """Coordinates for every element of ``index_arr`` with axis ``d`` replaced by the index values."""
    grids = list(np.indices(index_arr.shape, sparse=True))
    grids[d] = index_arr
    return tuple(grids)


def gather(input, dim, index, *, sparse_grad=False, out=None):
    _check_index_dtype(index, "gather")
    x = input._data
    d = wrap_dim(dim, max(x.ndim, 1))
    idx = index._data
    if x.ndim == 0:
        res = x.reshape(()).copy() if idx.ndim == 0 else np.full(idx.shape, x)
    else:
        if idx.ndim != x.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        n = x.shape[d]
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = idx[(idx < -n) | (idx >= n)].reshape(-1)[0]
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
        for k in range(x.ndim):
            if k != d and idx.shape[k] > x.shape[k]:
                raise RuntimeError(f"Size does not match at dimension {k} expected index {shape_str(idx.shape)} to be "
                                   f"no larger than self {shape_str(x.shape)} apart from dimension {d}")
        res = x[_full_index(idx, d)]
    r = _make(np.array(res, copy=True), input.dtype)
    if needs_grad(input):
        in_shape = input.shape
        record("GatherBackward0", r, (input,),
               lambda node, g: (zeros(in_shape, dtype=g.dtype).scatter_add(d, node.saved(0), g),), (index,))
    return r


def take_along_dim(input, indices, dim=None):
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    d = wrap_dim(dim, input.dim())
    from ._common import broadcast_shapes
    shp_i = list(input.shape)
    shp_x = list(indices.shape)
    shp_i[d] = 1
    shp_x[d] = 1
    b = broadcast_shapes(tuple(shp_i), tuple(shp_x))
    ib = list(b)
    ib[d] = input.shape[d]
    xb = list(b)
    xb[d] = indices.shape[d]
    return gather(input.expand(ib), d, indices.expand(xb))


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    if src is None and value is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    if not isinstance(src, Tensor) and src is not None:
        value, src = src, None
    _check_index_dtype(index, "scatter")
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
    _check_scatter_dims(input, index, src, d)
    idx = index._data
    if idx.size:
        n = x.shape[d] if x.ndim else 1
        if idx.min() < -n or idx.max() >= n:
            bad = idx[(idx < -n) | (idx >= n)].reshape(-1)[0]
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    coords = _full_index(idx, d) if x.ndim else ()
    if src is not None:
        vals = src._data[tuple(slice(0, s) for s in idx.shape)].astype(x.dtype)
    else:
        vals = np.asarray(value, dtype=x.dtype)
    if reduce is None:
        x[coords] = vals
    elif reduce == "add":
        np.add.at(x, coords, np.broadcast_to(vals, idx.shape))
    elif reduce == "multiply":
        np.multiply.at(x, coords, np.broadcast_to(vals, idx.shape))
    else:
        raise RuntimeError("reduce argument must be either add or multiply.")
    r = _make(x, input.dtype)
    if needs_grad(input, src) and reduce is None:
        if src is not None:
            sshape = src.shape

            def backward(node, g):
                ix = node.saved(0)
                gs = g.scatter(d, ix, 0.0)
                gsrc = None
                if src.requires_grad:
                    gsrc = _pad_to(g.gather(d, ix), sshape)
                return gs, gsrc
            record("ScatterBackward0", r, (input, src), backward, (index,))
        else:
            record("ScatterBackward1", r, (input,), lambda node, g: (g.scatter(d, node.saved(0), 0.0),), (index,))
    return r


def _pad_to(g, shape):
    if tuple(g.shape) == tuple(shape):
        return g
    z = zeros(shape, dtype=g.dtype)
    z[tuple(slice(0, s) for s in g.shape)] = g
    return z


def scatter_add(input, dim, index, src):
    _check_index_dtype(index, "scatter")
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
    _check_scatter_dims(input, index, src, d)
    idx = index._data
    if idx.size:
        n = x.shape[d] if x.ndim else 1
        if idx.min() < -n or idx.max() >= n:
            bad = idx[(idx < -n) | (idx >= n)].reshape(-1)[0]
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    coords = _full_index(idx, d) if x.ndim else ()
    vals = src._data[tuple(slice(0, s) for s in idx.shape)].astype(x.dtype)
    np.add.at(x, coords, vals)
    r = _make(x, input.dtype)
    if needs_grad(input, src):
        sshape = src.shape

        def backward(node, g):
            gsrc = _pad_to(g.gather(d, node.saved(0)), sshape) if src.requires_grad else None
            return g, gsrc
        record("ScatterAddBackward0", r, (input, src), backward, (index,))
    return r


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    return _scatter_reduce(input, dim, index, src, reduce, include_self, "ScatterReduceBackward0")


def _scatter_reduce(input, dim, index, src, reduce, include_self, node_name):
    _check_index_dtype(index, "scatter")
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
    _check_scatter_dims(input, index, src, d)
    idx = index._data
    coords = _full_index(idx, d)
    vals = src._data[tuple(slice(0, s) for s in idx.shape)].astype(x.dtype)
    ufunc = {"sum": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum, "mean": np.add}[reduce]
    if not include_self:
        touched = np.zeros(x.shape, bool)
        touched[coords] = True
        init = {"sum": 0, "prod": 1, "amax": -np.inf, "amin": np.inf, "mean": 0}[reduce]
        if x.dtype.kind in "iu" and reduce in ("amax", "amin"):
            info = np.iinfo(x.dtype)
            init = info.min if reduce == "amax" else info.max
        x[touched] = init
    ufunc.at(x, coords, vals)
    if reduce == "mean":
        cnt = np.zeros(x.shape, np.int64) + (1 if include_self else 0)
        np.add.at(cnt, coords, 1)
        with np.errstate(all="ignore"):
            x = np.where(cnt > 0, x / np.maximum(cnt, 1), x).astype(x.dtype) if x.dtype.kind == "f" else \
                np.where(cnt > 0, x // np.maximum(cnt, 1), x).astype(x.dtype)
    r = _make(x, input.dtype)
    if needs_grad(input, src):
        sshape = src.shape

        def backward(node, g):
            ix, self_, src_, out = node.saved(0), node.saved(1), node.saved(2), node.saved(3)
            src_part = src_[tuple(slice(0, n) for n in ix.shape)]
            gi = gs = None
            if reduce in ("sum", "mean"):
                if reduce == "mean":
                    counts = zeros(out.shape, dtype=g.dtype).scatter_add(
                        d, ix, zeros(ix.shape, dtype=g.dtype) + 1) + (1 if include_self else 0)
                    g = g / counts.clamp_min(1)
                gi = g if include_self else g.scatter(d, ix, 0.0)
                gs = g.gather(d, ix)
            elif reduce == "prod":
                # d out / d self = out / self and d out / d src_j = out / src_j (nonzero inputs)
                gi = g * out / self_ if include_self else g.scatter(d, ix, 0.0)
                gs = (g * out).gather(d, ix) / src_part
            else:
                # amax/amin: the gradient is shared evenly by every input equal to the result
                self_hit = (self_ == out).to(g.dtype) if include_self else zeros(out.shape, dtype=g.dtype)
                src_hit = (src_part == out.gather(d, ix)).to(g.dtype)
                counts = self_hit.scatter_add(d, ix, src_hit)
                share = g / counts.clamp_min(1)
                gi = share * self_hit if include_self else g.scatter(d, ix, 0.0)
                gs = share.gather(d, ix) * src_hit
            if gs is not None and tuple(gs.shape) != tuple(sshape):
                gs = _pad_to(gs, sshape)
            return gi, gs
        record(node_name, r, (input, src), backward, (index, input, src, "__out__"))
    return r


# ------------------------------------------------------------------ index_select / index_add / index_fill
def _check_index_1d(index, name):
    if index.dim() > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def index_select(input, dim, index, *, out=None):
    _check_index_1d(index, "index_select")
    x = input._data
    d = wrap_dim(dim, max(x.ndim, 1))
    idx = index._data.reshape(-1).astype(np.int64)
    n = x.shape[d] if x.ndim else 1
    if idx.size and (idx.min() < 0 and idx.min() < -n or idx.max() >= n):
        bad = idx[(idx >= n) | (idx < -n)][0]
        if bad >= n:
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")
        raise IndexError("index out of range in self")
    res = np.take(x, idx, axis=d) if x.ndim else x.reshape(1)[idx].reshape(index._data.shape)
    r = _make(res, input.dtype)
    if needs_grad(input):
        in_shape = input.shape
        record("IndexSelectBackward0", r, (input,),
               lambda node, g: (zeros(in_shape, dtype=g.dtype).index_add(d, node.saved(0), g),), (index,))
    return r


def index_add(input, dim, index, source, *, alpha=1):
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
    idx = index._data.reshape(-1).astype(np.int64)
    n = x.shape[d] if x.ndim else 1
    if idx.size and (idx.max() >= n or idx.min() < -n):
        raise IndexError("index out of range in self")
    src = source._data.astype(x.dtype)
    if alpha != 1:
        src = src * alpha
    if x.ndim == 0:
        x = x + src.sum()
    else:
        sl = [_builtin_slice(None)] * x.ndim
        sl[d] = idx
        np.add.at(x, tuple(sl), np.moveaxis(src, d, d) if src.ndim else src)
    r = _make(np.asarray(x), input.dtype)
    if needs_grad(input, source):
        def backward(node, g):
            gsrc = None
            if source.requires_grad:
                gsrc = g.index_select(d, node.saved(0))
                if alpha != 1:
                    gsrc = gsrc * alpha
                gsrc = gsrc.reshape(source.shape)
            return g, gsrc
        record("IndexAddBackward0", r, (input, source), backward, (index,))
    return r


def index_copy(input, dim, index, source):
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
    sl = [_builtin_slice(None)] * x.ndim
    sl[d] = index._data.reshape(-1)
    x[tuple(sl)] = source._data
    r = _make(x, input.dtype)
    if needs_grad(input, source):
        def backward(node, g):
            ix = node.saved(0)
            return g.index_fill(d, ix, 0), (g.index_select(d, ix) if source.requires_grad else None)
        record("IndexCopyBackward0", r, (input, source), backward, (index,))
    return r


def index_fill(input, dim, index, value):
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
    sl = [_builtin_slice(None)] * x.ndim
    sl[d] = index._data.reshape(-1)
    v = value.item() if isinstance(value, Tensor) else value
    x[tuple(sl)] = v
    r = _make(x, input.dtype)
    if needs_grad(input):
        record("IndexFillBackward0", r, (input,), lambda node, g: (g.index_fill(d, node.saved(0), 0),), (index,))
    return r


# ------------------------------------------------------------------ masked ops
def _check_mask(mask, name):
    if mask.dtype is not D.bool_:
        if mask.dtype is D.uint8 and name != "masked_fill_":
            return
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {type_name(mask.dtype)}"
                           if name != "masked_fill_" else
                           f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_C_TYPE_NAMES[mask.dtype.name]}")


def masked_fill(input, mask, value):
    _check_mask(mask, "masked_fill_")
    from ._common import check_broadcast
    check_broadcast(input, mask)
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.dim()} dimension(s).")
        v = value._data.astype(input.dtype._np)
    else:
        v = np.asarray(value).astype(input.dtype._np)
    m = mask._data.astype(bool)
    res = np.where(m, v, input._data)
    if res.shape != input._data.shape:
        raise RuntimeError(f"output with shape {shape_str(input.shape)} doesn't match the broadcast shape "
                           f"{shape_str(res.shape)}")
    res = np.ascontiguousarray(res)  # PyTorch's out-of-place masked_fill result is contiguous
    r = _make(res, input.dtype)
    v_t = isinstance(value, Tensor)
    if needs_grad(input, value if v_t else None):
        def backward(node, g):
            mk = node.saved(0)
            gi = g.masked_fill(mk, 0)
            gv = None
            if v_t and value.requires_grad:
                from .pointwise import where as _where
                gv = _where(mk, g, 0.0).sum()
            return (gi, gv) if v_t else (gi,)
        record("MaskedFillBackward1" if v_t else "MaskedFillBackward0", r, (input, value) if v_t else (input,),
               backward, (mask,))
    return r


def masked_select(input, mask):
    _check_mask(mask, "masked_select")
    from ._common import broadcast_shapes
    shape = broadcast_shapes(input.shape, mask.shape)
    x = np.broadcast_to(input._data, shape)
    m = np.broadcast_to(mask._data.astype(bool), shape)
    r = _make(x[m].copy(), input.dtype)
    if needs_grad(input):
        in_shape = input.shape

        def backward(node, g):
            z = zeros(shape, dtype=g.dtype).masked_scatter(node.saved(0).expand(shape), g)
            return (sum_to(z, in_shape),)
        record("MaskedSelectBackward0", r, (input,), backward, (mask,))
    return r


def masked_scatter(input, mask, source):
    x = input._data.copy()
    m = np.broadcast_to(mask._data.astype(bool), x.shape)
    n = int(m.sum())
    if source.numel() < n:
        raise RuntimeError("masked_scatter: expected source to have at least as many elements as ones in mask")
    x[m] = source._data.reshape(-1)[:n]
    r = _make(x, input.dtype)
    if needs_grad(input, source):
        sshape = source.shape

        def backward(node, g):
            mk = node.saved(0)
            gi = g.masked_fill(mk, 0)
            gs = None
            if source.requires_grad:
                sel = masked_select(g, mk)
                flat = zeros(int(np.prod(sshape)), dtype=g.dtype)
                flat[:sel.numel()] = sel
                gs = flat.reshape(sshape)
            return gi, gs
        record("MaskedScatterBackward0", r, (input, source), backward, (mask,))
    return r


# ------------------------------------------------------------------ sort / topk / unique / nonzero
def _value_selecting_backward(g, d, indices, shape, keepdim):
    if not keepdim and len(shape) > 0:
        g = g.unsqueeze(d)
        indices = indices.unsqueeze(d)
    return zeros(shape, dtype=g.dtype).scatter(d, indices, g)


def _sort_indices(x, d, descending, stable=True):
    if descending:
        rev = np.flip(x, axis=d)
        idx = np.argsort(rev, axis=d, kind="stable")
        idx = np.flip(idx, axis=d)
        return x.shape[d] - 1 - idx
    return np.argsort(x, axis=d, kind="stable")


def sort(input, dim=-1, descending=False, stable=None, *, out=None):
    if isinstance(dim, bool):
        descending, dim = dim, -1
    x = input._data
    if x.ndim == 0:
        return sort_ret(_make(x.copy(), input.dtype), _make(np.zeros((), np.int64), D.int64))
    d = wrap_dim(dim, x.ndim)
    cx = x.astype(np.float32) if x.dtype == D.bfloat16._np else x
    idx = _sort_indices(cx, d, descending)
    vals = np.take_along_axis(x, idx, d)
    values = _make(vals, input.dtype)
    indices = _make(idx.astype(np.int64), D.int64)
    if needs_grad(input):
        shape = input.shape
        record("SortBackward0", values, (input,),
               lambda node, g: (_value_selecting_backward(g, d, node.saved(0), shape, True),), (indices,))
    return sort_ret(values, indices)


def argsort(input, dim=-1, descending=False, stable=False):
    return sort(input, dim, descending).indices


def msort(input):
    return sort(input, 0).values


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    x = input._data
    d = wrap_dim(dim, max(x.ndim, 1))
    n = x.shape[d] if x.ndim else 1
    if k < 0 or k > n:
        raise RuntimeError("selected index k out of range")
    if x.ndim == 0:
        return topk_ret(_make(x.copy(), input.dtype), _make(np.zeros((), np.int64), D.int64))
    cx = x.astype(np.float32) if x.dtype == D.bfloat16._np else x
    idx = _sort_indices(cx, d, largest)
    idx = np.take(idx, np.arange(k), axis=d)
    if largest and k and x.size:
        _ties_as_pytorch(cx, idx, d, k)
    vals = np.take_along_axis(x, idx, d)
    values = _make(vals, input.dtype)
    indices = _make(idx.astype(np.int64), D.int64)
    if needs_grad(input):
        shape = input.shape
        record("TopkBackward0", values, (input,),
               lambda node, g: (_value_selecting_backward(g, d, node.saved(0), shape, True),), (indices,))
    return topk_ret(values, indices)


def _ties_as_pytorch(cx, idx, d, k):
    """Among equal values PyTorch's CPU topk keeps the order its partial sort leaves; for rows where the k-th
    value is tied, replay that algorithm (emulated in ``tritongrad._random`` for multinomial) for the row."""
    from .._random import _topk_largest
    if cx.shape[d] > 4096:
        return  # the replay is pure Python: for long rows ties keep numpy's stable order
    rows = np.moveaxis(cx, d, -1).reshape(-1, cx.shape[d])
    out = np.moveaxis(idx, d, -1).reshape(-1, k)
    changed = False
    for r in range(rows.shape[0]):
        row = rows[r]
        kth = row[out[r, -1]]
        if np.count_nonzero(row == kth) > 1 or np.count_nonzero(row[out[r]] == kth) > 1:
            out[r] = _topk_largest(row.tolist(), k)
            changed = True
    if changed:
        idx[...] = np.moveaxis(out.reshape(np.moveaxis(idx, d, -1).shape), -1, d)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    x = input._data
    if dim is None:
        u, inv, cnt = np.unique(x.reshape(-1), return_inverse=True, return_counts=True)
        inv = inv.reshape(x.shape)
    else:
        d = wrap_dim(dim, x.ndim)
        u, inv, cnt = np.unique(x, return_inverse=True, return_counts=True, axis=d)
        inv = inv.reshape(-1)
    out = [_make(u, input.dtype)]
    if return_inverse:
        out.append(_make(inv.astype(np.int64), D.int64))
    if return_counts:
        out.append(_make(cnt.astype(np.int64), D.int64))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    if dim is None:
        x = input._data.reshape(-1)
    else:
        d = wrap_dim(dim, input.dim())
        x = np.moveaxis(input._data, d, 0)
    if x.shape[0] == 0:
        keep = np.zeros(0, bool)
    else:
        diff = x[1:] != x[:-1]
        if diff.ndim > 1:
            diff = diff.reshape(diff.shape[0], -1).any(axis=1)
        keep = np.concatenate([[True], diff])
    u = x[keep] if dim is None else np.ascontiguousarray(np.moveaxis(x[keep], 0, d))
    out = [_make(u.copy(), input.dtype)]
    if return_inverse:
        out.append(_make((np.cumsum(keep) - 1).reshape(input._data.shape if dim is None else -1).astype(np.int64),
                         D.int64))
    if return_counts:
        pos = np.flatnonzero(keep)
        out.append(_make(np.diff(np.append(pos, x.shape[0])).astype(np.int64), D.int64))
    return out[0] if len(out) == 1 else tuple(out)


def nonzero(input, *, out=None, as_tuple=False):
    x = input._data
    if as_tuple:
        if x.ndim == 0:
            return (_make(np.nonzero(x.reshape(1))[0].astype(np.int64), D.int64),)
        return tuple(_make(a.astype(np.int64), D.int64) for a in np.nonzero(x))
    return _make(np.argwhere(x).astype(np.int64), D.int64)


def argwhere(input):
    return nonzero(input)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                               "while right was True")
        right = side == "right"
    seq = sorted_sequence._data
    vals = input._data if isinstance(input, Tensor) else np.asarray(input)
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data.astype(np.int64), axis=-1)
    if seq.ndim > 1 and seq.shape[:-1] != vals.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           "dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {shape_str(seq.shape)} and input value tensor {shape_str(vals.shape)}")
    s = "right" if right else "left"
    if seq.ndim == 1:
        res = np.searchsorted(seq, vals, side=s)
    else:
        res = np.stack([np.searchsorted(seq[i], vals[i], side=s) for i in np.ndindex(seq.shape[:-1])]).reshape(
            vals.shape)
    dt = D.int32 if out_int32 else D.int64
    return _make(np.asarray(res).astype(dt._np), dt)


def bucketize(input, boundaries, *, out_int32=False, right=False):
    vals = input._data if isinstance(input, Tensor) else np.asarray(input)
    res = np.searchsorted(boundaries._data, vals, side="left" if not right else "right")
    dt = D.int32 if out_int32 else D.int64
    return _make(np.asarray(res).astype(dt._np), dt)


def bincount(input, weights=None, minlength=0):
    if input.dtype.is_floating_point or input.dtype.is_complex or input.dtype is D.bool_:
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{type_name(input.dtype)}\'')
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if input.dim() != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    x = input._data
    if x.size and x.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = weights._data if weights is not None else None
    res = np.bincount(x, weights=w, minlength=minlength)
    if weights is None:
        return _make(res.astype(np.int64), D.int64)
    dt = weights.dtype if weights.dtype in (D.float32, D.float64) else D.float64
    return _make(res.astype(dt._np), dt)


def _histogram_range(x, lo, hi, name):
    if lo > hi:
        raise RuntimeError(f"{name}: max must be larger than min")
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"{name}: range of [{lo:g}, {hi:g}] is not finite")
    return lo, hi


def _check_histogram_input(input):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{type_name(input.dtype)}\'')


def histc(input, bins=100, min=0, max=0, *, out=None):
    """Counts in ``bins`` equal-width bins over [min, max] (the data's range when both are 0)."""
    _check_histogram_input(input)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    x = input._data
    lo, hi = _histogram_range(x, float(min), float(max), "torch.histc")
    edges = np.linspace(lo, hi, bins + 1).astype(x.dtype)
    res = _bin_counts(x.reshape(-1), edges, None)
    r = _make(res.astype(input.dtype._np), input.dtype)
    if out is not None:
        from .conversion import copy_into_out
        return copy_into_out(out, r)
    return r


def _bin_counts(x, edges, w):
    """Counts (or weight sums) per bin; values equal to the last edge fall in the last bin, outside ones drop."""
    x = x.astype(np.float64)
    e = edges.astype(np.float64)
    inside = (x >= e[0]) & (x <= e[-1])
    idx = np.searchsorted(e, x[inside], side="right") - 1
    idx = np.minimum(idx, len(e) - 2)
    weights = None if w is None else w.reshape(-1)[inside].astype(np.float64)
    return np.bincount(idx, weights=weights, minlength=len(e) - 1)[:len(e) - 1]


def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """torch.histogram: (hist, bin_edges) for ``bins`` equal-width bins or the given bin edges."""
    _check_histogram_input(input)
    x = input._data
    if isinstance(bins, Tensor):
        edges = bins._data.astype(x.dtype)
    else:
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        lo, hi = (0.0, 0.0) if range is None else (float(range[0]), float(range[1]))
        lo, hi = _histogram_range(x, lo, hi, "torch.histogram()")
        edges = np.linspace(lo, hi, bins + 1).astype(x.dtype)
    hist = _bin_counts(x.reshape(-1), edges, None if weight is None else weight._data)
    if density:
        widths = np.diff(edges.astype(np.float64))
        total = hist.sum()
        hist = hist / (total * widths) if total else hist * np.nan
    return histogram_ret(_make(hist.astype(x.dtype), input.dtype), _make(edges.copy(), input.dtype))


def _tri_indices(row, col, offset, dtype, name, lower):
    from .. import _dtype as _D
    dtype = dtype or _D.int64
    if dtype not in (_D.int64, _D.int32):
        raise NotImplementedError(f'"{name}" not implemented for \'{type_name(dtype)}\'')
    r, c = np.tril_indices(row, offset, col) if lower else np.triu_indices(row, offset, col)
    return _make(np.stack([r, c]).astype(dtype._np).reshape(2, -1), dtype)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices(row, col, offset, dtype, "tril_indices", True)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices(row, col, offset, dtype, "triu_indices", False)


def take(input, index):
    if index.dtype is not D.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {type_name(index.dtype)}")
    flat = input.reshape(-1)
    n = flat.shape[0]
    idx = index._data
    if idx.size and (idx.max() >= n or idx.min() < -n):
        bad = idx[(idx >= n) | (idx < -n)].reshape(-1)[0]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return index_tensor(flat, (idx,))


def _put(input, index, source, accumulate):
    if index.dtype is not D.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {type_name(index.dtype)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                           f"{type_name(input.dtype)} and source.dtype = {type_name(source.dtype)}")
    if index.numel() != source.numel():
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                         f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
    n = input.numel()
    idx = index._data.reshape(-1)
    if idx.size and (idx.max() >= n or idx.min() < -n):
        bad = idx[(idx >= n) | (idx < -n)].reshape(-1)[0]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    flat = input._data.reshape(-1).copy()
    vals = source._data.reshape(-1)
    if accumulate:
        np.add.at(flat, idx, vals)
    else:
        flat[idx] = vals
    r = _make(flat.reshape(input._data.shape), input.dtype)
    if needs_grad(input, source):
        def backward(node, g):
            ix = node.saved(0)
            gi = g if accumulate else g.reshape(-1).index_fill(0, ix.reshape(-1), 0).reshape(g.shape)
            gs = g.reshape(-1)[ix.reshape(-1)].reshape(source.shape) if source.requires_grad else None
            return gi, gs
        record("PutBackward0", r, (input, source), backward, (index,))
    return r


def put(input, index, source, accumulate=False):
    """Out-of-place put_: writes ``source`` at the flat positions ``index`` of a copy of ``input``."""
    return _put(input, index, source, accumulate)


def put_(input, index, source, accumulate=False):
    from .inplace import apply_inplace
    return apply_inplace(input, _put, index, source, accumulate)


Tensor.put_ = put_


def index_reduce(input, dim, index, source, reduce, *, include_self=True):
    """Reduce rows of ``source`` into ``input`` at positions ``index`` along ``dim`` (prod/mean/amax/amin)."""
    import warnings
    warnings.warn("index_reduce() is in beta and the API may change at any time. (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/TensorAdvancedIndexing.cpp:1523.)", UserWarning,
                  stacklevel=2)
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    _check_index_1d(index, "index_reduce")
    d = wrap_dim(dim, max(input.dim(), 1))
    shape = [1] * source.dim()
    shape[d] = -1
    full = index.reshape(shape).expand(source.shape)
    return _scatter_reduce(input, d, full, source, reduce, include_self, "IndexReduceBackward0")


def index_reduce_(input, dim, index, source, reduce, *, include_self=True):
    from .inplace import apply_inplace
    return apply_inplace(input, index_reduce, dim, index, source, reduce, include_self=include_self)


Tensor.index_reduce_ = index_reduce_
