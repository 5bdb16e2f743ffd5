# Regression (core bug found by this suite, fixed): AccumulateGrad's name() is 'torch::autograd::AccumulateGrad' as in PyTorch.
import torch
import torch.nn as nn
torch.manual_seed(0)
lin = nn.Linear(3, 2)
loss = nn.MSELoss()(lin(torch.randn(1, 3)), torch.zeros(1, 2))
print(loss.grad_fn.name())
print(loss.grad_fn.next_functions[0][0].name())
print(loss.grad_fn.next_functions[0][0].next_functions[0][0].name())
