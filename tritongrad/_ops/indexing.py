"""Indexing: __getitem__/__setitem__, gather/scatter, index_select/index_add/index_put, masked ops, sort/topk,
unique, nonzero."""
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ._common import needs_grad, record, wrap_dim, sum_to, shape_str, type_name
from .creation import zeros, zeros_like
from .reduction import sort_ret, topk_ret

_make = Tensor._make
_state = grad_mode._state
_builtin_slice = slice


# ------------------------------------------------------------------ key handling
def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _convert_key(key, x):
    """Turn a PyTorch index into a numpy one. Returns (numpy key, has_advanced)."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    advanced = False
    # dims consumed so far, for error messages and mask checks
    dim = 0
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis and not isinstance(k, bool)
                 and not (isinstance(k, Tensor) and k.dtype in (D.bool_, D.uint8)))
    n_real += sum(k.dim() for k in key if isinstance(k, Tensor) and k.dtype in (D.bool_, D.uint8))
    if n_real > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    ell_seen = False
    for k in key:
        if k is Ellipsis:
            if ell_seen:
                raise IndexError("an index can only have a single ellipsis ('...')")
            ell_seen = True
            out.append(k)
            dim = x.ndim - (n_real - dim)
        elif k is None:
            out.append(None)
        elif isinstance(k, bool):
            out.append(np.bool_(k))
            advanced = True
        elif _is_int(k):
            n = x.shape[dim]
            if k < -n or k >= n:
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size {n}")
            out.append(int(k))
            dim += 1
        elif isinstance(k, _builtin_slice):
            step = k.step
            if step is not None:
                step = int(step)
                if step <= 0:
                    raise ValueError("step must be greater than zero")
            out.append(_builtin_slice(_idx(k.start), _idx(k.stop), step))
            dim += 1
        elif isinstance(k, Tensor):
            if k.dtype in (D.bool_, D.uint8):
                if k.dtype is D.uint8:
                    import warnings
                    warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                                  "torch.bool instead.", UserWarning, stacklevel=4)
                m = k._data.astype(bool)
                for j in range(m.ndim):
                    if dim + j < x.ndim and m.shape[j] != x.shape[dim + j]:
                        raise IndexError(f"The shape of the mask {shape_str(m.shape)} at index {j} does not match "
                                         f"the shape of the indexed tensor {shape_str(x.shape)} at index {dim + j}")
                out.append(m)
                dim += m.ndim
            elif k.dtype.is_floating_point or k.dtype.is_complex:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            else:
                out.append(_check_bounds(k._data.astype(np.int64), x, dim))
                dim += 1
            advanced = True
        elif isinstance(k, (list, tuple, np.ndarray)):
            a = np.asarray(k._data if isinstance(k, Tensor) else k)
            if a.dtype == object:
                a = np.asarray([int(v) for v in k])
            if a.dtype == bool:
                out.append(a)
                dim += a.ndim
            elif a.dtype.kind in "iu":
                out.append(_check_bounds(a.astype(np.int64), x, dim))
                dim += 1
            elif a.size == 0:
                out.append(a.astype(np.int64))
                dim += 1
            else:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            advanced = True
        elif hasattr(k, "__index__"):
            out.append(k.__index__())
            dim += 1
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                             "valid indices (got " + type(k).__name__ + ")")
    return tuple(out), advanced


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


def getitem(self, key):
    npkey, advanced = _convert_key(key, self._data)
    if not advanced:
        arr = self._data[npkey]
        if not isinstance(arr, np.ndarray):
            arr = self._data[npkey + (Ellipsis,)] if Ellipsis not in npkey else np.asarray(arr)
        r = self._view_of(arr)
        if needs_grad(self):
            in_shape = self.shape
            record(_grad_name_basic(npkey) if npkey else "AliasBackward0", r, (self,),
                   lambda node, g: (basic_index_backward(g, in_shape, npkey),))
        return r
    return index_tensor(self, npkey)


def index_tensor(self, npkey):
    """Advanced indexing (a copy), with IndexBackward0."""
    if not isinstance(npkey, tuple):
        npkey = (npkey,)
    npkey = tuple(k._data if isinstance(k, Tensor) else k for k in npkey)
    res = self._data[npkey]
    r = _make(np.array(res, copy=True), self.dtype)
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
    from .inplace import apply_inplace
    npkey, advanced = _convert_key(key, self._data)
    if not isinstance(value, Tensor):
        value = _make(np.asarray(value, dtype=self.dtype._np), self.dtype) if not isinstance(value, (list, tuple)) \
            else _make(np.asarray(value).astype(self.dtype._np), self.dtype)
    if not advanced:
        view = getitem(self, key)
        copy_(view, value)
        return
    apply_inplace(self, _index_put_np, npkey, value, False)


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
    npkey = tuple(i._data if isinstance(i, Tensor) else i for i in indices)
    npkey = tuple(k.astype(bool) if k.dtype == np.uint8 else k for k in npkey)
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
    try:
        shape = np.broadcast_shapes(src._data.shape, self._data.shape)
    except ValueError:
        shape = None
    if shape != self._data.shape:
        raise RuntimeError(f"The size of tensor a ({self.shape[-1] if self.dim() else 1}) must match the size of "
                           f"tensor b ({src.shape[-1] if src.dim() else 1}) at non-singleton dimension "
                           f"{max(self.dim() - 1, 0)}")
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
    if index.dtype is not D.int64:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")


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
        raise RuntimeError(f"reduce argument must be either add or multiply.")
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
    _check_index_dtype(index, "scatter_add")
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
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
    x = input._data.copy()
    d = wrap_dim(dim, max(x.ndim, 1))
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
    return _make(x, input.dtype)


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
        raise IndexError(f"index out of range in self")
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
        if mask.dtype is D.uint8:
            return
        raise RuntimeError(f"{name} only supports boolean masks, but got mask with dtype {type_name(mask.dtype)}"
                           if name != "masked_fill_" else
                           f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{type_name(mask.dtype)}")


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
    vals = np.take_along_axis(x, idx, d)
    values = _make(vals, input.dtype)
    indices = _make(idx.astype(np.int64), D.int64)
    if needs_grad(input):
        shape = input.shape
        record("TopkBackward0", values, (input,),
               lambda node, g: (_value_selecting_backward(g, d, node.saved(0), shape, True),), (indices,))
    return topk_ret(values, indices)


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
    x = input._data.reshape(-1) if dim is None else input._data
    if x.size == 0:
        keep = np.zeros(0, bool)
    else:
        keep = np.concatenate([[True], x[1:] != x[:-1]])
    u = x[keep]
    out = [_make(u.copy(), input.dtype)]
    if return_inverse:
        out.append(_make((np.cumsum(keep) - 1).reshape(input._data.shape if dim is None else -1).astype(np.int64),
                         D.int64))
    if return_counts:
        pos = np.flatnonzero(keep)
        out.append(_make(np.diff(np.append(pos, x.size)).astype(np.int64), D.int64))
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


def take(input, index):
    flat = input.reshape(-1)
    n = flat.shape[0]
    idx = index._data
    if idx.size and (idx.max() >= n or idx.min() < -n):
        bad = idx[(idx >= n) | (idx < -n)].reshape(-1)[0]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    return index_tensor(flat, (idx,))


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    if side is not None:
        right = side == "right"
    seq = sorted_sequence._data
    vals = input._data if isinstance(input, Tensor) else np.asarray(input)
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
    if input.dim() != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    x = input._data
    if x.size and x.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = weights._data if weights is not None else None
    res = np.bincount(x, weights=w, minlength=minlength)
    if weights is None:
        return _make(res.astype(np.int64), D.int64)
    dt = weights.dtype if weights.dtype.is_floating_point else D.float64
    return _make(res.astype(dt._np), dt if weights.dtype in (D.float32, D.float64) else D.float64)


def histc(input, bins=100, min=0, max=0):
    x = input._data
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    res, _ = np.histogram(x, bins=bins, range=(lo, hi))
    return _make(res.astype(input.dtype._np), input.dtype)
