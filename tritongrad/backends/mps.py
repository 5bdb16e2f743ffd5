"""torch.backends.mps: not part of tritongrad."""
enabled = False


def is_available():
    return False


def is_built():
    return False
