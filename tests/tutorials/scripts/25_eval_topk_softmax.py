# no_grad evaluation: argmax, topk, softmax probabilities, confusion matrix, top-5 accuracy.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(25)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 7))
X = torch.randn(50, 10)
y = torch.randint(0, 7, (50,))
model.eval()
with torch.no_grad():
    logits = model(X)
    probs = F.softmax(logits, dim=1)
    print(probs[:3], probs.sum(1)[:3])
    conf, pred = probs.max(dim=1)
    print(conf[:5], pred[:10])
    top5_prob, top5_idx = torch.topk(probs, 5)
    print(top5_prob[0], top5_idx[0])
    correct = top5_idx.eq(y.view(-1, 1).expand_as(top5_idx))
    print("top1", correct[:, :1].float().sum().item() / len(y), "top5", correct.any(1).float().mean().item())
    print(F.log_softmax(logits, 1)[0], F.cross_entropy(logits, y), F.nll_loss(F.log_softmax(logits, 1), y, reduction='sum'))
    confusion = torch.zeros(7, 7, dtype=torch.long)
    for t, p in zip(y, pred):
        confusion[t, p] += 1
    print(confusion)
    print(confusion.diag() / confusion.sum(1).clamp(min=1))
    stacked = torch.stack((y, pred), dim=1)
    cm = torch.bincount(y * 7 + pred, minlength=49).view(7, 7)
    print(torch.equal(cm, confusion), stacked.shape)
    print(torch.argmax(logits, dim=1, keepdim=True)[:4], logits.argmax(-1).bincount(minlength=7))
    print(probs.max(), probs.min(), F.softmax(logits / 2.0, dim=-1)[0], torch.softmax(logits, 0)[:, 0].sum())
    entropy = -(probs * probs.log()).sum(1)
    print(entropy[:5], entropy.mean())
    vals, idx = logits.sort(1, descending=True)
    print(vals[0], idx[0], logits.kthvalue(2, dim=1).values[:3])
print(torch.is_grad_enabled(), logits.requires_grad, model.training)
model.train()
print(model.training, model[2].training)
