"""tritongrad: a PyTorch-compatible deep-learning framework (numpy on the CPU, Triton kernels on NVIDIA GPUs).

Use it as ``import tritongrad as torch``, or run an unchanged PyTorch script with
``python -m tritongrad run script.py``.
"""
import math as _math
import warnings as _warnings

# numpy's floating-point warnings (overflow in exp, 0/0, ...) have no PyTorch counterpart: results carry
# inf/nan silently, as PyTorch's do. A filter costs nothing per op, unlike numpy.errstate.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tritongrad(\.|$)")

from . import _dtype
from ._dtype import (dtype, bool_ as bool, uint8, int8, int16, int32, int64, uint16, uint32, uint64, float16,
                     bfloat16, float32, float64, complex64, complex128, get_default_dtype, set_default_dtype,
                     promote_types)
from ._device import device, Size
from ._storage import UntypedStorage
from ._tensor import Tensor, is_tensor
from .autograd.grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled,
                                 is_inference_mode_enabled)
from . import _ops
from ._ops import TORCH_FUNCTIONS as _TORCH_FUNCTIONS
from ._ops.creation import LEGACY_TENSOR_TYPES as _LEGACY
from ._ops._common import result_type as _result_type

half, float, double, short, int, long, cfloat, cdouble = (float16, float32, float64, int16, int32, int64,
                                                          complex64, complex128)

globals().update(_TORCH_FUNCTIONS)
globals().update(_LEGACY)

# aliases PyTorch keeps under NumPy's names, in the namespace and as Tensor methods
_F = _TORCH_FUNCTIONS
for _alias, _name in (("arccos", "acos"), ("arcsin", "asin"), ("arctan", "atan"), ("arccosh", "acosh"),
                      ("arcsinh", "asinh"), ("arctanh", "atanh"), ("multiply", "mul"), ("subtract", "sub"),
                      ("divide", "div")):
    globals()[_alias] = _F[_name]
    if not hasattr(Tensor, _alias):
        setattr(Tensor, _alias, _F[_name])
    if hasattr(Tensor, _name + "_") and not hasattr(Tensor, _alias + "_"):
        setattr(Tensor, _alias + "_", getattr(Tensor, _name + "_"))

# torch.<op>_(tensor, ...): the in-place methods, callable from the namespace as PyTorch allows
for _name in ("abs_", "acos_", "acosh_", "asin_", "asinh_", "atan_", "atanh_", "arccos_", "arcsin_", "arctan_",
              "arccosh_", "arcsinh_", "arctanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_",
              "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_", "frac_",
              "index_put_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_", "neg_", "negative_",
              "rad2deg_", "reciprocal_", "relu_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinc_", "sinh_",
              "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_", "zero_", "detach_", "as_strided_"):
    if hasattr(Tensor, _name):
        globals()[_name] = getattr(Tensor, _name)

inf = _math.inf
nan = _math.nan
pi = _math.pi
e = _math.e
newaxis = None


class layout:
    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name


strided = layout("strided")
sparse_coo = layout("sparse_coo")


class memory_format:
    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
preserve_format = memory_format("preserve_format")
channels_last_3d = memory_format("channels_last_3d")


def result_type(tensor1, tensor2):
    return _result_type(tensor1, tensor2)


def can_cast(from_, to):
    from ._ops.inplace import can_cast as _c
    return _c(from_, to)


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    return input.is_complex()


def is_nonzero(input):
    if input.numel() != 1:
        if input.numel() == 0:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return input.item() != 0


def is_storage(obj):
    from .storage import TypedStorage
    return isinstance(obj, (UntypedStorage, TypedStorage))


def typename(obj):
    if isinstance(obj, Tensor):
        return obj.type()
    return type(obj).__qualname__


def set_default_tensor_type(t):
    import warnings
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.", UserWarning,
                  stacklevel=2)
    if isinstance(t, str):
        t = _LEGACY[t.replace("torch.", "")]
    set_default_dtype(t._dtype)


from ._threads import set_num_threads, get_num_threads  # noqa: E402
from . import _threads  # noqa: E402

_threads.init()


def get_num_interop_threads():
    return 1


def set_num_interop_threads(n):
    pass


_deterministic = [False]


def use_deterministic_algorithms(mode, *, warn_only=False):
    _deterministic[0] = True if mode else False


def are_deterministic_algorithms_enabled():
    return _deterministic[0]


_matmul_precision = ["highest"]


def set_float32_matmul_precision(precision):
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid float32 matmul precision: {precision}")
    _matmul_precision[0] = precision


def get_float32_matmul_precision():
    return _matmul_precision[0]


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    n = len(tensors)
    shape = [t.numel() for t in tensors]
    if indexing == "xy" and n >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, t in enumerate(tensors):
        view = [1] * n
        pos = i
        if indexing == "xy" and n >= 2 and i < 2:
            pos = 1 - i
        view[pos] = -1
        out.append(t.reshape(view).expand(shape))
    return tuple(out)


class finfo:
    def __init__(self, type=None):
        import ml_dtypes as _mld
        t = type or get_default_dtype()
        fi = _mld.finfo(t._np)
        self.dtype = t.name
        self.bits = t.itemsize * 8
        self.eps = builtins_float(fi.eps)
        self.max = builtins_float(fi.max)
        self.min = builtins_float(fi.min)
        self.tiny = builtins_float(fi.tiny)
        self.smallest_normal = self.tiny
        self.resolution = builtins_float(fi.resolution)

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    def __init__(self, type):
        import numpy as _np
        ii = _np.iinfo(type._np)
        self.dtype = type.name
        self.bits = type.itemsize * 8
        self.max = builtins_int(ii.max)
        self.min = builtins_int(ii.min)

    def __repr__(self):
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


import builtins as _builtins

builtins_float = _builtins.float
builtins_int = _builtins.int


from . import amp  # noqa: E402
from .amp import autocast  # noqa: E402


def is_autocast_enabled(device_type=None):
    """Whether autocast is on for ``device_type`` (CUDA when not given, as in PyTorch)."""
    from .amp import autocast_mode
    return autocast_mode.is_enabled(device_type or "cuda")


def get_autocast_dtype(device_type):
    from .amp import autocast_mode
    return autocast_mode.get_dtype(device_type)


def is_autocast_cpu_enabled():
    return is_autocast_enabled("cpu")


def get_autocast_cpu_dtype():
    return get_autocast_dtype("cpu")


def compile(model=None, **kwargs):
    """tritongrad runs eagerly; compile returns the model (or a decorator) unchanged."""
    if model is None:
        return lambda m: m
    return model


from ._tensor_str import set_printoptions  # noqa: E402
from ._random import *  # noqa: E402,F401,F403
from . import random  # noqa: E402
from . import autograd, cuda, backends  # noqa: E402
from .serialization import save, load  # noqa: E402
from .storage import (TypedStorage, FloatStorage, DoubleStorage, HalfStorage, BFloat16Storage,  # noqa: E402
                      LongStorage, IntStorage, ShortStorage, CharStorage, ByteStorage, BoolStorage,
                      ComplexFloatStorage, ComplexDoubleStorage)
from . import serialization  # noqa: E402
from . import nn, optim, utils, profiler, linalg, accelerator, testing, special, multiprocessing  # noqa: E402
from .linalg import inv as inverse, det, logdet, pinverse, matrix_power  # noqa: E402
from .linalg import _legacy_slogdet as slogdet, _deprecated_cholesky as cholesky, _deprecated_qr as qr  # noqa: E402
from .linalg import svd_legacy as svd  # noqa: E402
from .special import polygamma, multigammaln as mvlgamma, i0  # noqa: E402

# torch.<name> spellings of functionals whose signature is nn.functional's own
_F_NS = nn.functional
for _name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
              "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "adaptive_avg_pool1d", "pixel_shuffle",
              "pixel_unshuffle", "channel_shuffle", "cosine_similarity", "pairwise_distance", "pdist", "prelu",
              "selu", "celu", "hardshrink", "threshold"):
    if hasattr(_F_NS, _name) and _name not in globals():
        globals()[_name] = getattr(_F_NS, _name)


def adaptive_max_pool1d(input, output_size):
    return _F_NS.adaptive_max_pool1d(input, output_size, return_indices=True)


def dropout(input, p, train):
    return _F_NS.dropout(input, p, train)
from . import version  # noqa: E402
from . import distributions, func  # noqa: E402  (after nn: they use it)
from .version import TorchVersion as _TorchVersion, __version__ as _version_str  # noqa: E402

__version__ = _TorchVersion(_version_str)  # compares as a version, as torch.__version__ does

del _builtins
from . import testing, special, multiprocessing, fft  # noqa: E402,F811
