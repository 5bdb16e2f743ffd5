"""``default_collate`` (a list of samples -> one batch) and ``default_convert`` (numpy -> tensors)."""
import collections.abc
import copy
import re

import numpy as np

import tritongrad
from tritongrad._tensor import Tensor

# numpy dtype codes (bytes, unicode, object) that cannot become tensors.
np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, "
    "dicts or lists; found {}"
)


def _is_numpy_value(data):
    """numpy arrays and numpy scalars, but not numpy strings (which stay as they are)."""
    kind = type(data)
    return kind.__module__ == "numpy" and kind.__name__ not in ("str_", "string_")


def default_convert(data):
    """Turn every numpy array / numpy scalar inside ``data`` into a tensor, keeping the container
    structure (lists, tuples -> lists, namedtuples, mappings); everything else is left as it is."""
    if isinstance(data, Tensor):
        return data
    if _is_numpy_value(data):
        if isinstance(data, np.ndarray) and np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return tritongrad.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(data[key]) for key in data}
        return _rebuild_mapping(data, converted)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(item) for item in data))
    if isinstance(data, tuple):
        return [default_convert(item) for item in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(item) for item in data])
    return data


def _rebuild_mapping(template, values):
    """A mapping of ``template``'s type holding ``values`` (a plain dict if the type can't be rebuilt)."""
    try:
        if isinstance(template, collections.abc.MutableMapping):
            # A shallow copy keeps the type and any extra state of e.g. OrderedDict/defaultdict.
            clone = copy.copy(template)
            clone.update(values)
            return clone
        return type(template)(values)
    except TypeError:
        return values


def _rebuild_sequence(template, items):
    """A sequence of ``template``'s type holding ``items`` (a list if the type can't be rebuilt)."""
    try:
        if isinstance(template, collections.abc.MutableSequence):
            clone = copy.copy(template)
            for position, item in enumerate(items):
                clone[position] = item
            return clone
        return type(template)(items)
    except TypeError:
        return items


def collate(batch, *, collate_fn_map=None):
    """Collate ``batch`` (a list of samples of one structure): element types found in
    ``collate_fn_map`` (exact type first, then ``isinstance`` in the map's order) go to their
    function; mappings, namedtuples and sequences are collated field by field."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for registered_type in collate_fn_map:
            if isinstance(elem, registered_type):
                return collate_fn_map[registered_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        fields = {key: collate([sample[key] for sample in batch], collate_fn_map=collate_fn_map) for key in elem}
        return _rebuild_mapping(elem, fields)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return elem_type(*(collate(column, collate_fn_map=collate_fn_map) for column in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        # Columns stay tuples: a column of strings comes back as that tuple.
        columns = [collate(column, collate_fn_map=collate_fn_map) for column in zip(*batch)]
        if isinstance(elem, tuple):
            return columns
        return _rebuild_sequence(elem, columns)
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch, *, collate_fn_map=None):
    from .worker import get_worker_info
    if get_worker_info() is None:
        return tritongrad.stack(batch, 0)
    # In a worker PyTorch stacks into a preallocated (shared-memory) tensor of the first
    # sample's dtype; doing the same keeps its dtype and autograd errors.
    if tritongrad.is_grad_enabled() and any(sample.requires_grad for sample in batch):
        raise RuntimeError("stack(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    elem = batch[0]
    out = tritongrad.empty((len(batch), *elem.shape), dtype=elem.dtype, device=elem.device)
    return tritongrad.stack(batch, 0, out=out)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([tritongrad.as_tensor(array) for array in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    return tritongrad.as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map=None):
    return tritongrad.tensor(batch, dtype=tritongrad.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return tritongrad.tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


# Insertion order matters: bool samples reach collate_int_fn through the isinstance scan.
default_collate_fn_map = {
    Tensor: collate_tensor_fn,
    np.ndarray: collate_numpy_array_fn,
    (np.bool_, np.number, np.object_): collate_numpy_scalar_fn,
    float: collate_float_fn,
    int: collate_int_fn,
    str: collate_str_fn,
    bytes: collate_str_fn,
}


def default_collate(batch):
    """Stack a list of samples into a batch: tensors are stacked along a new first dimension,
    numpy arrays and numbers become tensors (Python floats as float64, ints as int64), strings
    stay lists, and mappings / namedtuples / sequences are collated field by field (tuples and
    sequences come back as lists)."""
    return collate(batch, collate_fn_map=default_collate_fn_map)
