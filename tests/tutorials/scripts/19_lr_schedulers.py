# Learning-rate schedulers in a training loop: StepLR, MultiStep, Exponential, Cosine, OneCycle, Plateau, Lambda.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler

torch.manual_seed(19)
model = nn.Linear(4, 1)
X, y = torch.randn(16, 4), torch.randn(16, 1)


def run(make_sched, steps=6, opt_cls=torch.optim.SGD, **opt_kw):
    opt = opt_cls(model.parameters(), lr=0.1, **opt_kw)
    sched = make_sched(opt)
    lrs = []
    for epoch in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
        if isinstance(sched, lr_scheduler.ReduceLROnPlateau):
            sched.step(1.0)
        else:
            sched.step()
        lrs.append(round(opt.param_groups[0]["lr"], 8))
    print(type(sched).__name__, lrs, f"{loss.item():.6f}")
    return sched


run(lambda o: lr_scheduler.StepLR(o, step_size=2, gamma=0.5))
run(lambda o: lr_scheduler.MultiStepLR(o, milestones=[1, 4], gamma=0.1))
run(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9))
run(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01))
run(lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2))
run(lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch))
run(lambda o: lr_scheduler.MultiplicativeLR(o, lr_lambda=lambda epoch: 0.9))
run(lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4))
run(lambda o: lr_scheduler.ConstantLR(o, factor=0.5, total_iters=2))
run(lambda o: lr_scheduler.PolynomialLR(o, total_iters=4, power=2.0))
run(lambda o: lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=8), steps=8, momentum=0.9)
run(lambda o: lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2), momentum=0.9)
run(lambda o: lr_scheduler.ReduceLROnPlateau(o, mode='min', factor=0.5, patience=1))
run(lambda o: lr_scheduler.SequentialLR(o, [lr_scheduler.LinearLR(o, 0.1, total_iters=2),
                                            lr_scheduler.ExponentialLR(o, 0.5)], milestones=[2]))
run(lambda o: lr_scheduler.ChainedScheduler([lr_scheduler.ConstantLR(o, 0.5, total_iters=3),
                                             lr_scheduler.ExponentialLR(o, 0.9)]))
s = run(lambda o: lr_scheduler.StepLR(o, step_size=3), opt_cls=torch.optim.Adam)
print(s.state_dict())
print(s.get_last_lr(), s.last_epoch)
warm = 3
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
sched = lr_scheduler.LambdaLR(opt, lambda step: min(1.0, (step + 1) / warm))
history = []
for step in range(5):
    opt.step()
    sched.step()
    history.append(sched.get_last_lr()[0])
print([f"{h:.6f}" for h in history])
