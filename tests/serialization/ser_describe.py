"""Describe a loaded checkpoint object as the JSON node tree of the golden manifest (spec §10.1).

The same code runs in this process on tritongrad objects and in a torch subprocess on torch objects
(it imports neither library at import time; each adapter knows one library), so both sides are described identically.
"""
import collections
import math


def _float(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _int(x):
    return str(x) if abs(x) >= 2 ** 53 else x


class Describer:
    """Walks an object; ``adapter`` knows the library's tensor, Size, device and dtype types."""

    def __init__(self, adapter):
        self.a = adapter
        self.groups = {}

    def group(self, key):
        if key not in self.groups:
            self.groups[key] = len(self.groups)
        return self.groups[key]

    def __call__(self, x):
        a = self.a
        if a.is_tensor(x):
            node = a.tensor_fields(x)
            node["storage_group"] = self.group(a.storage_key(x))
            attrs = a.attrs(x)
            if attrs:
                node["attrs"] = {k: self(v) for k, v in attrs.items()}
            return {"tensor": node}
        if a.is_size(x):
            return {"torch.Size": list(x)}
        if a.is_device(x):
            return {"torch.device": str(x)}
        if a.is_dtype(x):
            return {"torch.dtype": str(x).replace("torch.", "")}
        if x is None:
            return {"none": None}
        if isinstance(x, bool):
            return {"bool": x}
        if isinstance(x, int):
            return {"int": _int(x)}
        if isinstance(x, float):
            return {"float": _float(x)}
        if isinstance(x, complex):
            return {"complex": [_float(x.real), _float(x.imag)]}
        if isinstance(x, str):
            return {"str": x}
        if isinstance(x, bytes):
            return {"bytes_hex": x.hex()}
        if isinstance(x, bytearray):
            return {"bytearray_hex": bytes(x).hex()}
        if isinstance(x, collections.Counter):
            return {"counter": [[self(k), self(v)] for k, v in x.items()]}
        if isinstance(x, collections.OrderedDict):
            node = {"ordered_dict": [[self(k), self(v)] for k, v in x.items()]}
            if hasattr(x, "_metadata"):
                node["_metadata"] = self(x._metadata)
            return node
        if isinstance(x, dict):
            return {"dict": [[self(k), self(v)] for k, v in x.items()]}
        if isinstance(x, list):
            return {"list": [self(v) for v in x]}
        if isinstance(x, tuple):
            return {"tuple": [self(v) for v in x]}
        if isinstance(x, (set, frozenset)):
            return {"set": sorted(x)}
        raise TypeError(f"cannot describe {type(x)}")


def flat_values(values, dtype_name):
    if dtype_name.startswith("complex"):
        return [[_float(v.real), _float(v.imag)] for v in values]
    if dtype_name.startswith(("float", "bfloat")):
        return [_float(float(v)) for v in values]
    return list(values)


def normalize(node):
    """Renumber storage groups by first appearance, so two descriptions of one object compare equal."""
    mapping = {}

    def walk(n):
        if isinstance(n, dict):
            if "tensor" in n and isinstance(n["tensor"], dict) and "storage_group" in n["tensor"]:
                t = dict(n["tensor"])
                t["storage_group"] = mapping.setdefault(t["storage_group"], len(mapping))
                if "attrs" in t:
                    t["attrs"] = {k: walk(v) for k, v in t["attrs"].items()}
                t["values"] = [_norm_value(v) for v in t["values"]]
                return {"tensor": t}
            return {k: walk(v) for k, v in n.items()}
        if isinstance(n, list):
            return [walk(v) for v in n]
        return n

    return walk(node)


def _norm_value(v):
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, list):
        return [_norm_value(x) for x in v]
    return v


class TorchAdapter:
    """Describes torch objects (runs only in a torch subprocess; receives the torch module)."""

    def __init__(self, torch):
        self.torch = torch

    def is_tensor(self, x):
        return isinstance(x, self.torch.Tensor)

    def is_size(self, x):
        return isinstance(x, self.torch.Size)

    def is_device(self, x):
        return isinstance(x, self.torch.device)

    def is_dtype(self, x):
        return isinstance(x, self.torch.dtype)

    def storage_key(self, t):
        s = t.untyped_storage()
        return s.data_ptr() if s.nbytes() else ("empty", id(t))

    def attrs(self, t):
        return dict(t.__dict__)

    def tensor_fields(self, t):
        torch = self.torch
        name = str(t.dtype).replace("torch.", "")
        flat = t.detach().reshape(-1)
        node = {"dtype": name, "shape": list(t.shape), "stride": list(t.stride()),
                "storage_offset": t.storage_offset(), "storage_nbytes": t.untyped_storage().nbytes(),
                "requires_grad": t.requires_grad, "parameter": isinstance(t, torch.nn.Parameter)}
        if t.dtype == torch.bfloat16:
            bits = flat.contiguous().view(torch.int16).tolist()
            node["raw_bits_hex"] = ["%04x" % (v & 0xFFFF) for v in bits]
            vals = flat.float().tolist()
        elif t.dtype == torch.float16:
            vals = flat.float().tolist()
        else:
            vals = flat.tolist()
        node["values"] = flat_values(vals, name)
        return node


class TritongradAdapter:
    def __init__(self):
        from tritongrad._tensor import Tensor
        from tritongrad._device import Size, device
        from tritongrad._dtype import dtype
        self.Tensor, self.Size, self.device, self.dtype = Tensor, Size, device, dtype

    def is_tensor(self, x):
        return isinstance(x, self.Tensor)

    def is_size(self, x):
        return isinstance(x, self.Size)

    def is_device(self, x):
        return isinstance(x, self.device)

    def is_dtype(self, x):
        return isinstance(x, self.dtype)

    def storage_key(self, t):
        s = t._get_storage()
        return id(s) if s.nbytes() else ("empty", id(t))

    def attrs(self, t):
        from tritongrad._utils import _get_obj_state
        return _get_obj_state(t)

    def tensor_fields(self, t):
        import numpy as np
        from tritongrad.nn.parameter import Parameter
        name = t.dtype.name
        arr = np.ascontiguousarray(t._data).reshape(-1)
        node = {"dtype": name, "shape": list(t.shape), "stride": list(t.stride()),
                "storage_offset": t.storage_offset(), "storage_nbytes": t._get_storage().nbytes(),
                "requires_grad": t.requires_grad, "parameter": isinstance(t, Parameter)}
        if name == "bfloat16":
            node["raw_bits_hex"] = ["%04x" % v for v in arr.view(np.uint16).tolist()]
            vals = arr.astype(np.float32).tolist()
        elif name == "float16":
            vals = arr.astype(np.float32).tolist()
        else:
            vals = arr.tolist()
        node["values"] = flat_values(vals, name)
        return node


def describe_tritongrad(obj):
    return normalize(Describer(TritongradAdapter())(obj))


def describe_torch(obj, torch):
    return normalize(Describer(TorchAdapter(torch))(obj))
