"""torch.backends.cudnn: cuDNN is not used by tritongrad; its flags are accepted and change nothing."""
enabled = True
benchmark = False
deterministic = False
allow_tf32 = True
benchmark_limit = 10


def is_available():
    return False


def version():
    return None
