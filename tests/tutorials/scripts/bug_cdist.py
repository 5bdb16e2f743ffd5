# Core: torch.cdist (pairwise distances, as k-NN and prototype tutorials use).
import torch
torch.manual_seed(0)
a = torch.randn(4, 3)
b = torch.randn(5, 3)
print(torch.cdist(a, b), torch.cdist(a, b, p=1).argmin(1))
