"""ExponentialFamily marker base (PyTorch's class of the same name)."""
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Distributions of the exponential family; KL between two unlike members has no registered formula."""
