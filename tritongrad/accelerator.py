"""torch.accelerator: the device-agnostic accelerator API. tritongrad has no accelerator backend yet, so it
answers as PyTorch does on a machine without one."""

_NONE = "Cannot access accelerator device when none is available."


def is_available():
    return False


def current_accelerator(check_available=False):
    return None


def device_count():
    return 0


def current_device_index():
    raise RuntimeError(_NONE)


current_device_idx = current_device_index


def set_device_index(device):
    raise RuntimeError(_NONE)


set_device_idx = set_device_index


def synchronize(device=None):
    raise RuntimeError(_NONE)


def current_stream(device=None):
    raise RuntimeError(_NONE)
