"""One training step (forward, loss, backward, optimizer step) of three small models, tritongrad vs PyTorch
(CPU) in the same process, with identical weights and data.

    python benchmarks/training_step.py [--quick] [--markdown]
"""
import argparse
import platform
import sys
import time

import numpy as np

import tritongrad as tg

try:
    import torch
except ImportError:  # pragma: no cover
    print("PyTorch is not installed: nothing to compare against.")
    sys.exit(0)


def mlp(nn):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10))


def lenet(nn):
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


class _LSTMClassifier:
    """Embedding -> LSTM -> Linear on the last step, built for either library."""

    def __init__(self, lib):
        nn = lib.nn

        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Embedding(100, 32)
                self.lstm = nn.LSTM(32, 64, batch_first=True)
                self.head = nn.Linear(64, 10)

            def forward(self, x):
                out, _ = self.lstm(self.embed(x))
                return self.head(out[:, -1])
        self.model = Model()


def copy_weights(src, dst):
    """PyTorch's parameters into tritongrad's model (same names, same order)."""
    with torch.no_grad():
        for (n1, p1), (n2, p2) in zip(src.named_parameters(), dst.named_parameters()):
            assert n1 == n2, (n1, n2)
            p2.data = tg.from_numpy(p1.detach().numpy().copy())


def make_step(lib, model, x, y):
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    F = lib.nn.functional

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def per_step(step, budget):
    step()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < budget or n < 3:
        step()
        n += 1
    return (time.perf_counter() - t0) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    budget = 1.0 if args.quick else 3.0
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    cases = []
    images = rng.standard_normal((64, 1, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, 64)
    tokens = rng.integers(0, 100, (32, 20))
    for name, build, data in (("MLP 784-256-128-10, batch 64", mlp, images),
                              ("LeNet-5 on 28x28, batch 64", lenet, images),
                              ("LSTM 32->64, seq 20, batch 32", None, tokens)):
        if build is None:
            pt_model, tg_model = _LSTMClassifier(torch).model, _LSTMClassifier(tg).model
            y = labels[:32]
        else:
            pt_model, tg_model = build(torch.nn), build(tg.nn)
            y = labels
        copy_weights(pt_model, tg_model)
        t_tg = per_step(make_step(tg, tg_model, tg.tensor(data), tg.tensor(y)), budget)
        t_pt = per_step(make_step(torch, pt_model, torch.tensor(data), torch.tensor(y)), budget)
        cases.append((name, t_tg, t_pt))
    if args.markdown:
        print("| model | tritongrad | PyTorch | ratio |")
        print("| --- | ---: | ---: | ---: |")
        for name, a, b in cases:
            print(f"| {name} | {a * 1e3:.2f} ms | {b * 1e3:.2f} ms | {a / b:.2f} |")
    else:
        for name, a, b in cases:
            print(f"{name:32} tritongrad {a * 1e3:8.2f} ms   PyTorch {b * 1e3:8.2f} ms   ratio {a / b:6.2f}")
    print(f"machine: {platform.machine()}, python {platform.python_version()}, numpy {np.__version__}, "
          f"torch {torch.__version__} (1 thread)")


if __name__ == "__main__":
    main()
