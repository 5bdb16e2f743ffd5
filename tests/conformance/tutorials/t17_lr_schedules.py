# Tutorial: adjusting the learning rate during training.
# Exercises: torch.optim.lr_scheduler StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
# LambdaLR, OneCycleLR and ReduceLROnPlateau; get_last_lr(), param_groups[i]["lr"] with two
# parameter groups, and the scheduler's state_dict round trip.
import torch
from torch.optim import lr_scheduler


def make_optimizer():
    w1 = torch.nn.Parameter(torch.ones(2))
    w2 = torch.nn.Parameter(torch.ones(3))
    return torch.optim.SGD([{"params": [w1]}, {"params": [w2], "lr": 0.5}], lr=0.1, momentum=0.9)


def trace(name, make_scheduler, steps=8, metric=None):
    optimizer = make_optimizer()
    scheduler = make_scheduler(optimizer)
    lrs = []
    for step in range(steps):
        optimizer.step()
        if metric is None:
            scheduler.step()
        else:
            scheduler.step(metric[step])
        lrs.append([round(group["lr"], 6) for group in optimizer.param_groups])
    print(name, lrs)
    return scheduler


trace("step", lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
trace("multistep", lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1))
trace("exponential", lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9))
cosine = trace("cosine", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=6, eta_min=0.01))
print([round(v, 6) for v in cosine.get_last_lr()], cosine.last_epoch)
trace("lambda", lambda o: lr_scheduler.LambdaLR(o, lr_lambda=[lambda e: 1 / (e + 1), lambda e: 0.9 ** e]))
trace("onecycle", lambda o: lr_scheduler.OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=8))
plateau = trace("plateau", lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=1),
                metric=[1.0, 0.9, 0.95, 0.97, 0.96, 0.99, 0.5, 0.6])

state = cosine.state_dict()
restored = lr_scheduler.CosineAnnealingLR(make_optimizer(), T_max=6, eta_min=0.01)
restored.load_state_dict(state)
print(sorted(state), restored.last_epoch, [round(v, 6) for v in restored.get_last_lr()])
