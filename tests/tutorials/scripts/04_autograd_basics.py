# Autograd tutorial: requires_grad, grad_fn chains, backward, no_grad, detach.
import torch

x = torch.ones(5)
y = torch.zeros(3)
torch.manual_seed(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}".split(" object")[0])
print(f"Gradient function for loss = {loss.grad_fn}".split(" object")[0])
print(type(z.grad_fn).__name__, type(loss.grad_fn).__name__)
print([type(f).__name__ if f is not None else None for f, _ in z.grad_fn.next_functions])
loss.backward()
print(w.grad)
print(b.grad)
z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad, z.is_leaf, w.is_leaf, z_det.is_leaf)
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")
a = torch.tensor([2., 3.], requires_grad=True)
bb = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a ** 3 - bb ** 2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a ** 2 == a.grad, -2 * bb == bb.grad)
print(Q)
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y.grad_fn.name() if hasattr(y.grad_fn, "name") else "")
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
print(x.requires_grad, (x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
print(torch.is_grad_enabled())
torch.set_grad_enabled(False)
print((x * 2).requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)


@torch.no_grad()
def doubler(t):
    return t * 2


print(doubler(x).requires_grad)
with torch.enable_grad():
    print((x * 2).requires_grad)
with torch.inference_mode():
    print((x * 2).requires_grad, torch.is_inference_mode_enabled())
p = torch.tensor(1.0, requires_grad=True)
q = p * 3
q.backward()
try:
    q.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).split(".")[0])
try:
    (torch.ones(2, requires_grad=True) * 2).backward()
except RuntimeError as e:
    print("RuntimeError:", e)
leaf = torch.ones(2, requires_grad=True)
try:
    leaf.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(x.grad is None, p.grad, p.grad_fn, q.grad_fn.next_functions[0][0].variable is p)
