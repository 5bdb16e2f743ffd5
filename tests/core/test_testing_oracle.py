"""torch.testing.assert_close (messages, tolerances, nesting) and make_tensor (values under a seed) against the
PyTorch oracle."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad.testing  # noqa: E402,F401

from .compare_cases import check_case  # noqa: E402


def _ac(L, *args, **kwargs):
    return L.testing.assert_close(*args, **kwargs)


CLOSE = {
    "equal_floats": lambda L: _ac(L, L.tensor([1.0, 2.0]), L.tensor([1.0, 2.0])),
    "float_mismatch": lambda L: _ac(L, L.tensor([1.0, 2, 3]), L.tensor([1.0, 2.5, 3])),
    "float_2d": lambda L: _ac(L, L.tensor([[1.0, 2], [3, 4]]), L.tensor([[1.0, 2], [3, 5]])),
    "within_default_tol": lambda L: _ac(L, L.tensor([1.0]), L.tensor([1.0 + 1e-6])),
    "int_mismatch": lambda L: _ac(L, L.tensor([1, 2, 3]), L.tensor([1, 2, 4])),
    "int_mismatch_rel": lambda L: _ac(L, L.tensor([1, 2]), L.tensor([1, 5]), check_dtype=False),
    "bool_mismatch": lambda L: _ac(L, L.tensor([True, False]), L.tensor([True, True])),
    "shape": lambda L: _ac(L, L.tensor([1.0, 2]), L.tensor([1.0, 2, 3])),
    "dtype": lambda L: _ac(L, L.tensor([1.0, 2]), L.tensor([1.0, 2], dtype=L.float64)),
    "dtype_unchecked": lambda L: _ac(L, L.tensor([1.0, 2]), L.tensor([1.0, 2], dtype=L.float64), check_dtype=False),
    "int_vs_float_unchecked": lambda L: _ac(L, L.tensor([1, 2]), L.tensor([1.0, 2.0]), check_dtype=False),
    "nan": lambda L: _ac(L, L.tensor([1.0, float("nan")]), L.tensor([1.0, float("nan")])),
    "nan_equal": lambda L: _ac(L, L.tensor([1.0, float("nan")]), L.tensor([1.0, float("nan")]), equal_nan=True),
    "zero_expected": lambda L: _ac(L, L.tensor([0.0, 2]), L.tensor([1.0, 2])),
    "inf_rel": lambda L: _ac(L, L.ones(2), L.zeros(2)),
    "many": lambda L: _ac(L, L.ones(3, 3, 3), L.ones(3, 3, 3) * 1.1),
    "two_mismatches": lambda L: _ac(L, L.tensor([1.0, 2, 3, 4]), L.tensor([1.1, 2.5, 3, 4])),
    "tiny": lambda L: _ac(L, L.tensor([1e-9]), L.tensor([0.0])),
    "explicit_tol": lambda L: _ac(L, L.tensor([1.0]), L.tensor([1.05]), rtol=0.1, atol=0.0),
    "explicit_tol_fail": lambda L: _ac(L, L.tensor([1.0]), L.tensor([1.5]), rtol=0.1, atol=0.01),
    "rtol_only": lambda L: _ac(L, L.tensor([1.0]), L.tensor([1.0]), rtol=0.1),
    "atol_only": lambda L: _ac(L, L.tensor([1.0]), L.tensor([1.0]), atol=0.1),
    "stride": lambda L: _ac(L, L.ones(2, 2).t(), L.ones(2, 2), check_stride=True),
    "stride_unchecked": lambda L: _ac(L, L.ones(2, 2).t(), L.ones(2, 2)),
    "complex": lambda L: _ac(L, L.tensor([1.0 + 1j]), L.tensor([1.0 + 2j])),
    "half": lambda L: _ac(L, L.tensor([1.0], dtype=L.float16), L.tensor([1.01], dtype=L.float16)),
    "requires_grad": lambda L: _ac(L, L.ones(2, requires_grad=True), L.zeros(2)),
    "msg_str": lambda L: _ac(L, L.tensor([1.0, 2]), L.tensor([1.5, 2]), msg="custom"),
    "msg_callable": lambda L: _ac(L, L.tensor([1.0, 2]), L.tensor([1.5, 2]), msg=lambda m: "X" + m),
    "scalar_float": lambda L: _ac(L, 1.0, 1.1),
    "scalar_int": lambda L: _ac(L, 1, 2),
    "scalar_types": lambda L: _ac(L, 1, 1.0),
    "scalar_close": lambda L: _ac(L, 1.0, 1.0 + 1e-9),
    "tensor_vs_float": lambda L: _ac(L, L.tensor(1.0), 1.0),
    "tensor_vs_ndarray": lambda L: _ac(L, L.ones(2), np.ones(2)),
    "ndarrays": lambda L: _ac(L, np.array([1.0, 2.0]), np.array([1.0, 3.0])),
    "list_item": lambda L: _ac(L, [L.tensor(1.0)], [L.tensor(2.0)]),
    "nested_list": lambda L: _ac(L, [[1.0, 2.0]], [[1.0, 3.0]]),
    "dict_item": lambda L: _ac(L, {"a": L.tensor(1.0)}, {"a": L.tensor(2.0)}),
    "dict_keys": lambda L: _ac(L, {"a": 1}, {"b": 1}),
    "list_vs_tuple": lambda L: _ac(L, [1, 2], (1, 2)),
    "length": lambda L: _ac(L, [1, 2], [1, 2, 3]),
    "strings": lambda L: _ac(L, "a", "a"),
    "none": lambda L: _ac(L, None, None),
    "none_mismatch": lambda L: _ac(L, L.tensor([1.0]), None),
    "list_msg_str": lambda L: _ac(L, [L.tensor(1.0)], [L.tensor(2.0)], msg="custom"),
}


@pytest.mark.parametrize("name", list(CLOSE))
def test_assert_close(name):
    check_case(CLOSE[name])


def _mt(L, *shape, seed=0, **kwargs):
    L.manual_seed(seed)
    return L.testing.make_tensor(*shape, device="cpu", **kwargs)


MAKE = {
    "float32": lambda L: _mt(L, (5,), dtype=L.float32),
    "float64_range": lambda L: _mt(L, (2, 3), dtype=L.float64, low=0, high=1),
    "float16": lambda L: _mt(L, (4,), dtype=L.float16),
    "bfloat16": lambda L: _mt(L, (4,), dtype=L.bfloat16),
    "complex64": lambda L: _mt(L, (3,), dtype=L.complex64),
    "int64": lambda L: _mt(L, (6,), dtype=L.int64),
    "int32_range": lambda L: _mt(L, (6,), dtype=L.int32, low=0, high=3),
    "int32_float_bounds": lambda L: _mt(L, (6,), dtype=L.int32, low=0.5, high=3.5),
    "uint8": lambda L: _mt(L, (6,), dtype=L.uint8),
    "uint8_clamped": lambda L: _mt(L, (6,), dtype=L.uint8, low=-5, high=300),
    "int8_clamped": lambda L: _mt(L, (6,), dtype=L.int8, low=-200, high=400),
    "bool": lambda L: _mt(L, (6,), dtype=L.bool),
    "varargs_shape": lambda L: _mt(L, 2, 3, dtype=L.float32),
    "scalar": lambda L: _mt(L, (), dtype=L.float32),
    "noncontiguous": lambda L: _mt(L, (2, 3), dtype=L.float32, noncontiguous=True),
    "noncontiguous_flag": lambda L: _mt(L, (2, 3), dtype=L.float32, noncontiguous=True).is_contiguous(),
    "exclude_zero": lambda L: _mt(L, (8,), dtype=L.int64, low=-1, high=2, exclude_zero=True),
    "requires_grad": lambda L: _mt(L, (2,), dtype=L.float32, requires_grad=True),
    "low_eq_high": lambda L: _mt(L, (3,), dtype=L.float32, low=2, high=2),
    "huge_low": lambda L: _mt(L, (2,), dtype=L.float32, low=-1e40),
    "err_low_high": lambda L: _mt(L, (5,), dtype=L.float32, low=3, high=2),
    "err_nan": lambda L: _mt(L, (5,), dtype=L.float32, low=float("nan")),
    "err_no_device": lambda L: L.testing.make_tensor((5,), dtype=L.float32),
}


@pytest.mark.parametrize("name", list(MAKE))
def test_make_tensor(name):
    check_case(MAKE[name])


SCALAR_TENSORS = {
    "one_element_1d": lambda L: _ac(L, L.tensor([1.0]), L.tensor([2.0])),
    "one_element_int_2d": lambda L: _ac(L, L.tensor([[1]]), L.tensor([[3]])),
    "zero_dim_bool": lambda L: _ac(L, L.tensor(True), L.tensor(False)),
    "zero_dim_complex": lambda L: _ac(L, L.tensor(1.0 + 1j), L.tensor(2.0 + 0j)),
    "zero_dim_nan": lambda L: _ac(L, L.tensor(float("nan")), L.tensor(1.0)),
}


@pytest.mark.parametrize("name", list(SCALAR_TENSORS))
def test_assert_close_scalar_tensors(name):
    check_case(SCALAR_TENSORS[name])
