"""``tritongrad.compat``: the ``torch`` import alias, re-exported from the top-level ``compat`` package.

    import tritongrad.compat
    tritongrad.compat.install()     # `import torch` now gives tritongrad in this process
"""
import importlib as _importlib
import os as _os
import sys as _sys

_ROOT = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))


def _import_compat(submodule=None):
    """Import tritongrad's ``compat`` package (installed next to ``tritongrad``), or a submodule.

    The directory holding tritongrad is searched first, so a program's own module named
    ``compat`` (common enough) in the working directory does not hide it.
    """
    _sys.path.insert(0, _ROOT)
    try:
        package = _importlib.import_module("compat")
    finally:
        _sys.path.remove(_ROOT)
    location = _os.path.dirname(_os.path.abspath(getattr(package, "__file__", None) or "?"))
    if location != _os.path.join(_ROOT, "compat"):
        raise ImportError("the module 'compat' imported from %s hides tritongrad's compat package "
                          "(%s)" % (location, _os.path.join(_ROOT, "compat")), name="compat")
    if submodule is None:
        return package
    return _importlib.import_module("compat." + submodule)


_compat = _import_compat()
AliasConflictError = _compat.AliasConflictError
TorchAliasFinder = _compat.TorchAliasFinder
alias_name = _compat.alias_name
install = _compat.install
is_installed = _compat.is_installed
real_name = _compat.real_name
uninstall = _compat.uninstall

__all__ = ["AliasConflictError", "TorchAliasFinder", "alias_name", "install", "is_installed",
           "real_name", "uninstall"]

if __name__ == "__mp_main__":
    # A spawn/forkserver child of a program run by `python -m tritongrad run`: multiprocessing
    # runs this file as the child's main module (see compat.runner); install the alias, then
    # re-run the parent's program here so its functions and classes can be unpickled.
    _import_compat("_spawn_main").run_child(globals())
