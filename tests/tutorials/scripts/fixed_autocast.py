# Core: torch.autocast / torch.amp on the CPU (bfloat16), as the mixed-precision recipe uses it.
import torch
torch.manual_seed(0)
model = torch.nn.Linear(4, 2)
x = torch.randn(3, 4)
with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
    out = model(x)
print(out.dtype, out)
scaler = torch.amp.GradScaler("cpu", enabled=False)
print(scaler.is_enabled())
