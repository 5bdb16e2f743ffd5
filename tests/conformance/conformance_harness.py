"""Runs conformance cases in subprocesses and judges their output.

Two kinds of case:

- seed examples (``seed_examples/NNN_*.py``): run unchanged through ``python -m tritongrad run``
  in a fresh temporary directory; stdout, plus an ``EXCEPTION: Type: message`` line taken from
  the traceback on stderr when the script raised, must equal the ``.expected`` output PyTorch
  printed, or satisfy the example's ``.nondeterministic`` checker;
- tutorials (``tutorials/*.py``): run through the alias and under the real PyTorch; outputs must
  agree line by line, numbers within 1e-5 relative (or one unit of the last printed digit).

Cases run concurrently in a small pool of subprocesses, so the whole suite stays fast.
"""
import concurrent.futures
import dataclasses
import importlib.machinery
import importlib.util
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEED_DIR = HERE / "seed_examples"
TUTORIAL_DIR = HERE / "tutorials"
TIMEOUT_S = 300
TUTORIAL_PREFIX = "tutorials/"


def _load_status():
    spec = importlib.util.spec_from_file_location("_conformance_status", HERE / "status.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


status = _load_status()


# --------------------------------------------------------------------------- cases

@dataclasses.dataclass(frozen=True)
class Case:
    name: str           # "NNN_sSSS_x" for a seed example, "tutorials/tNN_x" for a tutorial
    path: Path

    @property
    def is_tutorial(self):
        return self.name.startswith(TUTORIAL_PREFIX)

    @property
    def skip_reason(self):
        skip_file = self.path.with_suffix(".skip")
        if skip_file.exists():
            return " ".join(skip_file.read_text(encoding="utf-8").split())
        return None

    @property
    def xfail_reason(self):
        return status.XFAIL.get(self.name)

    @property
    def summary(self):
        """The 'Exercises:' line of the script's header comment."""
        text = self.path.read_text(encoding="utf-8")
        match = re.search(r"^# Exercises: (.*(?:\n#(?! ---)(?!\s*\n)(?! Changes| Reconstruction| Preamble"
                          r"| SKIPPED| NOT| Expected| RNG| Note| REPL| Indentation)[^\n]*)*)",
                          text, re.MULTILINE)
        if match is None:
            return ""
        return " ".join(line.lstrip("# ").strip() for line in match.group(1).splitlines())


def seed_cases():
    return [Case(path.stem, path) for path in sorted(SEED_DIR.glob("[0-9][0-9][0-9]_*.py"))]


def tutorial_cases():
    return [Case(TUTORIAL_PREFIX + path.stem, path) for path in sorted(TUTORIAL_DIR.glob("t[0-9]*.py"))]


def all_cases():
    return seed_cases() + tutorial_cases()


def case_named(name):
    for case in all_cases():
        if case.name == name:
            return case
    raise KeyError(name)


# --------------------------------------------------------------------------- running

@dataclasses.dataclass
class Run:
    stdout: str
    stderr: str
    returncode: int
    timed_out: bool = False


def _environment(with_repo):
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONSTARTUP", None)
    if with_repo:
        parts = [str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join(parts)
    return env


def _run(command, with_repo):
    with tempfile.TemporaryDirectory(prefix="tg-conformance-") as cwd:
        try:
            proc = subprocess.run(command, cwd=cwd, env=_environment(with_repo), capture_output=True,
                                  timeout=TIMEOUT_S, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            return Run(_decode(exc.stdout), _decode(exc.stderr), -1, timed_out=True)
    return Run(_decode(proc.stdout), _decode(proc.stderr), proc.returncode)


def _decode(data):
    if data is None:
        return ""
    return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data


def run_through_alias(path):
    """``python -m tritongrad run PATH`` in a fresh temporary working directory."""
    return _run([sys.executable, "-m", "tritongrad", "run", str(path)], with_repo=True)


def run_under_torch(path):
    """``python PATH`` with the real PyTorch, in a fresh temporary working directory."""
    return _run([sys.executable, str(path)], with_repo=False)


def torch_available():
    """Whether the real PyTorch is installed (looked up on sys.path, ignoring any alias)."""
    return importlib.machinery.PathFinder.find_spec("torch") is not None


def exception_line(stderr):
    """``EXCEPTION: Type: first message line`` from the last traceback in ``stderr``, or None."""
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line == "Traceback (most recent call last):"]
    if not starts:
        return None
    for line in lines[starts[-1] + 1:]:
        if not line or line[0] in " \t":
            continue
        head, separator, message = line.partition(": ")
        type_name = head.rsplit(".", 1)[-1]
        return "EXCEPTION: %s: %s" % (type_name, message) if separator and message else (
            "EXCEPTION: %s" % type_name)
    return None


def observed_output(run):
    """stdout as ``record_expected.py`` records it: plus the EXCEPTION line when it raised."""
    if run.timed_out:
        return run.stdout + "TIMEOUT after %d s\n" % TIMEOUT_S
    if run.returncode == 0:
        return run.stdout
    line = exception_line(run.stderr)
    if line is None:
        tail = run.stderr.strip().splitlines()[-1:] or [""]
        line = "EXIT STATUS %d (no traceback) %s" % (run.returncode, tail[0])
    return run.stdout + line + "\n"


# --------------------------------------------------------------------------- judging

@dataclasses.dataclass
class Outcome:
    status: str          # "pass", "fail" or "skip"
    detail: str = ""
    error: str = ""      # the EXCEPTION line when tritongrad's run raised and PyTorch's did not

    @property
    def ok(self):
        return self.status == "pass"


def first_difference(expected, actual):
    expected_lines, actual_lines = expected.split("\n"), actual.split("\n")
    for number, (want, got) in enumerate(zip(expected_lines, actual_lines), 1):
        if want != got:
            return "line %d: expected %r, got %r" % (number, want, got)
    if len(expected_lines) != len(actual_lines):
        shorter = min(len(expected_lines), len(actual_lines))
        extra = (actual_lines if len(actual_lines) > shorter else expected_lines)[shorter]
        which = "unexpected extra" if len(actual_lines) > shorter else "missing"
        return "line %d: %s line %r" % (shorter + 1, which, extra)
    return ""


def _exact(expected, actual):
    return first_difference(expected, actual)


def check_address_normalised(expected, actual):
    """026: equal once memory addresses (``0x...``) are normalised."""
    pattern = re.compile(r"0x[0-9a-fA-F]+")
    return first_difference(pattern.sub("0x...", expected), pattern.sub("0x...", actual))


_BATCH = re.compile(r"tensor\(\[\[(\d+), (\d+), (\d+)\],\n {8}\[(\d+), (\d+), (\d+)\]\]\) "
                    r"tensor\(\[(\d+), (\d+)\]\)\n")


def check_shuffled_batches(expected, actual):
    """031: two batches of two rows; every row once; each label belongs to its row."""
    batches = list(_BATCH.finditer(actual))
    if len(batches) != 2 or "".join(m.group(0) for m in batches) != actual:
        return "expected exactly 2 batches printed as `tensor([[a, b, c],\\n        [d, e, f]]) " \
               "tensor([l1, l2])`, got %r" % actual
    rows, pairs = [], []
    for batch in batches:
        values = [int(v) for v in batch.groups()]
        for row, label in ((tuple(values[0:3]), values[6]), (tuple(values[3:6]), values[7])):
            rows.append(row)
            pairs.append((row, label))
    wanted_rows = [(1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 6)]
    if Counter(rows) != Counter(wanted_rows):
        return "rows %r are not %r, each once" % (rows, wanted_rows)
    for row, label in pairs:
        if label != (1 if row[0] in (1, 2) else 0):
            return "row %r carries label %d" % (row, label)
    return ""


_PROFILER_COLUMNS = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg",
                     "# of Calls"]
_TIME = re.compile(r"^\d+(\.\d+)?(us|ms|s)$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")


def check_profiler_table(expected, actual):
    """010: the key_averages() table's frame, header, a Linear-forward row and the total line."""
    if "EXCEPTION:" in actual or "EXIT STATUS" in actual or "TIMEOUT" in actual:
        return "the script must not raise: %r" % actual.strip().splitlines()[-1:]
    lines = actual.split("\n")
    rules = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) <= {"-", " "}]
    if len(rules) < 3:
        return "expected a table framed by dashed rule lines, got %r" % actual[:300]
    header = lines[rules[0] + 1] if rules[0] + 1 < len(lines) else ""
    titles = re.split(r"\s{2,}", header.strip())
    if titles != _PROFILER_COLUMNS:
        return "header columns %r, expected %r" % (titles, _PROFILER_COLUMNS)
    rows = {}
    for line in lines[rules[1] + 1:rules[-1]]:
        if not line.strip() or set(line.strip()) <= {"-", " "}:
            continue
        fields = re.split(r"\s{2,}", line.strip())
        if len(fields) < 7:
            return "row %r does not have the 7 columns" % line
        name, numbers = "  ".join(fields[:-6]), fields[-6:]
        for value, kind in zip(numbers, ["%", "t", "%", "t", "t", "n"]):
            good = {"%": _PERCENT, "t": _TIME}.get(kind)
            if good is not None and not good.match(value) or kind == "n" and not value.isdigit():
                return "row %r: %r is not a %s" % (name, value,
                                                  {"%": "percentage", "t": "time", "n": "count"}[kind])
        rows[name] = int(numbers[-1])
    linear_rows = [n for n in ("aten::linear", "aten::addmm") if rows.get(n) == 1]
    if not linear_rows:
        return "no row for aten::linear / aten::addmm with # of Calls = 1 in %r" % sorted(rows)
    non_empty = [line for line in lines if line.strip()]
    if not re.match(r"^Self CPU time total: \d+(\.\d+)?(us|ms|s)$", non_empty[-1]):
        return "last line %r is not `Self CPU time total: <time>`" % non_empty[-1]
    if not actual.endswith(non_empty[-1] + "\n\n"):
        return "the total line must be followed by exactly one empty line"
    return ""


NONDETERMINISTIC_CHECKERS = {
    "010_s000_autograd_profiler": check_profiler_table,
    "026_s003_grad_fn_detach": check_address_normalised,
    "031_s004_dataset_dataloader": check_shuffled_batches,
}


_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)")


def _last_place(token):
    """One unit in the last printed decimal place (0 for integers, which must match exactly)."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
    if decimals == 0:
        return 0.0
    return 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def compare_numeric(expected, actual, rel_tol=1e-5):
    """Line-by-line comparison; numbers within ``rel_tol`` relative or one unit in the last place."""
    expected_lines, actual_lines = expected.split("\n"), actual.split("\n")
    if len(expected_lines) != len(actual_lines):
        return first_difference(expected, actual) or "different number of lines"
    for number, (want, got) in enumerate(zip(expected_lines, actual_lines), 1):
        if want == got:
            continue
        if _NUMBER.sub("#", want) != _NUMBER.sub("#", got):
            return "line %d: expected %r, got %r" % (number, want, got)
        for a_text, b_text in zip(_NUMBER.findall(want), _NUMBER.findall(got)):
            a, b = float(a_text), float(b_text)
            if math.isnan(a) and math.isnan(b) or a == b:
                continue
            tolerance = max(rel_tol * max(abs(a), abs(b)), _last_place(a_text), _last_place(b_text))
            if not abs(a - b) <= tolerance * (1 + 1e-9):
                return "line %d: %s vs %s (expected %r, got %r)" % (number, a_text, b_text, want, got)
    return ""


def evaluate(case):
    """Run ``case`` and judge it. Never raises for a misbehaving script."""
    if case.skip_reason:
        return Outcome("skip", case.skip_reason)
    if case.is_tutorial:
        return _evaluate_tutorial(case)
    run = run_through_alias(case.path)
    actual = observed_output(run)
    expected = case.path.with_suffix(".expected").read_text(encoding="utf-8")
    checker = NONDETERMINISTIC_CHECKERS.get(case.name, _exact)
    difference = checker(expected, actual)
    if not difference:
        return Outcome("pass")
    return Outcome("fail", _with_stderr(difference, run), _unexpected_error(expected, actual))


def _unexpected_error(expected, actual):
    last = actual.rstrip("\n").rsplit("\n", 1)[-1]
    if last.startswith(("EXCEPTION:", "EXIT STATUS", "TIMEOUT")) and last not in expected:
        return last
    return ""


def _evaluate_tutorial(case):
    if not torch_available():
        # Without the oracle there is nothing to compare with: the script must still run cleanly.
        ours = run_through_alias(case.path)
        if ours.returncode == 0:
            return Outcome("skip", "PyTorch is not installed: the tutorial ran cleanly through "
                                   "the alias, but there is nothing to compare its output with")
        return Outcome("fail", _with_stderr(observed_output(ours).splitlines()[-1], ours))
    ours, theirs = concurrent.futures.ThreadPoolExecutor(2).map(
        lambda runner: runner(case.path), (run_through_alias, run_under_torch))
    if theirs.returncode != 0:
        return Outcome("fail", "the tutorial fails under real PyTorch:\n" + theirs.stderr[-2000:])
    expected, actual = observed_output(theirs), observed_output(ours)
    difference = compare_numeric(expected, actual)
    if not difference:
        return Outcome("pass")
    return Outcome("fail", _with_stderr(difference, ours), _unexpected_error(expected, actual))


def _with_stderr(difference, run):
    if run.returncode != 0 and run.stderr:
        return difference + "\n--- stderr (tritongrad) ---\n" + run.stderr[-3000:]
    return difference


def failure_summary(outcome, limit=160):
    """One line saying how a case fails, for the status table."""
    if outcome.error:
        text = "raises " + outcome.error[len("EXCEPTION: "):] if outcome.error.startswith(
            "EXCEPTION: ") else outcome.error
    else:
        first = outcome.detail.split("\n--- stderr")[0].strip().splitlines()
        text = first[0] if first else outcome.status
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --------------------------------------------------------------------------- concurrency

_pool_lock = threading.Lock()
_pool = None
_futures = {}


def prefetch(cases):
    """Start running ``cases`` in the background (a few at a time); ``outcome()`` collects them."""
    global _pool
    with _pool_lock:
        if _pool is None:
            workers = int(os.environ.get("TG_CONFORMANCE_WORKERS", max(2, os.cpu_count() or 2)))
            _pool = concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="conformance")
        for case in cases:
            if case.name not in _futures:
                _futures[case.name] = _pool.submit(evaluate, case)


def outcome(case):
    prefetch([case])
    return _futures[case.name].result()
