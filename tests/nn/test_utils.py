"""nn.utils (gradient clipping, parameter/vector conversion) against the PyTorch oracle."""
import math

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn

torch = pytest.importorskip("torch")
nn = torch.nn


def params_with_grads(T, N, seed=0):
    gen = torch.Generator().manual_seed(seed)
    out = []
    for shape in [(3, 4), (5,), (2, 2, 2)]:
        data = torch.randn(shape, generator=gen)
        grad = torch.randn(shape, generator=gen) * 3
        p = N.Parameter(T.tensor(data.numpy().copy()) if T is tg else data.clone())
        p.grad = T.tensor(grad.numpy().copy()) if T is tg else grad.clone()
        out.append(p)
    return out


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
@pytest.mark.parametrize("foreach", [None, False, True])
def test_clip_grad_norm(norm_type, max_norm, foreach):
    nt = float(norm_type)
    pg, pt = params_with_grads(tg, tnn), params_with_grads(torch, nn)
    total_g = tnn.utils.clip_grad_norm_(pg, max_norm, nt, foreach=foreach)
    total_t = nn.utils.clip_grad_norm_(pt, max_norm, nt, foreach=foreach)
    assert str(total_g.dtype) == str(total_t.dtype) and total_g.shape == total_t.shape
    np.testing.assert_allclose(total_g.numpy(), total_t.numpy(), rtol=1e-6)
    for a, b in zip(pg, pt):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_clip_grad_norm_single_tensor_generator_and_no_grads():
    pg, pt = params_with_grads(tg, tnn), params_with_grads(torch, nn)
    np.testing.assert_allclose(tnn.utils.clip_grad_norm_(pg[0], 1.0).numpy(),
                               nn.utils.clip_grad_norm_(pt[0], 1.0).numpy(), rtol=1e-6)
    np.testing.assert_allclose(tnn.utils.clip_grad_norm_((p for p in pg), 1.0).numpy(),
                               nn.utils.clip_grad_norm_((p for p in pt), 1.0).numpy(), rtol=1e-6)
    empty = tnn.utils.clip_grad_norm_([tnn.Parameter(tg.ones(2))], 1.0)
    assert empty.item() == nn.utils.clip_grad_norm_([nn.Parameter(torch.ones(2))], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite():
    p = tnn.Parameter(tg.ones(3))
    p.grad = tg.tensor([float("inf"), 1.0, 1.0])
    q = nn.Parameter(torch.ones(3))
    q.grad = torch.tensor([float("inf"), 1.0, 1.0])
    with pytest.raises(RuntimeError) as eg:
        tnn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as et:
        nn.utils.clip_grad_norm_([q], 1.0, error_if_nonfinite=True)
    assert str(eg.value) == str(et.value)
    total_g = tnn.utils.clip_grad_norm_([p], 1.0)
    total_t = nn.utils.clip_grad_norm_([q], 1.0)
    assert math.isinf(total_g.item()) and math.isinf(total_t.item())
    np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())


def test_clip_grad_norm_deprecated_alias():
    with pytest.warns(FutureWarning, match="clip_grad_norm` is now deprecated"):
        tnn.utils.clip_grad_norm(params_with_grads(tg, tnn), 1.0)


@pytest.mark.parametrize("clip", [0.5, 2, 10.0])
def test_clip_grad_value(clip):
    pg, pt = params_with_grads(tg, tnn), params_with_grads(torch, nn)
    assert tnn.utils.clip_grad_value_(pg, clip) is None
    nn.utils.clip_grad_value_(pt, clip)
    for a, b in zip(pg, pt):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_get_total_norm_and_clip_with_norm():
    pg, pt = params_with_grads(tg, tnn), params_with_grads(torch, nn)
    ng = tnn.utils.get_total_norm([p.grad for p in pg], 2.0)
    nt = nn.utils.get_total_norm([p.grad for p in pt], 2.0)
    np.testing.assert_allclose(ng.numpy(), nt.numpy(), rtol=1e-6)
    tnn.utils.clip_grads_with_norm_(pg, 1.0, ng)
    nn.utils.clip_grads_with_norm_(pt, 1.0, nt)
    for a, b in zip(pg, pt):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)


def test_parameters_to_vector_and_back():
    lin_g = tnn.Linear(3, 2)
    vec = tnn.utils.parameters_to_vector(lin_g.parameters())
    assert vec.shape == (8,)
    np.testing.assert_array_equal(vec.detach().numpy()[:6], lin_g.weight.detach().numpy().reshape(-1))
    new = tg.arange(8.0)
    w = lin_g.weight
    tnn.utils.vector_to_parameters(new, lin_g.parameters())
    assert lin_g.weight is w
    assert lin_g.weight.detach().numpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    assert lin_g.bias.detach().numpy().tolist() == [6, 7]
    lin_t = nn.Linear(3, 2)
    nn.utils.vector_to_parameters(torch.arange(8.0), lin_t.parameters())
    assert lin_t.weight.tolist() == lin_g.weight.tolist()
    with pytest.raises(TypeError) as eg:
        tnn.utils.vector_to_parameters([1], lin_g.parameters())
    with pytest.raises(TypeError) as et:
        nn.utils.vector_to_parameters([1], lin_t.parameters())
    assert str(eg.value) == str(et.value)


def test_parameters_to_vector_grad_flows():
    lin = tnn.Linear(2, 2)
    vec = tnn.utils.parameters_to_vector(lin.parameters())
    (vec * vec).sum().backward()
    np.testing.assert_allclose(lin.weight.grad.numpy(), 2 * lin.weight.detach().numpy())


def test_modules_utils_tuple_helpers():
    from tritongrad.nn.modules import utils as U
    from torch.nn.modules import utils as TU
    for name in ("_single", "_pair", "_triple", "_quadruple"):
        for v in (3, [1, 2], (4, 5, 6)):
            assert getattr(U, name)(v) == getattr(TU, name)(v)
    assert U._reverse_repeat_tuple((1, 2, 3), 2) == TU._reverse_repeat_tuple((1, 2, 3), 2)
    assert U._list_with_default([None, 3], (2, 5, 6)) == TU._list_with_default([None, 3], (2, 5, 6))
    assert U._list_with_default(7, (2, 5)) == TU._list_with_default(7, (2, 5))
    from tritongrad.nn.common_types import _size_2_t  # noqa: F401
