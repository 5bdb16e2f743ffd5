# Tutorial: inside nn.Module.
# Exercises: _parameters / _buffers / _modules, register_buffer (persistent or not) and
# state_dict keys, named_parameters / named_buffers / named_modules / children, forward
# pre-hooks and forward hooks (changing input and output), full backward hooks, hook removal,
# requires_grad_(False) freezing, parameter counting, Module.apply.
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2)
        self.register_buffer("scale", torch.tensor([2.0, 0.5]))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)
        with torch.no_grad():
            self.linear.weight.copy_(torch.tensor([[1.0, -1.0], [0.5, 2.0]]))
            self.linear.bias.copy_(torch.tensor([0.25, -0.25]))

    def forward(self, x):
        return self.linear(x) * self.scale


model = nn.Sequential(Block(), nn.ReLU(), nn.Linear(2, 1))
with torch.no_grad():
    model[2].weight.copy_(torch.tensor([[1.5, -0.5]]))
    model[2].bias.fill_(0.1)

print(list(model[0]._parameters), list(model[0]._buffers), list(model[0]._modules))
print(list(model.state_dict().keys()))
print([name for name, _ in model.named_parameters()])
print([name for name, _ in model.named_buffers()])
print([name for name, _ in model.named_modules()])
print([type(m).__name__ for m in model.children()])
print(sum(p.numel() for p in model.parameters()))

calls = []
pre = model[0].register_forward_pre_hook(lambda module, args: (args[0] + 1,))
post = model[0].register_forward_hook(lambda module, args, output: output - 0.5)
back = model[2].register_full_backward_hook(
    lambda module, grad_input, grad_output: calls.append(
        ([g.shape for g in grad_input if g is not None], [g.shape for g in grad_output])))
x = torch.tensor([[1.0, 2.0], [-1.0, 0.5]])
out = model(x)
print(out)
out.sum().backward()
print(calls)
print(model[0].linear.weight.grad)

for handle in (pre, post, back):
    handle.remove()
print(model(x))

model[0].requires_grad_(False)
print([p.requires_grad for p in model.parameters()])
print(sum(p.numel() for p in model.parameters() if p.requires_grad))

names = []
model.apply(lambda module: names.append(type(module).__name__))
print(names)
