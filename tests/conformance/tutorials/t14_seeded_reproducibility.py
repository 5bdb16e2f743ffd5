# Tutorial: reproducible runs with torch.manual_seed.
# Exercises: manual_seed before building a model (default Linear initialisation), dropout masks
# in training mode, DataLoader(shuffle=True) order from the global generator and from an explicit
# torch.Generator, get_rng_state / set_rng_state replaying a stream, and a seeded training run
# giving identical results twice.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def build_and_train(seed):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(p=0.25), nn.Linear(4, 1))
    data = TensorDataset(torch.randn(12, 3), torch.randn(12, 1))
    loader = DataLoader(data, batch_size=4, shuffle=True)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(round(loss.item(), 5))
    return model, losses


model, losses = build_and_train(0)
print(losses)
print(model[0].weight)
print(model[3].bias)
again, losses_again = build_and_train(0)
print(losses_again == losses, torch.equal(model[0].weight, again[0].weight))

torch.manual_seed(7)
print(torch.rand(3), torch.randint(0, 10, (5,)), torch.randperm(6))
dropout = nn.Dropout(p=0.5)
print(dropout(torch.ones(8)))

state = torch.get_rng_state()
first = torch.randn(4)
torch.set_rng_state(state)
print(torch.equal(first, torch.randn(4)), first)

generator = torch.Generator().manual_seed(3)
order = [batch.tolist() for (batch,) in DataLoader(TensorDataset(torch.arange(8)), batch_size=3,
                                                   shuffle=True, generator=generator)]
print(order, torch.initial_seed())
