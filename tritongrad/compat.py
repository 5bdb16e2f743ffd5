"""``tritongrad.compat``: the ``torch`` import alias, re-exported from the top-level ``compat`` package.

    import tritongrad.compat
    tritongrad.compat.install()     # `import torch` now gives tritongrad in this process
"""
from compat import (  # noqa: F401  (re-exports)
    AliasConflictError,
    TorchAliasFinder,
    alias_name,
    install,
    is_installed,
    real_name,
    uninstall,
)

__all__ = ["AliasConflictError", "TorchAliasFinder", "alias_name", "install", "is_installed",
           "real_name", "uninstall"]
