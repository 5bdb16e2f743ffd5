# Custom autograd Functions: ctx.needs_input_grad, mark_non_differentiable, save_for_backward, gradcheck.
import torch
from torch.autograd import Function
from torch.autograd.function import once_differentiable


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConstant(Function):
    @staticmethod
    def forward(tensor, constant):
        return tensor * constant

    @staticmethod
    def setup_context(ctx, inputs, output):
        tensor, constant = inputs
        ctx.constant = constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class SortWithIndex(Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    @once_differentiable
    def backward(ctx, g, _):
        idx, = ctx.saved_tensors
        grad = torch.zeros_like(g)
        grad.index_add_(0, idx, g)
        return grad


class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


torch.manual_seed(36)
inp = (torch.randn(20, 20, dtype=torch.double, requires_grad=True),
       torch.randn(30, 20, dtype=torch.double, requires_grad=True))
print(torch.autograd.gradcheck(LinearFunction.apply, inp, eps=1e-6, atol=1e-4))
x = torch.randn(3, 4, requires_grad=True)
w = torch.randn(2, 4, requires_grad=True)
b = torch.randn(2, requires_grad=False)
out = LinearFunction.apply(x, w, b)
print(out.grad_fn.__class__.__name__, out)
out.sum().backward()
print(x.grad, w.grad, b.grad)
y = MulConstant.apply(x, 3.0)
y.sum().backward()
print(x.grad[0])
v = torch.tensor([3., 1., 2.], requires_grad=True)
vals, idx = SortWithIndex.apply(v)
print(vals, idx, idx.requires_grad)
(vals * torch.tensor([1., 10., 100.])).sum().backward()
print(v.grad)
e = Exp.apply(torch.tensor([0.0, 1.0], requires_grad=True))
print(e, e.grad_fn.name() if hasattr(e.grad_fn, "name") else "")
g = torch.tensor([1.0, 2.0], requires_grad=True)
z = Exp.apply(g)
gg, = torch.autograd.grad(z.sum(), g, create_graph=True)
print(gg)


class StraightThrough(Function):
    @staticmethod
    def forward(ctx, x):
        return (x > 0).float()

    @staticmethod
    def backward(ctx, grad):
        return grad.clamp(-1, 1)


s = torch.randn(5, requires_grad=True)
StraightThrough.apply(s).mul(torch.arange(5.) - 2).sum().backward()
print(s.grad)
