# Gradients w.r.t. inputs: FGSM adversarial examples, and neural-style Gram-matrix losses optimised with LBFGS.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(51)
net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 10), nn.LogSoftmax(1))
net.eval()


def fgsm_attack(image, epsilon, data_grad):
    sign_data_grad = data_grad.sign()
    perturbed_image = image + epsilon * sign_data_grad
    return torch.clamp(perturbed_image, 0, 1)


data = torch.rand(4, 1, 8, 8)
target = torch.tensor([1, 2, 3, 4])
for epsilon in [0, 0.05, 0.1, 0.3]:
    d = data.clone().requires_grad_(True)
    output = net(d)
    init_pred = output.max(1, keepdim=True)[1]
    loss = F.nll_loss(output, target)
    net.zero_grad()
    loss.backward()
    perturbed = fgsm_attack(d, epsilon, d.grad.data)
    final_pred = net(perturbed).max(1, keepdim=True)[1]
    print(epsilon, init_pred.flatten().tolist(), final_pred.flatten().tolist(), f"{loss.item():.6f}",
          d.grad.abs().sum().item() > 0)


def gram_matrix(input):
    a, b, c, d = input.size()
    features = input.view(a * b, c * d)
    G = torch.mm(features, features.t())
    return G.div(a * b * c * d)


class StyleLoss(nn.Module):
    def __init__(self, target_feature):
        super().__init__()
        self.target = gram_matrix(target_feature).detach()

    def forward(self, input):
        self.loss = F.mse_loss(gram_matrix(input), self.target)
        return input


class ContentLoss(nn.Module):
    def __init__(self, target):
        super().__init__()
        self.target = target.detach()

    def forward(self, input):
        self.loss = F.mse_loss(input, self.target)
        return input


features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1)).eval()
for p in features.parameters():
    p.requires_grad_(False)
style_img, content_img = torch.rand(1, 3, 12, 12), torch.rand(1, 3, 12, 12)
style_loss = StyleLoss(features(style_img))
content_loss = ContentLoss(features(content_img))
model = nn.Sequential(features, style_loss, content_loss)
input_img = content_img.clone()
input_img.requires_grad_(True)
optimizer = torch.optim.LBFGS([input_img])
run = [0]
while run[0] <= 12:
    def closure():
        with torch.no_grad():
            input_img.clamp_(0, 1)
        optimizer.zero_grad()
        model(input_img)
        loss = style_loss.loss * 1e4 + content_loss.loss
        loss.backward()
        run[0] += 1
        return loss
    optimizer.step(closure)
    print(run[0], f"{style_loss.loss.item():.6e}", f"{content_loss.loss.item():.6e}")
with torch.no_grad():
    input_img.clamp_(0, 1)
print(input_img[0, 0, 0, :4], input_img.requires_grad)
