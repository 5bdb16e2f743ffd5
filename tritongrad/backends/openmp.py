"""torch.backends.openmp: not part of tritongrad."""
enabled = False


def is_available():
    return False
