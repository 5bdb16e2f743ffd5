"""nn.init against the PyTorch oracle: calculate_gain values, bit-identical draws under the same seed (same calls,
same order), distribution statistics, and errors."""
import math

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.nn as tnn

torch = pytest.importorskip("torch")
nn = torch.nn


@pytest.mark.parametrize("name,param", [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
                                        ("conv_transpose1d", None), ("conv_transpose2d", None),
                                        ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
                                        ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
                                        ("leaky_relu", 3), ("selu", None)])
def test_calculate_gain(name, param):
    got = tnn.init.calculate_gain(name, param)
    want = nn.init.calculate_gain(name, param)
    assert got == want and type(got) is type(want)


@pytest.mark.parametrize("args", [("foo",), ("leaky_relu", "x"), ("leaky_relu", True)])
def test_calculate_gain_errors(args):
    with pytest.raises(ValueError) as et:
        nn.init.calculate_gain(*args)
    with pytest.raises(ValueError) as eg:
        tnn.init.calculate_gain(*args)
    assert str(eg.value) == str(et.value)


SEEDED = [
    ("uniform_", (), {}), ("uniform_", (-2.0, 3.0), {}), ("normal_", (), {}), ("normal_", (1.0, 0.5), {}),
    ("xavier_uniform_", (), {}), ("xavier_uniform_", (), {"gain": 2.0}), ("xavier_normal_", (), {}),
    ("kaiming_uniform_", (), {}), ("kaiming_uniform_", (), {"a": math.sqrt(5)}),
    ("kaiming_uniform_", (), {"mode": "fan_out", "nonlinearity": "relu"}), ("kaiming_normal_", (), {}),
    ("kaiming_normal_", (), {"mode": "fan_out", "nonlinearity": "tanh"}), ("constant_", (0.3,), {}),
    ("ones_", (), {}), ("zeros_", (), {}),
]


@pytest.mark.parametrize("shape", [(5, 7), (4, 3, 3, 2)])
@pytest.mark.parametrize("name,args,kwargs", SEEDED, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(SEEDED)])
def test_seeded_init_is_bit_identical(name, args, kwargs, shape):
    torch.manual_seed(123)
    t = torch.empty(shape)
    getattr(nn.init, name)(t, *args, **kwargs)
    tg.manual_seed(123)
    g = tg.empty(shape)
    out = getattr(tnn.init, name)(g, *args, **kwargs)
    assert out is g
    np.testing.assert_array_equal(g.numpy(), t.numpy())


def test_init_on_parameter_keeps_leaf_and_no_graph():
    p = tnn.Parameter(tg.empty(3, 4))
    tnn.init.kaiming_uniform_(p, a=math.sqrt(5))
    assert p.is_leaf and p.requires_grad and p.grad_fn is None


def test_trunc_normal_statistics_and_bounds():
    tg.manual_seed(0)
    t = tnn.init.trunc_normal_(tg.empty(20000), mean=0.5, std=1.0, a=-1.0, b=2.0)
    a = t.numpy()
    assert a.min() >= -1.0 and a.max() <= 2.0
    # mean of N(0.5, 1) truncated to [-1, 2] is 0.5 (symmetric interval)
    assert abs(a.mean() - 0.5) < 0.03
    ref = torch.empty(20000)
    nn.init.trunc_normal_(ref, mean=0.5, std=1.0, a=-1.0, b=2.0)
    assert abs(a.std() - ref.std().item()) < 0.03


@pytest.mark.parametrize("kwargs", [{"std": 0.02}, {}, {"mean": 0.0, "std": 1.0, "a": 1.5, "b": 3.0},
                                    {"mean": 1.0, "std": 2.0, "a": 0.5, "b": 0.9}])
def test_trunc_normal_matches_oracle_under_seed(kwargs):
    torch.manual_seed(5)
    ref = nn.init.trunc_normal_(torch.empty(200), **kwargs)
    tg.manual_seed(5)
    got = tnn.init.trunc_normal_(tg.empty(200), **kwargs)
    np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("shape", [(6, 4), (3, 8), (4, 2, 3)])
def test_orthogonal(shape):
    torch.manual_seed(3)
    ref = nn.init.orthogonal_(torch.empty(shape), gain=1.5)
    tg.manual_seed(3)
    got = tnn.init.orthogonal_(tg.empty(shape), gain=1.5)
    np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-4, atol=1e-5)
    flat = got.numpy().reshape(shape[0], -1)
    gram = flat @ flat.T if shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]) * 2.25, atol=1e-4)


def test_eye_and_dirac():
    for shape in [(3, 5), (4, 2)]:
        np.testing.assert_array_equal(tnn.init.eye_(tg.empty(shape)).numpy(), nn.init.eye_(torch.empty(shape)).numpy())
    for shape, groups in [((4, 2, 3), 1), ((4, 4, 3, 3), 2), ((2, 3, 3, 3, 3), 1)]:
        np.testing.assert_array_equal(tnn.init.dirac_(tg.empty(shape), groups).numpy(),
                                      nn.init.dirac_(torch.empty(shape), groups).numpy())


def test_sparse_zero_count_per_column():
    tg.manual_seed(0)
    t = tnn.init.sparse_(tg.empty(10, 6), 0.3, std=0.5)
    zeros_per_col = (t.numpy() == 0).sum(axis=0)
    assert (zeros_per_col >= math.ceil(0.3 * 10)).all()


def test_distribution_statistics():
    tg.manual_seed(1)
    w = tnn.init.kaiming_normal_(tg.empty(400, 300), nonlinearity="relu").numpy()
    assert abs(w.std() - math.sqrt(2.0 / 300)) < 0.003
    w = tnn.init.xavier_uniform_(tg.empty(400, 300)).numpy()
    bound = math.sqrt(6.0 / 700)
    assert w.min() >= -bound and w.max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.002


@pytest.mark.parametrize("call", [
    lambda I, T: I.xavier_uniform_(T.zeros(3)),
    lambda I, T: I.kaiming_uniform_(T.zeros(2, 3), mode="x"),
    lambda I, T: I.eye_(T.zeros(3)),
    lambda I, T: I.dirac_(T.zeros(3, 3)),
    lambda I, T: I.dirac_(T.zeros(3, 3, 3), groups=2),
    lambda I, T: I.orthogonal_(T.zeros(3)),
    lambda I, T: I.sparse_(T.zeros(3, 3, 3), 0.1),
])
def test_init_errors(call):
    with pytest.raises(ValueError) as et:
        call(nn.init, torch)
    with pytest.raises(ValueError) as eg:
        call(tnn.init, tg)
    assert str(eg.value) == str(et.value)


def test_zero_element_warning_and_fan():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        tnn.init.kaiming_uniform_(tg.empty(0, 3))
    for shape in [(3, 4), (5, 2, 3, 3)]:
        assert tnn.init._calculate_fan_in_and_fan_out(tg.empty(shape)) == \
            nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def test_deprecated_aliases_warn():
    with pytest.warns(FutureWarning, match=r"`nn.init.uniform` is now deprecated in favor of `nn.init.uniform_`."):
        tnn.init.uniform(tg.empty(2))
