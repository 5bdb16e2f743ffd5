"""torch.backends: switches for backend libraries. tritongrad has none of them, so the flags are kept (scripts
set them) and the availability checks answer False."""
from . import cudnn, cuda, mps, mkldnn, openmp, mkl  # noqa: F401
