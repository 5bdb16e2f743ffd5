# The errors tutorials meet: shape mismatches, dtype of loss targets, index out of range, backward twice.
import torch
import torch.nn as nn
import torch.nn.functional as F


def attempt(fn):
    try:
        fn()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", str(e).splitlines()[0])


torch.manual_seed(34)
attempt(lambda: torch.ones(2, 3) @ torch.ones(2, 3))
attempt(lambda: torch.ones(2, 3).mm(torch.ones(4, 2)))
attempt(lambda: nn.Linear(4, 2)(torch.ones(3, 5)))
attempt(lambda: torch.ones(2, 3) + torch.ones(3, 2))
attempt(lambda: torch.ones(6).view(4, 2))
attempt(lambda: torch.ones(2, 3).t().view(6))
attempt(lambda: torch.ones(4).reshape(3, -1))
attempt(lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]))
attempt(lambda: torch.stack([torch.ones(2), torch.ones(3)]))
attempt(lambda: torch.ones(3)[5])
attempt(lambda: torch.ones(2, 2)[:, 2])
attempt(lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([0.0, 1.0, 2.0])))
attempt(lambda: F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 4])))
attempt(lambda: F.nll_loss(torch.randn(3, 4), torch.tensor([[0, 1, 2]])))
attempt(lambda: nn.MSELoss()(torch.ones(2, dtype=torch.float64), torch.ones(2)).backward())
attempt(lambda: F.binary_cross_entropy(torch.tensor([0.5, 1.5]), torch.tensor([0.0, 1.0])))
attempt(lambda: nn.Embedding(5, 2)(torch.tensor([5])))
attempt(lambda: nn.Embedding(5, 2)(torch.tensor([1.0])))
attempt(lambda: nn.Conv2d(3, 4, 3)(torch.ones(1, 2, 5, 5)))
attempt(lambda: torch.ones(3, requires_grad=True).numpy())
attempt(lambda: torch.ones(2).item())
attempt(lambda: torch.tensor([1, 2]).mean())
attempt(lambda: torch.ones(2, 2).squeeze(3))
attempt(lambda: torch.ones(2, 3).permute(0))
attempt(lambda: torch.ones(2, 3).sum(dim=2))
attempt(lambda: torch.zeros(3).long() + torch.tensor(1.5, requires_grad=True).long())
x = torch.ones(2, requires_grad=True)
y = x.exp()
z = y * 2
y.add_(1)
attempt(lambda: z.sum().backward())
w = torch.ones(2, requires_grad=True)
attempt(lambda: w.mul_(2))
attempt(lambda: torch.ones(2, dtype=torch.long, requires_grad=True))
attempt(lambda: torch.tensor([[1, 2], [3]]))
attempt(lambda: torch.optim.SGD([], lr=0.1))
attempt(lambda: torch.optim.Adam(nn.Linear(2, 2).parameters(), lr=-1))
attempt(lambda: nn.Linear(2, 2).load_state_dict({"weight": torch.ones(2, 2)}))
attempt(lambda: torch.load("/nonexistent/file.pt"))
attempt(lambda: torch.randint(5, (3,)) @ torch.randn(3))
attempt(lambda: F.softmax(torch.ones(2, 2), dim=3))
attempt(lambda: torch.gather(torch.ones(2, 2), 1, torch.tensor([[0, 2]])))
attempt(lambda: torch.multinomial(torch.tensor([0.0, 0.0]), 1))
attempt(lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)))
attempt(lambda: nn.LSTM(3, 4)(torch.ones(2, 5)))
attempt(lambda: torch.arange(6).view(2, 3).expand(3, 3))
