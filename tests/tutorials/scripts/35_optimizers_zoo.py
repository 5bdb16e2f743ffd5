# Every common optimizer on the same small problem; LBFGS with a closure; optimizer state inspection.
import torch
import torch.nn as nn

X = torch.linspace(-2, 2, 40).unsqueeze(1)
y = torch.sin(2 * X) + 0.1 * X ** 2


def make():
    torch.manual_seed(35)
    return nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))


configs = [
    (torch.optim.SGD, dict(lr=0.1)), (torch.optim.SGD, dict(lr=0.05, momentum=0.9, dampening=0.1)),
    (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)),
    (torch.optim.Adam, dict(lr=0.01)), (torch.optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=1e-2)),
    (torch.optim.AdamW, dict(lr=0.01)), (torch.optim.Adamax, dict(lr=0.02)), (torch.optim.NAdam, dict(lr=0.01)),
    (torch.optim.RAdam, dict(lr=0.01)), (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01)),
    (torch.optim.Adadelta, dict(lr=1.0)), (torch.optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (torch.optim.Rprop, dict(lr=0.01)), (torch.optim.ASGD, dict(lr=0.05)),
    (torch.optim.Adam, dict(lr=0.01, maximize=False, foreach=False)),
    (torch.optim.SGD, dict(lr=0.05, momentum=0.9, foreach=True)),
]
for cls, kw in configs:
    model = make()
    opt = cls(model.parameters(), **kw)
    for step in range(25):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
    print(f"{cls.__name__:8s} {kw} {loss.item():.6f}")
print(sorted(opt.state[model[0].weight].keys()))
model = make()
adam = torch.optim.Adam(model.parameters(), lr=0.01)
nn.functional.mse_loss(model(X), y).backward()
adam.step()
st = adam.state[model[2].bias]
print(st["step"], st["exp_avg"], st["exp_avg_sq"])
print(adam.state_dict()["state"][3]["exp_avg"])
model = make()
lbfgs = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=10, history_size=5, line_search_fn="strong_wolfe")


def closure():
    lbfgs.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    return loss


for i in range(3):
    loss = lbfgs.step(closure)
    print("lbfgs", f"{loss.item():.6f}")
model = make()
sgd = torch.optim.SGD(model.parameters(), lr=0.1)
sgd.zero_grad()
print(model[0].weight.grad)
nn.functional.mse_loss(model(X), y).backward()
sgd.zero_grad(set_to_none=False)
print(model[0].bias.grad[:3])
print(torch.optim.Optimizer.__name__, isinstance(sgd, torch.optim.Optimizer), sgd.defaults)
