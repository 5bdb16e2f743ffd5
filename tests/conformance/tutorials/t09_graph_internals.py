# Tutorial: what autograd records.
# Exercises: leaves versus results (is_leaf, grad_fn None), grad_fn.next_functions down to
# AccumulateGrad and its .variable, retain_grad() on a non-leaf, tensor hooks (register_hook
# changing a gradient), torch.autograd.backward(z) as z.backward(), torch.autograd.grad with
# create_graph for a second derivative, retain_graph for a second backward.
import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
c = a * b
d = c.sum() + a.pow(2).mean()
print(a.is_leaf, c.is_leaf, a.grad_fn, type(d.grad_fn).__name__)


def walk(fn, depth=0):
    print("  " * depth + type(fn).__name__)
    for child, _ in fn.next_functions:
        if child is not None:
            walk(child, depth + 1)


walk(d.grad_fn)
accumulate = c.grad_fn.next_functions[0][0]
print(type(accumulate).__name__, accumulate.variable is a)

c.retain_grad()
seen = []
b.register_hook(lambda grad: seen.append(grad.clone()) or grad * 10)
torch.autograd.backward(d, retain_graph=True)
print(a.grad, b.grad, c.grad, seen)

d.backward()                               # the graph was retained: a second pass accumulates
print(a.grad, b.grad)

x = torch.tensor(2.0, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x)
print(dy, d2y)
print(dy.requires_grad, type(dy.grad_fn).__name__)

z = (x * 4).detach()
print(z.requires_grad, z.grad_fn, z.is_leaf)
