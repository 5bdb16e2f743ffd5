"""torch.utils: helpers around the core (data loading lives in ``tritongrad.utils.data``)."""
from . import data  # noqa: F401
