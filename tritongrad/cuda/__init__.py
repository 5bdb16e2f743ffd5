"""torch.cuda: tritongrad has no CUDA backend yet, so this answers as a CPU-only PyTorch build does."""
_NOT_COMPILED = "Torch not compiled with CUDA enabled"


def _lazy_init():
    raise AssertionError(_NOT_COMPILED)


def is_available():
    return False


def device_count():
    return 0


def is_initialized():
    return False


def current_device():
    _lazy_init()


def set_device(device):
    _lazy_init()


def get_device_name(device=None):
    _lazy_init()


def get_device_capability(device=None):
    _lazy_init()


def get_device_properties(device=None):
    _lazy_init()


def synchronize(device=None):
    _lazy_init()


def manual_seed(seed):
    """Seeding CUDA generators is a no-op without CUDA, as in PyTorch."""


def manual_seed_all(seed):
    """Seeding CUDA generators is a no-op without CUDA, as in PyTorch."""


def seed():
    pass


def seed_all():
    pass


def empty_cache():
    pass


def memory_allocated(device=None):
    return 0


def max_memory_allocated(device=None):
    return 0


def memory_reserved(device=None):
    return 0


def reset_peak_memory_stats(device=None):
    pass


def is_bf16_supported(including_emulation=True):
    return False


class device:
    def __init__(self, device):
        self.idx = device

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


class Event:
    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        _lazy_init()


class Stream:
    def __init__(self, device=None, priority=0):
        _lazy_init()


def current_stream(device=None):
    _lazy_init()


def stream(s):
    _lazy_init()
