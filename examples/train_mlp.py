"""A small MLP trained on synthetic data: a plain PyTorch script.

Run it on tritongrad, unchanged:   python -m tritongrad run examples/train_mlp.py
(or with real PyTorch:             python examples/train_mlp.py)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)

# synthetic 3-class problem: the class is which of three random directions the point is closest to
centers = torch.randn(3, 8) * 2
labels = torch.randint(0, 3, (512,))
inputs = centers[labels] + torch.randn(512, 8)
loader = DataLoader(TensorDataset(inputs, labels), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

for epoch in range(5):
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * x.shape[0]
    print(f"epoch {epoch}: loss {total / len(inputs):.4f}")

model.eval()
with torch.no_grad():
    accuracy = (model(inputs).argmax(dim=1) == labels).float().mean().item()
print(f"accuracy {accuracy:.3f}")
