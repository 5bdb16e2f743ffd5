"""torch.nn.utils.parametrizations: weight normalisation written as a parametrization.

``weight_norm(module)`` stores ``parametrizations.weight.original0`` (g, the norms) and ``original1`` (v,
the direction) and computes ``weight = g * v / ||v||``.
"""
import tritongrad as tg
from ..modules.module import Module
from . import parametrize
from .weight_norm import _norm_except_dim, _weight_norm

__all__ = ["weight_norm"]


class _WeightNorm(Module):
    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return _norm_except_dim(weight, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Reparametrise ``module.<name>`` by its magnitude (``original0``) and direction (``original1``)."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _load_old_weight_norm_keys(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                   error_msgs):
        # Checkpoints saved with the hook-based weight_norm name these <name>_g / <name>_v.
        g_key, v_key = f"{prefix}{name}_g", f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            state_dict[f"{prefix}parametrizations.{name}.original0"] = state_dict.pop(g_key)
            state_dict[f"{prefix}parametrizations.{name}.original1"] = state_dict.pop(v_key)

    module._register_load_state_dict_pre_hook(_load_old_weight_norm_keys)
    return module
