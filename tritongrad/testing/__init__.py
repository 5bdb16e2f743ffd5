"""torch.testing: ``assert_close`` with PyTorch's default tolerances and messages, and ``make_tensor``."""
import collections.abc
import math
import warnings

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor

__all__ = ["assert_close", "make_tensor"]

# (rtol, atol) PyTorch uses when both are omitted; integer and bool dtypes compare exactly
_DEFAULT_TOLERANCES = {
    D.float16: (1e-3, 1e-5), D.bfloat16: (1.6e-2, 1e-5), D.float32: (1.3e-6, 1e-5), D.float64: (1e-7, 1e-7),
    D.complex64: (1.3e-6, 1e-5), D.complex128: (1e-7, 1e-7),
}
_NUMPY_TO_DTYPE = {np.dtype(np.float16): D.float16, np.dtype(np.float32): D.float32,
                   np.dtype(np.float64): D.float64, np.dtype(np.complex64): D.complex64,
                   np.dtype(np.complex128): D.complex128}


class _ErrorMeta(Exception):
    """An assertion failure on the way down a nested structure; ``path`` collects the item keys."""

    def __init__(self, kind, msg, path=()):
        super().__init__(msg)
        self.kind = kind
        self.msg = msg
        self.path = path


def _type_repr(obj):
    # the message names the public class, as PyTorch's does
    if isinstance(obj, Tensor):
        return "<class 'torch.Tensor'>"
    return repr(type(obj))


def _tolerances(dtypes, rtol, atol):
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         f"{'rtol' if rtol is None else 'atol'}.")
    if rtol is not None:
        return rtol, atol
    pairs = [_DEFAULT_TOLERANCES.get(d, (0.0, 0.0)) for d in dtypes]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def _attr_mismatch(name, a, b):
    return _ErrorMeta(AssertionError, f"The values for attribute '{name}' do not match: {a} != {b}.")


def _isclose(a, b, rtol, atol, equal_nan):
    with np.errstate(invalid="ignore", over="ignore"):
        if a.dtype.kind in "biu" and b.dtype.kind in "biu":
            return a == b
        close = (a == b) | (np.abs(a - b) <= atol + rtol * np.abs(b))
        if equal_nan:
            close |= np.isnan(a) & np.isnan(b)
        return close


def _fmt(v):
    return repr(v)


def _tensor_mismatch(a, b, matches, rtol, atol, exact):
    total = matches.size
    bad = total - int(matches.sum())
    lines = [f"Mismatched elements: {bad} / {total} ({bad / total:.1%})"]
    af, bf, mf = a.reshape(-1), b.reshape(-1), matches.reshape(-1)
    if af.dtype.kind in "biu":
        af, bf = af.astype(np.int64), bf.astype(np.int64)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        abs_diff = np.abs(af - bf)
        abs_diff[mf] = 0
        rel_den = np.abs(bf)
        if abs_diff.dtype.kind in "iu":
            rel = abs_diff.astype(np.float32) / rel_den.astype(np.float32)
        else:
            rel = abs_diff / rel_den
        rel[mf] = 0
    shape = a.shape

    def greatest(arr):
        i = int(np.argmax(arr)) if not np.isnan(arr).any() else int(np.flatnonzero(np.isnan(arr))[0])
        idx = tuple(int(k) for k in np.unravel_index(i, shape)) if shape else ()
        return arr[i].item(), idx

    max_abs, abs_idx = greatest(abs_diff)
    max_rel, rel_idx = greatest(rel)
    if exact:
        lines.append(f"Greatest absolute difference: {_fmt(max_abs)} at index {abs_idx}")
        lines.append(f"Greatest relative difference: {_fmt(max_rel)} at index {rel_idx}")
    else:
        lines.append(f"Greatest absolute difference: {_fmt(max_abs)} at index {abs_idx} (up to {atol} allowed)")
        lines.append(f"Greatest relative difference: {_fmt(max_rel)} at index {rel_idx} (up to {rtol} allowed)")
    return "\n".join(lines)


def _compare_tensors(actual, expected, rtol, atol, equal_nan, check_device, check_dtype, check_layout,
                     check_stride):
    is_np = isinstance(actual, np.ndarray)
    if is_np:
        a, b = actual, expected
        a_dt, b_dt = _NUMPY_TO_DTYPE.get(a.dtype), _NUMPY_TO_DTYPE.get(b.dtype)
        if a.shape != b.shape:
            from .._device import Size
            raise _attr_mismatch("shape", Size(a.shape), Size(b.shape))
        if check_dtype and a.dtype != b.dtype:
            from .._dtype import from_numpy_dtype
            raise _attr_mismatch("dtype", from_numpy_dtype(a.dtype), from_numpy_dtype(b.dtype))
        dtypes = [d for d in (a_dt, b_dt) if d is not None]
    else:
        if actual.shape != expected.shape:
            raise _attr_mismatch("shape", actual.shape, expected.shape)
        if check_dtype and actual.dtype is not expected.dtype:
            raise _attr_mismatch("dtype", actual.dtype, expected.dtype)
        if check_stride and actual.stride() != expected.stride():
            raise _attr_mismatch("stride()", actual.stride(), expected.stride())
        a, b = actual.detach()._data, expected.detach()._data
        dtypes = [actual.dtype, expected.dtype]
    rtol, atol = _tolerances(dtypes, rtol, atol)
    if a.dtype != b.dtype:
        common = np.promote_types(a.dtype, b.dtype)
        a, b = a.astype(common), b.astype(common)
    if a.dtype.name == "bfloat16":
        a, b = a.astype(np.float32), b.astype(np.float32)
    matches = _isclose(a, b, rtol, atol, equal_nan)
    if matches.all():
        return
    exact = rtol == 0 and atol == 0 and a.dtype.kind in "biu"
    if a.ndim == 0:
        raise _ErrorMeta(AssertionError, _scalar_mismatch(a.item(), b.item(), rtol, atol, exact))
    head = "Tensor-likes are not equal!" if exact else "Tensor-likes are not close!"
    raise _ErrorMeta(AssertionError, head + "\n\n" + _tensor_mismatch(a, b, matches, rtol, atol, exact))


def _is_number(x):
    return isinstance(x, (bool, int, float, complex, np.number)) and not isinstance(x, np.ndarray)


def _compare_scalars(actual, expected, rtol, atol, equal_nan, check_dtype):
    if type(actual) is not type(expected) and check_dtype:
        raise _ErrorMeta(AssertionError, f"The (d)types do not match: {type(actual)} != {type(expected)}.")
    if rtol is None and atol is None:
        if isinstance(actual, (bool, int)) and isinstance(expected, (bool, int)):
            rtol = atol = 0.0
        else:
            rtol, atol = _DEFAULT_TOLERANCES[D.float64]
    elif (rtol is None) != (atol is None):
        _tolerances([], rtol, atol)
    if actual == expected or equal_nan and actual != actual and expected != expected:
        return
    diff = abs(actual - expected)
    if diff <= atol + rtol * abs(expected):
        return
    exact = rtol == 0 and atol == 0 and isinstance(actual, int) and isinstance(expected, int)
    raise _ErrorMeta(AssertionError, _scalar_mismatch(actual, expected, rtol, atol, exact))


def _scalar_mismatch(actual, expected, rtol, atol, exact):
    diff = abs(actual - expected)
    if diff != diff:
        rel = diff
    else:
        rel = diff / abs(expected) if expected != 0 else math.inf
    if exact:
        return (f"Scalars are not equal!\n\nExpected {expected} but got {actual}.\nAbsolute difference: {diff}\n"
                f"Relative difference: {rel}")
    return (f"Scalars are not close!\n\nExpected {expected} but got {actual}.\nAbsolute difference: {diff} (up to "
            f"{atol} allowed)\nRelative difference: {rel} (up to {rtol} allowed)")


def _compare(actual, expected, path, **kw):
    if actual is None or expected is None:
        if actual is None and expected is None:
            return
        raise _ErrorMeta(AssertionError, f"None mismatch: {actual} is not {expected}")
    tensorish = (Tensor, np.ndarray)
    if isinstance(actual, tensorish) or isinstance(expected, tensorish):
        if isinstance(actual, Tensor) and isinstance(expected, Tensor) or \
                isinstance(actual, np.ndarray) and isinstance(expected, np.ndarray):
            return _compare_tensors(actual, expected, kw["rtol"], kw["atol"], kw["equal_nan"], kw["check_device"],
                                    kw["check_dtype"], kw["check_layout"], kw["check_stride"])
        raise _ErrorMeta(TypeError, f"No comparison pair was able to handle inputs of type {_type_repr(actual)} and "
                                    f"{_type_repr(expected)}.")
    if _is_number(actual) and _is_number(expected):
        a = actual.item() if isinstance(actual, np.generic) else actual
        b = expected.item() if isinstance(expected, np.generic) else expected
        return _compare_scalars(a, b, kw["rtol"], kw["atol"], kw["equal_nan"], kw["check_dtype"])
    if isinstance(actual, collections.abc.Sequence) and isinstance(expected, collections.abc.Sequence) and \
            not isinstance(actual, str) and not isinstance(expected, str):
        if len(actual) != len(expected):
            raise _ErrorMeta(AssertionError, f"The length of the sequences mismatch: {len(actual)} != "
                                             f"{len(expected)}")
        for i, (a, b) in enumerate(zip(actual, expected)):
            try:
                _compare(a, b, path, **kw)
            except _ErrorMeta as e:
                e.path = (i,) + e.path
                raise
        return
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        ka, kb = set(actual.keys()), set(expected.keys())
        if ka != kb:
            missing = sorted(kb - ka, key=repr)
            extra = sorted(ka - kb, key=repr)
            raise _ErrorMeta(AssertionError, f"The keys of the mappings do not match:\nMissing keys in the actual "
                                             f"mapping: {missing}\nAdditional keys in the actual mapping: {extra}")
        for k in expected.keys():
            try:
                _compare(actual[k], expected[k], path, **kw)
            except _ErrorMeta as e:
                e.path = (k,) + e.path
                raise
        return
    raise _ErrorMeta(TypeError, f"No comparison pair was able to handle inputs of type {_type_repr(actual)} and "
                                f"{_type_repr(expected)}.")


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    """Assert that ``actual`` and ``expected`` are close: |actual - expected| <= atol + rtol * |expected|
    elementwise, with PyTorch's per-dtype default tolerances; sequences and mappings compare item by item."""
    if (rtol is None) != (atol is None):
        _tolerances([], rtol, atol)
    try:
        _compare(actual, expected, (), rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=check_device,
                 check_dtype=check_dtype, check_layout=check_layout, check_stride=check_stride)
    except _ErrorMeta as e:
        text = e.msg
        if e.kind is AssertionError:
            if callable(msg):
                text = msg(text)
            elif msg is not None:
                text = msg
            if e.path and not isinstance(msg, str):
                text += "\n\nThe failure occurred for item " + "".join(f"[{k!r}]" for k in e.path)
        raise e.kind(text) from None


def _clamp_range(low, high, lo_limit, hi_limit, default_low, default_high):
    low = default_low if low is None else low
    high = default_high if high is None else high
    if isinstance(low, float) and math.isnan(low) or isinstance(high, float) and math.isnan(high):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={_num(low)} and high={_num(high)}")
    if low > high:
        raise ValueError(f"`low` must be less than `high`, but got {_num(low)} >= {_num(high)}")
    return max(low, lo_limit), min(high, hi_limit)


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() and not math.isinf(v) else v


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad=False, noncontiguous=False,
                exclude_zero=False, memory_format=None):
    """A tensor of ``shape`` filled with values drawn like PyTorch's make_tensor: uniform in [low, high)
    for floating and complex dtypes (default [-9, 9)), integers in [low, high) (default [-9, 10))."""
    from .. import _ops
    from .._ops.creation import check_device, parse_size
    from .._random import randint
    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = tuple(shape[0])
    shape = parse_size(tuple(shape), "make_tensor") if shape else ()
    check_device(device)
    draw_shape = shape
    if noncontiguous and len(shape) and math.prod(shape) > 1:
        draw_shape = shape[:-1] + (2 * shape[-1],)
    if dtype is D.bool_:
        result = randint(0, 2, draw_shape, dtype=D.int64).bool()
    elif not (dtype.is_floating_point or dtype.is_complex):
        info = np.iinfo(dtype._np)
        lo, hi = _clamp_range(low, high, int(info.min), int(info.max) + 1, -9, 10)
        result = randint(math.ceil(lo), math.ceil(hi), draw_shape, dtype=dtype)
    else:
        real = D.float32 if dtype is D.complex64 else D.float64 if dtype is D.complex128 else dtype
        fi = np.finfo(real._np) if real is not D.bfloat16 else None
        lo_lim = float(fi.min) if fi is not None else -3.3895313892515355e38
        hi_lim = float(fi.max) if fi is not None else 3.3895313892515355e38
        lo, hi = _clamp_range(low, high, lo_lim, hi_lim, -9, 9)
        if lo == hi:
            warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                          "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.",
                          FutureWarning, stacklevel=2)
            result = _ops.creation.full(draw_shape, lo, dtype=dtype)
        else:
            result = _ops.creation.empty(draw_shape, dtype=dtype).uniform_(lo, hi)
    if noncontiguous and draw_shape != shape:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        if dtype is D.bool_ or not (dtype.is_floating_point or dtype.is_complex):
            replacement = 1
        else:
            real = D.float32 if dtype is D.complex64 else D.float64 if dtype is D.complex128 else dtype
            tiny = float(np.finfo(real._np).tiny) if real is not D.bfloat16 else 1.1754943508222875e-38
            replacement = complex(tiny, tiny) if dtype.is_complex else tiny
        result[result == 0] = replacement
    if requires_grad:
        result.requires_grad_(True)
    return result


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg=""):
    """Deprecated alias kept by PyTorch: compares like assert_close with equal_nan=True."""
    warnings.warn("`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a future "
                  "release. Please use `torch.testing.assert_close()` instead. You can find detailed upgrade "
                  "instructions in https://github.com/pytorch/pytorch/issues/61844.", FutureWarning, stacklevel=2)
    if not isinstance(actual, Tensor):
        from .._ops.creation import tensor
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        from .._ops.creation import tensor
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        rtol, atol = _tolerances([actual.dtype, expected.dtype], None, None)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=True,
                 check_dtype=False, check_stride=False, msg=msg or None)
