"""Padding layers: constant/zero, reflection, replication and circular padding."""
from .module import Module
from .. import _functional_spatial as FS

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d"]


def _pads(padding, n):
    if isinstance(padding, (list, tuple)):
        return tuple(padding)
    return (padding,) * (2 * n)


class _ConstantPadNd(Module):
    __constants__ = ["padding", "value"]
    _n = 1

    def __init__(self, value):
        super().__init__()
        self.value = value

    def forward(self, input):
        return FS.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


def _constant(name, n):
    def __init__(self, padding, value):
        _ConstantPadNd.__init__(self, value)
        self.padding = _pads(padding, n)
    return type(name, (_ConstantPadNd,), {"__init__": __init__, "_n": n, "__module__": __name__,
                                          "__doc__": f"Pads the input tensor boundaries with a constant value ({n}D)."})


ConstantPad1d = _constant("ConstantPad1d", 1)
ConstantPad2d = _constant("ConstantPad2d", 2)
ConstantPad3d = _constant("ConstantPad3d", 3)


def _zero(name, base, n):
    def __init__(self, padding):
        _ConstantPadNd.__init__(self, 0.0)
        self.padding = _pads(padding, n)

    def extra_repr(self):
        return f"{self.padding}"
    return type(name, (base,), {"__init__": __init__, "extra_repr": extra_repr, "__module__": __name__,
                                "__doc__": f"Pads the input tensor boundaries with zero ({n}D)."})


ZeroPad1d = _zero("ZeroPad1d", ConstantPad1d, 1)
ZeroPad2d = _zero("ZeroPad2d", ConstantPad2d, 2)
ZeroPad3d = _zero("ZeroPad3d", ConstantPad3d, 3)


class _ModePadNd(Module):
    __constants__ = ["padding"]
    _mode = "reflect"
    _n = 1

    def __init__(self, padding):
        super().__init__()
        self.padding = _pads(padding, self._n)

    def forward(self, input):
        return FS.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _CircularPadNd(_ModePadNd):
    _mode = "circular"

    def forward(self, input):
        if input.dim() not in (self._n + 1, self._n + 2):
            raise ValueError(f"expected {self._n + 1}D or {self._n + 2}D input (got {input.dim()}D input)")
        return FS.pad(input, self.padding, "circular")


def _mode_pad(name, base, mode, n):
    return type(name, (base,), {"_mode": mode, "_n": n, "__module__": __name__,
                                "__doc__": f"Pads the input tensor using {mode} padding ({n}D)."})


ReflectionPad1d = _mode_pad("ReflectionPad1d", _ModePadNd, "reflect", 1)
ReflectionPad2d = _mode_pad("ReflectionPad2d", _ModePadNd, "reflect", 2)
ReflectionPad3d = _mode_pad("ReflectionPad3d", _ModePadNd, "reflect", 3)
ReplicationPad1d = _mode_pad("ReplicationPad1d", _ModePadNd, "replicate", 1)
ReplicationPad2d = _mode_pad("ReplicationPad2d", _ModePadNd, "replicate", 2)
ReplicationPad3d = _mode_pad("ReplicationPad3d", _ModePadNd, "replicate", 3)
CircularPad1d = _mode_pad("CircularPad1d", _CircularPadNd, "circular", 1)
CircularPad2d = _mode_pad("CircularPad2d", _CircularPadNd, "circular", 2)
CircularPad3d = _mode_pad("CircularPad3d", _CircularPadNd, "circular", 3)
