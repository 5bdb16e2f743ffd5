"""Autocast state and the autocast context manager."""
import functools
import warnings

from .. import _dtype as D

# per device type: [enabled, dtype]
_state = {"cpu": [False, D.bfloat16], "cuda": [False, D.float16]}
_DEVICE_TYPES = ("cpu", "cuda", "xpu", "mps", "hpu", "xla", "mtia", "maia", "ipu", "privateuseone")


def is_autocast_available(device_type):
    return device_type in ("cpu",)


def is_enabled(device_type):
    s = _state.get(device_type)
    return bool(s and s[0])


def get_dtype(device_type):
    return _state.get(device_type, [False, D.float16])[1]


def cast_inputs(*tensors):
    """The inputs of a lower-precision op under CPU autocast: floating-point tensors in the autocast dtype."""
    s = _state["cpu"]
    if not s[0]:
        return tensors
    dt = s[1]
    from .._tensor import Tensor
    return tuple(t.to(dt) if isinstance(t, Tensor) and t.dtype.is_floating_point and t.dtype is not dt else t
                 for t in tensors)


class autocast:
    """Context manager / decorator enabling mixed precision for the ops PyTorch's autocast lists."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        if device_type not in _DEVICE_TYPES:
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        self.device = device_type
        self.fast_dtype = dtype if dtype is not None else _state.get(device_type, [False, D.float16])[1]
        self._enabled = enabled
        if device_type == "cuda" and enabled:
            warnings.warn("User provided device_type of 'cuda', but CUDA is not available. Disabling",
                          UserWarning, stacklevel=2)
            self._enabled = False
        if device_type == "cpu" and self._enabled and self.fast_dtype not in (D.bfloat16, D.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                          "CPU Autocast only supports dtype of torch.bfloat16, torch.float16 currently.",
                          UserWarning, stacklevel=2)
            self._enabled = False

    def __enter__(self):
        s = _state.setdefault(self.device, [False, self.fast_dtype])
        self.prev = list(s)
        s[0] = self._enabled
        if self._enabled:
            s[1] = self.fast_dtype
        return self

    def __exit__(self, *exc):
        _state[self.device][:] = self.prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with autocast(self.device, self.fast_dtype, self._enabled):
                return func(*args, **kwargs)
        return wrapper


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)
    return fwd


def custom_bwd(bwd=None, *, device_type):
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)
    return bwd
