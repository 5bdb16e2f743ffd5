# Core: torch.jit.script / torch.jit.trace on a small module (deployment tutorials call them on CPU).
import torch
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU())
traced = torch.jit.trace(m, torch.ones(1, 2))
print(traced(torch.ones(1, 2)))
