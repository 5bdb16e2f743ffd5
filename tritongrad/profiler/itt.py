"""torch.profiler.itt: Intel ITT range annotations. tritongrad has no ITT backend; ranges are accepted and
dropped, and ``is_available()`` says so."""
from contextlib import contextmanager

__all__ = ["is_available", "range_push", "range_pop", "mark", "range"]


def is_available():
    """Whether ITT annotations reach a collector (never, in tritongrad)."""
    return False


def range_push(msg):
    """Open a named range (a no-op without ITT)."""
    return None


def range_pop():
    """Close the innermost range (a no-op without ITT)."""
    return None


def mark(msg):
    """Mark an instant (a no-op without ITT)."""
    return None


@contextmanager
def range(msg, *args, **kwargs):
    """Context manager opening a range named ``msg.format(*args, **kwargs)``."""
    range_push(msg.format(*args, **kwargs))
    try:
        yield
    finally:
        range_pop()
