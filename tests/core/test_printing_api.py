"""Printing through the public API: autograd suffixes, Parameter, torch-level print options."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_print_state():
    torch.set_printoptions(profile="default", sci_mode=None)
    tg.set_printoptions(profile="default", sci_mode=None)
    yield
    torch.set_printoptions(profile="default", sci_mode=None)
    tg.set_printoptions(profile="default", sci_mode=None)


@pytest.mark.parametrize("build", [
    lambda m, x: x * 2,
    lambda m, x: x + 1,
    lambda m, x: x.sum(),
    lambda m, x: x.mean(),
    lambda m, x: x[0],
    lambda m, x: x.view(3, 1),
    lambda m, x: x.unsqueeze(0).expand(2, 3) - 0.5,
    lambda m, x: x.exp(),
    lambda m, x: m.matmul(x, x),
    lambda m, x: x.detach(),
    lambda m, x: x,
], ids=["mul", "add", "sum", "mean", "select", "view", "expand_sub", "exp", "matmul", "detach", "leaf"])
def test_autograd_suffixes(build):
    theirs = build(torch, torch.tensor([1.0, 2.5, -3.0], requires_grad=True))
    ours = build(tg, tg.tensor([1.0, 2.5, -3.0], requires_grad=True))
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


def test_no_suffix_under_no_grad():
    x_theirs = torch.ones(2, requires_grad=True)
    x_ours = tg.ones(2, requires_grad=True)
    with torch.no_grad():
        theirs = x_theirs * 2
    with tg.no_grad():
        ours = x_ours * 2
    assert repr(ours) == repr(theirs)


def test_suffix_wraps_with_grad_fn():
    tg.set_printoptions(linewidth=40)
    torch.set_printoptions(linewidth=40)
    data = np.linspace(-2, 2, 24).reshape(4, 6)
    theirs = torch.tensor(data, requires_grad=True) * 3
    ours = tg.tensor(data, requires_grad=True) * 3
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("requires_grad", [True, False])
def test_parameter_repr(requires_grad):
    theirs = torch.nn.Parameter(torch.tensor([[1.0, -2.0], [0.5, 4.0]]), requires_grad=requires_grad)
    ours = tg.nn.Parameter(tg.tensor([[1.0, -2.0], [0.5, 4.0]]), requires_grad=requires_grad)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("make", [
    lambda m: m.tensor([1, 2, 3]),
    lambda m: m.tensor(3.5),
    lambda m: m.tensor([[True, False]]),
    lambda m: m.arange(10).reshape(2, 5),
    lambda m: m.arange(3000, dtype=m.float64).reshape(30, 100) / 7,
    lambda m: m.zeros(2, 0),
    lambda m: m.tensor([], dtype=m.int32),
    lambda m: m.ones(3, dtype=m.float16) / 3,
    lambda m: m.tensor([1 + 2j, 3 - 4j]),
], ids=["ints", "scalar", "bool", "arange", "large", "empty", "empty_int32", "half", "complex"])
def test_public_constructors(make):
    assert repr(make(tg)) == repr(make(torch))


def test_set_printoptions_is_exported():
    assert tg.set_printoptions is tg._tensor_str.set_printoptions
    tg.set_printoptions(precision=2, sci_mode=True)
    torch.set_printoptions(precision=2, sci_mode=True)
    assert repr(tg.tensor([1.0, 2.0, 3.25])) == repr(torch.tensor([1.0, 2.0, 3.25]))
