"""torch.optim.Optimizer: parameter groups, per-parameter state, state_dict and step hooks.

Optimizer updates run on the CPU tensors' numpy arrays (``t._data``) inside ``no_grad`` and write in
place into the parameters, bumping each written tensor's version counter once per PyTorch in-place op.
The arithmetic follows PyTorch's single-tensor (for-loop) implementations operation by operation, so
float64 trajectories agree to rounding and float32 ones stay in float32 (numpy keeps Python scalars weak).
"""
import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from copy import deepcopy
from itertools import chain

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ..autograd import grad_mode

__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Singleton marking a hyper-parameter that every param group must give."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()


class _RemovableHandle:
    """A handle whose ``remove()`` unregisters a hook (torch.utils.hooks.RemovableHandle)."""

    _next_id = 0

    def __init__(self, hooks_dict):
        self._hooks_ref = hooks_dict
        self.id = _RemovableHandle._next_id
        _RemovableHandle._next_id += 1

    def remove(self):
        self._hooks_ref.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def register_optimizer_step_pre_hook(hook):
    """Register a pre hook common to all optimizers: ``hook(optimizer, args, kwargs)``."""
    handle = _RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook):
    """Register a post hook common to all optimizers: ``hook(optimizer, args, kwargs)``."""
    handle = _RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


_record_function_impl = []


def _record_function(name):
    """The profiler range PyTorch opens around step/zero_grad, when tritongrad's profiler is present."""
    if not _record_function_impl:
        try:
            from ..autograd.profiler import record_function
        except ImportError:
            record_function = None
        _record_function_impl.append(record_function)
    record_function = _record_function_impl[0]
    return nullcontext() if record_function is None else record_function(name)


def _typename(obj):
    """torch.typename: legacy tensor type names, else ``module.qualname`` without ``builtins``."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    if module in ("", "builtins"):
        return qualname
    return module + "." + qualname


def _wrap_step_with_hooks(step):
    @functools.wraps(step)
    def step_with_hooks(*args, **kwargs):
        self = args[0]
        with _record_function(f"Optimizer.step#{type(self).__name__}.step"):
            for pre_hook in chain(_global_optimizer_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
                result = pre_hook(self, args, kwargs)
                if result is not None:
                    if isinstance(result, tuple) and len(result) == 2:
                        args, kwargs = result
                    else:
                        raise RuntimeError(
                            f"{step} must return None or a tuple of (new_args, new_kwargs), but got {result}.")
            out = step(*args, **kwargs)
            self._optimizer_step_code()
            for post_hook in chain(self._optimizer_step_post_hooks.values(), _global_optimizer_post_hooks.values()):
                post_hook(self, args, kwargs)
            return out

    step_with_hooks.hooked = True
    return step_with_hooks


# ----------------------------------------------------------------------------- numpy helpers for the updates
def _scalar_dtype():
    """dtype of the ``step`` state: float64 when that is the default dtype, else float32."""
    return D.float64 if D.get_default_dtype() is D.float64 else D.float32


def _on_cpu(t):
    return t.device.type == "cpu"


def _full_like(t, value):
    """``torch.full_like(t, value)`` (preserving strides); numpy directly for CPU tensors."""
    if _on_cpu(t):
        return Tensor._make(np.full_like(t._data, value), t.dtype)
    from .._ops import TORCH_FUNCTIONS
    return TORCH_FUNCTIONS["full_like"](t, value)


def _zeros_like(p):
    return _full_like(p, 0)


def _scalar_state(value):
    d = _scalar_dtype()
    return Tensor._make(np.array(value, dtype=d._np), d)


def _increment(t, amount=1):
    """``t += amount`` on a 0-d state tensor, in its own dtype."""
    t._data += t._data.dtype.type(amount)
    t._vc[0] += 1


def _value(x):
    """A hyper-parameter or 0-d state as a Python number (Tensor.item())."""
    if isinstance(x, Tensor):
        return x._data.reshape(()).item() if _on_cpu(x) else x.item()
    return x


def _real_view(arr):
    """Complex arrays as their (..., 2) real view, as torch.view_as_real; real arrays unchanged."""
    if np.iscomplexobj(arr):
        return arr[..., None].view(arr.real.dtype)
    return arr


_CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone", "xla"]


def _check_capturable(group, p, what="params and state_steps", supports_xla=True):
    """capturable=True is for graph-captured accelerator steps; PyTorch asserts on other devices."""
    if not group["capturable"]:
        return
    devices = _CAPTURABLE_DEVICES if supports_xla else _CAPTURABLE_DEVICES[:-1]
    if p.device.type not in devices:
        raise AssertionError(f"If capturable=True, {what} must be on supported devices: {devices}.")


def _use_tensor_ops(group, params):
    """Whether a group takes the tensor-op update: for ``differentiable=True`` (autograd must see it) and for
    parameters whose memory numpy cannot reach (not on the CPU)."""
    return bool(group.get("differentiable")) or any(p.device.type != "cpu" for p in params)


def _cpu_arrays(optimizer_name, p):
    if p.device.type != "cpu":
        raise NotImplementedError(f"tritongrad's {optimizer_name} only updates CPU parameters, got one on {p.device}")


class _UpdateContext:
    """Grad mode set to ``differentiable`` (off by default) and numpy's floating-point warnings switched off
    for the duration of an update."""

    def __init__(self, differentiable=False):
        self._differentiable = differentiable

    def __enter__(self):
        self._no_grad = grad_mode.set_grad_enabled(self._differentiable)
        self._no_grad.__enter__()
        self._errstate = np.errstate(all="ignore")
        self._errstate.__enter__()
        return self

    def __exit__(self, *exc):
        self._errstate.__exit__(*exc)
        return self._no_grad.__exit__(*exc)


class Optimizer:
    """Base class for all optimizers.

    Args:
        params (iterable): an iterable of Tensors or dicts (parameter groups).
        defaults (dict): default values of optimization options for groups that don't specify them.
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        self._patch_step_function()

        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                            "but got " + _typename(params))

        self.state = defaultdict(dict)
        self.param_groups = []

        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)
        self._warned_capturable_if_run_uncaptured = True

    # ------------------------------------------------------------------ pickling
    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks", "_optimizer_state_dict_pre_hooks",
                     "_optimizer_state_dict_post_hooks", "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self._patch_step_function()
        self.defaults.setdefault("differentiable", False)

    def _optimizer_step_code(self):
        """Entry point profilers hook at the Python level, called after every ``step``; does nothing itself."""

    profile_hook_step = staticmethod(_wrap_step_with_hooks)

    def _patch_step_function(self):
        """Wrap the class's ``step`` (once) so that step hooks and the profiler range run around it."""
        self._zero_grad_profile_name = f"Optimizer.zero_grad#{type(self).__name__}.zero_grad"
        cls = type(self)
        if not getattr(cls.step, "hooked", False):
            cls.step = _wrap_step_with_hooks(cls.step)

    def __repr__(self):
        text = type(self).__name__ + " ("
        for index, group in enumerate(self.param_groups):
            text += f"\nParameter Group {index}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"

    # ------------------------------------------------------------------ hooks
    def register_step_pre_hook(self, hook):
        """Register ``hook(optimizer, args, kwargs) -> None or (args, kwargs)`` to run before ``step``."""
        handle = _RemovableHandle(self._optimizer_step_pre_hooks)
        self._optimizer_step_pre_hooks[handle.id] = hook
        return handle

    def register_step_post_hook(self, hook):
        """Register ``hook(optimizer, args, kwargs) -> None`` to run after ``step``."""
        handle = _RemovableHandle(self._optimizer_step_post_hooks)
        self._optimizer_step_post_hooks[handle.id] = hook
        return handle

    @staticmethod
    def _register(hooks_dict, hook, prepend):
        handle = _RemovableHandle(hooks_dict)
        hooks_dict[handle.id] = hook
        if prepend:
            hooks_dict.move_to_end(handle.id, last=False)
        return handle

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """Register ``hook(optimizer)`` to run before ``state_dict()``."""
        return self._register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """Register ``hook(optimizer, state_dict) -> state_dict or None`` to run after ``state_dict()``."""
        return self._register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """Register ``hook(optimizer, state_dict) -> state_dict or None`` to run before loading."""
        return self._register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """Register ``hook(optimizer)`` to run after ``load_state_dict``."""
        return self._register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------------ state dict
    def state_dict(self):
        """The optimizer state as ``{'state': {index: {...}}, 'param_groups': [{..., 'params': [index, ...]}]}``."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)

        index_of = {}
        packed_groups = []
        next_index = 0
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], next_index):
                index_of.setdefault(id(p), i)
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            next_index += len(packed["params"])
            packed_groups.append(packed)

        packed_state = {(index_of[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        state_dict = {"state": packed_state, "param_groups": packed_groups}

        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _cast_state_value(param, value, fused_or_capturable, key=None):
        """Deep-copy containers and move loaded tensors to the parameter's dtype, as PyTorch does."""
        if isinstance(value, Tensor):
            if key == "step":
                dtype = D.float32 if fused_or_capturable else value.dtype
                device = param.device if fused_or_capturable else value.device
            else:
                dtype = param.dtype if param.is_floating_point() else value.dtype
                device = param.device
            if dtype is value.dtype and device == value.device:
                return value  # Tensor.to returns the tensor itself when nothing changes
            if _on_cpu(value) and device == value.device:
                return Tensor._make(value._data.astype(dtype._np), dtype)
            return value.to(dtype=dtype, device=device)
        if isinstance(value, dict):
            return {k: Optimizer._cast_state_value(param, v, fused_or_capturable, key=k) for k, v in value.items()}
        if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            return type(value)(Optimizer._cast_state_value(param, v, fused_or_capturable) for v in value)
        return value

    def load_state_dict(self, state_dict):
        """Load a state dict made by ``state_dict()`` (params are matched by position)."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result

        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of "
                             "optimizer's group")

        param_of_id = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                               chain.from_iterable(g["params"] for g in groups)))

        def policy_of(param_id):
            for g in state_dict["param_groups"]:
                if param_id in g["params"]:
                    return bool(g.get("fused", False) or g.get("capturable", False))
            return False

        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in param_of_id:
                param = param_of_id[key]
                state[param] = self._cast_state_value(param, value, policy_of(key))
            else:
                state[key] = value

        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})

        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    # ------------------------------------------------------------------ gradients and steps
    def zero_grad(self, set_to_none=True):
        """Reset the gradients of all optimized tensors (to None by default, else to zeros)."""
        with _record_function(self._zero_grad_profile_name):
            for group in self.param_groups:
                for p in group["params"]:
                    grad = p.grad
                    if grad is None:
                        continue
                    if set_to_none:
                        p.grad = None
                        continue
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad._data[...] = 0
                    grad._vc[0] += 1

    def step(self, closure=None):
        """Perform a single optimization step (implemented by each optimizer)."""
        raise NotImplementedError

    def add_param_group(self, param_group):
        """Add a param group (a dict with ``params`` and optional per-group options)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")

        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of "
                            "tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)

        tensors, names = [], []
        for entry in param_group["params"]:
            if isinstance(entry, tuple):
                names.append(entry[0])
                tensors.append(entry[1])
            else:
                tensors.append(entry)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            param_group["param_names"] = names

        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)

        if len(tensors) != len(set(tensors)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this will "
                          "cause an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)

        seen = set()
        for group in self.param_groups:
            seen.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not seen.isdisjoint(tensors):
            raise ValueError("some parameters appear in more than one parameter group")

        self.param_groups.append(param_group)

    # ------------------------------------------------------------------ shared step machinery
    def _step_each_group(self, closure=None):
        """Perform a single optimization step; ``closure`` re-evaluates the model and returns the loss."""
        with self._step_context():
            loss = self._run_closure(closure)
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _run_closure(self, closure):
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    _supports_differentiable = False

    def _step_context(self):
        """Updates run with grad mode off (on with ``differentiable=True``), and silently: PyTorch emits no
        warning for inf/nan updates."""
        differentiable = bool(self.defaults.get("differentiable", False))
        if differentiable and not self._supports_differentiable:
            raise NotImplementedError(f"tritongrad's {type(self).__name__} does not support differentiable=True "
                                      "yet (SGD, Adam and AdamW do)")
        return _UpdateContext(differentiable)

    def _params_with_grad(self, group, sparse_message=None):
        out = []
        for p in group["params"]:
            if p.grad is None:
                continue
            if sparse_message is not None and getattr(p.grad, "is_sparse", False):
                raise RuntimeError(sparse_message)
            out.append(p)
        return out


def _hyper(value):
    """A hyper-parameter that may be a 1-element Tensor, as a Python float for the numpy updates."""
    return _value(value) if isinstance(value, Tensor) else value


def _check_lr(lr):
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _check_betas(betas):
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")


def _check_nonneg(value, what):
    if not 0.0 <= value:
        raise ValueError(f"Invalid {what} value: {value}")


def _check_fused(fused, foreach, differentiable):
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _step_to_tensor(group, p_state, fused_or_capturable=False):
    """Old checkpoints stored ``step`` as a number; PyTorch converts it to a scalar tensor on load."""
    if "step" in p_state and not isinstance(p_state["step"], Tensor):
        value = float(p_state["step"])
        if fused_or_capturable:
            p_state["step"] = Tensor._make(np.array(value, dtype=np.float32), D.float32)
        else:
            p_state["step"] = _scalar_state(value)


# ----------------------------------------------------------------------------- helpers custom optimizers import
ParamsT = Iterable


def _use_grad_for_differentiable(func):
    """Run an optimizer's ``step`` with grad mode set to its ``differentiable`` default (off unless asked)."""
    @functools.wraps(func)
    def use_grad(*args, **kwargs):
        self = args[0]
        with grad_mode.set_grad_enabled(self.defaults["differentiable"]):
            return func(*args, **kwargs)

    return use_grad


def _get_value(x):
    """A 0-d tensor as a Python number (``.item()``); anything else unchanged."""
    return x.item() if isinstance(x, Tensor) else x


def _to_scalar(x):
    """A 1-element tensor hyper-parameter as a 0-d tensor; numbers unchanged."""
    if isinstance(x, Tensor) and x.dim() != 0:
        return x.squeeze()
    return x


def _get_scalar_dtype(is_fused=None):
    """dtype of optimizer step counters: float32 for fused, else float64 only when that is the default."""
    if is_fused:
        return D.float32
    return _scalar_dtype()


def _stack_if_compiling(x):
    """No compiler here: returned unchanged."""
    return x


def _default_to_fused_or_foreach(params, differentiable, use_fused=False):
    """(fused, foreach) PyTorch picks when the user leaves both None: foreach is for accelerators only."""
    fused = use_fused and all(p is None or (p.device.type == "cpu" and p.is_floating_point()) for p in params)
    return bool(fused), False


def _no_complex(optimizer, p):
    """The differentiable (tensor-op) updates do not take PyTorch's view_as_real path yet."""
    if p.is_complex():
        raise NotImplementedError(f"tritongrad's {type(optimizer).__name__} does not support differentiable=True "
                                  "with complex parameters")
