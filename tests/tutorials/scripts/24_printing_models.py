# Printing models, optimizers, state_dict keys, named_parameters shapes, buffers, children, extra_repr.
import torch
import torch.nn as nn
from collections import OrderedDict

torch.manual_seed(24)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork()
print(model)
X = torch.rand(1, 28, 28)
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred}")
print(f"Model structure: {model}\n\n")
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")
seq = nn.Sequential(OrderedDict([
    ('conv1', nn.Conv2d(1, 20, 5)), ('bn', nn.BatchNorm2d(20)), ('relu1', nn.ReLU()),
    ('pool', nn.AdaptiveAvgPool2d((1, 1))), ('drop', nn.Dropout2d(0.25)), ('flat', nn.Flatten()),
    ('emb_dummy', nn.Identity()), ('head', nn.Linear(20, 5, bias=False))]))
print(seq)
print(list(seq.state_dict().keys()))
print([(n, b.shape) for n, b in seq.named_buffers()])
print([n for n, _ in seq.named_children()], len(list(seq.modules())))
print(seq.bn.running_mean[:3], seq.bn.num_batches_tracked)
ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
md = nn.ModuleDict({"act": nn.LeakyReLU(0.1), "norm": nn.LayerNorm(4, elementwise_affine=False)})
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(1, 3))])
pd = nn.ParameterDict({"scale": nn.Parameter(torch.ones(1))})
print(ml, md, pl, pd, sep="\n")
print(nn.Parameter(torch.ones(2, 2)))
print(nn.Parameter(torch.arange(3.), requires_grad=False))
print(nn.Embedding(10, 3, padding_idx=0), nn.LSTM(4, 8, 2, batch_first=True, bidirectional=True),
      nn.GRU(3, 3), nn.RNN(3, 3, nonlinearity='relu'), nn.Conv1d(2, 4, 3, stride=2, padding='valid'),
      nn.ConvTranspose2d(4, 2, 2, 2), nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
      nn.AvgPool1d(2), nn.BatchNorm1d(5, momentum=None), nn.GroupNorm(2, 4), nn.InstanceNorm2d(3),
      nn.Dropout(p=0.3, inplace=True), nn.Softmax(dim=-1), nn.LogSoftmax(1), nn.Hardtanh(-2, 2),
      nn.CrossEntropyLoss(label_smoothing=0.1), nn.MSELoss(reduction='sum'), nn.Upsample(scale_factor=2),
      nn.TransformerEncoderLayer(8, 2, 16), nn.PReLU(), nn.ELU(alpha=0.5), nn.Softplus(beta=2), nn.SiLU(),
      nn.Threshold(0.1, 20), nn.Bilinear(2, 3, 4), nn.Unflatten(1, (2, 5)), nn.ZeroPad2d(2), sep="\n")
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
print(opt)
print(torch.optim.Adam(model.parameters()))
print(torch.optim.AdamW(model.parameters(), lr=1e-4, amsgrad=True))
print(torch.optim.RMSprop(model.parameters(), alpha=0.9))
print(torch.optim.Adagrad(model.parameters()))
print(opt.state_dict())
print(model.linear_relu_stack[0].weight.grad_fn, logits.grad_fn.name(), model.training)
print(model.linear_relu_stack[0].extra_repr(), model.linear_relu_stack[1].extra_repr() == "")
print(sum(p.numel() for p in model.parameters()), model.get_submodule("linear_relu_stack.2"))
print(model.get_parameter("linear_relu_stack.4.bias").shape)
print(model.state_dict()["linear_relu_stack.4.bias"])
