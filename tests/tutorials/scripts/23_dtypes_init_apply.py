# Mixed dtypes (.double(), .half(), .to()), torch.nn.init schemes and model.apply(init_fn).
import math

import torch
import torch.nn as nn

torch.manual_seed(23)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
print(model[0].weight.dtype)
model.double()
print(model[0].weight.dtype, model(torch.randn(2, 4, dtype=torch.float64)).dtype)
model.float()
model.half()
print(model[2].bias.dtype, model[2].bias)
model.to(torch.float32)
x = torch.randn(3, 4)
print(x.double().dtype, x.half().dtype, x.int().dtype, x.long().dtype, x.bool().dtype, x.to(torch.bfloat16).dtype)
print(x.half().float(), x.to(torch.bfloat16))
print(x.type(torch.float64).dtype, x.type(), x.double().type(), x.new_zeros(2).dtype, x.new_tensor([1, 2]).dtype)
print(torch.tensor([1, 2]) + torch.tensor([0.5]), (torch.tensor([1, 2]) * 2.5).dtype, torch.tensor([True]) + 1)
print(torch.result_type(torch.tensor([1]), 1.0), torch.promote_types(torch.int32, torch.float16), torch.can_cast(torch.float32, torch.int32))
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float16).max, torch.iinfo(torch.int8).min, torch.finfo(torch.float64).tiny)
h = torch.tensor([1000.0, 0.001, 65504.0]).half()
print(h, h * 2, h.sum(), torch.tensor([1 / 3]).bfloat16().item())


def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


model.apply(init_weights)
print(model[0].weight, model[0].bias)
w = torch.empty(3, 5)
for fn in [lambda t: nn.init.uniform_(t, a=-0.1, b=0.1), lambda t: nn.init.normal_(t, std=0.02),
           nn.init.xavier_normal_, lambda t: nn.init.kaiming_uniform_(t, a=math.sqrt(5)),
           lambda t: nn.init.kaiming_normal_(t, mode='fan_out', nonlinearity='relu'),
           lambda t: nn.init.trunc_normal_(t, std=0.5, a=-1, b=1), nn.init.orthogonal_,
           lambda t: nn.init.sparse_(t, sparsity=0.4), nn.init.ones_, nn.init.zeros_, nn.init.eye_,
           lambda t: nn.init.constant_(t, 0.3)]:
    fn(w)
    print(w)
conv = torch.empty(2, 3, 3, 3)
nn.init.dirac_(conv[:, :2])
print(conv[0, 0])
print(nn.init.calculate_gain('leaky_relu', 0.2), nn.init.calculate_gain('tanh'), nn.init.calculate_gain('selu'))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 2)
        self.reset_parameters()

    def reset_parameters(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)


b = Block()
print(b.conv.weight[0, 0], b.fc.weight)
print(b.conv.weight.std().item() > 0, [n for n, _ in b.named_modules()])
