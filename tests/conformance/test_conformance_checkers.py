"""The conformance harness's own judgement: checkers accept PyTorch's output and reject others."""
import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the harness, under any import mode
import conformance_harness as harness  # noqa: E402

SEEDS = harness.SEED_DIR


def _expected(name):
    return (SEEDS / (name + ".expected")).read_text(encoding="utf-8")


# ------------------------------------------------------------------ 010 profiler table

PROFILER = "010_s000_autograd_profiler"


def test_profiler_checker_accepts_pytorchs_table():
    text = _expected(PROFILER)
    assert harness.check_profiler_table(text, text) == ""


@pytest.mark.parametrize("corrupt, message", [
    (lambda t: t.replace("CPU time avg", "CPU avg"), "header columns"),
    (lambda t: t.replace("aten::addmm", "aten::mm").replace("aten::linear", "aten::lin"),
     "aten::linear / aten::addmm"),
    (lambda t: t.rstrip("\n") + "\n", "exactly one empty line"),
    (lambda t: t + "\n", "exactly one empty line"),
    (lambda t: t.replace("Self CPU time total: ", "Total: "), "Self CPU time total"),
    (lambda t: t.replace("1.283ms", "1.283"), "is not a time"),
    (lambda t: t.replace("62.46%", "62.46"), "is not a percentage"),
    (lambda t: "tensor([1.])\nEXCEPTION: RuntimeError: boom\n", "must not raise"),
    (lambda t: "\n".join(line for line in t.split("\n") if not set(line.strip()) <= {"-", " "}
                         or not line.strip()), "dashed rule lines"),
])
def test_profiler_checker_rejects(corrupt, message):
    text = _expected(PROFILER)
    assert message in harness.check_profiler_table(text, corrupt(text))


def test_profiler_checker_requires_a_single_call_of_the_linear_op():
    text = _expected(PROFILER)
    line = next(l for l in text.split("\n") if "aten::addmm" in l)
    other = next(l for l in text.split("\n") if l.strip().startswith("aten::linear"))
    changed = text.replace(line, line[:-3] + "2  ").replace(other, other[:-3] + "3  ")
    assert "aten::linear / aten::addmm" in harness.check_profiler_table(text, changed)


# ------------------------------------------------------------------ 026 memory address

GRAD_FN = "026_s003_grad_fn_detach"


def test_address_checker_ignores_the_address_only():
    text = _expected(GRAD_FN)
    moved = text.replace("0x7fef996511e0", "0x55d0c0ffee42")
    assert moved != text
    assert harness.check_address_normalised(text, moved) == ""
    assert "line 2" in harness.check_address_normalised(text, moved.replace("AddBackward0",
                                                                              "AddBackward1"))
    assert "line 3" in harness.check_address_normalised(text, text.replace("False", "True"))


# ------------------------------------------------------------------ 031 shuffled batches

SHUFFLE = "031_s004_dataset_dataloader"


def _batches(rows, labels):
    out = []
    for i in (0, 2):
        out.append("tensor([[%d, %d, %d],\n        [%d, %d, %d]]) tensor([%d, %d])\n"
                   % (*rows[i], *rows[i + 1], labels[i], labels[i + 1]))
    return "".join(out)


def test_shuffle_checker_accepts_any_order():
    text = _expected(SHUFFLE)
    assert harness.check_shuffled_batches(text, text) == ""
    rows = [(2, 3, 4), (4, 5, 6), (1, 2, 3), (3, 4, 5)]
    assert harness.check_shuffled_batches(text, _batches(rows, [1, 0, 1, 0])) == ""


def test_shuffle_checker_rejects_wrong_rows_or_labels():
    text = _expected(SHUFFLE)
    rows = [(2, 3, 4), (4, 5, 6), (1, 2, 3), (3, 4, 5)]
    assert "label" in harness.check_shuffled_batches(text, _batches(rows, [0, 0, 1, 1]))
    duplicated = [(2, 3, 4), (2, 3, 4), (1, 2, 3), (3, 4, 5)]
    assert "each once" in harness.check_shuffled_batches(text, _batches(duplicated, [1, 1, 1, 0]))
    assert "exactly 2 batches" in harness.check_shuffled_batches(text, text.split(")\n")[0])
    assert "exactly 2 batches" in harness.check_shuffled_batches(
        text, text.replace("tensor([0, 0])", "tensor([0, 0], dtype=torch.int32)"))


# ------------------------------------------------------------------ numeric comparison

def test_numeric_comparison_tolerances():
    assert harness.compare_numeric("loss 0.123456\n", "loss 0.123457\n") == ""
    assert harness.compare_numeric("x 1000.0\n", "x 1000.005\n") == ""
    assert harness.compare_numeric("tensor([0.1235])\n", "tensor([0.1236])\n") == ""
    assert "line 1" in harness.compare_numeric("tensor([0.1235])\n", "tensor([0.1238])\n")
    assert "line 1" in harness.compare_numeric("loss 0.123456\n", "loss 0.123556\n")
    assert "line 2" in harness.compare_numeric("a\nTrue\n", "a\nFalse\n")
    assert harness.compare_numeric("a\n", "a\nb\n") != ""
    assert harness.compare_numeric("tensor(1.5000e-08)\n", "tensor(1.5000e-08)\n") == ""
    assert "line 1" in harness.compare_numeric("tensor([1, 2])\n", "tensor([1, 3])\n")


# ------------------------------------------------------------------ exception lines

def test_exception_line_matches_what_record_expected_writes():
    code = ("class E(Exception): pass\n"
            "try:\n    raise KeyError('inner')\n"
            "except KeyError:\n    raise RuntimeError('first line\\nsecond line')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert harness.exception_line(proc.stderr) == "EXCEPTION: RuntimeError: first line"
    proc = subprocess.run([sys.executable, "-c", "import json; json.loads('{')"],
                          capture_output=True, text=True)
    assert harness.exception_line(proc.stderr).startswith("EXCEPTION: JSONDecodeError: ")
    proc = subprocess.run([sys.executable, "-c", "raise SystemError()"], capture_output=True,
                          text=True)
    assert harness.exception_line(proc.stderr) == "EXCEPTION: SystemError"


# ------------------------------------------------------------------ the copied examples

SHARED = Path("/work/shared/seed-examples")


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared seed-examples folder is not here")
def test_seed_examples_are_unchanged_copies():
    names = sorted(p.name for p in SHARED.iterdir() if p.name[:3].isdigit())
    assert names == sorted(p.name for p in SEEDS.iterdir() if p.name[:3].isdigit())
    match, mismatch, errors = filecmp.cmpfiles(SHARED, SEEDS, names, shallow=False)
    assert mismatch == [] and errors == []


def test_every_case_has_a_needs_entry_and_no_stale_status():
    names = {case.name for case in harness.all_cases()}
    assert set(harness.status.NEEDS) == names
    assert set(harness.status.XFAIL) <= names
    for case in harness.seed_cases():
        has_expected = case.path.with_suffix(".expected").exists()
        assert has_expected != bool(case.skip_reason), case.name
