"""torch.Tensor: a strided view over a Storage, with autograd fields.

On the CPU a tensor keeps ``_data``, the numpy view of its elements (shape and strides as the tensor's),
and ``_storage``, the flat buffer that view lives in. Views share the storage and the version counter
``_vc`` (a one-element list) of their base. Ops live in ``tritongrad/_ops``; this module holds what is
not an op: attributes, conversions, autograd fields, hooks and backward.
"""
import weakref
import warnings

import numpy as np

from . import _dtype as D
from ._device import Size, cpu_device, device as _device_cls
from ._storage import UntypedStorage, flat_buffer_of
from .autograd import grad_mode
from .autograd.graph import AccumulateGrad, _add_hook

_grad_state = grad_mode._state


class Tensor:
    # the fields every op touches are slots; the rarely set ones are class-level defaults that an instance
    # overrides in its __dict__ only when it needs to (this keeps creating a tensor cheap)
    __slots__ = ("_data", "dtype", "_requires_grad", "_grad", "_grad_fn", "_output_nr", "_vc", "__dict__",
                 "__weakref__")
    _storage = None
    _storage_src = None  # a tensor whose storage this one shares (set by detach-like aliases)
    _base = None
    _acc = None
    _hooks = None
    _post_acc_hooks = None
    _retains_grad = False
    _view_info = None
    _view_version = None  # a view: the storage version its grad_fn was recorded at
    _inference = False
    _is_param = False
    _acc_owned = False  # a .grad buffer AccumulateGrad made and may add into in place

    # -------------------------------------------------------------- construction
    def __new__(cls, *args, **kwargs):
        from ._ops.creation import legacy_new
        t = legacy_new(D.get_default_dtype(), args, kwargs)
        if cls is not Tensor:
            t = t._as_subclass(cls)
        return t

    def __init__(self, *args, **kwargs):
        pass

    @classmethod
    def _make(cls, arr, dtype=None, storage=None, base=None, vc=None):
        """A tensor whose elements are the numpy array ``arr`` (taken, not copied)."""
        t = object.__new__(cls)
        if type(arr) is not np.ndarray:
            arr = np.asarray(arr)
        if dtype is None:
            dtype = D.from_numpy_dtype(arr.dtype)
        elif arr.dtype != dtype._np:
            arr = arr.astype(dtype._np)
        t._data = arr
        t.dtype = dtype
        t._requires_grad = False
        t._grad = None
        t._grad_fn = None
        t._output_nr = 0
        t._vc = vc if vc is not None else [0]
        if storage is not None:
            t._storage = storage
        if base is not None:
            t._base = base
        if _grad_state[1]:
            t._inference = True
        return t

    def _view_of(self, arr, view_info=None, dtype=None):
        """A new tensor over ``arr``, a numpy view into this tensor's memory (``dtype`` when it reinterprets)."""
        base = self._base if self._base is not None else self
        t = Tensor._make(arr, dtype or self.dtype, None if dtype is not None else self._storage, base, self._vc)
        t._view_version = self._vc[0]
        if view_info is not None:
            t._view_info = view_info
        return t

    def _alias(self):
        """Same memory, same version counter, no autograd history (what detach() returns)."""
        t = Tensor._make(self._data, self.dtype, self._storage, None, self._vc)
        if t._storage is None:
            t._storage_src = self._base if self._base is not None else self
        return t

    def _as_subclass(self, cls):
        t = object.__new__(cls)
        for k in Tensor.__slots__:
            if k in ("__dict__", "__weakref__"):
                continue
            object.__setattr__(t, k, getattr(self, k))
        t.__dict__.update(self.__dict__)
        return t

    def _get_storage(self):
        s = self._storage
        if s is None:
            # a view lives in its base's buffer; a tensor that owns its memory makes the buffer on first use
            b = self._base if self._base is not None else self._storage_src
            s = b._get_storage() if b is not None else UntypedStorage(flat_buffer_of(self._data))
            self._storage = s
        return s

    # -------------------------------------------------------------- basic attributes
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def dim(self):
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    nelement = numel

    @property
    def device(self):
        return cpu_device

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    @property
    def is_meta(self):
        return False

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def is_mkldnn(self):
        return False

    @property
    def layout(self):
        from . import strided
        return strided

    def get_device(self):
        return -1

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def is_complex(self):
        return self.dtype.is_complex

    def is_signed(self):
        return self.dtype.is_signed

    def element_size(self):
        return self.dtype.itemsize

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self._data.size * self.dtype.itemsize

    def stride(self, dim=None):
        it = self._data.itemsize
        st = tuple(s // it for s in self._data.strides) if self._data.size else _contiguous_strides(self._data.shape)
        if dim is None:
            return st
        return st[_wrap_dim(dim, self._data.ndim)]

    def storage_offset(self):
        if self._data.size == 0:
            return 0
        buf = self._get_storage()._buf
        return (self._data.__array_interface__["data"][0] - buf.__array_interface__["data"][0]) // self._data.itemsize

    def data_ptr(self):
        if self._data.size == 0:
            return self._get_storage().data_ptr()
        return self._data.__array_interface__["data"][0]

    def untyped_storage(self):
        return self._get_storage()

    def storage(self):
        from .storage import TypedStorage
        return TypedStorage._from_tensor(self)

    def is_contiguous(self, memory_format=None):
        if memory_format is not None and getattr(memory_format, "_name", "contiguous_format") != "contiguous_format":
            from ._ops.shape import _is_channels_last
            return _is_channels_last(self, memory_format)
        d = self._data
        if d.flags.c_contiguous:
            return True
        # PyTorch ignores strides of size-1 dims
        expected = 1
        for n, s in zip(reversed(d.shape), reversed(d.strides)):
            if n != 1 and s // d.itemsize != expected:
                return d.size == 0
            expected *= n
        return True

    def is_set_to(self, other):
        return self.data_ptr() == other.data_ptr() and self.shape == other.shape and self.stride() == other.stride()

    @property
    def _version(self):
        return self._vc[0]

    def _is_view(self):
        return self._base is not None

    # -------------------------------------------------------------- autograd fields
    @property
    def requires_grad(self):
        if self._view_version is not None and self._view_version != self._vc[0]:
            sync_view(self)
        return self._requires_grad or self._grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, flag):
        self._set_requires_grad(flag)

    def _set_requires_grad(self, flag):
        if self._grad_fn is not None:
            msg = "you can only change requires_grad flags of leaf variables."
            if not flag:
                msg += (" If you want to use a computed variable in a subgraph that doesn't require "
                        "differentiation use var_no_grad = var.detach().")
            raise RuntimeError(msg)
        if flag and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if flag and self._inference and not grad_mode._state[1]:
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
        self._requires_grad = bool(flag)
        if not flag:
            self._acc = None

    def requires_grad_(self, requires_grad=True):
        self._set_requires_grad(requires_grad)
        return self

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def grad_fn(self):
        if self._view_version is not None and self._view_version != self._vc[0]:
            sync_view(self)
        return self._grad_fn

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def grad(self):
        if self._grad is None and self._grad_fn is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
                "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
                "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
                "Tensor by mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
                "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, g):
        if g is not None:
            if not isinstance(g, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(g).__name__}")
            if g.dtype is not self.dtype:
                raise RuntimeError("attempting to assign a gradient with dtype '" + _scalar_type_name(g.dtype) +
                                   "' to a tensor with dtype '" + _scalar_type_name(self.dtype) +
                                   "'. Please ensure that the gradient and the tensor have the same dtype")
            if g.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = g

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def _is_inference(self):
        return self._inference

    def is_inference(self):
        return self._inference

    def _grad_edge(self):
        """(node, input_nr) that gradients for this tensor flow into, or None."""
        if self._view_version is not None and self._view_version != self._vc[0]:
            sync_view(self)
        fn = self._grad_fn
        if fn is not None:
            return (fn, self._output_nr)
        if self._requires_grad:
            acc = self._acc
            if acc is None:
                acc = self._acc = AccumulateGrad(self)
            return (acc, 0)
        return None

    def retain_grad(self):
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        fn = self._grad_fn
        if fn._retains is None:
            fn._retains = {}
        fn._retains[self._output_nr] = weakref.ref(self)

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            return self._grad_fn._register_tensor_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = {}
        return _add_hook(self._hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_acc_hooks is None:
            self._post_acc_hooks = {}
        return _add_hook(self._post_acc_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        from .autograd import backward
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        return self._alias()

    def detach_(self):
        if self._base is not None and self._view_info is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self):
        t = Tensor._make(self._data, self.dtype, self._get_storage(), None, [0])
        return t

    @data.setter
    def data(self, new):
        if not isinstance(new, Tensor):
            raise TypeError(f"data must be a Tensor")
        self._data = new._data
        self._storage = new._get_storage()
        self.dtype = new.dtype
        self._acc = None

    # -------------------------------------------------------------- conversions
    def item(self):
        n = self._data.size
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        return self._data.reshape(()).item() if self.dtype is not D.bfloat16 else float(self._data.reshape(()))

    def tolist(self):
        if self.dtype is D.bfloat16 or self.dtype is D.float16:
            return self._data.astype(np.float32).astype(np.float64).tolist() if self.dtype is D.bfloat16 else self._data.astype(np.float64).tolist()
        return self._data.tolist()

    def numpy(self, *, force=False):
        if self.requires_grad and grad_mode._state[0] and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self.dtype is D.bfloat16:
            raise TypeError("Got unsupported ScalarType BFloat16")
        return self._data

    def __array__(self, dtype=None, copy=None):
        a = self.detach()._data
        return a.astype(dtype) if dtype is not None else a

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        if self._data.size != 1:
            if self._data.size == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self._data.reshape(()))

    def __int__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self._data.reshape(()))

    def __complex__(self):
        return complex(self._data.reshape(()))

    def __index__(self):
        if self.dtype.is_floating_point or self.dtype.is_complex or self.dtype is D.bool_ or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def __hash__(self):
        return id(self)

    def __reduce_ex__(self, proto):
        from .serialization import _tensor_reduce
        return _tensor_reduce(self, proto)

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                               "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                               "because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        from .autograd.grad_mode import no_grad
        import copy
        with no_grad():
            new = self.clone()
        if type(self) is not Tensor:
            new = new._as_subclass(type(self))
            new._is_param = self._is_param
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = copy.deepcopy(self._grad, memo)
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = new
        return new

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import _str
        return _str(self, tensor_contents=tensor_contents)

    def __format__(self, spec):
        if self._data.ndim == 0 and not self._is_param:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def type(self, dtype=None, non_blocking=False, **kwargs):
        if dtype is None:
            return legacy_type_name(self)
        from ._ops.conversion import type_to
        return type_to(self, dtype)

    def cpu(self, memory_format=None):
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        from .cuda import _lazy_init
        _lazy_init()
        raise AssertionError("Torch not compiled with CUDA enabled")  # pragma: no cover

    def __torch_function__(self, *a, **k):  # pragma: no cover - present so duck-typed checks succeed
        return NotImplemented


def sync_view(view):
    """A view whose memory was written in place (through its base or another view) after its history was
    recorded now follows the base's current history, through AsStridedBackward0, as PyTorch's views do."""
    view._view_version = view._vc[0]
    base = view._base
    if base._grad_fn is None and not base._requires_grad:
        return
    from ._ops.inplace import regenerate_view_fn
    regenerate_view_fn(view, base)


def legacy_type_name(t):
    legacy = t.dtype._legacy or (t.dtype.name.capitalize() + "Tensor")
    return "torch." + legacy


_SCALAR_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
                      "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                      "bool": "Bool", "complex64": "ComplexFloat", "complex128": "ComplexDouble",
                      "uint16": "UInt16", "uint32": "UInt32", "uint64": "UInt64"}


def _scalar_type_name(d):
    """PyTorch's ScalarType name, as its error messages print it (Float, Long, ...)."""
    return _SCALAR_TYPE_NAMES[d.name]


def _contiguous_strides(shape):
    st = []
    acc = 1
    for n in reversed(shape):
        st.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(st))


def _wrap_dim(dim, ndim):
    if hasattr(dim, "__index__") and not isinstance(dim, int):
        dim = dim.__index__()
    n = max(ndim, 1)
    if dim < -n or dim >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def is_tensor(obj):
    return isinstance(obj, Tensor)
