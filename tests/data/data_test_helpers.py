"""Shared helpers for the torch.utils.data tests: compare tritongrad results with the oracle's."""
import collections.abc
import copy

import numpy as np

import tritongrad as tg


def plain(value):
    """A structure that compares equal across frameworks: tensors become ('tensor', dtype name,
    shape, values as a numpy array); containers keep their type name."""
    module = type(value).__module__.split(".")[0]
    if module in ("torch", "tritongrad") and hasattr(value, "dtype") and hasattr(value, "shape"):
        dtype_name = str(value.dtype).split(".")[-1]
        array = value.detach().cpu()
        array = array.float() if dtype_name == "bfloat16" else array
        return ("tensor", dtype_name, tuple(value.shape), array.numpy().tolist())
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.tolist())
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return (type(value).__name__, tuple(plain(v) for v in value))
    if isinstance(value, collections.abc.Mapping):
        return (type(value).__name__, [(k, plain(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [plain(v) for v in value])
    return (type(value).__name__, value)


def to_torch(value, torch):
    """Re-create a tritongrad-made sample with the oracle's tensors (values and dtype kept)."""
    if isinstance(value, tg.Tensor):
        dtype_name = str(value.dtype).split(".")[-1]
        plain_value = value.detach()
        if dtype_name == "bfloat16":
            converted = torch.tensor(plain_value.float().numpy()).bfloat16()
        else:
            converted = torch.from_numpy(np.array(plain_value.numpy()))
        return converted.requires_grad_(value.requires_grad)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return type(value)(*(to_torch(v, torch) for v in value))
    if isinstance(value, dict):
        clone = copy.copy(value)
        clone.update((k, to_torch(v, torch)) for k, v in value.items())
        return clone
    if isinstance(value, (list, tuple)):
        return type(value)(to_torch(v, torch) for v in value)
    return value


def outcome(fn, *args, **kwargs):
    """('ok', plain result) or ('error', exception type name, message) of calling fn."""
    try:
        return ("ok", plain(fn(*args, **kwargs)))
    except Exception as error:  # noqa: BLE001 - the type is part of what is compared
        return ("error", type(error).__name__, str(error))
