"""Helpers for comparing tritongrad with the PyTorch oracle on the same inputs."""
import numpy as np

import tritongrad as tg

try:
    import torch
except ImportError:  # pragma: no cover - the tests using this module skip first
    torch = None


def np_of(t):
    """A tensor of either library as a numpy array (bfloat16 widened to float32)."""
    if isinstance(t, tg.Tensor):
        a = t.detach()._data
        return a.astype(np.float32) if a.dtype.name == "bfloat16" else np.asarray(a)
    if t.dtype == torch.bfloat16:
        t = t.float()
    return t.detach().numpy()


def both(arr, requires_grad=False, dtype=None):
    """The same numpy data as a tritongrad tensor and a torch tensor."""
    a = tg.tensor(arr)
    b = torch.tensor(arr)
    if dtype is not None:
        a = a.to(getattr(tg, dtype))
        b = b.to(getattr(torch, dtype))
    if requires_grad:
        a.requires_grad_(True)
        b.requires_grad_(True)
    return a, b


def dtype_name(t):
    return str(t.dtype).replace("torch.", "")


def assert_same(mine, theirs, rtol=1e-5, atol=1e-6, check_dtype=True):
    """Values, shape and dtype of two results (tensors, tuples of tensors, or Python values) agree."""
    if isinstance(theirs, (tuple, list)):
        assert isinstance(mine, (tuple, list)), f"expected a sequence, got {type(mine).__name__}"
        assert len(mine) == len(theirs)
        for m, t in zip(mine, theirs):
            assert_same(m, t, rtol, atol, check_dtype)
        return
    if torch is not None and isinstance(theirs, torch.Tensor):
        assert isinstance(mine, tg.Tensor), f"expected a Tensor, got {type(mine).__name__}"
        assert tuple(mine.shape) == tuple(theirs.shape), f"shape {tuple(mine.shape)} != {tuple(theirs.shape)}"
        if check_dtype:
            assert dtype_name(mine) == dtype_name(theirs), f"dtype {mine.dtype} != {theirs.dtype}"
        a, b = np_of(mine), np_of(theirs)
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            np.testing.assert_allclose(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64),
                                       b.astype(np.complex128 if b.dtype.kind == "c" else np.float64),
                                       rtol=rtol, atol=atol, equal_nan=True)
        else:
            np.testing.assert_array_equal(a, b)
        return
    if isinstance(theirs, float):
        np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol, equal_nan=True)
    else:
        assert mine == theirs


def raises_same(fn_mine, fn_theirs):
    """Both raise; same exception type and message. Returns the message."""
    try:
        fn_theirs()
    except Exception as e:  # noqa: BLE001 - any exception type is compared
        expected = e
    else:
        raise AssertionError("the oracle did not raise")
    try:
        fn_mine()
    except Exception as e:  # noqa: BLE001
        got = e
    else:
        raise AssertionError(f"tritongrad did not raise; PyTorch raised {type(expected).__name__}: {expected}")
    assert type(got).__name__ == type(expected).__name__, f"{type(got).__name__}: {got} != " \
                                                          f"{type(expected).__name__}: {expected}"
    assert str(got) == str(expected), f"\n  mine:   {got}\n  torch:  {expected}"
    return str(got)
