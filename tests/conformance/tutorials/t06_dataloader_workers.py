# Tutorial: a DataLoader with worker processes.
# Exercises: a map-style Dataset, DataLoader(num_workers=2) with the `if __name__ == "__main__"`
# guard, batches arriving in order, collate of tuples of tensors and Python numbers, drop_last,
# a custom collate_fn, and a worker_init_fn with get_worker_info() inside the workers.
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        x = torch.tensor([float(index), float(index) ** 2])
        return x, index % 3


def record_worker(worker_id):
    info = get_worker_info()
    assert info is not None and info.id == worker_id and info.num_workers == 2


def pairs(batch):
    return [(x.sum().item(), label) for x, label in batch]


if __name__ == "__main__":
    dataset = Squares(10)
    loader = DataLoader(dataset, batch_size=4, num_workers=2, worker_init_fn=record_worker)
    print(len(loader))
    for features, labels in loader:
        print(features.shape, features, labels)

    loader = DataLoader(dataset, batch_size=4, num_workers=2, drop_last=True)
    print(len(loader), [labels.tolist() for _, labels in loader])

    loader = DataLoader(dataset, batch_size=3, num_workers=2, collate_fn=pairs)
    print(list(loader))
    print(get_worker_info())
