from numbers import Real

import tritongrad as torch
import tritongrad.nn.functional as F

from . import constraints
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Beta"]


class Beta(ExponentialFamily):
    """Beta distribution parameterized by ``concentration1`` (alpha) and ``concentration0`` (beta)."""

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None):
        if isinstance(concentration1, Real) and isinstance(concentration0, Real):
            concentrations = torch.tensor([float(concentration1), float(concentration0)])
        else:
            concentration1, concentration0 = broadcast_all(concentration1, concentration0)
            concentrations = torch.stack([concentration1, concentration0], -1)
        # PyTorch keeps the pair as the concentration of a two-category Dirichlet
        self._concentration = concentrations
        super().__init__(concentrations.shape[:-1], validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Beta, _instance)
        batch_shape = torch.Size(batch_shape)
        new._concentration = self._concentration.expand(batch_shape + (2,))
        super(Beta, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def concentration1(self):
        return self._concentration[..., 0]

    @property
    def concentration0(self):
        return self._concentration[..., 1]

    @property
    def mean(self):
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self):
        concentration = self._concentration
        concentration_m1 = (concentration - 1).clamp(min=0.0)
        mode = concentration_m1 / concentration_m1.sum(-1, True)
        # when every concentration is below one the density peaks at a corner
        all_below_one = (concentration < 1).all(-1, keepdim=True)
        corner = F.one_hot(mode.argmax(-1), concentration_m1.shape[-1]).to(mode)
        return torch.where(all_below_one, corner, mode)[..., 0]

    @property
    def variance(self):
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape=()):
        raise NotImplementedError(
            "Beta.rsample/sample need a Dirichlet (gamma) sampler, which tritongrad does not provide yet"
        )

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        heads_tails = torch.stack([value, 1.0 - value], -1)
        concentration = self._concentration
        return (
            torch.xlogy(concentration - 1.0, heads_tails).sum(-1)
            + torch.lgamma(concentration.sum(-1))
            - torch.lgamma(concentration).sum(-1)
        )

    def entropy(self):
        concentration = self._concentration
        k = concentration.size(-1)
        a0 = concentration.sum(-1)
        return (
            torch.lgamma(concentration).sum(-1)
            - torch.lgamma(a0)
            - (k - a0) * torch.digamma(a0)
            - ((concentration - 1.0) * torch.digamma(concentration)).sum(-1)
        )
