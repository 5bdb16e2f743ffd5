# `import torch` alone binds the submodules scripts reach as attributes (torch.testing, torch.special, ...).
import torch
torch.testing.assert_close(torch.ones(2), torch.ones(2))
print(torch.special.expit(torch.zeros(1)), torch.multiprocessing.get_start_method(allow_none=True) in (None, "fork"))
