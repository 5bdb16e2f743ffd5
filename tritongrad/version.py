"""``torch.version``: the fields PyTorch scripts (and Triton's driver) read about the build.

tritongrad implements the API of PyTorch 2.13.  It has no CUDA toolkit build of its own (GPU code
runs through Triton), hence ``cuda = None``; it is not a ROCm build, hence ``hip = None``.
"""
import re

__all__ = ["__version__", "TorchVersion", "cuda", "debug", "git_version", "hip", "rocm", "xpu"]

__version__ = "2.13.0"
debug = False
cuda = None
git_version = "Unknown"
hip = None
rocm = None
xpu = None

_VERSION_PATTERN = re.compile(
    r"""^\s*v?
        (?:(?P<epoch>\d+)!)?
        (?P<release>\d+(?:\.\d+)*)
        (?:[-_.]?(?P<pre_kind>a|alpha|b|beta|c|rc|pre|preview)[-_.]?(?P<pre_number>\d+)?)?
        (?:(?:[-_.]?(?P<post_label>post|rev|r)[-_.]?(?P<post>\d+)?)|(?:-(?P<post_implicit>\d+)))?
        (?:[-_.]?(?P<dev_label>dev)[-_.]?(?P<dev>\d+)?)?
        (?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
        \s*$""",
    re.VERBOSE | re.IGNORECASE)

_PRE_ORDER = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_INFINITY = float("inf")


def _sort_key(text):
    """An ordering key following the usual Python version rules (PEP 440)."""
    match = _VERSION_PATTERN.match(text)
    if match is None:
        raise ValueError("Invalid version: %r" % text)
    release = tuple(int(part) for part in match.group("release").split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre_kind, has_dev = match.group("pre_kind"), match.group("dev_label") is not None
    post = None
    if match.group("post_label") is not None or match.group("post_implicit") is not None:
        post = int(match.group("post") or match.group("post_implicit") or 0)
    if pre_kind is not None:
        pre = (_PRE_ORDER[pre_kind.lower()], int(match.group("pre_number") or 0))
    elif has_dev and post is None:
        pre = (-_INFINITY,)  # 1.0.dev0 sorts before 1.0a0
    else:
        pre = (_INFINITY,)
    dev_key = (int(match.group("dev") or 0),) if has_dev else (_INFINITY,)
    local = match.group("local")
    local_key = (() if local is None else
                 tuple((int(part), "") if part.isdigit() else (-1, part)
                       for part in re.split(r"[-_.]", local.lower())))
    return (int(match.group("epoch") or 0), release, pre,
            (-_INFINITY,) if post is None else (post,), dev_key, local_key)


class TorchVersion(str):
    """A version string (``torch.__version__``) that compares as a version, not as text.

    ``TorchVersion("2.13.0") >= "2.2"`` and ``>= (2, 2)`` are True, where plain strings would
    compare ``"2.13.0" < "2.2"``.
    """

    @staticmethod
    def _key_of(other):
        if isinstance(other, (tuple, list)):
            other = ".".join(str(part) for part in other)
        if isinstance(other, str):
            return _sort_key(other)
        text = getattr(other, "public", None) or str(other)  # e.g. packaging.version.Version
        return _sort_key(text)

    def _compare(self, other, method):
        try:
            other_key = self._key_of(other)
        except (ValueError, TypeError):
            raise ValueError("Invalid version: %r" % (other,)) from None
        return getattr(_sort_key(self), method)(other_key)

    def __eq__(self, other):
        try:
            return self._compare(other, "__eq__")
        except ValueError:
            return str.__eq__(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        return not result if isinstance(result, bool) else result

    def __lt__(self, other):
        return self._compare(other, "__lt__")

    def __le__(self, other):
        return self._compare(other, "__le__")

    def __gt__(self, other):
        return self._compare(other, "__gt__")

    def __ge__(self, other):
        return self._compare(other, "__ge__")

    __hash__ = str.__hash__
