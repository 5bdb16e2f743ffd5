# Core: torch.dist records PyTorch's DistBackward0 node (the parametrizations tutorial prints it).
import torch
a = torch.ones(2, 2, requires_grad=True)
print(torch.dist(a, a.T), torch.dist(a, torch.zeros(2, 2), p=1))
