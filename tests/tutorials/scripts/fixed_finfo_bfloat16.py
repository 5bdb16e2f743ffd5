# Regression (core bug found by this suite, fixed): torch.finfo(torch.bfloat16).
import torch
fi = torch.finfo(torch.bfloat16)
print(fi.eps, fi.max, fi.tiny, fi.bits, fi.dtype)
print(fi)
