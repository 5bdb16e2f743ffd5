# Tutorial: train() versus eval().
# Exercises: Module.training propagated to children by train()/eval(), nn.Dropout as identity in
# eval mode, nn.BatchNorm1d using batch statistics in training (and updating running_mean /
# running_var / num_batches_tracked) and running statistics in eval mode.
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Dropout(p=0.5),
                      nn.Linear(3, 1))
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[1.0, -1.0], [0.5, 0.5], [-0.25, 2.0]]))
    model[0].bias.copy_(torch.tensor([0.0, 0.1, -0.1]))
    model[4].weight.copy_(torch.tensor([[0.3, -0.6, 0.9]]))
    model[4].bias.fill_(0.05)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])

print(model.training, [m.training for m in model])
model.eval()
print(model.training, [m.training for m in model])
with torch.no_grad():
    print(model(x))                      # running stats are still the initial 0 / 1
print(model[1].running_mean, model[1].running_var, model[1].num_batches_tracked)

model.train()
model[3].p = 0.0                         # keep the training pass deterministic
out = model(x)
print(out)
print(model[1].running_mean)
print(model[1].running_var)
print(model[1].num_batches_tracked)

model.eval()
with torch.no_grad():
    print(model(x))
print(model)
