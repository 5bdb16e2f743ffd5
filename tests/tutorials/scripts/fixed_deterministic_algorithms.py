# Regression (core bug found by this suite, fixed): torch.use_deterministic_algorithms(True) (training-script boilerplate).
import torch
torch.use_deterministic_algorithms(True)
print(torch.are_deterministic_algorithms_enabled())
torch.use_deterministic_algorithms(False)
print(torch.are_deterministic_algorithms_enabled())
