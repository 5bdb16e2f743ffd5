# Regression (core bug found by this suite, fixed): linspace computes its points as PyTorch does (from both ends), so the middle value is not exactly 0.
import torch
print(torch.linspace(-1, 1, steps=7))
print(torch.linspace(-1, 1, steps=7).tolist())
