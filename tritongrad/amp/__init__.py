"""torch.amp: autocast and GradScaler.

On the CPU, autocast runs PyTorch's lower-precision op list (matrix products, linear, convolutions) in the
autocast dtype (bfloat16 by default): their floating-point inputs are cast first, recorded as ToCopyBackward0 as
PyTorch records them. CUDA autocast and gradient scaling need a CUDA device, which tritongrad does not have yet:
they warn and disable themselves exactly as a PyTorch build without CUDA does."""
from .autocast_mode import autocast, is_autocast_available, custom_fwd, custom_bwd  # noqa: F401
from .grad_scaler import GradScaler  # noqa: F401

__all__ = ["autocast", "GradScaler", "is_autocast_available", "custom_fwd", "custom_bwd"]
