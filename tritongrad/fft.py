"""torch.fft: discrete Fourier transforms computed with numpy.fft, with PyTorch's dtypes, checks and layouts.

Gradients through these transforms are not implemented yet: their backward raises NotImplementedError
naming the transform.
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


def _input_array(input, complex_input):
    dt = input.dtype
    if not (dt.is_floating_point or dt.is_complex):
        dt = D.get_default_dtype()
    a = input._data
    if complex_input:
        return a.astype(_complex_of(dt)._np, copy=False), dt
    return a.astype(_real_of(dt)._np, copy=False), dt


def _layout(res, dims):
    """PyTorch lays out a transform's result with the transformed dims innermost (batch dims outside)."""
    order = [d for d in range(res.ndim) if d not in dims] + list(dims)
    if order == list(range(res.ndim)):
        return np.ascontiguousarray(res)
    buf = np.ascontiguousarray(np.transpose(res, order))
    return np.transpose(buf, np.argsort(order))


def _wrap(res, dt, dims, input, name):
    r = _make(_layout(np.asarray(res).astype(dt._np, copy=False), dims), dt)
    if needs_grad(input):
        def backward(node, g):
            raise NotImplementedError(f"the derivative of fft.{name} is not implemented in tritongrad")
        record(f"Fft{name.capitalize()}Backward0", r, (input,), backward)
    return r


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
            raise RuntimeError(f"When given, dim and shape arguments must have the same length")
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
    a, dt = _input_array(input, True)
    return _wrap(np.fft.fft(a, n=n, axis=d, norm=norm), _complex_of(dt), [d], input, "fft")


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """One-dimensional inverse discrete Fourier transform."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    a, dt = _input_array(input, True)
    return _wrap(np.fft.ifft(a, n=n, axis=d, norm=norm), _complex_of(dt), [d], input, "ifft")


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """FFT of a real signal: the n // 2 + 1 non-negative frequencies."""
    norm = _check_norm(norm)
    if input.dtype.is_complex:
        raise RuntimeError(f"rfft expects a real input tensor, but got {_type(input)}")
    d = _one_dim(input, n, dim)
    a, dt = _input_array(input, False)
    return _wrap(np.fft.rfft(a, n=n, axis=d, norm=norm), _complex_of(dt), [d], input, "rfft")


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Inverse of rfft: a real signal of length n (default 2 * (m - 1))."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    a, dt = _input_array(input, True)
    return _wrap(np.fft.irfft(a, n=n, axis=d, norm=norm), _real_of(dt), [d], input, "irfft")


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """FFT of a Hermitian-symmetric signal given by its first half: a real result."""
    norm = _check_norm(norm)
    d = _one_dim(input, n, dim)
    a, dt = _input_array(input, True)
    return _wrap(np.fft.hfft(a, n=n, axis=d, norm=norm), _real_of(dt), [d], input, "hfft")


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Inverse of hfft: the non-negative frequencies of the inverse FFT of a real signal."""
    norm = _check_norm(norm)
    if input.dtype.is_complex:
        raise RuntimeError(f"ihfft expects a real input tensor, but got {_type(input)}")
    d = _one_dim(input, n, dim)
    a, dt = _input_array(input, False)
    return _wrap(np.fft.ihfft(a, n=n, axis=d, norm=norm), _complex_of(dt), [d], input, "ihfft")


def _type(t):
    from ._ops._common import type_name
    return type_name(t.dtype)


def _nd(np_fn, name, complex_input, out_kind, default_all):
    def transform(input, s=None, dim=None, norm=None, *, out=None):
        norm = _check_norm(norm)
        if not complex_input and input.dtype.is_complex:
            raise RuntimeError(f"{name} expects a real-valued input tensor, but got {_type(input)}")
        dims, sizes = _dims_and_sizes(input, s, dim, default_all)
        a, dt = _input_array(input, complex_input)
        res = np_fn(a, s=sizes, axes=dims, norm=norm)
        out_dt = _complex_of(dt) if out_kind == "complex" else _real_of(dt)
        return _wrap(res, out_dt, dims, input, name)
    transform.__name__ = name
    transform.__doc__ = f"N-dimensional {name} over ``dim`` (all dims by default) with sizes ``s``."
    return transform


def _nd2(fn_nd, name):
    def transform(input, s=None, dim=(-2, -1), norm=None, *, out=None):
        return fn_nd(input, s=s, dim=dim, norm=norm)
    transform.__name__ = name
    transform.__doc__ = f"Two-dimensional {name[:-1]} over ``dim`` (the last two by default)."
    return transform


fftn = _nd(np.fft.fftn, "fftn", True, "complex", False)
ifftn = _nd(np.fft.ifftn, "ifftn", True, "complex", False)
rfftn = _nd(np.fft.rfftn, "rfftn", False, "complex", False)
irfftn = _nd(np.fft.irfftn, "irfftn", True, "real", False)
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
