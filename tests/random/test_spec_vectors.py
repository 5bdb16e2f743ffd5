"""The test vectors of shared/spec/rng.md §15 (values PyTorch 2.13 printed), checked bit for bit without torch."""
import struct

import numpy as np
import pytest

from tritongrad import _random as R
from tritongrad import _dtype as D
from tritongrad._tensor import Tensor


def f32_bits(t):
    return [int(x) for x in np.ascontiguousarray(t._data, dtype=np.float32).view(np.uint32).reshape(-1)]


def f64_hex(t):
    return [float(x).hex() for x in np.asarray(t._data, dtype=np.float64).reshape(-1)]


def empty(*shape, dtype=D.float32):
    return Tensor._make(np.empty(shape, dtype=dtype._np), dtype)


def state_fields(gen):
    b = gen.get_state()._data.tobytes()
    left, = struct.unpack_from("<i", b, 8)
    nxt, = struct.unpack_from("<Q", b, 16)
    normal_y, = struct.unpack_from("<d", b, 5024)
    valid, = struct.unpack_from("<i", b, 5040)
    return left, nxt, normal_y, valid


@pytest.mark.parametrize("seed,words", [
    (0, [0x00000000, 0x00000001, 0x6c078967, 0x6b1a1930]),
    (42, [0x0000002a, 0xb93c8a93, 0x71014437, 0x0197b52a]),
    (5489, [0x00001571, 0x4d98ee96, 0xaf25f095, 0x04c46d8c]),
])
def test_seeded_key_words(seed, words):
    state = R.manual_seed(seed).get_state()._data.tobytes()
    key = np.frombuffer(state, dtype="<u8", count=624, offset=24)
    assert [int(key[0]), int(key[1]), int(key[2]), int(key[623])] == words


@pytest.mark.parametrize("seed,words", [
    (0, [0x8c7f0aac, 0x97c4aa2f, 0xb716a675, 0xd821ccc0, 0x9a4eb343, 0xdba252fb, 0x8b7d76c3, 0xd8e57d67]),
    (42, [0x5fe1dc66, 0xcbea3db3, 0xf362035c, 0x2ef5950e, 0xbb63f46a, 0xc799d447, 0x9941aebc, 0x98cb2c14]),
    (5489, [0xd091bb5c, 0x22ae9ef6, 0xe7e1faee, 0xd5c31f79, 0x2082352c, 0xf807b7df, 0xe9d30005, 0x3895afe1]),
])
def test_raw_words_through_full_range_random(seed, words):
    R.manual_seed(seed)
    t = empty(4, dtype=D.int64).random_(-2 ** 63, None)
    pairs = [int(x) & (2 ** 64 - 1) for x in t._data]
    got = []
    for p in pairs:
        got += [p >> 32, p & 0xFFFFFFFF]
    assert got == words


def test_std_mt19937_check_value():
    R.manual_seed(5489)
    assert int(R.default_generator._words(10000)[-1]) == 4123659995


ROWS = [
    (0, lambda: R.rand(5), [0x3efe1558, 0x3f44aa2f, 0x3db533a8, 0x3e073300, 0x3e9d6686]),
    (0, lambda: R.randn(5), [0x3fc53f5c, 0xbe963c50, 0xc00b7149, 0x3f1184b6, 0xbf8ad1a1]),
    (0, lambda: empty(3).normal_(2.0, 3.0), [0x40d3ef85, 0x3f8f52c4, 0xc09129ee]),
    (0, lambda: empty(4).uniform_(-1, 1), [0xbbf55400, 0x3f09545e, 0xbf52b316, 0xbf3c6680]),
    (42, lambda: R.rand(5), [0x3f61dc66, 0x3f6a3db3, 0x3ec406b8, 0x3f75950e, 0x3ec7e8d4]),
    (42, lambda: R.randn(5), [0x3eac62ae, 0x3e03e69d, 0x3e7016e7, 0x3e6bdc6c, 0xbf8fb9c2]),
    (42, lambda: empty(3).normal_(2.0, 3.0), [0x4040a501, 0x4018bb3d, 0x402d044b]),
    (42, lambda: empty(4).uniform_(-1, 1), [0x3f43b8cc, 0x3f547b66, 0xbe6fe520, 0x3f6b2a1c]),
    (2 ** 32 + 7, lambda: R.rand(2), [0x3f08f0af, 0x3e4b9310]),
    (7, lambda: R.rand(2), [0x3f08f0af, 0x3e4b9310]),
    (-1, lambda: R.rand(2), [0x3f7e69a3, 0x3f124122]),
]


@pytest.mark.parametrize("seed,call,expected", ROWS)
def test_float32_rows(seed, call, expected):
    R.manual_seed(seed)
    assert f32_bits(call()) == expected


@pytest.mark.parametrize("seed,cached", [(0, 0xbfb3052d), (42, 0xbe3eccd8)])
def test_cached_second_normal_carries_to_next_call(seed, cached):
    R.manual_seed(seed)
    R.randn(5)
    assert f32_bits(R.randn(1)) == [cached]


@pytest.mark.parametrize("seed,idx,expected", [
    (0, [0, 1, 2, 3, 8, 9], [0xbf901b85, 0xbf93808a, 0xbe804bd6, 0xbede255d, 0x3ea50138, 0xbfa1b4f4]),
    (42, [0, 1, 2, 3, 8, 9], [0x3ff6a529, 0x3fbe5f53, 0x3f669567, 0xc006c0db, 0xbf408bf0, 0x3fd3095b]),
])
def test_randn16_vector_path(seed, idx, expected):
    R.manual_seed(seed)
    bits = f32_bits(R.randn(16))
    assert [bits[i] for i in idx] == expected


@pytest.mark.parametrize("seed,expected", [
    (0, [0xbf901b85, 0xbf93808a, 0x3f6e8c30, 0x3fa12737, 0x4000519a, 0x3d5c1b3a]),
    (42, [0x3ff6a529, 0x3fbe5f53, 0xbe9e9482, 0xbeca9a91, 0x3f4dac3c, 0xbf1f20e0]),
])
def test_randn20_tail_chunk(seed, expected):
    R.manual_seed(seed)
    bits = f32_bits(R.randn(20))
    assert bits[:2] + bits[16:] == expected


@pytest.mark.parametrize("seed,expected", [
    (0, [0x3fbb6ac1, 0x3e0173c2, 0xbf160f60]), (42, [0xbd148fc3, 0xbec26fd3, 0xbf5a7bfd])])
def test_randn1000_last_elements(seed, expected):
    R.manual_seed(seed)
    assert f32_bits(R.randn(1000))[997:] == expected


@pytest.mark.parametrize("seed,expected", [
    (0, [0xbfb0528f, 0xbfba819e, 0x3f9fc720]), (42, [0x40f8fbdf, 0x40cec77e, 0x40967807])])
def test_normal16_with_mean_std(seed, expected):
    R.manual_seed(seed)
    assert f32_bits(empty(16).normal_(2.0, 3.0))[:3] == expected


F64_ROWS = [
    (0, lambda: R.rand(3, dtype=D.float64), ["0x1.f0aac97c4aa2fp-1", "0x1.6a675d821ccc0p-1", "0x1.d6687b744a5f6p-2"]),
    (42, lambda: R.rand(3, dtype=D.float64), ["0x1.dc66cbea3db30p-5", "0x1.01ae177aca870p-4",
                                               "0x1.fa3563ccea238p-4"]),
    (0, lambda: R.randn(5, dtype=D.float64), ["0x1.8a7eb8902be3ap+0", "-0x1.2c78a087c6feap-2",
                                               "-0x1.16e2920a70ee5p+1", "0x1.23096ca3e350dp-1",
                                               "-0x1.15a341987e136p+0"]),
    (42, lambda: R.randn(5, dtype=D.float64), ["0x1.58c55b33d44ccp-2", "0x1.07cd39b3d4b85p-3",
                                                "0x1.e02dcdb63ec41p-3", "0x1.d7b8d7b0a7c22p-3",
                                                "-0x1.1f7383f8320c1p+0"]),
    (0, lambda: empty(3, dtype=D.float64).exponential_(), ["0x1.c110d51dce0b1p+1", "0x1.3afa7ef3a5fc8p+0",
                                                            "0x1.3ae70f39bed6dp-1"]),
    (42, lambda: empty(3, dtype=D.float64).exponential_(), ["0x1.ead0cc3ed94d3p-5", "0x1.0a2468c3032b6p-4",
                                                             "0x1.0e2a627e9a350p-3"]),
]


@pytest.mark.parametrize("seed,call,expected", F64_ROWS)
def test_float64_rows(seed, call, expected):
    R.manual_seed(seed)
    assert f64_hex(call()) == expected


@pytest.mark.parametrize("seed,expected", [
    (0, ["-0x1.27bb92e9262dcp+1", "-0x1.7e35794939460p-2", "-0x1.0f91ae8d685b6p+0"]),
    (42, ["0x1.32bee22ccb503p-2", "0x1.f063c46668b78p-3", "0x1.22011e840abbdp-2"])])
def test_randn16_float64_vector_path(seed, expected):
    R.manual_seed(seed)
    assert f64_hex(R.randn(16, dtype=D.float64))[:3] == expected


INT_ROWS = [
    (0, lambda: R.randint(0, 10, (10,)), [4, 9, 3, 0, 3, 9, 7, 3, 7, 3]),
    (0, lambda: R.randint(-100, 100, (5,)), [-56, -61, 33, 60, 63]),
    (0, lambda: R.randint(0, 2 ** 40, (3,)), [741280623151, 506137267392, 291447657211]),
    (0, lambda: R.randperm(10), [4, 1, 7, 5, 3, 9, 0, 8, 6, 2]),
    (0, lambda: empty(16).bernoulli_(0.5), [0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1]),
    (0, lambda: R.bernoulli(Tensor._make(np.array([0.1, 0.9, 0.5, 0.5], np.float32))), [0, 1, 1, 1]),
    (0, lambda: R.multinomial(Tensor._make(np.array([.1, .2, .3, .4], np.float32)), 8, True),
     [3, 3, 2, 3, 3, 3, 1, 2]),
    (0, lambda: R.multinomial(Tensor._make(np.array([.1, .2, .3, .4], np.float32)), 2), [2, 1]),
    (42, lambda: R.randint(0, 10, (10,)), [2, 7, 6, 4, 6, 5, 0, 4, 0, 3]),
    (42, lambda: R.randint(-100, 100, (5,)), [42, -33, -24, -86, -74]),
    (42, lambda: R.randint(0, 2 ** 40, (3,)), [441507790259, 395924837646, 458615280711]),
    (42, lambda: R.randperm(10), [2, 6, 1, 8, 4, 5, 0, 9, 3, 7]),
    (42, lambda: empty(16).bernoulli_(0.5), [1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0]),
    (42, lambda: R.bernoulli(Tensor._make(np.array([0.1, 0.9, 0.5, 0.5], np.float32))), [0, 0, 1, 0]),
    (42, lambda: R.multinomial(Tensor._make(np.array([.1, .2, .3, .4], np.float32)), 8, True),
     [0, 0, 1, 0, 2, 2, 3, 3]),
    (42, lambda: R.multinomial(Tensor._make(np.array([.1, .2, .3, .4], np.float32)), 2), [3, 1]),
]


@pytest.mark.parametrize("seed,call,expected", INT_ROWS)
def test_discrete_rows(seed, call, expected):
    R.manual_seed(seed)
    assert [int(x) for x in call()._data] == expected


@pytest.mark.parametrize("seed,first_kept", [(0, [0, 1, 1, 0]), (42, [1, 1, 1, 1])])
def test_dropout_mask_rows(seed, first_kept):
    R.manual_seed(seed)
    mask = R.dropout_mask(Tensor._make(np.ones(10, np.float32)), 0.2)
    bits = f32_bits(mask)
    assert bits[:4] == [0x3fa00000 if k else 0 for k in first_kept]
    assert set(bits) <= {0, 0x3fa00000}


def test_embedding_sized_normal_matches_randn16_start():
    R.manual_seed(0)
    assert f32_bits(empty(10, 3).normal_(0, 1))[:3] == [0xbf901b85, 0xbf93808a, 0xbe804bd6]


def test_linear_init_bounds():
    # nn.Linear(4, 3): kaiming bound sqrt(3) * sqrt(2 / 6) / sqrt(4) then bias bound 1 / sqrt(4)
    import math
    R.manual_seed(0)
    bound = math.sqrt(3.0) * (math.sqrt(2.0 / (1 + 5)) / math.sqrt(4))
    w = empty(3, 4).uniform_(-bound, bound)
    b = empty(3).uniform_(-0.5, 0.5)
    assert f32_bits(w)[:4] == [0xbb755400, 0x3e89545e, 0xbed2b316, 0xbebc6680]
    assert f32_bits(b) == [0xbef491b8, 0xbea98b52, 0xbe530ee8]


def test_generator_default_seed_row():
    g = R.Generator()
    assert g.initial_seed() == 67280421310721
    assert f32_bits(R.rand(3, generator=g)) == [0x3e88daec, 0x3f5f5e04, 0x3eabaafa]


@pytest.mark.parametrize("seed,normal_y", [(0, 0.5684312772806678), (42, 0.2303330279146119)])
def test_state_fields_after_randn3(seed, normal_y):
    g = R.manual_seed(seed)
    assert state_fields(g) == (1, 0, 0.0, 0)
    R.randn(3)
    assert state_fields(g) == (617, 8, normal_y, 1)


def test_negative_seed_reports_wrapped_initial_seed():
    R.manual_seed(-1)
    assert R.initial_seed() == 18446744073709551615
    R.manual_seed(2 ** 32 + 7)
    assert R.initial_seed() == 2 ** 32 + 7
