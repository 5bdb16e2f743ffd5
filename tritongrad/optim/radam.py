"""torch.optim.RAdam: rectified Adam (and optional decoupled weight decay)."""
from . import _array_ops as A
from .optimizer import (Optimizer, _check_betas, _check_capturable, _check_lr, _hyper, _increment, _no_complex,
                        _real_view, _scalar_state, _step_to_tensor, _use_tensor_ops, _value, _zeros_like)

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """Implements the RAdam algorithm."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "decoupled_weight_decay": decoupled_weight_decay,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                _step_to_tensor(group, self.state.get(p, {}))

    step = Optimizer._step_each_group

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(group, "RAdam does not support sparse gradients")
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _scalar_state(0.0)
                state["exp_avg"] = _zeros_like(p)
                state["exp_avg_sq"] = _zeros_like(p)
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
            param = _real_view(p._data)
            grad = _real_view(grad)
            exp_avg = _real_view(state["exp_avg"]._data)
            exp_avg_sq = _real_view(state["exp_avg_sq"]._data)
            _check_capturable(group, p)
            _increment(state["step"])
            step = _value(state["step"])
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
            state["exp_avg"]._vc[0] += 1
            state["exp_avg_sq"]._vc[0] += 2

            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            bias_corrected_exp_avg = A.div(exp_avg, bias_correction1)
            rho_inf = 2 / (1 - beta2) - 1
            rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
            # the variance is tractable only after enough steps; before that RAdam is SGD with momentum
            update = A.mul(bias_corrected_exp_avg, lr)
            if rho_t > 5.0:
                exp_avg_sq_sqrt = A.sqrt(exp_avg_sq)
                A.add_scalar_(exp_avg_sq_sqrt, eps)
                adaptive_lr = A.rdiv(bias_correction2 ** 0.5, exp_avg_sq_sqrt)
                rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                update = A.mul(A.mul_t(update, adaptive_lr), rect)
            A.add_(param, update, work, alpha=-1.0)
            p._vc[0] += 1

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
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            _check_capturable(group, p)
            state["step"] += 1
            step = _value(state["step"])
            if weight_decay != 0:
                if group["decoupled_weight_decay"]:
                    p.mul_(1 - lr * weight_decay)
                else:
                    grad = grad.add(p, alpha=weight_decay)
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            bias_corrected_exp_avg = exp_avg / bias_correction1
            rho_inf = 2 / (1 - beta2) - 1
            rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
            if rho_t > 5.0:
                adaptive_lr = (bias_correction2 ** 0.5) / exp_avg_sq.sqrt().add(eps)
                rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                p.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)
            else:
                p.add_(bias_corrected_exp_avg * lr, alpha=-1.0)
