"""The start of spawn / forkserver children of a program run by ``python -m tritongrad run``.

multiprocessing re-runs the parent's main program in such a child (as ``__mp_main__``) so that
functions and classes defined there can be unpickled.  The runner names ``tritongrad.compat`` as
the child's main module instead, which calls ``run_child``: install the alias first, then re-run
the program, so the child's ``import torch`` gives tritongrad as the parent's did.
"""
import json
import os
import runpy

from . import _alias


def run_child(namespace):
    """Install the alias, then run the parent's program into ``namespace`` (``__mp_main__``)."""
    _alias.install()
    kind, target = json.loads(os.environ.get(_alias.SPAWN_MAIN_VARIABLE, '["none", null]'))
    _alias.release_compat_name()
    if kind == "path":
        namespace.update(runpy.run_path(target, run_name="__mp_main__"))
    elif kind == "module":
        namespace.update(runpy.run_module(target, run_name="__mp_main__", alter_sys=True))
