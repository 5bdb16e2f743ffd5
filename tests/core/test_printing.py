"""repr/str of tensors compared character for character with PyTorch's (the oracle).

The same numpy data goes to both libraries; tritongrad tensors are wrapped with ``Tensor._make`` so these
tests exercise printing alone, independently of the creation ops.
"""
import math
import random

import numpy as np
import pytest

torch = pytest.importorskip("torch")
ml_dtypes = pytest.importorskip("ml_dtypes")

from tritongrad import _dtype as D  # noqa: E402
from tritongrad import _tensor_str  # noqa: E402
from tritongrad._tensor import Tensor  # noqa: E402
from torch._tensor_str import get_printoptions as torch_get_printoptions  # noqa: E402
from torch._tensor_str import printoptions as torch_printoptions  # noqa: E402

_TORCH_DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
                 "bfloat16": torch.bfloat16, "complex64": torch.complex64, "complex128": torch.complex128}


@pytest.fixture(autouse=True)
def _restore_print_state():
    _reset_print_state()
    yield
    _reset_print_state()


def _reset_print_state():
    torch.set_printoptions(profile="default", sci_mode=None)
    _tensor_str.set_printoptions(profile="default", sci_mode=None)
    torch.set_default_dtype(torch.float32)
    D.set_default_dtype(D.float32)


def _pair(array, dtype_name=None):
    """(torch tensor, tritongrad tensor) holding the same elements; ``dtype_name`` converts both."""
    array = np.asarray(array)
    if dtype_name == "bfloat16":
        ours = Tensor._make(array.astype(np.float32).astype(ml_dtypes.bfloat16), D.bfloat16)
        theirs = torch.from_numpy(array.astype(np.float32).copy()).to(torch.bfloat16)
        return theirs, ours
    if dtype_name is not None:
        array = array.astype(dtype_name)
    return torch.from_numpy(array.copy()), Tensor._make(array.copy())


def _set_both(**options):
    torch.set_printoptions(**options)
    _tensor_str.set_printoptions(**options)


def _assert_same_repr(array, dtype_name=None):
    theirs, ours = _pair(array, dtype_name)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


SHAPES = [(), (1,), (6,), (3, 5), (2, 3, 4), (2, 1, 2, 3)]
FLOAT_DTYPES = ["float32", "float64", "float16", "bfloat16"]
SCALES = [1e-7, 1e-4, 0.01, 1.0, 100.0, 1e4, 1e6, 1e9]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("dtype_name", FLOAT_DTYPES)
def test_random_floats_of_each_magnitude(dtype_name, scale, shape):
    rng = np.random.default_rng(len(shape) * 1000 + int(math.log10(scale) * 10) + 100)
    with np.errstate(over="ignore"):
        _assert_same_repr(rng.standard_normal(shape) * scale, dtype_name)


@pytest.mark.parametrize("dtype_name", FLOAT_DTYPES)
@pytest.mark.parametrize("values", [
    [1.0, 2.0, 3.0],
    [0.0, 10.0],
    [-0.0, 1.0],
    [-0.0, 0.0],
    [0.0, 0.0],
    [-1.0, 100.0, -1000.0],
    [1.0, 1001.0],
    [1.0, 999.0],
    [3.0, 1.0e8],
    [123456789.0],
    [0.5, 1.0e-4],
    [0.5, 9.9e-5],
    [1.0, 1000.5],
    [9.99995, 1.0],
    [999.99996, 0.5],
    [float("nan"), 1.0],
    [float("nan"), 1.5],
    [float("inf"), -1.5],
    [float("-inf"), 2.0, 0.0],
    [float("nan"), float("inf"), float("-inf")],
    [float("nan")],
    [float("inf"), 1e-5],
    [-1e-9, 1.0],
    [1e-30, 1e30],
], ids=str)
def test_special_and_boundary_values(values, dtype_name):
    with np.errstate(over="ignore"):
        _assert_same_repr(np.array(values), dtype_name)
        _assert_same_repr(np.array(values).reshape(-1, 1), dtype_name)
        _assert_same_repr(np.array(values[0]), dtype_name)


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
def test_mixed_magnitudes_and_extremes(dtype_name):
    rng = np.random.default_rng(3)
    exponents = rng.integers(-30, 30, size=(4, 7))
    _assert_same_repr(rng.standard_normal((4, 7)) * 10.0 ** exponents, dtype_name)
    info = np.finfo(dtype_name)
    _assert_same_repr(np.array([info.max, info.tiny, -info.max, info.smallest_subnormal]), dtype_name)


def test_float64_extreme_exponents():
    # three-digit exponents widen every column
    _assert_same_repr(np.array([1e-200, 1.0, -3e150, 2.5]))
    _assert_same_repr(np.array([[1e100], [1e-100]]))


@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 2, 2)], ids=str)
@pytest.mark.parametrize("dtype_name", ["int8", "uint8", "int16", "int32", "int64", "uint16", "uint32", "uint64"])
def test_integer_dtypes(dtype_name, shape):
    info = np.iinfo(dtype_name)
    rng = np.random.default_rng(5)
    values = rng.integers(info.min, info.max, size=shape, dtype=dtype_name, endpoint=True)
    _assert_same_repr(values)
    _assert_same_repr(np.full(shape, info.min, dtype=dtype_name))
    if values.size > 1:
        flat = values.reshape(-1).copy()
        flat[0], flat[-1] = info.max, info.min
        _assert_same_repr(flat.reshape(shape))


@pytest.mark.parametrize("values", [[True], [False], [True, False], [True, True], [[True, False], [False, False]]],
                         ids=str)
def test_bool(values):
    _assert_same_repr(np.array(values, dtype=np.bool_))
    _assert_same_repr(np.array(values[0], dtype=np.bool_))


@pytest.mark.parametrize("dtype_name", ["complex64", "complex128"])
@pytest.mark.parametrize("values", [
    [1 + 2j, -3.5 - 1j],
    [1j],
    [0j, -0.0 - 0.0j],
    [1e10 + 1j, 2 - 3j],
    [1e-6 + 1j, 1 + 1e-6j],
    [complex(float("nan"), 1), complex(1, float("inf")), complex(float("-inf"), float("nan"))],
    [[1.25 - 2j, 3 + 0.5j], [-1 + 1e5j, 0.001 - 1j]],
], ids=str)
def test_complex(values, dtype_name):
    _assert_same_repr(np.array(values), dtype_name)
    _assert_same_repr(np.array(values).reshape(-1)[0], dtype_name)


@pytest.mark.parametrize("dtype_name", ["complex64", "complex128"])
def test_complex_random_and_summarised(dtype_name):
    rng = np.random.default_rng(11)
    _assert_same_repr(rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4)) * 1e3, dtype_name)
    _assert_same_repr(rng.standard_normal((40, 40)) - 1j * rng.standard_normal((40, 40)), dtype_name)


@pytest.mark.parametrize("shape", [(1001,), (2000,), (40, 40), (3, 1000), (1000, 3), (11, 12, 13), (5, 6, 7, 8),
                                   (2, 2, 300), (1, 1, 2000)], ids=str)
@pytest.mark.parametrize("dtype_name", ["float32", "float64", "bfloat16", "int64", "bool", "complex64"])
def test_summarised_large_tensors(shape, dtype_name):
    rng = np.random.default_rng(sum(shape))
    if dtype_name == "int64":
        values = rng.integers(-500, 500, size=shape)
    elif dtype_name == "bool":
        values = rng.random(shape) > 0.5
    elif dtype_name == "complex64":
        values = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    else:
        values = rng.standard_normal(shape) * 50
    _assert_same_repr(values, dtype_name if dtype_name not in ("int64", "bool") else None)


def test_summary_uses_only_the_shown_elements():
    # the huge middle value is hidden, so it must not switch the shown ones to scientific notation
    values = np.arange(2000, dtype=np.float32) / 7
    values[1000] = 1e20
    _assert_same_repr(values)
    _assert_same_repr(values.reshape(40, 50))


@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0), (2, 0, 3), (0, 0, 0, 1)], ids=str)
@pytest.mark.parametrize("dtype_name", ["float32", "float64", "float16", "int64", "int32", "bool", "complex64"])
def test_empty(shape, dtype_name):
    _assert_same_repr(np.zeros(shape, dtype=dtype_name))


OPTIONS = [
    dict(precision=0), dict(precision=1), dict(precision=2), dict(precision=6), dict(precision=10),
    dict(threshold=0), dict(threshold=5), dict(threshold=20), dict(threshold=math.inf),
    dict(edgeitems=0), dict(edgeitems=1), dict(edgeitems=2), dict(edgeitems=5), dict(edgeitems=0, threshold=5),
    dict(edgeitems=1, threshold=3), dict(linewidth=10), dict(linewidth=20), dict(linewidth=40), dict(linewidth=120),
    dict(sci_mode=True), dict(sci_mode=False), dict(sci_mode=True, precision=2), dict(sci_mode=False, precision=7),
    dict(profile="short"), dict(profile="full"), dict(profile="short", precision=5, linewidth=50),
]

OPTION_INPUTS = [
    np.float32(3.14159),
    np.float32(0.0),
    np.array([1.0, 2.0, 3.0], dtype=np.float32),
    np.array([0.0, -0.0], dtype=np.float32),
    np.array([1e-5, 1.0, 123.456, -7.25, float("nan"), float("inf")], dtype=np.float32),
    np.array([1.0, 1e9, -5.0], dtype=np.float64),
    np.arange(-12, 12, dtype=np.float32).reshape(2, 3, 4) / 3,
    np.arange(24, dtype=np.int64).reshape(4, 6) * 1001,
    np.array([[True, False, True]] * 4),
    np.array([1.5 + 2j, -3e-6 - 1e4j], dtype=np.complex64),
    np.linspace(-100, 100, 60, dtype=np.float64).reshape(3, 20),
    np.zeros((0, 4), dtype=np.float32),
]


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_print_options(options):
    _set_both(**options)
    for values in OPTION_INPUTS:
        _assert_same_repr(values)
    _assert_same_repr(np.arange(1500, dtype=np.float32).reshape(30, 50), "bfloat16")


def test_line_wrapping_and_continuation_indent():
    rng = np.random.default_rng(2)
    for linewidth in (15, 33, 80, 81, 99):
        _set_both(linewidth=linewidth)
        _assert_same_repr(rng.standard_normal(37).astype(np.float32) * 1000)
        _assert_same_repr(rng.standard_normal((3, 2, 17)))
        _assert_same_repr(rng.integers(-10**12, 10**12, size=(2, 30)))


@pytest.mark.parametrize("default_name", ["float64", "float16", "bfloat16"])
def test_dtype_suffix_follows_default_dtype(default_name):
    torch.set_default_dtype(_TORCH_DTYPES[default_name])
    D.set_default_dtype(getattr(D, default_name))
    for dtype_name in ("float32", "float64", "float16", "complex64", "complex128", "bfloat16"):
        _assert_same_repr(np.array([1.5, -2.0]), dtype_name)
        _assert_same_repr(np.array(0.25), dtype_name)
        if dtype_name != "bfloat16":
            _assert_same_repr(np.zeros((0,)), dtype_name)
            _assert_same_repr(np.zeros((2, 0)), dtype_name)
    _assert_same_repr(np.array([1, 2], dtype=np.int64))
    _assert_same_repr(np.zeros(0, dtype=np.int64))


def test_requires_grad_suffix_and_suffix_wrapping():
    for linewidth in (80, 30, 12):
        _set_both(linewidth=linewidth)
        for values in (np.float32(2.5), np.array([1.0, 2.0], dtype=np.float32),
                       np.array([[1.5, 2.25, -3.0]] * 3, dtype=np.float64), np.zeros((0, 2), dtype=np.float64),
                       np.arange(2000, dtype=np.float32)):
            theirs, ours = _pair(values)
            theirs.requires_grad_(True)
            ours.requires_grad_(True)
            assert repr(ours) == repr(theirs)


def test_tensor_contents_argument():
    theirs, ours = _pair(np.array([[1.0, 2.0]], dtype=np.float64))
    assert ours.__repr__(tensor_contents="<hidden>") == theirs.__repr__(tensor_contents="<hidden>")
    theirs, ours = _pair(np.zeros((0, 3)))
    assert ours.__repr__(tensor_contents="[?]") == theirs.__repr__(tensor_contents="[?]")


def test_subclass_prefix():
    class Wrapped(Tensor):
        pass

    class TorchWrapped(torch.Tensor):
        pass

    theirs, ours = _pair(np.array([1.0, 2.0], dtype=np.float32))
    Wrapped.__name__ = TorchWrapped.__name__ = "Wrapped"
    assert repr(ours._as_subclass(Wrapped)) == repr(theirs.as_subclass(TorchWrapped))


def test_views_and_non_contiguous_data():
    base = np.arange(60, dtype=np.float32).reshape(3, 4, 5) / 8
    for view in (base.transpose(2, 0, 1), base[:, ::2, 1:], base[..., ::-1], np.broadcast_to(base[0, 0], (3, 5))):
        theirs = torch.from_numpy(np.ascontiguousarray(view))
        assert repr(Tensor._make(view)) == repr(theirs)


def test_get_set_printoptions_and_context_manager_semantics():
    assert _tensor_str.get_printoptions() == torch_get_printoptions()
    calls = [dict(precision=2), dict(linewidth=100), dict(sci_mode=True), dict(threshold=7),
             dict(profile="short", precision=6), dict(profile="full"), dict(edgeitems=1, sci_mode=False),
             dict(profile="no-such-profile"), dict(profile="default")]
    for call in calls:
        _set_both(**call)
        assert _tensor_str.get_printoptions() == torch_get_printoptions()
    # the returned dict is a copy
    _tensor_str.get_printoptions()["precision"] = 99
    assert _tensor_str.get_printoptions() == torch_get_printoptions()

    _set_both(precision=3, sci_mode=True)
    with _tensor_str.printoptions(linewidth=30, edgeitems=1), torch_printoptions(linewidth=30, edgeitems=1):
        assert _tensor_str.get_printoptions() == torch_get_printoptions()
        _assert_same_repr(np.arange(30, dtype=np.float32))
    assert _tensor_str.get_printoptions() == torch_get_printoptions()

    with pytest.raises(ZeroDivisionError):
        with _tensor_str.printoptions(precision=1):
            1 / 0
    assert _tensor_str.get_printoptions() == torch_get_printoptions()
    assert set(_tensor_str.__all__) == {"set_printoptions", "get_printoptions", "printoptions"}


def _random_case(rng, pyrng):
    ndim = pyrng.randint(0, 4)
    shape = tuple(pyrng.choice([1, 2, 3, 5, 8, 13, 40]) for _ in range(ndim))
    if math.prod(shape) > 20000:
        shape = shape[:2]
    kind = pyrng.choice(["normal", "integers", "magnitudes", "rounded", "special"])
    n = math.prod(shape)
    if kind == "normal":
        values = rng.standard_normal(n) * 10.0 ** pyrng.randint(-6, 10)
    elif kind == "integers":
        values = rng.integers(-10 ** pyrng.randint(0, 9), 10 ** pyrng.randint(0, 9) + 1, n).astype(np.float64)
    elif kind == "magnitudes":
        values = rng.standard_normal(n) * 10.0 ** rng.integers(-12, 12, n)
    elif kind == "rounded":
        values = np.round(rng.standard_normal(n) * 100, pyrng.randint(0, 5))
    else:
        values = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, 2.5, -3.0, 1e-5, 1e9, 999.99996], n)
    return values.reshape(shape)


def test_randomised_against_oracle():
    rng = np.random.default_rng(2026)
    pyrng = random.Random(2026)
    option_choices = [("precision", [0, 1, 2, 6, 9]), ("threshold", [0, 3, 10, 50, 1000, math.inf]),
                      ("edgeitems", [0, 1, 2, 4]), ("linewidth", [10, 30, 60, 120]), ("sci_mode", [True, False, None]),
                      ("profile", ["short", "full", "default"])]
    for _ in range(300):
        values = _random_case(rng, pyrng)
        options = {k: pyrng.choice(v) for k, v in option_choices if pyrng.random() < 0.3}
        dtype_name = pyrng.choice(["float32", "float64", "float16", "bfloat16", "int64", "int16", "uint8", "bool",
                                   "complex64", "complex128"])
        _set_both(**options)
        with np.errstate(all="ignore"):
            if dtype_name.startswith("complex"):
                values = values + 1j * _random_case(rng, pyrng).reshape(-1)[:1]
            elif dtype_name == "bool":
                values = values > 0
            elif dtype_name in ("int64", "int16", "uint8"):
                info = np.iinfo(dtype_name)
                values = np.nan_to_num(values, posinf=0, neginf=0).clip(info.min, info.max).astype(dtype_name)
            theirs, ours = _pair(values, dtype_name if values.dtype.kind in "fc" else None)
        assert repr(ours) == repr(theirs), (options, values.shape, dtype_name)
        _set_both(profile="default")


def _repr_or_error(tensor):
    try:
        return repr(tensor)
    except Exception as error:  # the oracle's failure is part of the behaviour being compared
        return type(error), str(error)


@pytest.mark.parametrize("options", [dict(edgeitems=-1), dict(edgeitems=-2, threshold=3),
                                     dict(edgeitems=-20, threshold=3), dict(threshold=-1), dict(linewidth=0),
                                     dict(linewidth=-5), dict(precision=20), dict(threshold=10.5, linewidth=50)],
                         ids=str)
def test_unusual_print_options(options):
    _set_both(**options)
    for values in (np.arange(2000, dtype=np.float32), np.arange(12.0).reshape(3, 4), np.float32(2.0),
                   np.arange(10), np.arange(10.0) / 3):
        theirs, ours = _pair(values)
        assert _repr_or_error(ours) == _repr_or_error(theirs)


@pytest.mark.parametrize("requires_grad", [True, False])
def test_parameter_and_parameter_subclass(requires_grad):
    from tritongrad.nn.parameter import Parameter

    class Weight(Parameter):
        pass

    class TorchWeight(torch.nn.Parameter):
        pass

    TorchWeight.__name__ = "Weight"
    theirs, ours = _pair(np.array([[0.5, -1.0], [2.0, 3.0]], dtype=np.float32))
    assert repr(Parameter(ours, requires_grad)) == repr(torch.nn.Parameter(theirs, requires_grad))
    assert repr(Weight(ours, requires_grad)) == repr(TorchWeight(theirs, requires_grad))


@pytest.mark.parametrize("device_args", [("hpu", 0), ("mps",), ("hpu", 3)], ids=str)
def test_device_suffix(device_args):
    from tritongrad._device import device as tg_device

    class OnDevice(Tensor):
        device = property(lambda self: tg_device(*device_args))

    class TorchOnDevice(torch.Tensor):
        device = property(lambda self: torch.device(*device_args))

    TorchOnDevice.__name__ = "OnDevice"
    for values in (np.array([1.0, 2.0], dtype=np.float64), np.zeros((0, 2), dtype=np.int32)):
        theirs, ours = _pair(values)
        assert repr(ours._as_subclass(OnDevice)) == repr(theirs.as_subclass(TorchOnDevice))
    _set_both(linewidth=24)
    theirs, ours = _pair(np.arange(6, dtype=np.float32))
    assert repr(ours._as_subclass(OnDevice)) == repr(theirs.as_subclass(TorchOnDevice))


@pytest.mark.parametrize("dtype_name", ["float32", "bfloat16", "complex64"])
def test_large_tensor_is_summarised_before_formatting(dtype_name):
    import time

    values = np.random.default_rng(0).standard_normal((2000, 2000))
    theirs, ours = _pair(values, dtype_name)
    start = time.perf_counter()
    text = repr(ours)
    # formatting all 4M elements would take seconds; the summarised print takes about a millisecond
    assert time.perf_counter() - start < 0.5
    assert text == repr(theirs)
