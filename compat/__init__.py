"""Run unchanged PyTorch code on tritongrad: the ``torch`` import alias and the script runner.

    import compat            # or: import tritongrad.compat as compat
    compat.install()         # from now on `import torch` gives tritongrad
    import torch.nn as nn    # alias-ok: the very module object tritongrad.nn

``python -m tritongrad run SCRIPT [ARGS...]`` runs a script with the alias installed.
The alias never puts a package named ``torch`` on disk; it lives only in this process.
"""
from ._alias import (
    ALIAS,
    TARGET,
    AliasConflictError,
    TorchAliasFinder,
    alias_name,
    clean_exception,
    install,
    is_installed,
    real_name,
    uninstall,
)

__all__ = [
    "AliasConflictError",
    "TorchAliasFinder",
    "alias_name",
    "install",
    "is_installed",
    "real_name",
    "uninstall",
]
