# Tutorial: profiling a model.
# Exercises: torch.profiler.profile(activities=[ProfilerActivity.CPU], record_shapes=True),
# torch.profiler.record_function labels, key_averages() (keys, counts, input shapes) and the
# table's columns; torch.autograd.profiler.profile as the older spelling.
#
# Timings vary, so only what does not depend on them is printed.
import torch
import torch.nn as nn
from torch.profiler import ProfilerActivity, profile, record_function

model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
inputs = torch.ones(2, 4)

with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    with record_function("model_inference"):
        model(inputs)

averages = {event.key: event for event in prof.key_averages()}
for name in ("model_inference", "aten::linear", "aten::addmm", "aten::relu"):
    print(name, name in averages, averages[name].count if name in averages else None)
by_shape = prof.key_averages(group_by_input_shape=True)
print([event.input_shapes for event in by_shape if event.key == "aten::relu"])
table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=5)
print([line.split() for line in table.splitlines()[:3]][1][:3])
print(table.strip().splitlines()[-1].split(":")[0])

with torch.autograd.profiler.profile() as old_prof:
    model(inputs).sum()
print(sorted(e.key for e in old_prof.key_averages() if e.key in ("aten::linear", "aten::relu",
                                                                  "aten::sum")))
