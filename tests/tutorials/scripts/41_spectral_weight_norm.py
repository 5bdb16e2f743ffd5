# Normalised layers as GAN and TCN code writes them: spectral_norm discriminator, weight_norm temporal conv block.
import warnings

import torch
import torch.nn as nn
from torch.nn.utils import remove_weight_norm, spectral_norm, weight_norm

warnings.simplefilter("ignore", FutureWarning)
torch.manual_seed(41)
D = nn.Sequential(spectral_norm(nn.Linear(2, 16)), nn.LeakyReLU(0.2), spectral_norm(nn.Linear(16, 1)))
print(D)
print([n for n, _ in D.named_parameters()], [n for n, _ in D.named_buffers()])
opt = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.9))
real, fake = torch.randn(8, 2) + 2, torch.randn(8, 2)
for step in range(4):
    loss = torch.relu(1 - D(real)).mean() + torch.relu(1 + D(fake)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}", D[0].weight_u[:3])
print(torch.linalg.matrix_norm(D[2].weight.detach(), 2))


class Chomp1d(nn.Module):
    def __init__(self, chomp_size):
        super().__init__()
        self.chomp_size = chomp_size

    def forward(self, x):
        return x[:, :, :-self.chomp_size].contiguous()


class TemporalBlock(nn.Module):
    def __init__(self, n_inputs, n_outputs, kernel_size, stride, dilation, padding, dropout=0.2):
        super().__init__()
        self.conv1 = weight_norm(nn.Conv1d(n_inputs, n_outputs, kernel_size, stride=stride, padding=padding,
                                           dilation=dilation))
        self.chomp1 = Chomp1d(padding)
        self.relu1 = nn.ReLU()
        self.dropout1 = nn.Dropout(dropout)
        self.net = nn.Sequential(self.conv1, self.chomp1, self.relu1, self.dropout1)
        self.downsample = nn.Conv1d(n_inputs, n_outputs, 1) if n_inputs != n_outputs else None
        self.relu = nn.ReLU()
        self.conv1.weight_v.data.normal_(0, 0.01)

    def forward(self, x):
        out = self.net(x)
        res = x if self.downsample is None else self.downsample(x)
        return self.relu(out + res)


block = TemporalBlock(3, 4, kernel_size=3, stride=1, dilation=2, padding=4)
x = torch.randn(2, 3, 10)
opt = torch.optim.SGD(block.parameters(), lr=0.1)
for step in range(3):
    out = block(x)
    loss = out.pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.6f}", block.conv1.weight_g.grad.flatten()[:2])
print(block.conv1.weight.grad_fn.name(), block.conv1.weight_g.shape)
remove_weight_norm(block.conv1)
print(sorted(block.conv1.state_dict()))
