# Tutorial: in-place operations.
# Exercises: trailing-underscore methods (add_, mul_, clamp_, zero_, copy_, fill_), in-place
# through a view, the version counter, and the errors autograd raises: an in-place op on a leaf
# that requires grad, and a tensor saved for backward modified in place.
import torch

a = torch.tensor([1.0, -2.0, 3.0, -4.0])
b = a.add_(1)
print(a, b is a)
a.mul_(2).clamp_(min=-3.0, max=5.0)
print(a)
view = a[1:3]
view.fill_(7.0)
print(a)
a.zero_()
print(a)
a.copy_(torch.tensor([4.0, 3.0, 2.0, 1.0]))
print(a, a._version)

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
try:
    x.add_(1)
except RuntimeError as error:
    print("RuntimeError:", str(error).splitlines()[0])

with torch.no_grad():
    x.add_(1)                             # allowed: updating a parameter without recording it
print(x, x.is_leaf)

y = x.exp()
y.add_(1)                                 # exp's backward needs its output, now modified
try:
    y.sum().backward()
except RuntimeError as error:
    print("RuntimeError:", str(error).split(":")[0])

z = x * 2
z.add_(1)                                 # mul's backward does not need z: fine
z.sum().backward()
print(x.grad)

w = torch.ones(2, 2)
w.t_()
w[0].mul_(3)
print(w)
