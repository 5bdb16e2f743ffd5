# Core/utils: torch.utils.checkpoint.checkpoint (activation checkpointing in memory-saving tutorials).
import torch
from torch.utils.checkpoint import checkpoint
torch.manual_seed(0)
lin = torch.nn.Linear(3, 3)
x = torch.randn(2, 3, requires_grad=True)
y = checkpoint(lambda t: lin(t).relu(), x, use_reentrant=False)
y.sum().backward()
print(y, x.grad)
