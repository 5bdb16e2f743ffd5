# torch.where, gather/scatter, masked_fill, masked_select, index_add, boolean masks in losses.
import torch
import torch.nn.functional as F

torch.manual_seed(26)
x = torch.randn(4, 5)
print(torch.where(x > 0, x, torch.zeros_like(x)))
print(torch.where(x > 0, x, 0.0), torch.where(x > 0))
print(torch.where(x > 0, 1, -1))
idx = torch.tensor([[0, 1], [2, 3], [4, 0], [1, 1]])
print(torch.gather(x, 1, idx), x.gather(0, torch.tensor([[0, 1, 2, 3, 0]])))
q = torch.randn(3, 4, requires_grad=True)
actions = torch.tensor([1, 3, 0])
q_sa = q.gather(1, actions.unsqueeze(1)).squeeze(1)
q_sa.sum().backward()
print(q_sa, q.grad)
src = torch.arange(1, 11).view(2, 5).float()
print(torch.zeros(3, 5).scatter_(0, torch.tensor([[0, 1, 2, 0, 0]]), src))
print(torch.zeros(2, 4).scatter(1, torch.tensor([[2], [3]]), 1.23))
print(torch.zeros(5).scatter_add_(0, torch.tensor([0, 1, 1, 4]), torch.ones(4)))
print(torch.zeros(3).scatter_reduce(0, torch.tensor([0, 0, 2]), torch.tensor([2., 5., 1.]), reduce="amax"))
print(F.one_hot(torch.tensor([0, 2, 1]), num_classes=4), F.one_hot(torch.arange(3)))
mask = x > 0.5
print(x.masked_fill(mask, -1e9), x.masked_fill(~mask, float('-inf')).softmax(-1))
print(x.masked_select(mask), x[mask].sum(), mask.nonzero(as_tuple=True))
y = x.clone()
y[~mask] = 0
y[y != 0] *= 10
print(y)
print(torch.zeros(5).index_add_(0, torch.tensor([0, 4, 2]), torch.tensor([1., 2., 3.])))
print(torch.zeros(3, 2).index_fill_(0, torch.tensor([0, 2]), 7), x.index_select(0, torch.tensor([3, 1])))
print(torch.zeros(2, 3).masked_scatter_(torch.tensor([[True, False, True], [False, True, False]]), torch.arange(1., 7.)))
print(torch.take(x, torch.tensor([0, 19])), torch.take_along_dim(x, x.argmax(1, keepdim=True), dim=1))
lengths = torch.tensor([3, 1, 4])
seq_mask = torch.arange(4)[None, :] < lengths[:, None]
print(seq_mask)
scores = torch.randn(3, 4)
loss_per = (scores ** 2) * seq_mask
print(loss_per.sum() / seq_mask.sum(), scores.masked_fill(~seq_mask, 0).sum(1) / lengths)
print(torch.clamp(x, min=torch.zeros(5), max=torch.full((5,), 0.5)))
print(torch.nan_to_num(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.0]), nan=0.0, posinf=9.0))
print(torch.isnan(torch.tensor([1., float('nan')])), torch.isinf(torch.tensor([1., float('inf')])), torch.isfinite(x).all())
t = torch.tensor([[1, 2, 3], [4, 5, 6]])
print(t[[0, 1], [2, 0]], t[:, torch.tensor([True, False, True])], t[torch.tensor([1, 0])][:, 1:])
t[t > 2] = 0
print(t, t.logical_and(t > 0), torch.logical_or(t > 1, t == 0), torch.logical_not(t.bool()), torch.logical_xor(t > 0, t > 1))
