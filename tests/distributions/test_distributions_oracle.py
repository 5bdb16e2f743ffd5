"""tritongrad.distributions against the torch oracle: seeded samples, densities, moments, gradients, KL, errors."""
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.distributions as td  # noqa: E402

import tritongrad as tg  # noqa: E402
import tritongrad.distributions as tgd  # noqa: E402


def _np(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def assert_same(ours, theirs, rtol=1e-5, atol=1e-6, exact=False):
    a, b = _np(ours), _np(theirs)
    assert tuple(a.shape) == tuple(b.shape)
    assert str(a.dtype) == str(b.dtype)
    if exact:
        np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


rng = np.random.default_rng(0)
LOC = rng.standard_normal((2, 3)).astype(np.float32)
SCALE = (rng.random((2, 3)) + 0.5).astype(np.float32)
PROBS = (rng.random((2, 3)) * 0.8 + 0.1).astype(np.float32)
LOGITS = rng.standard_normal((2, 4)).astype(np.float32)
A = rng.standard_normal((3, 3))
COV = (A @ A.T + 3 * np.eye(3)).astype(np.float32)
MVN_LOC = rng.standard_normal((2, 3)).astype(np.float32)


def pair(arr, grad=True):
    return tg.tensor(arr, requires_grad=grad), torch.tensor(arr, requires_grad=grad)


# name -> (param arrays, builder(lib, *params)); the same builder runs on both libraries
CASES = {
    "normal": ((LOC, SCALE), lambda d, l, s: d.Normal(l, s)),
    "normal_scalar": ((), lambda d: d.Normal(0.5, 2.0)),
    "bernoulli_probs": ((PROBS,), lambda d, p: d.Bernoulli(probs=p)),
    "bernoulli_logits": ((LOGITS,), lambda d, l: d.Bernoulli(logits=l)),
    "categorical_probs": ((PROBS,), lambda d, p: d.Categorical(probs=p)),
    "categorical_logits": ((LOGITS,), lambda d, l: d.Categorical(logits=l)),
    "onehot": ((LOGITS,), lambda d, l: d.OneHotCategorical(logits=l)),
    "uniform": ((LOC, LOC + SCALE), lambda d, lo, hi: d.Uniform(lo, hi)),
    "exponential": ((SCALE,), lambda d, r: d.Exponential(r)),
    "laplace": ((LOC, SCALE), lambda d, l, s: d.Laplace(l, s)),
    "mvn_cov": ((MVN_LOC, COV), lambda d, l, c: d.MultivariateNormal(l, covariance_matrix=c)),
    "mvn_tril": ((MVN_LOC, np.linalg.cholesky(COV).astype(np.float32)),
                 lambda d, l, L: d.MultivariateNormal(l, scale_tril=L)),
    "mvn_prec": ((MVN_LOC, np.linalg.inv(COV).astype(np.float32)),
                 lambda d, l, P: d.MultivariateNormal(l, precision_matrix=P)),
    "mvn_batched_cov": ((MVN_LOC[0], np.stack([COV, COV + np.eye(3, dtype=np.float32)])),
                        lambda d, l, c: d.MultivariateNormal(l, covariance_matrix=c)),
    "independent": ((LOC, SCALE), lambda d, l, s: d.Independent(d.Normal(l, s), 1)),
    "geometric": ((PROBS,), lambda d, p: d.Geometric(probs=p)),
    "geometric_logits": ((LOGITS,), lambda d, l: d.Geometric(logits=l)),
    "cauchy": ((LOC, SCALE), lambda d, l, s: d.Cauchy(l, s)),
    "half_normal": ((SCALE,), lambda d, s: d.HalfNormal(s)),
    "gumbel": ((LOC, SCALE), lambda d, l, s: d.Gumbel(l, s)),
    "lognormal": ((LOC, SCALE), lambda d, l, s: d.LogNormal(l, s)),
    "affine_sigmoid": ((LOC, SCALE), lambda d, l, s: d.TransformedDistribution(
        d.Normal(l, s), [d.transforms.AffineTransform(0.5, 2.0), d.transforms.SigmoidTransform()])),
    "tanh_squashed": ((LOC, SCALE), lambda d, l, s: d.TransformedDistribution(
        d.Normal(l, s), [d.transforms.TanhTransform(cache_size=1)])),
    "beta": ((SCALE, SCALE[::-1].copy() * 0.7), lambda d, a, b: d.Beta(a, b)),
    "beta_scalar": ((), lambda d: d.Beta(0.5, 2.0)),
    "gamma": ((SCALE, SCALE[::-1].copy()), lambda d, c, r: d.Gamma(c, r)),
    "dirichlet": ((SCALE,), lambda d, c: d.Dirichlet(c)),
}
# The random stream is consumed identically, but these push it through math whose last-ulp rounding differs:
# MVN through Cholesky/matmul (BLAS-dependent), the rest through log1p/exp/sigmoid/tanh, where the core's
# numpy results can differ from PyTorch's vectorized kernels by one ulp.
ULP_CASES = ("mvn", "laplace", "gumbel", "lognormal", "affine_sigmoid", "tanh_squashed")
# tritongrad has no gamma sampler yet, so Beta cannot sample
SAMPLING_CASES = [n for n in CASES if not n.startswith(("beta", "gamma", "dirichlet"))]


def build(name, grad=True):
    arrays, builder = CASES[name]
    ours_params, theirs_params = zip(*[pair(a, grad) for a in arrays]) if arrays else ((), ())
    return builder(tgd, *ours_params), builder(td, *theirs_params), ours_params, theirs_params


@pytest.mark.parametrize("name", list(CASES))
def test_shapes_and_repr(name):
    ours, theirs, _, _ = build(name)
    assert tuple(ours.batch_shape) == tuple(theirs.batch_shape)
    assert tuple(ours.event_shape) == tuple(theirs.event_shape)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", SAMPLING_CASES)
@pytest.mark.parametrize("sample_shape", [(), (4,), (2, 5)])
def test_seeded_sample_is_bit_identical(name, sample_shape):
    ours, theirs, _, _ = build(name)
    tg.manual_seed(123)
    torch.manual_seed(123)
    exact = not name.startswith(ULP_CASES)
    assert_same(ours.sample(sample_shape), theirs.sample(sample_shape), exact=exact, rtol=1e-6, atol=1e-6)
    # the stream position afterwards must agree too
    assert_same(tg.rand(3), torch.rand(3), exact=True)


@pytest.mark.parametrize("name", [n for n in SAMPLING_CASES if CASES[n][1](td, *[torch.tensor(a) for a in CASES[n][0]]).has_rsample])
def test_rsample_values_and_gradients(name):
    ours, theirs, ours_params, theirs_params = build(name)
    tg.manual_seed(7)
    torch.manual_seed(7)
    a, b = ours.rsample((3,)), theirs.rsample((3,))
    assert_same(a, b, rtol=1e-5, atol=1e-5)
    if ours_params:
        (a ** 2).sum().backward()
        (b ** 2).sum().backward()
        for p, q in zip(ours_params, theirs_params):
            assert_same(p.grad, q.grad, rtol=1e-4, atol=1e-4)


# TransformedDistribution has no closed-form entropy or moments
NO_MOMENTS = ("affine_sigmoid", "tanh_squashed")


@pytest.mark.parametrize("name", list(CASES))
def test_log_prob_entropy_moments_and_gradients(name):
    ours, theirs, ours_params, theirs_params = build(name)
    torch.manual_seed(3)
    value = theirs.sample((5,))
    lp_ours, lp_theirs = ours.log_prob(tg.tensor(value.numpy())), theirs.log_prob(value)
    assert_same(lp_ours, lp_theirs, rtol=1e-4, atol=1e-4)
    if name in NO_MOMENTS:
        loss_ours, loss_theirs = lp_ours.sum(), lp_theirs.sum()
    else:
        assert_same(ours.entropy(), theirs.entropy(), rtol=1e-5, atol=1e-5)
        for moment in ("mean", "variance", "stddev", "mode"):
            assert_same(getattr(ours, moment), getattr(theirs, moment), rtol=1e-5, atol=1e-5)
        loss_ours, loss_theirs = lp_ours.sum() + ours.entropy().sum(), lp_theirs.sum() + theirs.entropy().sum()
    if ours_params:
        loss_ours.backward()
        loss_theirs.backward()
        for p, q in zip(ours_params, theirs_params):
            assert_same(p.grad, q.grad, rtol=1e-4, atol=1e-4)


KL_PAIRS = [
    ("normal", (LOC, SCALE), (LOC[::-1].copy(), SCALE * 1.5)),
    ("bernoulli_probs", (PROBS,), (PROBS[::-1].copy(),)),
    ("categorical_logits", (LOGITS,), (LOGITS[::-1].copy(),)),
    ("onehot", (LOGITS,), (LOGITS[::-1].copy(),)),
    ("uniform", (LOC, LOC + SCALE), (LOC - 1, LOC + SCALE + 0.5)),
    ("uniform", (LOC, LOC + SCALE), (LOC + 0.1, LOC + SCALE)),  # support not covered -> inf
    ("exponential", (SCALE,), (SCALE[::-1].copy(),)),
    ("laplace", (LOC, SCALE), (LOC * 2, SCALE + 1)),
    ("mvn_cov", (MVN_LOC, COV), (MVN_LOC[::-1].copy(), COV + np.eye(3, dtype=np.float32))),
    ("independent", (LOC, SCALE), (LOC * 0.5, SCALE * 2)),
    ("beta", (SCALE, SCALE + 1), (SCALE * 2, SCALE[::-1].copy())),
    ("gamma", (SCALE, SCALE + 1), (SCALE * 2, SCALE[::-1].copy())),
    ("dirichlet", (SCALE,), (SCALE[::-1].copy() + 0.5,)),
]


@pytest.mark.parametrize("make", [lambda: tgd.Beta(tg.tensor([1.0]), tg.tensor([2.0])),
                                  lambda: tgd.Gamma(tg.tensor([1.0]), tg.tensor([2.0])),
                                  lambda: tgd.Dirichlet(tg.tensor([1.0, 2.0]))])
def test_gamma_family_sampling_names_the_missing_piece(make):
    with pytest.raises(NotImplementedError, match="gamma"):
        make().sample()


@pytest.mark.parametrize("name,p_arrays,q_arrays", KL_PAIRS)
def test_kl_divergence_values_and_gradients(name, p_arrays, q_arrays):
    builder = CASES[name][1]
    op, tp = zip(*[pair(a) for a in p_arrays])
    oq, tq = zip(*[pair(a) for a in q_arrays])
    kl_ours = tgd.kl_divergence(builder(tgd, *op), builder(tgd, *oq))
    kl_theirs = td.kl_divergence(builder(td, *tp), builder(td, *tq))
    assert_same(kl_ours, kl_theirs, rtol=1e-5, atol=1e-5)
    if np.isfinite(_np(kl_theirs)).all():
        kl_ours.sum().backward()
        kl_theirs.sum().backward()
        for p, q in zip(op + oq, tp + tq):
            assert_same(p.grad, q.grad, rtol=1e-4, atol=1e-4)


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), str(info.value)


@pytest.mark.parametrize("make", [
    lambda d, T: d.Normal(T([0.0, 1.0]), T([1.0, -1.0])),
    lambda d, T: d.Normal(T([0.0, 1.0]), T([1.0, 1.0])).log_prob(3),
    lambda d, T: d.Normal(T([0.0, 1.0]), T([1.0, 1.0])).log_prob(T([0.0, 1.0, 2.0])),
    lambda d, T: d.Bernoulli(T([0.5])).log_prob(T([0.3])),
    lambda d, T: d.Bernoulli(T([1.5])),
    lambda d, T: d.Bernoulli(),
    lambda d, T: d.Bernoulli(0.3, logits=0.2),
    lambda d, T: d.Categorical(T(1.0)),
    lambda d, T: d.Categorical(T([0.2, 0.8])).log_prob(T([3.0])),
    lambda d, T: d.Uniform(T([1.0, 1.0]), T([0.0, 2.0])),
    lambda d, T: d.Exponential(T([0.0])),
    lambda d, T: d.Geometric(T([0.5, 0.0])),
    lambda d, T: d.Geometric(T([0.5])).log_prob(T([1.5])),
    lambda d, T: d.Laplace(T(0.0), T(1.0)).log_prob(T(float("nan"))),
    lambda d, T: d.MultivariateNormal(T(0.0), T([[1.0]])),
    lambda d, T: d.MultivariateNormal(T([0.0]), covariance_matrix=T([[1.0]]), scale_tril=T([[1.0]])),
    lambda d, T: d.MultivariateNormal(T([0.0, 0.0]), scale_tril=T([[1.0, 1.0], [0.0, 1.0]])),
    lambda d, T: d.Independent(d.Normal(T([0.0]), T([1.0])), 2),
    lambda d, T: d.kl_divergence(d.Normal(0.0, 1.0), d.Bernoulli(0.3)),
])
def test_validation_errors_match(make):
    assert _error(lambda: make(tgd, tg.tensor)) == _error(lambda: make(td, torch.tensor))


def test_kl_unregistered_pair_and_register_kl():
    class MyDistOurs(tgd.Distribution):
        arg_constraints = {}

    class MyDistTheirs(td.Distribution):
        arg_constraints = {}

    ours = _error(lambda: tgd.kl_divergence(MyDistOurs(), tgd.Normal(0.0, 1.0)))
    theirs = _error(lambda: td.kl_divergence(MyDistTheirs(), td.Normal(0.0, 1.0)))
    assert ours[0] is theirs[0] is NotImplementedError
    assert ours[1].replace("MyDistOurs", "X") == theirs[1].replace("MyDistTheirs", "X")

    @tgd.register_kl(MyDistOurs, tgd.Normal)
    def _kl(p, q):
        return tg.tensor(1.5)

    assert tgd.kl_divergence(MyDistOurs(), tgd.Normal(0.0, 1.0)).item() == 1.5


@pytest.mark.parametrize("name", ["normal", "bernoulli_probs", "categorical_logits", "uniform", "exponential",
                                  "laplace", "mvn_cov", "independent", "onehot", "lognormal", "gumbel", "cauchy", "half_normal"])
def test_expand(name):
    ours, theirs, _, _ = build(name, grad=False)
    shape = (4,) + tuple(theirs.batch_shape)
    eo, et = ours.expand(shape), theirs.expand(shape)
    assert tuple(eo.batch_shape) == tuple(et.batch_shape)
    assert repr(eo) == repr(et)
    tg.manual_seed(5)
    torch.manual_seed(5)
    assert_same(eo.sample(), et.sample(), exact=not name.startswith(ULP_CASES), rtol=1e-6, atol=1e-6)


def test_lazy_parameter_appears_in_repr_after_access():
    ours, theirs = tgd.Bernoulli(probs=tg.tensor([0.3, 0.6])), td.Bernoulli(probs=torch.tensor([0.3, 0.6]))
    assert_same(ours.logits, theirs.logits)
    assert repr(ours) == repr(theirs)


def test_mvn_derived_matrices():
    ours, theirs, _, _ = build("mvn_cov", grad=False)
    for attr in ("scale_tril", "covariance_matrix", "precision_matrix"):
        assert_same(getattr(ours, attr), getattr(theirs, attr), rtol=1e-4, atol=1e-5)


def test_utils_match():
    from tritongrad.distributions import utils as ou
    from torch.distributions import utils as tu

    p = np.array([[0.0, 0.25, 1.0]], dtype=np.float32)
    assert_same(ou.probs_to_logits(tg.tensor(p)), tu.probs_to_logits(torch.tensor(p)))
    assert_same(ou.probs_to_logits(tg.tensor(p), True), tu.probs_to_logits(torch.tensor(p), True))
    assert_same(ou.logits_to_probs(tg.tensor(LOGITS)), tu.logits_to_probs(torch.tensor(LOGITS)))
    assert_same(ou.logits_to_probs(tg.tensor(LOGITS), True), tu.logits_to_probs(torch.tensor(LOGITS), True))
    assert_same(ou.clamp_probs(tg.tensor(p)), tu.clamp_probs(torch.tensor(p)))
    a, b = ou.broadcast_all(tg.tensor([1.0, 2.0], dtype=tg.float64), 3)
    c, d = tu.broadcast_all(torch.tensor([1.0, 2.0], dtype=torch.float64), 3)
    assert_same(a, c)
    assert_same(b, d)


def test_sample_n_and_log_prob_of_float64():
    x = np.array([0.0, 1.0])
    ours, theirs = tgd.Normal(tg.tensor(x), 1.0), td.Normal(torch.tensor(x), 1.0)
    tg.manual_seed(1)
    torch.manual_seed(1)
    with pytest.warns(FutureWarning) as ours_warning:
        a = ours.sample_n(3)
    with pytest.warns(FutureWarning) as theirs_warning:
        b = theirs.sample_n(3)
    assert str(ours_warning[0].message) == str(theirs_warning[0].message)
    assert_same(a, b, exact=True)
    assert_same(ours.log_prob(tg.tensor(x)), theirs.log_prob(torch.tensor(x)))
    assert math.isclose(float(ours.cdf(tg.tensor(x))[0]), 0.5)


CONSTRAINT_NAMES = ["real", "positive", "nonnegative", "unit_interval", "simplex", "boolean", "real_vector",
                    "lower_cholesky", "positive_definite", "nonnegative_integer", "positive_integer", "one_hot"]


@pytest.mark.parametrize("cname", CONSTRAINT_NAMES)
def test_constraint_repr_and_check(cname):
    ours, theirs = getattr(tgd.constraints, cname), getattr(td.constraints, cname)
    assert repr(ours) == repr(theirs)
    assert ours.event_dim == theirs.event_dim and ours.is_discrete == theirs.is_discrete
    samples = {
        0: np.array([-1.0, 0.0, 0.5, 1.0, 2.0, float("nan")], dtype=np.float32),
        1: np.array([[0.2, 0.8], [0.5, 0.6], [1.0, 0.0], [-0.1, 1.1]], dtype=np.float32),
        2: np.array([[[1.0, 0.0], [0.5, 2.0]], [[1.0, 0.5], [0.5, 1.0]], [[1.0, 2.0], [0.0, 1.0]],
                     [[-1.0, 0.0], [0.0, 1.0]]], dtype=np.float32),
    }[theirs.event_dim]
    assert_same(ours.check(tg.tensor(samples)), theirs.check(torch.tensor(samples)))


def test_parameterized_constraints_repr():
    for make in (lambda c: c.interval(0.0, 2.0), lambda c: c.greater_than(1.5), lambda c: c.less_than(3),
                 lambda c: c.integer_interval(0, 4), lambda c: c.greater_than_eq(0),
                 lambda c: c.independent(c.positive, 2), lambda c: c.half_open_interval(0.0, 1.0)):
        assert repr(make(tgd.constraints)) == repr(make(td.constraints))


@pytest.mark.parametrize("name", ["normal", "uniform", "exponential", "laplace", "cauchy", "half_normal"])
def test_cdf_icdf(name):
    ours, theirs, _, _ = build(name, grad=False)
    torch.manual_seed(2)
    value = theirs.sample((3,))
    assert_same(ours.cdf(tg.tensor(value.numpy())), theirs.cdf(value), rtol=1e-5, atol=1e-6)
    q = np.array([0.1, 0.5, 0.9], dtype=np.float32).reshape(3, 1, 1)
    assert_same(ours.icdf(tg.tensor(q)), theirs.icdf(torch.tensor(q)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", ["bernoulli_probs", "categorical_logits", "onehot"])
@pytest.mark.parametrize("expand", [True, False])
def test_enumerate_support(name, expand):
    ours, theirs, _, _ = build(name, grad=False)
    assert_same(ours.enumerate_support(expand), theirs.enumerate_support(expand), exact=True)
    assert_same(ours.perplexity(), theirs.perplexity())


def test_vae_style_kl_against_standard_normal():
    mu_o, mu_t = pair(LOC)
    sd_o, sd_t = pair(SCALE)
    kl_o = tgd.kl_divergence(tgd.Normal(mu_o, sd_o), tgd.Normal(0.0, 1.0)).sum()
    kl_t = td.kl_divergence(td.Normal(mu_t, sd_t), td.Normal(0.0, 1.0)).sum()
    assert_same(kl_o, kl_t)
    kl_o.backward()
    kl_t.backward()
    assert_same(mu_o.grad, mu_t.grad)
    assert_same(sd_o.grad, sd_t.grad)


def test_reinforce_style_categorical():
    logits_o, logits_t = pair(LOGITS)
    tg.manual_seed(11)
    torch.manual_seed(11)
    dist_o, dist_t = tgd.Categorical(logits=logits_o), td.Categorical(logits=logits_t)
    action_o, action_t = dist_o.sample(), dist_t.sample()
    assert_same(action_o, action_t, exact=True)
    assert not action_o.requires_grad
    loss_o = -(dist_o.log_prob(action_o) * 2.0).sum() - 0.01 * dist_o.entropy().sum()
    loss_t = -(dist_t.log_prob(action_t) * 2.0).sum() - 0.01 * dist_t.entropy().sum()
    loss_o.backward()
    loss_t.backward()
    assert_same(logits_o.grad, logits_t.grad)


def test_validate_args_false_skips_checks():
    ours = tgd.Normal(tg.tensor([0.0]), tg.tensor([-1.0]), validate_args=False)
    theirs = td.Normal(torch.tensor([0.0]), torch.tensor([-1.0]), validate_args=False)
    assert_same(ours.log_prob(tg.tensor([0.5])), theirs.log_prob(torch.tensor([0.5])))
    previous = tgd.Distribution._validate_args
    try:
        tgd.Distribution.set_default_validate_args(False)
        tgd.Exponential(tg.tensor([-2.0]))
    finally:
        tgd.Distribution.set_default_validate_args(previous)
    with pytest.raises(ValueError):
        tgd.Exponential(tg.tensor([-2.0]))


def test_tanh_squashed_log_prob_uses_cached_pre_image():
    loc_o, loc_t = pair(LOC)
    scale_o, scale_t = pair(SCALE)
    dist_o = tgd.TransformedDistribution(tgd.Normal(loc_o, scale_o), [tgd.transforms.TanhTransform(cache_size=1)])
    dist_t = td.TransformedDistribution(td.Normal(loc_t, scale_t), [td.transforms.TanhTransform(cache_size=1)])
    tg.manual_seed(4)
    torch.manual_seed(4)
    action_o, action_t = dist_o.rsample(), dist_t.rsample()
    assert_same(action_o, action_t, rtol=1e-6, atol=1e-6)
    lp_o, lp_t = dist_o.log_prob(action_o), dist_t.log_prob(action_t)
    assert_same(lp_o, lp_t, rtol=1e-5, atol=1e-5)
    lp_o.sum().backward()
    lp_t.sum().backward()
    assert_same(loc_o.grad, loc_t.grad, rtol=1e-4, atol=1e-4)
    assert_same(scale_o.grad, scale_t.grad, rtol=1e-4, atol=1e-4)
    assert repr(dist_o.transforms[0].inv) == repr(dist_t.transforms[0].inv)
