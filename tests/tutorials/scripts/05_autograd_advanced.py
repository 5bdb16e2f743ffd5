# Jacobian-vector products, torch.autograd.grad, higher-order gradients and hooks.
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp

torch.manual_seed(4)
x = torch.randn(3, requires_grad=True)
y = x ** 3 + x.sin()
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g)
g2, = torch.autograd.grad(g.sum(), x)
print(g2)


def f(t):
    return t.exp() * t.sum()


print(jacobian(f, torch.tensor([0.5, -1.0, 2.0])))
print(hessian(lambda t: (t ** 3).sum(), torch.tensor([1.0, 2.0])))
print(vjp(f, torch.tensor([0.5, 1.0]), torch.tensor([1.0, 0.0])))
print(jvp(f, torch.tensor([0.5, 1.0]), torch.tensor([1.0, 0.0])))
grads = []
w = torch.randn(4, requires_grad=True)
h = w.register_hook(lambda grad: grads.append(grad.clone()))
hm = w.register_hook(lambda grad: grad * 10)
(w * w).sum().backward()
print(grads, w.grad)
h.remove()
hm.remove()
w.grad = None
(w * w).sum().backward()
print(len(grads), w.grad)
a = torch.randn(2, 2, requires_grad=True)
b = a * 2
b.retain_grad()
c = b.mean()
c.backward()
print(b.grad, a.grad, b.is_leaf, b.retains_grad)
u = torch.tensor([1.0, 2.0], requires_grad=True)
v = u.detach().requires_grad_()
print(v.requires_grad, v.grad_fn, u.data_ptr() == v.data_ptr())
z = torch.tensor(2.0, requires_grad=True)
out = z * z
out2 = torch.autograd.grad(out, z, retain_graph=True)
print(out2, torch.autograd.grad([out, out * 2], [z], grad_outputs=[torch.tensor(1.0), torch.tensor(0.5)]))
m = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradcheck(lambda t: (t @ t).tanh(), (m,)))
p = torch.randn(3, requires_grad=True)
q = torch.randn(3, requires_grad=True)
res = torch.autograd.grad((p * q).sum(), [p, q], allow_unused=False)
print(res)
r = torch.randn(3, requires_grad=True)
print(torch.autograd.grad((p * 2).sum(), [p, r], allow_unused=True))
print(torch.autograd.gradgradcheck(lambda t: (t * t).sum(), (m,)))
