"""torch.optim.ASGD: averaged stochastic gradient descent."""
import numpy as np

from .._tensor import Tensor
from . import _array_ops as A
from .optimizer import (Optimizer, _check_capturable, _check_lr, _hyper, _increment, _no_complex, _real_view,
                        _scalar_dtype, _scalar_state, _step_to_tensor, _use_tensor_ops, _value, _zeros_like)

__all__ = ["ASGD"]


def _assign_scalar(t, value):
    """``t.copy_(value)`` for a 0-d state tensor: the value rounds to the tensor's dtype."""
    t._data[...] = value
    t._vc[0] += 1


class ASGD(Optimizer):
    """Implements averaged stochastic gradient descent; ``state['ax']`` holds the averaged parameters."""

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
                 maximize=False, differentiable=False, capturable=False):
        _check_lr(lr)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                _step_to_tensor(group, p_state)
                for key in ("eta", "mu"):
                    if key in p_state and not isinstance(p_state[key], Tensor):
                        p_state[key] = _scalar_state(float(p_state[key]))

    step = Optimizer._step_each_group

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(group, "ASGD does not support sparse gradients")
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _scalar_state(0.0)
                state["eta"] = Tensor._make(np.array(_hyper(group["lr"]), dtype=_scalar_dtype()._np))
                state["mu"] = _scalar_state(1.0)
                state["ax"] = _zeros_like(p)
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        lr = _hyper(group["lr"])
        lambd, alpha, t0, weight_decay = group["lambd"], group["alpha"], group["t0"], group["weight_decay"]
        for p in params:
            state = self.state[p]
            grad = p.grad._data
            if group["maximize"]:
                grad = -grad
            param = _real_view(p._data)
            grad = _real_view(grad)
            ax = _real_view(state["ax"]._data)
            _check_capturable(group, p, "params, mus, etas, and state_steps")
            _increment(state["step"])
            work = A.work_like(param)
            if weight_decay != 0:
                grad = A.add(grad, param, work, alpha=weight_decay)
            eta = _value(state["eta"])
            A.mul_(param, 1 - lambd * eta)
            A.add_(param, grad, work, alpha=-eta)
            p._vc[0] += 2
            mu = _value(state["mu"])
            if mu != 1:
                moved = A.sub_t(param, ax)
                A.mul_(moved, mu)
                A.add_(ax, moved, work)
            else:
                ax[...] = param
            state["ax"]._vc[0] += 1
            step = _value(state["step"])
            _assign_scalar(state["eta"], lr / ((1 + lambd * lr * step) ** alpha))
            _assign_scalar(state["mu"], 1 / max(1, step - t0))

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        lr = _hyper(group["lr"])
        lambd, alpha, t0, weight_decay = group["lambd"], group["alpha"], group["t0"], group["weight_decay"]
        for p in params:
            _no_complex(self, p)
            state = self.state[p]
            grad = p.grad if not group["maximize"] else -p.grad
            _check_capturable(group, p, "params, mus, etas, and state_steps")
            state["step"] += 1
            if weight_decay != 0:
                grad = grad.add(p, alpha=weight_decay)
            eta = _value(state["eta"])
            p.mul_(1 - lambd * eta)
            p.add_(grad, alpha=-eta)
            ax = state["ax"]
            if _value(state["mu"]) != 1:
                ax.add_(p.sub(ax).mul_(state["mu"]))
            else:
                ax.copy_(p)
            step = _value(state["step"])
            _assign_scalar(state["eta"], lr / ((1 + lambd * lr * step) ** alpha))
            _assign_scalar(state["mu"], 1 / max(1, step - t0))
