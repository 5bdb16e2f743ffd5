# Core: torch.func (vmap, grad, functional_call) as the per-sample-gradients and model-ensembling tutorials use it.
import torch
from torch.func import functional_call, grad, vmap
torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
params = {k: v.detach() for k, v in model.named_parameters()}
def loss_fn(p, x, y):
    return ((functional_call(model, p, (x,)) - y) ** 2).mean()
xs, ys = torch.randn(4, 3), torch.randn(4, 1)
per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, xs.unsqueeze(1), ys.unsqueeze(1))
print({k: v.shape for k, v in per_sample.items()}, per_sample["bias"])
