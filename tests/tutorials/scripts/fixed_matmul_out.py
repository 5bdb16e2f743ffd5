# Regression (core bug found by this suite, fixed): torch.matmul(..., out=) writes into and returns the out tensor.
import torch
tensor = torch.ones(4, 4)
y3 = torch.zeros(4, 4)
r = torch.matmul(tensor, tensor.T, out=y3)
print(y3, r is y3)
