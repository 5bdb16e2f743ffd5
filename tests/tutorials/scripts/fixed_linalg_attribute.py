# Regression (core bug found by this suite, fixed): torch.linalg is reachable right after `import torch`, and torch.inverse / torch.det exist.
import torch
a = torch.arange(6.).view(2, 3)
print(torch.inverse(torch.eye(3) * 2), torch.det(torch.eye(3) * 2))
print(torch.linalg.norm(a, ord=1, dim=0), torch.linalg.inv(torch.eye(2) * 2))
X = torch.tensor([[1., 0.], [1., 1.], [1., 2.]])
print(torch.linalg.lstsq(X, torch.tensor([[1.], [2.], [2.]])).solution)
