"""torch.fft against the PyTorch oracle: values, dtypes, shapes, result layouts and errors."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad.fft  # noqa: E402,F401

from .compare_cases import check_case  # noqa: E402

_RNG = np.random.default_rng(3)
_X = _RNG.standard_normal((3, 4, 6))
_C = _RNG.standard_normal((3, 5)) + 1j * _RNG.standard_normal((3, 5))


def _x(L, dtype="float32"):
    return L.tensor(_X, dtype=getattr(L, dtype))


def _f(L):
    return L.fft


CASES = {
    "fft": lambda L: _f(L).fft(_x(L)),
    "fft_f64": lambda L: _f(L).fft(_x(L, "float64")),
    "fft_int": lambda L: _f(L).fft(L.arange(8)),
    "fft_n_pad": lambda L: _f(L).fft(_x(L), n=9),
    "fft_n_trim": lambda L: _f(L).fft(_x(L), n=3, dim=1),
    "fft_dim0": lambda L: _f(L).fft(_x(L), dim=0),
    "fft_norms": lambda L: [_f(L).fft(_x(L), norm=m) for m in ("backward", "forward", "ortho")],
    "fft_complex": lambda L: _f(L).fft(L.tensor(_C)),
    "ifft": lambda L: _f(L).ifft(L.tensor(_C), dim=0),
    "rfft": lambda L: _f(L).rfft(_x(L)),
    "rfft_odd": lambda L: _f(L).rfft(_x(L), n=7),
    "irfft": lambda L: _f(L).irfft(_f(L).rfft(_x(L))),
    "irfft_n": lambda L: _f(L).irfft(L.tensor(_C), n=9),
    "hfft": lambda L: _f(L).hfft(L.tensor(_C)),
    "ihfft": lambda L: _f(L).ihfft(_x(L)),
    "fft2": lambda L: _f(L).fft2(_x(L)),
    "ifft2_s": lambda L: _f(L).ifft2(_x(L), s=(3, 8)),
    "fftn_all": lambda L: _f(L).fftn(_x(L, "float64")),
    "fftn_dims": lambda L: _f(L).fftn(_x(L), dim=(0, 2)),
    "rfftn": lambda L: _f(L).rfftn(_x(L)),
    "rfft2": lambda L: _f(L).rfft2(_x(L)),
    "irfftn": lambda L: _f(L).irfftn(_f(L).rfftn(_x(L)), s=(3, 4, 6)),
    "irfft2": lambda L: _f(L).irfft2(L.tensor(_C)),
    "fftfreq": lambda L: _f(L).fftfreq(5),
    "fftfreq_d": lambda L: _f(L).fftfreq(6, d=0.25, dtype=L.float64),
    "rfftfreq": lambda L: _f(L).rfftfreq(6, d=0.5),
    "fftshift": lambda L: _f(L).fftshift(L.arange(6)),
    "fftshift_dim": lambda L: _f(L).fftshift(L.arange(12).reshape(3, 4), dim=1),
    "ifftshift": lambda L: _f(L).ifftshift(L.arange(7)),
    "ifftshift_all": lambda L: _f(L).ifftshift(L.arange(12).reshape(3, 4)),
    "err_norm": lambda L: _f(L).fft(_x(L), norm="foo"),
    "err_n": lambda L: _f(L).fft(_x(L), n=0),
    "err_dim": lambda L: _f(L).fft(L.arange(4.0), dim=2),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fft(name):
    check_case(CASES[name], rtol=1e-4, atol=1e-4)
