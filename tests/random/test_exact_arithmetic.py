"""The fused multiply-add emulations the random kernels rely on, checked against exact rational arithmetic."""
from fractions import Fraction

import numpy as np
import pytest

from tritongrad import _random as R


def exact_fma64(a, b, c):
    r = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    return float(r) if r != 0 else float(a) * float(b) + float(c)


def round_fraction_to_f32(r):
    """Correct round-to-nearest-even of a Fraction to float32 (via exact comparison of the neighbours)."""
    approx = np.float32(float(r))  # may be off by one ulp through double rounding; fix below
    best = approx
    for cand in (np.nextafter(approx, np.float32(-np.inf)), approx, np.nextafter(approx, np.float32(np.inf))):
        err, best_err = abs(Fraction(float(cand)) - r), abs(Fraction(float(best)) - r)
        if err < best_err or (err == best_err and int(np.array(cand).view(np.uint32)) % 2 == 0):
            best = cand
    return best


def hard_operands(rng, n):
    """Operands with heavy cancellation, wide exponent gaps and exact ties."""
    a = rng.normal(size=n) * 2.0 ** rng.integers(-40, 40, size=n)
    b = rng.normal(size=n) * 2.0 ** rng.integers(-40, 40, size=n)
    c = -(a * b) * (1 + rng.normal(size=n) * 2.0 ** rng.integers(-60, -1, size=n))
    c[::3] = rng.normal(size=len(c[::3])) * 2.0 ** rng.integers(-80, 80, size=len(c[::3]))
    c[1::7] = -(a[1::7] * b[1::7])  # exact cancellation of the rounded product
    return a, b, c


def test_fma64_matches_exact_rationals():
    rng = np.random.default_rng(0)
    a, b, c = hard_operands(rng, 20000)
    got = R._fma64(a, b, c)
    want = np.array([exact_fma64(x, y, z) for x, y, z in zip(a, b, c)])
    assert np.array_equal(got.view(np.uint64), want.view(np.uint64))


def test_fma64_extreme_operands_fall_back_exactly():
    a = np.array([1e300, 1e-300, 3.0, np.inf, 2.0 ** -1070, 1e200])
    b = np.array([1e10, 1e-20, 1.0 / 3, 1.0, 2.0 ** 60, 1e200])
    c = np.array([-1e308, 1e-320, -1.0, 5.0, 0.0, -1.0])
    got = R._fma64(a, b, c)
    want = []
    for x, y, z in zip(a, b, c):
        if not np.isfinite(x):
            want.append(x * y + z)
            continue
        r = Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
        want.append(float(r) if abs(r) < Fraction(2) ** 1024 else np.copysign(np.inf, float(r > 0) - 0.5))
    assert np.array_equal(np.array(got), np.array(want))


def test_fma32_matches_exact_rationals_including_midpoints():
    rng = np.random.default_rng(1)
    n = 20000
    a = (rng.normal(size=n) * 2.0 ** rng.integers(-20, 20, size=n)).astype(np.float32)
    b = (rng.normal(size=n) * 2.0 ** rng.integers(-20, 20, size=n)).astype(np.float32)
    c = (-(a.astype(np.float64) * b) * (1 + rng.normal(size=n) * 2.0 ** -20)).astype(np.float32)
    # float64 sums that land exactly on a float32 midpoint (1 + 2**-24) while the exact sum does not:
    # a * b = 2**-24 * (1 + eps) with 0 < |eps| < 2**-29, found among a = 1 + m * 2**-23
    m = np.arange(1, 1 << 20)
    a_mid = (1 + m * 2.0 ** -23).astype(np.float32)
    b_mid = (2.0 ** -24 / a_mid.astype(np.float64)).astype(np.float32)
    eps = a_mid.astype(np.float64) * b_mid * 2.0 ** 24 - 1
    pick = np.flatnonzero((eps != 0) & (np.abs(eps) < 2.0 ** -29))[:2000]
    assert len(pick) > 100
    a[:len(pick)], b[:len(pick)], c[:len(pick)] = a_mid[pick], b_mid[pick], np.float32(1.0)
    s = a[:len(pick)].astype(np.float64) * b[:len(pick)] + 1.0
    assert ((s.view(np.uint64) & 0x1FFFFFFF) == 0x10000000).all()
    got = R._fma32(a, b, c, tiny_possible=True)
    want = np.array([round_fraction_to_f32(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)))
                     for x, y, z in zip(a, b, c)], dtype=np.float32)
    assert np.array_equal(got.view(np.uint32), want.view(np.uint32))


def test_fma32_subnormal_results():
    a = np.array([2.0 ** -70, 3.0 * 2.0 ** -75, 1.5 * 2.0 ** -74], dtype=np.float32)
    b = np.array([2.0 ** -70, 2.0 ** -75, 2.0 ** -75], dtype=np.float32)
    c = np.array([2.0 ** -149, 0.0, -(2.0 ** -149)], dtype=np.float32)
    got = R._fma32(a, b, c, tiny_possible=True)
    want = np.array([round_fraction_to_f32(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)))
                     for x, y, z in zip(a, b, c)], dtype=np.float32)
    assert np.array_equal(got.view(np.uint32), want.view(np.uint32))


@pytest.mark.parametrize("n", [0, 1, 5])
def test_libm_elementwise_uses_math_module(n):
    import math
    x = np.linspace(0.1, 3.0, n)
    got = R._libm(math.log1p, x)
    assert got.shape == x.shape
    assert [float(v) for v in got] == [math.log1p(float(v)) for v in x]
