"""Matrix products: mm, bmm, mv, dot, addmm, baddbmm, matmul (composed as PyTorch composes it), outer,
einsum, tensordot, and a few torch.linalg routines."""
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor, _scalar_type_name
from ..autograd import grad_mode
from ._common import needs_grad, record, shape_str, wrap_dim, sum_to
from .pointwise import _compute_np
from ..amp.autocast_mode import _state as _autocast_states, cast_inputs

_autocast_state = _autocast_states["cpu"]

_make = Tensor._make


def _np2(a, b):
    cnp = _compute_np(a.dtype)
    x = a._data if a._data.dtype == cnp else a._data.astype(cnp)
    y = b._data if b._data.dtype == cnp else b._data.astype(cnp)
    return x, y


def _same_dtype(a, b, what="m1 and m2"):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected {what} to have the same dtype, but got: {_c_name(a.dtype)} != "
                           f"{_c_name(b.dtype)}")


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool", "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _c_name(d):
    return _C_NAMES.get(d.name, d.name)


def mm(input, mat2, *, out=None):
    if _autocast_state[0]:
        input, mat2 = cast_inputs(input, mat2)
    if input._data.ndim != 2:
        raise RuntimeError(f"self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix")
    (n, k), (k2, m) = input._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    _same_dtype(input, mat2)
    x, y = _np2(input, mat2)
    r = _make(np.matmul(x, y), input.dtype)
    if needs_grad(input, mat2):
        a_rg, b_rg = input.requires_grad, mat2.requires_grad

        def backward(node, g):
            return (mm(g, node.saved(1).t()) if a_rg else None,
                    mm(node.saved(0).t(), g) if b_rg else None)
        record("MmBackward0", r, (input, mat2), backward, (input if b_rg else None, mat2 if a_rg else None),
               saved_names=("self", "mat2"))
    return r


def bmm(input, mat2, *, out=None):
    if _autocast_state[0]:
        input, mat2 = cast_inputs(input, mat2)
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, n, k = input._data.shape
    if mat2._data.shape[0] != b or mat2._data.shape[1] != k:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: "
                           f"[{mat2._data.shape[0]}, {mat2._data.shape[1]}].")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_type_name(input.dtype)} but found "
                           f"{_scalar_type_name(mat2.dtype)}")
    x, y = _np2(input, mat2)
    r = _make(np.matmul(x, y), input.dtype)
    if needs_grad(input, mat2):
        a_rg, b_rg = input.requires_grad, mat2.requires_grad

        def backward(node, g):
            return (bmm(g, node.saved(1).transpose(1, 2)) if a_rg else None,
                    bmm(node.saved(0).transpose(1, 2), g) if b_rg else None)
        record("BmmBackward0", r, (input, mat2), backward, (input if b_rg else None, mat2 if a_rg else None))
    return r


def mv(input, vec, *, out=None):
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input._data.ndim}, {vec._data.ndim}")
    if input._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input._data.shape[0]}), mat ({input._data.shape[0]}x"
                           f"{input._data.shape[1]}), vec ({vec._data.shape[0]})")
    _same_dtype(input, vec)
    x, y = _np2(input, vec)
    r = _make(np.matmul(x, y), input.dtype)
    if needs_grad(input, vec):
        a_rg, b_rg = input.requires_grad, vec.requires_grad

        def backward(node, g):
            return (outer(g, node.saved(1)) if a_rg else None,
                    mv(node.saved(0).t(), g) if b_rg else None)
        record("MvBackward0", r, (input, vec), backward, (input if b_rg else None, vec if a_rg else None))
    return r


def dot(input, other, *, out=None):
    if input._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and {other._data.ndim}D tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_scalar_type_name(input.dtype)} and {_scalar_type_name(other.dtype)}")
    if input._data.shape[0] != other._data.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input._data.shape[0]}] and src "
                           f"[{other._data.shape[0]}] to have the same number of elements, but got "
                           f"{input._data.shape[0]} and {other._data.shape[0]} elements respectively")
    x, y = _np2(input, other)
    r = _make(np.asarray(np.dot(x, y)), input.dtype)
    if needs_grad(input, other):
        a_rg, b_rg = input.requires_grad, other.requires_grad

        def backward(node, g):
            return (g * node.saved(1) if a_rg else None, g * node.saved(0) if b_rg else None)
        record("DotBackward0", r, (input, other), backward, (input if b_rg else None, other if a_rg else None))
    return r


inner_dot = dot


def vdot(input, other):
    return dot(input.conj() if input.is_complex() else input, other)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    if _autocast_state[0]:
        input, mat1, mat2 = cast_inputs(input, mat1, mat2)
    if mat1._data.ndim != 2 or mat2._data.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1._data.ndim}-D tensor" if mat1._data.ndim != 2 else
                           f"mat2 must be a matrix, got {mat2._data.ndim}-D tensor")
    (n, k), (k2, m) = mat1._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_scalar_type_name(input.dtype)} and "
                           f"{_scalar_type_name(mat2.dtype)}")
    if mat1.dtype is not mat2.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_scalar_type_name(mat1.dtype)} and "
                           f"{_scalar_type_name(mat2.dtype)}")
    try:
        np.broadcast_shapes(input._data.shape, (n, m))
    except ValueError:
        raise RuntimeError(f"The expanded size of the tensor ({m}) must match the existing size "
                           f"({input._data.shape[-1]}) at non-singleton dimension 1.  Target sizes: [{n}, {m}].  "
                           f"Tensor sizes: {shape_str(input._data.shape)}") from None
    x, y = _np2(mat1, mat2)
    prod = np.matmul(x, y)
    cnp = prod.dtype
    bias = input._data.astype(cnp)
    if alpha != 1:
        prod = prod * alpha
    res = prod + (bias * beta if beta != 1 else bias) if beta != 0 else np.broadcast_to(prod, (n, m)).copy()
    r = _make(np.ascontiguousarray(res), mat1.dtype)
    if needs_grad(input, mat1, mat2):
        ishape = input._data.shape
        i_rg, a_rg, b_rg = input.requires_grad, mat1.requires_grad, mat2.requires_grad

        def backward(node, g):
            gi = sum_to(g * beta if beta != 1 else g, ishape) if i_rg else None
            ga = gb = None
            if a_rg:
                ga = mm(g, node.saved(1).t())
                if alpha != 1:
                    ga = ga * alpha
            if b_rg:
                gb = mm(node.saved(0).t(), g)
                if alpha != 1:
                    gb = gb * alpha
            return gi, ga, gb
        record("AddmmBackward0", r, (input, mat1, mat2), backward,
               (mat1 if b_rg else None, mat2 if a_rg else None), saved_names=("mat1", "mat2"))
    return r


def addmv(input, mat, vec, *, beta=1, alpha=1):
    return input * beta + mv(mat, vec) * alpha if (beta != 1 or alpha != 1) else input + mv(mat, vec)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    return input * beta + outer(vec1, vec2) * alpha


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    if _autocast_state[0]:
        input, batch1, batch2 = cast_inputs(input, batch1, batch2)
    prod = bmm(batch1.detach(), batch2.detach())
    res = prod._data * alpha if alpha != 1 else prod._data
    res = res + (input._data * beta if beta != 1 else input._data) if beta != 0 else res
    r = _make(np.ascontiguousarray(np.broadcast_to(res, prod._data.shape)), batch1.dtype)
    if needs_grad(input, batch1, batch2):
        ishape = input._data.shape
        i_rg, a_rg, b_rg = input.requires_grad, batch1.requires_grad, batch2.requires_grad

        def backward(node, g):
            gi = sum_to(g * beta if beta != 1 else g, ishape) if i_rg else None
            ga = bmm(g, node.saved(1).transpose(1, 2)) * alpha if a_rg else None
            gb = bmm(node.saved(0).transpose(1, 2), g) * alpha if b_rg else None
            return gi, ga, gb
        record("BaddbmmBackward0", r, (input, batch1, batch2), backward, (batch1, batch2))
    return r


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    return input * beta + bmm(batch1, batch2).sum(0) * alpha


def matmul(input, other, *, out=None):
    """Matrix product with PyTorch's broadcasting rules, composed from dot/mv/mm/bmm as PyTorch does."""
    if _autocast_state[0]:
        input, other = cast_inputs(input, other)
    if out is not None:
        from .pointwise import _check_out_grad
        from .conversion import copy_into_out
        _check_out_grad(out, input, other, name="matmul")
        return copy_into_out(out, _matmul(input, other))
    return _matmul(input, other)


def _matmul(input, other):
    da, db = input._data.ndim, other._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        return _squeeze0(mm(input.unsqueeze(0), other))
    if da == 2 and db == 2:
        return mm(input, other)
    if da >= 3 and db <= 2:
        # fold the batch into the rows of one matrix product
        shp = input.shape
        folded = input.reshape(-1, shp[-1])
        if db == 1:
            res = mv(folded, other)
            out_shape = tuple(shp[:-1])
        else:
            _check_mm_shapes(folded, other)
            res = mm(folded, other)
            out_shape = tuple(shp[:-1]) + (other.shape[-1],)
        return _unsafe_view(res, out_shape)
    if da == 1:
        # (k) @ (..., k, m): fold as a matrix-vector product of the transposed batch
        return _matmul(other.mT, input)
    if da == 2:
        # (n, k) @ (..., k, m): computed transposed, as PyTorch does
        return _matmul(other.mT, input.t()).mT.contiguous()
    return _batched(input, other)


def _squeeze0(t):
    """squeeze(0) recorded as PyTorch's in-place squeeze_ inside matmul is (SqueezeBackward4)."""
    r = t._view_of(t._data[0])
    if needs_grad(t):
        shp = t.shape
        record("SqueezeBackward4", r, (t,), lambda node, g: (g.reshape(shp),))
    return r


def _check_mm_shapes(a, b):
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")


def _batched(input, other):
    da, db = input.dim(), other.dim()
    a = input.unsqueeze(0) if da == 1 else input
    b = other.unsqueeze(-1) if db == 1 else other
    n, k = a.shape[-2:]
    k2, m = b.shape[-2:]
    if k != k2:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{int(np.prod(a.shape[:-2]))}, {k}] but got: [{int(np.prod(b.shape[:-2]))}, {k2}].")
    from ._common import broadcast_shapes
    batch = broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    B = int(np.prod(batch)) if batch else 1
    a3 = a.expand(batch + (n, k)).reshape(B, n, k)
    b3 = b.expand(batch + (k, m)).reshape(B, k, m)
    res = bmm(a3, b3)
    out_shape = batch + ((n,) if da > 1 else ()) + ((m,) if db > 1 else ())
    return _unsafe_view(res, out_shape)


def _unsafe_view(t, shape):
    r = _make(t._data.reshape(shape), t.dtype)
    if needs_grad(t):
        in_shape = t.shape
        record("UnsafeViewBackward0", r, (t,), lambda node, g: (g.reshape(in_shape),))
    return r


def outer(input, vec2):
    return input.reshape(-1, 1) * vec2


ger = outer


def inner(input, other):
    if input.dim() == 0 or other.dim() == 0:
        return input * other
    return tensordot(input, other, ([-1], [-1]))


def tensordot(a, b, dims=2, out=None):
    if isinstance(dims, int):
        da = list(range(a.dim() - dims, a.dim()))
        db = list(range(dims))
    elif isinstance(dims, Tensor):
        d = dims.tolist()
        da, db = ([d[0]], [d[1]]) if isinstance(d[0], int) else (d[0], d[1])
    else:
        da, db = dims
        da = [da] if isinstance(da, int) else list(da)
        db = [db] if isinstance(db, int) else list(db)
    da = [wrap_dim(d, a.dim()) for d in da]
    db = [wrap_dim(d, b.dim()) for d in db]
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[x]} in dim {x} and "
                               f"second has size {b.shape[y]} in dim {y}")
    free_a = [d for d in range(a.dim()) if d not in da]
    free_b = [d for d in range(b.dim()) if d not in db]
    ka = int(np.prod([a.shape[d] for d in da])) if da else 1
    pa = a.permute(free_a + da).reshape(-1, ka)
    pb = b.permute(db + free_b).reshape(ka, -1)
    res = mm(pa, pb)
    return res.view([a.shape[d] for d in free_a] + [b.shape[d] for d in free_b])


def _parse_einsum(equation, operands):
    eq = equation.replace(" ", "")
    lhs, arrow, out_sub = eq.partition("->")
    subs = lhs.split(",")
    if len(subs) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(operands) > len(subs) else
                           "einsum(): fewer operands were provided than specified in the equation")
    used = set(c for c in eq if c.isalpha())
    spare = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used]
    ell_ndim = max((o.dim() - (len(s_) - 3) for s_, o in zip(subs, operands) if "..." in s_), default=0)
    ell = "".join(spare[:ell_ndim])
    expanded = []
    for s_, o in zip(subs, operands):
        if "..." in s_:
            n = o.dim() - (len(s_) - 3)
            s_ = s_.replace("...", ell[ell_ndim - n:])
        if len(s_) != o.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(s_)}) does not match the "
                               f"number of dimensions ({o.dim()}) for operand {len(expanded)}"
                               + ("" if "..." in equation else " and no ellipsis was given"))
        expanded.append(s_)
    if arrow:
        out = out_sub.replace("...", ell)
    else:
        letters = "".join(expanded)
        out = ell + "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ell))
    return expanded, out


def einsum(equation, *operands):
    """torch.einsum, composed of sums, permutes and batched matrix products as PyTorch's is."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    subs, out = _parse_einsum(equation, operands)
    dt = operands[0].dtype
    for o in operands[1:]:
        if o.dtype is not dt:
            raise RuntimeError(f"expected scalar type {_scalar_type_name(dt)} but found "
                               f"{_scalar_type_name(o.dtype)}")
    terms = [_diagonalize(o, s_) for o, s_ in zip(operands, subs)]
    took_diagonal = any(s_ != ts for (_, ts), s_ in zip(terms, subs))
    # letters each remaining operand must keep: those in the output or in any other operand
    while len(terms) > 1:
        (a, sa), (b, sb) = terms[0], terms[1]
        rest = "".join(s_ for _, s_ in terms[2:]) + out
        terms = [_contract_pair(a, sa, b, sb, rest)] + terms[2:]
    t, st = terms[0]
    drop = [i for i, c in enumerate(st) if c not in out]
    if drop:
        t = t.sum(drop)
        st = "".join(c for c in st if c in out)
    perm = [st.index(c) for c in out]
    if perm != list(range(len(perm))) or took_diagonal:
        t = t.permute(perm)
    return t


def _diagonalize(t, s_):
    """Repeated letters in one operand take the diagonal."""
    while len(set(s_)) != len(s_):
        c = next(c for c in s_ if s_.count(c) > 1)
        i = s_.index(c)
        j = s_.index(c, i + 1)
        from .shape import diagonal
        t = diagonal(t, 0, i, j)
        s_ = "".join(ch for k, ch in enumerate(s_) if k not in (i, j)) + c
    return t, s_


def _contract_pair(a, sa, b, sb, keep):
    """Contract two operands over the letters they share that ``keep`` does not need."""
    # letters only in one operand and needed nowhere else are summed first
    only_a = [c for c in sa if c not in sb and c not in keep]
    if only_a:
        a = a.sum([sa.index(c) for c in only_a])
        sa = "".join(c for c in sa if c not in only_a)
    only_b = [c for c in sb if c not in sa and c not in keep]
    if only_b:
        b = b.sum([sb.index(c) for c in only_b])
        sb = "".join(c for c in sb if c not in only_b)
    batch = [c for c in sa if c in sb and c in keep]
    contract = [c for c in sa if c in sb and c not in keep]
    free_a = [c for c in sa if c not in sb]
    free_b = [c for c in sb if c not in sa]
    size = {}
    for c, n in zip(sa, a.shape):
        size[c] = n
    for c, n in zip(sb, b.shape):
        size[c] = max(size.get(c, 1), n)
    if not contract:
        # an outer-style product: broadcast multiply
        out_letters = batch + free_a + free_b
        av = a.permute([sa.index(c) for c in batch + free_a]) if sa else a
        av = av.reshape([size[c] for c in batch + free_a] + [1] * len(free_b))
        bv = b.permute([sb.index(c) for c in batch + free_b]) if sb else b
        bv = bv.reshape([size[c] for c in batch] + [1] * len(free_a) + [size[c] for c in free_b])
        return av * bv, "".join(out_letters)
    B = int(np.prod([size[c] for c in batch])) if batch else 1
    M = int(np.prod([size[c] for c in free_a])) if free_a else 1
    K = int(np.prod([size[c] for c in contract]))
    N = int(np.prod([size[c] for c in free_b])) if free_b else 1
    a3 = a.permute([sa.index(c) for c in batch + free_a + contract]).reshape(B, M, K)
    b3 = b.permute([sb.index(c) for c in batch + contract + free_b]).reshape(B, K, N)
    r = bmm(a3, b3).view([size[c] for c in batch + free_a + free_b])
    return r, "".join(batch + free_a + free_b)


def kron(input, other):
    a = input
    b = other
    nd = max(a.dim(), b.dim())
    a = a.reshape((1,) * (nd - a.dim()) + tuple(a.shape))
    b = b.reshape((1,) * (nd - b.dim()) + tuple(b.shape))
    ai = [s for d in a.shape for s in (d, 1)]
    bi = [s for d in b.shape for s in (1, d)]
    out = a.reshape(ai) * b.reshape(bi)
    return out.reshape([x * y for x, y in zip(a.shape, b.shape)])


def cross(input, other, dim=None):
    if dim is None:
        dim = next(i for i, n in enumerate(input.shape) if n == 3)
    d = wrap_dim(dim, input.dim())
    a0, a1, a2 = input.unbind(d)
    b0, b1, b2 = other.unbind(d)
    from .shape import stack
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], d)


def chain_matmul(*matrices):
    r = matrices[0]
    for m in matrices[1:]:
        r = mm(r, m)
    return r


def multi_dot(tensors):
    r = tensors[0]
    for m in tensors[1:]:
        r = matmul(r, m)
    return r
