"""__getitem__/__setitem__ with every index kind, index_put_, take/put_, scatter/gather, unique, searchsorted,
bucketize, bincount, histc: values, dtypes, strides and errors against the PyTorch oracle."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from .compare_cases import check_case  # noqa: E402


def _x(L):
    return L.arange(24.0).reshape(2, 3, 4)


def _set(L, index, value, base=None):
    t = _x(L).clone() if base is None else base
    t[index(L) if callable(index) else index] = value(L) if callable(value) else value
    return t


GET = {
    "int": lambda L: _x(L)[1],
    "neg_int": lambda L: _x(L)[-1, -2],
    "slice": lambda L: _x(L)[:, 1:],
    "slice_step": lambda L: _x(L)[..., ::2],
    "slice_neg": lambda L: _x(L)[:, -2:],
    "slice_out_of_range": lambda L: _x(L)[:, 5:9],
    "ellipsis": lambda L: _x(L)[..., 1],
    "none": lambda L: _x(L)[None, :, None],
    "none_ellipsis": lambda L: _x(L)[..., None],
    "list": lambda L: _x(L)[[1, 0]],
    "list_neg": lambda L: _x(L)[:, [-1, 0, 2]],
    "list_bool": lambda L: _x(L)[[True, False]],
    "tuple_of_lists": lambda L: _x(L)[[0, 1], [2, 0]],
    "long_tensor": lambda L: _x(L)[L.tensor([1, 1, 0])],
    "int32_tensor": lambda L: _x(L)[L.tensor([1, 0], dtype=L.int32)],
    "uint8_mask": lambda L: _x(L)[L.tensor([1, 0], dtype=L.uint8)],
    "bool_mask": lambda L: _x(L)[_x(L) > 10],
    "bool_mask_dim": lambda L: _x(L)[:, L.tensor([True, False, True])],
    "bool_mask_2d": lambda L: _x(L)[L.tensor([[True, False, True], [False, False, True]])],
    "zero_d_int_tensor": lambda L: _x(L)[L.tensor(1)],
    "zero_d_bool_true": lambda L: _x(L)[L.tensor(True)],
    "zero_d_bool_false": lambda L: _x(L)[L.tensor(False)],
    "python_bool": lambda L: _x(L)[True],
    "adv_separated": lambda L: _x(L)[[0, 1], :, [1, 2]],
    "adv_adjacent": lambda L: _x(L)[:, [0, 2], [1, 3]],
    "adv_broadcast": lambda L: _x(L)[L.tensor([[0], [1]]), L.tensor([0, 2])],
    "adv_with_int": lambda L: _x(L)[1, :, [0, 3]],
    "adv_with_slice_none": lambda L: _x(L)[None, [1], 1:],
    "nested_tensor_index": lambda L: _x(L)[L.tensor([[0, 1], [1, 0]])],
    "empty_list": lambda L: _x(L)[[]],
    "empty_long_tensor": lambda L: _x(L)[L.tensor([], dtype=L.long)],
    "view_strides": lambda L: _x(L)[:, 1:, ::2].stride(),
    "view_offset": lambda L: _x(L)[1, 1:, 2:].storage_offset(),
    "is_view_basic": lambda L: _x(L)[1]._is_view(),
    "adv_copy_strides": lambda L: _x(L)[:, [0, 2]].stride(),
    "zero_dim_index_scalar": lambda L: L.tensor(5.0)[()],
    "zero_dim_none": lambda L: L.tensor(5.0)[None],
    "zero_dim_ellipsis": lambda L: L.tensor(5.0)[...],
    "err_out_of_range": lambda L: _x(L)[2],
    "err_neg_out_of_range": lambda L: _x(L)[:, -4],
    "err_list_out_of_range": lambda L: _x(L)[[0, 5]],
    "err_tensor_out_of_range": lambda L: _x(L)[L.tensor([0, 5])],
    "err_too_many": lambda L: _x(L)[0, 0, 0, 0],
    "err_float_index": lambda L: _x(L)[1.5],
    "err_float_tensor": lambda L: _x(L)[L.tensor([1.0])],
    "err_mask_shape": lambda L: _x(L)[L.tensor([True, False, True])],
    "err_zero_dim": lambda L: L.tensor(5.0)[0],
    "err_two_ellipsis": lambda L: _x(L)[..., ...],
    "err_str": lambda L: _x(L)["a"],
    "err_step_zero": lambda L: _x(L)[::0],
    "err_negative_step": lambda L: _x(L)[::-1],
    "grad_basic": lambda L: (lambda t: (t[1, ::2].sum().backward(), t.grad)[1])(_x(L).requires_grad_()),
    "grad_adv": lambda L: (lambda t: (t[[0, 0, 1]].sum().backward(), t.grad)[1])(_x(L).requires_grad_()),
    "grad_fn_names": lambda L: (lambda t: [t[0].grad_fn.name(), t[[0]].grad_fn.name(), t[t > 3].grad_fn.name()])(
        _x(L).requires_grad_()),
}

SET = {
    "int_scalar": lambda L: _set(L, 1, 0.0),
    "neg_int": lambda L: _set(L, (-1, -1), -5.0),
    "slice_scalar": lambda L: _set(L, (slice(None), slice(1, None)), 7),
    "broadcast_value": lambda L: _set(L, (slice(None), 0), lambda L: L.tensor([1.0, 2.0, 3.0, 4.0])),
    "broadcast_leading_ones": lambda L: _set(L, 0, lambda L: L.ones(1, 1, 4)),
    "ellipsis": lambda L: _set(L, (Ellipsis, 1), 9.0),
    "list": lambda L: _set(L, lambda L: [1, 0], 3.0),
    "tensor_index": lambda L: _set(L, lambda L: L.tensor([0, 0]), lambda L: L.ones(3, 4)),
    "bool_mask": lambda L: _set(L, lambda L: _x(L) > 10, 0.0),
    "bool_mask_tensor_value": lambda L: _set(L, lambda L: _x(L) > 20, lambda L: L.tensor([1.0, 2.0, 3.0])),
    "bool_dim_mask": lambda L: _set(L, lambda L: (slice(None), L.tensor([True, False, True])), -1.0),
    "adv_pairs": lambda L: _set(L, lambda L: ([0, 1], [2, 0]), lambda L: L.tensor([10.0, 20.0, 30.0, 40.0])),
    "adv_separated": lambda L: _set(L, lambda L: ([0, 1], slice(None), [1, 2]), 5.0),
    "zero_d_index": lambda L: _set(L, lambda L: L.tensor(1), 2.0),
    "int_tensor_into_float": lambda L: _set(L, 0, lambda L: L.arange(4)),
    "float_into_int": lambda L: _set(L, 0, 2.7, base=L.arange(6).reshape(2, 3)),
    "float_tensor_into_int": lambda L: _set(L, 0, lambda L: L.tensor([1.7, 2.2, -3.9]),
                                            base=L.arange(6).reshape(2, 3)),
    "bool_into_float": lambda L: _set(L, 0, True),
    "double_tensor_value": lambda L: _set(L, 0, lambda L: L.ones(4, dtype=L.float64)),
    "zero_d_tensor_value": lambda L: _set(L, 1, lambda L: L.tensor(4.0)),
    "none_index": lambda L: _set(L, (None, 0), 1.0),
    "dup_indices_last_wins": lambda L: _set(L, lambda L: L.tensor([0, 0]), lambda L: L.tensor(1.0),
                                            base=L.zeros(3)),
    "err_shape_mismatch": lambda L: _set(L, 0, lambda L: L.ones(2)),
    "err_mask_count": lambda L: _set(L, lambda L: _x(L) > 20, lambda L: L.ones(2)),
    "err_out_of_range": lambda L: _set(L, 5, 1.0),
    "err_list_out_of_range": lambda L: _set(L, lambda L: [0, 7], 1.0),
    "err_leaf_requires_grad": lambda L: _set(L, 0, 1.0, base=L.ones(2, requires_grad=True)),
    "grad_through_setitem": lambda L: (lambda w: (lambda t: (t.__setitem__(0, w * 2), t.sum().backward(),
                                                             w.grad)[2])(L.ones(3, 2)))(L.ones(2, requires_grad=True)),
    "grad_fn_setitem": lambda L: (lambda w: (lambda t: (t.__setitem__([0, 1], w), t.grad_fn.name())[1])(
        L.zeros(3)))(L.ones(2, requires_grad=True)),
    "version_bump": lambda L: (lambda t: (t.__setitem__(0, 1.0), t._version)[1])(L.zeros(3)),
}

OPS = {
    "index_put_": lambda L: L.zeros(5).index_put_((L.tensor([0, 2, 0]),), L.tensor([1.0, 2.0, 3.0])),
    "index_put_acc": lambda L: L.zeros(5).index_put_((L.tensor([0, 2, 0]),), L.tensor([1.0, 2.0, 3.0]),
                                                     accumulate=True),
    "index_put_2d": lambda L: L.zeros(3, 3).index_put_((L.tensor([0, 1]), L.tensor([2, 2])), L.tensor(5.0),
                                                       accumulate=True),
    "index_put_bool": lambda L: L.zeros(3).index_put_((L.tensor([True, False, True]),), L.tensor(1.0)),
    "index_put_dtype_err": lambda L: L.zeros(3).index_put_((L.tensor([0]),), L.tensor([1], dtype=L.long)),
    "index_put": lambda L: L.zeros(3).index_put((L.tensor([1]),), L.tensor(2.0)),
    "take": lambda L: L.take(_x(L), L.tensor([[0, 23], [5, -1]])),
    "take_err": lambda L: L.take(_x(L), L.tensor([24])),
    "put_": lambda L: L.zeros(2, 3).put_(L.tensor([0, 5]), L.tensor([1.0, 2.0])),
    "put_acc": lambda L: L.zeros(2, 3).put_(L.tensor([0, 0, -1]), L.tensor([1.0, 2.0, 3.0]), accumulate=True),
    "put": lambda L: L.put(L.zeros(4), L.tensor([1]), L.tensor([9.0])),
    "gather": lambda L: L.gather(_x(L), 2, L.tensor([[[0, 3]] * 3] * 2)),
    "gather_err": lambda L: L.gather(_x(L), 2, L.tensor([[[0, 4]] * 3] * 2)),
    "gather_dtype_err": lambda L: L.gather(_x(L), 2, L.tensor([[[0.0]]])),
    "scatter_src": lambda L: L.zeros(3, 4).scatter(1, L.tensor([[0, 1], [2, 3], [1, 1]]), L.ones(3, 2)),
    "scatter_value": lambda L: L.zeros(3, 4).scatter(0, L.tensor([[0, 1, 2, 0]]), 5.0),
    "scatter_reduce_add": lambda L: L.ones(3, 4).scatter(1, L.tensor([[0, 0], [1, 1], [2, 3]]),
                                                         L.full((3, 2), 2.0), reduce="add"),
    "scatter_reduce_multiply": lambda L: L.ones(3, 4).scatter(1, L.tensor([[0, 0], [1, 1], [2, 3]]),
                                                              L.full((3, 2), 2.0), reduce="multiply"),
    "scatter_value_reduce": lambda L: L.ones(2, 2).scatter(1, L.tensor([[0], [1]]), 3.0, reduce="add"),
    "scatter_bad_reduce": lambda L: L.ones(2, 2).scatter(1, L.tensor([[0], [1]]), 3.0, reduce="max"),
    "scatter_add": lambda L: L.zeros(5).scatter_add(0, L.tensor([0, 1, 0, 4]), L.tensor([1.0, 2.0, 3.0, 4.0])),
    "scatter_add_": lambda L: L.zeros(2, 3).scatter_add_(1, L.tensor([[2, 2], [0, 1]]), L.ones(2, 2)),
    "scatter_index_err": lambda L: L.zeros(3).scatter(0, L.tensor([3]), 1.0),
    "scatter_dim_err": lambda L: L.zeros(3, 2).scatter(0, L.tensor([0]), 1.0),
    "scatter_reduce_sum": lambda L: L.zeros(4).scatter_reduce(0, L.tensor([0, 1, 0, 3]),
                                                              L.tensor([1.0, 2.0, 3.0, 4.0]), "sum"),
    "scatter_reduce_prod": lambda L: L.full((4,), 2.0).scatter_reduce(0, L.tensor([0, 1, 0, 3]),
                                                                       L.tensor([1.0, 2.0, 3.0, 4.0]), "prod"),
    "scatter_reduce_mean": lambda L: L.full((4,), 2.0).scatter_reduce(0, L.tensor([0, 1, 0, 0]),
                                                                       L.tensor([1.0, 2.0, 3.0, 4.0]), "mean"),
    "scatter_reduce_mean_noself": lambda L: L.full((4,), 2.0).scatter_reduce(
        0, L.tensor([0, 1, 0, 0]), L.tensor([1.0, 2.0, 3.0, 4.0]), "mean", include_self=False),
    "scatter_reduce_amax": lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 0, 2]),
                                                               L.tensor([-1.0, -5.0, 3.0]), "amax"),
    "scatter_reduce_amin_noself": lambda L: L.zeros(3).scatter_reduce(
        0, L.tensor([0, 0, 2]), L.tensor([-1.0, -5.0, 3.0]), "amin", include_self=False),
    "scatter_reduce_int_mean": lambda L: L.tensor([10, 20, 30]).scatter_reduce(0, L.tensor([0, 0, 1]),
                                                                              L.tensor([1, 2, 7]), "mean"),
    "scatter_reduce_bad": lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0]), L.tensor([1.0]), "foo"),
    "index_select": lambda L: L.index_select(_x(L), 1, L.tensor([2, 0])),
    "index_select_err": lambda L: L.index_select(_x(L), 1, L.tensor([3])),
    "index_add": lambda L: L.zeros(3, 2).index_add(0, L.tensor([0, 2, 0]), L.ones(3, 2), alpha=2),
    "index_copy": lambda L: L.zeros(3, 2).index_copy(0, L.tensor([2, 0]), L.arange(4.0).reshape(2, 2)),
    "index_fill": lambda L: L.zeros(3, 2).index_fill(1, L.tensor([1]), -1.0),
    "masked_fill": lambda L: _x(L).masked_fill(_x(L) > 5, 0.5),
    "masked_fill_tensor": lambda L: _x(L).masked_fill(_x(L) > 5, L.tensor(0.5)),
    "masked_fill_err": lambda L: _x(L).masked_fill(_x(L) > 5, L.ones(2)),
    "masked_fill_uint8_mask": lambda L: _x(L).masked_fill((_x(L) > 5).to(L.uint8), 0.5),
    "masked_select": lambda L: L.masked_select(_x(L), _x(L) > 20),
    "masked_scatter": lambda L: L.zeros(2, 2).masked_scatter(L.tensor([[True, False], [True, True]]),
                                                             L.arange(1.0, 5.0)),
    "nonzero": lambda L: L.nonzero(_x(L) > 20),
    "nonzero_tuple": lambda L: L.nonzero(_x(L) > 20, as_tuple=True),
    "argwhere": lambda L: L.argwhere(_x(L) > 20),
    "where_one_arg": lambda L: L.where(_x(L) > 20),
    "unique": lambda L: L.unique(L.tensor([3, 1, 2, 3, 1])),
    "unique_unsorted_flags": lambda L: L.unique(L.tensor([3, 1, 2, 3, 1]), return_inverse=True,
                                                 return_counts=True),
    "unique_dim": lambda L: L.unique(L.tensor([[1, 2], [0, 5], [1, 2]]), dim=0, return_inverse=True,
                                     return_counts=True),
    "unique_dim1": lambda L: L.unique(L.tensor([[1, 1, 2], [3, 3, 0]]), dim=1),
    "unique_float": lambda L: L.unique(L.tensor([0.5, -1.0, 0.5, float("nan")])).isnan().sum(),
    "unique_method": lambda L: L.tensor([2, 2, 1]).unique(sorted=True),
    "unique_consecutive": lambda L: L.unique_consecutive(L.tensor([1, 1, 2, 2, 3, 1, 1]), return_inverse=True,
                                                         return_counts=True),
    "unique_consecutive_dim": lambda L: L.unique_consecutive(L.tensor([[1, 1], [1, 1], [2, 3]]), dim=0),
    "searchsorted": lambda L: L.searchsorted(L.tensor([1.0, 3.0, 5.0, 7.0]), L.tensor([3.0, 6.0, 9.0])),
    "searchsorted_right": lambda L: L.searchsorted(L.tensor([1, 3, 5, 7]), L.tensor([3, 6]), right=True),
    "searchsorted_side": lambda L: L.searchsorted(L.tensor([1, 3, 5, 7]), L.tensor([3, 6]), side="right"),
    "searchsorted_2d": lambda L: L.searchsorted(L.tensor([[1, 3, 5], [2, 4, 6]]), L.tensor([[3], [5]])),
    "searchsorted_int32": lambda L: L.searchsorted(L.tensor([1, 3]), L.tensor([2]), out_int32=True),
    "searchsorted_scalar": lambda L: L.searchsorted(L.tensor([1, 3, 5]), 4),
    "searchsorted_sorter": lambda L: L.searchsorted(L.tensor([5, 1, 3]), L.tensor([2, 4]),
                                                    sorter=L.tensor([1, 2, 0])),
    "bucketize": lambda L: L.bucketize(L.tensor([[1, 5], [9, 3]]), L.tensor([1, 3, 5, 7])),
    "bucketize_right": lambda L: L.bucketize(L.tensor([1, 5, 9]), L.tensor([1, 3, 5, 7]), right=True),
    "bucketize_int32": lambda L: L.bucketize(L.tensor([1.5]), L.tensor([1.0, 2.0]), out_int32=True),
    "bucketize_scalar": lambda L: L.bucketize(4, L.tensor([1, 3, 5])),
    "bincount": lambda L: L.bincount(L.tensor([0, 1, 1, 3])),
    "bincount_minlength": lambda L: L.bincount(L.tensor([0, 1]), minlength=5),
    "bincount_weights": lambda L: L.bincount(L.tensor([0, 1, 1]), weights=L.tensor([0.5, 1.0, 2.0])),
    "bincount_weights_double": lambda L: L.bincount(L.tensor([0, 1]), weights=L.tensor([0.5, 1.0],
                                                                                         dtype=L.float64)),
    "bincount_empty": lambda L: L.bincount(L.tensor([], dtype=L.long)),
    "bincount_negative": lambda L: L.bincount(L.tensor([-1, 1])),
    "bincount_float": lambda L: L.bincount(L.tensor([1.0])),
    "bincount_2d": lambda L: L.bincount(L.tensor([[1]])),
    "histc": lambda L: L.histc(L.tensor([1.0, 2.0, 1.0, 4.0]), bins=4, min=0, max=3),
    "histc_auto_range": lambda L: L.histc(L.tensor([1.0, 2.0, 1.0, 4.0]), bins=3),
    "histc_const": lambda L: L.histc(L.tensor([2.0, 2.0]), bins=4),
    "histc_int_err": lambda L: L.histc(L.tensor([1, 2]), bins=4),
    "histc_bad_range": lambda L: L.histc(L.tensor([1.0]), bins=4, min=3, max=1),
    "histogram": lambda L: L.histogram(L.tensor([1.0, 2.0, 1.0]), bins=4, range=(0.0, 3.0)),
    "tril_indices": lambda L: L.tril_indices(3, 4, 1),
    "triu_indices": lambda L: L.triu_indices(4, 3, -1),
}


@pytest.mark.parametrize("name", list(GET))
def test_getitem(name):
    check_case(GET[name])


@pytest.mark.parametrize("name", list(SET))
def test_setitem(name):
    check_case(SET[name])


@pytest.mark.parametrize("name", list(OPS))
def test_index_ops(name):
    check_case(OPS[name])


LAYOUT = {
    "adv_on_transposed": lambda L: _x(L).transpose(0, 2)[[0, 1]],
    "adv_last_dim": lambda L: _x(L)[:, :, [0, 1]],
    "adv_on_permuted_middle": lambda L: _x(L).permute(2, 0, 1)[:, [1, 0]],
    "adv_2d_index": lambda L: _x(L)[L.tensor([[0, 1]]), L.tensor([0])],
    "adv_after_int": lambda L: _x(L)[1, [0, 2]],
    "adv_broadcast_list": lambda L: _x(L)[[1], [[0], [2]]],
    "none_then_slice": lambda L: _x(L)[None, 1:3],
    "int_none_slice": lambda L: _x(L)[0, None, 1:3],
    "double_none": lambda L: _x(L)[:, None, None],
    "ellipsis_none_int": lambda L: _x(L)[..., None, 1],
    "none_adv": lambda L: _x(L)[None, [0, 1]],
    "adv_none_adv": lambda L: _x(L)[[0, 1], None, [1, 2]],
    "two_ellipses": lambda L: _x(L)[..., ...],
    "ellipsis_int_ellipsis": lambda L: _x(L)[..., 0, ...],
    "list_of_list": lambda L: _x(L)[[[0, 1]]],
    "dict_index": lambda L: _x(L)[{}],
    "masked_fill_float_mask": lambda L: L.zeros(2).masked_fill(L.zeros(2), 1.0),
}


@pytest.mark.parametrize("name", list(LAYOUT))
def test_index_layout(name):
    check_case(LAYOUT[name])


def _aug(L, key, value):
    t = L.zeros(5)
    t[key(L)] += value
    return t


MORE = {
    "iadd_dup_index": lambda L: _aug(L, lambda L: L.tensor([0, 0, 2]), 1.0),
    "iadd_mask": lambda L: _aug(L, lambda L: L.tensor([True, False, True, False, False]), 2.0),
    "iadd_slice": lambda L: _aug(L, lambda L: slice(1, 4), 3.0),
    "setitem_negative_tensor": lambda L: _set(L, lambda L: L.tensor([-1, -2]), 7.0, base=L.zeros(4)),
    "setitem_mask_tensor_broadcast": lambda L: _set(L, lambda L: L.tensor([True, False]),
                                                    lambda L: L.tensor([1.0, 2.0, 3.0]), base=L.zeros(2, 3)),
    "setitem_adv_slice_mix": lambda L: _set(L, lambda L: ([0, 1], slice(1, 3)), lambda L: L.tensor([5.0, 6.0]),
                                            base=L.zeros(2, 4)),
    "setitem_list_of_values": lambda L: _set(L, 0, [1.0, 2.0, 3.0], base=L.zeros(2, 3)),
    "setitem_np_value": lambda L: _set(L, 0, np.array([1.0, 2.0, 3.0]), base=L.zeros(2, 3)),
    "setitem_ellipsis_all": lambda L: _set(L, Ellipsis, 4, base=L.zeros(2, 3)),
    "setitem_int_on_view_updates_base": lambda L: (lambda b: (b.t().__setitem__(0, 9.0), b)[1])(L.zeros(2, 3)),
    "setitem_bool_index_python": lambda L: _set(L, True, 3.0, base=L.zeros(2)),
    "setitem_requires_grad_value_grad_fn": lambda L: (lambda v: (lambda t: (t.__setitem__(L.tensor([0, 2]), v),
                                                                            t.grad_fn.name())[1])(L.zeros(3)))(
        L.ones(2, requires_grad=True)),
    "getitem_negative_index_tensor": lambda L: L.arange(5)[L.tensor([-1, -5])],
    "getitem_long_mask_like_list": lambda L: L.arange(4)[[0, 1, 1, 0]],
    "getitem_tuple_tensor_index": lambda L: L.arange(12).reshape(3, 4)[(L.tensor([0, 2]), L.tensor([1, 3]))],
    "getitem_np_int_index": lambda L: L.arange(5)[np.int64(2)],
    "getitem_np_array_index": lambda L: L.arange(5)[np.array([1, 3])],
    "getitem_np_bool_mask": lambda L: L.arange(3)[np.array([True, False, True])],
    "getitem_slice_tensor_bounds": lambda L: L.arange(5)[L.tensor(1):L.tensor(4)],
    "getitem_empty_mask": lambda L: L.arange(6.0).reshape(2, 3)[L.zeros(2, 3, dtype=L.bool)],
    "index_put_none_entry": lambda L: L.zeros(2, 3).index_put_((None, L.tensor([1])), L.tensor(1.0)),
    "take_along_dim": lambda L: L.take_along_dim(L.arange(6.0).reshape(2, 3), L.tensor([[2], [0]]), 1),
    "masked_scatter_grad": lambda L: (lambda s: (L.zeros(3).masked_scatter(L.tensor([True, False, True]), s)
                                                 .sum().backward(), s.grad)[1])(L.ones(3, requires_grad=True)),
    "scatter_grad": lambda L: (lambda s: (L.zeros(2, 3).scatter(1, L.tensor([[2], [0]]), s).sum().backward(),
                                          s.grad)[1])(L.ones(2, 1, requires_grad=True)),
    "index_select_grad": lambda L: (lambda x: (x.index_select(0, L.tensor([0, 0, 2])).sum().backward(), x.grad)[1])(
        L.ones(3, 2, requires_grad=True)),
    "put_grad": lambda L: (lambda s: (L.zeros(4).put(L.tensor([1, 3]), s).sum().backward(), s.grad)[1])(
        L.ones(2, requires_grad=True)),
}


@pytest.mark.parametrize("name", list(MORE))
def test_indexing_more(name):
    check_case(MORE[name])


def _chain(L, fn):
    """Values, node name and gradients of an indexing op applied to a non-leaf and a leaf source."""
    w = L.ones(3, 4, requires_grad=True)
    s = L.arange(12.0).reshape(3, 4).requires_grad_()
    t = w * 1
    out = fn(L, t, s)
    (out * L.arange(1.0, 13.0).reshape(3, 4)).sum().backward()
    return out.grad_fn.name(), out, w.grad, s.grad


_IDX = [[0, 0], [2, 3], [1, 0]]
GRAD_CASES = {
    "index_put_": lambda L, t, s: t.index_put_((L.tensor([0, 2]),), s[:2]),
    "index_put_acc": lambda L, t, s: t.index_put_((L.tensor([0, 0]),), s[:2], accumulate=True),
    "scatter_": lambda L, t, s: t.scatter_(1, L.tensor([[0, 1], [2, 3], [1, 0]]), s[:, :2]),
    "scatter_add_": lambda L, t, s: t.scatter_add_(1, L.tensor(_IDX), s[:, :2]),
    "scatter_value_": lambda L, t, s: t.scatter_(1, L.tensor([[0], [2], [1]]), 5.0),
    "scatter_reduce_sum": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2], "sum"),
    "scatter_reduce_amax": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2], "amax"),
    "scatter_reduce_mean": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2], "mean",
                                                          include_self=False),
    "scatter_reduce_prod": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2] + 1, "prod"),
    "scatter_reduce_prod_noself": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2] + 1,
                                                                 "prod", include_self=False),
    "scatter_reduce_amin_noself": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX),
                                                                 s[:, :2] * 0 + 1, "amin", include_self=False),
    "scatter_reduce_amax_ties": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2] * 0 + 1,
                                                               "amax"),
    "scatter_reduce_mean_self": lambda L, t, s: t.scatter_reduce(1, L.tensor(_IDX), s[:, :2],
                                                               "mean"),
    "index_add_": lambda L, t, s: t.index_add_(0, L.tensor([2, 0]), s[:2], alpha=3),
    "index_copy_": lambda L, t, s: t.index_copy_(0, L.tensor([2, 0]), s[:2]),
    "index_fill_": lambda L, t, s: t.index_fill_(1, L.tensor([0, 3]), -1.0),
    "masked_fill_": lambda L, t, s: t.masked_fill_(s > 5, 0.0),
    "masked_scatter_": lambda L, t, s: t.masked_scatter_(s > 5, s * 2),
    "put_": lambda L, t, s: t.put_(L.tensor([0, 11]), s[0, :2]),
    "setitem_view": lambda L, t, s: (t[1:].__setitem__((slice(None), 0), s[:2, 1]), t)[1],
    "gather": lambda L, t, s: s.gather(1, L.tensor([[0, 0, 1, 1], [3, 2, 1, 0], [0, 1, 2, 3]])) * t,
    "take": lambda L, t, s: L.take(s, L.tensor([[0, 5, 7, 11], [1, 1, 1, 1], [2, 3, 4, 5]])) + t,
    "index_select": lambda L, t, s: s.index_select(0, L.tensor([2, 2, 0])) + t,
    "masked_select": lambda L, t, s: (L.masked_select(s, s > 5).sum() + t),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_indexing_grads(name):
    check_case(lambda L: _chain(L, GRAD_CASES[name]))


GRAD_CASES_2 = {
    "index_reduce_prod": lambda L, t, s: t.index_reduce(0, L.tensor([0, 2, 0]), s + 1, "prod"),
    "index_reduce_mean_noself": lambda L, t, s: t.index_reduce(0, L.tensor([0, 2, 0]), s, "mean",
                                                                include_self=False),
    "index_reduce_amax_": lambda L, t, s: t.index_reduce_(1, L.tensor([1, 1, 0, 3]), s, "amax"),
    "index_reduce_amin": lambda L, t, s: t.index_reduce(1, L.tensor([1, 1, 0, 3]), s * 0 + 1, "amin"),
}


@pytest.mark.parametrize("name", list(GRAD_CASES_2))
def test_index_reduce_grads(name):
    check_case(lambda L: _chain(L, GRAD_CASES_2[name]))


def test_index_reduce_errors():
    check_case(lambda L: L.ones(3, 2).index_reduce(0, L.tensor([0]), L.ones(1, 2), "sum"))
