# Regression (core bug found by this suite, fixed): resize_ on a tensor that requires grad raises as PyTorch does.
import torch
try:
    torch.ones(2, 2, requires_grad=True).resize_(4)
    print("no error")
except RuntimeError as e:
    print("RuntimeError:", e)
