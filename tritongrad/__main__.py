"""``python -m tritongrad run SCRIPT [ARGS...]``: run an unchanged PyTorch program on tritongrad."""
import sys

from tritongrad.compat import _import_compat

if __name__ == "__main__":
    sys.exit(_import_compat("runner").main())
