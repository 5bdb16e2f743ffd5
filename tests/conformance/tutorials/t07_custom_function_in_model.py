# Tutorial: a custom autograd.Function inside a model.
# Exercises: a Function with ctx.save_for_backward / saved_tensors / needs_input_grad and a
# non-tensor argument, used from an nn.Module's forward; its gradient checked against the same
# formula written with built-in ops; training the model a few SGD steps.
import torch
import torch.nn as nn


class ScaledSoftsign(torch.autograd.Function):
    """y = scale * x / (1 + |x|)."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        ctx.scale = scale
        return scale * x / (1 + x.abs())

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = grad_output * ctx.scale / (1 + x.abs()) ** 2
        return grad_x, None


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3)
        self.out = nn.Linear(3, 1)
        with torch.no_grad():
            self.hidden.weight.copy_(torch.tensor([[0.5, -0.5], [1.0, 0.25], [-0.75, 0.5]]))
            self.hidden.bias.copy_(torch.tensor([0.1, 0.0, -0.1]))
            self.out.weight.copy_(torch.tensor([[1.0, -1.0, 0.5]]))
            self.out.bias.zero_()

    def forward(self, x):
        return self.out(ScaledSoftsign.apply(self.hidden(x), 2.0))


x = torch.tensor([[1.0, -2.0], [0.5, 0.5], [-1.0, 3.0]], requires_grad=True)
y = ScaledSoftsign.apply(x, 2.0)
print(y)
print(type(y.grad_fn).__name__, y.grad_fn.next_functions[0][0].__class__.__name__)
y.sum().backward()
custom = x.grad.clone()
x.grad = None
(2.0 * x / (1 + x.abs())).sum().backward()
print(custom)
print(torch.allclose(custom, x.grad))

net = Net()
inputs = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.5], [2.0, 2.0]])
targets = torch.tensor([[0.5], [-0.5], [1.0], [0.0]])
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.5)
for step in range(5):
    optimizer.zero_grad()
    loss = ((net(inputs) - targets) ** 2).mean()
    loss.backward()
    optimizer.step()
    print(step, round(loss.item(), 6))
print(net.hidden.weight.grad)
print(net(inputs))
