"""torch.nn.utils.weight_norm / remove_weight_norm: the hook-based (deprecated) weight normalisation.

``weight`` is recomputed before every forward as ``g * v / ||v||`` (norm over every dim but ``dim``),
from the parameters ``weight_g`` and ``weight_v``, through one ``WeightNormInterfaceBackward0`` node.
"""
import warnings

import tritongrad as tg
from ..._ops._common import needs_grad, record
from ..parameter import Parameter

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm"]


def _norm_except_dim(v, dim):
    """The 2-norm of ``v`` over every dim but ``dim`` (keeping dims), or over all of it when dim is -1."""
    if dim == -1:
        return v.norm()
    others = [d for d in range(v.dim()) if d != dim]
    return v.norm(dim=others, keepdim=True) if others else v.abs()


def _weight_norm(v, g, dim):
    """``v * (g / ||v||)``: one WeightNormInterfaceBackward0 node when ``dim`` is the first or last dim (PyTorch's
    fused kernel), otherwise the composite of ordinary ops, as PyTorch records it."""
    if dim == -1 or dim not in (0, v.dim() - 1):
        return v * (g / _norm_except_dim(v, dim))
    with tg.no_grad():
        norm = _norm_except_dim(v, dim)
        out = v * (g / norm)

    def backward(node, grad):
        v_s, g_s = node.saved(0), node.saved(1)
        norm_s = _norm_except_dim(v_s, dim)
        others = [d for d in range(v_s.dim()) if d != dim]
        projection = (grad * v_s).sum(dim=others, keepdim=True) if others else grad * v_s
        grad_g = projection / norm_s
        grad_v = (g_s / norm_s) * (grad - v_s * (projection / (norm_s * norm_s)))
        return grad_v, grad_g.reshape(g_s.shape)

    if needs_grad(v, g):
        record("WeightNormInterfaceBackward0", out, (v, g), backward, (v, g))
    return out


class WeightNorm:
    """The forward pre-hook that recomputes ``module.<name>`` from ``<name>_g`` and ``<name>_v``."""

    def __init__(self, name, dim):
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module):
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return _weight_norm(v, g, self.dim)

    @staticmethod
    def apply(module, name, dim):
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
        if dim is None:
            dim = -1
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        del module._parameters[name]
        if dim < -1:
            dim += weight.dim()
            fn.dim = dim
        with tg.no_grad():
            g = _norm_except_dim(weight, dim)
        module.register_parameter(name + "_g", Parameter(g.detach().clone()))
        module.register_parameter(name + "_v", Parameter(weight.detach().clone()))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module):
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.detach()))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    """Reparametrise ``module.<name>`` as ``g * v / ||v||`` (deprecated in PyTorch, which warns so)."""
    warnings.warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
                  "`torch.nn.utils.parametrizations.weight_norm`.", FutureWarning, stacklevel=2)
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module, name="weight"):
    """Undo :func:`weight_norm`: ``module.<name>`` becomes a plain Parameter again."""
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
