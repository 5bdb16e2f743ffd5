"""``python -m tritongrad run ...``: run a program as ``__main__`` with the ``torch`` alias installed.

It behaves as plain ``python`` does for the same arguments: ``sys.argv``, ``sys.path[0]``,
``__file__``, the exit status, and the traceback of an uncaught exception (which starts at the
program's own frame; the runner's frames are not shown).
"""
import code as _code_module
import importlib.machinery
import importlib.util
import os
import sys
import types

from . import _alias

USAGE = """\
usage: python -m tritongrad run [-m MODULE | -c COMMAND | SCRIPT | -] [ARGS...]

Runs a PyTorch program unchanged on tritongrad: `import torch` (and every `torch.X`) gives
tritongrad's modules while it runs.

  run SCRIPT [ARGS...]    run a Python file (or a directory/zip with __main__.py) as __main__
  run -m MODULE [ARGS...] run a module as __main__, like `python -m MODULE`
  run -c COMMAND [ARGS...] run a string of code, like `python -c COMMAND`
  run [-]                 read the program from stdin, or start an interactive session
"""


def _python_name():
    return sys.executable or "python"


def _fresh_main(**attributes):
    """A new ``__main__`` module with the globals plain ``python`` gives the same kind of program."""
    main = types.ModuleType("__main__")
    main.__dict__.update(__annotations__={}, __builtins__=sys.modules["builtins"],
                         __loader__=importlib.machinery.BuiltinImporter, __package__=None,
                         __spec__=None)
    main.__dict__.update(attributes)
    sys.modules["__main__"] = main
    return main


def _compile(source, filename):
    try:
        return compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        _alias.set_compile_error(exc)
        raise


def _execute(code, main):
    _alias.release_compat_name()
    _alias.set_main_code(code)
    exec(code, main.__dict__)


def _script_file(path):
    # Plain python makes a relative script path absolute by appending it to the cwd, unnormalised.
    if os.path.isabs(path):
        return path
    return os.getcwd() + os.sep + path


def run_path(path, args=()):
    """Run the file ``path`` as ``__main__`` with ``sys.argv = [path, *args]``."""
    sys.argv = [path, *args]
    if os.path.isdir(path) or (os.path.isfile(path) and _is_zipfile(path)):
        # `python DIR` / `python APP.zip`: the directory goes first on sys.path and its
        # __main__ module runs.
        sys.path[0] = _script_file(path)
        return _run_module_code("__main__", path_label=path)
    try:
        with open(path, "rb") as source_file:
            source = source_file.read()
    except OSError as exc:
        sys.stderr.write("%s: can't open file %r: [Errno %d] %s\n"
                         % (_python_name(), _script_file(path), exc.errno, exc.strerror))
        return 2
    filename = _script_file(path)
    sys.path[0] = os.path.dirname(os.path.realpath(path))
    main = _fresh_main(__file__=filename, __cached__=None,
                       __loader__=importlib.machinery.SourceFileLoader("__main__", filename))
    code = _compile(source, filename)
    _execute(code, main)
    return 0


def _is_zipfile(path):
    import zipfile
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def run_module(module_name, args=()):
    """Run ``module_name`` as ``__main__``, like ``python -m MODULE ARGS...``."""
    sys.argv = ["-m", *args]
    sys.path[0] = os.getcwd()
    return _run_module_code(module_name)


def _find_main_spec(module_name):
    if module_name.startswith(_alias.ALIAS + ".") or module_name == _alias.ALIAS:
        # `-m torch.X`: run tritongrad's module of that name (the alias spec has no code).
        module_name = _alias.real_name(module_name)
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, AttributeError, TypeError, ValueError) as exc:
        return None, "Error while finding module specification for %r (%s: %s)" % (
            module_name, type(exc).__name__, exc)
    if spec is None:
        return None, "No module named %s" % module_name
    if spec.submodule_search_locations is not None:
        if module_name == "__main__" or module_name.endswith(".__main__"):
            return None, "Cannot use package as __main__ module"
        package_main = module_name + ".__main__"
        main_spec, error = _find_main_spec(package_main)
        if main_spec is None:
            return None, "%s; %r is a package and cannot be directly executed" % (error, module_name)
        return main_spec, None
    if spec.loader is None or not hasattr(spec.loader, "get_code"):
        return None, "No code object available for %s" % module_name
    return spec, None


def _run_module_code(module_name, path_label=None):
    if path_label is not None:
        # Only the directory or zip file itself is searched (sys.modules["__main__"] is the
        # runner's own module at this point).
        spec = importlib.machinery.PathFinder.find_spec(module_name, [sys.path[0]])
        error = None if spec is not None else "no __main__"
    else:
        spec, error = _find_main_spec(module_name)
    if spec is None:
        if path_label is not None:
            error = "can't find '__main__' module in %r" % sys.path[0]
        sys.stderr.write("%s: %s\n" % (_python_name(), error))
        return 1
    code = spec.loader.get_code(spec.name)
    if code is None:
        sys.stderr.write("%s: No code object available for %s\n" % (_python_name(), spec.name))
        return 1
    if path_label is None:
        sys.argv[0] = spec.origin
    main = _fresh_main(__file__=spec.origin, __cached__=spec.cached, __loader__=spec.loader,
                       __package__=spec.parent, __spec__=spec)
    _execute(code, main)
    return 0


def run_command(command, args=()):
    """Run the string ``command`` as ``__main__``, like ``python -c COMMAND ARGS...``."""
    sys.argv = ["-c", *args]
    sys.path[0] = ""
    main = _fresh_main()
    code = _compile(command, "<string>")
    _execute(code, main)
    return 0


class _Console(_code_module.InteractiveConsole):
    """The interactive session; tracebacks start at the typed line, as in python's own REPL."""

    def showtraceback(self):
        exc_type, exc, tb = sys.exc_info()
        sys.last_type, sys.last_value, sys.last_traceback = exc_type, exc, tb
        sys.excepthook(exc_type, exc, tb.tb_next if tb is not None else None)


def run_stdin(args=(), dash=False):
    """Read the program from stdin (``python -``), or start an interactive session on a tty."""
    sys.argv = ["-" if dash else "", *args]
    sys.path[0] = ""
    if sys.stdin.isatty():
        main = _fresh_main()
        banner = "Python %s on %s\ntritongrad's torch alias is installed: `import torch` gives tritongrad." % (
            sys.version, sys.platform)
        _Console(locals=main.__dict__).interact(banner=banner, exitmsg="")
        return 0
    main = _fresh_main(__file__="<stdin>", __cached__=None)
    code = _compile(sys.stdin.read(), "<stdin>")
    _execute(code, main)
    return 0


def _run(args):
    try:
        _alias.install()
    except _alias.AliasConflictError as exc:
        sys.stderr.write("%s: error: %s\n" % ("python -m tritongrad run", exc))
        return 1
    if not args or args[0] == "-":
        return run_stdin(args[1:], dash=bool(args))
    first = args[0]
    if first in ("-m", "-c"):
        if len(args) < 2:
            sys.stderr.write("Argument expected for the %s option\n%s" % (first, USAGE))
            return 2
        if first == "-m":
            return run_module(args[1], args[2:])
        return run_command(args[1], args[2:])
    if first == "--":
        return run_path(args[1], args[2:]) if len(args) > 1 else run_stdin(())
    if first in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if first.startswith("-"):
        sys.stderr.write("Unknown option: %s\n%s" % (first, USAGE))
        return 2
    return run_path(first, args[1:])


def main(argv=None):
    """Entry point of ``python -m tritongrad``; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        (sys.stdout if argv else sys.stderr).write(USAGE)
        return 0 if argv else 2
    if argv[0] == "run":
        return _run(argv[1:])
    if argv[0] == "--version":
        from tritongrad import version
        sys.stdout.write("tritongrad (torch %s)\n" % version.__version__)
        return 0
    sys.stderr.write("unknown command %r\n%s" % (argv[0], USAGE))
    return 2
