# Custom Dataset + DataLoader: transforms as functions, collate_fn, samplers, workers, random_split.
import torch
from torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset, RandomSampler,
                              SequentialSampler, Subset, SubsetRandomSampler, TensorDataset,
                              WeightedRandomSampler, random_split)
from torch.utils.data.dataloader import default_collate


class SquaresDataset(Dataset):
    def __init__(self, n, transform=None, target_transform=None):
        self.x = torch.arange(n, dtype=torch.float32)
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        sample = {"x": self.x[idx], "y": self.x[idx] ** 2}
        if self.transform:
            sample["x"] = self.transform(sample["x"])
        if self.target_transform:
            sample["y"] = self.target_transform(sample["y"])
        return sample


def normalize(t):
    return (t - 5.0) / 3.0


ds = SquaresDataset(10, transform=normalize, target_transform=lambda y: y.long())
print(len(ds), ds[3])
torch.manual_seed(18)
loader = DataLoader(ds, batch_size=4, shuffle=True)
for batch in loader:
    print(batch["x"], batch["y"])
print(len(loader))
loader = DataLoader(ds, batch_size=3, shuffle=False, drop_last=True)
print([b["y"].tolist() for b in loader])


class Sentences(Dataset):
    def __init__(self):
        self.data = [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10]]

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return torch.tensor(self.data[i]), len(self.data[i])


def pad_collate(batch):
    seqs, lengths = zip(*batch)
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=0)
    return padded, torch.tensor(lengths)


for padded, lengths in DataLoader(Sentences(), batch_size=2, collate_fn=pad_collate):
    print(padded, lengths)
tds = TensorDataset(torch.arange(12).view(6, 2), torch.arange(6))
print(tds[2], len(tds))
g = torch.Generator().manual_seed(42)
train, val = random_split(tds, [4, 2], generator=g)
print(len(train), len(val), [train[i][1].item() for i in range(len(train))], val.indices)
train2, val2 = random_split(range(10), [0.7, 0.3], generator=torch.Generator().manual_seed(1))
print(list(train2), list(val2))
print(list(SequentialSampler(range(5))), list(RandomSampler(range(5), generator=torch.Generator().manual_seed(3))))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
print(list(SubsetRandomSampler([10, 20, 30], generator=torch.Generator().manual_seed(0))))
w = WeightedRandomSampler([0.1, 0.9, 0.0, 0.5], num_samples=8, replacement=True, generator=torch.Generator().manual_seed(5))
print(list(w))
loader = DataLoader(tds, batch_size=2, sampler=SubsetRandomSampler([0, 2, 4], generator=torch.Generator().manual_seed(7)))
print([y.tolist() for _, y in loader])
cat = ConcatDataset([tds, Subset(tds, [0, 1])])
print(len(cat), cat[7])
print(default_collate([(1, 2.0, "a"), (3, 4.0, "b")]))
print(default_collate([{"a": torch.ones(2), "b": [1, 2]}, {"a": torch.zeros(2), "b": [3, 4]}]))
if __name__ == "__main__":
    loader = DataLoader(tds, batch_size=3, num_workers=2, shuffle=False)
    print([x.sum().item() for x, _ in loader])
    loader = DataLoader(tds, batch_size=2, shuffle=True, num_workers=2, generator=torch.Generator().manual_seed(9),
                        persistent_workers=False, pin_memory=False)
    print([y.tolist() for _, y in loader])
    it = iter(DataLoader(ds, batch_size=5))
    print(next(it)["x"], next(it)["y"])
