"""torch.nn.utils.prune against PyTorch: masks (including the random ones, which must draw the same
numbers), parameters/buffers/state_dict layout, iterative pruning through a PruningContainer, global
pruning, custom methods, removal, gradients and error messages.  Found missing by tests/tutorials."""
import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn.utils.prune  # noqa: F401  (not bound by `import torch` in PyTorch either)

torch = pytest.importorskip("torch")
import torch.nn.utils.prune  # noqa: E402,F401


def _model(lib):
    lib.manual_seed(0)
    return lib.nn.Sequential(lib.nn.Conv2d(1, 4, 3), lib.nn.Flatten(), lib.nn.Linear(4 * 4 * 4, 5))


STEPS = {
    "random_unstructured": lambda lib, m: lib.nn.utils.prune.random_unstructured(m[0], "weight", amount=0.3),
    "l1_unstructured_count": lambda lib, m: lib.nn.utils.prune.l1_unstructured(m[2], "bias", amount=2),
    "l1_importance": lambda lib, m: lib.nn.utils.prune.l1_unstructured(
        m[2], "weight", amount=0.5, importance_scores=lib.arange(320.).view(5, 64).flip(1)),
    "ln_structured": lambda lib, m: lib.nn.utils.prune.ln_structured(m[0], "weight", amount=0.5, n=2, dim=0),
    "ln_structured_inf": lambda lib, m: lib.nn.utils.prune.ln_structured(m[2], "weight", amount=1, n=float("inf"),
                                                                         dim=-1),
    "random_structured": lambda lib, m: lib.nn.utils.prune.random_structured(m[0], "weight", amount=2, dim=1 - 1),
    "identity": lambda lib, m: lib.nn.utils.prune.identity(m[0], "bias"),
    "custom_from_mask": lambda lib, m: lib.nn.utils.prune.custom_from_mask(
        m[0], "bias", mask=lib.tensor([1, 0, 1, 0])),
    "global": lambda lib, m: lib.nn.utils.prune.global_unstructured(
        [(m[0], "weight"), (m[2], "weight")], pruning_method=lib.nn.utils.prune.L1Unstructured, amount=0.4),
    "global_random": lambda lib, m: lib.nn.utils.prune.global_unstructured(
        ((m[0], "weight"), (m[2], "bias")), pruning_method=lib.nn.utils.prune.RandomUnstructured, amount=5),
}

SEQUENCES = [
    ["random_unstructured"], ["l1_unstructured_count"], ["l1_importance"], ["ln_structured"],
    ["ln_structured_inf"], ["random_structured"], ["identity"], ["custom_from_mask"], ["global"], ["global_random"],
    ["random_unstructured", "ln_structured", "l1_unstructured_count"],
    ["ln_structured", "random_unstructured", "random_structured"],
    ["global", "global", "ln_structured"],
    ["custom_from_mask", "identity"],
]


def _snapshot(lib, steps):
    model = _model(lib)
    for step in steps:
        STEPS[step](lib, model)
    x = lib.randn(2, 1, 6, 6)
    out = model(x)
    out.pow(2).sum().backward()
    record = {"out": out.detach().numpy().copy(), "state_dict": list(model.state_dict().keys()),
              "params": [n for n, _ in model.named_parameters()],
              "hooks": [[type(h).__name__ for h in m._forward_pre_hooks.values()] for m in model],
              "is_pruned": lib.nn.utils.prune.is_pruned(model)}
    for key, value in model.state_dict().items():
        record["sd " + key] = value.numpy().copy()
    for name, p in model.named_parameters():
        record["grad " + name] = p.grad.numpy().copy()
    return record, model


def _assert_same(ours, theirs):
    assert ours.keys() == theirs.keys()
    for key in ours:
        if isinstance(ours[key], np.ndarray):
            np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-5, atol=1e-7, err_msg=key)
        else:
            assert ours[key] == theirs[key], key


@pytest.mark.parametrize("steps", SEQUENCES, ids=["+".join(s) for s in SEQUENCES])
def test_pruning_matches_pytorch(steps):
    _assert_same(_snapshot(tg, steps)[0], _snapshot(torch, steps)[0])


@pytest.mark.parametrize("steps", [["random_unstructured"], ["ln_structured", "random_unstructured"]])
def test_remove_makes_pruning_permanent(steps):
    results = []
    for lib in (tg, torch):
        _, model = _snapshot(lib, steps)
        lib.nn.utils.prune.remove(model[0], "weight")
        results.append(([n for n, _ in model.named_parameters()], list(model.state_dict()),
                        model[0].weight.detach().numpy().copy(), type(model[0].weight).__name__,
                        len(model[0]._forward_pre_hooks), lib.nn.utils.prune.is_pruned(model)))
    ours, theirs = results
    np.testing.assert_array_equal(ours[2], theirs[2])
    assert ours[:2] + ours[3:] == theirs[:2] + theirs[3:]


def test_custom_method_like_the_tutorial():
    masks = []
    for lib in (tg, torch):
        class EveryOther(lib.nn.utils.prune.BasePruningMethod):
            PRUNING_TYPE = "unstructured"

            def compute_mask(self, t, default_mask):
                mask = default_mask.clone()
                mask.view(-1)[::2] = 0
                return mask

        layer = lib.nn.Linear(3, 5)
        EveryOther.apply(layer, "bias")
        EveryOther.apply(layer, "bias")
        masks.append((layer.bias_mask.numpy().copy(), [type(h).__name__ for h in layer._forward_pre_hooks.values()],
                      len(next(iter(layer._forward_pre_hooks.values())))))
    np.testing.assert_array_equal(masks[0][0], masks[1][0])
    assert masks[0][1:] == masks[1][1:]


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.utils.prune.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=1.5),
    lambda lib: lib.nn.utils.prune.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount=-1),
    lambda lib: lib.nn.utils.prune.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount="x"),
    lambda lib: lib.nn.utils.prune.random_unstructured(lib.nn.Linear(2, 2), "weight", amount=5),
    lambda lib: lib.nn.utils.prune.ln_structured(lib.nn.Linear(2, 2), "bias", amount=1, n=1, dim=0),
    lambda lib: lib.nn.utils.prune.ln_structured(lib.nn.Linear(2, 2), "weight", amount=1, n=1, dim=2),
    lambda lib: lib.nn.utils.prune.global_unstructured([(lib.nn.Linear(2, 2), "weight")],
                                                       lib.nn.utils.prune.LnStructured, amount=1, n=1),
])
def test_errors_match(call):
    caught = []
    for lib in (tg, torch):
        with pytest.raises(Exception) as info:
            call(lib)
        caught.append((type(info.value).__name__, str(info.value).replace("torch.nn.utils.prune", "").replace(
            "tritongrad.nn.utils.prune", "")))
    assert caught[0] == caught[1]


def test_remove_unpruned_parameter_raises():
    messages = []
    for lib in (tg, torch):
        with pytest.raises(ValueError) as info:
            lib.nn.utils.prune.remove(lib.nn.Linear(2, 2), "weight")
        messages.append(str(info.value).split(" of module")[0])
    assert messages[0] == messages[1]
