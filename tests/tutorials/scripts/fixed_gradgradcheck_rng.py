# Regression (core bug found by this suite, fixed): gradgradcheck draws its random grad_outputs from the global generator, as PyTorch's does.
import torch
torch.manual_seed(0)
m = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
print(torch.autograd.gradgradcheck(lambda t: (t * t).sum(), (m,)))
print(torch.randn(3))
