"""Run the same case against tritongrad and the PyTorch oracle and compare everything observable.

A case is ``fn(lib)`` where ``lib`` is ``tritongrad`` or ``torch``; it returns a tensor, a tuple/list of
results, or a plain Python value, or it raises. Tensors are compared on values, dtype, shape and
(when ``strides=True``) strides; exceptions on type and message.
"""
import warnings

import numpy as np

import tritongrad as tg

from .oracle import assert_same

try:
    import torch
except ImportError:  # pragma: no cover - callers skip first
    torch = None


def _run(fn, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(lib), None
        except Exception as e:  # noqa: BLE001 - every exception is compared
            return None, e


def _normalise(value):
    """Types that differ only by library (Size, dtype, device) become comparable plain values."""
    if torch is not None and isinstance(value, (torch.dtype, torch.device, torch.finfo, torch.iinfo)):
        return str(value)
    if isinstance(value, (tg.dtype, tg.device, tg.finfo, tg.iinfo)):
        return str(value)
    if torch is not None and isinstance(value, torch.Size) or isinstance(value, tg.Size):
        return ("Size", tuple(value))
    return value


def _compare(mine, theirs, strides, rtol, atol):
    if torch is not None and isinstance(theirs, torch.Tensor):
        assert isinstance(mine, tg.Tensor), f"expected a Tensor, got {type(mine).__name__}: {mine!r}"
        if theirs.is_conj() or theirs.is_neg():
            theirs = theirs.resolve_conj().resolve_neg()
        assert_same(mine, theirs, rtol=rtol, atol=atol)
        if strides and theirs.numel() > 1:
            assert mine.stride() == theirs.stride(), f"stride {mine.stride()} != {theirs.stride()}"
        assert mine.requires_grad == theirs.requires_grad, "requires_grad differs"
        return
    if isinstance(theirs, (tuple, list)) and not (torch is not None and isinstance(theirs, torch.Size)):
        assert isinstance(mine, (tuple, list)), f"expected a sequence, got {type(mine).__name__}"
        assert len(mine) == len(theirs), f"length {len(mine)} != {len(theirs)}"
        for m, t in zip(mine, theirs):
            _compare(m, t, strides, rtol, atol)
        return
    m, t = _normalise(mine), _normalise(theirs)
    if isinstance(t, float) and isinstance(m, float):
        np.testing.assert_allclose(m, t, rtol=rtol, atol=atol, equal_nan=True)
        return
    assert type(m) is type(t), f"type {type(m).__name__} != {type(t).__name__} ({m!r} vs {t!r})"
    if isinstance(t, np.ndarray):
        np.testing.assert_array_equal(m, t)
        return
    assert m == t, f"{m!r} != {t!r}"


def check_case(fn, strides=True, rtol=1e-5, atol=1e-6, message=True):
    """``fn(torch)`` and ``fn(tritongrad)`` agree: same results, or the same exception type and message."""
    theirs, their_err = _run(fn, torch)
    mine, my_err = _run(fn, tg)
    if their_err is not None:
        assert my_err is not None, f"tritongrad returned {mine!r}; PyTorch raised " \
                                   f"{type(their_err).__name__}: {their_err}"
        assert type(my_err).__name__ == type(their_err).__name__, \
            f"{type(my_err).__name__}: {my_err} != {type(their_err).__name__}: {their_err}"
        if message:
            assert str(my_err) == str(their_err), f"\n  mine:  {my_err}\n  torch: {their_err}"
        return
    if my_err is not None:
        raise AssertionError(f"tritongrad raised {type(my_err).__name__}: {my_err}") from my_err
    _compare(mine, theirs, strides, rtol, atol)
