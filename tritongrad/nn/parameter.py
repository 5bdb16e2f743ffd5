"""torch.nn.Parameter and torch.nn.Buffer."""
from collections import OrderedDict

from .._tensor import Tensor


class _ParameterMeta(type):
    # a tensor flagged _is_param (e.g. rebuilt by a loader) counts as a Parameter, as in PyTorch
    def __instancecheck__(cls, instance):
        if cls is Parameter and isinstance(instance, Tensor) and getattr(instance, "_is_param", False):
            return True
        return super().__instancecheck__(instance)


def _empty_float():
    from .. import empty
    return empty(0)


class Parameter(Tensor, metaclass=_ParameterMeta):
    """A Tensor that is a module parameter: assigning it to a Module attribute registers it."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _empty_float()
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not {type(data).__name__}")
        if requires_grad and not (data.dtype.is_floating_point or data.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        p = data.detach()._as_subclass(cls)
        p._is_param = True
        p._set_requires_grad(requires_grad)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        from ..autograd.grad_mode import no_grad
        with no_grad():
            result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self):
        return "Parameter containing:\n" + Tensor.__repr__(self)

    def __reduce_ex__(self, proto):
        from .. import _utils
        state = dict(self.__dict__)
        hooks = OrderedDict()
        if not state:
            return (_utils._rebuild_parameter, (self.data, self.requires_grad, hooks))
        return (_utils._rebuild_parameter_with_state, (self.data, self.requires_grad, hooks, state))

    def __setstate__(self, state):
        # pickles from old PyTorch versions carry (data, requires_grad, hooks) or a plain dict
        if isinstance(state, tuple):
            data = state[0]
            self._data = data._data
            self._storage = data._get_storage()
            self.dtype = data.dtype
            self._requires_grad = bool(state[1])
        else:
            self.__dict__.update(state)


class _BufferMeta(type):
    def __instancecheck__(cls, instance):
        if cls is Buffer and isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False):
            return True
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """Marks a tensor as a module buffer: assigning it to a Module attribute registers it as one.

    Like PyTorch's, ``Buffer(data)`` returns a plain tensor flagged as a buffer (with ``persistent``)."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = _empty_float()
        t = data.detach().requires_grad_(data.requires_grad)
        t._is_buffer = True
        t.persistent = persistent
        return t
