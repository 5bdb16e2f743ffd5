# Tutorial: inference without autograd.
# Exercises: torch.no_grad() as a context manager and as a decorator, torch.set_grad_enabled,
# torch.is_grad_enabled, torch.inference_mode, requires_grad / grad_fn of results, detach().
import torch
import torch.nn as nn

model = nn.Linear(3, 2)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -1.0, 0.25], [1.5, 0.0, -0.5]]))
    model.bias.copy_(torch.tensor([0.1, -0.2]))
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])

y = model(x)
print(y.requires_grad, type(y.grad_fn).__name__)

with torch.no_grad():
    print(torch.is_grad_enabled())
    y = model(x)
print(torch.is_grad_enabled())
print(y)
print(y.requires_grad, y.grad_fn)


@torch.no_grad()
def predict(batch):
    return model(batch).argmax(dim=1)


print(predict(x))

with torch.set_grad_enabled(False):
    z = model(x) * 2
print(z.requires_grad)

torch.set_grad_enabled(False)
print(torch.is_grad_enabled(), model(x).requires_grad)
torch.set_grad_enabled(True)
print(torch.is_grad_enabled(), model(x).requires_grad)

with torch.inference_mode():
    w = model(x)
print(w.requires_grad, w.is_inference())

d = model(x).detach()
print(d.requires_grad, d.grad_fn, d)

# Parameters still require grad after inference; only results made under no_grad do not.
print([p.requires_grad for p in model.parameters()])
