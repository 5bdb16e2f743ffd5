# Tutorial: automatic mixed precision on the CPU.
# Exercises: torch.autocast("cpu", dtype=torch.bfloat16) making matmul-like ops (linear) run in
# bfloat16 while parameters stay float32, autocast disabled inside a nested region, the float32
# gradients of the float32 parameters, and torch.is_autocast_enabled.
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
with torch.no_grad():
    model.weight.copy_(torch.linspace(-1.0, 1.0, 8).reshape(2, 4))
    model.bias.copy_(torch.tensor([0.1, -0.1]))
x = torch.linspace(-2.0, 2.0, 12).reshape(3, 4)

with torch.autocast("cpu", dtype=torch.bfloat16):
    print(torch.is_autocast_enabled("cpu"))
    y = model(x)
    s = y.float().sum()
    with torch.autocast("cpu", enabled=False):
        z = model(x)
print(torch.is_autocast_enabled("cpu"))
print(y.dtype, y, z.dtype, model.weight.dtype)
s.backward()
print(model.weight.grad.dtype, model.weight.grad)
print(model.bias.grad)
