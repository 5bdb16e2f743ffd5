# Tutorial: training a small convolutional network (the seed documents' ConvNet, fixed up).
# Exercises: nn.Conv2d (padding, stride), F.max_pool2d, nn.BatchNorm2d, flatten, nn.Linear,
# F.cross_entropy, SGD with momentum and weight decay over a few steps, accuracy with argmax
# under torch.no_grad, and the shapes at every stage; weights from torch.manual_seed.
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3, stride=2, padding=1)
        self.fc = nn.Linear(8 * 4 * 4, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


torch.manual_seed(0)
net = ConvNet()
images = torch.linspace(-1.0, 1.0, 6 * 16 * 16).reshape(6, 1, 16, 16).sin()
labels = torch.tensor([0, 1, 2, 0, 1, 2])
print(net)
print(net.conv1(images).shape, net.conv2(torch.zeros(6, 4, 8, 8)).shape)

optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
for step in range(4):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(images), labels)
    loss.backward()
    optimizer.step()
    print(step, round(loss.item(), 5), round(net.conv1.weight.grad.abs().sum().item(), 5))

net.eval()
with torch.no_grad():
    logits = net(images)
print(logits)
print(logits.argmax(dim=1), (logits.argmax(dim=1) == labels).float().mean())
print(net.bn1.running_mean, net.bn1.num_batches_tracked)
