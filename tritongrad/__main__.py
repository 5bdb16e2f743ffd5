"""``python -m tritongrad run SCRIPT [ARGS...]``: run an unchanged PyTorch program on tritongrad."""
import sys

from compat.runner import main

if __name__ == "__main__":
    sys.exit(main())
