# Gradient clipping (norm and value), parameter groups with and without weight decay, per-group lr.
import torch
import torch.nn as nn

torch.manual_seed(20)
model = nn.Sequential(nn.Linear(6, 12), nn.LayerNorm(12), nn.GELU(), nn.Linear(12, 3))
decay, no_decay = [], []
for name, param in model.named_parameters():
    if name.endswith("bias") or "1." in name:
        no_decay.append(param)
    else:
        decay.append(param)
print(len(decay), len(no_decay))
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                               {"params": no_decay, "weight_decay": 0.0}], lr=3e-3, betas=(0.9, 0.95))
print(optimizer)
X, y = torch.randn(20, 6), torch.randint(0, 3, (20,))
for step in range(8):
    optimizer.zero_grad(set_to_none=True)
    loss = nn.functional.cross_entropy(model(X) * 5, y, label_smoothing=0.1)
    loss.backward()
    total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
    print(step, f"{loss.item():.6f}", f"{total_norm.item():.6f}")
    optimizer.step()
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.01)
print(model[0].bias.grad)
print(nn.utils.clip_grad_norm_(model.parameters(), 1.0, norm_type=float("inf")))
print(nn.utils.clip_grad_norm_([p for p in model.parameters()], 1.0, norm_type=1.0))
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape, vec[:4])
nn.utils.vector_to_parameters(vec * 0.5, model.parameters())
print(model[3].bias)
sgd = torch.optim.SGD([{"params": model[0].parameters()}, {"params": model[3].parameters(), "lr": 0.01}],
                      lr=0.1, momentum=0.9, weight_decay=1e-4, nesterov=True)
for step in range(3):
    sgd.zero_grad()
    nn.functional.cross_entropy(model(X), y).backward()
    sgd.step()
print([g["lr"] for g in sgd.param_groups], model[3].weight[0])
sgd.add_param_group({"params": model[1].parameters(), "lr": 0.5})
print(len(sgd.param_groups), sgd.param_groups[2]["momentum"], sgd.param_groups[2]["weight_decay"])
print(sgd.state_dict()["param_groups"])
