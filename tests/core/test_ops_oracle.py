"""Every core op against PyTorch on the same inputs: values, dtype, shape, grad_fn name and input gradients,
in float64 (tight) and float32, including broadcasting, non-contiguous inputs, 0-d and empty tensors."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402
from .oracle import assert_same, np_of  # noqa: E402


def _gen(spec, rng, dtype):
    """Numpy input from a spec: a shape (floats), or (kind, shape[, extra])."""
    if isinstance(spec, tuple) and spec and isinstance(spec[0], str):
        kind, shape = spec[0], spec[1]
        if kind == "pos":
            return rng.uniform(0.5, 2.0, shape).astype(dtype)
        if kind == "unit":
            return rng.uniform(-0.9, 0.9, shape).astype(dtype)
        if kind == "int":
            return rng.integers(-5, 6, shape).astype(np.int64)
        if kind == "idx":
            return rng.integers(0, spec[2], shape).astype(np.int64)
        if kind == "bool":
            return rng.random(shape) > 0.5
        if kind == "rowperm":  # distinct positions in each row: scatter without collisions
            return np.stack([rng.permutation(spec[2])[:shape[1]] for _ in range(shape[0])]).astype(np.int64)
        if kind == "t":  # non-contiguous: the transpose of a fresh array
            return rng.standard_normal(shape[::-1]).astype(dtype).T
        if kind == "distinct":
            n = int(np.prod(shape)) if shape else 1
            return (rng.permutation(n).astype(dtype) / 3.0 - 1.0).reshape(shape)
        raise ValueError(kind)
    return rng.standard_normal(spec).astype(dtype)


def _tensors(arr, lib):
    if lib is tg:
        t = tg.from_numpy(arr) if arr.flags.c_contiguous or arr.ndim < 2 else tg.from_numpy(arr.T.copy()).T
        t = t.clone() if t.is_contiguous() else t.t().clone().t()
    else:
        t = torch.from_numpy(arr.copy()) if arr.flags.c_contiguous or arr.ndim < 2 else \
            torch.from_numpy(arr.T.copy()).T
    if t.dtype.is_floating_point:
        t.requires_grad_(True)
    return t


# (id, fn(lib, *inputs), input specs). Inputs that are floating point require grad.
CASES = [
    # arithmetic with broadcasting and scalars
    ("add", lambda m, a, b: a + b, [(3, 4), (4,)]),
    ("add_alpha", lambda m, a, b: m.add(a, b, alpha=2.5), [(3, 1), (1, 4)]),
    ("add_scalar", lambda m, a: a + 2, [(3,)]),
    ("radd_scalar", lambda m, a: 2.5 + a, [(2, 3)]),
    ("sub", lambda m, a, b: a - b, [(2, 3), (2, 3)]),
    ("rsub", lambda m, a: 1 - a, [(2, 3)]),
    ("mul", lambda m, a, b: a * b, [(2, 1, 3), (4, 1)]),
    ("mul_scalar", lambda m, a: a * 3, [(5,)]),
    ("div", lambda m, a, b: a / b, [(3, 4), ("pos", (3, 4))]),
    ("rdiv", lambda m, a: 2 / a, [("pos", (3,))]),
    ("div_floor", lambda m, a, b: m.div(a, b, rounding_mode="floor"), [(3, 4), ("pos", (4,))]),
    ("div_trunc", lambda m, a, b: m.div(a, b, rounding_mode="trunc"), [(3, 4), ("pos", (4,))]),
    ("floordiv", lambda m, a: a // 0.7, [(6,)]),
    ("remainder", lambda m, a: a % 0.7, [(6,)]),
    ("fmod", lambda m, a: m.fmod(a, 0.7), [(6,)]),
    ("pow_scalar", lambda m, a: a ** 2, [(3, 2)]),
    ("pow_frac", lambda m, a: a ** 1.5, [("pos", (4,))]),
    ("pow_tensor", lambda m, a, b: a ** b, [("pos", (3,)), (3,)]),
    ("rpow", lambda m, a: 2 ** a, [(4,)]),
    ("neg", lambda m, a: -a, [(3,)]),
    ("atan2", lambda m, a, b: m.atan2(a, b), [(4,), (4,)]),
    ("maximum", lambda m, a, b: m.maximum(a, b), [(3, 4), (4,)]),
    ("minimum", lambda m, a, b: m.minimum(a, b), [(3, 4), (3, 4)]),
    ("hypot", lambda m, a, b: m.hypot(a, b), [(4,), (4,)]),
    ("lerp_scalar", lambda m, a, b: m.lerp(a, b, 0.3), [(4,), (4,)]),
    ("lerp_tensor", lambda m, a, b, w: m.lerp(a, b, w), [(4,), (4,), ("unit", (4,))]),
    ("addcmul", lambda m, a, b, c: m.addcmul(a, b, c, value=0.5), [(3,), (3,), (3,)]),
    ("addcdiv", lambda m, a, b, c: m.addcdiv(a, b, c, value=0.5), [(3,), (3,), ("pos", (3,))]),
    ("xlogy", lambda m, a, b: m.xlogy(a, b), [(4,), ("pos", (4,))]),
    # unary math
    *[(f"unary_{n}", (lambda n: lambda m, a: getattr(m, n)(a))(n), [spec]) for n, spec in [
        ("exp", (3, 4)), ("expm1", (5,)), ("exp2", (5,)), ("log", ("pos", (5,))), ("log2", ("pos", (5,))),
        ("log10", ("pos", (5,))), ("log1p", ("pos", (5,))), ("sqrt", ("pos", (2, 3))), ("rsqrt", ("pos", (4,))),
        ("sin", (5,)), ("cos", (5,)), ("tan", ("unit", (5,))), ("asin", ("unit", (5,))), ("acos", ("unit", (5,))),
        ("atan", (5,)), ("sinh", (5,)), ("cosh", (5,)), ("tanh", (3, 3)), ("asinh", (5,)),
        ("atanh", ("unit", (5,))), ("sigmoid", (4, 2)), ("relu", (6,)), ("abs", (6,)), ("sign", (6,)),
        ("floor", (6,)), ("ceil", (6,)), ("round", (6,)), ("trunc", (6,)), ("frac", (6,)),
        ("reciprocal", ("pos", (4,))), ("erf", (6,)), ("erfc", (6,)), ("erfinv", ("unit", (6,))),
        ("square", (4,)), ("sinc", (4,)), ("logit", ("unit", (4,))), ("neg", (3,)), ("exp", ("t", (3, 2))),
    ]],
    ("acosh", lambda m, a: m.acosh(a + 1.5), [("pos", (4,))]),
    ("clamp", lambda m, a: m.clamp(a, -0.5, 0.5), [(8,)]),
    ("clamp_min", lambda m, a: m.clamp(a, min=0.1), [(8,)]),
    ("clamp_tensor", lambda m, a, lo, hi: m.clamp(a, lo, hi), [(6,), (6,), ("pos", (6,))]),
    ("clip", lambda m, a: a.clip(max=0.2), [(8,)]),
    ("where", lambda m, c, a, b: m.where(c, a, b), [("bool", (3, 4)), (3, 4), (4,)]),
    ("where_scalar", lambda m, c, a: m.where(c, a, 0.0), [("bool", (5,)), (5,)]),
    ("round_decimals", lambda m, a: m.round(a * 10, decimals=1), [(5,)]),
    ("nan_to_num", lambda m, a: m.nan_to_num(a), [(4,)]),
    # reductions
    ("sum", lambda m, a: a.sum(), [(3, 4)]),
    ("sum_dim", lambda m, a: a.sum(1), [(3, 4)]),
    ("sum_dims_keep", lambda m, a: a.sum((0, 2), keepdim=True), [(2, 3, 4)]),
    ("sum_neg_dim", lambda m, a: m.sum(a, dim=-1), [("t", (3, 4))]),
    ("mean", lambda m, a: a.mean(), [(3, 4)]),
    ("mean_dim", lambda m, a: a.mean(dim=0, keepdim=True), [(3, 4)]),
    ("prod", lambda m, a: a.prod(), [("pos", (2, 3))]),
    ("prod_dim", lambda m, a: a.prod(1), [("pos", (2, 3))]),
    ("max_all", lambda m, a: a.max(), [("distinct", (3, 4))]),
    ("max_dim", lambda m, a: tuple(a.max(1)), [("distinct", (3, 4))]),
    ("min_dim_keep", lambda m, a: tuple(a.min(0, keepdim=True)), [("distinct", (3, 4))]),
    ("amax", lambda m, a: a.amax(1), [("distinct", (3, 4))]),
    ("amin_dims", lambda m, a: m.amin(a, (0, 1)), [("distinct", (3, 4))]),
    ("argmax", lambda m, a: a.argmax(), [("distinct", (3, 4))]),
    ("argmax_dim", lambda m, a: a.argmax(dim=1, keepdim=True), [("distinct", (3, 4))]),
    ("argmin_dim", lambda m, a: a.argmin(dim=0), [("distinct", (3, 4))]),
    ("var", lambda m, a: a.var(), [(3, 4)]),
    ("var_dim", lambda m, a: a.var(1, keepdim=True), [(3, 4)]),
    ("var_unbiased_false", lambda m, a: a.var(0, unbiased=False), [(3, 4)]),
    ("var_correction", lambda m, a: m.var(a, dim=1, correction=0), [(3, 4)]),
    ("std", lambda m, a: a.std(), [(3, 4)]),
    ("std_dim", lambda m, a: a.std(dim=1), [(3, 4)]),
    ("norm", lambda m, a: a.norm(), [(3, 4)]),
    ("norm_p1_dim", lambda m, a: a.norm(p=1, dim=1), [(3, 4)]),
    ("norm_p3", lambda m, a: m.norm(a, 3), [(3, 4)]),
    ("norm_inf", lambda m, a: a.norm(p=float("inf")), [("distinct", (3, 4))]),
    ("logsumexp", lambda m, a: a.logsumexp(1), [(3, 4)]),
    ("logsumexp_keep", lambda m, a: m.logsumexp(a, dim=(0, 1), keepdim=True), [(3, 4)]),
    ("cumsum", lambda m, a: a.cumsum(1), [(3, 4)]),
    ("cumprod", lambda m, a: a.cumprod(0), [("pos", (3, 4))]),
    ("cummax", lambda m, a: tuple(m.cummax(a, 1)), [("distinct", (3, 4))]),
    ("softmax", lambda m, a: a.softmax(-1), [(3, 4)]),
    ("log_softmax", lambda m, a: m.log_softmax(a, 0), [(3, 4)]),
    ("median_all", lambda m, a: a.median(), [("distinct", (3, 5))]),
    ("median_dim", lambda m, a: tuple(a.median(1)), [("distinct", (3, 5))]),
    ("kthvalue", lambda m, a: tuple(a.kthvalue(2, 1)), [("distinct", (3, 5))]),
    ("all", lambda m, c: c.all(), [("bool", (3, 4))]),
    ("any_dim", lambda m, c: c.any(1), [("bool", (3, 4))]),
    ("count_nonzero", lambda m, c: m.count_nonzero(c, dim=0), [("int", (3, 4))]),
    ("sum_int", lambda m, c: c.sum(), [("int", (3, 4))]),
    ("sum_bool", lambda m, c: c.sum(1), [("bool", (3, 4))]),
    ("mode", lambda m, c: tuple(c.mode(1)), [("idx", (3, 6), 3)]),
    # matrix products
    ("mm", lambda m, a, b: m.mm(a, b), [(3, 4), (4, 2)]),
    ("mm_noncontig", lambda m, a, b: a @ b, [("t", (3, 4)), ("t", (4, 2))]),
    ("bmm", lambda m, a, b: m.bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    ("mv", lambda m, a, b: m.mv(a, b), [(3, 4), (4,)]),
    ("dot", lambda m, a, b: m.dot(a, b), [(4,), (4,)]),
    ("matmul_1d_2d", lambda m, a, b: a @ b, [(4,), (4, 3)]),
    ("matmul_3d_2d", lambda m, a, b: a @ b, [(2, 3, 4), (4, 5)]),
    ("matmul_3d_1d", lambda m, a, b: a @ b, [(2, 3, 4), (4,)]),
    ("matmul_2d_3d", lambda m, a, b: a @ b, [(3, 4), (2, 4, 5)]),
    ("matmul_broadcast", lambda m, a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)]),
    ("matmul_1d_3d", lambda m, a, b: a @ b, [(4,), (2, 4, 5)]),
    ("addmm", lambda m, c, a, b: m.addmm(c, a, b), [(2,), (3, 4), (4, 2)]),
    ("addmm_beta_alpha", lambda m, c, a, b: m.addmm(c, a, b, beta=0.5, alpha=2.0), [(3, 2), (3, 4), (4, 2)]),
    ("baddbmm", lambda m, c, a, b: m.baddbmm(c, a, b, alpha=0.5), [(3, 5), (2, 3, 4), (2, 4, 5)]),
    ("outer", lambda m, a, b: m.outer(a, b), [(3,), (4,)]),
    ("einsum_mm", lambda m, a, b: m.einsum("ij,jk->ik", a, b), [(3, 4), (4, 2)]),
    ("einsum_batch", lambda m, a, b: m.einsum("bij,bjk->bik", a, b), [(2, 3, 4), (2, 4, 5)]),
    ("einsum_trace_sum", lambda m, a: m.einsum("ij->", a), [(3, 4)]),
    ("einsum_outer", lambda m, a, b: m.einsum("i,j->ij", a, b), [(3,), (4,)]),
    ("einsum_implicit", lambda m, a, b: m.einsum("ij,jk", a, b), [(3, 4), (4, 2)]),
    ("einsum_ellipsis", lambda m, a, b: m.einsum("...ij,...jk->...ik", a, b), [(2, 3, 4), (2, 4, 5)]),
    ("einsum_three", lambda m, a, b, c: m.einsum("ij,jk,kl->il", a, b, c), [(2, 3), (3, 4), (4, 2)]),
    ("einsum_diag", lambda m, a: m.einsum("ii->i", a), [(3, 3)]),
    ("einsum_transpose", lambda m, a: m.einsum("ij->ji", a), [(3, 4)]),
    ("tensordot", lambda m, a, b: m.tensordot(a, b, dims=([1, 2], [0, 1])), [(2, 3, 4), (3, 4, 5)]),
    ("tensordot_int", lambda m, a, b: m.tensordot(a, b, 1), [(2, 3), (3, 4)]),
    # shape ops
    ("view", lambda m, a: a.view(4, 3), [(3, 4)]),
    ("view_infer", lambda m, a: a.view(-1, 2), [(3, 4)]),
    ("reshape_noncontig", lambda m, a: a.reshape(-1), [("t", (3, 4))]),
    ("permute", lambda m, a: a.permute(2, 0, 1), [(2, 3, 4)]),
    ("transpose", lambda m, a: a.transpose(0, 2), [(2, 3, 4)]),
    ("t", lambda m, a: a.t(), [(2, 3)]),
    ("T", lambda m, a: a.T, [(2, 3)]),
    ("mT", lambda m, a: a.mT, [(2, 3, 4)]),
    ("squeeze", lambda m, a: a.squeeze(), [(1, 3, 1, 2)]),
    ("squeeze_dim", lambda m, a: a.squeeze(2), [(1, 3, 1, 2)]),
    ("unsqueeze", lambda m, a: a.unsqueeze(-1), [(3, 2)]),
    ("flatten", lambda m, a: a.flatten(1), [(2, 3, 4)]),
    ("flatten_mid", lambda m, a: m.flatten(a, 1, 2), [(2, 3, 4, 2)]),
    ("unflatten", lambda m, a: a.unflatten(1, (2, 2)), [(3, 4)]),
    ("expand", lambda m, a: a.expand(2, 3, 4), [(3, 1)]),
    ("expand_as", lambda m, a, b: a.expand_as(b), [(1, 4), (3, 4)]),
    ("repeat", lambda m, a: a.repeat(2, 1, 3), [(3, 2)]),
    ("repeat_interleave", lambda m, a: a.repeat_interleave(2, dim=0), [(3, 2)]),
    ("repeat_interleave_flat", lambda m, a: m.repeat_interleave(a, 3), [(3, 2)]),
    ("cat", lambda m, a, b: m.cat([a, b], 1), [(2, 3), (2, 4)]),
    ("cat_neg", lambda m, a, b: m.cat((a, b), dim=-2), [(2, 3), (1, 3)]),
    ("stack", lambda m, a, b: m.stack([a, b], 1), [(2, 3), (2, 3)]),
    ("split", lambda m, a: a.split(2, 1), [(2, 5)]),
    ("split_sizes", lambda m, a: m.split(a, [1, 4], dim=1), [(2, 5)]),
    ("chunk", lambda m, a: a.chunk(3, 0), [(7, 2)]),
    ("unbind", lambda m, a: a.unbind(1), [(2, 3)]),
    ("narrow", lambda m, a: a.narrow(1, 1, 2), [(3, 4)]),
    ("select", lambda m, a: a.select(1, -1), [(3, 4)]),
    ("flip", lambda m, a: a.flip(0, 1) if m is torch else a.flip([0, 1]), [(3, 4)]),
    ("flip_list", lambda m, a: m.flip(a, [1]), [(3, 4)]),
    ("roll", lambda m, a: a.roll(1, 0), [(3, 4)]),
    ("roll_flat", lambda m, a: m.roll(a, 5), [(3, 4)]),
    ("roll_multi", lambda m, a: m.roll(a, (1, -2), (0, 1)), [(3, 4)]),
    ("tril", lambda m, a: a.tril(), [(4, 4)]),
    ("triu_k", lambda m, a: m.triu(a, 1), [(3, 5)]),
    ("diag_vec", lambda m, a: m.diag(a), [(3,)]),
    ("diag_mat", lambda m, a: m.diag(a, 1), [(3, 4)]),
    ("diagonal", lambda m, a: a.diagonal(), [(3, 4)]),
    ("trace", lambda m, a: a.trace(), [(3, 3)]),
    ("movedim", lambda m, a: a.movedim(0, -1), [(2, 3, 4)]),
    ("as_strided", lambda m, a: a.as_strided((2, 2), (1, 2)), [(3, 4)]),
    ("unfold", lambda m, a: a.unfold(1, 2, 1), [(2, 5)]),
    ("clone", lambda m, a: a.clone(), [(3, 4)]),
    ("contiguous", lambda m, a: a.contiguous(), [("t", (3, 4))]),
    ("hstack", lambda m, a, b: m.hstack([a, b]), [(2, 3), (2, 1)]),
    ("vstack", lambda m, a, b: m.vstack([a, b]), [(3,), (3,)]),
    # indexing
    ("index_int", lambda m, a: a[1], [(3, 4)]),
    ("index_slice", lambda m, a: a[1:, ::2], [(3, 4)]),
    ("index_neg_ellipsis", lambda m, a: a[..., -1], [(2, 3, 4)]),
    ("index_none", lambda m, a: a[:, None, 1], [(3, 4)]),
    ("index_list", lambda m, a: a[[0, 2, 2]], [(3, 4)]),
    ("index_tensor", lambda m, a, i: a[i], [(5, 2), ("idx", (3,), 5)]),
    ("index_mask", lambda m, a, c: a[c], [(3, 4), ("bool", (3, 4))]),
    ("index_mask_rows", lambda m, a, c: a[c], [(3, 4), ("bool", (3,))]),
    ("index_two_tensors", lambda m, a, i, j: a[i, j], [(4, 5), ("idx", (3,), 4), ("idx", (3,), 5)]),
    ("index_mixed", lambda m, a, i: a[1:, i], [(4, 5), ("idx", (2,), 5)]),
    ("gather", lambda m, a, i: a.gather(1, i), [(3, 4), ("idx", (3, 2), 4)]),
    ("take_along_dim", lambda m, a, i: m.take_along_dim(a, i, 1), [(3, 4), ("idx", (3, 2), 4)]),
    ("scatter", lambda m, a, i, s: a.scatter(1, i, s), [(3, 4), ("rowperm", (3, 2), 4), (3, 2)]),
    ("scatter_value", lambda m, a, i: a.scatter(0, i, 2.5), [(3, 4), ("rowperm", (1, 4), 3)]),
    ("scatter_add", lambda m, a, i, s: a.scatter_add(1, i, s), [(3, 4), ("idx", (3, 5), 4), (3, 5)]),
    ("index_select", lambda m, a, i: a.index_select(0, i), [(4, 3), ("idx", (5,), 4)]),
    ("index_add", lambda m, a, i, s: a.index_add(0, i, s), [(4, 3), ("idx", (5,), 4), (5, 3)]),
    ("index_fill", lambda m, a, i: a.index_fill(1, i, -1.0), [(4, 3), ("idx", (2,), 3)]),
    ("masked_fill", lambda m, a, c: a.masked_fill(c, 0.5), [(3, 4), ("bool", (4,))]),
    ("masked_select", lambda m, a, c: a.masked_select(c), [(3, 4), ("bool", (3, 4))]),
    ("sort", lambda m, a: tuple(a.sort(1)), [("distinct", (3, 5))]),
    ("sort_desc", lambda m, a: tuple(a.sort(0, descending=True)), [("distinct", (3, 5))]),
    ("argsort", lambda m, a: a.argsort(1, descending=True), [("distinct", (3, 5))]),
    ("topk", lambda m, a: tuple(a.topk(2)), [("distinct", (3, 5))]),
    ("topk_smallest", lambda m, a: tuple(m.topk(a, 3, dim=0, largest=False)), [("distinct", (4, 2))]),
    ("nonzero", lambda m, c: c.nonzero(), [("bool", (3, 4))]),
    ("nonzero_tuple", lambda m, c: m.nonzero(c, as_tuple=True), [("bool", (3, 4))]),
    ("unique", lambda m, c: m.unique(c, return_inverse=True, return_counts=True), [("idx", (10,), 4)]),
    # comparisons and logic give bool/int results
    ("eq", lambda m, a, b: a == b, [("idx", (3, 4), 3), ("idx", (4,), 3)]),
    ("lt_scalar", lambda m, a: a < 0.1, [(5,)]),
    ("ge", lambda m, a, b: m.ge(a, b), [(3, 4), (3, 4)]),
    ("logical_and", lambda m, c, d: m.logical_and(c, d), [("bool", (4,)), ("bool", (4,))]),
    ("invert_bool", lambda m, c: ~c, [("bool", (4,))]),
    ("bitwise_xor", lambda m, a, b: a ^ b, [("int", (4,)), ("int", (4,))]),
    ("isclose", lambda m, a, b: m.isclose(a, b), [(4,), (4,)]),
    # integer arithmetic keeps PyTorch's promotion
    ("int_add_float_scalar", lambda m, a: a + 1.5, [("int", (4,))]),
    ("int_true_div", lambda m, a: a / 3, [("int", (4,))]),
    ("int_floordiv", lambda m, a: a // 3, [("int", (4,))]),
    ("int_remainder", lambda m, a: a % 3, [("int", (5,))]),
    ("int_pow", lambda m, a: a ** 2, [("int", (4,))]),
    ("int_mean_float", lambda m, a: a.float().mean(), [("int", (4,))]),
    ("int_abs", lambda m, a: a.abs(), [("int", (4,))]),
    ("int_exp", lambda m, a: a.exp(), [("int", (4,))]),
    ("int_cumsum", lambda m, a: a.cumsum(0), [("int", (4,))]),
    ("int_mm", lambda m, a, b: a @ b, [("int", (2, 3)), ("int", (3, 2))]),
    ("bool_add", lambda m, c, d: c + d, [("bool", (4,)), ("bool", (4,))]),
    ("bool_mul_float", lambda m, c, a: c * a, [("bool", (4,)), (4,)]),
    ("int_times_float_tensor", lambda m, i, a: i * a, [("int", (4,)), (4,)]),
    # 0-d and empty tensors
    ("zero_dim_add", lambda m, a, b: a + b, [(), (3,)]),
    ("zero_dim_sum", lambda m, a: a.sum(), [()]),
    ("zero_dim_exp", lambda m, a: a.exp(), [()]),
    ("empty_sum", lambda m, a: a.sum(0), [(0, 3)]),
    ("empty_cat", lambda m, a, b: m.cat([a, b]), [(0, 3), (2, 3)]),
    ("empty_mm", lambda m, a, b: a @ b, [(0, 3), (3, 2)]),
    ("empty_mean_dim", lambda m, a: a.mean(1), [(2, 0)]),
]


def _run(case, lib, dtype):
    name, fn, specs = case
    rng = np.random.default_rng(abs(hash(name)) % (2 ** 32))
    arrays = [_gen(s, rng, dtype) for s in specs]
    ins = [_tensors(a, lib) for a in arrays]
    return ins, fn(lib, *ins)


def _flat(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_op_matches_pytorch(case, dtype):
    tol = dict(rtol=1e-7, atol=1e-9) if dtype == "float64" else dict(rtol=2e-5, atol=2e-6)
    ins_t, out_t = _run(case, torch, np.dtype(dtype))
    ins_m, out_m = _run(case, tg, np.dtype(dtype))
    assert_same(out_m, out_t, **tol)
    outs_t, outs_m = _flat(out_t), _flat(out_m)
    for m_, t_ in zip(outs_m, outs_t):
        if isinstance(t_, torch.Tensor):
            assert m_.requires_grad == t_.requires_grad
            if t_.grad_fn is not None:
                assert type(m_.grad_fn).__name__ == type(t_.grad_fn).__name__
    # backward: the same random weighting of every differentiable output
    diff = [(m_, t_) for m_, t_ in zip(outs_m, outs_t)
            if isinstance(t_, torch.Tensor) and t_.requires_grad and t_.numel()]
    if not diff:
        return
    rng = np.random.default_rng(1)
    loss_t = loss_m = 0
    for m_, t_ in diff:
        w = rng.standard_normal(tuple(t_.shape)).astype(dtype)
        loss_t = loss_t + (t_ * torch.from_numpy(w)).sum()
        loss_m = loss_m + (m_ * tg.from_numpy(w)).sum()
    try:
        loss_t.backward()
    except RuntimeError as e:  # PyTorch has no derivative for this op: tritongrad must say the same
        with pytest.raises(RuntimeError) as info:
            loss_m.backward()
        assert str(info.value) == str(e)
        return
    loss_m.backward()
    for a_m, a_t in zip(ins_m, ins_t):
        if a_t.requires_grad:
            if a_t.grad is None:
                assert a_m.grad is None or not np_of(a_m.grad).any()
            else:
                assert a_m.grad is not None, f"no gradient for an input of {case[0]}"
                assert_same(a_m.grad, a_t.grad, **tol)


# float64 gradcheck of every differentiable case (finite differences, independent of the oracle)
_NONSMOOTH = {"unary_logit", "unary_relu", "unary_abs", "unary_floor", "unary_ceil", "unary_round", "unary_trunc",
              "unary_sign", "unary_frac", "floordiv", "remainder", "fmod", "div_floor", "div_trunc", "clamp",
              "clamp_min", "clamp_tensor", "clip", "round_decimals", "maximum", "minimum"}


@pytest.mark.parametrize("case", [c for c in CASES if c[0] not in _NONSMOOTH], ids=lambda c: c[0])
def test_gradcheck_float64(case):
    name, fn, specs = case
    rng = np.random.default_rng(abs(hash(name)) % (2 ** 32))
    arrays = [_gen(s, rng, np.float64) for s in specs]
    ins = [_tensors(a, tg) for a in arrays]
    if not any(i.requires_grad for i in ins):
        pytest.skip("no differentiable input")
    probe = fn(tg, *ins)
    if not any(isinstance(o, tg.Tensor) and o.requires_grad for o in _flat(probe)):
        pytest.skip("no differentiable output")

    def f(*xs):
        out = fn(tg, *xs)
        return tuple(o for o in _flat(out) if isinstance(o, tg.Tensor) and o.dtype.is_floating_point)
    assert tg.autograd.gradcheck(f, tuple(ins), eps=1e-6, atol=1e-5, rtol=1e-3)
