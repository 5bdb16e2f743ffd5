"""torch.dtype: the dtypes tritongrad supports, their numpy storage types and PyTorch's promotion rules."""
import numpy as np
import ml_dtypes

_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    __slots__ = ("name", "itemsize", "_np", "_category", "_rank", "is_signed", "_legacy", "_aliases")

    def __init__(self, name, np_dtype, category, rank, is_signed, legacy):
        self.name = name
        self._np = np.dtype(np_dtype)
        self.itemsize = self._np.itemsize
        self._category = category
        self._rank = rank
        self.is_signed = is_signed
        self._legacy = legacy

    @property
    def is_floating_point(self):
        return self._category == _FLOAT

    @property
    def is_complex(self):
        return self._category == _COMPLEX

    def to_real(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self):
        return {"float32": complex64, "float64": complex128, "float16": complex64}.get(self.name, self)

    def __repr__(self):
        return "torch." + self.name

    __str__ = __repr__

    def __reduce__(self):
        return (_dtype_by_name, (self.name,))


bool_ = dtype("bool", np.bool_, _BOOL, 0, False, "BoolTensor")
uint8 = dtype("uint8", np.uint8, _INT, 1, False, "ByteTensor")
int8 = dtype("int8", np.int8, _INT, 1, True, "CharTensor")
int16 = dtype("int16", np.int16, _INT, 2, True, "ShortTensor")
int32 = dtype("int32", np.int32, _INT, 3, True, "IntTensor")
int64 = dtype("int64", np.int64, _INT, 4, True, "LongTensor")
uint16 = dtype("uint16", np.uint16, _INT, 2, False, None)
uint32 = dtype("uint32", np.uint32, _INT, 3, False, None)
uint64 = dtype("uint64", np.uint64, _INT, 4, False, None)
float16 = dtype("float16", np.float16, _FLOAT, 1, True, "HalfTensor")
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, _FLOAT, 1, True, "BFloat16Tensor")
float32 = dtype("float32", np.float32, _FLOAT, 2, True, "FloatTensor")
float64 = dtype("float64", np.float64, _FLOAT, 3, True, "DoubleTensor")
complex64 = dtype("complex64", np.complex64, _COMPLEX, 2, True, "ComplexFloatTensor")
complex128 = dtype("complex128", np.complex128, _COMPLEX, 3, True, "ComplexDoubleTensor")

ALL_DTYPES = (bool_, uint8, int8, int16, int32, int64, uint16, uint32, uint64,
              float16, bfloat16, float32, float64, complex64, complex128)
_BY_NAME = {d.name: d for d in ALL_DTYPES}
_BY_NP = {d._np: d for d in ALL_DTYPES}

# the names torch also exposes for the same objects
ALIASES = {"bool": bool_, "half": float16, "float": float32, "double": float64, "short": int16,
           "int": int32, "long": int64, "cfloat": complex64, "cdouble": complex128}


def _dtype_by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype):
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, "
            "uint16, uint8, and bool.") from None


_default_dtype = [float32]


def get_default_dtype():
    return _default_dtype[0]


def set_default_dtype(d):
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_dtype[0] = d


def default_complex_dtype():
    return complex128 if _default_dtype[0] is float64 else complex64


_UNSIGNED = {uint8: 8, uint16: 16, uint32: 32, uint64: 64}
_SIGNED_BY_BITS = {8: int8, 16: int16, 32: int32, 64: int64}
_promote_cache = {}


def promote_types(a, b):
    """torch.promote_types: the smallest dtype both ``a`` and ``b`` convert to safely."""
    if a is b:
        return a
    key = (a, b)
    r = _promote_cache.get(key)
    if r is not None:
        return r
    r = _promote(a, b)
    _promote_cache[key] = _promote_cache[(b, a)] = r
    return r


def _promote(a, b):
    if a._category != b._category:
        hi, lo = (a, b) if a._category > b._category else (b, a)
        if hi._category == _COMPLEX and lo._category == _FLOAT:
            return complex128 if lo is float64 or hi is complex128 else hi
        return hi
    cat = a._category
    if cat == _BOOL:
        return a
    if cat == _INT:
        ua, ub = a in _UNSIGNED, b in _UNSIGNED
        if ua and ub or not ua and not ub:
            return a if a.itemsize >= b.itemsize else b
        u, s = (a, b) if ua else (b, a)
        if u is uint8:
            return s if s.itemsize > 1 else int16
        if u.itemsize < s.itemsize:
            return s
        raise TypeError(f"Promotion for uint16, uint32, uint64 types is not supported, attempted to promote {u.name.capitalize()} and {s.name.capitalize()}")
    if cat == _FLOAT:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a._rank >= b._rank else b
    return a if a._rank >= b._rank else b


def category(d):
    return d._category


def combine_categories(higher, lower):
    """c10's rule for merging the dtypes of operands of different priority (tensor > 0-dim > scalar)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher._category == _COMPLEX:
        return higher
    if higher._category == _FLOAT and lower._category != _COMPLEX:
        return higher
    if higher is bool_ or lower._category >= _FLOAT:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value):
    """The dtype a Python number takes when it is a wrapped operand."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, complex):
        return default_complex_dtype()
    return _default_dtype[0]


def python_scalar_dtype(value):
    """The dtype of torch.tensor(value) for a Python scalar."""
    return scalar_dtype(value)


def storage_type_name(d):
    """Legacy storage class name (FloatStorage, ...) used by serialization."""
    legacy = d._legacy or (d.name.capitalize() + "Tensor")
    return legacy[:-len("Tensor")] + "Storage"
