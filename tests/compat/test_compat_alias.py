"""The ``torch`` import alias (``compat.install()``), always exercised in a fresh subprocess.

The alias changes ``sys.modules`` for the whole process, so it is never installed in the test
process itself (other tests import the real PyTorch there).
"""
import concurrent.futures
import importlib.machinery
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_python(code, *args, cwd=None, extra_path=()):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *map(str, extra_path)]
                                        + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return subprocess.run([sys.executable, *args, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def check(code, **kwargs):
    proc = run_python(code, **kwargs)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def real_torch_installed():
    return importlib.machinery.PathFinder.find_spec("torch") is not None


@pytest.fixture
def extra_package(tmp_path):
    """A subpackage tritongrad does not register anywhere, appended to tritongrad.__path__."""
    package = tmp_path / "tritongrad" / "newpart"
    (package / "deep").mkdir(parents=True)
    (package / "__init__.py").write_text("class Thing:\n    pass\n")
    (package / "deep" / "__init__.py").write_text("")
    (package / "deep" / "leaf.py").write_text("from tritongrad.newpart import Thing\n"
                                              "def make():\n    return Thing()\n")
    return tmp_path / "tritongrad"


def test_torch_and_submodules_are_tritongrads_module_objects(extra_package):
    out = check("""
        import sys, compat, tritongrad
        tritongrad.__path__.append(%r)
        returned = compat.install()
        import torch
        import torch.newpart.deep.leaf as leaf
        from torch.newpart import Thing
        import tritongrad.newpart.deep.leaf
        print(returned is tritongrad, torch is tritongrad, sys.modules['torch'] is tritongrad)
        print(leaf is tritongrad.newpart.deep.leaf, sys.modules['torch.newpart.deep.leaf'] is leaf)
        print(torch.newpart is tritongrad.newpart, Thing is tritongrad.newpart.Thing)
        print(isinstance(leaf.make(), Thing), isinstance(Thing(), tritongrad.newpart.Thing))
        print(torch.__name__, leaf.__name__, leaf.__spec__.name, torch.newpart.deep.__spec__.name)
        print(compat.is_installed())
    """ % str(extra_package))
    assert out.split("\n") == [
        "True True True", "True True", "True True", "True True",
        "tritongrad tritongrad.newpart.deep.leaf tritongrad.newpart.deep.leaf "
        "tritongrad.newpart.deep", "True", ""]


def test_existing_subpackages_map_lazily_to_the_same_objects():
    out = check("""
        import importlib, importlib.util, sys, compat
        compat.install()
        import torch
        names = ["version", "nn", "nn.functional", "autograd", "autograd.profiler", "optim",
                 "utils", "utils.data", "cuda", "profiler", "testing"]
        for name in names:
            if importlib.util.find_spec("tritongrad." + name) is None:
                continue
            aliased = importlib.import_module("torch." + name)
            print(name, aliased is importlib.import_module("tritongrad." + name),
                  sys.modules["torch." + name] is aliased)
    """)
    lines = [line for line in out.splitlines() if line]
    assert lines and all(line.endswith(" True True") for line in lines), out
    assert lines[0] == "version True True"


def test_version_fields_scripts_read():
    out = check("""
        import compat
        compat.install()
        import torch.version
        v = torch.version
        print(v.__version__, v.cuda, v.hip, v.debug, type(v.git_version).__name__)
    """)
    assert out == "2.13.0 None None False str\n"


def test_missing_attributes_name_the_torch_path():
    out = check("""
        import compat
        compat.install()
        import torch, torch.version
        for getter in (lambda: torch.surely_missing, lambda: torch.version.surely_missing):
            try:
                getter()
            except AttributeError as error:
                print(type(error).__name__, "|", error, "|", error.name)
        print(hasattr(torch, "surely_missing"), getattr(torch, "surely_missing", "default"))
        try:
            torch.__surely_missing__
        except AttributeError as error:
            print(error)
    """)
    assert out.splitlines() == [
        "AttributeError | module 'torch' has no attribute 'surely_missing' (tritongrad does not "
        "provide torch.surely_missing yet) | surely_missing",
        "AttributeError | module 'torch.version' has no attribute 'surely_missing' (tritongrad "
        "does not provide torch.version.surely_missing yet) | surely_missing",
        "False default",
        "module 'tritongrad' has no attribute '__surely_missing__'",
    ]


def test_missing_submodules_raise_module_not_found_with_the_hint():
    out = check("""
        import compat
        compat.install()
        import torch.version
        for name in ("torch.surely_missing", "torch.version.deeper", "torch.surely_missing.deeper"):
            try:
                __import__(name)
            except ModuleNotFoundError as error:
                print(type(error).__name__, "|", error, "|", error.name)
    """)
    assert out.splitlines() == [
        "ModuleNotFoundError | No module named 'torch.surely_missing' (tritongrad does not "
        "provide torch.surely_missing yet) | torch.surely_missing",
        # tritongrad.version is a module, not a package: Python's own message, as for torch.
        "ModuleNotFoundError | No module named 'torch.version.deeper'; 'torch.version' is not a "
        "package | torch.version.deeper",
        "ModuleNotFoundError | No module named 'torch.surely_missing' (tritongrad does not "
        "provide torch.surely_missing yet) | torch.surely_missing",
    ]


def test_uncaught_errors_show_no_alias_frames(tmp_path):
    cases = [
        ("import torch\ntorch.surely_missing\n",
         "AttributeError: module 'torch' has no attribute 'surely_missing' (tritongrad does not "
         "provide torch.surely_missing yet)"),
        ("import torch.surely_missing\n",
         "ModuleNotFoundError: No module named 'torch.surely_missing' (tritongrad does not "
         "provide torch.surely_missing yet)"),
        ("from torch import surely_missing\n",
         "ImportError: cannot import name 'surely_missing' from 'torch' (tritongrad does not "
         "provide torch.surely_missing yet)"),
    ]

    def run_case(index):
        script = tmp_path / ("uses_missing_%d.py" % index)
        script.write_text(cases[index][0])
        return run_python("import runpy, compat; compat.install(); "
                          "runpy.run_path(%r, run_name='__main__')" % str(script))

    with concurrent.futures.ThreadPoolExecutor(len(cases)) as pool:
        procs = list(pool.map(run_case, range(len(cases))))
    for proc, (_, last) in zip(procs, cases):
        assert proc.returncode == 1
        lines = proc.stderr.strip().splitlines()
        assert lines[-1] == last
        assert "compat" + os.sep not in proc.stderr, proc.stderr
        assert lines[0] == "Traceback (most recent call last):"


def test_install_is_idempotent_and_uninstall_restores():
    out = check("""
        import sys, compat, tritongrad
        own_getattr = vars(tritongrad).get("__getattr__")
        compat.install(); compat.install()
        import torch, torch.version
        finders = [f for f in sys.meta_path if isinstance(f, compat.TorchAliasFinder)]
        print(len(finders), vars(tritongrad).get("__getattr__") is own_getattr)
        compat.uninstall()
        print(compat.is_installed(), [k for k in sys.modules if k == "torch" or k.startswith("torch.")],
              vars(tritongrad).get("__getattr__") is own_getattr,
              sys.excepthook is sys.__excepthook__,
              any(isinstance(f, compat.TorchAliasFinder) for f in sys.meta_path))
        try:
            tritongrad.surely_missing
        except AttributeError as error:
            print(error)
    """)
    assert out.splitlines() == [
        "1 False",
        "False [] True True False",
        "module 'tritongrad' has no attribute 'surely_missing'",
    ]


def test_tritongrad_compat_is_the_same_api():
    out = check("""
        import compat, tritongrad.compat
        print(tritongrad.compat.install is compat.install, tritongrad.compat.uninstall is compat.uninstall)
        tritongrad.compat.install()
        import torch
        print(torch is tritongrad)
    """)
    assert out == "True True\nTrue\n"


@pytest.mark.skipif(not real_torch_installed(), reason="the real PyTorch is not installed")
def test_refuses_when_the_real_pytorch_is_already_imported():
    out = check("""
        import torch, compat
        real = torch
        try:
            compat.install()
        except compat.AliasConflictError as error:
            print(type(error).__mro__[1].__name__, "|", error)
        import sys
        print(sys.modules["torch"] is real, compat.is_installed())
    """)
    first, second = out.splitlines()
    assert first.startswith("RuntimeError | cannot install tritongrad's 'torch' alias: the real "
                            "PyTorch is already imported in this process (sys.modules['torch'] "
                            "comes from ")
    assert "python -m tritongrad run SCRIPT" in first
    assert second == "True False"


def test_tritongrad_version_compares_like_pytorchs_torchversion():
    torch_version = pytest.importorskip("torch.torch_version")
    from tritongrad.version import TorchVersion
    ours, theirs = TorchVersion("2.13.0"), torch_version.TorchVersion("2.13.0")
    others = ["2.2", "2.13", "2.13.0", "2.13.0+cpu", "2.13.1", "2.13.0a0", "2.13.0rc1", "10.0",
              "2.13.0.dev20260101", "2.13.0.post1", (2, 13), (2, 2), (2, 13, 1), (3,), "1.13.1"]
    for other in others:
        for op in ("__lt__", "__le__", "__eq__", "__ge__", "__gt__"):
            assert getattr(ours, op)(other) == getattr(theirs, op)(other), (op, other)
    assert str(ours) == "2.13.0" and ours.split(".") == ["2", "13", "0"]


def test_import_errors_inside_tritongrad_are_not_reworded(extra_package, tmp_path):
    (extra_package / "newpart" / "broken.py").write_text("from tritongrad import surely_missing\n")
    script = tmp_path / "imports_broken.py"
    script.write_text("import torch.newpart.broken\n")
    proc = run_python("import runpy, compat, tritongrad; tritongrad.__path__.append(%r); "
                      "compat.install(); runpy.run_path(%r, run_name='__main__')"
                      % (str(extra_package), str(script)))
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: cannot import name 'surely_missing' from 'tritongrad' (")
    assert "does not provide" not in last


def test_a_missing_dependency_of_an_existing_module_is_not_masked(extra_package):
    (extra_package / "newpart" / "needs_dep.py").write_text("import surely_missing_dependency\n")
    out = check("""
        import compat, tritongrad
        tritongrad.__path__.append(%r)
        compat.install()
        try:
            import torch.newpart.needs_dep
        except ModuleNotFoundError as error:
            print(error, "|", error.name)
    """ % str(extra_package))
    assert out == ("No module named 'surely_missing_dependency' | surely_missing_dependency\n")


def test_the_alias_code_never_imports_pytorch():
    import ast
    files = sorted((REPO / "compat").glob("*.py")) + [
        REPO / "tritongrad" / name for name in ("__main__.py", "compat.py", "version.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n == "torch" or n.startswith("torch.") for n in names), (path, names)


def test_spawned_workers_of_a_program_that_installed_the_alias(tmp_path):
    script = tmp_path / "launcher.py"
    script.write_text(textwrap.dedent("""\
        import multiprocessing, sys
        import compat
        compat.install()
        import torch
        def name_of_torch(_):
            import torch as inner
            return inner.__name__
        if __name__ == "__main__":
            import multiprocessing.spawn as spawn
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                print(pool.map(name_of_torch, [0]))
            patched = spawn.get_preparation_data
            compat.uninstall()
            print(spawn.get_preparation_data is not patched)
    """))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert (proc.stdout, proc.returncode) == ("['tritongrad']\nTrue\n", 0), proc.stderr


def test_uncaught_errors_in_threads_show_no_alias_frames():
    proc = run_python("""
        import threading, compat
        compat.install()
        import torch
        thread = threading.Thread(target=lambda: torch.surely_missing)
        thread.start(); thread.join()
        compat.uninstall()
        print(threading.excepthook is threading.__excepthook__)
    """)
    assert proc.stdout == "True\n"
    assert proc.stderr.startswith("Exception in thread")
    assert proc.stderr.strip().splitlines()[-1] == (
        "AttributeError: module 'torch' has no attribute 'surely_missing' (tritongrad does not "
        "provide torch.surely_missing yet)")
    assert "compat" + os.sep not in proc.stderr


def test_module_objects_held_as_attributes_import_by_their_torch_name(extra_package):
    (extra_package / "newpart" / "maker").mkdir()
    (extra_package / "newpart" / "maker" / "__init__.py").write_text(
        "import types\nflags = types.ModuleType('tritongrad.newpart.maker.flags')\n"
        "flags.benchmark = False\nnot_a_module = 3\n")
    out = check("""
        import compat, tritongrad
        tritongrad.__path__.append(%r)
        compat.install()
        import torch.newpart.maker.flags as flags
        import tritongrad.newpart.maker
        print(flags is tritongrad.newpart.maker.flags, flags.benchmark)
        try:
            import torch.newpart.maker.not_a_module
        except ModuleNotFoundError as error:
            print(error)
    """ % str(extra_package))
    assert out == ("True False\n"
                   "No module named 'torch.newpart.maker.not_a_module'\n")
