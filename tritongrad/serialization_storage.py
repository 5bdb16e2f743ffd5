"""Compatibility import path for ``Tensor.storage()``: the storage classes live in ``tritongrad.storage``."""
from .storage import TypedStorage  # noqa: F401
