# Saving and loading models: state_dict for inference, whole models, multiple models, warm-starting, map_location.
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class TheModelClass(nn.Module):
    def __init__(self):
        super(TheModelClass, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


torch.manual_seed(50)
model = TheModelClass()
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
model(torch.randn(2, 3, 32, 32)).sum().backward()
optimizer.step()
print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", model.state_dict()[param_tensor].size())
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\t", optimizer.state_dict()[var_name])
d = tempfile.mkdtemp()
PATH = os.path.join(d, "model.pt")
torch.save(model.state_dict(), PATH)
model2 = TheModelClass()
model2.load_state_dict(torch.load(PATH, weights_only=True))
model2.eval()
x = torch.randn(1, 3, 32, 32)
print(torch.equal(model(x), model2(x)))
torch.save(model, PATH)
model3 = torch.load(PATH, weights_only=False)
model3.eval()
print(type(model3).__name__, torch.equal(model(x), model3(x)))
modelA, modelB = TheModelClass(), TheModelClass()
optimizerA, optimizerB = optim.SGD(modelA.parameters(), lr=0.1), optim.Adam(modelB.parameters())
torch.save({'modelA_state_dict': modelA.state_dict(), 'modelB_state_dict': modelB.state_dict(),
            'optimizerA_state_dict': optimizerA.state_dict(), 'optimizerB_state_dict': optimizerB.state_dict()},
           os.path.join(d, "multi.tar"))
checkpoint = torch.load(os.path.join(d, "multi.tar"), weights_only=True)
modelA.load_state_dict(checkpoint['modelA_state_dict'])
optimizerB.load_state_dict(checkpoint['optimizerB_state_dict'])
print(sorted(checkpoint), optimizerB.state_dict()["param_groups"][0]["betas"])


class Bigger(TheModelClass):
    def __init__(self):
        super().__init__()
        self.fc4 = nn.Linear(10, 2)


modelB = Bigger()
result = modelB.load_state_dict(torch.load(os.path.join(d, "model_sd.pt"), weights_only=True) if False
                                else model.state_dict(), strict=False)
print(result, result.missing_keys, result.unexpected_keys)
torch.save(model.state_dict(), PATH)
sd = torch.load(PATH, map_location=torch.device('cpu'), weights_only=True)
print(sd["fc3.bias"].device, sd["fc3.bias"])
sd = torch.load(PATH, map_location="cpu", mmap=True, weights_only=True)
print(sd["fc3.bias"].shape)
renamed = {("backbone." + k): v for k, v in model.state_dict().items()}
wrapper = nn.Module()
wrapper.backbone = TheModelClass()
print(wrapper.load_state_dict(renamed))
print(os.path.getsize(PATH) > 0, list(sd.keys())[:3])
