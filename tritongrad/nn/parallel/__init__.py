"""torch.nn.parallel: DataParallel (tritongrad runs it on one device)."""
from .data_parallel import DataParallel

__all__ = ["DataParallel"]
