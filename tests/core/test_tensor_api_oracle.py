"""torch.Size, dtype attributes, finfo/iinfo, devices, Tensor attributes and type promotion against the oracle."""
import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from .compare_cases import check_case  # noqa: E402

_DTYPES = ["float16", "bfloat16", "float32", "float64", "complex64", "complex128", "uint8", "int8", "int16",
           "int32", "int64", "bool"]

SIZE = {
    "repr": lambda L: repr(L.Size([2, 3])),
    "str_empty": lambda L: str(L.Size([])),
    "numel": lambda L: L.Size([2, 3, 4]).numel(),
    "numel_empty": lambda L: L.Size([]).numel(),
    "slice_type": lambda L: type(L.ones(2, 3, 4).shape[1:]).__name__,
    "slice_repr": lambda L: repr(L.ones(2, 3, 4).shape[1:]),
    "index": lambda L: L.ones(2, 3).shape[-1],
    "eq_tuple": lambda L: L.ones(2, 3).shape == (2, 3),
    "eq_list": lambda L: L.ones(2, 3).shape == [2, 3],
    "add_tuple": lambda L: repr(L.Size([2]) + (3,)),
    "radd_tuple": lambda L: repr((1,) + L.Size([2])),
    "mul": lambda L: repr(L.Size([2]) * 2),
    "unpack": lambda L: tuple(L.ones(2, 3).shape),
    "hash_eq": lambda L: hash(L.Size([2, 3])) == hash((2, 3)),
    "isinstance_tuple": lambda L: isinstance(L.Size([1]), tuple),
    "from_tensor_elems": lambda L: repr(L.Size([L.tensor(2), 3])),
    "bad_elem": lambda L: L.Size([1.5]),
    "pickle": lambda L: repr(pickle.loads(pickle.dumps(L.Size([2, 3])))),
    "view_with_size": lambda L: L.arange(6).view(L.Size([3, 2])),
    "count": lambda L: L.Size([2, 2, 3]).count(2),
}

DTYPE = {
    "repr": lambda L: [repr(getattr(L, d)) for d in _DTYPES],
    "is_floating_point": lambda L: [getattr(L, d).is_floating_point for d in _DTYPES],
    "is_complex": lambda L: [getattr(L, d).is_complex for d in _DTYPES],
    "is_signed": lambda L: [getattr(L, d).is_signed for d in _DTYPES],
    "itemsize": lambda L: [getattr(L, d).itemsize for d in _DTYPES],
    "aliases": lambda L: [L.float is L.float32, L.double is L.float64, L.half is L.float16, L.long is L.int64,
                          L.int is L.int32, L.short is L.int16, L.cfloat is L.complex64, L.bool is not None],
    "to_real": lambda L: [repr(getattr(L, d).to_real()) for d in ("complex64", "complex128", "float32")],
    "to_complex": lambda L: [repr(getattr(L, d).to_complex()) for d in ("float32", "float64", "complex64")],
    "pickle": lambda L: pickle.loads(pickle.dumps(L.float16)) is L.float16,
    "default": lambda L: repr(L.get_default_dtype()),
    "set_default_restores": lambda L: (L.set_default_dtype(L.float64), L.tensor([1.5]).dtype, L.tensor([1]).dtype,
                                       L.arange(2.0).dtype, L.tensor([1j]).dtype, L.set_default_dtype(L.float32))[1:5],
    "set_default_int_err": lambda L: L.set_default_dtype(L.int64),
    "promote_types": lambda L: [repr(L.promote_types(getattr(L, a), getattr(L, b)))
                                for a in _DTYPES for b in _DTYPES],
    "can_cast": lambda L: [L.can_cast(getattr(L, a), getattr(L, b)) for a in _DTYPES for b in _DTYPES],
    "finfo_attrs": lambda L: [(f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution, f.dtype)
                              for f in (L.finfo(getattr(L, d)) for d in ("float16", "bfloat16", "float32",
                                                                         "float64"))],
    "finfo_default": lambda L: L.finfo().eps,
    "finfo_complex": lambda L: (L.finfo(L.complex64).eps, L.finfo(L.complex64).dtype),
    "finfo_repr": lambda L: repr(L.finfo(L.float32)),
    "finfo_int_err": lambda L: L.finfo(L.int32),
    "iinfo_attrs": lambda L: [(i.bits, i.max, i.min, i.dtype) for i in (L.iinfo(getattr(L, d)) for d in
                                                                        ("uint8", "int8", "int16", "int32", "int64"))],
    "iinfo_repr": lambda L: repr(L.iinfo(L.int16)),
    "iinfo_bool": lambda L: (L.iinfo(L.bool).max, L.iinfo(L.bool).bits),
    "iinfo_float_err": lambda L: L.iinfo(L.float32),
}

DEVICE = {
    "cpu": lambda L: (repr(L.device("cpu")), str(L.device("cpu")), L.device("cpu").type, L.device("cpu").index),
    "cpu0": lambda L: (repr(L.device("cpu:0")), L.device("cpu", 0).index),
    "cuda_str": lambda L: (repr(L.device("cuda:1")), str(L.device("cuda")), L.device("cuda", 1).index),
    "int_device": lambda L: repr(L.device(0)),
    "eq": lambda L: (L.device("cpu") == L.device("cpu"), L.device("cpu") == "cpu"),
    "bad": lambda L: L.device("foo"),
    "bad_index": lambda L: L.device("cuda:x"),
    "negative_index": lambda L: L.device("cuda", -1),
    "tensor_device": lambda L: repr(L.ones(1).device),
    "is_cuda": lambda L: (L.ones(1).is_cuda, L.ones(1).is_cpu, L.ones(1).get_device()),
    "to_cpu_same": lambda L: (lambda t: t.to("cpu") is t and t.cpu() is t)(L.ones(2)),
    "pickle": lambda L: repr(pickle.loads(pickle.dumps(L.device("cpu")))),
    "hash": lambda L: hash(L.device("cpu")) == hash(L.device("cpu")),
}

TENSOR = {
    "shape_size": lambda L: (L.ones(2, 3).size(), L.ones(2, 3).size(-1), L.ones(2, 3).size(dim=0)),
    "size_err": lambda L: L.ones(2, 3).size(2),
    "dim_ndim": lambda L: (L.ones(2, 3).dim(), L.ones(2, 3).ndim, L.ones(2, 3).ndimension(), L.tensor(1).dim()),
    "numel": lambda L: (L.ones(2, 3).numel(), L.ones(2, 3).nelement(), L.numel(L.ones(4))),
    "element_size_nbytes": lambda L: (L.ones(2, dtype=L.float64).element_size(), L.ones(3).nbytes,
                                      L.ones(3).itemsize),
    "len": lambda L: len(L.ones(4, 2)),
    "len_0d": lambda L: len(L.tensor(1.0)),
    "iter_0d": lambda L: list(L.tensor(1.0)),
    "iter": lambda L: [t.tolist() for t in L.arange(6).reshape(3, 2)],
    "is_leaf": lambda L: (L.ones(1).is_leaf, L.ones(1, requires_grad=True).is_leaf,
                          (L.ones(1, requires_grad=True) * 2).is_leaf),
    "layout": lambda L: repr(L.ones(1).layout),
    "is_contiguous": lambda L: (L.ones(2, 3).is_contiguous(), L.ones(2, 3).t().is_contiguous(),
                                L.ones(1, 3).t().is_contiguous(), L.ones(2, 3, 4, 5).is_contiguous(
                                    memory_format=L.channels_last)),
    "contiguous_channels_last": lambda L: L.ones(2, 3, 4, 5).contiguous(memory_format=L.channels_last).stride(),
    "stride": lambda L: (L.ones(2, 3, 4).stride(), L.ones(2, 3, 4).stride(1), L.ones(2, 3, 4).stride(-1)),
    "storage_offset": lambda L: L.arange(10)[3:].storage_offset(),
    "data_ptr_view": lambda L: (lambda t: t[1:].data_ptr() - t.data_ptr())(L.arange(10, dtype=L.int32)),
    "version": lambda L: (lambda t: (t._version, t.add_(1)._version, t[0]._version))(L.zeros(2)),
    "dtype_attr": lambda L: repr(L.ones(1, dtype=L.int16).dtype),
    "type_names": lambda L: [L.ones(1, dtype=getattr(L, d)).type() for d in _DTYPES],
    "is_floating": lambda L: [L.ones(1, dtype=getattr(L, d)).is_floating_point() for d in _DTYPES],
    "is_signed_method": lambda L: [L.ones(1, dtype=getattr(L, d)).is_signed() for d in _DTYPES],
    "bool_0d": lambda L: bool(L.tensor(0.0)),
    "bool_many": lambda L: bool(L.ones(2)),
    "format": lambda L: f"{L.tensor(1.23456):.2f}",
    "format_1d": lambda L: f"{L.tensor([1.0])}",
    "hash_identity": lambda L: (lambda t: hash(t) == id(t))(L.ones(1)),
    "in_list": lambda L: L.tensor(2) in [1, 2, 3],
    "eq_none": lambda L: L.ones(1) == None,  # noqa: E711
    "requires_grad_int": lambda L: L.ones(2, dtype=L.long).requires_grad_(),
    "requires_grad_nonleaf": lambda L: (L.ones(2, requires_grad=True) * 2).requires_grad_(False),
    "grad_warning_free": lambda L: L.ones(2, requires_grad=True).grad,
    "T_3d": lambda L: L.arange(24.0).reshape(2, 3, 4).T.shape,
    "mT": lambda L: L.arange(24.0).reshape(2, 3, 4).mT.stride(),
    "H_complex": lambda L: L.tensor([[1 + 1j, 2], [3, 4j]]).H,
    "new_methods_dtype": lambda L: (L.ones(2, dtype=L.int8).new_ones(2).dtype, L.ones(2).new_zeros(1).dtype),
    "clone_preserve": lambda L: L.ones(2, 3).t().clone().stride(),
    "clone_contiguous": lambda L: L.ones(2, 3).t().clone(memory_format=L.contiguous_format).stride(),
    "item_2_elems": lambda L: L.ones(2).item(),
    "tolist_bool": lambda L: L.tensor([True, False]).tolist(),
    "numpy_dtype": lambda L: str(L.ones(2, dtype=L.int16).numpy().dtype),
    "numpy_bf16_err": lambda L: L.ones(2, dtype=L.bfloat16).numpy(),
    "array_interface": lambda L: np.asarray(L.arange(3)).tolist(),
    "matmul_vec": lambda L: L.ones(3) @ L.ones(3),
    "inplace_on_leaf_err": lambda L: L.ones(2, requires_grad=True).add_(1),
    "is_tensor": lambda L: (L.is_tensor(L.ones(1)), L.is_tensor([1])),
    "is_nonzero": lambda L: (L.is_nonzero(L.tensor([1])), L.is_nonzero(L.tensor(0.0))),
    "is_nonzero_err": lambda L: L.is_nonzero(L.ones(2)),
    "typename": lambda L: L.typename(L.ones(1)),
}

PROMOTION = {
    "int_float_scalar": lambda L: (L.arange(3) * 1.5).dtype,
    "int_div_int": lambda L: (L.arange(3) / 2).dtype,
    "int_floordiv": lambda L: (L.arange(3) // 2).dtype,
    "float16_scalar": lambda L: (L.ones(2, dtype=L.float16) * 2.5).dtype,
    "float16_0d_float32": lambda L: (L.ones(2, dtype=L.float16) * L.tensor(2.5)).dtype,
    "float16_1d_float32": lambda L: (L.ones(2, dtype=L.float16) * L.ones(2)).dtype,
    "int8_uint8": lambda L: (L.ones(2, dtype=L.int8) + L.ones(2, dtype=L.uint8)).dtype,
    "uint8_int_scalar": lambda L: (L.ones(2, dtype=L.uint8) + 300).dtype,
    "bool_bool_add": lambda L: (L.tensor([True]) + L.tensor([True])),
    "bool_int_scalar": lambda L: (L.tensor([True]) + 1).dtype,
    "bool_float_scalar": lambda L: (L.tensor([True]) * 1.5).dtype,
    "int_complex_scalar": lambda L: (L.arange(2) * 1j).dtype,
    "float64_0d_float32": lambda L: (L.ones(2) + L.tensor(1.0, dtype=L.float64)).dtype,
    "int_0d_float_0d": lambda L: (L.tensor(1) + L.tensor(1.0)).dtype,
    "result_type": lambda L: [repr(L.result_type(L.ones(1, dtype=L.int32), 1.0)),
                              repr(L.result_type(L.tensor(1, dtype=L.int8), L.ones(1, dtype=L.uint8))),
                              repr(L.result_type(2, 3.0))],
    "pow_int_negative": lambda L: L.tensor([2]) ** -1,
    "pow_int_float": lambda L: (L.tensor([2]) ** 0.5).dtype,
    "comparison_dtype": lambda L: (L.arange(3) > 1.5).dtype,
    "where_scalar": lambda L: L.where(L.tensor([True, False]), L.arange(2), 2.5).dtype,
    "sum_int": lambda L: L.ones(2, dtype=L.int8).sum().dtype,
    "sum_bool": lambda L: L.tensor([True, True]).sum(),
    "mean_int_err": lambda L: L.arange(3).mean(),
    "prod_uint8": lambda L: L.ones(2, dtype=L.uint8).prod().dtype,
    "cumsum_int32": lambda L: L.ones(2, dtype=L.int32).cumsum(0).dtype,
    "inplace_cast_err": lambda L: L.arange(3).add_(1.5),
    "inplace_ok": lambda L: L.ones(3).add_(L.arange(3)),
    "out_cast": lambda L: L.add(L.arange(3), 1.5, out=L.empty(3, dtype=L.long)),
    "div_trunc": lambda L: L.div(L.tensor([-7, 7]), 2, rounding_mode="trunc"),
    "div_floor": lambda L: L.div(L.tensor([-7, 7]), 2, rounding_mode="floor"),
    "bitwise_float_err": lambda L: L.ones(2) & L.ones(2),
    "shift_int": lambda L: L.tensor([1, 2]) << 2,
    "remainder_neg": lambda L: L.tensor([-3, 3]) % 2,
    "fmod_neg": lambda L: L.fmod(L.tensor([-3.0, 3.0]), 2),
    "abs_int8_min": lambda L: L.tensor([-128], dtype=L.int8).abs(),
    "neg_bool_err": lambda L: -L.tensor([True]),
    "sub_bool_err": lambda L: L.tensor([True]) - L.tensor([False]),
    "float_to_uint8_overflow": lambda L: L.tensor([300.0, -1.0]).to(L.uint8),
    "int_to_bool": lambda L: L.tensor([0, 2, -1]).bool(),
}


# Behaviours of core files (owned by the core maintainer) that still differ from PyTorch; each was reported
# with a one-line repro. Not strict: a fix makes the case pass without touching this list.
KNOWN_CORE_DIFFERENCES = {
    "size.from_tensor_elems", "size.bad_elem", "dtype.finfo_attrs", "dtype.finfo_complex", "dtype.finfo_int_err", "dtype.iinfo_bool", "dtype.iinfo_float_err",
}


def _params(group, cases):
    return [pytest.param(name, marks=pytest.mark.xfail(reason="core difference, reported", strict=False))
            if f"{group}.{name}" in KNOWN_CORE_DIFFERENCES else name for name in cases]


@pytest.mark.parametrize("name", _params("size", SIZE))
def test_size(name):
    check_case(SIZE[name])


@pytest.mark.parametrize("name", _params("dtype", DTYPE))
def test_dtype(name):
    check_case(DTYPE[name])


@pytest.mark.parametrize("name", _params("device", DEVICE))
def test_device(name):
    check_case(DEVICE[name])


@pytest.mark.parametrize("name", _params("tensor", TENSOR))
def test_tensor_attributes(name):
    check_case(TENSOR[name])


@pytest.mark.parametrize("name", _params("promotion", PROMOTION))
def test_promotion(name):
    check_case(PROMOTION[name])


def _t3(L):
    return L.arange(24.0).reshape(2, 3, 4).transpose(0, 2)


LAYOUT = {
    "add_scalar": lambda L: _t3(L) + 1,
    "add_same_layout": lambda L: _t3(L) + _t3(L),
    "add_mixed_layout": lambda L: _t3(L) + _t3(L).contiguous(),
    "exp": lambda L: _t3(L).exp(),
    "neg": lambda L: -_t3(L),
    "gt": lambda L: _t3(L) > 3,
    "where": lambda L: L.where(_t3(L) > 3, _t3(L), 0.0),
    "to_double": lambda L: _t3(L).double(),
    "clamp": lambda L: _t3(L).clamp(1, 3),
    "pow": lambda L: _t3(L) ** 2,
    "sliced_add": lambda L: L.arange(24.0).reshape(2, 3, 4)[:, :, ::2] + 1,
    "expanded_add": lambda L: L.arange(3.0).reshape(3, 1).expand(3, 4) + 1,
    "stack": lambda L: L.stack([_t3(L), _t3(L)]),
    "cat": lambda L: L.cat([_t3(L), _t3(L)], 1),
    "zeros_like": lambda L: L.zeros_like(_t3(L)),
    "rand_like_shape": lambda L: L.rand_like(_t3(L)).stride(),
    "contiguous": lambda L: _t3(L).contiguous(),
    "reshape": lambda L: _t3(L).reshape(4, 6),
    "clone": lambda L: _t3(L).clone(),
    "sum_dim": lambda L: _t3(L).sum(0),
    "sum_keepdim": lambda L: _t3(L).sum(0, keepdim=True),
    "mean_keepdim": lambda L: _t3(L).mean(1, keepdim=True),
    "softmax": lambda L: _t3(L).softmax(0),
    "log_softmax": lambda L: L.log_softmax(_t3(L), -1),
    "cumsum": lambda L: _t3(L).cumsum(0),
    "masked_fill": lambda L: _t3(L).masked_fill(_t3(L) > 3, 0.0),
    "sort": lambda L: _t3(L).sort(0)[0],
    "flip": lambda L: _t3(L).flip(0),
    "roll": lambda L: _t3(L).roll(1, 0),
}
KNOWN_LAYOUT_DIFFERENCES = {"add_mixed_layout", "sum_dim", "sum_keepdim", "mean_keepdim", "sort", "flip"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason="core layout difference, reported",
                                                                          strict=False))
                                  if n in KNOWN_LAYOUT_DIFFERENCES else n for n in LAYOUT])
def test_result_layout(name):
    check_case(LAYOUT[name])
