"""torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""
from . import _array_ops as A
from .._tensor import Tensor
from .optimizer import Optimizer, _check_fused, _hyper, _use_tensor_ops

__all__ = ["SGD"]


class SGD(Optimizer):
    """Implements stochastic gradient descent (optionally with momentum)."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening, "weight_decay": weight_decay,
                    "nesterov": nesterov, "maximize": maximize, "foreach": foreach,
                    "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused:
            self._step_supports_amp_scaling = True
            self._need_device_dtype_check_for_fused = True
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    step = Optimizer._step_each_group

    _supports_differentiable = True

    def _update_group(self, group):
        if _use_tensor_ops(group, [p for p in group["params"] if p.grad is not None]):
            return self._update_group_tensor_ops(group)
        lr = _hyper(group["lr"])
        momentum = group["momentum"]
        dampening = group["dampening"]
        weight_decay = _hyper(group["weight_decay"])
        for p in self._params_with_grad(group):
            param = p._data
            grad = p.grad._data
            work = A.work_like(param)
            if group["maximize"]:
                grad = -grad
            if weight_decay != 0:
                grad = A.add(grad, param, work, alpha=weight_decay)
            if momentum != 0:
                state = self.state[p]
                buf_t = state.get("momentum_buffer")
                if buf_t is None:
                    buf_t = Tensor._make(grad.copy(order="K"), p.grad.dtype)
                    state["momentum_buffer"] = buf_t
                else:
                    A.mul_(buf_t._data, momentum)
                    A.add_(buf_t._data, grad, work, alpha=1 - dampening)
                    buf_t._vc[0] += 2
                grad = A.add(grad, buf_t._data, work, alpha=momentum) if group["nesterov"] else buf_t._data
            A.add_(param, grad, work, alpha=-lr)
            p._vc[0] += 1

    def _update_group_tensor_ops(self, group):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        weight_decay = group["weight_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = p.grad if not group["maximize"] else -p.grad
            if weight_decay != 0:
                if isinstance(weight_decay, Tensor) and weight_decay.requires_grad:
                    grad = grad.addcmul_(p.clone(), weight_decay)
                else:
                    grad = grad.add(p, alpha=_hyper(weight_decay))
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = grad.detach().clone()
                else:
                    buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                state["momentum_buffer"] = buf
                grad = grad.add(buf, alpha=momentum) if group["nesterov"] else buf
            if isinstance(lr, Tensor) and lr.requires_grad:
                p.addcmul_(grad, lr, value=-1)
            else:
                p.add_(grad, alpha=-_hyper(lr))
