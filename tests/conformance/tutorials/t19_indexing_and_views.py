# Tutorial: indexing, views and broadcasting.
# Exercises: basic and advanced indexing, boolean masks, index assignment, views sharing storage
# (view, transpose, narrow, expand) versus copies (reshape of a non-contiguous tensor, clone),
# is_contiguous / stride, gather / scatter_ / index_select / masked_fill / where, broadcasting
# rules, and the errors for a bad view and a broadcast mismatch.
import torch

x = torch.arange(24.0).reshape(2, 3, 4)
print(x[1], x[:, 1], x[..., -1], x[0, 1:, ::2])
print(x[[0, 1], [2, 0]], x[:, [0, 2]].shape, x[x > 20])
mask = x.sum(dim=-1) > 20
print(mask, x[mask].shape)

y = x.clone()
y[0, :, 0] = -1.0
y[y > 21] = 0.0
y[1, [0, 2], 1:3] = torch.tensor([[7.0, 8.0], [9.0, 10.0]])
print(y)

t = x.transpose(1, 2)
print(t.shape, t.stride(), t.is_contiguous(), t.contiguous().stride())
v = x.view(6, 4)
v[0, 0] = 100.0
print(x[0, 0, 0], x.data_ptr() == v.data_ptr(), x.narrow(2, 1, 2).shape)
r = t.reshape(2, 12)
r[0, 0] = -5.0
print(x[0, 0, 0], t.reshape(-1).shape)
e = torch.tensor([1.0, 2.0]).unsqueeze(1).expand(2, 3)
print(e, e.stride())

src = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
index = torch.tensor([[2, 0], [1, 1]])
print(src.gather(1, index), torch.zeros(2, 4).scatter_(1, index, 1.0))
print(src.index_select(1, torch.tensor([2, 0])), src.masked_fill(src > 3, 0.0))
print(torch.where(src > 2, src, -src), torch.nonzero(src > 4))

a = torch.ones(3, 1)
b = torch.arange(4.0)
print((a + b).shape, (a * b)[2], torch.broadcast_shapes((3, 1), (1, 4), (4,)))
for bad in (lambda: x.view(5, 5), lambda: a[:2] + torch.ones(3, 1), lambda: t.view(24)):
    try:
        bad()
    except RuntimeError as error:
        print("RuntimeError:", str(error).splitlines()[0])
