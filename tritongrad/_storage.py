"""Storage: the flat buffer under one or more tensors."""
import numpy as np

from . import _dtype as D
from ._device import cpu_device


class UntypedStorage:
    """A flat buffer on one device. On the CPU it is a 1-D numpy array of the element type of the tensor
    that created it; ``nbytes`` and ``data_ptr`` speak in bytes as PyTorch's do."""

    # _adopt_dtype: set on storages rebuilt from raw bytes, whose uint8 buffer takes the dtype of the
    # first tensor that views it (see storage._typed_buf)
    __slots__ = ("_buf", "device", "_adopt_dtype", "__weakref__")

    def __init__(self, buf, device=None):
        self._buf = buf
        self.device = device or cpu_device

    def nbytes(self):
        return self._buf.nbytes

    def size(self):
        return self._buf.nbytes

    def __len__(self):
        return self._buf.nbytes

    def data_ptr(self):
        return self._buf.__array_interface__["data"][0] if self._buf.size else 0

    def element_size(self):
        return 1

    @property
    def dtype(self):
        return D.uint8

    def _bytes(self):
        return self._buf.view(np.uint8)

    def tolist(self):
        return self._bytes().tolist()

    def __getitem__(self, i):
        return int(self._bytes()[i])

    def cpu(self):
        return self

    def clone(self):
        return UntypedStorage(self._buf.copy(), self.device)

    def __repr__(self):
        data = self._bytes()
        body = "\n".join(" " + str(int(v)) for v in data)
        head = "[torch.storage.UntypedStorage(device=cpu) of size " + str(len(data)) + "]"
        return (body + "\n" + head) if len(data) else head

    def is_shared(self):
        return False

    def __reduce__(self):
        from .storage import _untyped_reduce
        return _untyped_reduce(self)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"


def flat_buffer_of(arr):
    """The smallest flat view of ``arr``'s memory that every element lies in (strides must be >= 0)."""
    if arr.flags.c_contiguous:
        return arr.reshape(-1)
    if arr.size == 0:
        return np.empty(0, dtype=arr.dtype)
    span = 1 + sum((n - 1) * (s // arr.itemsize) for n, s in zip(arr.shape, arr.strides))
    return np.lib.stride_tricks.as_strided(arr, shape=(span,), strides=(arr.itemsize,))
