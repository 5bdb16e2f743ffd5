# torch.manual_seed reproducibility: same seed same numbers, Generators, rng state save/restore, fork_rng.
import random

import numpy as np
import torch


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


set_seed(22)
a = torch.randn(3)
set_seed(22)
b = torch.randn(3)
print(a, torch.equal(a, b))
print(torch.initial_seed())
print(torch.rand(2, 2), torch.randint(0, 100, (5,)), torch.randperm(8), torch.normal(2.0, 3.0, size=(3,)))
print(torch.randint(3, 10, (2, 2), dtype=torch.int32), torch.randn(2, dtype=torch.float64), torch.rand(3, dtype=torch.float16))
print(torch.bernoulli(torch.full((6,), 0.5)), torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 5, replacement=True))
print(torch.empty(4).uniform_(-1, 1), torch.empty(3).normal_(0, 0.1), torch.empty(3).exponential_(), torch.empty(3).random_(0, 10))
print(torch.empty(4).bernoulli_(0.3), torch.empty(3).log_normal_(), torch.empty(3).cauchy_(), torch.empty(3).geometric_(0.5))
state = torch.get_rng_state()
x1 = torch.rand(4)
torch.set_rng_state(state)
x2 = torch.rand(4)
print(torch.equal(x1, x2), state.dtype, state.shape)
g = torch.Generator()
g.manual_seed(123)
print(torch.randn(3, generator=g), torch.rand(2, generator=g), g.initial_seed())
g2 = torch.Generator().manual_seed(123)
print(torch.randn(3, generator=g2))
gs = g.get_state()
v1 = torch.randint(0, 10, (5,), generator=g)
g.set_state(gs)
print(torch.equal(v1, torch.randint(0, 10, (5,), generator=g)))
with torch.random.fork_rng():
    torch.manual_seed(0)
    inner = torch.rand(2)
after = torch.rand(2)
print(inner, after)
torch.manual_seed(5)
drop = torch.nn.Dropout(0.5)
print(drop(torch.ones(10)))
torch.manual_seed(5)
print(torch.nn.functional.dropout(torch.ones(10), 0.5, training=True))
lin = torch.nn.Linear(3, 2)
print(lin.weight)
print(torch.randn(2, 3).shuffle if False else torch.randn(2, 3)[torch.randperm(2)])
print(torch.seed() > 0, torch.random.initial_seed() != 22)
print(torch.rand(1, generator=torch.Generator().manual_seed(2**40)))
