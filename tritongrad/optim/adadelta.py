"""torch.optim.Adadelta."""
from . import _array_ops as A
from .optimizer import (Optimizer, _check_capturable, _check_lr, _hyper, _increment, _no_complex, _real_view,
                        _scalar_state, _step_to_tensor, _use_tensor_ops, _zeros_like)

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Implements the Adadelta algorithm."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
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
        params = self._params_with_grad(group, "Adadelta does not support sparse gradients")
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _scalar_state(0.0)
                state["square_avg"] = _zeros_like(p)
                state["acc_delta"] = _zeros_like(p)
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        lr = _hyper(group["lr"])
        rho, eps, weight_decay = group["rho"], group["eps"], group["weight_decay"]
        for p in params:
            _check_capturable(group, p, supports_xla=False)
        for p in params:
            state = self.state[p]
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
            acc_delta = _real_view(state["acc_delta"]._data)
            A.mul_(square_avg, rho)
            A.addcmul_(square_avg, grad, grad, work, value=1 - rho)
            std = square_avg.copy()
            A.add_scalar_(std, eps)
            std = A.sqrt(std)
            delta = acc_delta.copy()
            A.add_scalar_(delta, eps)
            delta = A.sqrt(delta)
            A.div_t_(delta, std)
            A.mul_t_(delta, grad)
            A.mul_(acc_delta, rho)
            A.addcmul_(acc_delta, delta, delta, work, value=1 - rho)
            A.add_(param, delta, work, alpha=-lr)
            p._vc[0] += 1
            state["square_avg"]._vc[0] += 2
            state["acc_delta"]._vc[0] += 2

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        lr = _hyper(group["lr"])
        rho, eps, weight_decay = group["rho"], group["eps"], group["weight_decay"]
        for p in params:
            _no_complex(self, p)
            _check_capturable(group, p, supports_xla=False)
        for p in params:
            state = self.state[p]
            state["step"] += 1
            grad = p.grad if not group["maximize"] else -p.grad
            if weight_decay != 0:
                grad = grad.add(p, alpha=weight_decay)
            square_avg, acc_delta = state["square_avg"], state["acc_delta"]
            square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
            std = square_avg.add(eps).sqrt_()
            delta = acc_delta.add(eps).sqrt_().clone()
            delta.div_(std).mul_(grad)
            acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
            p.add_(delta, alpha=-lr)
