"""torch.autograd.Function: user-defined ops with a custom backward."""
import functools
import warnings

from . import grad_mode
from .graph import Node, SavedTensor, ERR_BACKWARD_TWICE


class FunctionCtx:
    """What ``forward``/``setup_context`` receive as ``ctx``: save tensors and flags for ``backward``."""

    def save_for_backward(self, *tensors):
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        self.saved_for_forward = tensors

    def mark_dirty(self, *args):
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args):
        self.non_differentiable = args

    def set_materialize_grads(self, value):
        self.materialize_grads = value

    def mark_shared_storage(self, *pairs):
        warnings.warn("mark_shared_storage is deprecated. Tensors with shared storages are automatically tracked. "
                      "Note that calls to `set_()` are not tracked", DeprecationWarning, stacklevel=2)


class BackwardCFunction(Node, FunctionCtx):
    """The graph node of one call of a custom Function; it is also that call's ``ctx``."""

    _is_legacy = False

    def __init__(self):
        Node.__init__(self, ())
        self.to_save = None
        self._saved = None
        self._freed = False
        self.materialize_grads = True
        self.dirty_tensors = ()
        self.non_differentiable = ()
        self.needs_input_grad = ()
        self._tensor_positions = ()
        self._out_meta = ()

    def __repr__(self):
        return object.__repr__(self)

    @property
    def saved_tensors(self):
        if self._freed:
            raise RuntimeError(ERR_BACKWARD_TWICE)
        if self._saved is None:
            # before apply finished (e.g. read inside forward): the raw tensors
            return tuple(self.to_save or ())
        return tuple(s.unpack(self) if isinstance(s, SavedTensor) else s for s in self._saved)

    @property
    def saved_variables(self):
        warnings.warn("'saved_variables' is deprecated; use 'saved_tensors'", DeprecationWarning, stacklevel=2)
        return self.saved_tensors

    def _release(self):
        if self._saved:
            for s in self._saved:
                if isinstance(s, SavedTensor):
                    s.freed = True
                    s.tensor = None
        self._freed = True

    def _num_outputs(self):
        return len(self._out_meta)

    def apply(self, *grads):
        from .. import _ops
        cls = self._forward_cls
        if self.materialize_grads:
            grads = tuple(g if g is not None else _ops.creation.zeros(shape, dtype=dt)
                          for g, (shape, dt) in zip(grads, self._out_meta))
        backward_fn = cls.vjp if cls.vjp is not Function.vjp else cls.backward
        if backward_fn is Function.backward:
            raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                      "autograd.Function to use it with backward mode AD.")
        result = backward_fn(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        n_args = len(self.needs_input_grad)
        if len(result) != n_args:
            if len(result) > n_args and all(r is None for r in result[n_args:]):
                result = result[:n_args]
            else:
                raise RuntimeError(f"function {type(self).__name__} returned an incorrect number of gradients "
                                   f"(expected {n_args}, got {len(result)})")
        from .._tensor import Tensor
        out = []
        for pos in self._tensor_positions:
            g = result[pos]
            if g is not None and not isinstance(g, Tensor):
                raise TypeError(f"function {type(self).__name__} returned a gradient different than None at "
                                f"position {pos + 1}, but the corresponding forward input was not a Variable")
            out.append(g)
        return tuple(out)


class FunctionMeta(type):
    """Gives every Function subclass its node class, named ``<ClassName>Backward``."""

    def __init__(cls, name, bases, attrs):
        backward_cls = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        backward_cls.__module__ = "torch.autograd.function"
        backward_cls.__qualname__ = name + "Backward"
        cls._backward_cls = backward_cls
        super().__init__(name, bases, attrs)


class Function(metaclass=FunctionMeta):
    """Base class of custom autograd operations: define static ``forward`` and ``backward``."""

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{self.__class__} should not be instantiated. Methods on autograd functions are all static, "
                      "so you should invoke them on the class itself. Instantiating an autograd function will raise "
                      "an error in a future version of PyTorch.", DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use new-style autograd "
            "function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    generate_vmap_rule = False

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")

    @staticmethod
    def vmap(info, in_dims, *args):
        raise NotImplementedError("To use autograd.Function with vmap, you must either override the vmap staticmethod "
                                  "or set generate_vmap_rule=True.")

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor
        if cls.vjp is not Function.vjp and cls.backward is not Function.backward and cls.vjp is not cls.backward:
            raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You "
                               "should only implement one of them.")
        ctx = cls._backward_cls()
        tensor_positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
        ctx._tensor_positions = tensor_positions
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        uses_setup_context = cls.setup_context is not Function.setup_context
        with grad_mode.no_grad():
            if uses_setup_context:
                outputs = cls.forward(*args, **kwargs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        if uses_setup_context:
            cls.setup_context(ctx, args, outputs)
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        record = grad_mode._state[0] and any(ctx.needs_input_grad)
        if not record:
            ctx._saved = ()
            return outputs
        ctx.next_functions = tuple(args[i]._grad_edge() if args[i].requires_grad else (None, 0)
                                   for i in tensor_positions)
        dirty = {id(t) for t in (ctx.dirty_tensors or ())}
        non_diff = {id(t) for t in (ctx.non_differentiable or ())}
        input_ids = {id(args[i]) for i in tensor_positions}
        new_outs = []
        meta = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                new_outs.append(o)
                continue
            if id(o) in dirty:
                if o._grad_fn is None and o._requires_grad and grad_mode._state[0]:
                    raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
                target = o
            elif id(o) in input_ids:
                target = o._alias()
                target._base = o if o._base is None else o._base
            else:
                target = o
            meta.append((o._data.shape, o.dtype))
            if id(o) in non_diff:
                target._grad_fn = None
                target._requires_grad = False
            elif o.dtype.is_floating_point or o.dtype.is_complex:
                target._grad_fn = ctx
                target._output_nr = len(meta) - 1
            new_outs.append(target)
        ctx._out_meta = tuple(meta)
        saved = []
        out_ids = {id(o): o for o in new_outs if isinstance(o, Tensor)}
        for t in (ctx.to_save or ()):
            if t is None:
                saved.append(None)
            elif not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument 0 is of type "
                                f"{type(t).__name__}")
            else:
                saved.append(SavedTensor(t, is_output=id(t) in out_ids and t._grad_fn is ctx))
        ctx._saved = tuple(saved)
        ctx.to_save = None
        return new_outs[0] if single else tuple(new_outs)


def once_differentiable(fn):
    """Run ``backward`` without recording, and refuse double backward through it."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            outputs = fn(ctx, *args)
        if not grad_mode._state[0]:
            return outputs
        from .._tensor import Tensor
        requires = any(isinstance(a, Tensor) and a.requires_grad for a in args)
        if not requires:
            return outputs
        tup = outputs if isinstance(outputs, tuple) else (outputs,)
        err_fn = _DelayedError._backward_cls()
        err_fn.next_functions = tuple(a._grad_edge() if isinstance(a, Tensor) and a.requires_grad else (None, 0)
                                      for a in args)
        err_fn._out_meta = tuple((t._data.shape, t.dtype) for t in tup if isinstance(t, Tensor))
        err_fn.needs_input_grad = tuple(isinstance(a, Tensor) for a in args)
        err_fn._tensor_positions = tuple(range(len(args)))
        res = []
        k = 0
        for t in tup:
            if isinstance(t, Tensor):
                t = t._alias()
                t._grad_fn = err_fn
                t._output_nr = k
                k += 1
            res.append(t)
        return tuple(res) if isinstance(outputs, tuple) else res[0]
    return wrapper


class _DelayedError(Function):
    @staticmethod
    def forward(ctx, *args):  # pragma: no cover - never called through apply
        return args

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


class NestedIOFunction(Function):
    pass
