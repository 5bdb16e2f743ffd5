# IterableDataset with worker sharding (get_worker_info), worker_init_fn, prefetching, and a streaming pipeline.
import math

import torch
from torch.utils.data import DataLoader, IterableDataset, get_worker_info


class RangeStream(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        worker_info = get_worker_info()
        if worker_info is None:
            iter_start, iter_end = self.start, self.end
        else:
            per_worker = int(math.ceil((self.end - self.start) / float(worker_info.num_workers)))
            iter_start = self.start + worker_info.id * per_worker
            iter_end = min(iter_start + per_worker, self.end)
        return iter(range(iter_start, iter_end))


ds = RangeStream(3, 12)
print(list(DataLoader(ds, num_workers=0)))
print(sorted(x.item() for x in DataLoader(ds, num_workers=2)))
print([b.tolist() for b in DataLoader(ds, batch_size=4)])


def worker_init_fn(worker_id):
    info = torch.utils.data.get_worker_info()
    dataset = info.dataset
    overall_start, overall_end = 3, 12
    per_worker = int(math.ceil((overall_end - overall_start) / float(info.num_workers)))
    dataset.start = overall_start + worker_id * per_worker
    dataset.end = min(dataset.start + per_worker, overall_end)


class PlainRange(IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))


if __name__ == "__main__":
    print(sorted(x.item() for x in DataLoader(PlainRange(3, 12), num_workers=2, worker_init_fn=worker_init_fn)))
    loader = DataLoader(PlainRange(0, 10), batch_size=3, num_workers=2, worker_init_fn=worker_init_fn, prefetch_factor=2)
    print(sorted(sum(b.tolist()) for b in loader))


class NoisySensor(IterableDataset):
    def __init__(self, n, seed):
        self.n, self.seed = n, seed

    def __iter__(self):
        g = torch.Generator().manual_seed(self.seed)
        for i in range(self.n):
            x = torch.randn(3, generator=g)
            yield x, (x.sum() > 0).long()


torch.manual_seed(46)
model = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(2):
    total = 0.0
    for xb, yb in DataLoader(NoisySensor(40, epoch), batch_size=8):
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    print(epoch, f"{total:.5f}")
chained = torch.utils.data.ChainDataset([PlainRange(0, 3), PlainRange(10, 12)])
print(list(chained))
print(len(DataLoader(list(range(10)), batch_size=3)), next(iter(DataLoader(["a", "b", "c"], batch_size=2))))
