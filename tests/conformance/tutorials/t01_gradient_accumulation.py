# Tutorial: gradient accumulation.
# Exercises: backward() summing into .grad over micro-batches, loss scaled by the number of
# accumulation steps, optimizer.step()/zero_grad() every N micro-batches; the accumulated
# gradient equals the full-batch gradient.
#
# Parameters and data are fixed (no random numbers), so PyTorch prints the same every run.
import torch
import torch.nn as nn


def make_model():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        for index, parameter in enumerate(model.parameters()):
            parameter.copy_(torch.linspace(-0.5, 0.5, parameter.numel()).reshape(parameter.shape)
                            * (index + 1))
    return model


inputs = torch.linspace(-1.0, 1.0, 24).reshape(8, 3)
targets = (inputs ** 2).sum(dim=1, keepdim=True)
loss_fn = nn.MSELoss()

# Full batch: one backward over all 8 samples.
full = make_model()
loss_fn(full(inputs), targets).backward()
full_grads = [p.grad.clone() for p in full.parameters()]

# Four micro-batches of 2, each loss divided by the number of accumulation steps.
accumulation_steps = 4
micro = make_model()
optimizer = torch.optim.SGD(micro.parameters(), lr=0.1)
optimizer.zero_grad()
for step, (x, y) in enumerate(zip(inputs.split(2), targets.split(2))):
    loss = loss_fn(micro(x), y) / accumulation_steps
    loss.backward()
    print("micro-batch", step, "loss", round(loss.item(), 6),
          "grad norm so far", round(micro[0].weight.grad.norm().item(), 6))
    if (step + 1) % accumulation_steps == 0:
        for name, parameter in micro.named_parameters():
            print(name, parameter.grad)
        print("same as full batch:", all(torch.allclose(p.grad, g, atol=1e-6)
                                         for p, g in zip(micro.parameters(), full_grads)))
        optimizer.step()
        optimizer.zero_grad()

print([p.grad for p in micro.parameters()])
print(micro[2].weight.data)
print(micro[2].bias.data)
