"""What every op shares: operand resolution, type promotion, result wrapping and graph recording."""
import numbers

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _wrap_dim, _scalar_type_name, sync_view
from ..autograd import grad_mode
from ..autograd import graph
from ..autograd.graph import node_class, SavedTensor

_state = grad_mode._state
_make = Tensor._make


def is_scalar(x):
    return isinstance(x, (bool, int, float, complex)) or isinstance(x, numbers.Number) and not isinstance(x, Tensor)


def result_type(*operands):
    """torch.result_type over tensors and Python numbers, with PyTorch's priority rules."""
    dim_r = zero_r = wrap_r = None
    for x in operands:
        if isinstance(x, Tensor):
            if x._data.ndim:
                dim_r = x.dtype if dim_r is None else D.promote_types(dim_r, x.dtype)
            else:
                zero_r = x.dtype if zero_r is None else D.promote_types(zero_r, x.dtype)
        elif x is not None:
            d = D.scalar_dtype(x.item() if isinstance(x, np.generic) else x)
            wrap_r = d if wrap_r is None else D.promote_types(wrap_r, d)
    return D.combine_categories(dim_r, D.combine_categories(zero_r, wrap_r))


def np_operand(x, dt):
    """The numpy value of operand ``x`` in dtype ``dt``."""
    if isinstance(x, Tensor):
        a = x._data
        return a if a.dtype == dt._np else a.astype(dt._np)
    return np.asarray(x, dtype=dt._np)


def to_tensor(x, dtype=None):
    if isinstance(x, Tensor):
        return x
    if dtype is None:
        dtype = D.scalar_dtype(x)
    return _make(np.asarray(x, dtype=dtype._np), dtype)


def wrap(arr, dtype):
    return _make(arr, dtype)


def needs_grad(*tensors):
    if not _state[0]:
        return False
    for t in tensors:
        if isinstance(t, Tensor):
            if t._requires_grad or t._grad_fn is not None:
                return True
            if t._view_version is not None and t._view_version != t._vc[0]:
                sync_view(t)
                if t._grad_fn is not None:
                    return True
    return False


def edge(t):
    if isinstance(t, Tensor) and (t._requires_grad or t._grad_fn is not None):
        return t._grad_edge()
    return (None, 0)


def save(t, is_output=False):
    return SavedTensor(t, is_output) if isinstance(t, Tensor) else t


_NO_EDGE = (None, 0)
_node_classes = graph._node_classes


def record(name, outputs, inputs, backward, saved=(), saved_names=None):
    """Make node ``name`` for ``outputs`` computed from ``inputs``; ``backward(node, *grads)`` returns one
    gradient per input (None where there is none). ``saved`` entries that are tensors are version-checked;
    the marker ``"__out__"`` saves the (first) output itself."""
    cls = _node_classes.get(name)
    if cls is None:
        cls = node_class(name, saved_names)
    outs = (outputs,) if isinstance(outputs, Tensor) else outputs
    edges = []
    for t in inputs:
        if isinstance(t, Tensor):
            if t._view_version is not None and t._view_version != t._vc[0]:
                sync_view(t)
            fn = t._grad_fn
            if fn is not None:
                edges.append((fn, t._output_nr))
                continue
            if t._requires_grad:
                edges.append(t._grad_edge())
                continue
        edges.append(_NO_EDGE)
    sv = []
    for s in saved:
        if isinstance(s, Tensor):
            sv.append(SavedTensor(s))
        elif s.__class__ is str and s == "__out__":
            sv.append(SavedTensor(outs[0], True))
        else:
            sv.append(s)
    node = cls(tuple(edges), backward, tuple(sv), tuple((o._data.shape, o.dtype) for o in outs))
    i = 0
    for o in outs:
        if o is not None and o.dtype._category >= 2:
            o._grad_fn = node
            o._output_nr = i
        i += 1
    return node


def sum_to(g, shape):
    """Sum a broadcast gradient back to ``shape``."""
    gshape = g._data.shape
    shape = tuple(shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    dims = list(range(lead))
    for i, n in enumerate(shape):
        if n == 1 and gshape[lead + i] != 1:
            dims.append(lead + i)
    if dims:
        g = g.sum(dims, keepdim=True)
    if g._data.shape != shape:
        g = g.reshape(shape)
    return g


def broadcast_shapes(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        off = ndim - len(s)
        for i, n in enumerate(s):
            j = off + i
            if out[j] == 1:
                out[j] = n
            elif n != 1 and n != out[j]:
                # PyTorch reports the first shape's size as 'a'
                raise RuntimeError(f"The size of tensor a ({out[j]}) must match the size of tensor b ({n}) "
                                   f"at non-singleton dimension {j}")
    return tuple(out)


def check_broadcast(a, b):
    """Raise PyTorch's error when tensors ``a`` and ``b`` don't broadcast."""
    sa, sb = a._data.shape, b._data.shape
    if sa == sb:
        return
    n = max(len(sa), len(sb))
    for i in range(1, n + 1):
        x = sa[-i] if i <= len(sa) else 1
        y = sb[-i] if i <= len(sb) else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                               f"non-singleton dimension {n - i}")


def wrap_dim(dim, ndim):
    return _wrap_dim(dim, ndim)


def dims_arg(dim, ndim):
    """Normalise a ``dim`` argument (None, int or sequence) to a sorted tuple of non-negative dims."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)) or isinstance(dim, Tensor):
        return (wrap_dim(int(dim), ndim),)
    out = tuple(sorted(wrap_dim(d, ndim) for d in dim))
    if len(set(out)) != len(out):
        raise RuntimeError(f"dim {out[0]} appears multiple times in the list of dims")
    return out


def check_inplace(t, name=None):
    """PyTorch's checks before an in-place op writes into ``t`` while grad mode is on."""
    if _state[0]:
        if t._grad_fn is None and t._requires_grad:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        b = t._base
        if b is not None and b._grad_fn is None and b._requires_grad:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    if t._inference and not _state[1]:
        raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed."
                           "You can make a clone to get a normal tensor before doing inplace update."
                           "See https://github.com/pytorch/rfcs/pull/17 for more details.")


def type_name(d):
    return _scalar_type_name(d)


def shape_str(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"
