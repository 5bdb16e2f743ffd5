"""torch.autograd.profiler: ``profile``, ``record_function``, ``emit_nvtx``/``emit_itt``.

How recording works. Ops are plain Python functions bound in many places (op modules, the ``tritongrad``
namespace, ``Tensor`` methods and operators, ``nn.functional``). While a profiler records, every such
binding is replaced by a wrapper that opens an event named like PyTorch's operator (``aten::add``), runs the
op, and closes the event; stopping puts every original back. With no profiler running nothing is patched,
so ops pay nothing at all. Backward nodes are timed through the engine's ``evaluate_hook``.

What is measured: CPU wall time (``time.perf_counter_ns``) per event, nesting from the call structure,
input shapes (tensor arguments; ``[]`` for other arguments), and with ``profile_memory`` the bytes of each
newly allocated output buffer (a result that shares an input's buffer, a view, allocates nothing) and the
release of those buffers (a weakref finalizer), attributed to the op running when it happens.
"""
import contextlib
import os
import sys
import threading
import time
import types
import warnings
import weakref
from itertools import count as _count

import numpy as np

from . import engine as _engine, graph as _graph, grad_mode as _grad_mode
from .profiler_util import (EventList, FunctionEvent, FunctionEventAvg, DeviceType, _write_chrome_trace,  # noqa: F401
                            _format_time, _format_memory, _format_time_share, _build_table, Interval, Kernel,
                            MemRecordsAcc, StringTable, FormattedTimesMixin)

__all__ = ["profile", "record_function", "emit_itt", "emit_nvtx", "load_nvprof", "EnforceUnique",
           "parse_nvprof_trace", "KinetoStepTracker", "EventList", "FunctionEvent", "FunctionEventAvg",
           "kineto_available"]

# The recorder of the running profiler, or None. Wrappers read it on every call.
_active = [None]


def kineto_available():
    """Whether the Kineto trace backend is present (tritongrad writes its traces itself)."""
    return True


# ------------------------------------------------------------------ PyTorch's names for tritongrad's ops

def _chain(*names):
    return tuple("aten::" + n if "::" not in n else n for n in names)


# op function name -> the nested events PyTorch records for it (outermost first)
_CHAINS = {
    "t": _chain("t", "transpose", "as_strided"),
    "transpose": _chain("transpose", "as_strided"),
    "swapaxes": _chain("swapaxes", "transpose", "as_strided"),
    "expand": _chain("expand", "as_strided"),
    "expand_as": _chain("expand_as", "expand", "as_strided"),
    "permute": _chain("permute", "as_strided"),
    "unsqueeze": _chain("unsqueeze", "as_strided"),
    "squeeze": _chain("squeeze", "as_strided"),
    "select": _chain("select", "as_strided"),
    "narrow": _chain("narrow", "slice", "as_strided"),
    "diagonal": _chain("diagonal", "as_strided"),
    "unbind": _chain("unbind", "select", "as_strided"),
    "relu": _chain("relu", "clamp_min"),
    "relu_": _chain("relu_", "clamp_min_"),
    "softmax": _chain("softmax", "_softmax"),
    "log_softmax": _chain("log_softmax", "_log_softmax"),
    "max_pool2d": _chain("max_pool2d", "max_pool2d_with_indices"),
    "conv1d": _chain("conv1d", "convolution", "_convolution", "mkldnn_convolution"),
    "conv2d": _chain("conv2d", "convolution", "_convolution", "mkldnn_convolution"),
    "conv_transpose2d": _chain("conv_transpose2d", "convolution", "_convolution"),
    "layer_norm": _chain("layer_norm", "native_layer_norm"),
    "batch_norm": _chain("batch_norm", "_batch_norm_impl_index", "native_batch_norm"),
    "group_norm": _chain("group_norm", "native_group_norm"),
    "adaptive_avg_pool2d": _chain("adaptive_avg_pool2d", "_adaptive_avg_pool2d"),
    "pad": _chain("pad", "constant_pad_nd"),
    "nll_loss": _chain("nll_loss_nd", "nll_loss", "nll_loss_forward"),
    "cross_entropy": _chain("cross_entropy_loss"),
    "item": _chain("item", "_local_scalar_dense"),
    "detach": ("aten::detach", "detach"),
    "detach_": ("aten::detach_", "detach_"),
    "range_": _chain("range"),
    "embedding": _chain("embedding", "index_select"),
    # PyTorch builds these from Python data and shows the wrap of the result as aten::lift_fresh
    "tensor": _chain("lift_fresh"),
    "as_tensor": _chain("lift_fresh"),
    "asarray": _chain("lift_fresh"),
    "from_numpy": _chain("lift_fresh"),
    "tolist": (),
    "numpy": (),
}

# ops whose own body is composed of other ops that PyTorch shows as their children
_COMPOSITE = {"linear", "matmul", "cross_entropy", "reshape", "flatten", "einsum", "tensordot", "chain_matmul",
              "multi_dot", "bilinear", "contiguous", "unflatten", "view_as", "reshape_as", "expand_as"}

# nn.functional functions that are single ATen operators in PyTorch (the rest of nn.functional is Python
# composed of ops, which record themselves)
_FUNCTIONAL_OPS = {
    "linear", "bilinear", "relu", "relu_", "hardtanh", "hardtanh_", "relu6", "elu", "elu_", "selu", "selu_",
    "celu", "celu_", "leaky_relu", "leaky_relu_", "prelu", "gelu", "silu", "mish", "softplus", "hardsigmoid",
    "hardswish", "logsigmoid", "threshold", "threshold_", "softshrink", "hardshrink", "glu", "softmax",
    "log_softmax", "layer_norm", "rms_norm", "group_norm", "batch_norm", "instance_norm", "dropout",
    "alpha_dropout", "feature_alpha_dropout", "embedding", "pairwise_distance", "cosine_similarity", "mse_loss",
    "l1_loss", "smooth_l1_loss", "huber_loss", "soft_margin_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "kl_div", "poisson_nll_loss", "nll_loss", "cross_entropy",
    "cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss", "multilabel_margin_loss",
    "multi_margin_loss", "triplet_margin_loss", "one_hot", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
    "conv_transpose2d", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d",
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "pad", "scaled_dot_product_attention",
    "pixel_shuffle", "pixel_unshuffle", "unfold", "fold",
}
# functional names whose ATen operator is called differently
_FUNCTIONAL_RENAMES = {"relu6": "hardtanh", "one_hot": "one_hot", "unfold": "im2col", "fold": "col2im"}

# Tensor methods written in Tensor itself that are ATen operators in PyTorch
_TENSOR_METHOD_OPS = {"detach", "detach_", "item", "requires_grad_", "type", "cpu", "cuda", "tolist", "numpy"}
_NOT_RECORDED = {"requires_grad_", "type", "cpu", "cuda", "tolist", "numpy"}

# op-module helpers that are not operators of their own
_OP_MODULES = ("pointwise", "reduction", "shape", "indexing", "linalg", "creation", "conversion")
_HELPERS = {"type_to", "copy_into_out", "check_device", "parse_size", "legacy_new", "ones_mask", "exponent_ge0",
            "softplus_np", "threshold_backward", "basic_index_backward", "getitem_np", "index_tensor",
            "diag_embed_into", "as_strided_backward_fn", "view_dtype", "inner_dot", "alias", "result_type",
            "can_cast", "promote_types", "is_tensor", "is_floating_point", "is_complex", "numel",
            "broadcast_shapes", "sum_to", "wrap_dim", "dims_arg", "needs_grad", "record", "np_operand",
            "to_tensor", "dropout_mask", "feature_dropout_mask", "manual_seed", "seed", "initial_seed",
            "get_rng_state", "set_rng_state"}

_FLOP_OPS = {"aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::mul", "aten::add", "aten::conv2d"}


def _getitem_chain(args, kwargs):
    key = args[1] if len(args) > 1 else None
    if isinstance(key, bool) or key is None or key is Ellipsis:
        return _chain("unsqueeze", "as_strided") if key is None else _chain("alias")
    if isinstance(key, int):
        return _chain("select", "as_strided")
    if isinstance(key, slice):
        return _chain("slice", "as_strided")
    if isinstance(key, tuple):
        from .._tensor import Tensor
        if any(isinstance(k, (Tensor, list, np.ndarray)) or isinstance(k, bool) for k in key):
            return _chain("index")
        if any(isinstance(k, int) for k in key):
            return _chain("select", "as_strided")
        return _chain("slice", "as_strided")
    return _chain("index")


def _setitem_chain(args, kwargs):
    from .._tensor import Tensor
    value = args[2] if len(args) > 2 else None
    return _chain("copy_") if isinstance(value, Tensor) else _chain("fill_")


def _contiguous_chain(args, kwargs):
    # PyTorch returns an already contiguous tensor without dispatching an operator
    return () if args and args[0].is_contiguous() else _chain("contiguous")


_DYNAMIC_CHAINS = {"getitem": _getitem_chain, "setitem": _setitem_chain, "contiguous": _contiguous_chain}

# Python's augmented assignments on tensors: the in-place operator PyTorch records
_AUGMENTED = {"__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_", "__itruediv__": "div_",
              "__ifloordiv__": "floor_divide_", "__imod__": "remainder_", "__ipow__": "pow_",
              "__iand__": "bitwise_and_", "__ior__": "bitwise_or_", "__ixor__": "bitwise_xor_"}

# (calling module, op): calls tritongrad makes on the user's behalf where PyTorch's C++ runs no operator
# (``backward()`` detaching the gradients it was handed)
_SILENT_CALLS = {("tritongrad.autograd", "detach"), ("tritongrad.autograd", "clone")}


# ------------------------------------------------------------------ the recorder

class _ThreadState(threading.local):
    def __init__(self):
        self.stack = []      # open events on this thread, innermost last
        self.suppress = 0    # >0 inside an op whose internal op calls PyTorch does not show


class _Recorder:
    """Collects FunctionEvents while a profiler runs; one is active at a time."""

    def __init__(self, record_shapes=False, profile_memory=False, with_stack=False, with_flops=False,
                 with_modules=False, use_device=None):
        self.record_shapes = record_shapes
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_flops = with_flops
        self.with_modules = with_modules
        self.use_device = use_device
        self.events = []
        self.state = _ThreadState()
        self._ids = _count(1)
        self._threads = {}
        self._live = {}
        self._finalizers = []
        self._lock = threading.Lock()
        self._module_index = {}
        self.total_allocated = 0
        self.start_ns = time.perf_counter_ns()
        self.start_wall_ns = time.time_ns()
        self.end_ns = None

    def now_us(self):
        return (time.perf_counter_ns() - self.start_ns) / 1000.0

    def _thread(self):
        native = threading.get_native_id()
        index = self._threads.get(native)
        if index is None:
            with self._lock:
                index = self._threads.setdefault(native, len(self._threads) + 1)
        return native, index

    def open(self, name, shapes=None, category="cpu_op", sequence_nr=-1, scope=0):
        """Start an event nested in the innermost open event of this thread."""
        stack = self.state.stack
        native, index = self._thread()
        event = FunctionEvent(id=next(self._ids), name=name, thread=index, start_us=self.now_us(), end_us=None,
                              overload_name="", fwd_thread=0 if sequence_nr < 0 else index,
                              input_shapes=shapes if shapes is not None else [], stack=[], scope=scope,
                              use_device=self.use_device, sequence_nr=sequence_nr,
                              flops=0 if self.with_flops else None)
        event._category = category
        event._tid = native
        event._frame = None
        event._stack = stack
        if stack:
            parent = stack[-1]
            event.cpu_parent = parent
            parent.cpu_children.append(event)
        stack.append(event)
        self.events.append(event)
        return event

    def close(self, event):
        """End ``event`` (and anything still open inside it)."""
        stack = self.state.stack
        end = self.now_us()
        if not any(open_event is event for open_event in stack):
            # closed on another thread than the one that opened it: end it and take it off its own thread's stack
            if event.time_range.end is None:
                event.time_range.end = end
            owner = event.__dict__.get("_stack")
            if owner is not None and any(open_event is event for open_event in owner):
                owner.remove(event)
            return
        while stack:
            top = stack.pop()
            top.time_range.end = end
            if top is event:
                return
        if event.time_range.end is None:
            event.time_range.end = end

    def shapes(self, args, kwargs):
        from .._tensor import Tensor
        out = []
        for value in args:
            out.append(list(value.shape) if isinstance(value, Tensor) else [])
        # keyword arguments are mostly Python-level options (``inplace=``) that no ATen schema lists
        for value in kwargs.values():
            if isinstance(value, Tensor):
                out.append(list(value.shape))
        return out

    # ---------------------------------------------------------- memory
    def input_owners(self, args, kwargs):
        from .._tensor import Tensor
        owners = set()
        for value in list(args) + list(kwargs.values()):
            if isinstance(value, Tensor):
                owners.add(id(_owner(value._data)))
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Tensor):
                        owners.add(id(_owner(item._data)))
        return owners

    def account(self, result, inputs):
        """Charge newly allocated result buffers to the innermost open event."""
        from .._tensor import Tensor
        if isinstance(result, Tensor):
            tensors = (result,)
        elif isinstance(result, (tuple, list)):
            tensors = [r for r in result if isinstance(r, Tensor)]
        else:
            return
        for tensor in tensors:
            data = getattr(tensor, "_data", None)
            if not isinstance(data, np.ndarray):
                continue
            owner = _owner(data)
            key = id(owner)
            if key in inputs or key in self._live or (owner.base is not None):
                continue
            nbytes = owner.nbytes
            self._live[key] = nbytes
            try:
                self._finalizers.append(weakref.finalize(owner, self._freed, key, nbytes))
            except TypeError:
                del self._live[key]
                continue
            self._charge(nbytes)

    def _charge(self, nbytes):
        self.total_allocated += nbytes
        stack = self.state.stack
        if stack:
            for event in stack:
                event.cpu_memory_usage += nbytes
        else:
            # outside any op: an instant event of its own, as PyTorch's ``[memory]`` rows
            native, index = self._thread()
            now = self.now_us()
            event = FunctionEvent(id=next(self._ids), name="[memory]", thread=index, start_us=now, end_us=now,
                                  input_shapes=[], stack=[], use_device=self.use_device, cpu_memory_usage=nbytes)
            event._category = "cpu_instant_event"
            event._tid = native
            event._total_allocated = self.total_allocated
            self.events.append(event)

    def _freed(self, key, nbytes):
        if _active[0] is not self or self._live.pop(key, None) is None:
            return
        self._charge(-nbytes)

    def module_name(self, module):
        """``nn.Module: Linear_0``: modules of one class numbered in the order they were first called."""
        cls = type(module).__name__
        per_class = self._module_index.setdefault(cls, {})
        index = per_class.setdefault(id(module), len(per_class))
        return f"nn.Module: {cls}_{index}"

    def finish(self):
        self.end_ns = time.perf_counter_ns()
        end = self.now_us()
        for finalizer in self._finalizers:
            finalizer.detach()
        self._finalizers = []
        for event in self.events:
            if event.time_range.end is None:
                event.time_range.end = end
            event.__dict__.pop("_frame", None)
            event.__dict__.pop("_stack", None)
            # step ranges average together under one name; the trace keeps each step's own name
            event.trace_name = event.name
            if event.name.startswith("ProfilerStep#"):
                event.name = "ProfilerStep*"
        self.state = _ThreadState()


def _owner(array):
    """The numpy array that owns ``array``'s memory."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _flops(name, args, result):
    from .._tensor import Tensor
    try:
        if name in ("aten::mm", "aten::bmm"):
            a, b = args[0], args[1]
            return 2 * int(np.prod(a.shape)) * b.shape[-1]
        if name in ("aten::addmm", "aten::baddbmm"):
            a, b = args[1], args[2]
            return 2 * int(np.prod(a.shape)) * b.shape[-1]
        if name in ("aten::mul", "aten::add") and isinstance(result, Tensor):
            return int(result.numel())
        if name == "aten::conv2d" and isinstance(result, Tensor):
            weight = args[1]
            return 2 * int(np.prod(result.shape)) * int(np.prod(weight.shape[1:]))
    except Exception:
        return 0
    return 0


# ------------------------------------------------------------------ op wrappers and patching

def _any_requires_grad(args):
    from .._tensor import Tensor
    for value in args:
        if isinstance(value, Tensor) and (value._requires_grad or value._grad_fn is not None):
            return True
    return False


def _link_backward(event, result, first_new_node):
    """Give ``event`` the sequence number of the backward node its op created, as PyTorch's forward events
    carry it (trace viewers pair forward ops with their ``evaluate_function`` events by it)."""
    from .._tensor import Tensor
    if isinstance(result, (tuple, list)):
        result = next((r for r in result if isinstance(r, Tensor)), None)
    node = getattr(result, "_grad_fn", None) if isinstance(result, Tensor) else None
    seq = getattr(node, "_seq", -1)
    if seq >= first_new_node:
        event.sequence_nr = seq


def _next_sequence_nr():
    """The sequence number the next autograd node will get (read without taking it)."""
    text = repr(_graph._sequence)
    return int(text[text.index("(") + 1:text.index(")")])


_WRAPPER_CACHE = {}


def _make_wrapper(fn, chain, leaf, op_name=None):
    """A stand-in for op ``fn`` recording ``chain`` (fixed tuple, or a function of the arguments)."""
    silent_from = {module for module, name in _SILENT_CALLS if name == op_name}
    dynamic = callable(chain)
    innermost = None if dynamic or not chain else chain[-1]
    flop_op = innermost in _FLOP_OPS or (not dynamic and chain and chain[0] == "aten::conv2d")

    def wrapper(*args, **kwargs):
        recorder = _active[0]
        if recorder is None:
            return fn(*args, **kwargs)
        state = recorder.state
        if state.suppress or (silent_from and sys._getframe(1).f_globals.get("__name__") in silent_from):
            return fn(*args, **kwargs)
        names = chain(args, kwargs) if dynamic else chain
        if not names:
            return fn(*args, **kwargs)
        shapes = recorder.shapes(args, kwargs) if recorder.record_shapes else None
        events = [recorder.open(name, shapes) for name in names]
        first_new_node = _next_sequence_nr() if _grad_mode._state[0] and _any_requires_grad(args) else None
        inputs = recorder.input_owners(args, kwargs) if recorder.profile_memory else None
        if leaf:
            state.suppress += 1
        try:
            result = fn(*args, **kwargs)
            if first_new_node is not None:
                _link_backward(events[0], result, first_new_node)
            if inputs is not None:
                recorder.account(result, inputs)
            if recorder.with_flops and flop_op:
                target = events[0] if names[0] == "aten::conv2d" else events[-1]
                target.flops = _flops(target.name, args, result)
        finally:
            if leaf:
                state.suppress -= 1
            recorder.close(events[0])
        return result

    wrapper.__name__ = getattr(fn, "__name__", "op")
    wrapper.__qualname__ = getattr(fn, "__qualname__", wrapper.__name__)
    wrapper.__doc__ = getattr(fn, "__doc__", None)
    wrapper.__module__ = getattr(fn, "__module__", None)
    wrapper.__wrapped__ = fn
    return wrapper


def _wrapper_for(fn, name):
    cached = _WRAPPER_CACHE.get(id(fn))
    if cached is not None and cached[0] is fn:
        return cached[1]
    chain = _DYNAMIC_CHAINS.get(name) or _CHAINS.get(name)
    if chain is None:
        chain = _chain(name)
    wrapper = _make_wrapper(fn, chain, leaf=name not in _COMPOSITE, op_name=name)
    _WRAPPER_CACHE[id(fn)] = (fn, wrapper)
    return wrapper


def _collect_ops():
    """{id(op function): (function, aten name)} for every op function a profiler wraps."""
    import tritongrad
    from .. import _ops, _random
    from .._tensor import Tensor
    ops = {}

    def add(fn, name):
        if isinstance(fn, types.FunctionType) and id(fn) not in ops:
            ops[id(fn)] = (fn, name)

    for module_name in _OP_MODULES:
        module = getattr(_ops, module_name)
        for key, fn in vars(module).items():
            if (isinstance(fn, types.FunctionType) and fn.__module__ == module.__name__
                    and not key.startswith("_") and key not in _HELPERS):
                add(fn, getattr(fn, "__name__", key) if getattr(fn, "__name__", key).isidentifier() else key)
    for key, fn in vars(_random).items():
        if (isinstance(fn, types.FunctionType) and fn.__module__ == _random.__name__ and not key.startswith("_")
                and key not in _HELPERS):
            add(fn, key)
    functional = getattr(getattr(tritongrad, "nn", None), "functional", None)
    if functional is not None:
        for key in _FUNCTIONAL_OPS:
            fn = getattr(functional, key, None)
            if fn is not None:
                add(fn, _FUNCTIONAL_RENAMES.get(key, key))
    for key, fn in list(vars(Tensor).items()):
        if not isinstance(fn, types.FunctionType) or id(fn) in ops:
            continue
        if key in _AUGMENTED:
            add(fn, _AUGMENTED[key])
        elif key in _TENSOR_METHOD_OPS:
            if key not in _NOT_RECORDED:
                add(fn, key)
        elif key.endswith("_") and not key.startswith("_") and key not in ("requires_grad_", "share_memory_"):
            add(fn, key)
    return ops


class _Patch:
    """Replaces every binding of the op functions by its wrapper and puts the originals back."""

    def __init__(self):
        self.undo = []

    def apply(self):
        from .._tensor import Tensor
        ops = _collect_ops()
        wrappers = {key: _wrapper_for(fn, name) for key, (fn, name) in ops.items()}
        own = {__name__, __name__ + "_util", "tritongrad.profiler"}
        for module_name, module in list(sys.modules.items()):
            if module is None or module_name in own:
                continue
            if module_name != "tritongrad" and not module_name.startswith("tritongrad."):
                continue
            namespace = getattr(module, "__dict__", None)
            if not namespace:
                continue
            for key, value in list(namespace.items()):
                wrapper = wrappers.get(id(value))
                if wrapper is not None and ops[id(value)][0] is value:
                    namespace[key] = wrapper
                    self.undo.append((namespace, key, value))
        for key, value in list(vars(Tensor).items()):
            wrapper = wrappers.get(id(value))
            if wrapper is not None and ops[id(value)][0] is value:
                setattr(Tensor, key, wrapper)
                self.undo.append((Tensor, key, value))

    def restore(self):
        for target, key, value in reversed(self.undo):
            if isinstance(target, dict):
                target[key] = value
            else:
                setattr(target, key, value)
        self.undo = []


# ------------------------------------------------------------------ backward nodes

def _node_name(node):
    name = node.name()
    return "torch::autograd::AccumulateGrad" if name == "AccumulateGrad" else name


class _NodeRange:
    """The engine's evaluate hook: ``autograd::engine::evaluate_function: <Node>`` around ``<Node>``."""
    __slots__ = ("node", "events")

    def __init__(self, node):
        self.node = node
        self.events = None

    def __enter__(self):
        recorder = _active[0]
        if recorder is None or recorder.state.suppress:
            return self
        name = _node_name(self.node)
        seq = getattr(self.node, "_seq", -1)
        seq = -1 if name == "torch::autograd::AccumulateGrad" else seq
        shapes = None
        if recorder.record_shapes:
            variable = getattr(self.node, "variable", None)
            if variable is not None:
                shapes = [list(variable.shape)]
            else:
                meta = getattr(self.node, "_out_meta", None) or ()
                shapes = [list(m[0]) for m in meta]
        outer = recorder.open("autograd::engine::evaluate_function: " + name, [] if recorder.record_shapes else None,
                              sequence_nr=seq)
        outer.fwd_thread = 1
        inner = recorder.open(name, shapes, sequence_nr=seq, scope=1)
        inner.fwd_thread = 1
        self.events = (recorder, outer)
        return self

    def __exit__(self, *exc):
        if self.events is not None:
            recorder, outer = self.events
            recorder.close(outer)
            self.events = None
        return False


# ------------------------------------------------------------------ Python calls (with_stack)

def _trim_path(path):
    """A source path as PyTorch's tracer prints it: relative to the longest ``sys.path`` entry it is under."""
    best = ""
    for prefix in sys.path:
        if not prefix:
            continue
        prefix = os.path.join(prefix, "")
        if path.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return path[len(best):]


_OWN_FILES = {os.path.abspath(__file__), os.path.join(os.path.dirname(os.path.abspath(__file__)), "profiler_util.py")}


def _own_code(code):
    return os.path.abspath(code.co_filename) in _OWN_FILES or code.co_filename.endswith(
        os.path.join("tritongrad", "profiler", "__init__.py"))


class _PythonTracer:
    """Records Python function calls (and calls into C functions) as events, as ``with_stack`` asks."""

    def __init__(self, recorder):
        self.recorder = recorder
        self.codes = {}
        self.previous = None
        self.previous_threads = None
        self.call_impl = None
        try:
            from ..nn.modules.module import Module
            self.call_impl = Module.__call__.__code__
        except Exception:
            pass

    def start(self, frame):
        self.previous = sys.getprofile()
        frames = []
        while frame is not None:
            if not _own_code(frame.f_code):
                frames.append(frame)
            frame = frame.f_back
        recorder = self.recorder
        for frame in reversed(frames):
            code = frame.f_code
            event = recorder.open(f"{_trim_path(code.co_filename)}({frame.f_lineno}): {code.co_name}",
                                  category="python_function")
            event._frame = frame
        self.previous_threads = threading.getprofile() if hasattr(threading, "getprofile") else None
        threading.setprofile(self.profile)  # threads started while recording are traced too
        sys.setprofile(self.profile)

    def stop(self):
        sys.setprofile(self.previous)
        threading.setprofile(self.previous_threads)

    def profile(self, frame, what, arg):
        recorder = self.recorder
        if _active[0] is not recorder:
            return
        if what == "call":
            code = frame.f_code
            name = self.codes.get(code, 0)
            if name == 0:
                # None marks the profiler's own functions, which are not shown
                name = self.codes[code] = None if _own_code(code) else \
                    f"{_trim_path(code.co_filename)}({code.co_firstlineno}): {code.co_name}"
            if name is None or self._inside_op():
                return
            if code is self.call_impl and self.call_impl is not None:
                module = frame.f_locals.get("self")
                if module is not None:
                    recorder.open(recorder.module_name(module), category="python_function")._frame = frame
            recorder.open(name, category="python_function")._frame = frame
        elif what == "return":
            self._pop(frame)
        elif what == "c_call":
            if self.codes.get(frame.f_code, 0) is None or _own_code(frame.f_code) or self._inside_op():
                return
            try:
                name = repr(arg)
            except Exception:
                name = "<built-in function>"
            recorder.open(name, category="python_function")._frame = (frame, arg)
        elif what in ("c_return", "c_exception"):
            stack = recorder.state.stack
            if stack:
                top = stack[-1]
                marker = top.__dict__.get("_frame")
                if isinstance(marker, tuple) and marker[0] is frame and marker[1] is arg:
                    recorder.close(top)

    def _inside_op(self):
        # PyTorch's operators are C++: no Python frames show below an operator or backward node
        state = self.recorder.state
        return state.suppress > 0 or (state.stack and state.stack[-1]._category == "cpu_op")

    def _pop(self, frame):
        stack = self.recorder.state.stack
        lowest = None
        for index in range(len(stack) - 1, -1, -1):
            if stack[index].__dict__.get("_frame") is frame:
                lowest = index
            elif lowest is not None:
                break
        if lowest is not None:
            self.recorder.close(stack[lowest])


# ------------------------------------------------------------------ starting and stopping

class _Session:
    """Install/uninstall the op wrappers, the engine hook and the Python tracer for one recorder."""

    def __init__(self, recorder):
        self.recorder = recorder
        self.patch = _Patch()
        self.tracer = None
        self.previous = None

    def start(self, frame):
        engine = _engine
        self.previous = (_active[0], engine.evaluate_hook[0])
        if self.previous[0] is not None:
            # a profiler already runs: it stops seeing events until this one ends, as in PyTorch
            self.previous[0]._session.suspend()
        self.patch.apply()
        engine.evaluate_hook[0] = _NodeRange
        _active[0] = self.recorder
        if self.recorder.with_stack:
            self.tracer = _PythonTracer(self.recorder)
            self.tracer.start(frame)

    def suspend(self):
        if self.tracer is not None:
            self.tracer.stop()
        self.patch.restore()

    def stop(self):
        engine = _engine
        if self.tracer is not None:
            self.tracer.stop()
        _active[0] = None
        self.patch.restore()
        engine.evaluate_hook[0] = None
        self.recorder.finish()
        previous_recorder, _ = self.previous
        if previous_recorder is not None and previous_recorder.end_ns is None:
            previous_recorder._session.patch.apply()
            engine.evaluate_hook[0] = _NodeRange
            _active[0] = previous_recorder


def _checked_device(use_device):
    """``use_device`` if this build can profile it, else None with PyTorch's warning."""
    if use_device is None:
        return None
    if use_device not in ("cuda", "xpu", "mtia", "hpu"):
        warnings.warn(f"The {use_device} is not a valid device option.", stacklevel=3)
        return None
    if use_device == "cuda":
        from .. import cuda
        if not cuda.is_available():
            warnings.warn("CUDA is not available, disabling CUDA profiling", stacklevel=3)
            return None
        return use_device
    # tritongrad has no XPU/MTIA/HPU backend
    warnings.warn(f"{use_device.upper()} is not available, disabling {use_device.upper()} profiling", stacklevel=3)
    return None


class profile:
    """Context manager that records the ops run inside it (and their CPU time, shapes, memory).

    After exiting, read ``function_events``, ``key_averages()``, ``table()``, ``total_average()``,
    ``self_cpu_time_total``; write ``export_chrome_trace(path)`` or ``export_stacks(path)``.
    """

    def __init__(self, enabled=True, *, use_cuda=False, use_device=None, record_shapes=False, with_flops=False,
                 profile_memory=False, with_stack=False, with_modules=False, use_kineto=False, use_cpu=True,
                 experimental_config=None, acc_events=False, custom_trace_id_callback=None,
                 post_processing_timeout_s=None):
        self.enabled = enabled
        if not enabled:
            return
        self.use_cuda = use_cuda
        if self.use_cuda:
            warnings.warn("The attribute `use_cuda` will be deprecated soon, please use ``use_device = 'cuda'`` "
                          "instead.", FutureWarning, stacklevel=2)
            self.use_device = "cuda"
        else:
            self.use_device = use_device
        self._function_events = None
        self._old_function_events = None
        self._needs_processing = False
        self.entered = False
        self.record_shapes = record_shapes
        self.with_flops = with_flops
        self.record_shapes |= self.with_flops
        self.profile_memory = profile_memory
        self.with_stack = with_stack
        self.with_modules = with_modules
        self.use_cpu = use_cpu
        self.acc_events = acc_events
        self.experimental_config = experimental_config
        self.custom_trace_id_callback = custom_trace_id_callback
        self.post_processing_timeout_s = post_processing_timeout_s
        self.profiling_start_time_ns = 0
        self.profiling_end_time_ns = 0
        self._recorder = None
        self.use_device = _checked_device(self.use_device)
        if self.use_device is None:
            self.use_cuda = False

    def config(self, create_trace_id=False):
        """The options this profiler records with."""
        return dict(record_shapes=self.record_shapes, profile_memory=self.profile_memory,
                    with_stack=self.with_stack, with_flops=self.with_flops, with_modules=self.with_modules)

    def __enter__(self):
        if not self.enabled:
            return None
        if self.entered:
            raise RuntimeError("Profiler context manager is not reentrant")
        self._prepare_trace()
        self._start_trace(sys._getframe(1))
        return self

    def _prepare_trace(self):
        self.entered = True

    def _start_trace(self, frame=None):
        self.entered = True
        self.profiling_start_time_ns = time.time_ns()
        recorder = _Recorder(record_shapes=self.record_shapes, profile_memory=self.profile_memory,
                             with_stack=self.with_stack, with_flops=self.with_flops, with_modules=self.with_modules,
                             use_device=self.use_device)
        recorder._session = _Session(recorder)
        self._recorder = recorder
        recorder._session.start(frame if frame is not None else sys._getframe(1))

    def __exit__(self, exc_type, exc_val, exc_tb):
        if not self.enabled:
            return
        if self._recorder is None or self._recorder.end_ns is not None:
            return False
        self._recorder._session.stop()
        self.profiling_end_time_ns = time.time_ns()
        self._old_function_events = self._function_events
        self._function_events = None
        self._needs_processing = True
        self.kineto_results = self._recorder
        self._ensure_function_events()
        return False

    def _ensure_function_events(self):
        if self._function_events is not None:
            return
        self._needs_processing = False
        events = self._recorder.events if self._recorder is not None and self._recorder.end_ns is not None else []
        self._function_events = EventList(events, use_device=self.use_device, profile_memory=self.profile_memory,
                                          with_flops=self.with_flops)
        self._function_events._build_tree()
        if self.acc_events and self._old_function_events:
            self._old_function_events.extend(self._function_events)
            self._function_events = self._old_function_events

    @property
    def function_events(self):
        if not self.enabled:
            return None
        if self._function_events is None or self._needs_processing:
            self._ensure_function_events()
        return self._function_events

    def __repr__(self):
        if self._needs_processing:
            self._ensure_function_events()
        if self._function_events is None:
            return "<unfinished torch.autograd.profile>"
        return repr(self._function_events)

    def __str__(self):
        if self._needs_processing:
            self._ensure_function_events()
        if self._function_events is None:
            return "<unfinished torch.autograd.profile>"
        return str(self._function_events)

    def table(self, sort_by=None, row_limit=100, max_src_column_width=75, max_name_column_width=55,
              max_shapes_column_width=80, header=None, top_level_events_only=False, time_unit=None):
        """The events as PyTorch's summary table (one row per event; see ``key_averages().table``)."""
        return self.function_events.table(sort_by=sort_by, row_limit=row_limit,
                                          max_src_column_width=max_src_column_width,
                                          max_name_column_width=max_name_column_width,
                                          max_shapes_column_width=max_shapes_column_width, header=header,
                                          top_level_events_only=top_level_events_only, time_unit=time_unit)

    table.__doc__ = EventList.table.__doc__

    def export_chrome_trace(self, path, _metadata=None):
        """Write the recorded events as a Chrome trace JSON file (``.gz`` paths are gzip-compressed)."""
        if self._recorder is None or self._recorder.end_ns is None:
            raise AttributeError("'NoneType' object has no attribute 'save'")
        base_ns = self._recorder.start_wall_ns
        events = self.function_events
        shifted = _ShiftedEvents(events, base_ns / 1000.0)
        _write_chrome_trace(shifted, path, base_time_ns=base_ns - base_ns % 1000000000, metadata=_metadata)

    def export_stacks(self, path, metric="self_cpu_time_total"):
        """Write the events' stacks as ``frame;...;frame value`` lines for flame graphs."""
        if not self.enabled or not self.with_stack:
            raise AssertionError("export_stacks() requires with_stack=True")
        return self.function_events.export_stacks(path, metric)

    def toggle_collection_dynamic(self, enabled, activities):
        """Pause (``enabled=False``) or resume recording of CPU ops while the profiler runs."""
        recorder = self._recorder
        if recorder is None or recorder.end_ns is not None:
            return
        if enabled and _active[0] is None:
            _active[0] = recorder
        elif not enabled and _active[0] is recorder:
            _active[0] = None

    def key_averages(self, group_by_input_shape=False, group_by_stack_n=0, group_by_overload_name=False):
        """Events grouped by name (and optionally input shapes / stack), summed: a FunctionEventAvg each."""
        return self.function_events.key_averages(group_by_input_shape, group_by_stack_n, group_by_overload_name)

    def total_average(self):
        return self.function_events.total_average()

    @property
    def self_cpu_time_total(self):
        """Total time spent on the CPU: the sum of all events' self CPU time (us)."""
        return self.function_events.self_cpu_time_total


class _ShiftedEvents(list):
    """Events with their start times moved onto the wall clock, for trace files."""

    def __init__(self, events, base_us):
        super().__init__()
        for event in events:
            shifted = _TraceEvent(event, base_us)
            self.append(shifted)


class _TraceEvent:
    def __init__(self, event, base_us):
        self.__dict__.update(event.__dict__)
        self.time_range = Interval(event.time_range.start + base_us, event.time_range.end + base_us)
        self.sequence_nr = event.sequence_nr
        self.cpu_memory_usage = event.cpu_memory_usage


class record_function(contextlib.ContextDecorator):
    """Label a block of code (or a function, as a decorator) so that it shows as one event in the profile."""

    def __init__(self, name, args=None):
        self.name = name
        self.args = args
        self.run_callbacks_on_exit = True
        self.record = None
        self._open = []

    def __enter__(self):
        recorder = _active[0]
        if recorder is not None:
            name = self.name if self.args is None else self.name
            self._open.append((recorder, recorder.open(name, category="user_annotation")))
        else:
            self._open.append(None)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if not self.run_callbacks_on_exit:
            return False
        entry = self._open.pop() if self._open else None
        if entry is not None:
            recorder, event = entry
            if recorder.end_ns is None:
                recorder.close(event)
        return False

    def _call_end_callbacks_on_future(self, fut):
        """Close the range when ``fut`` completes (used with asynchronous work)."""
        if not self.run_callbacks_on_exit:
            raise RuntimeError("_call_end_callbacks_on_future can only be called once.")
        self.run_callbacks_on_exit = False
        entry = self._open.pop() if self._open else None
        if entry is None:
            return fut

        def done(_):
            recorder, event = entry
            if recorder.end_ns is None:
                event.time_range.end = recorder.now_us()
        if hasattr(fut, "add_done_callback"):
            fut.add_done_callback(done)
        else:
            done(None)
        return fut


class emit_itt:
    """Annotate ranges for Intel VTune (ITT). tritongrad has no ITT backend, so ranges are not emitted."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled = enabled
        self.entered = False
        self.record_shapes = record_shapes

    def __enter__(self):
        if not self.enabled:
            return
        if self.entered:
            raise RuntimeError("ITT annotation context manager is not reentrant")
        self.entered = True
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        if not self.enabled:
            return
        self.entered = False
        return False


class emit_nvtx:
    """Annotate ranges for NVIDIA's Nsight tools; needs CUDA, as in PyTorch."""

    def __init__(self, enabled=True, record_shapes=False):
        self.enabled = enabled
        self.entered = False
        self.record_shapes = record_shapes

    def __enter__(self):
        if not self.enabled:
            return
        if self.entered:
            raise RuntimeError("NVTX annotation context manager is not reentrant")
        self.entered = True
        from .. import cuda
        if not cuda.is_available():
            raise AssertionError("Torch not compiled with CUDA enabled")
        cuda.synchronize()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        if not self.enabled:
            return
        self.entered = False
        return False


def load_nvprof(path):
    """Open an nvprof trace file (an SQLite database written by nvprof)."""
    raise NotImplementedError("load_nvprof: reading nvprof SQLite traces is not supported by tritongrad")


def parse_nvprof_trace(path):
    raise NotImplementedError("parse_nvprof_trace: reading nvprof SQLite traces is not supported by tritongrad")


class EnforceUnique:
    """Raises if a key is seen twice."""

    def __init__(self):
        self.seen = set()

    def see(self, *key):
        if key in self.seen:
            raise RuntimeError("duplicate key: " + str(key))
        self.seen.add(key)


class KinetoStepTracker:
    """Global step counts, per requester (the optimizer and the profiler each count steps)."""

    _current_step = 0
    _step_dict = {}

    @classmethod
    def init_step_count(cls, requester):
        cls._step_dict[requester] = cls._current_step

    @classmethod
    def erase_step_count(cls, requester):
        return cls._step_dict.pop(requester, None) is not None

    @classmethod
    def increment_step(cls, requester):
        if requester not in cls._step_dict:
            cls.init_step_count(requester)
        cls._step_dict[requester] += 1
        new_step = max(cls._step_dict.values())
        if new_step > cls._current_step:
            cls._current_step = new_step
        return cls._current_step

    @classmethod
    def current_step(cls):
        return cls._current_step
