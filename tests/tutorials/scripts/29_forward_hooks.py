# register_forward_hook feature extraction, forward pre-hooks, full backward hooks, hook removal.
import torch
import torch.nn as nn

torch.manual_seed(29)
model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(4, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))
features = {}


def get_activation(name):
    def hook(model, input, output):
        features[name] = output.detach()
    return hook


handles = [model[1].register_forward_hook(get_activation('relu1')),
           model[5].register_forward_hook(get_activation('pooled'))]
x = torch.randn(2, 3, 8, 8)
out = model(x)
print({k: tuple(v.shape) for k, v in features.items()})
print(features['pooled'].flatten(1), features['relu1'].mean())
for h in handles:
    h.remove()
features.clear()
model(x)
print(features)
calls = []


def pre_hook(module, args):
    calls.append(("pre", type(module).__name__, tuple(args[0].shape)))
    return (args[0] * 2,)


def fwd_hook(module, args, output):
    calls.append(("fwd", type(module).__name__))
    return output + 1


h1 = model[7].register_forward_pre_hook(pre_hook)
h2 = model[7].register_forward_hook(fwd_hook)
print(model(x))
print(calls)
h1.remove()
h2.remove()
grads = []
hb = model[7].register_full_backward_hook(lambda m, gin, gout: grads.append((gin[0].shape, gout[0].shape)))
model(x).sum().backward()
print(grads)
hb.remove()


def kwargs_hook(module, args, kwargs, output):
    calls.append(("kw", sorted(kwargs)))


class WithKw(nn.Module):
    def forward(self, x, scale=1.0):
        return x * scale


wk = WithKw()
wk.register_forward_hook(kwargs_hook, with_kwargs=True)
print(wk(torch.ones(2), scale=3.0), calls[-1])
activations = []
for name, module in model.named_modules():
    if isinstance(module, nn.Conv2d):
        module.register_forward_hook(lambda m, i, o, name=name: activations.append((name, o.shape)))
model(x)
print(activations)
t = torch.ones(3, requires_grad=True)
t.register_hook(lambda g: print("grad seen", g))
(t * 3).sum().backward()
lin = nn.Linear(2, 2)
lin.register_forward_pre_hook(lambda m, a: None)
print(len(lin._forward_pre_hooks), len(model._forward_hooks))
