"""The op registry: every op is one function here; torch.X, Tensor.X, Tensor.X_ and the operators bind to it."""
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import creation, pointwise, reduction, shape, indexing, linalg, conversion, inplace
from ._common import needs_grad, record, result_type, check_inplace
from .inplace import apply_inplace

_make = Tensor._make

# functions exposed as torch.<name> (and, where PyTorch has one, as a Tensor method of the same name)
_MODULES = (pointwise, reduction, shape, indexing, linalg)

TORCH_FUNCTIONS = {}
for _m in _MODULES:
    for _name, _fn in vars(_m).items():
        if callable(_fn) and not _name.startswith("_") and getattr(_fn, "__module__", None) == _m.__name__ \
                and not isinstance(_fn, type):
            TORCH_FUNCTIONS[_name] = _fn
for _name in ("tensor", "as_tensor", "asarray", "from_numpy", "frombuffer", "zeros", "ones", "empty", "full",
              "zeros_like", "ones_like", "empty_like", "full_like", "empty_strided", "arange", "linspace",
              "logspace", "eye", "scalar_tensor"):
    TORCH_FUNCTIONS[_name] = getattr(creation, _name)
TORCH_FUNCTIONS["range"] = creation.range_
# internal helpers that are not part of torch's namespace
for _private in ("ones_mask", "exponent_ge0", "softplus_np", "threshold_backward", "basic_index_backward",
                 "getitem_np", "index_tensor", "getitem", "setitem", "diag_embed_into", "as_strided_backward_fn",
                 "maximum_", "minimum_", "view_dtype", "inner_dot", "copy_", "resize_", "resize_as_", "alias"):
    TORCH_FUNCTIONS.pop(_private, None)
TORCH_FUNCTIONS["abs"] = pointwise.abs
TORCH_FUNCTIONS["round"] = pointwise.round
TORCH_FUNCTIONS["pow"] = pointwise.pow
TORCH_FUNCTIONS["max"] = reduction.max
TORCH_FUNCTIONS["min"] = reduction.min
TORCH_FUNCTIONS["sum"] = reduction.sum
TORCH_FUNCTIONS["all"] = reduction.all
TORCH_FUNCTIONS["any"] = reduction.any
TORCH_FUNCTIONS["inner"] = linalg.inner
TORCH_FUNCTIONS["diagonal"] = shape.diagonal

# Tensor methods that are plain bindings of a torch function
_NOT_METHODS = {"tensor", "as_tensor", "asarray", "from_numpy", "frombuffer", "zeros", "ones", "empty", "full",
                "zeros_like", "ones_like", "empty_like", "full_like", "empty_strided", "arange", "linspace",
                "logspace", "eye", "scalar_tensor", "range", "cat", "concat", "concatenate", "stack", "hstack",
                "vstack", "dstack", "row_stack", "column_stack", "broadcast_tensors", "broadcast_shapes",
                "atleast_1d", "atleast_2d", "atleast_3d", "einsum", "chain_matmul", "multi_dot", "meshgrid",
                "where", "result_type", "can_cast", "promote_types", "bucketize", "searchsorted", "tensordot",
                "is_tensor", "numel", "cross", "equal", "allclose", "isclose", "tril_indices", "triu_indices"}
for _name, _fn in TORCH_FUNCTIONS.items():
    if _name not in _NOT_METHODS and not hasattr(Tensor, _name):
        setattr(Tensor, _name, _fn)

from . import extra  # noqa: E402  (after the bindings above: its functions are torch-level only)
TORCH_FUNCTIONS.update(extra.FUNCTIONS)
Tensor.equal = pointwise.equal
Tensor.allclose = pointwise.allclose
Tensor.isclose = pointwise.isclose
Tensor.cross = linalg.cross
Tensor.where = lambda self, condition, other: pointwise.where(condition, self, other)
Tensor.__getitem__ = indexing.getitem
Tensor.__setitem__ = indexing.setitem
Tensor.copy_ = indexing.copy_
Tensor.resize_ = shape.resize_
Tensor.resize_as_ = shape.resize_as_
Tensor.T = property(shape._T)
Tensor.mT = property(shape._mT)
Tensor.H = property(lambda self: shape._mH(self) if self.dim() == 2 else shape._T(self))
Tensor.mH = property(shape._mH)
Tensor.real = property(pointwise.real)
Tensor.imag = property(pointwise.imag)
Tensor.view = shape.view
Tensor.view_as = shape.view_as
Tensor.dim_order = lambda self: tuple(int(i) for i in np.argsort([-s for s in self.stride()], kind="stable"))


# ------------------------------------------------------------------ in-place variants
def _fill(t, value):
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} "
                               "dimensions.")
        v = value._data.astype(t.dtype._np)
    else:
        v = np.asarray(value).astype(t.dtype._np)
    r = _make(np.full(t._data.shape, v, dtype=t.dtype._np), t.dtype)
    v_t = isinstance(value, Tensor)
    if needs_grad(t, value if v_t else None):
        if v_t:
            record("FillBackward1", r, (t, value), lambda node, g: (g * 0, g.sum()))
        else:
            record("FillBackward0", r, (t,), lambda node, g: (g * 0,))
    return r


def _zero(t):
    r = _make(np.zeros(t._data.shape, dtype=t.dtype._np), t.dtype)
    if needs_grad(t):
        record("ZeroBackward0", r, (t,), lambda node, g: (g * 0,))
    return r


def fill_(self, value):
    return apply_inplace(self, _fill, value)


def zero_(self):
    return apply_inplace(self, _zero)


Tensor.fill_ = fill_
Tensor.zero_ = zero_


def _make_inplace(fn):
    def method(self, *args, **kwargs):
        return apply_inplace(self, fn, *args, **kwargs)
    method.__name__ = fn.__name__ + "_"
    return method


_INPLACE = ["add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod", "pow", "atan2",
            "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "asin",
            "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf", "erfc", "erfinv",
            "reciprocal", "neg", "negative", "abs", "absolute", "sign", "sgn", "floor", "ceil", "trunc", "fix",
            "frac", "round", "square", "relu", "logit", "nan_to_num", "clamp", "clip", "clamp_min", "clamp_max",
            "lerp", "addcmul", "addcdiv", "hypot", "copysign", "xlogy", "deg2rad", "rad2deg", "sinc", "maximum",
            "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less",
            "less_equal", "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and",
            "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift", "masked_fill",
            "masked_scatter", "index_fill", "index_add", "index_copy", "scatter", "scatter_add", "scatter_reduce",
            "tril", "triu", "cumsum", "cumprod", "float_power", "arctan2", "rsub"]
_ALL_FNS = dict(TORCH_FUNCTIONS)
_ALL_FNS["rsub"] = pointwise.rsub
for _name in _INPLACE:
    setattr(Tensor, _name + "_", _make_inplace(_ALL_FNS[_name]))
Tensor.index_put_ = indexing.index_put_
Tensor.index_put = indexing.index_put
Tensor.arctan2_ = Tensor.atan2_


# ------------------------------------------------------------------ Python operators
def _rtruediv(self, other):
    return pointwise.mul(pointwise.reciprocal(self), other)


def _rpow(self, other):
    return pointwise.pow(other, self)


def _eq(self, other):
    if other is None or not isinstance(other, (Tensor, int, float, bool, complex, np.number)):
        return NotImplemented
    return pointwise.eq(self, other)


def _ne(self, other):
    if other is None or not isinstance(other, (Tensor, int, float, bool, complex, np.number)):
        return NotImplemented
    return pointwise.ne(self, other)


def _invert(self):
    if self.dtype is D.bool_:
        return pointwise.logical_not(self)
    return pointwise.bitwise_not(self)


def _wrap_like(other, self):
    """A Python number as the left operand: a 0-d tensor of its own dtype keeps PyTorch's promotion."""
    from ._common import to_tensor
    return to_tensor(other)


def _iop(fn_name):
    ip = getattr(Tensor, fn_name + "_")

    def method(self, other):
        return ip(self, other)
    return method


Tensor.__add__ = lambda self, other: pointwise.add(self, other)
Tensor.__radd__ = lambda self, other: pointwise.add(self, other)
Tensor.__sub__ = lambda self, other: pointwise.sub(self, other)
Tensor.__rsub__ = lambda self, other: pointwise.rsub(self, other)
Tensor.__mul__ = lambda self, other: pointwise.mul(self, other)
Tensor.__rmul__ = lambda self, other: pointwise.mul(self, other)
Tensor.__truediv__ = lambda self, other: pointwise.div(self, other)
Tensor.__rtruediv__ = _rtruediv
Tensor.__floordiv__ = lambda self, other: pointwise.floor_divide(self, other)
Tensor.__rfloordiv__ = lambda self, other: pointwise.floor_divide(_wrap_like(other, self), self)
Tensor.__mod__ = lambda self, other: pointwise.remainder(self, other)
Tensor.__rmod__ = lambda self, other: pointwise.remainder(_wrap_like(other, self), self)
Tensor.__pow__ = lambda self, other: pointwise.pow(self, other)
Tensor.__rpow__ = _rpow
Tensor.__matmul__ = lambda self, other: linalg.matmul(self, other)
Tensor.__rmatmul__ = lambda self, other: linalg.matmul(other, self)
Tensor.__neg__ = pointwise.neg
Tensor.__pos__ = pointwise.positive
Tensor.__abs__ = pointwise.abs
Tensor.__invert__ = _invert
Tensor.__and__ = lambda self, other: pointwise.bitwise_and(self, other)
Tensor.__rand__ = lambda self, other: pointwise.bitwise_and(self, other)
Tensor.__or__ = lambda self, other: pointwise.bitwise_or(self, other)
Tensor.__ror__ = lambda self, other: pointwise.bitwise_or(self, other)
Tensor.__xor__ = lambda self, other: pointwise.bitwise_xor(self, other)
Tensor.__rxor__ = lambda self, other: pointwise.bitwise_xor(self, other)
Tensor.__lshift__ = lambda self, other: pointwise.bitwise_left_shift(self, other)
Tensor.__rshift__ = lambda self, other: pointwise.bitwise_right_shift(self, other)
Tensor.__eq__ = _eq
Tensor.__ne__ = _ne
Tensor.__lt__ = lambda self, other: pointwise.lt(self, other)
Tensor.__le__ = lambda self, other: pointwise.le(self, other)
Tensor.__gt__ = lambda self, other: pointwise.gt(self, other)
Tensor.__ge__ = lambda self, other: pointwise.ge(self, other)
Tensor.__iadd__ = _iop("add")
Tensor.__isub__ = _iop("sub")
Tensor.__imul__ = _iop("mul")
Tensor.__itruediv__ = _iop("div")
Tensor.__ifloordiv__ = _iop("floor_divide")
Tensor.__imod__ = _iop("remainder")
Tensor.__ipow__ = _iop("pow")
Tensor.__iand__ = _iop("bitwise_and")
Tensor.__ior__ = _iop("bitwise_or")
Tensor.__ixor__ = _iop("bitwise_xor")
def _imatmul(self, other):
    raise RuntimeError("In-place matmul is not supported. Use 'a = a @ b' instead of 'a @= b'.")


Tensor.__imatmul__ = _imatmul


# view-changing in-place methods
def _inplace_view(fn):
    def method(self, *args, **kwargs):
        v = fn(self, *args, **kwargs)
        self._data = v._data
        if v._grad_fn is not None:
            self._grad_fn = v._grad_fn
            self._output_nr = 0
        return self
    return method


for _name in ("unsqueeze", "squeeze", "t", "transpose", "swapaxes", "swapdims", "as_strided"):
    setattr(Tensor, _name + "_", _inplace_view(getattr(shape, _name)))
