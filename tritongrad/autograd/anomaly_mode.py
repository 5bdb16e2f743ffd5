"""Anomaly detection flags (torch.autograd.set_detect_anomaly / detect_anomaly)."""
_enabled = [False, True]


def is_anomaly_enabled():
    return _enabled[0]


def is_anomaly_check_nan_enabled():
    return _enabled[1]


class set_detect_anomaly:
    def __init__(self, mode, check_nan=True):
        self.prev = tuple(_enabled)
        _enabled[0], _enabled[1] = bool(mode), bool(check_nan)

    def __enter__(self):
        return self

    def __exit__(self, *a):
        _enabled[0], _enabled[1] = self.prev


class detect_anomaly:
    def __init__(self, check_nan=True):
        import warnings
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
                      "enabled for debugging.", UserWarning, stacklevel=2)
        self.check_nan = check_nan

    def __enter__(self):
        self.prev = tuple(_enabled)
        _enabled[0], _enabled[1] = True, self.check_nan
        return self

    def __exit__(self, *a):
        _enabled[0], _enabled[1] = self.prev
