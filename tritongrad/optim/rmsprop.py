"""torch.optim.RMSprop (optionally centered, with momentum)."""
from . import _array_ops as A
from .optimizer import (Optimizer, _check_capturable, _check_lr, _check_nonneg, _hyper, _increment, _no_complex,
                        _real_view, _scalar_state, _step_to_tensor, _use_tensor_ops, _zeros_like)

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """Implements the RMSprop algorithm."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_nonneg(momentum, "momentum")
        _check_nonneg(weight_decay, "weight_decay")
        _check_nonneg(alpha, "alpha")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)
            for p in group["params"]:
                _step_to_tensor(group, self.state.get(p, {}))

    step = Optimizer._step_each_group

    def _init_state(self, group, p):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _scalar_state(0.0)
            state["square_avg"] = _zeros_like(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = _zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = _zeros_like(p)
        return state

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(group, "RMSprop does not support sparse gradients")
        states = [self._init_state(group, p) for p in params]
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        lr = _hyper(group["lr"])
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        weight_decay = group["weight_decay"]
        for p, state in zip(params, states):
            _check_capturable(group, p)
            _increment(state["step"])
            grad = p.grad._data
            if group["maximize"]:
                grad = -grad
            param = _real_view(p._data)
            grad = _real_view(grad)
            work = A.work_like(param)
            if weight_decay != 0:
                grad = A.add(grad, param, work, alpha=weight_decay)
            square_avg = _real_view(state["square_avg"]._data)
            A.mul_(square_avg, alpha)
            A.addcmul_(square_avg, grad, grad, work, value=1 - alpha)
            state["square_avg"]._vc[0] += 2
            if group["centered"]:
                grad_avg = _real_view(state["grad_avg"]._data)
                A.lerp_(grad_avg, grad, 1 - alpha, work)
                state["grad_avg"]._vc[0] += 1
                avg = square_avg.copy()
                A.addcmul_(avg, grad_avg, grad_avg, work, value=-1)
                avg = A.sqrt(avg)
            else:
                avg = A.sqrt(square_avg)
            A.add_scalar_(avg, eps)
            if momentum > 0:
                buf = _real_view(state["momentum_buffer"]._data)
                A.mul_(buf, momentum)
                A.addcdiv_(buf, grad, avg, work)
                state["momentum_buffer"]._vc[0] += 2
                A.add_(param, buf, work, alpha=-lr)
            else:
                A.addcdiv_(param, grad, avg, work, value=-lr)
            p._vc[0] += 1

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        lr = _hyper(group["lr"])
        alpha, eps, momentum, weight_decay = group["alpha"], group["eps"], group["momentum"], group["weight_decay"]
        for p in params:
            _no_complex(self, p)
            state = self.state[p]
            _check_capturable(group, p)
            state["step"] += 1
            grad = p.grad if not group["maximize"] else -p.grad
            if weight_decay != 0:
                grad = grad.add(p, alpha=weight_decay)
            square_avg = state["square_avg"]
            square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            if group["centered"]:
                grad_avg = state["grad_avg"]
                grad_avg.lerp_(grad, 1 - alpha)
                avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
            else:
                avg = square_avg.sqrt()
            avg = avg.add(eps)
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf.mul_(momentum).addcdiv_(grad, avg)
                p.add_(buf, alpha=-lr)
            else:
                p.addcdiv_(grad, avg, value=-lr)
