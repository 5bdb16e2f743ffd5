"""torch.nn.utils.parametrize and parametrizations.weight_norm against PyTorch: class injection and
printing, parameter/state_dict names, values and gradients through chained parametrizations,
right_inverse, caching, removal, old weight_norm checkpoints and error messages.  Found missing by
tests/tutorials."""
import copy

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn.utils.parametrize  # noqa: F401
import tritongrad.nn.utils.parametrizations  # noqa: F401

torch = pytest.importorskip("torch")
import torch.nn.utils.parametrize  # noqa: E402,F401
import torch.nn.utils.parametrizations  # noqa: E402,F401


def _classes(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, X):
            return X.triu() + X.triu(1).transpose(-1, -2)

    class Double(lib.nn.Module):
        def forward(self, X):
            return X * 2

        def right_inverse(self, A):
            return A / 2

    class SplitSum(lib.nn.Module):
        def forward(self, a, b):
            return a + b

        def right_inverse(self, A):
            return A * 0.25, A * 0.75

    return Symmetric, Double, SplitSum


def _scenario(lib, kind):
    P = lib.nn.utils.parametrize
    Symmetric, Double, SplitSum = _classes(lib)
    lib.manual_seed(0)
    layer = lib.nn.Linear(3, 3)
    if kind == "symmetric":
        P.register_parametrization(layer, "weight", Symmetric())
    elif kind == "chain":
        P.register_parametrization(layer, "weight", Symmetric())
        P.register_parametrization(layer, "weight", Double())
    elif kind == "right_inverse":
        P.register_parametrization(layer, "weight", Double())
        layer.weight = lib.eye(3) * 3
    elif kind == "sequence":
        P.register_parametrization(layer, "weight", SplitSum())
    elif kind == "bias_buffer":
        layer.register_buffer("scale", lib.arange(3.))
        P.register_parametrization(layer, "scale", Double())
        P.register_parametrization(layer, "bias", lib.nn.Tanh())
    elif kind == "weight_norm":
        lib.nn.utils.parametrizations.weight_norm(layer, dim=1)
    out = layer(lib.ones(2, 3))
    out.pow(2).sum().backward()
    record = {"repr": repr(layer), "class": type(layer).__name__,
              "params": [n for n, _ in layer.named_parameters()], "state_dict": list(layer.state_dict()),
              "out": out.detach().numpy().copy(), "weight": layer.weight.detach().numpy().copy(),
              "weight_fn": type(layer.weight.grad_fn).__name__ if layer.weight.grad_fn else None}
    for name, p in layer.named_parameters():
        record["grad " + name] = p.grad.numpy().copy()
    return record, layer


KINDS = ["symmetric", "chain", "right_inverse", "sequence", "bias_buffer", "weight_norm"]


@pytest.mark.parametrize("kind", KINDS)
def test_parametrized_module_matches_pytorch(kind):
    ours, _ = _scenario(tg, kind)
    theirs, _ = _scenario(torch, kind)
    assert ours.keys() == theirs.keys()
    for key in ours:
        if isinstance(ours[key], np.ndarray):
            np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-7, err_msg=key)
        else:
            assert ours[key] == theirs[key], key


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("leave", [True, False])
def test_remove_parametrizations(kind, leave):
    results = []
    for lib in (tg, torch):
        _, layer = _scenario(lib, kind)
        name = "scale" if kind == "bias_buffer" else "weight"
        try:
            lib.nn.utils.parametrize.remove_parametrizations(layer, name, leave_parametrized=leave)
            outcome = (repr(layer), type(layer).__name__, list(layer.state_dict()),
                       getattr(layer, name).detach().numpy().round(6).tolist(),
                       lib.nn.utils.parametrize.is_parametrized(layer))
        except ValueError as error:
            outcome = ("ValueError", str(error))
        results.append(outcome)
    assert results[0] == results[1]


def test_caching_deepcopy_and_old_checkpoints():
    results = []
    for lib in (tg, torch):
        P = lib.nn.utils.parametrize
        _, layer = _scenario(lib, "chain")
        with P.cached():
            cached_same = layer.weight is layer.weight
        copied = copy.deepcopy(layer)
        lib.manual_seed(1)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            old = lib.nn.utils.weight_norm(lib.nn.Linear(3, 2))
        new = lib.nn.utils.parametrizations.weight_norm(lib.nn.Linear(3, 2))
        new.load_state_dict(old.state_dict())
        results.append((cached_same, layer.weight is layer.weight, type(copied).__name__,
                        copied.weight.detach().numpy().tolist(), new.weight.detach().numpy().round(6).tolist(),
                        P.type_before_parametrizations(new).__name__))
    assert results[0] == results[1]


@pytest.mark.parametrize("call", [
    lambda lib, S: lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "nope", S()),
    lambda lib, S: lib.nn.utils.parametrize.remove_parametrizations(lib.nn.Linear(2, 2), "weight"),
    lambda lib, S: setattr(lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 2), "weight", S()),
                           "weight", lib.eye(2)),
    lambda lib, S: lib.nn.utils.parametrize.register_parametrization(lib.nn.Linear(2, 3), "weight",
                                                                     lib.nn.Flatten(0)),
])
def test_errors_match(call):
    caught = []
    for lib in (tg, torch):
        Symmetric = _classes(lib)[0]
        with pytest.raises(Exception) as info:
            call(lib, Symmetric)
        caught.append((type(info.value).__name__, str(info.value)))
    assert caught[0] == caught[1]
