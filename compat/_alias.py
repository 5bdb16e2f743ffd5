"""The ``torch`` import alias: ``torch`` and every ``torch.X.Y`` resolve to tritongrad's modules.

The alias never creates module objects of its own.  ``sys.modules['torch']`` is the ``tritongrad``
module itself, and a meta-path finder answers ``import torch.X.Y`` by importing
``tritongrad.X.Y`` and handing back that very module object, so classes, ``isinstance`` checks and
module state agree whichever name a script imported.  Modules keep their own ``__name__`` and
``__spec__`` (``tritongrad...``); only the error messages for missing parts speak of ``torch``.
"""
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import re
import sys
import threading
import types

ALIAS = "torch"
TARGET = "tritongrad"

_COMPAT_DIR = os.path.dirname(os.path.abspath(__file__))
# Tells a spawn/forkserver child (compat._spawn_main) which program to re-run as __mp_main__.
SPAWN_MAIN_VARIABLE = "TRITONGRAD_COMPAT_SPAWN_MAIN"

_lock = threading.RLock()
_state = {"installed": False, "finder": None, "previous_excepthook": None, "hooked": {},
          "previous_threading_excepthook": None, "main_code": None, "compile_error": None}


class AliasConflictError(RuntimeError):
    """Raised by ``install()`` when the real PyTorch is already imported in this process."""


def alias_name(name):
    """``tritongrad.nn.functional`` -> ``torch.nn.functional`` (other names unchanged)."""
    if name == TARGET or name.startswith(TARGET + "."):
        return ALIAS + name[len(TARGET):]
    return name


def real_name(name):
    """``torch.nn.functional`` -> ``tritongrad.nn.functional`` (other names unchanged)."""
    if name == ALIAS or name.startswith(ALIAS + "."):
        return TARGET + name[len(ALIAS):]
    return name


def _missing_hint(torch_name):
    return "(tritongrad does not provide %s yet)" % torch_name


# --------------------------------------------------------------------------- missing attributes

def _missing_attribute_error(module, name):
    module_name = module.__dict__.get("__name__", "?")
    if name.startswith("__") and name.endswith("__"):
        # Dunder probes (``__path__``, ``__wrapped__``...) come from tools, not from scripts.
        return AttributeError("module %r has no attribute %r" % (module_name, name),
                              name=name, obj=module)
    torch_module = alias_name(module_name)
    return AttributeError("module '%s' has no attribute '%s' %s"
                          % (torch_module, name, _missing_hint(torch_module + "." + name)),
                          name=name, obj=module)


def _hook_missing_attributes(module):
    """Give ``module`` a PEP 562 ``__getattr__`` whose error names the ``torch.`` path.

    Python calls it only for attributes the module lacks, so ordinary attribute access keeps
    its full speed.  A ``__getattr__`` the module already has still runs first.
    """
    if not isinstance(module, types.ModuleType):
        return
    namespace = module.__dict__
    previous = namespace.get("__getattr__")
    if getattr(previous, "_tritongrad_alias_hook", False):
        return

    def __getattr__(name):
        if previous is not None:
            try:
                return previous(name)
            except AttributeError:
                pass
        raise _missing_attribute_error(module, name)

    __getattr__._tritongrad_alias_hook = True
    namespace["__getattr__"] = __getattr__
    _state["hooked"][id(module)] = (module, previous)


def _unhook_missing_attributes():
    for module, previous in _state["hooked"].values():
        namespace = module.__dict__
        if not getattr(namespace.get("__getattr__"), "_tritongrad_alias_hook", False):
            continue
        if previous is None:
            del namespace["__getattr__"]
        else:
            namespace["__getattr__"] = previous
    _state["hooked"].clear()


# --------------------------------------------------------------------------- finder and loader

class _AliasLoader(importlib.abc.Loader):
    """Hands the import system the already-imported ``tritongrad`` module."""

    def create_module(self, spec):
        return spec.loader_state["module"]

    def exec_module(self, module):
        # The import system stamps our alias spec onto the module; give the module its own back
        # so reload(), pickling and introspection keep seeing ``tritongrad...``.
        alias_spec = module.__spec__
        module.__spec__ = alias_spec.loader_state["real_spec"]
        _hook_missing_attributes(module)


_LOADER = _AliasLoader()


class TorchAliasFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder mapping ``torch.X.Y`` to ``tritongrad.X.Y`` lazily, on first import."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(ALIAS + "."):
            return None
        target_name = real_name(fullname)
        module = _import_target(fullname, target_name)
        spec = importlib.machinery.ModuleSpec(
            fullname, _LOADER, is_package=hasattr(module, "__path__"),
            loader_state={"module": module, "real_spec": getattr(module, "__spec__", None)})
        return spec

    def invalidate_caches(self):
        pass


def _import_target(fullname, target_name):
    try:
        return importlib.import_module(target_name)
    except ModuleNotFoundError as exc:
        if exc.name != target_name:
            raise
    parent_name, _, child = fullname.rpartition(".")
    parent = sys.modules.get(real_name(parent_name))
    attribute = getattr(parent, "__dict__", {}).get(child)
    if isinstance(attribute, types.ModuleType):
        # A module object the parent made itself (never imported under its own name).
        return attribute
    if parent is not None and child in getattr(parent, "__dict__", {}):
        # ``import torch.float32``: the name exists, it just is not a module (as in PyTorch).
        message = "No module named %r" % fullname
    else:
        message = "No module named %r %s" % (fullname, _missing_hint(fullname))
    raise ModuleNotFoundError(message, name=fullname) from None


# --------------------------------------------------------------------------- tracebacks

def _is_alias_frame(frame):
    filename = frame.f_code.co_filename
    return os.path.dirname(os.path.abspath(filename)) == _COMPAT_DIR if filename else False


def trim_traceback(tb, keep=None):
    """The traceback ``tb`` without the alias's own frames (``keep(frame)`` False also drops)."""
    entries = []
    while tb is not None:
        if not _is_alias_frame(tb.tb_frame) and (keep is None or keep(tb.tb_frame)):
            entries.append(tb)
        tb = tb.tb_next
    new_tb = None
    for entry in reversed(entries):
        new_tb = types.TracebackType(new_tb, entry.tb_frame, entry.tb_lasti, entry.tb_lineno)
    return new_tb


_CANNOT_IMPORT = re.compile(r"^cannot import name '([^']+)' from '(%s(?:\.[\w.]+)?)'" % TARGET)


def _raised_inside_target(exc):
    """Whether ``exc`` comes from tritongrad's own code (a bug there, not a missing torch part)."""
    target = sys.modules.get(TARGET)
    roots = [os.path.abspath(p) for p in getattr(target, "__path__", [])]
    tb, last = exc.__traceback__, None
    while tb is not None:
        last, tb = tb, tb.tb_next
    if last is None or not roots:
        return False
    filename = os.path.abspath(last.tb_frame.f_code.co_filename)
    return any(filename.startswith(root + os.sep) for root in roots)


def _rewrite_import_error(exc):
    """``from torch import fft`` fails inside Python with the module's real name; say ``torch``."""
    if type(exc) is not ImportError or not exc.args or not isinstance(exc.args[0], str):
        return exc
    match = _CANNOT_IMPORT.match(exc.args[0])
    if match is None or _raised_inside_target(exc):
        return exc
    name, module = match.group(1), alias_name(match.group(2))
    new = ImportError("cannot import name '%s' from '%s' %s"
                      % (name, module, _missing_hint(module + "." + name)),
                      name=module, path=exc.path)
    new.__cause__, new.__context__ = exc.__cause__, exc.__context__
    new.__suppress_context__ = exc.__suppress_context__
    return new.with_traceback(exc.__traceback__)


def clean_exception(exc, keep=None, _seen=None):
    """Trim alias frames from ``exc`` and its chained exceptions; reword torch import errors."""
    if _seen is None:
        _seen = set()
    if exc is None or id(exc) in _seen:
        return exc
    _seen.add(id(exc))
    exc = _rewrite_import_error(exc)
    _seen.add(id(exc))
    exc.__traceback__ = trim_traceback(exc.__traceback__, keep)
    if exc.__cause__ is not None:
        exc.__cause__ = clean_exception(exc.__cause__, None, _seen)
    if exc.__context__ is not None:
        exc.__context__ = clean_exception(exc.__context__, None, _seen)
    return exc


def set_main_code(code):
    """Tell the except hook which code object is the program's ``__main__`` (the runner's).

    Tracebacks of uncaught exceptions then start at that code's frame, as with plain
    ``python SCRIPT``: the runner's own frames (``runpy``, ``tritongrad.__main__``) are dropped.
    """
    _state["main_code"] = code


def set_compile_error(exc):
    """The program itself did not compile: report ``exc`` without any frame, as python does."""
    _state["compile_error"] = exc


def _drop_frames_before_main(tb, exc=None):
    if exc is not None and exc is _state["compile_error"]:
        return None
    main_code = _state["main_code"]
    entry = tb
    while main_code is not None and entry is not None:
        if entry.tb_frame.f_code is main_code:
            return entry
        entry = entry.tb_next
    return tb


def _alias_excepthook(exc_type, exc, tb):
    previous = _state["previous_excepthook"] or sys.__excepthook__
    if exc is not None and isinstance(exc, BaseException):
        exc.__traceback__ = _drop_frames_before_main(
            tb if tb is not None else exc.__traceback__, exc)
        exc = clean_exception(exc)
        previous(type(exc), exc, exc.__traceback__)
    else:
        previous(exc_type, exc, tb)


def _alias_threading_excepthook(args):
    previous = _state["previous_threading_excepthook"] or threading.__excepthook__
    if args.exc_value is not None:
        exc = clean_exception(args.exc_value)
        args = threading.ExceptHookArgs([type(exc), exc, exc.__traceback__, args.thread])
    previous(args)


# --------------------------------------------------------------------------- the name ``compat``

def release_compat_name(search_path=None):
    """Let the program import its own module named ``compat``, if it has one on its path.

    This package's code keeps working through the references it already holds; only the name
    ``compat`` in ``sys.modules`` is given up.
    """
    spec = importlib.machinery.PathFinder.find_spec("compat", search_path or sys.path)
    origin = getattr(spec, "origin", None) if spec is not None else None
    if origin is None or os.path.dirname(os.path.abspath(origin)) == _COMPAT_DIR:
        return
    for name in [n for n in sys.modules if n == "compat" or n.startswith("compat.")]:
        if getattr(sys.modules[name], "__file__", "") and os.path.dirname(
                os.path.abspath(sys.modules[name].__file__)) == _COMPAT_DIR:
            del sys.modules[name]


# --------------------------------------------------------------------------- worker processes

def _carry_alias_into_spawned_children():
    """Make spawn / forkserver children install the alias before they re-run the program.

    Forked children inherit the alias; children started fresh would otherwise re-import the
    program (and ``torch``) without it.  multiprocessing asks ``get_preparation_data`` what the
    child must run first; the answer becomes ``tritongrad.compat`` (see ``compat._spawn_main``),
    which installs the alias and then runs what multiprocessing would have run.
    """
    import multiprocessing.spawn as spawn

    original = spawn.get_preparation_data
    if getattr(original, "_tritongrad_alias", False):
        return
    _state["spawn_original"] = original
    roots = [os.path.dirname(_COMPAT_DIR)]
    tritongrad = sys.modules.get(TARGET)
    if getattr(tritongrad, "__file__", None):
        roots.append(os.path.dirname(os.path.dirname(os.path.abspath(tritongrad.__file__))))

    def get_preparation_data(name):
        data = original(name)
        main_name = data.pop("init_main_from_name", None)
        main_path = data.pop("init_main_from_path", None)
        if main_name is not None and main_name != "__main__" and not main_name.endswith(".__main__"):
            main = ["module", main_name]
        elif main_path is not None and os.path.isfile(main_path):
            main = ["path", main_path]
        else:
            main = ["none", None]
        os.environ[SPAWN_MAIN_VARIABLE] = json.dumps(main)
        data["init_main_from_name"] = "tritongrad.compat"
        data["sys_path"] = list(data["sys_path"]) + [r for r in roots if r not in data["sys_path"]]
        return data

    get_preparation_data._tritongrad_alias = True
    spawn.get_preparation_data = get_preparation_data


def _stop_carrying_alias():
    original = _state.pop("spawn_original", None)
    spawn = sys.modules.get("multiprocessing.spawn")
    if original is not None and spawn is not None:
        spawn.get_preparation_data = original


# --------------------------------------------------------------------------- install / uninstall

def _conflicting_torch():
    """The name of a real-PyTorch module already in ``sys.modules``, or None."""
    target = sys.modules.get(TARGET)
    names = sorted(sys.modules, key=lambda name: (name != ALIAS, name))
    for name in names:
        module = sys.modules.get(name)
        if name != ALIAS and not name.startswith(ALIAS + "."):
            continue
        if name == ALIAS and module is target and target is not None:
            continue
        module_name = getattr(module, "__name__", None) if module is not None else None
        if module_name is not None and (module_name == TARGET or module_name.startswith(TARGET + ".")):
            continue
        return name
    return None


def is_installed():
    """Whether ``import torch`` currently gives tritongrad."""
    return _state["installed"] and sys.modules.get(ALIAS) is sys.modules.get(TARGET)


def install():
    """Make ``import torch`` (and ``import torch.X.Y``) give tritongrad's modules in this process.

    Refuses with ``AliasConflictError`` when the real PyTorch is already imported. Calling it
    again is harmless. Returns the ``tritongrad`` module (which is now also ``torch``).
    """
    with _lock:
        conflict = _conflicting_torch()
        if conflict is not None:
            where = getattr(sys.modules.get(conflict), "__file__", None) or "an unknown location"
            raise AliasConflictError(
                "cannot install tritongrad's 'torch' alias: the real PyTorch is already imported "
                "in this process (sys.modules[%r] comes from %s). Install the alias before "
                "anything imports torch (e.g. run the script with `python -m tritongrad run "
                "SCRIPT`), or write `import tritongrad as torch` instead." % (conflict, where))
        tritongrad = importlib.import_module(TARGET)
        if _state["installed"]:
            return tritongrad
        finder = TorchAliasFinder()
        sys.meta_path.insert(0, finder)
        sys.modules[ALIAS] = tritongrad
        _hook_missing_attributes(tritongrad)
        # Public submodules tritongrad already imported give the same messages as lazily
        # aliased ones.  (Private ones are left alone: a module ``__getattr__`` turns off
        # CPython's fast path for that module's attributes, which tritongrad's internals use.)
        for name, module in list(sys.modules.items()):
            if name.startswith(TARGET + ".") and not any(
                    part.startswith("_") for part in name.split(".")):
                _hook_missing_attributes(module)
        _state.update(installed=True, finder=finder, previous_excepthook=sys.excepthook,
                      previous_threading_excepthook=threading.excepthook)
        sys.excepthook = _alias_excepthook
        threading.excepthook = _alias_threading_excepthook
        _carry_alias_into_spawned_children()
        return tritongrad


def uninstall():
    """Undo ``install()``: ``import torch`` goes back to whatever the environment provides."""
    with _lock:
        if not _state["installed"]:
            return
        finder = _state["finder"]
        if finder in sys.meta_path:
            sys.meta_path.remove(finder)
        target = sys.modules.get(TARGET)
        for name, module in list(sys.modules.items()):
            if name == ALIAS or name.startswith(ALIAS + "."):
                if module is target or getattr(module, "__name__", "").startswith(TARGET):
                    del sys.modules[name]
        _unhook_missing_attributes()
        _stop_carrying_alias()
        if sys.excepthook is _alias_excepthook:
            sys.excepthook = _state["previous_excepthook"] or sys.__excepthook__
        if threading.excepthook is _alias_threading_excepthook:
            threading.excepthook = (_state["previous_threading_excepthook"]
                                    or threading.__excepthook__)
        _state.update(installed=False, finder=None, previous_excepthook=None,
                      previous_threading_excepthook=None)
