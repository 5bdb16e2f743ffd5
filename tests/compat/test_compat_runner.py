"""``python -m tritongrad run``: the program sees what plain ``python`` would give it.

Each test runs the same program with plain ``python`` and through the runner, from the same
working directory, and compares stdout, stderr and the exit status.
"""
import concurrent.futures
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

REPORT = """\
import sys
print("argv", sys.argv)
print("file", __file__ if "__file__" in globals() else None)
print("path0", sys.path[0])
print("name", __name__, __package__, getattr(__spec__, "name", None))
print("globals", sorted(globals()))
print("loader", type(__loader__).__name__ if not isinstance(__loader__, type) else __loader__.__name__)
print("main", sys.modules["__main__"].__dict__ is globals())
"""


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


def plain(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, *args], cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=120, input=stdin)


def through_runner(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "tritongrad", "run", *args], cwd=cwd, env=_env(),
                          capture_output=True, text=True, timeout=120, input=stdin)


def assert_same(args, cwd, stdin=None):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        expected, actual = pool.map(lambda run: run(*args, cwd=cwd, stdin=stdin),
                                    (plain, through_runner))
    assert (actual.stdout, actual.stderr, actual.returncode) == (
        expected.stdout, expected.stderr, expected.returncode)
    return actual


@pytest.fixture
def project(tmp_path):
    """scripts/main.py importing its sibling helper.py, and a package for -m."""
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "helper.py").write_text("VALUE = 'from helper'\n")
    (scripts / "main.py").write_text(REPORT + "import helper\nprint(helper.VALUE)\n")
    package = tmp_path / "work" / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(REPORT)
    (package / "tool.py").write_text(REPORT + "from . import __name__ as parent\nprint(parent)\n")
    return tmp_path


def test_script_sees_plain_python_globals_argv_and_path(project):
    out = assert_same(["scripts/main.py", "a", "--flag", "b c"], cwd=project)
    assert "argv ['scripts/main.py', 'a', '--flag', 'b c']" in out.stdout
    assert "from helper" in out.stdout


def test_script_from_another_directory_and_absolute_path(project):
    assert_same(["../scripts/main.py"], cwd=project / "work")
    assert_same([str(project / "scripts" / "main.py"), "x"], cwd=project / "work")


def test_module_with_m(project):
    out = assert_same(["-m", "app.tool", "arg"], cwd=project / "work")
    assert "name __main__ app app.tool" in out.stdout
    assert_same(["-m", "app", "arg"], cwd=project / "work")


def test_missing_module_and_missing_file(project):
    assert_same(["-m", "no_such_module_here"], cwd=project)
    proc = assert_same(["no_such_script.py"], cwd=project)
    assert proc.returncode == 2


def test_command_with_c(project):
    assert_same(["-c", REPORT, "x", "y"], cwd=project)


def test_program_from_stdin(project):
    assert_same(["-", "x"], cwd=project, stdin=REPORT)
    assert_same([], cwd=project, stdin=REPORT)


@pytest.mark.parametrize("body", [
    "import sys\nprint('before')\nsys.exit(3)\n",
    "import sys\nsys.exit('fatal: message on stderr')\n",
    "raise SystemExit\n",
    "import os, sys\nprint('buffered', end='')\nsys.stdout.flush()\nos._exit(7)\n",
])
def test_exit_status(project, body):
    (project / "exits.py").write_text(body)
    assert_same(["exits.py"], cwd=project)


def test_uncaught_exception_traceback_is_plain_pythons(project):
    (project / "lib.py").write_text("def fail(x):\n    return {}[x]\n")
    (project / "crash.py").write_text(textwrap.dedent("""\
        import lib
        print("start")
        def outer():
            try:
                lib.fail("key")
            except KeyError as error:
                raise ValueError("wrapped\\nsecond line") from error
        outer()
    """))
    proc = assert_same(["crash.py"], cwd=project)
    assert proc.returncode == 1 and "runpy" not in proc.stderr and "compat" not in proc.stderr


def test_syntax_error(project):
    (project / "broken.py").write_text("print('never')\ndef (:\n")
    assert_same(["broken.py"], cwd=project)


def test_keyboard_interrupt_exits_like_python(project):
    (project / "interrupted.py").write_text("raise KeyboardInterrupt\n")
    proc = assert_same(["interrupted.py"], cwd=project)
    assert proc.returncode == -signal.SIGINT


def test_torch_is_tritongrad_in_the_script_and_main_objects_pickle(project):
    (project / "uses_torch.py").write_text(textwrap.dedent("""\
        import pickle, sys
        import torch, tritongrad
        class Point:
            def __init__(self, x):
                self.x = x
        print(torch is tritongrad, sys.modules["torch"] is tritongrad, torch.__name__)
        print(pickle.loads(pickle.dumps(Point(3))).x)
    """))
    proc = through_runner("uses_torch.py", cwd=project)
    assert (proc.stdout, proc.stderr, proc.returncode) == ("True True tritongrad\n3\n", "", 0)


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_worker_processes_see_the_alias_and_main_definitions(project, method):
    (project / "workers.py").write_text(textwrap.dedent("""\
        import multiprocessing, sys
        import torch
        class Box:
            def __init__(self, value):
                self.value = value
        def work(box):
            import torch as inner
            return box.value * 2, inner.__name__
        if __name__ == "__main__":
            with multiprocessing.get_context(sys.argv[1]).Pool(2) as pool:
                print(pool.map(work, [Box(1), Box(2), Box(3)]))
    """))
    proc = through_runner("workers.py", method, cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "[(2, 'tritongrad'), (4, 'tritongrad'), (6, 'tritongrad')]\n"


def test_spawned_workers_of_a_module_run_with_m(project):
    (project / "work" / "app" / "pool.py").write_text(textwrap.dedent("""\
        import multiprocessing
        def name_of_torch(_):
            import torch
            return torch.__name__
        if __name__ == "__main__":
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                print(pool.map(name_of_torch, [0]))
    """))
    proc = through_runner("-m", "app.pool", cwd=project / "work")
    assert (proc.stdout, proc.returncode) == ("['tritongrad']\n", 0), proc.stderr


def test_usage_errors():
    proc = subprocess.run([sys.executable, "-m", "tritongrad"], env=_env(), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "usage: python -m tritongrad run" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "tritongrad", "run", "-m"], env=_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Argument expected for the -m option" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "tritongrad", "--help"], env=_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "run -m MODULE" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "tritongrad", "--version"], env=_env(),
                          capture_output=True, text=True, timeout=60)
    assert (proc.stdout, proc.returncode) == ("tritongrad (torch 2.13.0)\n", 0)


def test_interactive_session_on_a_terminal():
    pty = pytest.importorskip("pty")
    import select
    import time
    pid, fd = pty.fork()
    if pid == 0:  # the child: an interactive `python -m tritongrad run` on the terminal
        os.environ.update(_env())
        os.execv(sys.executable, [sys.executable, "-m", "tritongrad", "run"])
    os.write(fd, b"import torch, tritongrad, sys\nprint(torch is tritongrad, sys.argv)\n"
                 b"torch.surely_missing\nexit()\n")
    output, deadline = b"", time.time() + 120
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode().replace("\r\n", "\n")
    assert os.WEXITSTATUS(status) == 0, text
    assert "tritongrad's torch alias is installed" in text
    assert "True ['']" in text
    assert ("Traceback (most recent call last):\n  File \"<console>\", line 1, in <module>\n"
            "AttributeError: module 'torch' has no attribute 'surely_missing' (tritongrad does "
            "not provide torch.surely_missing yet)") in text


def test_a_program_with_its_own_compat_module(project):
    """`compat` is a common module name: the program's own one wins, in workers too."""
    (project / "compat.py").write_text("WHO = 'the program s own compat'\n")
    (project / "own_compat.py").write_text(textwrap.dedent("""\
        import multiprocessing
        import compat, torch
        def who(_):
            import compat as inner, torch as inner_torch
            return inner.WHO, inner_torch.__name__
        if __name__ == "__main__":
            print(compat.WHO, torch.__name__)
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                print(pool.map(who, [0]))
    """))
    proc = through_runner("own_compat.py", cwd=project)
    assert (proc.stdout, proc.returncode) == (
        "the program s own compat tritongrad\n[('the program s own compat', 'tritongrad')]\n", 0), \
        proc.stderr


def test_directory_and_zip_with_main(project):
    import zipfile
    app = project / "dirapp"
    app.mkdir()
    (app / "__main__.py").write_text(REPORT)
    with zipfile.ZipFile(project / "app.zip", "w") as archive:
        archive.write(app / "__main__.py", "__main__.py")
    (project / "empty").mkdir()
    assert_same(["dirapp", "x"], cwd=project)
    assert_same(["app.zip", "y"], cwd=project)
    assert_same(["empty"], cwd=project)
