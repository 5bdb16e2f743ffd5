"""torch._utils: the rebuild functions that tensor pickles call (``torch._utils._rebuild_tensor_v2`` ...).

Checkpoint files name these functions; ``tritongrad.load`` resolves the names to the functions here, and
plain ``pickle`` of a tritongrad tensor uses them too.
"""
import numpy as np

from . import _dtype as D
from .storage import TypedStorage, _typed_buf
from ._storage import UntypedStorage


def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _check_layout(storage_offset, size, stride):
    if not _is_int(storage_offset):
        raise TypeError(f"storage_offset must be an int, not {type(storage_offset).__name__}")
    if not isinstance(size, (tuple, list)) or not all(_is_int(n) for n in size):
        raise TypeError(f"size must be a tuple of ints, but got {size!r}")
    if not isinstance(stride, (tuple, list)) or not all(_is_int(s) for s in stride):
        raise TypeError(f"stride must be a tuple of ints, but got {stride!r}")
    size = tuple(int(n) for n in size)
    stride = tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    if storage_offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {storage_offset}")
    if any(n < 0 for n in size) or any(s < 0 for s in stride):
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and strides={list(stride)}")
    return int(storage_offset), size, stride


def _tensor_on_storage(untyped, dtype, storage_offset, size, stride):
    """A tensor of ``dtype`` viewing ``untyped`` at (offset, size, stride), in elements, like ``set_``."""
    from ._tensor import Tensor
    storage_offset, size, stride = _check_layout(storage_offset, size, stride)
    buf = _typed_buf(untyped, dtype)
    if 0 in size:
        arr = np.lib.stride_tricks.as_strided(buf[:0], shape=size, strides=[0] * len(size))
    else:
        needed = storage_offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
        if needed > buf.shape[0]:
            raise RuntimeError("Trying to resize storage that is not resizable")
        arr = np.lib.stride_tricks.as_strided(buf[storage_offset:], shape=size,
                                              strides=[s * dtype.itemsize for s in stride])
    return Tensor._make(arr, dtype, storage=untyped)


def _apply_metadata(t, metadata):
    """PyTorch marks lazily conjugated/negated complex views in a metadata dict; apply them eagerly."""
    if not metadata:
        return t
    from ._tensor import Tensor
    unknown = set(metadata) - {"conj", "neg"}
    if unknown:
        raise RuntimeError(f"tritongrad cannot rebuild a tensor with metadata {sorted(unknown)}")
    arr = t._data
    if metadata.get("conj"):
        arr = np.conj(arr)
    if metadata.get("neg"):
        arr = -arr
    # the lazy bit cannot be kept on shared memory, so the tensor gets its own copy of the values
    return Tensor._make(np.array(arr), t.dtype)


def _set_requires_grad(t, requires_grad):
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(f"requires_grad must be a bool, not {type(requires_grad).__name__}")
    if requires_grad:
        t._set_requires_grad(True)


def _check_hooks(backward_hooks):
    if backward_hooks is not None and not isinstance(backward_hooks, dict):
        raise TypeError(f"backward_hooks must be an OrderedDict, not {type(backward_hooks).__name__}")


def _storage_parts(storage):
    if isinstance(storage, TypedStorage):
        return storage._untyped_storage, storage.dtype
    if isinstance(storage, UntypedStorage):
        return storage, D.uint8
    raise TypeError(f"expected a storage, but got {type(storage).__name__}")


_internal_fields = []


def _internal_field_names():
    """Names tritongrad's Tensor keeps bookkeeping under (class-level defaults overridden per instance)."""
    if not _internal_fields:
        from ._tensor import Tensor
        _internal_fields.append(frozenset(k for k in vars(Tensor) if k.startswith("_") and not k.startswith("__")))
    return _internal_fields[0]


def _get_obj_state(obj):
    """The Python attributes a tensor carries, as PyTorch pickles them (its ``__dict__``).

    tritongrad keeps some of its own bookkeeping (``_storage``, ``_base``, ``_is_param``, ...) in the
    instance ``__dict__`` when it differs from the class default; those are not user state and are left out."""
    internal = _internal_field_names()
    return {k: v for k, v in obj.__dict__.items() if k not in internal}


def _is_internal_field(name):
    return name in _internal_field_names()


def _rebuild_tensor(storage, storage_offset, size, stride):
    untyped, dtype = _storage_parts(storage)
    return _tensor_on_storage(untyped, dtype, storage_offset, size, stride)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    """A tensor viewing ``storage`` (a TypedStorage) with the given layout and requires_grad flag."""
    _check_hooks(backward_hooks)
    t = _apply_metadata(_rebuild_tensor(storage, storage_offset, size, stride), metadata)
    _set_requires_grad(t, requires_grad)
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype,
                       metadata=None):
    """Like ``_rebuild_tensor_v2`` for dtypes without a legacy storage class: the dtype is an argument."""
    _check_hooks(backward_hooks)
    if not isinstance(dtype, D.dtype):
        raise TypeError(f"dtype must be a torch.dtype, not {type(dtype).__name__}")
    untyped, _ = _storage_parts(storage)
    t = _apply_metadata(_tensor_on_storage(untyped, dtype, storage_offset, size, stride), metadata)
    _set_requires_grad(t, requires_grad)
    return t


def _parameter_class():
    from .nn.parameter import Parameter
    return Parameter


def _rebuild_parameter(data, requires_grad, backward_hooks):
    _check_hooks(backward_hooks)
    from ._tensor import Tensor
    if not isinstance(data, Tensor):
        raise TypeError(f"Parameter(): argument 'data' must be Tensor, not {type(data).__name__}")
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(f"requires_grad must be a bool, not {type(requires_grad).__name__}")
    return _parameter_class()(data, bool(requires_grad))


def _set_obj_state(obj, state):
    """Restore Python attributes saved with a tensor: a dict, or a (dict, slots-dict) pair."""
    if isinstance(state, tuple):
        if len(state) != 2:
            raise RuntimeError(f"Invalid serialized state: {state}")
        dict_state, slots_state = state
    else:
        dict_state, slots_state = state, None
    if dict_state:
        for k, v in dict_state.items():
            # tritongrad's own bookkeeping (older pickles may carry it) belongs to the rebuilt tensor
            if not _is_internal_field(k):
                setattr(obj, k, v)
    if slots_state:
        for k, v in slots_state.items():
            setattr(obj, k, v)
    return obj


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    param = _rebuild_parameter(data, requires_grad, backward_hooks)
    return _set_obj_state(param, state)


def _rebuild_from_type_v2(func, new_type, args, state):
    """torch._tensor._rebuild_from_type_v2: rebuild with ``func(*args)``, retype, then restore attributes."""
    from ._tensor import Tensor
    ret = func(*args)
    if type(ret) is not new_type:
        if not (isinstance(new_type, type) and issubclass(new_type, Tensor)):
            raise TypeError(f"cannot rebuild a tensor as {new_type!r}")
        ret = ret._as_subclass(new_type)
    setstate = getattr(type(ret), "__setstate__", None)
    if setstate is not None and setstate is not getattr(Tensor, "__setstate__", None):
        ret.__setstate__(state)
    else:
        _set_obj_state(ret, state)
    return ret


__all__ = ["_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_parameter",
           "_rebuild_parameter_with_state", "_rebuild_from_type_v2"]
