"""Tutorial-style PyTorch scripts (``scripts/NN_*.py``) run unchanged under PyTorch and through
``python -m tritongrad run``; their printed output must agree line by line (numbers within 1e-5
relative, or one unit of the last printed digit).

Every script runs once per session, both ways, in parallel: through the alias each in its own
subprocess, under PyTorch in children forked from one process that imported torch once
(``torch_forkserver.py``); each test then judges one script.  ``bug_*`` scripts isolate one known
tritongrad gap each and are strict expected failures, so they turn into errors as soon as the fix
lands (then rename them ``fixed_*`` and drop their XFAIL entry: they stay as regression tests).
"""
import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("_tutorial_compare", Path(__file__).with_name("compare.py"))
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)

XFAIL = {
    "bug_jit_script": "core: torch.jit (trace / script) is missing",
}

NAMES = compare.script_names()


@pytest.fixture(scope="module")
def outputs():
    if not compare.torch_available():
        pytest.skip("the PyTorch oracle is not installed")
    return compare.run_both(NAMES)


def test_xfail_entries_name_existing_scripts():
    assert sorted(set(XFAIL) - set(NAMES)) == []


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=XFAIL[name], strict=True)) if name in XFAIL else name
    for name in NAMES])
def test_tutorial_script(outputs, name):
    torch_run, tritongrad_run = outputs[name]
    assert torch_run.returncode == 0, "the script fails under PyTorch itself:\n" + torch_run.stderr[-2000:]
    difference = compare.first_difference(torch_run.observed(), tritongrad_run.observed())
    assert not difference, difference + "\n--- tritongrad stderr tail:\n" + tritongrad_run.stderr[-2000:]


@pytest.mark.parametrize("expected, actual, agrees", [
    ("tensor([1.0000, 2.5000])", "tensor([1.0000, 2.5000])", True),
    ("loss 0.123456", "loss 0.123457", True),            # one unit of the last printed digit
    ("loss 0.123456", "loss 0.123459", False),
    ("tensor(1.0000e-08)", "tensor(1.0001e-08)", True),
    ("tensor(1.0000e-08)", "tensor(1.0000e-07)", False),
    ("tensor([1., 2.])", "tensor([1, 2])", False),        # dtype shows in the text
    ("<Fn object at 0x7f00aa>", "<Fn object at 0x5555bb>", True),
    ("a\nb", "a", False),
    ("nan", "nan", True),
    ("nan", "0.0", False),
    ("tensor([[ 1.6339e+00, -3.5882e-04],", "tensor([[ 1.6339e+00, -3.5885e-04],", True),  # noise at row scale
    ("tensor([[ 1.6339e-03, -3.5882e-04],", "tensor([[ 1.6339e-03, -3.5885e-04],", False),
])
def test_comparison_rules(expected, actual, agrees):
    assert (compare.first_difference(expected, actual) == "") is agrees
