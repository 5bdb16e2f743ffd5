"""nn.DataParallel.

Without CUDA, as in PyTorch, it is a transparent wrapper (`device_ids == []`). With CUDA, tritongrad runs the
whole batch on ``device_ids[0]`` instead of splitting it across devices: outputs and gradients are the same,
only the work is not spread (BatchNorm statistics see the whole batch, not per-device slices)."""
from ..._tensor import Tensor
from ..modules.module import Module

__all__ = ["DataParallel"]


def _to_device(obj, device):
    if isinstance(obj, Tensor):
        return obj.to(device)
    if isinstance(obj, tuple):
        return tuple(_to_device(o, device) for o in obj)
    if isinstance(obj, list):
        return [_to_device(o, device) for o in obj]
    if isinstance(obj, dict):
        return {k: _to_device(v, device) for k, v in obj.items()}
    return obj


class DataParallel(Module):
    """Wraps ``module``; its state_dict keys gain the ``module.`` prefix, as in PyTorch."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        import tritongrad as tg
        if not tg.cuda.is_available():
            self.module = module
            self.device_ids = []
            return
        if device_ids is None:
            device_ids = list(range(tg.cuda.device_count()))
        device_ids = [d.index if hasattr(d, "index") else int(d) for d in device_ids]
        if output_device is None:
            output_device = device_ids[0]
        self.dim = dim
        self.module = module
        self.device_ids = device_ids
        self.output_device = output_device
        self.src_device_obj = tg.device("cuda", device_ids[0])

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        for t in list(self.module.parameters()) + list(self.module.buffers()):
            if t.device != self.src_device_obj:
                raise RuntimeError("module must have its parameters and buffers on device "
                                   f"{self.src_device_obj} (device_ids[0]) but found one of them on device: "
                                   f"{t.device}")
        inputs = _to_device(inputs, self.src_device_obj)
        kwargs = _to_device(kwargs, self.src_device_obj)
        return self.module(*inputs, **kwargs)
