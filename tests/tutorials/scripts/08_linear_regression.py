# Linear regression with nn.Linear, compared against the closed-form least-squares solution.
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(8)
X = torch.randn(100, 3)
true_w = torch.tensor([[2.0], [-3.4], [1.2]])
y = X @ true_w + 4.2 + 0.01 * torch.randn(100, 1)
model = nn.Linear(3, 1)
print(model.weight, model.bias)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(60):
    pred = model(X)
    loss = loss_fn(pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d} loss {loss.item():.6f}")
print(model.weight.data, model.bias.data)
Xb = torch.cat([X, torch.ones(100, 1)], dim=1)
closed = torch.from_numpy(np.linalg.lstsq(Xb.double().numpy(), y.double().numpy(), rcond=None)[0]).float()
print(closed.squeeze())
print(torch.allclose(closed[:3].T, model.weight.data, atol=1e-2), abs(closed[3].item() - model.bias.item()) < 1e-2)
w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for epoch in range(30):
    loss = ((X @ w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
print(w.squeeze(), b, loss)
