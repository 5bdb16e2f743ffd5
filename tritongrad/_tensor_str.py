"""Tensor printing: ``repr``/``str`` of tensors and the print options (``torch.set_printoptions``).

The text matches PyTorch's character for character. The work is done on numpy arrays: a large tensor is
cut down to its printed edges first, the statistics that choose the number format (fixed, integer-valued or
scientific, and the common column width) are computed with numpy, and only the elements that are actually
shown are turned into strings.
"""
import contextlib
import dataclasses
import math
import sys

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "printoptions"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: object = None


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    """Set options for printing tensors (torch.set_printoptions).

    ``profile`` ("default", "short" or "full") sets precision, threshold, edgeitems and linewidth at once;
    explicit arguments override it. ``sci_mode`` is always set: ``None`` lets each tensor's values decide.
    """
    if profile is not None and profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current print options as a dict (keys as set_printoptions' arguments, without profile)."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Context manager that sets print options temporarily (arguments as set_printoptions)."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ---------------------------------------------------------------------------------------------- formatting
class _NumberFormat:
    """How one real-valued part of a tensor is printed: the mode and the common column width.

    Decided from ``sample`` (the elements that will be shown) as PyTorch does: floats whose nonzero finite
    values are all integers print as ``3.``; a wide range (max/min > 1000), a large value (> 1e8) or, for
    non-integer values, a small one (< 1e-4) switches to scientific notation. The sci_mode print option
    overrides that choice (except when there is no nonzero finite value) and the width follows the mode used.
    """

    def __init__(self, sample, floating):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = sample.reshape(-1)
        if not floating:
            if flat.size:
                if flat.dtype == np.bool_:
                    self.width = 5 if not flat.all() else 4
                else:
                    self.width = max(len(str(flat.min().item())), len(str(flat.max().item())))
        else:
            values = flat[np.isfinite(flat) & (flat != 0)]
            if values.size == 0:
                # PyTorch returns before applying the sci_mode option in this case
                return
            magnitudes = np.abs(values)
            smallest, largest = float(magnitudes.min()), float(magnitudes.max())
            self.int_mode = bool(np.all(values == np.ceil(values)))
            with np.errstate(all="ignore"):
                wide = bool(np.float64(largest) / np.float64(smallest) > 1000.0) or largest > 1.0e8
            self.sci_mode = wide if self.int_mode else (wide or smallest < 1.0e-4)
            if PRINT_OPTS.sci_mode is not None:
                self.sci_mode = PRINT_OPTS.sci_mode
            # Printed length only grows with magnitude for a given sign (the exponent's digit count can
            # also grow towards tiny values), so the widest string is one of these extremes.
            positive, negative = values[values > 0], values[values < 0]
            extremes = []
            for part in (positive, negative):
                if part.size:
                    extremes += [float(part.min()), float(part.max())]
            precision = PRINT_OPTS.precision
            if self.sci_mode:
                self.width = max(len(f"{v:.{precision}e}") for v in extremes)
            elif self.int_mode:
                self.width = max(len(f"{v:.0f}") + 1 for v in extremes)
            else:
                self.width = max(len(f"{v:.{precision}f}") for v in extremes)

    def strings(self, values, pad=True):
        """Formatted strings of a flat numpy array, right-aligned to the common width when ``pad``."""
        width = self.width if pad else 0
        if not self.floating:
            if values.dtype == np.bool_:
                words = ["True".rjust(width), "False".rjust(width)]
                return [words[0] if v else words[1] for v in values.tolist()]
            fmt = f"{{:>{width}}}".format
            return [fmt(v) for v in values.tolist()]
        precision = PRINT_OPTS.precision
        items = values.tolist()
        if self.sci_mode:
            fmt = f"{{:>{width}.{precision}e}}".format
            return [fmt(v) for v in items]
        if not self.int_mode:
            fmt = f"{{:>{width}.{precision}f}}".format
            return [fmt(v) for v in items]
        # integer-valued: "3." for finite values, plain "nan"/"inf" otherwise
        fmt = f"{{:>{max(width - 1, 0)}.0f}}.".format
        out = [fmt(v) for v in items]
        for i in np.flatnonzero(~np.isfinite(values)).tolist():
            out[i] = f"{items[i]:.0f}".rjust(width)
        return out


def _host_array(t):
    """The tensor's elements as a numpy array on the host."""
    data = t._data
    if isinstance(data, np.ndarray):
        return data
    return np.asarray(t.cpu()._data)


def _real_view(arr):
    """A numpy dtype that formats like PyTorch's promoted printing dtype (half and bfloat16 print as float)."""
    kind = arr.dtype.kind
    if kind in "biuc" or arr.dtype in (np.float32, np.float64):
        return arr
    return arr.astype(np.float32)


def _edge_indices(size, edgeitems):
    return np.concatenate((np.arange(edgeitems), np.arange(size - edgeitems, size)))


def _summarized(arr, edgeitems):
    """The elements a summarised print shows (PyTorch's get_summarized_data), and which dims are cut."""
    ndim = arr.ndim
    if ndim == 0:
        return arr, ()
    if ndim == 1:
        if arr.shape[0] > 2 * edgeitems:
            # a[-0:] is the whole array: with edgeitems == 0 PyTorch's statistics see every element
            return np.concatenate((arr[:edgeitems], arr[-edgeitems:])), (True,)
        return arr, (False,)
    if not edgeitems:
        return arr[(slice(0, 0),) * ndim], (True,) * ndim
    if edgeitems < 0:
        # PyTorch stacks an empty list of edge rows here
        raise RuntimeError("stack expects a non-empty TensorList")
    cut = tuple(n > 2 * edgeitems for n in arr.shape)
    index = tuple(_edge_indices(n, edgeitems) if c else np.arange(n) for n, c in zip(arr.shape, cut))
    return arr[np.ix_(*index)], cut


def _layout(strings, shape, cut, original_shape, indent, element_length):
    """Nest flat element strings (C order over ``shape``) into PyTorch's bracketed, wrapped layout."""
    edgeitems = PRINT_OPTS.edgeitems
    ndim = len(shape)
    linewidth = PRINT_OPTS.linewidth

    def block(level, start, indent):
        n = shape[level]
        if level == ndim - 1:
            items = strings[start:start + n]
            if cut[level]:
                # the row holds a[:edgeitems] then a[-edgeitems:] (Python slicing, also for edgeitems < 0)
                head = len(range(original_shape[level])[:edgeitems])
                items = items[:head] + [" ..."] + items[head:]
            per_line = max(1, int(math.floor((linewidth - indent) / element_length)))
            lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
            return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
        step = 1
        for m in shape[level + 1:]:
            step *= m
        parts = [block(level + 1, start + i * step, indent + 1) for i in range(n)]
        if cut[level]:
            parts = parts[:edgeitems] + ["..."] + parts[edgeitems:]
        return "[" + ("," + "\n" * (ndim - level - 1) + " " * (indent + 1)).join(parts) + "]"

    return block(0, 0, indent)


def _tensor_str(arr, indent):
    """The bracketed contents of a non-empty tensor whose elements are the numpy array ``arr``."""
    summarize = arr.size > PRINT_OPTS.threshold
    edgeitems = PRINT_OPTS.edgeitems
    if summarize and arr.ndim and not edgeitems:
        return "[...]"
    if summarize:
        sample, cut = _summarized(arr, edgeitems)
        shown = sample = _real_view(sample)
    else:
        sample = shown = arr = _real_view(arr)
        cut = (False,) * arr.ndim
    flat = shown.reshape(-1)
    if shown.dtype.kind == "c":
        real_format = _NumberFormat(sample.real.astype(np.float64), True)
        imag_format = _NumberFormat(sample.imag.astype(np.float64), True)
        reals = real_format.strings(flat.real)
        imags = imag_format.strings(flat.imag, pad=False)
        strings = [r + i + "j" if i[0] in "+-" else r + "+" + i + "j" for r, i in zip(reals, imags)]
        element_length = real_format.width + 2 + imag_format.width + 1
    else:
        floating = shown.dtype.kind == "f"
        number_format = _NumberFormat(sample.astype(np.float64) if floating else sample, floating)
        strings = number_format.strings(flat)
        element_length = number_format.width + 2
    if arr.ndim == 0:
        return strings[0]
    return _layout(strings, shown.shape, cut, arr.shape, indent, element_length)


# ---------------------------------------------------------------------------------------------- repr
def _add_suffixes(text, suffixes, indent):
    """Append ``, suffix`` items, moving one to its own indented line when it would pass linewidth."""
    pieces = [text]
    # PyTorch's measure of the last line (it counts two more than the characters when there is no newline)
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > PRINT_OPTS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            last_line += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def _default_device_type():
    tg = sys.modules.get(__name__.rpartition(".")[0])
    getter = getattr(tg, "get_default_device", None)
    if getter is None:
        return "cpu"
    try:
        return getter().type
    except Exception:
        return "cpu"


def _shows_device(dev):
    if dev.type != _default_device_type():
        return True
    if dev.type == "cuda":
        cuda = sys.modules.get(__name__.rpartition(".")[0] + ".cuda")
        current = getattr(cuda, "current_device", None)
        if current is not None and dev.index is not None and current() != dev.index:
            return True
    return False


def _str(self, *, tensor_contents=None):
    """repr(tensor): ``tensor([...])`` with PyTorch's suffixes (device, size, dtype, grad_fn, requires_grad)."""
    from . import _dtype as D
    from ._tensor import Tensor

    # nn.Parameter prints as a plain tensor; other subclasses print their class name
    parameter_module = sys.modules.get(__name__.rpartition(".")[0] + ".nn.parameter")
    parameter_cls = getattr(parameter_module, "Parameter", None)
    plain = type(self) is Tensor or (parameter_cls is not None and type(self) is parameter_cls)
    is_param = parameter_cls is not None and isinstance(self, parameter_cls)
    prefix = "tensor(" if plain else type(self).__name__ + "("
    indent = len(prefix)
    suffixes = []
    text = tensor_contents

    dev = self.device
    if _shows_device(dev):
        suffixes.append(f"device='{dev}'")

    dtype = self.dtype
    default = D.get_default_dtype()
    default_complex = D.complex128 if default is D.float64 else D.complex64
    arr = _host_array(self)
    if arr.size == 0:
        if arr.ndim != 1:
            suffixes.append("size=" + str(tuple(arr.shape)))
        if dtype is not default:
            suffixes.append("dtype=" + str(dtype))
        if text is None:
            text = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(arr.shape)))
        if dtype not in (default, default_complex, D.int64, D.bool_):
            suffixes.append("dtype=" + str(dtype))
        if text is None:
            text = _tensor_str(arr, indent)

    try:
        grad_fn = self.grad_fn
        grad_fn_name = type(grad_fn).__name__ if grad_fn is not None else None
    except RuntimeError:
        grad_fn_name = "Invalid"
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif self.requires_grad:
        suffixes.append("requires_grad=True")

    result = _add_suffixes(prefix + text, suffixes, indent)
    if is_param and not plain:
        result = f"Parameter({result})"
    return result
