# Tutorial: initialising weights.
# Exercises: torch.nn.init (constant_, zeros_, ones_, eye_, uniform_, normal_, xavier_uniform_,
# xavier_normal_, kaiming_uniform_, kaiming_normal_, trunc_normal_, orthogonal_,
# calculate_gain), a custom init applied with Module.apply, and the default initialisation of
# Linear, Conv2d and Embedding after torch.manual_seed.
import torch
import torch.nn as nn

torch.manual_seed(1)
print(nn.Linear(3, 2).weight, nn.Conv2d(1, 1, 2).bias, nn.Embedding(2, 3).weight)

w = torch.empty(3, 4)
for name, initialise in [
    ("constant", lambda t: nn.init.constant_(t, 0.3)),
    ("zeros", nn.init.zeros_),
    ("ones", nn.init.ones_),
    ("eye", nn.init.eye_),
    ("uniform", lambda t: nn.init.uniform_(t, -0.1, 0.1)),
    ("normal", lambda t: nn.init.normal_(t, mean=1.0, std=0.5)),
    ("xavier_uniform", lambda t: nn.init.xavier_uniform_(t, gain=nn.init.calculate_gain("tanh"))),
    ("xavier_normal", nn.init.xavier_normal_),
    ("kaiming_uniform", lambda t: nn.init.kaiming_uniform_(t, a=0.1, nonlinearity="leaky_relu")),
    ("kaiming_normal", lambda t: nn.init.kaiming_normal_(t, mode="fan_out")),
    ("trunc_normal", lambda t: nn.init.trunc_normal_(t, std=0.02, a=-0.03, b=0.03)),
    ("orthogonal", nn.init.orthogonal_),
]:
    torch.manual_seed(2)
    with torch.no_grad():
        initialise(w)
    print(name, w)

print([round(nn.init.calculate_gain(n), 6) for n in ("linear", "relu", "tanh", "sigmoid", "selu")],
      round(nn.init.calculate_gain("leaky_relu", 0.2), 6))


def init_weights(module):
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


torch.manual_seed(3)
model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
model.apply(init_weights)
print(model[0].weight, model[2].bias)
q = model[0].weight @ model[0].weight.T
print(q.shape)
