"""``__main__`` of spawn / forkserver children of a program run by ``python -m tritongrad run``.

multiprocessing re-runs the parent's main program in such a child (as ``__mp_main__``) so that
functions and classes defined there can be unpickled.  The runner points the child here instead:
install the alias first, then re-run the program, so the child's ``import torch`` gives tritongrad
as the parent's did.
"""
import json as _json
import os as _os
import runpy as _runpy

from compat import _alias

_alias.install()
_kind, _target = _json.loads(_os.environ.get(_alias.SPAWN_MAIN_VARIABLE, '["none", null]'))
if _kind == "path":
    globals().update(_runpy.run_path(_target, run_name="__mp_main__"))
elif _kind == "module":
    globals().update(_runpy.run_module(_target, run_name="__mp_main__", alter_sys=True))
