# Fine-tuning: freeze a backbone, replace the head, optimise only trainable params, unfreeze later.
import torch
import torch.nn as nn


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(inplace=True),
                                      nn.AdaptiveAvgPool2d((1, 1)))
        self.fc = nn.Linear(16, 1000)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


torch.manual_seed(33)
model_ft = Backbone()
pretrained = {k: v.clone() for k, v in model_ft.state_dict().items()}
for param in model_ft.parameters():
    param.requires_grad = False
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, 2)
print(model_ft.fc, num_ftrs)
trainable = [n for n, p in model_ft.named_parameters() if p.requires_grad]
print(trainable)
optimizer_ft = torch.optim.SGD(model_ft.fc.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer_ft, step_size=7, gamma=0.1)
criterion = nn.CrossEntropyLoss()
inputs, labels = torch.randn(6, 3, 16, 16), torch.tensor([0, 1, 1, 0, 1, 0])
best_acc = 0.0
for epoch in range(3):
    for phase in ['train', 'val']:
        model_ft.train() if phase == 'train' else model_ft.eval()
        optimizer_ft.zero_grad()
        with torch.set_grad_enabled(phase == 'train'):
            outputs = model_ft(inputs)
            _, preds = torch.max(outputs, 1)
            loss = criterion(outputs, labels)
            if phase == 'train':
                loss.backward()
                optimizer_ft.step()
        running_corrects = torch.sum(preds == labels.data)
        epoch_acc = running_corrects.double() / len(labels)
        print(f'{phase} Loss: {loss.item():.4f} Acc: {epoch_acc:.4f}')
        if phase == 'val' and epoch_acc > best_acc:
            best_acc = epoch_acc
    exp_lr_scheduler.step()
print(f'Best val Acc: {best_acc:4f}')
print(torch.equal(model_ft.features[0].weight, pretrained["features.0.weight"]),
      torch.equal(model_ft.features[1].running_mean, pretrained["features.1.running_mean"]))
for p in model_ft.features[4].parameters():
    p.requires_grad_(True)
optimizer = torch.optim.Adam([{"params": model_ft.features[4].parameters(), "lr": 1e-4},
                              {"params": model_ft.fc.parameters()}], lr=1e-3)
model_ft.train()
loss = criterion(model_ft(inputs), labels)
loss.backward()
optimizer.step()
print(model_ft.features[4].bias.grad, model_ft.features[0].weight.grad)
new_sd = model_ft.state_dict()
missing = model_ft.load_state_dict({k: v for k, v in pretrained.items() if not k.startswith("fc.")}, strict=False)
print(missing)
print(sum(p.numel() for p in model_ft.parameters() if p.requires_grad))
