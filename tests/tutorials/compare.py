"""Runs tutorial scripts under PyTorch and through ``python -m tritongrad run`` and compares output.

Also a command-line tool while writing scripts::

    python tests/tutorials/compare.py [NAME ...]    # prints PASS/FAIL and the first difference
    python tests/tutorials/compare.py --markdown    # the status table of docs/tutorials.md
"""
import concurrent.futures
import dataclasses
import importlib.machinery
import importlib.util
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SCRIPT_DIR = HERE / "scripts"
TIMEOUT_S = 240
RELATIVE_TOLERANCE = 1e-5

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


@dataclasses.dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int

    def observed(self):
        """stdout, plus ``EXCEPTION: Type: message`` when the script raised."""
        if self.returncode == 0:
            return self.stdout
        return self.stdout + _exception_line(self.stderr) + "\n"


def script_names():
    return sorted(path.stem for path in SCRIPT_DIR.glob("*.py"))


def torch_available():
    return importlib.machinery.PathFinder.find_spec("torch") is not None


def _exception_line(stderr):
    lines = stderr.rstrip().splitlines()
    for line in reversed(lines):
        if line and line[0] not in " \t" and not line.startswith("Traceback"):
            head, _, message = line.partition(": ")
            return "EXCEPTION: %s: %s" % (head.rsplit(".", 1)[-1], message)
    return "EXIT STATUS (no traceback): " + (lines[-1] if lines else "")


def _run(command, with_repo):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", OMP_NUM_THREADS="1")
    env.pop("PYTHONSTARTUP", None)
    if with_repo:
        env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(
            os.pathsep) if p])
    with tempfile.TemporaryDirectory(prefix="tg-tutorial-") as cwd:
        try:
            proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=TIMEOUT_S, stdin=subprocess.DEVNULL, encoding="utf-8",
                                  errors="replace")
        except subprocess.TimeoutExpired as exc:
            return Run(exc.stdout or "", "TimeoutExpired: after %d s" % TIMEOUT_S, -1)
    return Run(proc.stdout, proc.stderr, proc.returncode)


def run_tritongrad(name):
    return _run([sys.executable, "-m", "tritongrad", "run", str(SCRIPT_DIR / (name + ".py"))], True)


def run_torch(name):
    return _run([sys.executable, str(SCRIPT_DIR / (name + ".py"))], False)


def _numbers_close(want, got, line_scale=0.0):
    if want == got:
        return True
    if ("." in want, "e" in want.lower()) != ("." in got, "e" in got.lower()):
        return False  # `1.` against `1` is a float printed where an integer was (a dtype difference)
    try:
        a, b = float(want), float(got)
    except ValueError:
        return False
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return False
    # A printed number carries rounding: allow one unit of its last printed digit as well.
    decimals = len(want.split(".")[1].split("e")[0].split("E")[0]) if "." in want else 0
    exponent = int(re.split("[eE]", want)[1]) if re.search("[eE]", want) else 0
    last_digit = 10.0 ** (exponent - decimals)
    # Entries printed next to much larger ones (one row of a tensor) are judged at the row's scale: a
    # cancellation leaves them with float32 noise far above their own 1e-5.
    return abs(a - b) <= max(RELATIVE_TOLERANCE * max(abs(a), abs(b), line_scale), 1.0001 * last_digit)


def _lines_match(want, got):
    want, got = _ADDRESS.sub("0x?", want), _ADDRESS.sub("0x?", got)
    if want == got:
        return True
    if _NUMBER.sub("#", want) != _NUMBER.sub("#", got):
        return False
    wanted = _NUMBER.findall(want)
    finite = [abs(float(n)) for n in wanted if n.lstrip("+-") not in ("inf", "nan")]
    scale = max(finite, default=0.0)
    return all(_numbers_close(a, b, scale) for a, b in zip(wanted, _NUMBER.findall(got)))


def first_difference(expected, actual):
    """'' when the outputs agree, else a description of the first differing line."""
    want_lines, got_lines = expected.split("\n"), actual.split("\n")
    for number, (want, got) in enumerate(zip(want_lines, got_lines), 1):
        if not _lines_match(want, got):
            return "line %d: expected %r, got %r" % (number, want, got)
    if len(want_lines) != len(got_lines):
        shorter = min(len(want_lines), len(got_lines))
        extra = (got_lines if len(got_lines) > shorter else want_lines)[shorter]
        which = "unexpected extra" if len(got_lines) > shorter else "missing"
        return "line %d: %s line %r" % (shorter + 1, which, extra)
    return ""


def run_torch_many(names, workers):
    """{name: Run} under PyTorch: one fork server imports torch once and forks a child per script."""
    paths = [str(SCRIPT_DIR / (name + ".py")) for name in names]
    env = dict(os.environ, PYTHONIOENCODING="utf-8", OMP_NUM_THREADS="1")
    env.pop("PYTHONSTARTUP", None)
    proc = subprocess.run([sys.executable, str(HERE / "torch_forkserver.py"), str(workers), str(TIMEOUT_S)] + paths,
                          env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=TIMEOUT_S * len(names), cwd=tempfile.gettempdir())
    if proc.returncode != 0:
        raise RuntimeError("the PyTorch fork server failed:\n" + proc.stderr[-3000:])
    results = json.loads(proc.stdout)
    return {name: Run(*results[path]) for name, path in zip(names, paths)}


def run_both(names, workers=None):
    """{name: (torch Run, tritongrad Run)}, every script run both ways in parallel subprocesses."""
    workers = workers or max(2, os.cpu_count() or 2)
    with concurrent.futures.ThreadPoolExecutor(workers + 1) as pool:
        torch_runs = pool.submit(run_torch_many, names, workers)
        tg_runs = {name: pool.submit(run_tritongrad, name) for name in names}
        torch_runs = torch_runs.result()
        return {name: (torch_runs[name], tg_runs[name].result()) for name in names}


def summary(name):
    """The script's first comment line: what it exercises."""
    first = (SCRIPT_DIR / (name + ".py")).read_text(encoding="utf-8").splitlines()[0]
    return first.lstrip("# ").strip()


def markdown_table(results, xfail):
    rows = ["| script | exercises | status |", "| --- | --- | --- |"]
    for name, (torch_run, tg_run) in results.items():
        difference = first_difference(torch_run.observed(), tg_run.observed())
        status = "pass" if not difference else ("xfail: " + xfail[name] if name in xfail else "FAIL: " + difference)
        rows.append("| `%s` | %s | %s |" % (name, summary(name).replace("|", "\\|"), status.replace("|", "\\|")))
    return "\n".join(rows)


def main(argv):
    if argv and argv[0] == "--markdown":
        spec = importlib.util.spec_from_file_location("_tutorial_tests", HERE / "test_tutorials.py")
        tests = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tests)
        print(markdown_table(run_both(script_names()), tests.XFAIL))
        return 0
    names = argv or script_names()
    results = run_both(names)
    failures = 0
    for name in names:
        torch_run, tg_run = results[name]
        difference = first_difference(torch_run.observed(), tg_run.observed())
        if torch_run.returncode != 0:
            print("TORCH-ERROR %s: %s" % (name, _exception_line(torch_run.stderr)))
        print(("FAIL %s: %s" % (name, difference)) if difference else "PASS %s" % name)
        if difference and tg_run.returncode != 0:
            print("    " + "\n    ".join(tg_run.stderr.rstrip().splitlines()[-6:]))
        failures += bool(difference)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
