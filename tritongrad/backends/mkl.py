"""torch.backends.mkl: not part of tritongrad."""
enabled = False


def is_available():
    return False
