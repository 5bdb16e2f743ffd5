"""torch.optim.Adamax: Adam with the infinity norm."""
import numpy as np

from .._ops import TORCH_FUNCTIONS as _TORCH_FUNCTIONS
from . import _array_ops as A
from .optimizer import (Optimizer, _check_betas, _check_capturable, _check_lr, _hyper, _increment, _no_complex,
                        _real_view, _scalar_state, _step_to_tensor, _use_tensor_ops, _value, _zeros_like)

__all__ = ["Adamax"]

cat = _TORCH_FUNCTIONS["cat"]
amax = _TORCH_FUNCTIONS["amax"]


class Adamax(Optimizer):
    """Implements the Adamax algorithm (a variant of Adam based on the infinity norm)."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                _step_to_tensor(group, self.state.get(p, {}))

    step = Optimizer._step_each_group

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(group, "Adamax does not support sparse gradients")
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _scalar_state(0.0)
                state["exp_avg"] = _zeros_like(p)
                state["exp_inf"] = _zeros_like(p)
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        beta1, beta2 = group["betas"]
        lr = _hyper(group["lr"])
        eps, weight_decay = group["eps"], group["weight_decay"]
        for p in params:
            state = self.state[p]
            grad = p.grad._data
            if group["maximize"]:
                grad = -grad
            _check_capturable(group, p)
            _increment(state["step"])
            param = _real_view(p._data)
            grad = _real_view(grad)
            work = A.work_like(param)
            if weight_decay != 0:
                grad = A.add(grad, param, work, alpha=weight_decay)
            exp_avg = _real_view(state["exp_avg"]._data)
            exp_inf = _real_view(state["exp_inf"]._data)
            A.lerp_(exp_avg, grad, 1 - beta1, work)
            A.mul_(exp_inf, beta2)
            abs_grad = np.abs(grad)
            A.add_scalar_(abs_grad, eps)
            np.maximum(exp_inf, abs_grad, out=exp_inf)
            clr = lr / (1 - beta1 ** _value(state["step"]))
            A.addcdiv_(param, exp_avg, exp_inf, work, value=-clr)
            p._vc[0] += 1
            state["exp_avg"]._vc[0] += 1
            state["exp_inf"]._vc[0] += 2

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        beta1, beta2 = group["betas"]
        lr = _hyper(group["lr"])
        eps, weight_decay = group["eps"], group["weight_decay"]
        for p in params:
            _no_complex(self, p)
            state = self.state[p]
            grad = p.grad if not group["maximize"] else -p.grad
            _check_capturable(group, p)
            state["step"] += 1
            if weight_decay != 0:
                grad = grad.add(p, alpha=weight_decay)
            exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
            exp_avg.lerp_(grad, 1 - beta1)
            norm_buf = cat([exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)], 0)
            exp_inf.copy_(amax(norm_buf, 0, keepdim=False))
            clr = lr / (1 - beta1 ** _value(state["step"]))
            p.addcdiv_(exp_avg, exp_inf, value=-clr)
