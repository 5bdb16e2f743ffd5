"""Random number generation, bit-identical to PyTorch's CPU generator (see shared/spec/rng.md).

The engine is mt19937 with PyTorch's bookkeeping (``left``/``next``, the cached second Box-Muller
sample, the 5056-byte state layout). Words are produced by numpy's C implementation of the same
recurrence (``numpy.random.MT19937``), into which the key and position are injected; numpy's own
seeding is never used. Every distribution below reproduces the arithmetic of PyTorch's CPU kernels,
including the fused multiply-adds of the AVX2 build, with exact emulation in numpy (``_fma32``,
``_fma64``) and the C library's ``log``/``sin``/``cos`` reached through Python's ``math`` module.
"""
import functools
import math
import operator
import os
import struct
import warnings
from fractions import Fraction

import numpy as np

from . import _dtype as D
from ._device import device as _device_cls, cpu_device
from ._tensor import Tensor

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
    "rand", "rand_like", "randn", "randn_like", "randint", "randint_like", "randperm", "normal", "bernoulli",
    "multinomial",
]

_f32, _f64, _u32, _u64, _i64 = np.float32, np.float64, np.uint32, np.uint64, np.int64
_STATE_SIZE = 5056
_DEFAULT_GENERATOR_SEED = 67280421310721
_TWO_PI = 6.283185307179586
_MASK53 = (1 << 53) - 1


# ================================================================== engine

def _seed_key(seed32):
    """The 624 mt19937 state words for a 32-bit seed (the standard init_genrand recurrence)."""
    key = [0] * 624
    x = seed32
    key[0] = x
    for i in range(1, 624):
        x = (1812433253 * (x ^ (x >> 30)) + i) & 0xFFFFFFFF
        key[i] = x
    return np.array(key, dtype=_u32)


def _temper(y):
    y = y.astype(_u32)
    y ^= y >> _u32(11)
    y ^= (y << _u32(7)) & _u32(0x9D2C5680)
    y ^= (y << _u32(15)) & _u32(0xEFC60000)
    y ^= y >> _u32(18)
    return y


def _nondeterministic_seed():
    """A full 64-bit seed from the operating system's entropy source (PyTorch reads /dev/urandom too)."""
    return int.from_bytes(os.urandom(8), "little")


def _check_seed(seed):
    s = int(seed)
    if s < -(1 << 63) or s > (1 << 64) - 1:
        raise ValueError("Overflow when unpacking long long")
    return s & ((1 << 64) - 1)


class Generator:
    """torch.Generator: an independent mt19937 engine with PyTorch's CPU bookkeeping."""

    __slots__ = ("_bits", "_fresh", "_pending", "_pending_pos", "_initial_seed", "_normal_cache",
                 "_float_cache", "_device", "__weakref__")

    def __init__(self, device="cpu"):
        dev = _device_cls(device) if not isinstance(device, _device_cls) else device
        if dev.type == "cuda":
            raise RuntimeError(
                "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend into two shared "
                "libraries: a CPU library and a CUDA library; this error has occurred because you are trying to "
                "use some CUDA functionality, but the CUDA library has not been loaded by the dynamic linker for "
                "some reason.  The CUDA library MUST be loaded, EVEN IF you don't directly use any symbols from "
                "the CUDA library! One common culprit is a lack of -Wl,--no-as-needed in your link arguments; "
                "many dynamic linkers will delete dynamic library dependencies if you don't depend on any of "
                "their symbols.  You can check if this has occurred by using ldd on your binary to see if there "
                "is a dependency on *_cuda.so library.")
        if dev.type != "cpu":
            raise RuntimeError(f"{dev.type.upper()} device type not an accelerator.")
        self._device = cpu_device
        self._bits = np.random.MT19937()
        self._seed_engine(_DEFAULT_GENERATOR_SEED)

    # -------------------------------------------------------------- bookkeeping
    def _seed_engine(self, seed64):
        self._initial_seed = seed64
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": _seed_key(seed64 & 0xFFFFFFFF), "pos": 624}}
        self._fresh = True
        self._pending = None
        self._pending_pos = (0, 0)
        self._normal_cache = None
        self._float_cache = None

    def _raw(self, k):
        """The next ``k`` 32-bit engine outputs, in order, as uint64 values."""
        if k <= 0:
            return np.empty(0, dtype=_u64)
        self._fresh = False
        pend = self._pending
        if pend is None:
            return self._bits.random_raw(k)
        # a state injected with left + next != 625: PyTorch reads key[next...] until ``left`` runs out,
        # then twists; numpy cannot express that position, so the words before the twist are served here
        take = min(k, len(pend))
        left, nxt = self._pending_pos
        self._pending_pos = (left - take, nxt + take)
        if take == k:
            self._pending = pend[take:]
            return pend[:take]
        self._pending = None
        return np.concatenate([pend[:take], self._bits.random_raw(k - take)])

    def _words(self, k):
        """The next ``k`` 32-bit engine outputs (uint32), in order."""
        return self._raw(k).astype(_u32)

    def _words64(self, k):
        """``k`` random64 values: pairs of words, the first word being the high half."""
        w = self._raw(2 * k)
        return (w[0::2] << _u64(32)) | w[1::2]

    def _u24(self, k):
        return (self._raw(k) & _u64(0xFFFFFF)).astype(_f32) * _f32(2.0 ** -24)

    def _u53(self, k):
        return (self._words64(k) & _u64(_MASK53)).astype(_f64) * (2.0 ** -53)

    # -------------------------------------------------------------- public API
    @property
    def device(self):
        return self._device

    def manual_seed(self, seed):
        """Seed the generator; only the low 32 bits affect the numbers. Returns the generator."""
        self._seed_engine(_check_seed(seed))
        return self

    def seed(self):
        """Reseed from a non-deterministic source and return the seed."""
        s = _nondeterministic_seed()
        self._seed_engine(s)
        return s

    def initial_seed(self):
        return self._initial_seed

    def get_state(self):
        """The engine state as a 5056-byte torch.ByteTensor in PyTorch's CPUGeneratorImplState layout."""
        st = self._bits.state["state"]
        key = np.asarray(st["key"], dtype=_u32)
        if self._pending is not None:
            left, nxt = self._pending_pos
        elif self._fresh:
            left, nxt = 1, 0
        else:
            pos = int(st["pos"])
            left, nxt = 625 - pos, pos
        buf = bytearray(_STATE_SIZE)
        struct.pack_into("<QiiQ", buf, 0, self._initial_seed, left, 1, nxt)
        buf[24:24 + 624 * 8] = key.astype("<u8").tobytes()
        normal = self._normal_cache
        struct.pack_into("<dddi", buf, 5016, 0.0, 0.0 if normal is None else normal, 0.0,
                         0 if normal is None else 1)
        fl = self._float_cache
        struct.pack_into("<fB", buf, 5048, 0.0 if fl is None else fl, 0 if fl is None else 1)
        return Tensor._make(np.frombuffer(bytes(buf), dtype=np.uint8).copy(), D.uint8)

    def set_state(self, new_state):
        """Restore a state produced by get_state (here or by PyTorch). Returns the generator."""
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = np.ascontiguousarray(new_state._data).reshape(-1)
        if raw.size != _STATE_SIZE:
            raise RuntimeError("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size "
                               f"to be {raw.size}")
        b = raw.tobytes()
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", b, 0)
        if seeded != 1 or left < 1 or left > 624 or nxt > 624:
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(b, dtype="<u8", count=624, offset=24).astype(_u32)
        _, normal_y, _, normal_valid = struct.unpack_from("<dddi", b, 5016)
        float_y, float_valid = struct.unpack_from("<fB", b, 5048)
        self._initial_seed = seed
        self._pending = None
        self._fresh = False
        if left == 1:
            # the next draw twists whatever ``next`` says
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
            self._fresh = nxt == 0
            if nxt not in (0, 624):
                self._pending_pos = (1, nxt)
                self._pending = np.empty(0, dtype=_u64)
        elif left + nxt == 625:
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": nxt}}
        else:
            self._pending = _temper(key[nxt:nxt + left - 1]).astype(_u64)
            self._pending_pos = (left, nxt)
            self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
        self._normal_cache = normal_y if normal_valid else None
        self._float_cache = float(float_y) if float_valid else None
        return self

    def clone_state(self):
        """A new generator with a copy of this one's engine and caches."""
        g = Generator()
        g.set_state(self.get_state())
        g._fresh = self._fresh
        return g

    def graphsafe_get_state(self):
        raise NotImplementedError("graphsafe_get_state is not supported in this Generator")

    def graphsafe_set_state(self, state):
        raise NotImplementedError("graphsafe_set_state is not supported in this Generator")

    def get_offset(self):
        raise RuntimeError("CPU Generator does not use offset")

    def set_offset(self, offset):
        raise RuntimeError("CPU Generator does not use offset")

    def __reduce__(self):
        return (_rebuild_generator, (self.get_state()._data.tobytes(), self._fresh))

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


def _rebuild_generator(state_bytes, fresh):
    g = Generator()
    g.set_state(Tensor._make(np.frombuffer(state_bytes, dtype=np.uint8).copy(), D.uint8))
    g._fresh = fresh
    return g


default_generator = Generator()
default_generator.seed()


def _gen(generator, name="random"):
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"{name}(): argument 'generator' must be torch.Generator, not {type(generator).__name__}")
    return generator


def manual_seed(seed):
    """Seed the default CPU generator; returns it."""
    return default_generator.manual_seed(seed)


def seed():
    """Seed the default generator from a non-deterministic source and return the seed."""
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a 5056-byte torch.ByteTensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator from a state made by get_rng_state."""
    default_generator.set_state(new_state)


# ================================================================== exact arithmetic helpers

def _fma32(a, b, c, tiny_possible=False):
    """float32(a*b + c) rounded once, for float32 operands (at least one of them an array)."""
    p = np.multiply(a, b, dtype=_f64)  # exact: 24 x 24 bits
    s = np.add(p, c, dtype=_f64)  # a fresh contiguous array
    bits = s.view(_u64)
    # rounding s (already rounded to float64) again to float32 is wrong only when s sits exactly on a
    # float32 midpoint, or for results in the float32 subnormal range; fix those with round-to-odd
    cand = (bits & _u64(0x1FFFFFFF)) == _u64(0x10000000)
    if tiny_possible:
        cand |= ((bits >> _u64(52)) & _u64(0x7FF)) < _u64(1023 - 125)
    idx = np.flatnonzero(cand)
    if idx.size:
        flat = s.reshape(-1)
        pi = np.broadcast_to(p, s.shape).reshape(-1)[idx]
        ci = np.broadcast_to(np.asarray(c, dtype=_f64), s.shape).reshape(-1)[idx]
        si = flat[idx]
        bb = si - pi
        err = (pi - (si - bb)) + (ci - bb)
        even = (si.view(_u64) & _u64(1)) == 0
        fix = (err != 0) & even & np.isfinite(si)
        if fix.any():
            si[fix] = np.nextafter(si[fix], np.where(err[fix] > 0, np.inf, -np.inf))
            flat[idx] = si
    return s.astype(_f32)


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    t = a * 134217729.0
    hi = t - (t - a)
    return hi, a - hi


def _fma64(a, b, c):
    """a*b + c rounded once to float64 (arrays broadcast). Boldo-Melquiond emulation via round-to-odd."""
    a, b, c = np.broadcast_arrays(np.asarray(a, _f64), np.asarray(b, _f64), np.asarray(c, _f64))
    a, b, c = a.reshape(-1), b.reshape(-1), c.reshape(-1)
    with np.errstate(all="ignore"):
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        perr = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        th, tl = _two_sum(c, p)
        v, w = _two_sum(tl, perr)
        odd_fix = (w != 0) & ((v.view(_u64) & _u64(1)) == 0)
        if odd_fix.any():
            v = v.copy()
            v[odd_fix] = np.nextafter(v[odd_fix], np.where(w[odd_fix] > 0, np.inf, -np.inf))
        r = th + v
        # the error-free transforms need no overflow in the splits and no underflow in the product error
        aa, ab, ac = np.abs(a), np.abs(b), np.abs(c)
        unsafe = ~(np.isfinite(r) & (aa < 2.0 ** 995) & (ab < 2.0 ** 995) & (ac < 2.0 ** 1020)
                   & ((np.abs(p) > 2.0 ** -960) | (p == 0)))
    for i in np.flatnonzero(unsafe):
        r[i] = _fma64_exact(float(a[i]), float(b[i]), float(c[i]))
    return r


def _fma64_exact(a, b, c):
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return a * b + c  # sign of zero as IEEE defines it
    try:
        return float(exact)  # Fraction -> float rounds correctly (to nearest, ties to even)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def _libm(fn, x):
    """Apply a C-library function from ``math`` element-wise (numpy's own versions differ in the last bit)."""
    flat = np.asarray(x, dtype=_f64).reshape(-1)
    return np.fromiter(map(fn, flat.tolist()), dtype=_f64, count=flat.size).reshape(np.shape(x))


def _safe_log(x):
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


# ================================================================== memory order and tensor plumbing

def _is_expanded(arr):
    if arr.size == 0:
        return False
    return any(s == 0 and n > 1 for n, s in zip(arr.shape, arr.strides))


def _memory_perm(arr):
    """Dims of ``arr`` from the largest stride to the smallest (size-1 dims can sit anywhere)."""
    return sorted(range(arr.ndim), key=lambda i: -abs(arr.strides[i]))


def _memory_order(arr):
    """A view of ``arr`` whose C order is the order of its elements in memory (TensorIterator's order)."""
    if arr.flags.c_contiguous or arr.ndim < 2:
        return arr
    return arr.transpose(_memory_perm(arr))


def _check_writable(t):
    if _is_expanded(t._data):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")
    try:
        from ._ops._common import check_inplace
    except ImportError:  # pragma: no cover - core not landed
        return
    check_inplace(t)


def _write(t, values):
    """Store flat ``values`` (already in t's dtype) into ``t`` in memory order, bumping its version."""
    view = _memory_order(t._data)
    view[...] = values.reshape(view.shape)
    t._vc[0] += 1


def _type_label(dtype):
    """PyTorch's ScalarType name, as its 'not implemented for' messages print it."""
    return {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
            "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64", "float16": "Half",
            "bfloat16": "BFloat16", "float32": "Float", "float64": "Double", "complex64": "ComplexFloat",
            "complex128": "ComplexDouble"}[dtype.name]


def _cpp_type_name(dtype):
    """The C++ type name PyTorch's bounds messages print for a dtype."""
    return {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
            "int32": "int", "int64": "long int", "uint16": "short unsigned int", "uint32": "unsigned int",
            "uint64": "long unsigned int", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "float32": "float", "float64": "double"}.get(dtype.name, dtype.name)


def _not_implemented(kernel, dtype):
    return NotImplementedError(f'"{kernel}" not implemented for \'{_type_label(dtype)}\'')


_FLOATS16 = ("float16", "bfloat16")


def _to_dtype(values_f64_or_f32, dtype):
    """Round computed values to ``dtype`` along PyTorch's conversion chain."""
    if dtype.name in _FLOATS16 and values_f64_or_f32.dtype == _f64:
        return values_f64_or_f32.astype(_f32).astype(dtype._np)
    return values_f64_or_f32.astype(dtype._np)


# ================================================================== distributions (flat value producers)

def _uniform_values(gen, n, dtype, a, b):
    if dtype is D.float64:
        x = gen._u53(n)
        if a == 0.0 and b == 1.0:
            return x
        v = _fma64(x, b - a, a)
        v[v == b] = a
        return v
    x = gen._u24(n)
    with np.errstate(over="ignore"):
        F, T = _f32(a), _f32(b)
    if a == 0.0 and b == 1.0:
        v = x
    else:
        v = np.empty(n, dtype=_f32)
        step = 1 << 16  # cache-sized blocks: big temporaries cost more in page faults than they save
        for s in range(0, n, step):
            v[s:s + step] = _fma32(x[s:s + step], T - F, F, tiny_possible=True)
        v[v == T] = F
    if dtype is D.float32:
        return v
    r = v.astype(dtype._np)
    lo, hi = F.astype(dtype._np), T.astype(dtype._np)  # through float32, as the kernel converts them
    r[r == hi] = lo
    return r


# --- the float32 normal chunk transform of the AVX2 build (Cephes log and sincos with fused multiply-adds)

def _c(bits):
    return np.array([bits], dtype=_u32).view(_f32)[0]


_P = [_c(x) for x in (0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF, 0xBE2AAE50, 0x3E4CCEAC,
                      0xBE7FFFFC, 0x3EAAAAAA)]
_Q1, _Q2, _SQRTHF = _c(0xB95E8083), _c(0x3F318000), _c(0x3F3504F3)
_TWOPI32, _FOPI = _c(0x40C90FDB), _c(0x3FA2F983)
_DP1, _DP2, _DP3 = _c(0xBF490000), _c(0xB97DA000), _c(0xB3222169)
_S0, _S1, _S2 = _c(0xB94CA1F9), _c(0x3C08839E), _c(0xBE2AAAA3)
_C0, _C1, _C2 = _c(0x37CCF5CE), _c(0xBAB6061A), _c(0x3D2AAAA5)
_ONE, _HALF = _f32(1.0), _f32(0.5)


def _log_radius32(a):
    """sqrt(-2 * log(1 - a)) as the AVX2 kernel computes it, for float32 uniforms a in [0, 1)."""
    u = _ONE - a
    bits = u.view(_u32)
    e = ((bits >> _u32(23)).astype(np.int32) - 127).astype(_f32) + _ONE
    m = ((bits & _u32(0x807FFFFF)) | _u32(0x3F000000)).view(_f32)
    small = m < _SQRTHF
    x = m - _ONE
    x = np.where(small, x + m, x)
    e = np.where(small, e - _ONE, e)
    z = x * x
    y = _fma32(_P[0], x, _P[1])
    for k in range(2, 9):
        y = _fma32(y, x, _P[k])
    y = x * y
    y = _fma32(y, z, e * _Q1)
    y = y + (-z * _HALF)  # -z*0.5 is exact, so the fused form is a single rounded add
    L = e * _Q2 + (x + y)  # e*Q2 is exact (few significant bits), so again one rounding
    return np.sqrt(L * _f32(-2.0))


def _sincos32(b):
    theta = _TWOPI32 * b
    q = (theta * _FOPI).astype(np.int32)
    q = (q + 1) & ~1
    Y = q.astype(_f32)
    x = theta + Y * _DP1  # exact products (Y is a small even integer), one rounding each
    x = x + Y * _DP2
    x = _fma32(Y, _DP3, x)
    z = x * x
    c = _fma32(_C0, z, _C1)
    c = _fma32(c, z, _C2)
    c = z * c
    c = _fma32(z, c, -(z * _HALF))
    c = c + _ONE
    s = _fma32(_S0, z, _S1)
    s = _fma32(s, z, _S2)
    s = z * s
    s = _fma32(x, s, x)
    swap = (q & 2) != 0
    sin_v = np.where(swap, c, s)
    cos_v = np.where(swap, s, c)
    sin_bits = sin_v.view(_u32) ^ np.where((q & 4) != 0, _u32(0x80000000), _u32(0))
    cos_bits = cos_v.view(_u32) ^ np.where(((q - 2) & 4) == 0, _u32(0x80000000), _u32(0))
    return sin_bits.view(_f32), cos_bits.view(_f32)


def _normal_chunks32(d, mean, std):
    """Transform ``d`` (shape (k, 16) float32 uniforms) in place into normals, chunk by chunk."""
    block = 1024  # chunks per pass: keeps the float64 temporaries of _fma32 in cache
    identity = mean == 0.0 and std == 1.0
    with np.errstate(over="ignore"):  # out-of-range mean/std become inf, as the C++ cast gives
        m32, s32 = _f32(mean), _f32(std)
    for start in range(0, d.shape[0], block):
        part = d[start:start + block]
        r = _log_radius32(part[:, :8])
        sin_v, cos_v = _sincos32(part[:, 8:])
        first, second = r * cos_v, r * sin_v
        if identity:
            # fma(x, 1, mean) with mean = +-0 is x except for zeros, whose sign the addition decides
            first, second = first + m32, second + m32
        else:
            first = _fma32(first, s32, m32, tiny_possible=True)
            second = _fma32(second, s32, m32, tiny_possible=True)
        part[:, :8] = first
        part[:, 8:] = second


def _normal_chunks64(d, mean, std):
    a, b = d[:, :8], d[:, 8:]
    r = np.sqrt(-2.0 * _libm(math.log, 1.0 - a))
    theta = _TWO_PI * b
    first = r * _libm(math.cos, theta)
    second = r * _libm(math.sin, theta)
    if mean == 0.0 and std == 1.0:
        first, second = first + mean, second + mean  # the fma's sign-of-zero rule, see _normal_chunks32
    else:
        first = _fma64(first, std, mean).reshape(first.shape)
        second = _fma64(second, std, mean).reshape(second.shape)
    d[:, :8] = first
    d[:, 8:] = second


def _vector_normals(gen, n, dtype, mean, std):
    """The contiguous (n >= 16) path of normal_: chunks of 16, the tail chunk redrawn over the last 16."""
    full = n // 16
    tail = n % 16
    if dtype is D.float64:
        d = gen._u53(n)
        _normal_chunks64(d[:full * 16].reshape(full, 16), mean, std)
        if tail:
            t = gen._u53(16).reshape(1, 16)
            _normal_chunks64(t, mean, std)
            d[n - 16:] = t.reshape(16)
        return d
    if dtype is D.float32:
        d = gen._u24(n)
        _normal_chunks32(d[:full * 16].reshape(full, 16), mean, std)
        if tail:
            t = gen._u24(16).reshape(1, 16)
            _normal_chunks32(t, mean, std)
            d[n - 16:] = t.reshape(16)
        return d
    # float16 / bfloat16: chunk by chunk, so the tail costs exactly 16 words
    d = gen._u24(full * 16).reshape(full, 16)
    _normal_chunks32(d, mean, std)
    out = d.reshape(-1).astype(dtype._np)
    if tail:
        t = gen._u24(16).reshape(1, 16)
        _normal_chunks32(t, mean, std)
        out = np.concatenate([out, np.empty(tail, dtype=dtype._np)])
        out[n - 16:] = t.reshape(16).astype(dtype._np)
    return out


def _serial_standard_normals(gen, n):
    """n Box-Muller samples (double) in order, using and refilling the generator's cached second sample."""
    out = np.empty(n, dtype=_f64)
    i = 0
    if n and gen._normal_cache is not None:
        out[0] = gen._normal_cache
        gen._normal_cache = None
        i = 1
    rest = n - i
    pairs = (rest + 1) // 2
    if pairs:
        u = gen._u53(2 * pairs)
        u1, u2 = u[0::2], u[1::2]
        r = np.sqrt(-2.0 * _libm(math.log1p, -u2))
        theta = _TWO_PI * u1
        both = np.empty(2 * pairs, dtype=_f64)
        both[0::2] = r * _libm(math.cos, theta)
        both[1::2] = r * _libm(math.sin, theta)
        out[i:] = both[:rest]
        if rest % 2:
            gen._normal_cache = float(both[-1])
    return out


def _serial_normals(gen, n, mean, std):
    z = _serial_standard_normals(gen, n)
    if mean == 0.0 and std == 1.0:
        return z + mean  # the fma's sign-of-zero rule, see _normal_chunks32
    return _fma64(z, std, mean)


def _check_float_dtype(dtype, kernel):
    if not dtype.is_floating_point:
        raise _not_implemented(kernel, dtype)


def _fill_normal(t, mean, std, gen):
    """Tensor.normal_ in place: vector path for contiguous tensors of >= 16 elements, serial otherwise."""
    _check_float_dtype(t.dtype, "normal_kernel_cpu")
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    n = t._data.size
    if n == 0:
        return t
    if n >= 16 and t.is_contiguous():
        vals = _vector_normals(gen, n, t.dtype, mean, std)
        _write(t, vals.astype(t.dtype._np, copy=False))
    else:
        _write(t, _to_dtype(_serial_normals(gen, n, mean, std), t.dtype))
    return t


def _fmt(x):
    """Format a double the way PyTorch's error messages print it (C++ ostream, 6 significant digits)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return f"{x:g}"


# ================================================================== autograd: random ops have zero gradients

def _zero_grads(*inputs):
    """A backward function giving every input a zero gradient (PyTorch's formula for random ops)."""
    shapes = [(t._data.shape, t.dtype) for t in inputs]

    def backward(node, grad):
        return tuple(Tensor._make(np.zeros(shape, dtype=dt._np), dt) for shape, dt in shapes)
    return backward


def _grad_recording(node_name):
    """Give an in-place random method PyTorch's history when it writes into a tensor that requires grad:
    a ``node_name`` node (chosen from the call's arguments) whose gradients are zero."""
    def deco(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            from .autograd import grad_mode
            if not (grad_mode._state[0] and (self._requires_grad or self._grad_fn is not None)):
                return method(self, *args, **kwargs)
            from ._ops._common import record
            from ._ops.inplace import apply_inplace
            _check_writable(self)

            def op(t, *a, **k):
                # np.empty_like keeps t's stride order, so the values land in the same element order
                res = Tensor._make(np.empty_like(t._data), t.dtype)
                with grad_mode.no_grad():
                    method(res, *a, **k)
                inputs = (t,) + tuple(x for x in a if isinstance(x, Tensor))
                record(node_name(a, k), res, inputs, _zero_grads(*inputs))
                return res
            return apply_inplace(self, op, *args, **kwargs)
        return wrapper
    return deco


def _random_node_name(args, kwargs):
    given = [x for x in args[:2] if x is not _UNSET] + [kwargs[k] for k in ("from_", "to") if k in kwargs]
    return ("RandomBackward2", "RandomBackward1", "RandomBackward0")[min(len(given), 2)]


# ================================================================== in-place Tensor methods

def _cpu_backed(method):
    """Let an in-place random method fill a tensor on another device: draw into a CPU twin (same stride
    order, so the same element order) from the CPU generator, then copy it over."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.device.type == "cpu":
            return method(self, *args, **kwargs)
        from ._ops._common import check_inplace
        from .autograd.grad_mode import no_grad
        check_inplace(self)
        twin = _empty_like(self, None, None)
        args = [a.cpu() if isinstance(a, Tensor) else a for a in args]
        method(twin, *args, **kwargs)
        with no_grad():
            self.copy_(twin)
        return self
    return wrapper


@_cpu_backed
@_grad_recording(lambda a, k: "UniformBackward0")
def uniform_(self, from_=0, to=1, *, generator=None):
    """Fill with U[from, to) (PyTorch's CPU uniform kernel, bit-exact); complex: both parts."""
    gen = _gen(generator, "uniform_")
    if self.dtype.is_complex:
        _check_writable(self)
        uniform_(_real_view(self), from_, to, generator=gen)
        self._vc[0] += 1
        return self
    if not self.dtype.is_floating_point:
        raise _not_implemented("check_uniform_bounds", self.dtype)
    a, b = float(from_), float(to)
    info = _finfo(self.dtype)
    lo, hi = float(info.min), float(info.max)
    for v, label in ((a, "from"), (b, "to")):
        if not lo <= v <= hi:
            raise RuntimeError(f"{label} is out of bounds for {_cpp_type_name(self.dtype)}")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_fmt(a)} > to={_fmt(b)}")
    if b - a > hi:
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{_limits_name(self.dtype)}>::max(), "
                           f"but found to={_fmt(b)} and from={_fmt(a)} which result in to-from to exceed the limit")
    _check_writable(self)
    n = self._data.size
    if n:
        _write(self, _uniform_values(gen, n, self.dtype, a, b))
    return self


def _finfo(dtype):
    import ml_dtypes
    return ml_dtypes.finfo(dtype._np)


def _limits_name(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16"}[dtype.name]


@_cpu_backed
@_grad_recording(lambda a, k: "NormalBackward0")
def normal_(self, mean=0, std=1, *, generator=None):
    """Fill with N(mean, std^2) samples (PyTorch's CPU normal kernel, bit-exact).

    Complex tensors get independent real and imaginary parts with std / sqrt(2) each."""
    gen = _gen(generator, "normal_")
    mean, std = float(mean), float(std)
    if self.dtype.is_complex:
        if not std >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
        _check_writable(self)
        _fill_normal(_real_view(self), mean, std / math.sqrt(2), gen)
        self._vc[0] += 1
        return self
    _check_float_dtype(self.dtype, "normal_kernel_cpu")
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    _check_writable(self)
    return _fill_normal(self, mean, std, gen)


def _real_view(t):
    """view_as_real(t) for a complex tensor: a float tensor over the same memory, trailing dim 2."""
    arr = t._data
    part = arr.real
    view = np.lib.stride_tricks.as_strided(part, arr.shape + (2,), arr.strides + (part.itemsize,))
    return Tensor._make(view, t.dtype.to_real())


def _dtype_digits(dtype):
    return {"float32": 24, "float64": 53, "float16": 11, "bfloat16": 8}[dtype.name]


def _update_from(frm, dtype):
    # nudge ``from`` up so that it is representable in the floating dtype, as PyTorch does
    digits = _dtype_digits(dtype)
    plus1 = _int_of_cast(frm + 1, dtype)
    if plus1 < frm:
        a = abs(frm + 1)
        nbits = a.bit_length() - 1
        frm = plus1 + (1 << (nbits - digits + 1))
    return frm


def _update_to(to, dtype):
    digits = _dtype_digits(dtype)
    minus1 = _int_of_cast(to - 1, dtype)
    if minus1 >= to:
        a = abs(to - 1)
        nbits = a.bit_length() - 1
        to = minus1 - (1 << (nbits - digits + 1))
    return to


def _int_of_cast(v, dtype):
    """int64(static_cast<scalar_t>(v)) for an int64 v."""
    with np.errstate(over="ignore"):
        x = float(np.array(v, dtype=_f64).astype(dtype._np).astype(_f64)) if dtype is not D.float64 else float(v)
    if not math.isfinite(x) or x >= 2.0 ** 63 or x < -2.0 ** 63:
        return -(1 << 63)  # the x86 conversion of an out-of-range double
    return int(x)


def _check_from_to_in_range(frm, to_inc, dtype):
    name = _cpp_type_name(dtype)
    if dtype.is_floating_point:
        info = _finfo(dtype)
        lo, hi = float(info.min), float(info.max)
        for v, label in ((frm, "from"), (to_inc, "to - 1")):
            if float(v) < lo or float(v) > hi:
                raise RuntimeError(f"{label} is out of bounds for {name}")
        digits = _dtype_digits(dtype)
        # the message ends with the C++ location PyTorch's TORCH_WARN reports, so printed warnings match
        for v, label, line in ((frm, "from", 110), (to_inc, "to - 1", 111)):
            if v < -(1 << digits) or v > (1 << digits):
                warnings.warn(f"{label} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                              f"{name} can support discrete uniform distribution only within this range. This "
                              "warning will become an error in version 1.7 release, please fix the code in advance "
                              "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                              f"DistributionTemplates.h:{line}.)", UserWarning, stacklevel=4)
        return
    if dtype is D.uint64:
        lo, hi = 0, (1 << 63) - 1
    elif dtype is D.bool_:
        lo, hi = 0, 1
    else:
        info = np.iinfo(dtype._np)
        lo, hi = int(info.min), int(info.max)
    for v, label in ((frm, "from"), (to_inc, "to - 1")):
        if v < lo or v > hi:
            raise RuntimeError(f"{label} is out of bounds for {name}")


_RANDOM_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64")


def _random_from_to_values(gen, n, dtype, rng, base):
    """base + draw mod range, with one word per element below 2**28 and one random64 from there on."""
    if rng >= 1 << 28:
        draw = gen._words64(n)
    else:
        draw = gen._words(n).astype(_u64)
    v = (draw % _u64(rng)) + _u64(base & ((1 << 64) - 1))
    return _int64_to_dtype(v.view(_i64), dtype)


def _int64_to_dtype(v, dtype):
    if dtype.is_floating_point:
        # C++ converts an int64 to Half/BFloat16 through float (one rounding each step)
        return v.astype(_f64) if dtype is D.float64 else v.astype(_f32).astype(dtype._np)
    if dtype is D.bool_:
        return v != 0
    return v.astype(dtype._np)


_UNSET = object()


@_cpu_backed
@_grad_recording(_random_node_name)
def random_(self, from_=_UNSET, to=_UNSET, *, generator=None):
    """Fill with integers: random_() over the dtype's range, random_(to) over [0, to), random_(from, to).

    ``random_(from, None)`` draws from [from, the dtype's largest value]."""
    gen = _gen(generator, "random_")
    dtype = self.dtype
    if to is _UNSET:
        from_, to = (_UNSET, _UNSET) if from_ is _UNSET else (0, from_)
    if from_ is _UNSET and to is _UNSET:
        if dtype.name not in _RANDOM_DTYPES:
            raise _not_implemented("random_kernel_cpu", dtype)
        _check_writable(self)
        n = self._data.size
        if n:
            _write(self, _random_full_values(gen, n, dtype))
        return self
    if from_ is _UNSET:
        from_ = 0
    frm = _as_int64(from_)
    if to is None:
        return _random_from_to_open(self, frm, gen)
    to = _as_int64(to)
    if frm >= to:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={frm} >= to={to}")
    if dtype.is_floating_point:
        frm = _update_from(frm, dtype)
        to = _update_to(to, dtype)
        if frm >= to:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but "
                               f"got from={frm} >= to={to}")
    if dtype.name not in _RANDOM_DTYPES and dtype not in (D.uint16, D.uint32, D.uint64):
        raise _not_implemented("random_from_to_kernel_cpu", dtype)
    _check_from_to_in_range(frm, to - 1, dtype)
    _check_writable(self)
    n = self._data.size
    if n:
        _write(self, _random_from_to_values(gen, n, dtype, (to - frm) & ((1 << 64) - 1), frm))
    return self


def _random_from_to_open(self, frm, gen):
    dtype = self.dtype
    if frm == -(1 << 63):
        if dtype not in (D.int64, D.float64, D.float32, D.bfloat16):
            if dtype in (D.int8, D.uint8, D.int16, D.int32):
                raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, float and "
                                   "bfloat16")
            raise _not_implemented("random_full_64_bits_range_kernel_cpu", dtype)
        _check_writable(self)
        n = self._data.size
        if n:
            _write(self, _int64_to_dtype(gen._words64(n).view(_i64), dtype))
        return self
    if dtype.is_floating_point:
        to_inc = min(1 << _dtype_digits(dtype), (1 << 63) - 1)
        frm = _update_from(frm, dtype)
        if frm >= to_inc:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted "
                               f"to dtype, but got from={frm} > to_inc={to_inc}")
    elif dtype is D.bool_:
        to_inc = 1
    elif dtype is D.uint64:
        to_inc = (1 << 64) - 1
    else:
        to_inc = int(np.iinfo(dtype._np).max)
    _check_from_to_in_range(frm, to_inc, dtype)
    _check_writable(self)
    n = self._data.size
    if n:
        rng = (to_inc - frm + 1) & ((1 << 64) - 1)
        _write(self, _random_from_to_values(gen, n, dtype, rng, frm))
    return self


def _as_int64(v):
    if isinstance(v, Tensor):
        v = v.item()
    iv = int(v)
    if iv < -(1 << 63) or iv >= 1 << 63:
        raise ValueError("Overflow when unpacking long long")
    return iv


def _random_full_values(gen, n, dtype):
    name = dtype.name
    if name == "int64":
        return (gen._words64(n) % _u64(1 << 63)).astype(_i64)
    if name == "float64":
        return (gen._words64(n) % _u64((1 << 53) + 1)).astype(_f64)
    w = gen._words(n)
    if name == "bool":
        return (w & _u32(1)).astype(np.bool_)
    mod = {"int32": 1 << 31, "int16": 1 << 15, "int8": 1 << 7, "uint8": 1 << 8, "float32": (1 << 24) + 1,
           "float16": (1 << 11) + 1, "bfloat16": (1 << 8) + 1}[name]
    v = w.astype(_u64) % _u64(mod)
    if dtype.is_floating_point:
        return v.astype(_f32).astype(dtype._np)
    return v.astype(dtype._np)


@_cpu_backed
@_grad_recording(lambda a, k: "BernoulliBackward1" if isinstance(a[0] if a else k.get("p"), Tensor)
                 else "BernoulliBackward2")
def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with Bernoulli(p) draws; ``p`` is a float or a tensor of probabilities broadcast to self."""
    gen = _gen(generator, "bernoulli_")
    if isinstance(p, Tensor):
        return _bernoulli_tensor_(self, p, gen)
    p = float(p)
    if not (0 <= p <= 1):
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_fmt(p)}")
    if self.dtype.name not in _RANDOM_DTYPES:
        raise _not_implemented("bernoulli_scalar_cpu_", self.dtype)
    _check_writable(self)
    n = self._data.size
    if n:
        _write(self, _int64_to_dtype((gen._u53(n) < p).astype(_i64), self.dtype))
    return self


def _bernoulli_tensor_(self, p, gen):
    if not p.dtype.is_floating_point:
        raise _not_implemented("bernoulli_tensor_cpu_p_", p.dtype)
    if self.dtype.name not in _RANDOM_DTYPES:
        raise _not_implemented("bernoulli_tensor_cpu_self_", self.dtype)
    _check_writable(self)
    shape = self._data.shape
    try:
        pb = np.broadcast_to(p._data, shape) if p._data.shape != shape else p._data
        if np.broadcast_shapes(p._data.shape, shape) != shape:
            raise ValueError
    except ValueError:
        raise RuntimeError(f"The expanded size of the tensor ({_mismatch(shape, p._data.shape)[0]}) must match the "
                           f"existing size ({_mismatch(shape, p._data.shape)[1]}) at non-singleton dimension "
                           f"{_mismatch(shape, p._data.shape)[2]}.  Target sizes: [{', '.join(map(str, shape))}].  "
                           f"Tensor sizes: [{', '.join(map(str, p._data.shape))}]") from None
    if p._data.size and not bool(((pb >= 0) & (pb <= 1)).all()):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
                           "be improved?  If so, please report an enhancement request to PyTorch.)")
    n = self._data.size
    if n == 0:
        return self
    probs = _memory_order_like(self._data, pb).reshape(-1)
    if p.dtype is D.float64:
        hit = gen._u53(n) < probs
    else:
        hit = gen._u24(n) < probs.astype(_f32)
    _write(self, _int64_to_dtype(hit.astype(_i64), self.dtype))
    return self


def _mismatch(target, shape):
    off = len(target) - len(shape)
    for i in range(len(shape) - 1, -1, -1):
        if shape[i] != 1 and shape[i] != target[off + i]:
            return target[off + i], shape[i], off + i
    return target[0] if target else 0, shape[0] if shape else 0, 0


def _memory_order_like(out_arr, other):
    """``other`` (broadcast to out_arr's shape) arranged in out_arr's memory order."""
    if out_arr.flags.c_contiguous or out_arr.ndim < 2:
        return np.ascontiguousarray(other)
    perm = _memory_perm(out_arr)
    return np.ascontiguousarray(other.transpose(perm))


@_cpu_backed
@_grad_recording(lambda a, k: "ExponentialBackward0")
def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exp(lambd) samples: -1/lambd * log1p(-u) in double."""
    gen = _gen(generator, "exponential_")
    if not self.dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_type_label(self.dtype)}")
    lambd = float(lambd)
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    _check_writable(self)
    n = self._data.size
    if n:
        x = gen._u53(n)
        _write(self, _to_dtype((-1.0 / lambd) * _libm(math.log1p, -x), self.dtype))
    return self


@_cpu_backed
@_grad_recording(lambda a, k: "CauchyBackward0")
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill with Cauchy(median, sigma) samples: fma(sigma, tan(pi * (u - 0.5)), median) in double."""
    gen = _gen(generator, "cauchy_")
    if not self.dtype.is_floating_point:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a floating "
                           f"point but you specified {_cpp_type_name(self.dtype)}")
    median, sigma = float(median), float(sigma)
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_fmt(sigma)}")
    _check_writable(self)
    n = self._data.size
    if n:
        x = gen._u53(n)
        _write(self, _to_dtype(_fma64(sigma, _libm(math.tan, math.pi * (x - 0.5)), median), self.dtype))
    return self


@_cpu_backed
@_grad_recording(lambda a, k: "GeometricBackward0")
def geometric_(self, p, *, generator=None):
    """Fill with Geometric(p) samples (number of trials to the first success): ceil(log(u) / log1p(-p))."""
    gen = _gen(generator, "geometric_")
    p = float(p)
    if not (0 < p < 1):
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    if self.dtype.name not in _RANDOM_DTYPES or self.dtype is D.bool_:
        raise _not_implemented("geometric_cpu", self.dtype)
    _check_writable(self)
    n = self._data.size
    if n:
        x = gen._u53(n)
        v = np.ceil(_libm(_safe_log, x) / math.log1p(-p))
        if self.dtype.is_floating_point:
            _write(self, _to_dtype(v, self.dtype))
        else:
            with np.errstate(invalid="ignore"):
                _write(self, _double_to_int(v, self.dtype))
    return self


def _double_to_int(v, dtype):
    """static_cast from double as x86 code does it: int64 directly; narrower types through a 32-bit
    conversion, which yields INT32_MIN for values outside the int32 range, then wrap."""
    if dtype is D.bool_:
        return v != 0
    if dtype is D.int64:
        return v.astype(_i64)
    fits = np.isfinite(v) & (v > -2.0 ** 31 - 1) & (v < 2.0 ** 31)
    i32 = np.where(fits, v, 0).astype(np.int32)
    i32[~fits] = np.iinfo(np.int32).min
    return i32.astype(dtype._np)


@_cpu_backed
@_grad_recording(lambda a, k: "LogNormalBackward0")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill with exp(N(mean, std^2)) samples, drawn through the serial normal path (shared cache)."""
    gen = _gen(generator, "log_normal_")
    _check_float_dtype(self.dtype, "log_normal_cpu")
    mean, std = float(mean), float(std)
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_fmt(std)}")
    _check_writable(self)
    n = self._data.size
    if n:
        z = _serial_normals(gen, n, mean, std)
        with np.errstate(over="ignore"):
            _write(self, _to_dtype(_libm(_safe_exp, z), self.dtype))
    return self


def _safe_exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


# ================================================================== factory functions

def _parse_size(name, size, kw_size=None):
    if kw_size is not None:
        if size:
            raise TypeError(f"{name}() got multiple values for argument 'size'")
        size = (kw_size,)
    if len(size) == 1 and not isinstance(size[0], (int, np.integer)) and not (
            isinstance(size[0], Tensor) and size[0].dim() == 0):
        seq = size[0]
        if isinstance(seq, (tuple, list)):
            size = tuple(seq)
        else:
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, but found element of "
                            f"type {type(seq).__name__} at pos 0")
    out = []
    for i, s in enumerate(size):
        if isinstance(s, (bool, float)) or not isinstance(s, (int, np.integer, Tensor)):
            raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos {i + 1} with error "
                            f"\"type must be tuple of ints,but got {type(s).__name__}\"")
        out.append(operator.index(s))
    for s in out:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: [{', '.join(map(str, out))}]")
    return tuple(out)


def _no_args_error(name):
    sig = ("(tuple of ints size, *, torch.Generator generator, Tensor out = None, torch.dtype dtype = None, "
           "torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
           "bool requires_grad = False)")
    sig2 = ("(tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
            "torch.device device = None, bool pin_memory = False, bool requires_grad = False)")
    return TypeError(f"{name}() received an invalid combination of arguments - got (), but expected one of:\n"
                     f" * {sig}\n * {sig2}\n")


def _target_device(device):
    """None for the CPU; otherwise the device a result must be moved to after it is drawn on the CPU.

    An empty tensor is moved there first, so a device tritongrad cannot use raises the core's error
    before anything is drawn (as PyTorch raises before drawing)."""
    if device is None:
        return None
    dev = device if isinstance(device, _device_cls) else _device_cls(device)
    if dev.type == "cpu":
        return None
    _new_empty((0,), D.float32).to(dev)
    return dev


def _check_layout(layout, name):
    if layout is None:
        return
    if getattr(layout, "_name", None) not in (None, "strided") and str(layout) != "torch.strided":
        raise NotImplementedError(f"Could not run 'aten::{name}' with arguments from the 'SparseCPU' backend.")


def _new_empty(shape, dtype):
    return Tensor._make(np.empty(shape, dtype=dtype._np), dtype)


def _prepare_out(out, shape, dtype, explicit_dtype, warn=False):
    """The tensor a function with ``out=`` writes into, resized when its shape differs (silently, as the
    random factories' resize_ does, or with resize_output's deprecation warning when ``warn``)."""
    if explicit_dtype is not None and explicit_dtype is not out.dtype:
        raise RuntimeError(f"dtype {_type_label(explicit_dtype)} does not match dtype of out parameter "
                           f"({_type_label(out.dtype)})")
    if tuple(out._data.shape) != tuple(shape):
        if warn and out._data.size:
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"[{', '.join(map(str, out._data.shape))}], which does not match the required output "
                          f"shape [{', '.join(map(str, shape))}]. This behavior is deprecated, and in a future "
                          "PyTorch release outputs will not be resized unless they have zero elements. You can "
                          "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
                          "t.resize_(0). (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                          "Resize.cpp:30.)", UserWarning, stacklevel=4)
        if hasattr(out, "resize_"):
            out.resize_(shape)
        else:  # pragma: no cover - core without resize_
            out._data = np.empty(shape, dtype=out.dtype._np)
            out._storage = None
    return out


def _finish(t, requires_grad, device=None):
    if device is not None:
        t = t.to(device)
    if requires_grad:
        if not (t.dtype.is_floating_point or t.dtype.is_complex):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t.requires_grad_(True)
    return t


def _factory(name, size, kw_size, dtype, out, layout, device, requires_grad, fill, default_dtype=None):
    if not size and kw_size is None:
        raise _no_args_error(name)
    shape = _parse_size(name, size, kw_size)
    dev = _target_device(device)
    _check_layout(layout, name)
    if out is not None:
        t = _prepare_out(out, shape, dtype, dtype)
        _check_writable(t)
        fill(t)
        return _finish(t, requires_grad)
    dt = dtype if dtype is not None else (default_dtype or D.get_default_dtype())
    t = _new_empty(shape, dt)
    fill(t)
    return _finish(t, requires_grad, dev)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False, **kwargs):
    """Uniform samples on [0, 1)."""
    kw_size = kwargs.pop("size", None)
    _reject_kwargs("rand", kwargs)
    return _factory("rand", size, kw_size, dtype, out, layout, device, requires_grad,
                    lambda t: uniform_(t, 0.0, 1.0, generator=generator))


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, **kwargs):
    """Standard normal samples."""
    kw_size = kwargs.pop("size", None)
    _reject_kwargs("randn", kwargs)
    return _factory("randn", size, kw_size, dtype, out, layout, device, requires_grad,
                    lambda t: normal_(t, 0.0, 1.0, generator=generator))


def _reject_kwargs(name, kwargs):
    if kwargs:
        k = next(iter(kwargs))
        raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")


def _empty_like(input, dtype, memory_format):
    """empty_like with PyTorch's memory-format rules (preserve_format keeps a dense input's stride order)."""
    dtype = dtype if dtype is not None else input.dtype
    shape, strides = tuple(input.shape), tuple(input.stride())
    fmt = getattr(memory_format, "_name", None) if memory_format is not None else "preserve_format"
    if fmt is None:
        fmt = str(memory_format).replace("torch.", "")
    if fmt in ("channels_last", "channels_last_3d"):
        return _strided_empty(shape, [0] + list(range(2, len(shape))) + [1], dtype)
    if fmt == "contiguous_format" or len(shape) < 2 or input.is_contiguous():
        return _new_empty(shape, dtype)
    if _is_non_overlapping_and_dense(shape, strides):
        return _strided_empty(shape, sorted(range(len(shape)), key=lambda i: -strides[i]), dtype)
    return _new_empty(shape, dtype)


def _strided_empty(shape, perm, dtype):
    """An empty tensor of ``shape`` whose memory order follows ``perm`` (outermost dim first)."""
    base = np.empty([shape[i] for i in perm], dtype=dtype._np)
    inv = np.argsort(perm)
    return Tensor._make(base.transpose(inv), dtype)


def _is_non_overlapping_and_dense(shape, strides):
    dims = sorted((s, n) for n, s in zip(shape, strides) if n != 1)
    expected = 1
    for s, n in dims:
        if s != expected:
            return False
        expected *= n
    return True


def _like(name, input, dtype, layout, device, requires_grad, memory_format, fill):
    dev = _target_device(device if device is not None else input.device)
    _check_layout(layout, name)
    t = _empty_like(input, dtype, memory_format)
    fill(t)
    return _finish(t, requires_grad, dev)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              generator=None):
    """rand with the shape (and by default the dtype and stride order) of ``input``."""
    return _like("rand_like", input, dtype, layout, device, requires_grad, memory_format,
                 lambda t: uniform_(t, 0.0, 1.0, generator=generator))


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               generator=None):
    """randn with the shape (and by default the dtype and stride order) of ``input``."""
    return _like("randn_like", input, dtype, layout, device, requires_grad, memory_format,
                 lambda t: normal_(t, 0.0, 1.0, generator=generator))


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
            pin_memory=False, **kwargs):
    """randint(low=0, high, size): integers in [low, high), int64 unless ``dtype`` says otherwise."""
    low, high, size = _randint_args("randint", args, kwargs)
    shape = _parse_size("randint", (size,))
    dev = _target_device(device)
    _check_layout(layout, "randint")
    dt = dtype if dtype is not None else D.int64
    t = _prepare_out(out, shape, dtype, dtype) if out is not None else _new_empty(shape, dt)
    random_(t, low, high, generator=generator)
    return _finish(t, requires_grad, dev if out is None else None)


def _randint_args(name, args, kwargs):
    args = list(args)
    low = kwargs.pop("low", None)
    high = kwargs.pop("high", None)
    size = kwargs.pop("size", None)
    _reject_kwargs(name, kwargs)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if high is None and args:
        high = args.pop()
    if low is None and args:
        low = args.pop()
    if args:
        raise TypeError(f"{name}() received an invalid combination of arguments")
    if high is None or size is None:
        if size is None and high is not None and low is not None and isinstance(high, int):
            raise TypeError(f"{name}(): argument 'size' (position 2) must be tuple of ints, not int")
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"({', '.join(type(a).__name__ for a in (low, high, size) if a is not None)}), but expected "
                        "one of:\n * (int high, tuple of ints size, *, torch.Generator generator, Tensor out = None, "
                        "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
                        "bool pin_memory = False, bool requires_grad = False)\n * (int low, int high, tuple of ints "
                        "size, *, torch.Generator generator, Tensor out = None, torch.dtype dtype = None, "
                        "torch.layout layout = None, torch.device device = None, bool pin_memory = False, "
                        "bool requires_grad = False)\n")
    return (0 if low is None else low), high, size


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None, generator=None):
    """randint with the shape (and by default the dtype) of ``input``; randint_like(x, high) or (x, low, high)."""
    if high is None:
        low, high = 0, low
    return _like("randint_like", input, dtype, layout, device, requires_grad, memory_format,
                 lambda t: random_(t, low, high, generator=generator))


_RANDPERM_LARGE = 214748364  # floor((2**32 - 1) / 20): from here PyTorch switches algorithm


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    """A random permutation of 0..n-1 (Fisher-Yates with PyTorch's draw order)."""
    n = operator.index(n) if not isinstance(n, Tensor) else int(n.item())
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dev = _target_device(device)
    _check_layout(layout, "randperm")
    dt = dtype if dtype is not None else D.int64
    if out is not None:
        dt = out.dtype
    if dt is D.bool_ or dt.is_complex:
        raise _not_implemented("randperm", dt)
    if not dt.is_floating_point and n > 0:
        info = np.iinfo(dt._np)
        if n - 1 > info.max:
            raise RuntimeError(f"value cannot be converted to type {_c_int_name(dt)} without overflow")
    limit = {"float16": (2049, "2049", "Half"), "float32": ((1 << 24) + 1, "2^24+1", "Float"),
             "float64": ((1 << 53) + 1, "2^53+1", "Double")}.get(dt.name)
    if limit is not None and n > limit[0]:
        raise RuntimeError(f"n cannot be greater than {limit[1]} for {limit[2]} type.")
    gen = _gen(generator, "randperm")
    perm = _randperm_values(gen, n)
    t = _prepare_out(out, (n,), dtype, dtype) if out is not None else _new_empty((n,), dt)
    if n:
        _write(t, perm.astype(dt._np))
    return _finish(t, requires_grad, dev if out is None else None)


def _c_int_name(dt):
    return {"int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int32_t", "int64": "int64_t",
            "uint16": "uint16_t", "uint32": "uint32_t", "uint64": "uint64_t"}.get(dt.name, dt.name)


def _randperm_values(gen, n):
    if n < _RANDPERM_LARGE:
        perm = list(range(n))
        if n > 1:
            z = (gen._words(n - 1).astype(_i64) % np.arange(n, 1, -1, dtype=_i64)).tolist()
            for i, zi in enumerate(z):
                j = i + zi
                perm[i], perm[j] = perm[j], perm[i]
        return np.array(perm, dtype=_i64)
    out = np.empty(n, dtype=_i64)
    draws = gen._words64(n)
    for i in range(n):
        z = int(draws[i] % np.uint64(i + 1))
        out[i] = out[z]
        out[z] = i
    return out


# ================================================================== normal, bernoulli, multinomial

def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           pin_memory=False, requires_grad=False):
    """torch.normal: (Tensor, Tensor), (Tensor, float), (float, Tensor) or (float, float, size)."""
    gen = _gen(generator, "normal")
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mt and not st:
        if size is None:
            raise TypeError(
                f"normal() received an invalid combination of arguments - got ({type(mean).__name__}, "
                f"{type(std).__name__}), but expected one of:\n"
                " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
                " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
                " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
                " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
                "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                "torch.device device = None, bool pin_memory = False, bool requires_grad = False)\n")
        m, s = float(mean), float(std)
        return _factory("normal", (size,), None, dtype, out, layout, device, requires_grad,
                        lambda t: normal_(t, m, s, generator=gen))
    if mt and st:
        if not bool((std._data >= 0).all()):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        _broadcast_or_raise(mean._data.shape, std._data.shape)
        shape = np.broadcast_shapes(mean._data.shape, std._data.shape)
        dt = mean.dtype
    elif mt:
        s = float(std)
        if not s >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(s)}")
        shape, dt = mean._data.shape, mean.dtype
        if out is not None:
            # PyTorch broadcasts mean against a tensor shaped like ``out``
            _broadcast_or_raise(mean._data.shape, out._data.shape)
            shape = np.broadcast_shapes(mean._data.shape, out._data.shape)
    else:
        if not bool((std._data >= 0).all()):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        shape, dt = std._data.shape, std.dtype
    t = _prepare_out(out, shape, None, None, warn=True) if out is not None else _new_empty(shape, dt)
    _check_float_dtype(t.dtype, "normal_kernel_cpu")
    if mt and not st:
        # normal_(0, std) then out += mean
        _fill_normal(t, 0.0, float(std), gen)
        _inplace_binary(t, mean, np.add)
        return _record_zero_grad(t, "NormalBackward1", (mean,))
    _fill_normal(t, 0.0, 1.0, gen)
    # then out *= std; out += mean, each one rounded operation in the output dtype (float opmath for 16-bit);
    # a float mean becomes a 0-d tensor of the output's dtype first
    _inplace_binary(t, std, np.multiply)
    inputs = (mean, std) if mt else (std,)
    if not mt:
        mean = Tensor._make(np.array(float(mean), dtype=t.dtype._np), t.dtype)
    _inplace_binary(t, mean, np.add)
    return _record_zero_grad(t, "NormalBackward3" if mt else "NormalBackward2", inputs)


def _record_zero_grad(out, name, inputs):
    from ._ops._common import needs_grad, record
    if needs_grad(*inputs):
        record(name, out, inputs, _zero_grads(*inputs))
    return out


def _broadcast_or_raise(a, b):
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        n = max(len(a), len(b))
        for i in range(1, n + 1):
            x = a[-i] if i <= len(a) else 1
            y = b[-i] if i <= len(b) else 1
            if x != y and x != 1 and y != 1:
                raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                                   f"non-singleton dimension {n - i}") from None


def _inplace_binary(t, other, op):
    dt = t.dtype
    if isinstance(other, Tensor):
        compute = np.result_type(dt._np, other.dtype._np) if other.dtype.is_floating_point else dt._np
        if dt.name in _FLOATS16 and other.dtype.name in _FLOATS16:
            compute = _f32
        if np.dtype(compute).name == "bfloat16" or np.dtype(compute) == np.float16:
            compute = _f32
        res = op(t._data.astype(compute), other._data.astype(compute))
    else:
        compute = _f32 if dt.name in _FLOATS16 else dt._np
        res = op(t._data.astype(compute), np.asarray(float(other), dtype=compute))
    t._data[...] = res.astype(dt._np)


def bernoulli(input, p=None, *, generator=None, out=None):
    """Bernoulli draws with probabilities ``input`` (or the scalar ``p``), shaped and typed like input."""
    gen = _gen(generator, "bernoulli")
    # the result is a fresh contiguous tensor (not input's stride order), drawn in row-major order
    t = _new_empty(input._data.shape, input.dtype) if out is None else _prepare_out(out, input._data.shape, None,
                                                                                     None)
    if p is None:
        return _record_zero_grad(_bernoulli_tensor_(t, input, gen), "BernoulliBackward0", (input,))
    return bernoulli_(t, p, generator=gen)


def _tensor_bernoulli(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Sample indices from the rows of ``input`` (non-negative weights), PyTorch's CPU algorithms."""
    gen = _gen(generator, "multinomial")
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_type_label(input.dtype)}")
    if out is not None and out.dtype is not D.int64:
        raise RuntimeError(f"multinomial expects Long tensor out, got: {_type_label(out.dtype)}")
    k = operator.index(num_samples)
    if k <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    probs = input._data
    ncat = probs.shape[-1]
    if not replacement and k > ncat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if ncat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = probs.reshape(-1, ncat) if probs.ndim == 2 else probs.reshape(1, ncat)
    out_shape = (k,) if probs.ndim == 1 else (probs.shape[0], k)
    if not replacement or k == 1:
        result = _multinomial_exponential(input, rows, k, gen)
    else:
        result = _multinomial_replacement(rows, k, gen)
    result = result.reshape(out_shape)
    if out is not None:
        t = _prepare_out(out, out_shape, None, None)
        t._data[...] = result
        t._vc[0] += 1
        return t
    return Tensor._make(result, D.int64)


def _multinomial_exponential(input, rows, k, gen):
    if rows.size:
        with np.errstate(invalid="ignore"):
            valid = bool(np.max(rows) < np.inf) and bool(np.min(rows) >= 0)
        if not valid:
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    sums = rows.astype(_f64).sum(axis=1) if rows.size else np.zeros(rows.shape[0])
    if rows.shape[0] and bool((sums == 0).any()):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    # q ~ Exp(1) shaped like input (memory order of input's layout), then the largest p / q win
    q_t = _empty_like(input, None, None)
    exponential_(q_t, 1.0, generator=gen)
    q = q_t._data.reshape(rows.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (rows / q).astype(rows.dtype)
    if k == 1:
        key = np.where(np.isnan(ratio), np.inf, ratio)
        return np.argmax(key, axis=1).astype(_i64).reshape(-1, 1)
    order = np.argsort(-ratio.astype(_f64), axis=1, kind="stable")[:, :k].astype(_i64)
    for i in range(ratio.shape[0]):
        row = ratio[i].astype(_f64)
        top = row[order[i]]
        # equal values at or above the k-th largest make the result depend on the order in which
        # PyTorch's topk (libstdc++ selection and sorting algorithms) leaves ties
        if np.isnan(row).any() or np.unique(top).size < k or int((row == top[-1]).sum()) > 1:
            order[i] = _topk_largest(row.tolist(), k)
    return order


# --- PyTorch's CPU topk(largest=True, sorted=True) keeps ties in the order left by libstdc++'s
# std::partial_sort (k * 64 <= n) or std::nth_element followed by std::sort of the first k - 1;
# these emulate those algorithms step by step on a list of (value, index) pairs

def _before(x, y):
    """topk's comparator: NaN first, then larger values."""
    xv, yv = x[0], y[0]
    return (xv != xv and yv == yv) or xv > yv


def _topk_largest(values, k):
    a = [(v, j) for j, v in enumerate(values)]
    n = len(a)
    if k * 64 <= n:
        _heap_select(a, 0, k, n)
        _sort_heap(a, 0, k)
    else:
        _nth_element(a, 0, k - 1, n)
        _std_sort(a, 0, k - 1)
    return [j for _, j in a[:k]]


def _lg(n):
    return n.bit_length() - 1


def _adjust_heap(a, first, hole, length, value):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if _before(a[first + child], a[first + child - 1]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if (length & 1) == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and _before(a[first + parent], value):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = value


def _make_heap(a, first, last):
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(a, first, parent, length, a[first + parent])
        if parent == 0:
            return
        parent -= 1


def _pop_heap(a, first, last, result):
    value = a[result]
    a[result] = a[first]
    _adjust_heap(a, first, 0, last - first, value)


def _heap_select(a, first, middle, last):
    _make_heap(a, first, middle)
    for i in range(middle, last):
        if _before(a[i], a[first]):
            _pop_heap(a, first, middle, i)


def _sort_heap(a, first, last):
    while last - first > 1:
        last -= 1
        _pop_heap(a, first, last, last)


def _move_median_to_first(a, result, x, y, z):
    if _before(a[x], a[y]):
        if _before(a[y], a[z]):
            a[result], a[y] = a[y], a[result]
        elif _before(a[x], a[z]):
            a[result], a[z] = a[z], a[result]
        else:
            a[result], a[x] = a[x], a[result]
    elif _before(a[x], a[z]):
        a[result], a[x] = a[x], a[result]
    elif _before(a[y], a[z]):
        a[result], a[z] = a[z], a[result]
    else:
        a[result], a[y] = a[y], a[result]


def _unguarded_partition(a, first, last, pivot):
    while True:
        while _before(a[first], a[pivot]):
            first += 1
        last -= 1
        while _before(a[pivot], a[last]):
            last -= 1
        if not first < last:
            return first
        a[first], a[last] = a[last], a[first]
        first += 1


def _partition_pivot(a, first, last):
    mid = first + (last - first) // 2
    _move_median_to_first(a, first, first + 1, mid, last - 1)
    return _unguarded_partition(a, first + 1, last, first)


def _insertion_sort(a, first, last):
    for i in range(first + 1, last):
        if _before(a[i], a[first]):
            val = a[i]
            a[first + 1:i + 1] = a[first:i]
            a[first] = val
        else:
            _unguarded_linear_insert(a, i)


def _unguarded_linear_insert(a, last):
    val = a[last]
    nxt = last - 1
    while _before(val, a[nxt]):
        a[last] = a[nxt]
        last = nxt
        nxt -= 1
    a[last] = val


def _nth_element(a, first, nth, last):
    if first == last or nth == last:
        return
    depth = 2 * _lg(last - first)
    while last - first > 3:
        if depth == 0:
            _heap_select(a, first, nth + 1, last)
            a[first], a[nth] = a[nth], a[first]
            return
        depth -= 1
        cut = _partition_pivot(a, first, last)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(a, first, last)


def _std_sort(a, first, last):
    if last - first < 2:
        return
    _introsort_loop(a, first, last, 2 * _lg(last - first))
    if last - first > 16:
        _insertion_sort(a, first, first + 16)
        for i in range(first + 16, last):
            _unguarded_linear_insert(a, i)
    else:
        _insertion_sort(a, first, last)


def _introsort_loop(a, first, last, depth):
    while last - first > 16:
        if depth == 0:
            _heap_select(a, first, last, last)
            _sort_heap(a, first, last)
            return
        depth -= 1
        cut = _partition_pivot(a, first, last)
        _introsort_loop(a, cut, last, depth)
        last = cut


def _multinomial_replacement(rows, k, gen):
    nrows, ncat = rows.shape
    result = np.empty((nrows, k), dtype=_i64)
    acc = _f32 if rows.dtype != _f64 else _f64
    for i in range(nrows):
        row = rows[i].astype(acc)
        if bool((row < 0).any()):
            raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
        if not bool(np.isfinite(row).all()):
            raise RuntimeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)")
        cum = np.cumsum(row, dtype=acc)  # sequential adds in the accumulation dtype
        total = cum[-1] if ncat else acc(0)
        if not total > 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cum = (cum / total).astype(acc)
        if rows.dtype != acc:
            cum = cum.astype(rows.dtype).astype(acc)
        cum[-1] = 1
        x = gen._u53(k)
        result[i] = np.searchsorted(cum.astype(_f64), x, side="left")
    return result


# ================================================================== dropout masks (for nn.functional)

def dropout_mask(input, p, generator=None):
    """The tensor PyTorch's CPU ``F.dropout(input, p, training=True)`` multiplies ``input`` by.

    noise = empty_like(input).bernoulli_(1 - p) / (1 - p), in input's dtype and stride order. When PyTorch
    draws nothing (p == 0 or an empty input) this returns ones shaped like input without drawing; for p == 1
    it returns a 0-d zero (PyTorch multiplies by zeros({}) there, also without drawing).
    """
    p = float(p)
    if not (0 <= p <= 1):
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {_fmt(p)}")
    if p == 1:
        return Tensor._make(np.zeros((), dtype=input.dtype._np), input.dtype)
    if p == 0 or input._data.size == 0:
        return Tensor._make(np.ones(input._data.shape, dtype=input.dtype._np), input.dtype)
    noise = _empty_like(input, None, None)
    return _scale_noise(bernoulli_(noise, 1 - p, generator=generator), 1 - p)


def feature_dropout_mask(input, p, generator=None):
    """The (N, C, 1, ..., 1) mask PyTorch's CPU feature dropout (dropout2d/3d) multiplies ``input`` by."""
    p = float(p)
    if not (0 <= p <= 1):
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {_fmt(p)}")
    if input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    if p == 1:
        return Tensor._make(np.zeros((), dtype=input.dtype._np), input.dtype)
    shape = tuple(input._data.shape[:2]) + (1,) * (input.dim() - 2)
    if p == 0 or input._data.size == 0:
        return Tensor._make(np.ones(shape, dtype=input.dtype._np), input.dtype)
    noise = _new_empty(shape, input.dtype)
    return _scale_noise(bernoulli_(noise, 1 - p, generator=generator), 1 - p)


def _scale_noise(noise, keep):
    _inplace_binary(noise, keep, np.divide)
    return noise


# ================================================================== Tensor bindings

def _bind():
    Tensor.uniform_ = uniform_
    Tensor.normal_ = normal_
    Tensor.random_ = random_
    Tensor.bernoulli_ = bernoulli_
    Tensor.exponential_ = exponential_
    Tensor.cauchy_ = cauchy_
    Tensor.geometric_ = geometric_
    Tensor.log_normal_ = log_normal_
    Tensor.bernoulli = _tensor_bernoulli
    Tensor.multinomial = multinomial


_bind()
