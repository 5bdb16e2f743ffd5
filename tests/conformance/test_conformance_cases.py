"""Every seed example and tutorial script, run unchanged through ``python -m tritongrad run``.

Seed examples must print what PyTorch 2.13 printed (``seed_examples/*.expected``); tutorials must
print what the real PyTorch prints for the same script.  Expected failures come from the single
table in ``status.py`` (strict: a case that starts passing must be flipped there).
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the harness, under any import mode
import conformance_harness as harness  # noqa: E402


def _params(cases):
    params = []
    for case in cases:
        marks = []
        if case.skip_reason:
            marks.append(pytest.mark.skip(reason=case.skip_reason))
        elif case.xfail_reason:
            marks.append(pytest.mark.xfail(strict=True, reason=case.xfail_reason))
        params.append(pytest.param(case, marks=marks, id=case.name))
    return params


@pytest.fixture(scope="module", autouse=True)
def _run_selected_cases_concurrently(request):
    """Start every selected case at once; each test then waits only for its own result."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
                and not item.get_closest_marker("skip")]
    harness.prefetch(selected)


@pytest.mark.parametrize("case", _params(harness.seed_cases()))
def test_seed_example(case):
    outcome = harness.outcome(case)
    if outcome.status == "skip":
        pytest.skip(outcome.detail)
    assert outcome.ok, outcome.detail


@pytest.mark.parametrize("case", _params(harness.tutorial_cases()))
def test_tutorial_matches_pytorch(case):
    outcome = harness.outcome(case)
    if outcome.status == "skip":
        pytest.skip(outcome.detail)
    assert outcome.ok, outcome.detail
