"""torch.linalg: numpy (LAPACK) forwards with PyTorch's checks, error messages and backward formulas.

Backward formulas are written with tritongrad ops, so double backward works through them. Functions whose
derivative tritongrad lacks (qr, pinv, lstsq, eig, the U/Vh outputs of svd) still compute; their backward
raises NotImplementedError naming the case.
"""
import math

import numpy as np

from . import _dtype as D
from ._tensor import Tensor
from ._ops import _common as C
from ._ops import shape as _shape
from ._ops import linalg as _core_linalg
from ._ops.reduction import _namedtuple
from ._ops._common import needs_grad, record, type_name

_make = Tensor._make

__all__ = ["LinAlgError", "norm", "vector_norm", "matrix_norm", "inv", "inv_ex", "det", "slogdet", "solve",
           "solve_ex", "cholesky", "cholesky_ex", "qr", "svd", "svdvals", "eigh", "eigvalsh", "eig", "eigvals",
           "pinv", "matrix_rank", "lstsq", "cross", "multi_dot", "diagonal", "matrix_power", "solve_triangular",
           "vecdot", "cond", "matmul"]


class _LinAlgError(RuntimeError):
    """Raised when a linear-algebra routine fails on its input (singular or not positive-definite matrix)."""


_LinAlgError.__module__ = "torch._C"
LinAlgError = _LinAlgError

slogdet_ret = _namedtuple("linalg_slogdet", ["sign", "logabsdet"])
eigh_ret = _namedtuple("linalg_eigh", ["eigenvalues", "eigenvectors"])
eig_ret = _namedtuple("linalg_eig", ["eigenvalues", "eigenvectors"])
qr_ret = _namedtuple("linalg_qr", ["Q", "R"])
svd_ret = _namedtuple("linalg_svd", ["U", "S", "Vh"])
lstsq_ret = _namedtuple("linalg_lstsq", ["solution", "residuals", "rank", "singular_values"])
inv_ex_ret = _namedtuple("linalg_inv_ex", ["inverse", "info"])
cholesky_ex_ret = _namedtuple("linalg_cholesky_ex", ["L", "info"])
solve_ex_ret = _namedtuple("linalg_solve_ex", ["result", "info"])

matmul = _core_linalg.matmul
cross_core = _core_linalg.cross


# ------------------------------------------------------------------ checks
def _check_tensor(A, name):
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")


def _check_float(A, name):
    if not (A.dtype.is_floating_point or A.dtype.is_complex) or A.dtype in (D.float16, D.bfloat16):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {type_name(A.dtype)}")


def _check_matrix(A, name, square=True):
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")


def _batch_prefix(A, index):
    if A.dim() <= 2:
        return ""
    return f"(Batch element {index}): "


def _lu_zero_pivot(a):
    """1-based index of the first exactly-zero pivot of LU with partial pivoting (LAPACK getrf's info)."""
    a = np.array(a, dtype=np.complex128 if np.iscomplexobj(a) else np.float64)
    n = a.shape[0]
    first = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if a[p, k] == 0:
            if not first:
                first = k + 1
            continue
        if p != k:
            a[[k, p]] = a[[p, k]]
        a[k + 1:, k] /= a[k, k]
        a[k + 1:, k + 1:] -= np.outer(a[k + 1:, k], a[k, k + 1:])
    return first


def _singular_error(A, arr, name):
    flat = arr.reshape((-1,) + arr.shape[-2:])
    for i, m in enumerate(flat):
        k = _lu_zero_pivot(m)
        if k:
            if name == "torch.linalg.solve":
                return _LinAlgError(f"{name}: {_batch_prefix(A, i)}The solver failed because the input matrix is "
                                    "singular.")
            return _LinAlgError(f"{name}: {_batch_prefix(A, i)}The diagonal element {k} is zero, the inversion "
                                "could not be completed because the input matrix is singular.")
    return _LinAlgError(f"{name}: The input matrix is singular.")


def _np(A):
    return A.detach()._data


def _wrap(arr, dt):
    arr = np.asarray(arr)
    if not arr.flags.c_contiguous:
        arr = arr.copy()
    return _make(arr.astype(dt._np, copy=False), dt)


def _wrap_f(arr, dt):
    """A LAPACK-style result: each matrix column-major, batches outermost (PyTorch's strides)."""
    arr = np.asarray(arr).astype(dt._np, copy=False)
    if arr.ndim < 2:
        return _wrap(arr, dt)
    return _make(np.swapaxes(np.ascontiguousarray(np.swapaxes(arr, -1, -2)), -1, -2), dt)


def _no_derivative(name):
    def backward(node, *grads):
        raise NotImplementedError(f"the derivative of {name} is not implemented in tritongrad")
    return backward


def _mH(t):
    return t.mH if t.dtype.is_complex else t.mT


# ------------------------------------------------------------------ inverse, determinant, solve
def inv_ex(A, *, check_errors=False, out=None):
    _check_tensor(A, "inv_ex")
    _check_matrix(A, "linalg.inv")
    _check_float(A, "linalg.inv")
    a = A._data
    try:
        res = np.linalg.inv(a)
        info = np.zeros(a.shape[:-2], dtype=np.int32)
    except np.linalg.LinAlgError:
        if check_errors:
            raise _singular_error(A, a, "linalg.inv") from None
        flat = a.reshape((-1,) + a.shape[-2:])
        res = np.empty_like(flat)
        infos = []
        for i, m in enumerate(flat):
            k = _lu_zero_pivot(m)
            infos.append(k)
            res[i] = np.linalg.pinv(m) if k else np.linalg.inv(m)
        res = res.reshape(a.shape)
        info = np.asarray(infos, dtype=np.int32).reshape(a.shape[:-2])
    r = _wrap_f(res, A.dtype)
    if needs_grad(A):
        def backward(node, g, ginfo=None):
            ainv = node.saved(0)
            h = _mH(ainv)
            return (-(h @ g @ h),)
        record("LinalgInvExBackward0", (r, _make(info, D.int32)), (A,), backward, ("__out__",))
        return inv_ex_ret(r, _make(info, D.int32))
    return inv_ex_ret(r, _make(info, D.int32))


def inv(A, *, out=None):
    """Inverse of a square matrix (or each of a batch); raises LinAlgError when singular."""
    _check_tensor(A, "inv")
    return inv_ex(A, check_errors=True).inverse


def det(A, *, out=None):
    """Determinant of a square matrix (or of each in a batch)."""
    _check_tensor(A, "det")
    _check_matrix(A, "linalg.det")
    _check_float(A, "linalg.det")
    r = _wrap(np.asarray(np.linalg.det(A._data)), A.dtype)
    if needs_grad(A):
        def backward(node, g):
            a = node.saved(0)
            d = node.saved(1)
            # d det / dA = det * A^{-H}; for singular A use the adjugate through the SVD-free cofactor route
            try:
                ainv_h = _mH(inv(a))
            except _LinAlgError:
                return (_cofactor(a) * g.unsqueeze(-1).unsqueeze(-1),)
            return ((g * d.conj() if d.dtype.is_complex else g * d).unsqueeze(-1).unsqueeze(-1) * ainv_h,)
        record("LinalgDetBackward0", r, (A,), backward, (A, "__out__"))
    return r


def _cofactor(a):
    """The cofactor matrix of each matrix in ``a`` (the derivative of det), computed by minors."""
    arr = _np(a)
    n = arr.shape[-1]
    out = np.empty_like(arr)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(arr, i, axis=-2), j, axis=-1)
            out[..., i, j] = (-1) ** (i + j) * (np.linalg.det(minor) if n > 1 else 1.0)
    return _make(out, a.dtype)


def slogdet(A, *, out=None):
    """(sign, log|det|) of a square matrix (or batch)."""
    _check_tensor(A, "slogdet")
    _check_matrix(A, "linalg.slogdet")
    _check_float(A, "linalg.slogdet")
    sign, logabs = np.linalg.slogdet(A._data)
    real = D.float32 if A.dtype is D.complex64 else D.float64 if A.dtype is D.complex128 else A.dtype
    s = _wrap(np.asarray(sign), A.dtype)
    la = _wrap(np.asarray(logabs), real)
    if needs_grad(A):
        def backward(node, gsign, glogabs):
            a = node.saved(0)
            return (glogabs.unsqueeze(-1).unsqueeze(-1) * _mH(inv(a)),)
        record("LinalgSlogdetBackward0", (s, la), (A,), backward, (A,))
        s._grad_fn = None  # the sign is not differentiable
    return slogdet_ret(s, la)


def logdet(A):
    """log det A: nan for a negative determinant, -inf for a singular matrix."""
    sign, logabs = slogdet(A)
    from ._ops.pointwise import where, log
    return where(sign == -1, math.nan, logabs) if not A.dtype.is_complex else logabs + log(sign)


def _solve_shapes(A, B, left):
    """Whether B is a (batch of) vector(s) for this A, as PyTorch decides it."""
    vector_case = B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    return vector_case


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    _check_matrix(A, "linalg.solve")
    _check_float(A, "linalg.solve")
    if B.dtype is not A.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{type_name(A.dtype)} and B of type {type_name(B.dtype)} instead")
    vector = _solve_shapes(A, B, left)
    Bm = B.unsqueeze(-1) if vector else B
    if not left:
        return _solve_right(A, B, vector, check_errors)
    if Bm.shape[-2] != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {Bm.shape[-2]}x{Bm.shape[-1]})")
    a = A._data
    b = Bm._data
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a_b = np.broadcast_to(a, batch + a.shape[-2:])
    b_b = np.broadcast_to(b, batch + b.shape[-2:])
    try:
        x = np.linalg.solve(a_b, b_b)
        info = np.zeros(batch, dtype=np.int32)
    except np.linalg.LinAlgError:
        if check_errors:
            raise _singular_error(A, a_b, "torch.linalg.solve") from None
        x = np.full(batch + b.shape[-2:], np.nan, dtype=a.dtype)
        info = np.ones(batch, dtype=np.int32)
    if vector:
        X_out = _make(np.asfortranarray(x[..., 0]).astype(A.dtype._np, copy=False), A.dtype)
    else:
        X_out = _wrap_f(x, A.dtype)
    if needs_grad(A, B):
        def backward(node, g, ginfo=None):
            a_ = node.saved(0)
            x_ = node.saved(1)
            gm = g.unsqueeze(-1) if vector else g
            xm = x_.unsqueeze(-1) if vector else x_
            gb = solve(_mH(a_), gm)
            ga = -(gb @ _mH(xm)) if A.requires_grad else None
            if ga is not None:
                ga = C.sum_to(ga, A.shape)
            gbo = None
            if B.requires_grad:
                gbo = gb.squeeze(-1) if vector else gb
                gbo = C.sum_to(gbo, B.shape)
            return ga, gbo
        record("LinalgSolveExBackward0", (X_out, _make(info, D.int32)), (A, B), backward, (A, "__out__"))
    return solve_ex_ret(X_out, _make(info, D.int32))


def _solve_right(A, B, vector, check_errors):
    # X A = B  <=>  A^T X^T = B^T
    Xt = solve_ex(A.mT, B.mT if not vector else B, check_errors=check_errors)
    res = Xt.result if vector else Xt.result.mT
    return solve_ex_ret(res, Xt.info)


def solve(A, B, *, left=True, out=None):
    """The solution X of AX = B (or XA = B with ``left=False``); raises LinAlgError when A is singular."""
    _check_tensor(A, "solve")
    return solve_ex(A, B, left=left, check_errors=True).result


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """Solve a triangular system; only the relevant triangle of A is read."""
    tri = _shape.triu(A) if upper else _shape.tril(A)
    if unitriangular:
        n = A.shape[-1]
        from ._ops.creation import eye
        tri = tri - _shape.diag_embed(_shape.diagonal(tri, 0, -2, -1)) + eye(n, dtype=A.dtype)
    return solve(tri, B, left=left)


# ------------------------------------------------------------------ factorizations
def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    _check_matrix(A, "linalg.cholesky")
    _check_float(A, "linalg.cholesky")
    a = A._data
    info = np.zeros(a.shape[:-2], dtype=np.int32)
    try:
        low = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        flat = a.reshape((-1,) + a.shape[-2:])
        infos = [_cholesky_failing_order(m) for m in flat]
        if check_errors:
            i = next(k for k, v in enumerate(infos) if v)
            raise _LinAlgError(f"linalg.cholesky: {_batch_prefix(A, i)}The factorization could not be completed "
                               f"because the input is not positive-definite (the leading minor of order {infos[i]} "
                               "is not positive-definite).") from None
        low = np.stack([np.linalg.cholesky(m) if not v else np.tril(m) for m, v in zip(flat, infos)])
        low = low.reshape(a.shape)
        info = np.asarray(infos, dtype=np.int32).reshape(a.shape[:-2])
    res = np.swapaxes(low, -1, -2).conj() if upper else low
    r = _wrap_f(res, A.dtype)
    if needs_grad(A):
        def backward(node, g, ginfo=None):
            L = node.saved(0)
            gL = g
            if upper:
                L, gL = _mH(L), _mH(gL)
            phi = (_mH(L) @ gL).tril()
            phi = 0.5 * (phi + _mH(phi.tril(-1)))
            linv = inv(L)
            return (_mH(linv) @ phi @ linv,)
        record("LinalgCholeskyExBackward0", (r, _make(info, D.int32)), (A,), backward, ("__out__",))
    return cholesky_ex_ret(r, _make(info, D.int32))


def _cholesky_failing_order(m):
    for k in range(1, m.shape[-1] + 1):
        try:
            np.linalg.cholesky(m[:k, :k])
        except np.linalg.LinAlgError:
            return k
    return 0


def cholesky(A, *, upper=False, out=None):
    """Cholesky factor L (lower, or U = L^H with ``upper=True``) of a Hermitian positive-definite matrix."""
    _check_tensor(A, "cholesky")
    return cholesky_ex(A, upper=upper, check_errors=True).L


def qr(A, mode="reduced", *, out=None):
    """QR decomposition (modes 'reduced', 'complete', 'r')."""
    _check_tensor(A, "qr")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', "
                           "or 'complete'")
    _check_matrix(A, "linalg.qr", square=False)
    _check_float(A, "linalg.qr")
    a = A._data
    if mode == "r":
        q = np.zeros((0,), dtype=a.dtype)
        rr = np.linalg.qr(a, mode="r")
    else:
        q, rr = np.linalg.qr(a, mode=mode)
    Q, R = _wrap_f(q, A.dtype), _wrap_f(rr, A.dtype)
    if needs_grad(A):
        record("LinalgQrBackward0", (Q, R), (A,), _no_derivative("linalg.qr"))
    return qr_ret(Q, R)


def svd(A, full_matrices=True, *, driver=None, out=None):
    """Singular value decomposition A = U diag(S) Vh."""
    _check_tensor(A, "svd")
    _check_matrix(A, "linalg.svd", square=False)
    _check_float(A, "linalg.svd")
    u, s, vh = np.linalg.svd(A._data, full_matrices=full_matrices)
    real = _real_dtype(A.dtype)
    U, S, Vh = _wrap_f(u, A.dtype), _wrap(s, real), _wrap_f(vh, A.dtype)
    if needs_grad(A):
        def backward(node, gU, gS, gVh):
            if bool((gU != 0).any()) or bool((gVh != 0).any()):
                raise NotImplementedError("the derivative of linalg.svd through U or Vh is not implemented in "
                                          "tritongrad (the singular values alone are differentiable)")
            return (_svdvals_grad(node.saved(0), node.saved(1), gS),)
        record("LinalgSvdBackward0", (U, S, Vh), (A,), backward, (U.detach(), Vh.detach()))
    return svd_ret(U, S, Vh)


def _svdvals_grad(u, vh, gS):
    k = gS.shape[-1]
    gs = gS.to(u.dtype) if u.dtype.is_complex else gS
    return (u[..., :, :k] * gs.unsqueeze(-2)) @ vh[..., :k, :]


def _real_dtype(dt):
    return D.float32 if dt is D.complex64 else D.float64 if dt is D.complex128 else dt


def svdvals(A, *, driver=None, out=None):
    """Singular values of A, in descending order."""
    _check_tensor(A, "svdvals")
    _check_matrix(A, "linalg.svd", square=False)
    _check_float(A, "linalg.svd")
    if not needs_grad(A):
        return _wrap(np.linalg.svd(A._data, compute_uv=False), _real_dtype(A.dtype))
    u, s, vh = np.linalg.svd(A._data, full_matrices=False)
    S = _wrap(s, _real_dtype(A.dtype))
    U, Vh = _wrap(u, A.dtype), _wrap(vh, A.dtype)
    record("LinalgSvdBackward0", S, (A,), lambda node, g: (_svdvals_grad(node.saved(0), node.saved(1), g),),
           (U, Vh))
    return S


def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a Hermitian matrix (reads the UPLO triangle)."""
    _check_tensor(A, "eigh")
    _check_matrix(A, "linalg.eigh")
    _check_float(A, "linalg.eigh")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    w, v = np.linalg.eigh(A._data, UPLO=UPLO)
    Lm, V = _wrap(w, _real_dtype(A.dtype)), _wrap_f(v, A.dtype)
    if needs_grad(A):
        def backward(node, gL, gV):
            lam = node.saved(0)
            vec = node.saved(1)
            vh = _mH(vec)
            inner = vh @ gV
            inner = 0.5 * (inner - _mH(inner))
            E = lam.unsqueeze(-2) - lam.unsqueeze(-1)
            from ._ops.creation import eye
            n = lam.shape[-1]
            I = eye(n, dtype=lam.dtype)
            ret = inner / (E + I)
            ret = ret * (1 - I) + _shape.diag_embed(gL.to(ret.dtype) if ret.dtype.is_complex else gL)
            return (vec @ ret @ vh,)
        record("LinalgEighBackward0", (Lm, V), (A,), backward, (Lm.detach(), V.detach()))
    return eigh_ret(Lm, V)


def eigvalsh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) of a Hermitian matrix."""
    _check_tensor(A, "eigvalsh")
    if not needs_grad(A):
        _check_matrix(A, "linalg.eigh")
        _check_float(A, "linalg.eigh")
        return _wrap(np.linalg.eigvalsh(A._data, UPLO=UPLO), _real_dtype(A.dtype))
    return eigh(A, UPLO).eigenvalues


def eig(A, *, out=None):
    """Eigenvalues and eigenvectors of a general square matrix (complex results)."""
    _check_tensor(A, "eig")
    _check_matrix(A, "linalg.eig")
    _check_float(A, "linalg.eig")
    w, v = np.linalg.eig(A._data)
    cdt = D.complex64 if A.dtype in (D.float32, D.complex64) else D.complex128
    W, V = _wrap(w, cdt), _wrap_f(v, cdt)
    if needs_grad(A):
        record("LinalgEigBackward0", (W, V), (A,), _no_derivative("linalg.eig"))
    return eig_ret(W, V)


def eigvals(A, *, out=None):
    return eig(A).eigenvalues


# ------------------------------------------------------------------ pseudo-inverse, rank, least squares
def _tolerances(s, shape, atol, rtol, dtype):
    smax = s[..., :1] if s.shape[-1] else np.zeros(s.shape[:-1] + (1,), dtype=s.dtype)
    if rtol is None:
        rtol = np.finfo(dtype._np if not dtype.is_complex else _real_dtype(dtype)._np).eps * max(shape[-2:]) \
            if atol is None or atol == 0 else 0.0
    atol = 0.0 if atol is None else atol
    atol = atol._data[..., None] if isinstance(atol, Tensor) else atol
    rtol = rtol._data[..., None] if isinstance(rtol, Tensor) else rtol
    return np.maximum(atol, rtol * smax)


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Moore-Penrose pseudo-inverse; singular values below max(atol, rtol * s_max) count as zero."""
    _check_tensor(A, "pinv")
    _check_float(A, "linalg.pinv")
    _check_matrix(A, "linalg.pinv", square=False)
    u, s, vh = np.linalg.svd(A._data, full_matrices=False)
    tol = _tolerances(s, A.shape, atol, rtol, A.dtype)
    s_inv = np.where(s > tol, 1.0 / np.where(s > tol, s, 1), 0).astype(s.dtype)
    res = np.swapaxes(vh, -1, -2).conj() @ (s_inv[..., :, None] * np.swapaxes(u, -1, -2).conj())
    r = _wrap(res, A.dtype)
    if needs_grad(A):
        record("LinalgPinvBackward0", r, (A,), _no_derivative("linalg.pinv"))
    return r


def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """Number of singular values above max(atol, rtol * s_max)."""
    _check_tensor(A, "matrix_rank")
    _check_matrix(A, "torch.linalg.matrix_rank", square=False)
    _check_float(A, "torch.linalg.matrix_rank")
    if tol is not None:
        atol, rtol = tol, 0.0
    s = np.abs(np.linalg.eigvalsh(A._data)) if hermitian else np.linalg.svd(A._data, compute_uv=False)
    if hermitian:
        s = -np.sort(-s, axis=-1)
    tol_ = _tolerances(s, A.shape, atol, rtol, A.dtype)
    return _make(np.asarray((s > tol_).sum(axis=-1), dtype=np.int64), D.int64)


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution of AX = B (solution, residuals, rank, singular_values) as PyTorch's CPU default
    driver 'gelsy' reports them: rank filled, residuals and singular values empty unless the driver gives them."""
    _check_tensor(A, "lstsq")
    _check_float(A, "torch.linalg.lstsq")
    if driver is not None and driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    driver = driver or "gelsy"
    vector = B.dim() == A.dim() - 1
    b = B._data[..., None] if vector else B._data
    a = A._data
    m, n = a.shape[-2:]
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a_b = np.broadcast_to(a, batch + a.shape[-2:]).reshape((-1, m, n))
    b_b = np.broadcast_to(b, batch + b.shape[-2:]).reshape((-1,) + b.shape[-2:])
    eps = np.finfo(_real_dtype(A.dtype)._np).eps
    rc = eps * max(m, n) if rcond is None else rcond
    sols, ranks, svals, resids = [], [], [], []
    for am, bm in zip(a_b, b_b):
        x, res, rank, sv = np.linalg.lstsq(am, bm, rcond=rc)
        sols.append(x)
        ranks.append(rank)
        svals.append(sv)
        resids.append(res)
    sol = np.stack(sols).reshape(batch + (n, b.shape[-1])) if sols else np.zeros(batch + (n, b.shape[-1]), a.dtype)
    solution = _lstsq_layout(sol, max(m, n), A.dtype, vector)
    rank = _make(np.asarray(ranks, dtype=np.int64).reshape(batch), D.int64) if driver != "gels" else \
        _make(np.zeros((0,), dtype=np.int64), D.int64)
    real = _real_dtype(A.dtype)
    if driver in ("gelsd", "gelss"):
        singular_values = _wrap(np.stack(svals).reshape(batch + (min(m, n),)), real)
    else:
        singular_values = _make(np.zeros((0,), dtype=real._np), real)
    full_rank = all(r == n for r in ranks)
    if m > n and full_rank and driver != "gelsy":
        residuals = _wrap(np.stack(resids).reshape(batch + (b.shape[-1],)), real)
    else:
        residuals = _make(np.zeros((0,), dtype=real._np), real)
    if needs_grad(A, B):
        record("LinalgLstsqBackward0", solution, (A, B), _no_derivative("linalg.lstsq"))
    return lstsq_ret(solution, residuals, rank, singular_values)


def _lstsq_layout(sol, rows, dt, vector):
    """LAPACK solves least squares in place in a (max(m, n), k) column-major buffer per batch; the
    solution is its first n rows, so PyTorch's result keeps that buffer's strides."""
    if vector:
        return _wrap(sol[..., 0], dt)
    n, k = sol.shape[-2:]
    batch = sol.shape[:-2]
    buf = np.zeros(batch + (k, rows), dtype=dt._np)
    buf[..., :, :n] = np.swapaxes(sol, -1, -2)
    return _make(np.swapaxes(buf, -1, -2)[..., :n, :], dt)


# ------------------------------------------------------------------ norms
def _norm_dims(x, dim):
    if dim is None:
        return tuple(range(x.dim()))
    if isinstance(dim, int):
        dim = (dim,)
    return tuple(C.wrap_dim(d, x.dim()) for d in dim)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """The vector ord-norm of x over ``dim`` (all elements when None)."""
    _check_tensor(x, "vector_norm")
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{type_name(x.dtype)}")
    if dtype is not None:
        x = x.to(dtype)
    dims = _norm_dims(x, dim)
    a = x._data
    real = _real_dtype(x.dtype)
    p = float(ord)
    absx = np.abs(a)
    if x.numel() == 0 and p < 0 or (absx.size == 0 and p == math.inf and dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                           "operation does not have an identity")
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if p == math.inf:
            res = absx.max(axis=dims, keepdims=keepdim) if absx.size else np.zeros(())
        elif p == -math.inf:
            res = absx.min(axis=dims, keepdims=keepdim)
        elif p == 0:
            res = (absx != 0).sum(axis=dims, keepdims=keepdim).astype(absx.dtype)
        elif p == 1:
            res = absx.sum(axis=dims, keepdims=keepdim)
        elif p == 2:
            res = np.sqrt((absx * absx).sum(axis=dims, keepdims=keepdim))
        else:
            res = (absx ** p).sum(axis=dims, keepdims=keepdim) ** (1.0 / p)
    r = _wrap(np.asarray(res), real)
    if needs_grad(x):
        def backward(node, g):
            xs = node.saved(0)
            nrm = node.saved(1)
            if not keepdim and dims:
                for d in sorted(dims):
                    g = g.unsqueeze(d)
                    nrm = nrm.unsqueeze(d)
            sgn = xs.sgn()
            if p == 0:
                return (xs * 0,)
            if p == 1:
                return (sgn * g,)
            if p in (math.inf, -math.inf):
                mask = (xs.abs() == nrm).to(g.dtype)
                count = mask.sum(dims, keepdim=True) if dims else mask
                return (sgn * mask * g / count,)
            if p == 2:
                safe = nrm.masked_fill(nrm == 0, 1.0)
                return ((xs / safe * g).masked_fill(nrm == 0, 0.0),)
            absx_ = xs.abs()
            safe = nrm.masked_fill(nrm == 0, 1.0)
            grad = sgn * absx_ ** (p - 1) / safe ** (p - 1) * g
            return (grad.masked_fill(nrm == 0, 0.0),)
        record("LinalgVectorNormBackward0", r, (x,), backward, (x, "__out__"))
    return r


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Matrix norms: 'fro', 'nuc', 2, -2, 1, -1, inf, -inf over the two dims ``dim``."""
    _check_tensor(A, "matrix_norm")
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    if dtype is not None:
        A = A.to(dtype)
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        got = dim if isinstance(dim, int) else " ".join(map(str, dim))
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
    d0, d1 = (C.wrap_dim(d, A.dim()) for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord == "nuc" or ord in (2, -2):
        moved = _shape.movedim(A, (d0, d1), (-2, -1))
        s = svdvals(moved)
        if ord == "nuc":
            r = s.sum(-1)
        elif ord == 2:
            r = s.amax(-1)
        else:
            r = s.amin(-1)
        if keepdim:
            for d in sorted((d0, d1)):
                r = r.unsqueeze(d)
        return r
    if ord in (1, -1, math.inf, -math.inf):
        sum_dim, red_dim = (d0, d1) if ord in (1, -1) else (d1, d0)
        s = A.abs().sum(sum_dim, keepdim=keepdim)
        if not keepdim and sum_dim < red_dim:
            red_dim -= 1
        return s.amax(red_dim, keepdim=keepdim) if ord > 0 else s.amin(red_dim, keepdim=keepdim)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """Vector or matrix norm, chosen as PyTorch does from ``ord`` and ``dim``."""
    _check_tensor(A, "norm")
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or dim is None and ord is not None and A.dim() == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dim if dim is not None else (-2, -1), keepdim,
                           dtype=dtype)
    if isinstance(ord, str):
        if dim is not None:
            raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                           f"{A.dim()}D.")
    if dim is None and ord is not None and A.dim() != 1:
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                           f"{A.dim()}D.")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def cond(A, p=None, *, out=None):
    """Condition number of A in the p-norm (2-norm by default: s_max / s_min)."""
    if p is None or p in (2, -2):
        s = svdvals(A)
        r = s[..., 0] / s[..., -1]
        return r if p != -2 else s[..., -1] / s[..., 0]
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


# ------------------------------------------------------------------ products and views
def cross(input, other, *, dim=-1, out=None):
    """Cross product of 3-vectors along ``dim`` (inputs broadcast)."""
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = C.wrap_dim(dim, input.dim())
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and "
                           f"{other.shape[d]}")
    return cross_core(input, other, dim=dim)


def multi_dot(tensors, *, out=None):
    """Product of a chain of matrices (the first and last may be vectors)."""
    return _core_linalg.multi_dot(tensors)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """The diagonal of each matrix of A (a view)."""
    return _shape.diagonal(A, offset, dim1, dim2)


def matrix_power(A, n, *, out=None):
    """A to the integer power n (negative n inverts first)."""
    _check_matrix(A, "linalg.matrix_power")
    if n == 0:
        from ._ops.creation import eye
        return eye(A.shape[-1], dtype=A.dtype).expand(A.shape).clone()
    base = inv(A) if n < 0 else A
    n = abs(n)
    result = None
    while n:
        if n & 1:
            result = base if result is None else result @ base
        n >>= 1
        if n:
            base = base @ base
    return result


def vecdot(x, y, *, dim=-1, out=None):
    """Dot product of vectors along ``dim`` (conjugating x)."""
    return (x.conj() * y).sum(dim) if x.dtype.is_complex else (x * y).sum(dim)


# ------------------------------------------------------------------ the older torch.* spellings
svd_legacy_ret = _namedtuple("svd", ["U", "S", "V"])
qr_legacy_ret = _namedtuple("qr", ["Q", "R"])
slogdet_legacy_ret = _namedtuple("slogdet", ["sign", "logabsdet"])


def _deprecated_cholesky(input, upper=False, *, out=None):
    import warnings
    warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future "
                  "PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\n"
                  "and\nU = torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\n"
                  "This transform will produce equivalent results for all valid (symmetric positive definite) inputs. "
                  "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:1765.)",
                  UserWarning, stacklevel=2)
    return cholesky(input, upper=upper)


def _deprecated_qr(input, some=True, *, out=None):
    import warnings
    warnings.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch "
                  "release.\nThe boolean parameter 'some' has been replaced with a string parameter 'mode'.\n"
                  "Q, R = torch.qr(A, some)\nshould be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else "
                  "'complete') (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2505.)", UserWarning, stacklevel=2)
    q, r = qr(input, "reduced" if some else "complete")
    return qr_legacy_ret(q, r)


def svd_legacy(input, some=True, compute_uv=True, *, out=None):
    """torch.svd: (U, S, V) with V (not V^H); without ``compute_uv`` U and V are zero-filled square matrices."""
    if not compute_uv:
        S = svdvals(input)
        m, n = input.shape[-2:]
        batch = tuple(input.shape[:-2])
        U = _wrap(np.zeros(batch + (m, m)), input.dtype)
        V = _wrap_f(np.zeros(batch + (n, n)), input.dtype)
        return svd_legacy_ret(U, S, V)
    u, s, vh = svd(input, full_matrices=not some)
    return svd_legacy_ret(u, s, _mH(vh))


def pinverse(input, rcond=1e-15):
    """Pseudo-inverse with singular values below rcond * s_max dropped."""
    return pinv(input, rtol=rcond)


def _legacy_slogdet(input):
    sign, logabs = slogdet(input)
    return slogdet_legacy_ret(sign, logabs)


for _name, _fn in (("det", det), ("inverse", inv), ("slogdet", _legacy_slogdet), ("logdet", logdet),
                   ("cholesky", _deprecated_cholesky), ("qr", _deprecated_qr), ("svd", svd_legacy),
                   ("pinverse", pinverse), ("matrix_power", matrix_power)):
    if not hasattr(Tensor, _name):
        setattr(Tensor, _name, _fn)
