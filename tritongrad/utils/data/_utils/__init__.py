"""Machinery behind DataLoader: collation, fetching, worker processes."""
import atexit
import sys
import traceback

IS_WINDOWS = sys.platform == "win32"

MP_STATUS_CHECK_INTERVAL = 5.0
"""Seconds a worker waits on its index queue before checking that the main process is alive."""

python_exit_status = False
"""True once the interpreter is shutting down; iterators then leave worker cleanup to atexit."""


def _set_python_exit_flag():
    global python_exit_status
    python_exit_status = True


atexit.register(_set_python_exit_flag)

try:
    import numpy  # noqa: F401
    HAS_NUMPY = True
except ModuleNotFoundError:
    HAS_NUMPY = False


class KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised KeyError prints its traceback text readably."""

    __slots__ = ()

    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception captured with its formatted traceback, so it can cross a process boundary and
    be re-raised (same type, message prefixed with where it happened) on the other side."""

    def __init__(self, exc_info=None, where="in background"):
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        # Only text is kept: a live traceback would pin frames and is not picklable.
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        """Raise the wrapped exception in the calling thread."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


from . import collate, fetch, worker  # noqa: E402
