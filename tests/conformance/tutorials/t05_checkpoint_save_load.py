# Tutorial: saving and loading a training checkpoint.
# Exercises: torch.save of a dict with model / optimizer state_dicts, epoch and loss; torch.load
# (weights_only default); load_state_dict into fresh objects; resuming training reproduces an
# uninterrupted run exactly (Adam's moments and step counts survive the round trip).
import os
import tempfile

import torch
import torch.nn as nn


def make_model():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with torch.no_grad():
        for index, parameter in enumerate(model.parameters()):
            parameter.copy_(torch.linspace(-1.0, 1.0, parameter.numel()).reshape(parameter.shape)
                            / (index + 2))
    return model


inputs = torch.tensor([[0.5, -1.0], [1.0, 2.0], [-1.5, 0.25], [2.0, 1.0]])
targets = torch.tensor([[1.0], [-1.0], [0.5], [2.0]])


def train(model, optimizer, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
    return loss


reference = make_model()
reference_optimizer = torch.optim.Adam(reference.parameters(), lr=0.05)
train(reference, reference_optimizer, 6)

model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss = train(model, optimizer, 3)
path = os.path.join(tempfile.mkdtemp(), "checkpoint.pt")
torch.save({"epoch": 3, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "loss": loss.item()}, path)

checkpoint = torch.load(path)
print(sorted(checkpoint), checkpoint["epoch"], round(checkpoint["loss"], 6))
print(list(checkpoint["model_state_dict"].keys()))
print(checkpoint["optimizer_state_dict"]["param_groups"][0]["lr"],
      sorted(checkpoint["optimizer_state_dict"]["state"][0]))
print(checkpoint["optimizer_state_dict"]["state"][0]["step"])

resumed = make_model()
resumed_optimizer = torch.optim.Adam(resumed.parameters(), lr=0.05)
print(resumed.load_state_dict(checkpoint["model_state_dict"]))
resumed_optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
resumed.train()
train(resumed, resumed_optimizer, 3)

for (name, value), expected in zip(resumed.state_dict().items(), reference.state_dict().values()):
    print(name, torch.equal(value, expected), value)

# Loading the weights only, into a model for inference.
torch.save(resumed.state_dict(), path)
inference = make_model()
inference.load_state_dict(torch.load(path, weights_only=True))
inference.eval()
with torch.no_grad():
    print(inference(inputs))
