"""torch.random: the default CPU generator and its seeding and state functions."""
import contextlib
import threading
import warnings

# torch.random.Generator and torch.random.default_generator are the same objects as torch.Generator and
# torch.default_generator
from ._random import (Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state,  # noqa: F401
                      set_rng_state)

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "thread_safe_generator"]

_fork_rng_warned_already = False

# DataLoader thread workers store their own Generator here (``_thread_local.generator = g``)
_thread_local = threading.local()


def thread_safe_generator():
    """The calling DataLoader thread worker's own Generator, or None in the main thread and in process
    workers (so that random functions given it fall back to the default generator)."""
    return getattr(_thread_local, "generator", None)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type="cuda"):
    """Run the block with the RNG state forked: on exit the CPU (and accelerator) generator states are restored."""
    global _fork_rng_warned_already
    if not enabled or device_type == "meta":
        yield
        return
    device_mod = _device_module(device_type)
    if devices is None:
        num_devices = device_mod.device_count() if device_mod is not None else 0
        if num_devices > 1 and not _fork_rng_warned_already:
            warnings.warn(
                f"{device_type.upper()} reports that you have {num_devices} available devices, and you have used "
                f"{_caller} without explicitly specifying which devices are being used. For safety, we initialize "
                f"*every* {device_type.upper()} device by default, which can be quite slow if you have a lot of "
                f"{device_type.upper()}s. If you know that you are only making use of a few {device_type.upper()} "
                f"devices, set the environment variable {device_type.upper()}_VISIBLE_DEVICES or the '{_devices_kw}' "
                f"keyword argument of {_caller} with the set of devices you are actually using. For example, if you "
                f"are using CPU only, set device.upper()_VISIBLE_DEVICES= or devices=[]; if you are using device 0 "
                f"only, set {device_type.upper()}_VISIBLE_DEVICES=0 or devices=[0].  To initialize all devices and "
                f"suppress this warning, set the '{_devices_kw}' keyword argument to `range(torch.{device_type}."
                "device_count())`.")
            _fork_rng_warned_already = True
        devices = list(range(num_devices))
    else:
        devices = list(devices)
    cpu_state = get_rng_state()
    device_states = [device_mod.get_rng_state(d) for d in devices] if devices else []
    try:
        yield
    finally:
        set_rng_state(cpu_state)
        for d, st in zip(devices, device_states):
            device_mod.set_rng_state(st, d)


def _device_module(device_type):
    import importlib
    try:
        mod = importlib.import_module(f"tritongrad.{device_type}")
    except ImportError:
        return None
    if not hasattr(mod, "device_count") or not hasattr(mod, "get_rng_state"):
        return None
    return mod
