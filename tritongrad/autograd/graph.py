"""Graph nodes: the backward of each recorded op, AccumulateGrad for leaves, and saved tensors."""
import itertools
import weakref

import numpy as np

from . import grad_mode

ERR_BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.")

_sequence = itertools.count()


class RemovableHandle:
    """Returned by register_*hook; ``remove()`` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, hooks_dict):
        self.hooks_dict = hooks_dict
        self.id = next(RemovableHandle._ids)

    def remove(self):
        self.hooks_dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.remove()


def _add_hook(d, fn):
    h = RemovableHandle(d)
    d[h.id] = fn
    return h


def _op_name(node):
    """'ExpBackward0' -> 'Exp', 'ClampBackward1' -> 'Clamp1': the op name PyTorch's in-place modification
    error prints."""
    name = type(node).__name__.replace("Backward", "")
    return name[:-1] if name.endswith("0") else name


class SavedTensor:
    """A tensor saved for backward, with the version it had when saved."""

    __slots__ = ("tensor", "version", "is_output", "freed", "_node_ref")

    def __init__(self, t, is_output=False):
        if t._inference:
            raise RuntimeError(
                "Inference tensors cannot be saved for backward. Please do not use Tensors created in inference "
                "mode in computation tracked by autograd. To work around this, you can make a clone to get a "
                "normal tensor and use it in autograd, or use `torch.no_grad()` instead of `torch.inference_mode()`.")
        self.version = t._vc[0]
        self.is_output = is_output
        self.freed = False
        # an output would point back at its own node: keep only its data, reattach grad_fn when unpacked
        self.tensor = t._alias() if is_output else t

    def unpack(self, node):
        if self.freed:
            raise RuntimeError(ERR_BACKWARD_TWICE)
        t = self.tensor
        if t._vc[0] != self.version:
            owner = node if self.is_output else t._grad_fn
            nr = 0 if self.is_output else t._output_nr
            where = f", which is output {nr} of {_op_name(owner)}," if owner is not None else ""
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an inplace operation: "
                f"[{t.type()} [{', '.join(str(s) for s in t.shape)}]]{where} is at version {t._vc[0]}; "
                f"expected version {self.version} instead. Hint: enable anomaly detection to find the operation "
                "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        if self.is_output:
            out = t._alias()
            out._grad_fn = node
            out._output_nr = 0
            return out
        return t


class Node:
    """Base of every graph node (``grad_fn``). ``next_functions`` holds ``(node, input_nr)`` per input."""

    __slots__ = ("next_functions", "_pre_hooks", "_hooks", "_tensor_pre_hooks", "_retains", "_seq",
                 "_metadata", "__weakref__", "__dict__")

    def __init__(self, next_functions=()):
        self.next_functions = next_functions
        self._pre_hooks = None
        self._hooks = None
        self._tensor_pre_hooks = None  # {output_nr: {id: hook}}: hooks of the tensors this node produced
        self._retains = None  # {output_nr: weakref to tensor} for retain_grad on non-leaves
        self._seq = next(_sequence)
        self._metadata = None

    @property
    def metadata(self):
        if self._metadata is None:
            self._metadata = {}
        return self._metadata

    def name(self):
        return type(self).__name__

    def register_hook(self, fn):
        if self._hooks is None:
            self._hooks = {}
        return _add_hook(self._hooks, fn)

    def register_prehook(self, fn):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return _add_hook(self._pre_hooks, fn)

    def _register_tensor_hook(self, output_nr, fn):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        return _add_hook(self._tensor_pre_hooks.setdefault(output_nr, {}), fn)

    def __call__(self, *grads):
        return self.apply(*grads)

    def apply(self, *grads):  # pragma: no cover - each node overrides
        raise NotImplementedError(f"{self.name()} has no backward")

    def _release(self):
        pass

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    @property
    def _sequence_nr(self):
        return self._seq

    def _num_outputs(self):
        return 1


class AccumulateGrad(Node):
    """The node that adds incoming gradients into a leaf's ``.grad``.

    The leaf owns its node (``tensor._acc``) and the node refers back weakly, so no reference cycle keeps a
    leaf alive; a leaf nobody holds any more has no ``.grad`` anyone could read.
    """

    __slots__ = ("_var_ref", "_out_meta", "_steal")

    def __init__(self, variable):
        Node.__init__(self, ())
        self._steal = False  # set by the engine: the incoming gradient is this leaf's alone to keep
        self._var_ref = weakref.ref(variable)
        self._out_meta = ((variable._data.shape, variable.dtype),)
        self._seq = 1 << 62  # as in PyTorch, a ready AccumulateGrad runs before other ready nodes

    @property
    def variable(self):
        return self._var_ref()

    def name(self):
        return "torch::autograd::AccumulateGrad"

    def apply(self, grad):
        var = self._var_ref()
        if grad is None or var is None:
            return ()
        old = var._grad
        if grad_mode._state[0]:
            # create_graph: the gradient stays part of the graph
            var._grad = grad if old is None else old + grad
        elif old is None:
            if self._steal and grad._grad_fn is None:
                new = grad
            else:
                # the gradient may be shared with other leaves or the caller, or be a broadcast view: .grad
                # gets its own contiguous buffer
                from .._tensor import Tensor
                new = Tensor._make(np.array(grad._data, order="C", copy=True), grad.dtype)
            self._steal = False
            new._acc_owned = True  # later backward passes accumulate into it in place
            var._grad = new
        elif old._acc_owned and old._data.shape == grad._data.shape and old.dtype is grad.dtype \
                and old._data.flags.writeable:
            old._data += grad._data
            old._vc[0] += 1
        else:
            # a .grad the user assigned: accumulate out of place once, in place afterwards
            new = old + grad
            new._acc_owned = True
            var._grad = new
        if var._post_acc_hooks:
            for h in list(var._post_acc_hooks.values()):
                h(var)
        return ()


class BackwardNode(Node):
    """A node built by an op: ``backward(node, *grads)`` returns one gradient per ``next_functions`` entry."""

    __slots__ = ("_backward", "_saved", "_out_meta", "_freed")

    def __init__(self, next_functions, backward, saved, out_meta):
        self.next_functions = next_functions
        self._pre_hooks = self._hooks = self._tensor_pre_hooks = self._retains = self._metadata = None
        self._seq = next(_sequence)
        self._backward = backward
        self._saved = saved
        self._out_meta = out_meta  # per output: (shape, dtype)
        self._freed = False

    def apply(self, *grads):
        return self._backward(self, *grads)

    def name(self):
        # nodes PyTorch implements in C++ outside the generated ones carry their namespace
        n = type(self).__name__
        return "torch::autograd::" + n if n == "CopySlices" else n

    def saved(self, i):
        s = self._saved[i]
        if self._freed:
            raise RuntimeError(ERR_BACKWARD_TWICE)
        if type(s) is SavedTensor:
            return s.unpack(self)
        return s

    def _release(self):
        if self._saved:
            for s in self._saved:
                if type(s) is SavedTensor:
                    s.freed = True
                    s.tensor = None
            self._freed = True

    def _num_outputs(self):
        return len(self._out_meta)

    def __getattr__(self, name):
        if name.startswith("_saved_"):
            names = type(self).__dict__.get("_saved_names")
            if names and name[7:] in names:
                return self.saved(names.index(name[7:]))
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


_node_classes = {}


def node_class(name, saved_names=None):
    """The BackwardNode subclass named ``name`` (e.g. 'MulBackward0'), created once."""
    cls = _node_classes.get(name)
    if cls is None:
        ns = {"__slots__": ()}
        if saved_names:
            ns["_saved_names"] = tuple(saved_names)
        cls = type(name, (BackwardNode,), ns)
        cls.__module__ = "torch.autograd.graph"
        _node_classes[name] = cls
    return cls


def increment_version(t):
    t._vc[0] += 1
