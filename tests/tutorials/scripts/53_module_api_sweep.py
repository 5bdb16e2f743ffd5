# nn.Module API in passing: buffers (persistent or not), containers' list/dict operations, deepcopy, attribute errors.
import copy

import torch
import torch.nn as nn

torch.manual_seed(53)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
        self.head = nn.Linear(4, 2)
        self.register_buffer("running", torch.zeros(2))
        self.register_buffer("scratch", torch.ones(1), persistent=False)
        self.scale = nn.Parameter(torch.tensor(1.5))

    def forward(self, x):
        return self.head(self.body(x)) * self.scale + self.running


net = Net()
print(list(net.state_dict()), [n for n, _ in net.named_buffers()])
print([n for n, _ in net.named_parameters(recurse=False)], [n for n, _ in net.named_modules(prefix="net")])
print([type(m).__name__ for m in net.children()], len(list(net.modules())))
seq = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
print(seq[0:2], seq[-1], len(seq))
seq.append(nn.Sigmoid())
seq.insert(0, nn.Identity())
seq.extend([nn.Flatten()])
print(seq)
del seq[0]
print(len(seq), [type(m).__name__ for m in seq])
ml = nn.ModuleList([nn.Linear(1, 1)])
ml.append(nn.ReLU())
ml.extend([nn.Tanh(), nn.Sigmoid()])
ml.insert(1, nn.Identity())
print([type(m).__name__ for m in ml], ml[1:3])
md = nn.ModuleDict({"a": nn.ReLU()})
md["b"] = nn.Tanh()
md.update({"c": nn.GELU()})
print(list(md.keys()), "b" in md, md.pop("a"), len(md))
pd = nn.ParameterDict({"w": nn.Parameter(torch.ones(2))})
pd["v"] = nn.Parameter(torch.zeros(1))
print(list(pd.keys()), sum(p.numel() for p in pd.values()))
net.add_module("extra", nn.Dropout(0.1))
net.register_module("extra2", nn.Identity())
print([n for n, _ in net.named_children()])
clone = copy.deepcopy(net)
x = torch.randn(2, 3)
print(torch.equal(clone(x), net(x)), clone.body[0].weight is net.body[0].weight)
net.zero_grad()
net(x).sum().backward()
print(net.scale.grad, net.head.bias.grad)
net.zero_grad()
print(net.scale.grad)
for attempt in (lambda: net.missing, lambda: net.get_submodule("body.7"), lambda: net.get_parameter("head.nope"),
                lambda: net.register_buffer("head", torch.ones(1)), lambda: net.register_parameter("x.y", None),
                lambda: nn.Linear(2, 2).load_state_dict({"weight": torch.ones(3, 2), "bias": torch.ones(2)}),
                lambda: setattr(net, "head", torch.ones(1))):
    try:
        attempt()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", str(e).splitlines()[0])
net.half()
print(net.running.dtype, net.scale.dtype, net.scratch.dtype)
net.to(torch.float64)
print(net.head.weight.dtype, net.training)
print(net.train(False).training, net.eval() is net, net.requires_grad_(False).scale.requires_grad)
print(net.extra_repr() == "", repr(net.scale.data), net.state_dict(keep_vars=True)["scale"].requires_grad)
sd = net.state_dict()
sd["running"] += 1
print(net.running)
print(nn.Module.__call__ is type(net).__call__, callable(net), hasattr(net, "forward"))
