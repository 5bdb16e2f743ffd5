"""torch.optim.Rprop: resilient backpropagation (per-element step sizes driven by gradient signs)."""
import numpy as np

from . import _array_ops as A
from .optimizer import (Optimizer, _check_capturable, _check_lr, _full_like, _hyper, _increment, _no_complex,
                        _real_view, _scalar_state, _step_to_tensor, _use_tensor_ops, _zeros_like)

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Implements the resilient backpropagation algorithm."""

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False,
                 foreach=None, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
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
        params = self._params_with_grad(group, "Rprop does not support sparse gradients")
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _scalar_state(0.0)
                state["prev"] = _zeros_like(p)
                lr = _hyper(group["lr"])
                fill = complex(lr, lr) if p.is_complex() else lr
                state["step_size"] = _full_like(p.grad, fill)
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        for p in params:
            state = self.state[p]
            grad = p.grad._data
            if group["maximize"]:
                grad = -grad
            _check_capturable(group, p)
            _increment(state["step"])
            grad = _real_view(grad)
            prev = _real_view(state["prev"]._data)
            step_size = _real_view(state["step_size"]._data)
            work = A.work_like(step_size)
            sign = np.sign(A.mul_t(grad, prev))
            positive, negative, zero = sign > 0, sign < 0, sign == 0
            sign[positive] = etaplus
            sign[negative] = etaminus
            sign[zero] = 1
            A.mul_t_(step_size, sign)
            np.clip(step_size, step_size_min, step_size_max, out=step_size)
            # where the gradient changed sign, skip this update and forget the gradient
            grad = grad.copy(order="K")
            grad[sign == sign.dtype.type(etaminus)] = 0
            A.addcmul_(_real_view(p._data), np.sign(grad), step_size, work, value=-1)
            prev[...] = grad
            p._vc[0] += 1
            state["step_size"]._vc[0] += 2
            state["prev"]._vc[0] += 1

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        for p in params:
            _no_complex(self, p)
            state = self.state[p]
            grad = p.grad if not group["maximize"] else -p.grad
            prev, step_size = state["prev"], state["step_size"]
            _check_capturable(group, p)
            state["step"] += 1
            sign = grad.mul(prev.clone()).sign()
            sign[sign.gt(0)] = etaplus
            sign[sign.lt(0)] = etaminus
            sign[sign.eq(0)] = 1
            step_size.mul_(sign).clamp_(step_size_min, step_size_max)
            grad = grad.clone()
            grad[sign.eq(etaminus)] = 0
            p.addcmul_(grad.sign(), step_size, value=-1)
            prev.copy_(grad)
