"""torch.optim.Adam (with AMSGrad and optional decoupled weight decay)."""
import numpy as np

from .._ops import TORCH_FUNCTIONS as _TORCH_FUNCTIONS
from .._tensor import Tensor
from . import _array_ops as A
from .optimizer import (Optimizer, _check_capturable, _hyper, _increment, _real_view, _scalar_state, _step_to_tensor,
                        _use_tensor_ops, _value, _zeros_like)

__all__ = ["Adam"]

maximum = _TORCH_FUNCTIONS["maximum"]


class Adam(Optimizer):
    """Implements the Adam algorithm."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and foreach=True")
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        both_floats = isinstance(betas[0], float) and isinstance(betas[1], float)
        both_tensors = isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)
        if not (both_floats or both_tensors):
            raise ValueError("betas must be either both floats or both Tensors")
        for index in (0, 1):
            if isinstance(betas[index], Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{index}] as a Tensor is not supported for capturable=False and "
                                     "foreach=True")
                if betas[index].numel() != 1:
                    raise ValueError(f"Tensor betas[{index}] must be 1-element")
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "amsgrad": amsgrad,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            self._step_supports_amp_scaling = True
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            fused = group.setdefault("fused", None)
            for p in group["params"]:
                _step_to_tensor(group, self.state.get(p, {}), bool(group["capturable"] or fused))

    step = Optimizer._step_each_group

    def _init_state(self, group, p):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _scalar_state(0.0) if not (group["capturable"] or group["fused"]) else \
                Tensor._make(np.array(0.0, dtype=np.float32))
            state["exp_avg"] = _zeros_like(p)
            state["exp_avg_sq"] = _zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = _zeros_like(p)
        return state

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(
            group, "Adam does not support sparse gradients, please consider SparseAdam instead")
        states = [self._init_state(group, p) for p in params]
        if group["differentiable"] and any(state["step"].requires_grad for state in states):
            raise RuntimeError("`requires_grad` is not supported for `step` in differentiable mode")
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params, states)
        beta1, beta2 = (_hyper(b) for b in group["betas"])
        lr = _hyper(group["lr"])
        weight_decay = _hyper(group["weight_decay"])
        eps = group["eps"]
        for p, state in zip(params, states):
            param = _real_view(p._data)
            grad = _real_view(p.grad._data)
            if group["maximize"]:
                grad = -grad
            exp_avg = _real_view(state["exp_avg"]._data)
            exp_avg_sq = _real_view(state["exp_avg_sq"]._data)
            _check_capturable(group, p)
            _increment(state["step"])

            work = A.work_like(param)
            if weight_decay != 0:
                if group["decoupled_weight_decay"]:
                    A.mul_(param, 1 - lr * weight_decay)
                    p._vc[0] += 1
                else:
                    grad = A.add(grad, param, work, alpha=weight_decay)

            A.lerp_(exp_avg, grad, 1 - beta1, work)
            A.mul_(exp_avg_sq, beta2)
            A.addcmul_(exp_avg_sq, grad, grad, work, value=1 - beta2)

            step = _value(state["step"])
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            step_size = lr / bias_correction1
            bias_correction2_sqrt = bias_correction2 ** 0.5
            if group["amsgrad"]:
                max_exp_avg_sq = _real_view(state["max_exp_avg_sq"]._data)
                np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                state["max_exp_avg_sq"]._vc[0] += 1
                denom = A.sqrt(max_exp_avg_sq)
            else:
                denom = A.sqrt(exp_avg_sq)
            A.div_scalar_(denom, bias_correction2_sqrt)
            A.add_scalar_(denom, eps)
            A.addcdiv_(param, exp_avg, denom, work, value=-step_size)
            p._vc[0] += 1
            state["exp_avg"]._vc[0] += 1
            state["exp_avg_sq"]._vc[0] += 2

    def _update_group_tensor_ops(self, group, params, states):
        """The update with tensor ops. With ``differentiable=True`` autograd records it, the bias corrections
        are 0-d tensors of the ``step`` dtype and the step is folded into the denominator, as in PyTorch."""
        beta1, beta2 = group["betas"]
        lr, weight_decay, eps = group["lr"], group["weight_decay"], group["eps"]
        for p, state in zip(params, states):
            grad = p.grad if not group["maximize"] else -p.grad
            exp_avg, exp_avg_sq, step_t = state["exp_avg"], state["exp_avg_sq"], state["step"]
            _check_capturable(group, p)
            step_t += 1
            if weight_decay != 0:
                if group["decoupled_weight_decay"]:
                    p.mul_(1 - lr * weight_decay)
                elif isinstance(weight_decay, Tensor) and weight_decay.requires_grad:
                    grad = grad.addcmul_(p.clone(), weight_decay)
                else:
                    grad = grad.add(p, alpha=weight_decay)
            exp_avg.lerp_(grad, 1 - beta1)
            if isinstance(beta2, Tensor) and beta2.requires_grad:
                exp_avg_sq.lerp_(grad.square(), 1 - beta2)
            else:
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=_hyper(1 - beta2))
            if not group["differentiable"]:
                # the plain path: bias corrections are Python floats, as for CPU tensors
                step = _value(step_t)
                bias_correction2_sqrt = (1 - _hyper(beta2) ** step) ** 0.5
                step_size = _hyper(lr) / (1 - _hyper(beta1) ** step)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"].copy_(maximum(state["max_exp_avg_sq"], exp_avg_sq))
                    second_moment = state["max_exp_avg_sq"]
                else:
                    second_moment = exp_avg_sq
                denom = (second_moment.sqrt() / bias_correction2_sqrt).add_(eps)
                p.addcdiv_(exp_avg, denom, value=-step_size)
                continue
            step = step_t
            bias_correction1 = 1 - beta1 ** (step.clone() if isinstance(beta1, Tensor) and beta1.requires_grad
                                             else step)
            bias_correction2 = 1 - beta2 ** (step.clone() if isinstance(beta2, Tensor) and beta2.requires_grad
                                             else step)
            step_size_neg = (lr / bias_correction1).neg()
            bias_correction2_sqrt = bias_correction2.sqrt()
            if group["amsgrad"]:
                previous_max = state["max_exp_avg_sq"].clone()
                state["max_exp_avg_sq"].copy_(maximum(previous_max, exp_avg_sq))
                second_moment = state["max_exp_avg_sq"]
            else:
                second_moment = exp_avg_sq
            denom = (second_moment.sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(eps / step_size_neg)
            p.addcdiv_(exp_avg.clone(), denom)
