"""torch.optim.Adagrad."""
import numpy as np

from . import _array_ops as A
from .._tensor import Tensor
from .optimizer import (Optimizer, _check_fused, _check_lr, _full_like, _hyper, _increment, _no_complex, _real_view,
                        _scalar_state, _step_to_tensor, _use_tensor_ops, _value)

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Implements the Adagrad algorithm."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        if fused:
            _check_fused(fused, foreach, differentiable)
            self._need_device_dtype_check_for_fused = True
            self._step_supports_amp_scaling = True
        # Adagrad creates its state eagerly, so a fresh optimizer's state_dict already holds it.
        for group in self.param_groups:
            for p in group["params"]:
                self._fill_state(self.state[p], group, p, initial_accumulator_value)

    @staticmethod
    def _fill_state(state, group, p, initial_accumulator_value):
        if group["fused"]:
            state["step"] = Tensor._make(np.array(0.0, dtype=np.float32))
        else:
            state["step"] = _scalar_state(0.0)
        fill = complex(initial_accumulator_value, initial_accumulator_value) if p.is_complex() \
            else initial_accumulator_value
        state["sum"] = _full_like(p, fill)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            fused = group.setdefault("fused", None)
            for p in group["params"]:
                _step_to_tensor(group, self.state.get(p, {}), bool(fused))

    def share_memory(self):
        """Share the ``sum`` state tensors' memory (a no-op for tritongrad's in-process tensors)."""
        for group in self.param_groups:
            for p in group["params"]:
                state_sum = self.state[p]["sum"]
                if hasattr(state_sum, "share_memory_"):
                    state_sum.share_memory_()

    step = Optimizer._step_each_group

    _supports_differentiable = True

    def _update_group(self, group):
        params = self._params_with_grad(group)
        for p in params:
            if getattr(p.grad, "is_sparse", False):
                raise NotImplementedError("tritongrad's Adagrad does not support sparse gradients")
            state = self.state[p]
            if len(state) == 0:
                self._fill_state(state, group, p, self.defaults["initial_accumulator_value"])
        if _use_tensor_ops(group, params):
            return self._update_group_tensor_ops(group, params)
        lr = _hyper(group["lr"])
        weight_decay, lr_decay, eps = group["weight_decay"], group["lr_decay"], group["eps"]
        for p in params:
            state = self.state[p]
            _increment(state["step"])
            step = _value(state["step"])
            grad = p.grad._data
            if group["maximize"]:
                grad = -grad
            clr = lr / (1 + (step - 1) * lr_decay)
            param = _real_view(p._data)
            grad = _real_view(grad)
            work = A.work_like(param)
            if weight_decay != 0:
                grad = A.add(grad, param, work, alpha=weight_decay)
            state_sum = _real_view(state["sum"]._data)
            A.addcmul_(state_sum, grad, grad, work, value=1)
            state["sum"]._vc[0] += 1
            std = A.sqrt(state_sum)
            A.add_scalar_(std, eps)
            A.addcdiv_(param, grad, std, work, value=-clr)
            p._vc[0] += 1

    def _update_group_tensor_ops(self, group, params):
        """The update with tensor ops: recorded by autograd with ``differentiable=True``, and the path for
        parameters outside the CPU."""
        lr = _hyper(group["lr"])
        weight_decay, lr_decay, eps = group["weight_decay"], group["lr_decay"], group["eps"]
        for p in params:
            _no_complex(self, p)
            state = self.state[p]
            state["step"] += 1
            step = _value(state["step"])
            grad = p.grad if not group["maximize"] else -p.grad
            if weight_decay != 0:
                grad = grad.add(p, alpha=weight_decay)
            clr = lr / (1 + (step - 1) * lr_decay)
            state["sum"].addcmul_(grad, grad, value=1)
            std = state["sum"].sqrt() + eps
            p.addcdiv_(grad, std, value=-clr)
