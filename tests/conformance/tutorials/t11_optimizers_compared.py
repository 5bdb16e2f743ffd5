# Tutorial: SGD, SGD with momentum, Adam and RMSprop on the same problem, and Adam by hand.
# Exercises: optimizer construction and step(), param_groups, optimizer state (momentum_buffer,
# exp_avg, exp_avg_sq, square_avg, step), weight_decay, and Adam's update written out from its
# moment estimates and bias correction, matching torch.optim.Adam; the memory each optimizer
# keeps per parameter.
import torch


def problem():
    w = torch.tensor([1.5, -2.0, 0.5], requires_grad=True)
    target = torch.tensor([0.0, 1.0, -1.0])
    return w, target


def loss_of(w, target):
    return ((w - target) ** 2 * torch.tensor([1.0, 4.0, 0.5])).sum()


def run(name, make_optimizer, steps=5):
    w, target = problem()
    optimizer = make_optimizer([w])
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_of(w, target)
        loss.backward()
        optimizer.step()
        losses.append(round(loss.item(), 5))
    state = optimizer.state[w]
    print(name, losses)
    print("  w", [round(v, 5) for v in w.tolist()])
    print("  state", sorted(state), sum(v.numel() for v in state.values()
                                        if torch.is_tensor(v) and v.dim() > 0))
    return w


run("sgd", lambda p: torch.optim.SGD(p, lr=0.05))
run("momentum", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True))
run("adam", lambda p: torch.optim.Adam(p, lr=0.1))
run("adamw", lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.1))
run("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9))
run("sgd_wd", lambda p: torch.optim.SGD(p, lr=0.05, weight_decay=0.01))

# Adam by hand: moment estimates, bias correction, adaptive step.
w, target = problem()
m, v = torch.zeros(3), torch.zeros(3)
lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
for t in range(1, 6):
    w.grad = None
    loss_of(w, target).backward()
    with torch.no_grad():
        g = w.grad
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        w -= lr * m_hat / (v_hat.sqrt() + eps)
reference = run("adam again", lambda p: torch.optim.Adam(p, lr=0.1))
print(torch.allclose(w, reference, atol=1e-6), [round(x, 5) for x in w.tolist()])
