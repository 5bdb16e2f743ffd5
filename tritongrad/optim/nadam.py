"""torch.optim.NAdam: Adam with Nesterov momentum (and optional decoupled weight decay)."""
from . import _array_ops as A
from .optimizer import (Optimizer, _check_betas, _check_capturable, _check_lr, _hyper, _increment, _no_complex,
                        _real_view, _scalar_state, _step_to_tensor, _use_tensor_ops, _value, _zeros_like)

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """Implements the NAdam algorithm."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            for p in group["params"]:
                p_state = self.state.get(p, {})
                _step_to_tensor(group, p_state)
                if "mu_product" in p_state and not hasattr(p_state["mu_product"], "_data"):
                    p_state["mu_product"] = _scalar_state(float(p_state["mu_product"]))

    step = Optimizer._step_each_group

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(group, "NAdam does not support sparse gradients")
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _scalar_state(0.0)
                state["mu_product"] = _scalar_state(1.0)
                state["exp_avg"] = _zeros_like(p)
                state["exp_avg_sq"] = _zeros_like(p)
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        beta1, beta2 = group["betas"]
        lr = _hyper(group["lr"])
        eps, weight_decay, momentum_decay = group["eps"], group["weight_decay"], group["momentum_decay"]
        for p in params:
            state = self.state[p]
            grad = p.grad._data
            if group["maximize"]:
                grad = -grad
            param = _real_view(p._data)
            grad = _real_view(grad)
            exp_avg = _real_view(state["exp_avg"]._data)
            exp_avg_sq = _real_view(state["exp_avg_sq"]._data)
            mu_product_t = state["mu_product"]
            _check_capturable(group, p, "params, mu_products and state_steps")
            _increment(state["step"])
            step = _value(state["step"])
            bias_correction2 = 1 - beta2 ** step
            work = A.work_like(param)
            if weight_decay != 0:
                if group["decoupled_weight_decay"]:
                    A.mul_(param, 1 - lr * weight_decay)
                    p._vc[0] += 1
                else:
                    grad = A.add(grad, param, work, alpha=weight_decay)
            mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
            mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
            # mu_product is a scalar-dtype tensor (float32 by default): the product rounds in that dtype
            A.mul_(mu_product_t._data, mu)
            mu_product_t._vc[0] += 1
            A.lerp_(exp_avg, grad, 1 - beta1, work)
            A.mul_(exp_avg_sq, beta2)
            A.addcmul_(exp_avg_sq, grad, grad, work, value=1 - beta2)
            denom = A.sqrt(A.div(exp_avg_sq, bias_correction2))
            mu_product = _value(mu_product_t)
            mu_product_next = mu_product * mu_next
            A.add_scalar_(denom, eps)
            A.addcdiv_(param, grad, denom, work, value=-lr * (1.0 - mu) / (1.0 - mu_product))
            A.addcdiv_(param, exp_avg, denom, work, value=(-lr * mu_next) / (1.0 - mu_product_next))
            p._vc[0] += 2
            state["exp_avg"]._vc[0] += 1
            state["exp_avg_sq"]._vc[0] += 2

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        beta1, beta2 = group["betas"]
        lr = _hyper(group["lr"])
        eps, weight_decay, momentum_decay = group["eps"], group["weight_decay"], group["momentum_decay"]
        for p in params:
            _no_complex(self, p)
            state = self.state[p]
            grad = p.grad if not group["maximize"] else -p.grad
            exp_avg, exp_avg_sq, mu_product = state["exp_avg"], state["exp_avg_sq"], state["mu_product"]
            _check_capturable(group, p, "params, mu_products and state_steps")
            state["step"] += 1
            step = _value(state["step"])
            bias_correction2 = 1 - beta2 ** step
            if weight_decay != 0:
                if group["decoupled_weight_decay"]:
                    p.mul_(1 - lr * weight_decay)
                else:
                    grad = grad.add(p, alpha=weight_decay)
            mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
            mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
            mu_product *= mu
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = exp_avg_sq.div(bias_correction2).sqrt()
            if not group["differentiable"]:
                mu_product_next = _value(mu_product) * mu_next
                denom.add_(eps)
                p.addcdiv_(grad, denom, value=-lr * (1.0 - mu) / (1.0 - _value(mu_product)))
                p.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1.0 - mu_product_next))
                continue
            denom = denom.add(eps)
            mu_product_next = mu_product * mu_next
            grad = grad * (-lr * (1.0 - mu) / (1.0 - mu_product))
            exp_avg = exp_avg * (-lr * mu_next / (1.0 - mu_product_next))
            p.addcdiv_(grad, denom)
            p.addcdiv_(exp_avg, denom)
