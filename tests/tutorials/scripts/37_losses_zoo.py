# Loss functions in nn and nn.functional, every reduction, with gradients.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(37)
logits = torch.randn(6, 5, requires_grad=True)
target = torch.tensor([1, 0, 4, 2, 2, 3])
probs = torch.rand(6, 5)
reg_pred = torch.randn(6, 3, requires_grad=True)
reg_tgt = torch.randn(6, 3)
cases = [
    ("CrossEntropy", lambda r: nn.CrossEntropyLoss(reduction=r)(logits, target)),
    ("CrossEntropy w/ls", lambda r: nn.CrossEntropyLoss(weight=torch.arange(1., 6.), label_smoothing=0.2, reduction=r)(logits, target)),
    ("CrossEntropy ignore", lambda r: F.cross_entropy(logits, torch.tensor([1, -100, 4, 2, -100, 3]), reduction=r)),
    ("CrossEntropy probs", lambda r: F.cross_entropy(logits, probs.softmax(1), reduction=r)),
    ("NLL", lambda r: nn.NLLLoss(reduction=r)(F.log_softmax(logits, 1), target)),
    ("MSE", lambda r: nn.MSELoss(reduction=r)(reg_pred, reg_tgt)),
    ("L1", lambda r: nn.L1Loss(reduction=r)(reg_pred, reg_tgt)),
    ("SmoothL1", lambda r: nn.SmoothL1Loss(reduction=r, beta=0.5)(reg_pred, reg_tgt)),
    ("Huber", lambda r: nn.HuberLoss(reduction=r, delta=0.7)(reg_pred, reg_tgt)),
    ("BCE", lambda r: nn.BCELoss(reduction=r)(torch.sigmoid(reg_pred), (reg_tgt > 0).float())),
    ("BCEWithLogits", lambda r: nn.BCEWithLogitsLoss(reduction=r, pos_weight=torch.tensor([1., 2., 3.]))(reg_pred, (reg_tgt > 0).float())),
    ("KLDiv", lambda r: nn.KLDivLoss(reduction=r)(F.log_softmax(logits, 1), probs.softmax(1))),
    ("KLDiv log_target", lambda r: F.kl_div(F.log_softmax(logits, 1), F.log_softmax(probs, 1), reduction=r, log_target=True)),
    ("CosineEmbedding", lambda r: nn.CosineEmbeddingLoss(margin=0.1, reduction=r)(reg_pred, reg_tgt, torch.tensor([1, -1, 1, 1, -1, -1]))),
    ("MarginRanking", lambda r: nn.MarginRankingLoss(margin=0.5, reduction=r)(reg_pred[:, 0], reg_tgt[:, 0], torch.tensor([1, -1, 1, 1, -1, 1]))),
    ("HingeEmbedding", lambda r: nn.HingeEmbeddingLoss(reduction=r)(reg_pred, torch.sign(reg_tgt))),
    ("MultiMargin", lambda r: nn.MultiMarginLoss(reduction=r)(logits, target)),
    ("MultiLabelSoftMargin", lambda r: nn.MultiLabelSoftMarginLoss(reduction=r)(logits, (probs > 0.5).float())),
    ("SoftMargin", lambda r: nn.SoftMarginLoss(reduction=r)(reg_pred, torch.sign(reg_tgt))),
    ("TripletMargin", lambda r: nn.TripletMarginLoss(margin=1.0, reduction=r)(reg_pred, reg_tgt, reg_tgt.flip(0))),
    ("PoissonNLL", lambda r: nn.PoissonNLLLoss(reduction=r)(reg_pred, reg_tgt.abs())),
    ("GaussianNLL", lambda r: nn.GaussianNLLLoss(reduction=r)(reg_pred, reg_tgt, torch.ones(6, 3) * 0.5)),
]
for name, fn in cases:
    for reduction in ("mean", "sum", "none"):
        logits.grad = None
        reg_pred.grad = None
        loss = fn(reduction)
        loss.sum().backward()
        grad = logits.grad if logits.grad is not None else reg_pred.grad
        print(f"{name:22s} {reduction:4s}", loss if reduction == "none" else f"{loss.item():.6f}", f"{grad.abs().sum().item():.6f}")
log_probs = torch.randn(7, 2, 5).log_softmax(2).detach().requires_grad_()
ctc = nn.CTCLoss()(log_probs, torch.tensor([[1, 2, 2], [3, 1, 0]]), torch.tensor([7, 6]), torch.tensor([3, 2]))
ctc.backward()
print(f"CTC {ctc.item():.6f}", log_probs.grad.abs().sum())
print(F.binary_cross_entropy_with_logits(torch.tensor([100.0, -100.0]), torch.tensor([1.0, 0.0])))
