"""In-place ops: one mechanism for every ``op_``: the out-of-place op computes (and records its node), then
the result is written into the tensor and its history rebased, through CopySlices when it is a view."""
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.graph import SavedTensor, node_class, BackwardNode
from ._common import check_inplace, needs_grad, type_name, edge

_state = grad_mode._state

_MULTI_VIEW_MSG = (
    "Output {i} of {name} is a view and is being modified inplace. This view is the output of a function that "
    "returns multiple views. Such functions do not allow the output views to be modified inplace. You should "
    "replace the inplace operation by an out-of-place one.")


def can_cast(src, dst):
    """PyTorch's canCast: no float->int, complex->real or non-bool->bool in-place result casts."""
    if src.is_complex and not dst.is_complex:
        return False
    if src.is_floating_point and not (dst.is_floating_point or dst.is_complex):
        return False
    if src is not D.bool_ and dst is D.bool_:
        return False
    return True


def write_result(t, res):
    """Copy ``res`` (a Tensor or numpy array) into ``t``'s memory and bump its version."""
    src = res._data if isinstance(res, Tensor) else res
    if t._data.ndim == 0:
        t._data[()] = src
    else:
        np.copyto(t._data, src, casting="unsafe")
    t._vc[0] += 1


def apply_inplace(t, op, *args, **kwargs):
    """Run ``op(t, *args, **kwargs)`` and store the result in ``t`` as PyTorch's ``t.op_(...)`` does."""
    check_inplace(t)
    grad = _state[0] and needs_grad(t, *args)
    if not grad:
        with grad_mode.no_grad():
            res = op(t, *args, **kwargs)
        _check_result(t, res)
        write_result(t, res)
        return t
    if t._view_info == "multi":
        fn = t._grad_fn
        from ..autograd.graph import _op_name
        raise RuntimeError(_MULTI_VIEW_MSG.format(i=t._output_nr, name=_op_name(fn) if fn else "Unknown"))
    res = op(t, *args, **kwargs)
    _check_result(t, res)
    node = res._grad_fn
    if node is not None and isinstance(node, BackwardNode):
        _fix_saved(node, t, res)
    write_result(t, res)
    if node is None:
        return t
    base = t._base
    if base is not None:
        _rebase_view(t, base, node)
    else:
        t._grad_fn = node
        t._output_nr = 0
        if node._retains is None and t._retains_grad:
            t._retains_grad = False
            t.retain_grad()
    return t


def _check_result(t, res):
    if res.dtype is not t.dtype and not can_cast(res.dtype, t.dtype):
        raise RuntimeError(f"result type {type_name(res.dtype)} can't be cast to the desired output type "
                           f"{type_name(t.dtype)}")
    if res._data.shape != t._data.shape:
        try:
            np.broadcast_shapes(res._data.shape, t._data.shape)
            bad = np.broadcast_shapes(res._data.shape, t._data.shape) != t._data.shape
        except ValueError:
            bad = True
        if bad:
            raise RuntimeError(f"output with shape [{', '.join(map(str, t.shape))}] doesn't match the broadcast "
                               f"shape [{', '.join(map(str, res.shape))}]")


def _fix_saved(node, t, res):
    """The node saved ``t`` as an input: keep its pre-write value; it saved ``res`` as output: point it at ``t``."""
    saved = list(node._saved)
    changed = False
    for i, s in enumerate(saved):
        if type(s) is SavedTensor:
            if s.is_output and s.tensor is not None and s.tensor._data is res._data:
                s.tensor = t._alias()
                s.version = t._vc[0] + 1
            elif not s.is_output and s.tensor is t and not changed:
                # ops save ``self`` first; PyTorch keeps a copy of the original self, while any other
                # operand that is the same tensor stays version-checked
                saved[i] = SavedTensor(Tensor._make(t._data.copy(), t.dtype))
                changed = True
    if changed:
        node._saved = tuple(saved)


def _rebase_view(view, base, node):
    """In-place on a view: the base's history becomes CopySlices(node), the view's AsStridedBackward0 of it."""
    base_edge = edge(base)
    size, stride, offset = view._data.shape, view.stride(), view.storage_offset()
    base_meta = (base._data.shape, base.stride(), base.storage_offset())

    def copy_slices_backward(cs, grad):
        from .creation import empty_strided
        result = empty_strided(base_meta[0], base_meta[1], dtype=grad.dtype, _storage_size=_storage_size(base))
        if base_meta[2]:
            result = result.as_strided(base_meta[0], base_meta[1], base_meta[2])
        result.copy_(grad)
        grad_slice = result.as_strided(size, stride, offset)
        res = node.apply(grad_slice.clone())
        if res[0] is not None:
            grad_slice.copy_(res[0])
        else:
            grad_slice.zero_()
        return (result,) + tuple(res[1:])

    cls = node_class("CopySlices")
    cs = cls((base_edge,) + tuple(node.next_functions[1:]), copy_slices_backward, (),
             ((base._data.shape, base.dtype),))
    cs._saved = ()
    # keep the wrapped node's saved tensors reachable for release
    cs.metadata["_wrapped"] = node
    cs._release = node._release
    base._grad_fn = cs
    base._output_nr = 0
    regenerate_view_fn(view, base)


def regenerate_view_fn(view, base):
    """The view's history: AsStridedBackward0 from the base's current gradient edge."""
    size, stride, offset = view._data.shape, view.stride(), view.storage_offset()
    base_meta = (base._data.shape, base.stride(), base.storage_offset())
    view_node = node_class("AsStridedBackward0")(
        (base._grad_edge(),), _as_strided_backward(base_meta, size, stride, offset), (),
        ((view._data.shape, view.dtype),))
    view._grad_fn = view_node
    view._output_nr = 0
    view._view_version = view._vc[0]


def _storage_size(base):
    return base._get_storage()._buf.size


def _as_strided_backward(base_meta, size, stride, offset):
    from .shape import as_strided_backward_fn
    return as_strided_backward_fn(base_meta, size, stride, offset)
