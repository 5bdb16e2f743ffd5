# A TextCNN (Conv1d over embeddings, max-over-time pooling) and a small ResNet with skip connections.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(38)


class TextCNN(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=16, num_filters=8, kernel_sizes=(2, 3, 4), num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, num_filters, k) for k in kernel_sizes])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)

    def forward(self, x):
        x = self.embedding(x).permute(0, 2, 1)
        x = [F.relu(conv(x)) for conv in self.convs]
        x = [F.max_pool1d(c, c.size(2)).squeeze(2) for c in x]
        return self.fc(self.dropout(torch.cat(x, 1)))


tokens = torch.randint(0, 50, (8, 12))
labels = torch.randint(0, 3, (8,))
model = TextCNN()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(model(tokens), labels)
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.5f}")


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.layer1 = BasicBlock(8, 8)
        self.layer2 = BasicBlock(8, 16, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.linear = nn.Linear(16, num_classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer2(self.layer1(out))
        out = self.avgpool(out).view(out.size(0), -1)
        return self.linear(out)


net = ResNet()
print(net)
images = torch.randn(4, 3, 12, 12)
targets = torch.tensor([0, 1, 2, 3])
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
for step in range(4):
    opt.zero_grad()
    out = net(images)
    loss = F.cross_entropy(out, targets)
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.5f}", out.argmax(1).tolist())
net.eval()
with torch.no_grad():
    print(net(images)[0], net.layer2.shortcut[1].running_var[:4])
print(F.avg_pool2d(images, 2).shape, F.adaptive_max_pool2d(images, (3, 3)).shape, F.max_pool2d(images, 3, 2, 1, return_indices=True)[1][0, 0, 0])
