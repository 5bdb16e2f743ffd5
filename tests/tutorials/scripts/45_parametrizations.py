# The parametrizations tutorial: symmetric / skew weights, chained parametrizations, right_inverse, caching, removal.
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as parametrize
from torch.nn.utils.parametrizations import weight_norm


def symmetric(X):
    return X.triu() + X.triu(1).transpose(-1, -2)


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)


class Skew(nn.Module):
    def forward(self, X):
        A = X.triu(1)
        return A - A.transpose(-1, -2)


class CayleyMap(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.register_buffer("Id", torch.eye(n))

    def forward(self, X):
        return torch.linalg.solve(self.Id - X, self.Id + X)


class NoisyParametrization(nn.Module):
    def forward(self, X):
        return X

    def right_inverse(self, A):
        return A * 2


torch.manual_seed(45)
X = torch.rand(3, 3)
A = symmetric(X)
assert torch.allclose(A, A.T)
print(A)
layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", Symmetric())
A = layer.weight
print(torch.dist(A, A.T).item(), A)
print(layer)
layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", Skew())
print(torch.dist(layer.weight, -layer.weight.T).item())
print(layer.parametrizations.weight.original)
print(layer.parametrizations)
layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", Skew())
parametrize.register_parametrization(layer, "weight", CayleyMap(3))
Q = layer.weight
print(torch.dist(Q.T @ Q, torch.eye(3)) < 1e-5)
with parametrize.cached():
    foo = layer.weight
    print(foo is layer.weight)
print(foo is layer.weight)
layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", NoisyParametrization())
print(layer.parametrizations.weight.original)
layer.weight = torch.eye(3)
print(layer.weight)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
x = torch.randn(5, 3)
for step in range(3):
    loss = layer(x).pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}")
print([n for n, _ in layer.named_parameters()], list(layer.state_dict()))
parametrize.remove_parametrizations(layer, "weight", leave_parametrized=False)
print(layer, layer.weight)
layer = nn.Linear(4, 4)
parametrize.register_parametrization(layer, "weight", Symmetric())
parametrize.remove_parametrizations(layer, "weight", leave_parametrized=True)
print(torch.allclose(layer.weight, layer.weight.T), type(layer).__name__)
wn = weight_norm(nn.Linear(4, 2))
print(wn, wn.parametrizations.weight.original0)
opt = torch.optim.Adam(wn.parameters(), lr=0.01)
for step in range(3):
    loss = wn(x.repeat(1, 2)[:, :4]).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(wn.weight, parametrize.is_parametrized(wn), parametrize.type_before_parametrizations(wn).__name__)
