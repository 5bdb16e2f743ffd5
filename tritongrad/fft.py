"""torch.fft: discrete Fourier transforms computed with numpy.fft, with PyTorch's dtypes, checks and layouts.

Gradients: every transform is linear, so its backward is the adjoint transform (the inverse direction with the
dual normalization, zero-padding and trimming swapped, onesided halves expanded or folded). The adjoints are
recorded ops too, so double backward works.
"""
import numpy as np

from . import _dtype as D
from ._tensor import Tensor
from ._ops._common import needs_grad, record, wrap_dim

_make = Tensor._make

__all__ = ["fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn",
           "hfft", "ihfft", "fftfreq", "rfftfreq", "fftshift", "ifftshift"]

_NORMS = (None, "backward", "forward", "ortho")


def _check_norm(norm):
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm or "backward"


def _complex_of(dt):
    if dt is D.float64 or dt is D.complex128:
        return D.complex128
    return D.complex64


def _real_of(dt):
    return D.float64 if dt in (D.float64, D.complex128) else D.float32


def _layout(res, dims):
    """PyTorch lays out a transform's result with the transformed dims innermost (batch dims outside)."""
    order = [d for d in range(res.ndim) if d not in dims] + list(dims)
    if order == list(range(res.ndim)):
        return np.ascontiguousarray(res)
    buf = np.ascontiguousarray(np.transpose(res, order))
    return np.transpose(buf, np.argsort(order))


_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _resize(a, dims, sizes):
    """Zero-pad or trim ``a`` along ``dims`` to ``sizes`` (what numpy's ``s``/``n`` do before a transform)."""
    for d, n in zip(dims, sizes):
        m = a.shape[d]
        if n < m:
            a = np.take(a, np.arange(n), axis=d)
        elif n > m:
            pad = [(0, 0)] * a.ndim
            pad[d] = (0, n - m)
            a = np.pad(a, pad)
    return a


def _linear_op(x, np_fn, out_dt, dims, node_name, adjoint):
    """A recorded linear map ``np_fn`` whose backward is the recorded map ``adjoint(g)``."""
    r = _make(_layout(np.asarray(np_fn(x._data)).astype(out_dt._np, copy=False), dims), out_dt)
    if needs_grad(x):
        record(node_name, r, (x,), lambda node, g: (adjoint(g),))
    return r


def _c2c(x, dims, sizes, forward, norm, node_name="FftC2CBackward0"):
    """Resize to ``sizes`` then transform (complex to complex)."""
    in_sizes = [x.shape[d] for d in dims]
    fn = np.fft.fftn if forward else np.fft.ifftn
    cdt = _complex_of(x.dtype)
    return _linear_op(x, lambda a: fn(a.astype(cdt._np), s=sizes, axes=dims, norm=norm), cdt, dims, node_name,
                      lambda g: _c2c_adj(g, dims, in_sizes, not forward, _DUAL[norm]))


def _c2c_adj(g, dims, out_sizes, forward, norm):
    """Transform then resize to ``out_sizes``: the adjoint of ``_c2c``."""
    sizes = [g.shape[d] for d in dims]
    fn = np.fft.fftn if forward else np.fft.ifftn
    return _linear_op(g, lambda a: _resize(fn(a, axes=dims, norm=norm), dims, out_sizes), g.dtype, dims,
                      "FftC2CBackward0", lambda h: _c2c(h, dims, sizes, not forward, _DUAL[norm]))


def _conj(z):
    r = _make(np.conj(z._data), z.dtype)
    if needs_grad(z):
        record("ConjBackward0", r, (z,), lambda node, g: (_conj(g),))
    return r


def _real_part(z):
    r = _make(np.ascontiguousarray(z._data.real), _real_of(z.dtype))
    if needs_grad(z):
        record("RealBackward0", r, (z,), lambda node, g: (_to_complex(g),))
    return r


def _to_complex(t):
    r = _make(t._data.astype(_complex_of(t.dtype)._np), _complex_of(t.dtype))
    if needs_grad(t):
        record("ToCopyBackward0", r, (t,), lambda node, g: (_real_part(g),))
    return r


def _r2c(x, dims, sizes, norm, onesided):
    """Real input: resize, transform; keep the non-negative half of the last dim when ``onesided``."""
    in_sizes = [x.shape[d] for d in dims]
    cdt = _complex_of(x.dtype)
    if onesided:
        fn = (lambda a: np.fft.rfftn(a, s=sizes, axes=dims, norm=norm))
    else:
        fn = (lambda a: np.fft.fftn(a, s=sizes, axes=dims, norm=norm))
    return _linear_op(x, fn, cdt, dims, "FftR2CBackward0" if onesided or len(dims) == 1 else "FftC2CBackward0",
                      lambda g: _r2c_adj(g, dims, sizes, in_sizes, norm, onesided))


def _r2c_adj(g, dims, sizes, in_sizes, norm, onesided):
    """Adjoint of ``_r2c``: zero-fill the dropped half, inverse transform (dual norm), real part, resize."""
    def fn(a):
        if onesided:
            a = _resize(a, [dims[-1]], [sizes[-1]])
        return _resize(np.fft.ifftn(a, axes=dims, norm=_DUAL[norm]).real, dims, in_sizes)
    return _linear_op(g, fn, _real_of(g.dtype), dims, "FftR2CBackward0",
                      lambda h: _r2c(h, dims, sizes, norm, onesided))


def _c2r(y, dims, sizes, norm):
    """Onesided complex input: the real signal of ``sizes`` (numpy's irfftn)."""
    in_sizes = [y.shape[d] for d in dims]
    rdt = _real_of(y.dtype)
    return _linear_op(y, lambda a: np.fft.irfftn(a, s=sizes, axes=dims, norm=norm), rdt, dims, "FftC2RBackward0",
                      lambda g: _c2r_adj(g, dims, sizes, in_sizes, norm))


def _c2r_adj(g, dims, sizes, in_sizes, norm):
    """Adjoint of ``_c2r``: onesided forward transform (dual norm), interior bins doubled, resized back."""
    n_last = sizes[-1]
    half = n_last // 2 + 1

    def fn(a):
        z = np.fft.rfftn(a, axes=dims, norm=_DUAL[norm])
        doubled = n_last - half
        if doubled > 0:
            weights = np.ones(half)
            weights[1:1 + doubled] = 2
            shape = [1] * z.ndim
            shape[dims[-1]] = half
            z = z * weights.reshape(shape)
        return _resize(z, dims, in_sizes)
    return _linear_op(g, fn, _complex_of(g.dtype), dims, "FftC2RBackward0",
                      lambda h: _c2r(h, dims, sizes, norm))


def _dims_and_sizes(input, s, dim, default_all):
    nd = input.dim()
    if dim is None:
        dims = list(range(nd)) if s is None or default_all else list(range(nd - len(s), nd))
    elif isinstance(dim, int):
        dims = [wrap_dim(dim, nd)]
    else:
        dims = [wrap_dim(d, nd) for d in dim]
    if len(set(dims)) != len(dims):
        raise RuntimeError("FFT dims must be unique")
    if s is not None:
        s = list(s)
        if len(s) != len(dims):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        for n in s:
            if n != -1 and n < 1:
                raise RuntimeError(f"Invalid number of data points ({n}) specified")
        s = [input.shape[d] if n == -1 else n for d, n in zip(dims, s)]
    return dims, s


def _one_dim(input, n, dim):
    d = wrap_dim(dim, input.dim())
    if n is not None and n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return d


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """One-dimensional discrete Fourier transform."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    return _transform(input, [d], None if n is None else [n], True, norm)


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """One-dimensional inverse discrete Fourier transform."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    return _transform(input, [d], None if n is None else [n], False, norm)


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """FFT of a real signal: the n // 2 + 1 non-negative frequencies."""
    norm = _check_norm(norm)
    if input.dtype.is_complex:
        raise RuntimeError(f"rfft expects a real input tensor, but got {_type(input)}")
    d = _one_dim(input, n, dim)
    x = _as_float(input)
    return _r2c(x, [d], [x.shape[d] if n is None else n], norm, True)


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Inverse of rfft: a real signal of length n (default 2 * (m - 1))."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    y = _as_complex(input)
    return _c2r(y, [d], [2 * (y.shape[d] - 1) if n is None else n], norm)


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """FFT of a Hermitian-symmetric signal given by its first half: a real result."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    y = _conj(_as_complex(input))
    # hfft(x) is irfft(conj(x)) with the dual normalization
    return _c2r(y, [d], [2 * (y.shape[d] - 1) if n is None else n], _DUAL[norm])


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Inverse of hfft: the non-negative frequencies of the inverse FFT of a real signal."""
    norm = _check_norm(norm)
    if input.dtype.is_complex:
        raise RuntimeError(f"ihfft expects a real input tensor, but got {_type(input)}")
    d = _one_dim(input, n, dim)
    x = _as_float(input)
    return _conj(_r2c(x, [d], [x.shape[d] if n is None else n], _DUAL[norm], True))


def _as_float(input):
    if input.dtype.is_floating_point and input.dtype in (D.float32, D.float64):
        return input
    return input.to(D.get_default_dtype() if not input.dtype.is_floating_point else D.float32)


def _as_complex(input):
    if input.dtype.is_complex:
        return input
    return _to_complex(_as_float(input))


def _transform(input, dims, sizes, forward, norm):
    """fft/ifft/fftn/ifftn: complex inputs go complex to complex; real ones through the real-input path."""
    sizes = sizes or [input.shape[d] for d in dims]
    if input.dtype.is_complex:
        return _c2c(input, dims, sizes, forward, norm)
    x = _as_float(input)
    if forward:
        return _r2c(x, dims, sizes, norm, False)
    return _c2c(_to_complex(x), dims, sizes, forward, norm, "ConjBackward0" if len(dims) == 1 else "FftC2CBackward0")


def _type(t):
    from ._ops._common import type_name
    return type_name(t.dtype)


def _nd(name, complex_input, default_all):
    def transform(input, s=None, dim=None, norm=None, *, out=None):
        norm = _check_norm(norm)
        if not complex_input and input.dtype.is_complex:
            raise RuntimeError(f"{name} expects a real-valued input tensor, but got {_type(input)}")
        dims, sizes = _dims_and_sizes(input, s, dim, default_all)
        if name in ("fftn", "ifftn"):
            return _transform(input, dims, sizes, name == "fftn", norm)
        if name == "rfftn":
            x = _as_float(input)
            return _r2c(x, dims, sizes or [x.shape[d] for d in dims], norm, True)
        y = _as_complex(input)
        if sizes is None:
            sizes = [y.shape[d] for d in dims[:-1]] + [2 * (y.shape[dims[-1]] - 1)]
        return _c2r(y, dims, sizes, norm)
    transform.__name__ = name
    transform.__doc__ = f"N-dimensional {name} over ``dim`` (all dims by default) with sizes ``s``."
    return transform


def _nd2(fn_nd, name):
    def transform(input, s=None, dim=(-2, -1), norm=None, *, out=None):
        return fn_nd(input, s=s, dim=dim, norm=norm)
    transform.__name__ = name
    transform.__doc__ = f"Two-dimensional {name[:-1]} over ``dim`` (the last two by default)."
    return transform


fftn = _nd("fftn", True, False)
ifftn = _nd("ifftn", True, False)
rfftn = _nd("rfftn", False, False)
irfftn = _nd("irfftn", True, False)
fft2 = _nd2(fftn, "fft2")
ifft2 = _nd2(ifftn, "ifft2")
rfft2 = _nd2(rfftn, "rfft2")
irfft2 = _nd2(irfftn, "irfft2")


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies of an n-point FFT with sample spacing d."""
    from ._ops.creation import check_device, _finish
    check_device(device)
    dt = dtype or D.get_default_dtype()
    return _finish(_make(np.fft.fftfreq(n, d).astype(dt._np), dt), requires_grad)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies of rfft's n // 2 + 1 outputs with sample spacing d."""
    from ._ops.creation import check_device, _finish
    check_device(device)
    dt = dtype or D.get_default_dtype()
    return _finish(_make(np.fft.rfftfreq(n, d).astype(dt._np), dt), requires_grad)


def _shift_dims(input, dim):
    if dim is None:
        return list(range(input.dim()))
    if isinstance(dim, int):
        return [dim]
    return list(dim)


def fftshift(input, dim=None):
    """Move the zero-frequency term to the centre (a roll by n // 2 along each dim)."""
    dims = _shift_dims(input, dim)
    return input.roll([input.shape[d] // 2 for d in dims], dims)


def ifftshift(input, dim=None):
    """Inverse of fftshift."""
    dims = _shift_dims(input, dim)
    return input.roll([(input.shape[d] + 1) // 2 for d in dims], dims)
