# Tutorial: the common loss functions, their reductions and gradients.
# Exercises: MSELoss, L1Loss, SmoothL1Loss, HuberLoss, CrossEntropyLoss (class weights,
# ignore_index, label_smoothing, probability targets), NLLLoss, BCELoss, BCEWithLogitsLoss
# (pos_weight), KLDivLoss (log_target), each with reduction none / mean / sum, and the input
# gradient of each.
import torch
import torch.nn as nn

pred = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
target = torch.tensor([[1.0, -1.0, 0.0], [0.0, 0.5, -1.0]])
logits = torch.tensor([[1.0, 2.0, 0.5, -1.0], [0.0, -0.5, 1.5, 2.0], [0.3, 0.3, -2.0, 1.0]],
                      requires_grad=True)
classes = torch.tensor([1, 3, 0])
probabilities = torch.tensor([[0.7, 0.1, 0.1, 0.1], [0.0, 0.5, 0.5, 0.0], [0.25, 0.25, 0.25, 0.25]])
scores = torch.tensor([[0.2, -1.0], [3.0, 0.5]], requires_grad=True)
binary = torch.tensor([[1.0, 0.0], [0.0, 1.0]])


def show(name, loss_fn, inputs, targets):
    for reduction in ("none", "mean", "sum"):
        value = loss_fn(reduction)(inputs, targets)
        inputs.grad = None
        value.sum().backward()
        print(name, reduction, value.detach(), inputs.grad)


show("mse", lambda r: nn.MSELoss(reduction=r), pred, target)
show("l1", lambda r: nn.L1Loss(reduction=r), pred, target)
show("smooth_l1", lambda r: nn.SmoothL1Loss(reduction=r, beta=0.5), pred, target)
show("huber", lambda r: nn.HuberLoss(reduction=r, delta=0.75), pred, target)
show("ce", lambda r: nn.CrossEntropyLoss(reduction=r), logits, classes)
show("ce_weighted", lambda r: nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5, 1.0]),
                                                  ignore_index=3, reduction=r), logits, classes)
show("ce_smooth", lambda r: nn.CrossEntropyLoss(label_smoothing=0.1, reduction=r), logits, classes)
show("ce_soft", lambda r: nn.CrossEntropyLoss(reduction=r), logits, probabilities)
show("nll", lambda r: nn.NLLLoss(reduction=r), logits, classes)
show("bce_logits", lambda r: nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 0.5]),
                                                  reduction=r), scores, binary)
probs = torch.tensor([[0.9, 0.2], [0.4, 0.6]], requires_grad=True)
show("bce", lambda r: nn.BCELoss(reduction=r), probs, binary)
log_probs = torch.log_softmax(torch.tensor([[1.0, 2.0, 3.0]]), dim=1).requires_grad_()
show("kl", lambda r: nn.KLDivLoss(reduction=r if r != "mean" else "batchmean"), log_probs,
     torch.tensor([[0.2, 0.3, 0.5]]))
print(nn.KLDivLoss(reduction="sum", log_target=True)(log_probs, log_probs.detach() * 0.5))
try:
    nn.CrossEntropyLoss()(logits, classes.float())
except RuntimeError as error:
    print("RuntimeError:", str(error).splitlines()[0])
