"""nn.utils.weight_norm / spectral_norm (the hook-based API GAN and TCN code uses) against PyTorch:
parameters and buffers created, weights, gradients, power-iteration state in train and eval mode,
removal, state_dict keys/metadata and errors.  Found missing by tests/tutorials."""
import warnings

import numpy as np
import pytest

import tritongrad as tg

torch = pytest.importorskip("torch")


def _run(lib, make, apply, steps=2, train=True):
    lib.manual_seed(0)
    module = make(lib)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        apply(lib, module)
    module.train(train)
    x = lib.randn(3, *_input_shape(module))
    record = {"params": [n for n, _ in module.named_parameters()], "buffers": [n for n, _ in module.named_buffers()],
              "state_dict": list(module.state_dict().keys())}
    for step in range(steps):
        out = module(x)
        (out * out).sum().backward()
        record[f"out{step}"] = out.detach().numpy().copy()
    for name, p in module.named_parameters():
        record["grad " + name] = p.grad.numpy().copy()
    for name, b in module.named_buffers():
        record["buffer " + name] = b.numpy().copy()
    record["weight grad_fn"] = type(module.weight.grad_fn).__name__ if module.weight.grad_fn else None
    return record, module


def _input_shape(module):
    return (module.in_features,) if hasattr(module, "in_features") else (module.in_channels, 6)


MAKERS = {
    "linear": lambda lib: lib.nn.Linear(4, 3),
    "conv1d": lambda lib: lib.nn.Conv1d(2, 5, 3),
    "convtranspose1d": lambda lib: lib.nn.ConvTranspose1d(2, 3, 3),
}
APPLIERS = {
    "weight_norm": lambda lib, m: lib.nn.utils.weight_norm(m),
    "weight_norm_dim1": lambda lib, m: lib.nn.utils.weight_norm(m, dim=1),
    "weight_norm_none": lambda lib, m: lib.nn.utils.weight_norm(m, dim=None),
    "spectral_norm": lambda lib, m: lib.nn.utils.spectral_norm(m),
    "spectral_norm_3iter": lambda lib, m: lib.nn.utils.spectral_norm(m, n_power_iterations=3),
}


def _assert_same(ours, theirs):
    assert ours.keys() == theirs.keys()
    for key in ours:
        if isinstance(ours[key], np.ndarray):
            np.testing.assert_allclose(ours[key], theirs[key], rtol=2e-5, atol=1e-6, err_msg=key)
        else:
            assert ours[key] == theirs[key], key


@pytest.mark.parametrize("make", sorted(MAKERS))
@pytest.mark.parametrize("apply", sorted(APPLIERS))
@pytest.mark.parametrize("train", [True, False])
def test_matches_pytorch(make, apply, train):
    ours, _ = _run(tg, MAKERS[make], APPLIERS[apply], train=train)
    theirs, _ = _run(torch, MAKERS[make], APPLIERS[apply], train=train)
    _assert_same(ours, theirs)


@pytest.mark.parametrize("kind", ["weight_norm", "spectral_norm"])
def test_remove_restores_a_plain_parameter(kind):
    results = []
    for lib in (tg, torch):
        lib.manual_seed(1)
        module = lib.nn.Linear(3, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            getattr(lib.nn.utils, kind)(module)
        module(lib.ones(1, 3))
        getattr(lib.nn.utils, "remove_" + kind)(module)
        results.append(([n for n, _ in module.named_parameters()], list(module.state_dict()),
                        module.weight.detach().numpy().copy(), type(module.weight).__name__,
                        len(module._forward_pre_hooks)))
    ours, theirs = results
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)
    assert (ours[:2], ours[3:]) == (theirs[:2], theirs[3:])


def test_weight_norm_warns_and_errors_like_pytorch():
    for lib in (tg, torch):
        with pytest.warns(FutureWarning, match="torch.nn.utils.weight_norm` is deprecated"):
            module = lib.nn.utils.weight_norm(lib.nn.Linear(2, 2))
    messages = []
    for lib in (tg, torch):
        module = lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2))
        caught = []
        for call in (lambda: lib.nn.utils.spectral_norm(module),
                     lambda: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2), n_power_iterations=0),
                     lambda: lib.nn.utils.remove_spectral_norm(lib.nn.Linear(2, 2)),
                     lambda: lib.nn.utils.remove_weight_norm(lib.nn.Linear(2, 2))):
            with pytest.raises(Exception) as info:
                call()
            caught.append((type(info.value).__name__, str(info.value).split(" in ")[0]))
        messages.append(caught)
    assert messages[0] == messages[1]


def test_spectral_norm_state_dict_metadata():
    metadata = []
    for lib in (tg, torch):
        module = lib.nn.Sequential(lib.nn.utils.spectral_norm(lib.nn.Linear(2, 2)))
        metadata.append(dict(module.state_dict()._metadata["0"]))
    assert metadata[0] == metadata[1]


@pytest.mark.parametrize("dim", [0, 2])
def test_fused_weight_norm_node_passes_gradcheck_and_gradgradcheck(dim):
    from tritongrad.nn.utils.weight_norm import _norm_except_dim, _weight_norm
    tg.manual_seed(2)
    v = tg.randn(3, 2, 4, dtype=tg.float64, requires_grad=True)
    g = (_norm_except_dim(v, dim) * 1.5).detach().requires_grad_()
    assert tg.autograd.gradcheck(lambda a, b: _weight_norm(a, b, dim), (v, g))
    assert tg.autograd.gradgradcheck(lambda a, b: _weight_norm(a, b, dim), (v, g))
