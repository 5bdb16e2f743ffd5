# Save/resume a training checkpoint mid-training; the resumed run matches the uninterrupted one.
import io
import os
import tempfile

import torch
import torch.nn as nn

torch.manual_seed(21)
X, y = torch.randn(32, 5), torch.randn(32, 2)


def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Dropout(0.2), nn.Linear(8, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.StepLR(opt, 2, 0.5)
    return model, opt, sched


def train(model, opt, sched, epochs):
    for _ in range(epochs):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()
        sched.step()
    return loss.item()


model, opt, sched = make()
print(f"{train(model, opt, sched, 3):.6f}")
path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
            "scheduler": sched.state_dict(), "rng": torch.get_rng_state(), "loss": 0.5}, path)
final = train(model, opt, sched, 3)
print(f"uninterrupted {final:.6f}")
model2, opt2, sched2 = make()
checkpoint = torch.load(path)
print(sorted(checkpoint), checkpoint["epoch"], checkpoint["loss"])
print(model2.load_state_dict(checkpoint["model_state_dict"]))
opt2.load_state_dict(checkpoint["optimizer_state_dict"])
sched2.load_state_dict(checkpoint["scheduler"])
torch.set_rng_state(checkpoint["rng"])
model2.train()
resumed = train(model2, opt2, sched2, 3)
print(f"resumed {resumed:.6f}", resumed == final)
print(list(checkpoint["model_state_dict"].keys()))
print(checkpoint["optimizer_state_dict"]["state"][0]["step"], checkpoint["optimizer_state_dict"]["param_groups"])
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
sd = torch.load(buf, weights_only=True)
print({k: tuple(v.shape) for k, v in sd.items()})
bad = nn.Linear(5, 9)
try:
    bad.load_state_dict({"weight": torch.zeros(8, 5), "bias": torch.zeros(8)})
except RuntimeError as e:
    print(str(e).splitlines()[0])
print(bad.load_state_dict({"weight": torch.zeros(9, 5)}, strict=False))
torch.save([torch.arange(3), {"t": torch.ones(2, 2).t()}, (1, "x")], path)
print(torch.load(path))
torch.save(model, path)
m = torch.load(path, weights_only=False)
print(m)
