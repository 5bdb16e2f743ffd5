# torch.profiler / torch.autograd.profiler: only the table's header and the recorded op names are printed.
import torch
import torch.nn as nn
from torch.profiler import ProfilerActivity, profile, record_function

torch.manual_seed(30)
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
inputs = torch.randn(8, 16)
with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    with record_function("model_inference"):
        model(inputs)
table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=10)
lines = table.splitlines()
print(lines[0] == "-" * len(lines[0]) or set(lines[0]) <= {"-", " "})
print(lines[1].split())
names = sorted({evt.key for evt in prof.key_averages()})
print([n for n in names if n in ("model_inference", "aten::linear", "aten::addmm", "aten::relu")])
shapes_table = prof.key_averages(group_by_input_shape=True).table(sort_by="cpu_time_total", row_limit=10)
print(shapes_table.splitlines()[1].split())
with torch.autograd.profiler.profile() as prof2:
    y = (inputs @ inputs.T).sum()
print(sorted({e.key for e in prof2.key_averages()} & {"aten::matmul", "aten::mm", "aten::sum"}))
print(type(prof2.key_averages()).__name__)
