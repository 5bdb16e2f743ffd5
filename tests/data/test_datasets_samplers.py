"""Datasets, random_split and samplers against torch.utils.data."""
import warnings

import pytest

import tritongrad as tg
import tritongrad.utils.data as tgdata
from data_test_helpers import outcome, plain

torch = pytest.importorskip("torch")
import torch.utils.data as tdata  # noqa: E402


class Squares:
    """A map-style dataset defined identically for both frameworks."""

    def __init__(self, n, base):
        self.n = n
        self.base = base

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i + self.base


def make_counting(module, start, stop):
    class Counting(module.IterableDataset):
        def __iter__(self):
            return iter(range(start, stop))

        def __len__(self):
            return stop - start
    return Counting()


# ------------------------------------------------------------------ datasets
def test_tensor_dataset_items_and_len():
    x = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    ours = tgdata.TensorDataset(tg.tensor(x), tg.tensor([0, 1, 0]))
    theirs = tdata.TensorDataset(torch.tensor(x), torch.tensor([0, 1, 0]))
    assert len(ours) == len(theirs) == 3
    for i in (0, 2, -1, slice(0, 2)):
        assert plain(ours[i]) == plain(theirs[i])


def test_tensor_dataset_size_mismatch():
    expected = outcome(tdata.TensorDataset, torch.zeros(3), torch.zeros(2))
    assert outcome(tgdata.TensorDataset, tg.zeros(3), tg.zeros(2)) == expected
    assert expected[:2] == ("error", "AssertionError")


def test_concat_dataset_indexing_and_errors():
    ours = tgdata.ConcatDataset([Squares(3, 0), Squares(0, 0), Squares(4, 100)])
    theirs = tdata.ConcatDataset([Squares(3, 0), Squares(0, 0), Squares(4, 100)])
    assert ours.cumulative_sizes == theirs.cumulative_sizes
    for i in list(range(-7, 7)) + [-8, 7]:
        assert outcome(ours.__getitem__, i) == outcome(theirs.__getitem__, i)
    assert outcome(tgdata.ConcatDataset, []) == outcome(tdata.ConcatDataset, [])
    assert outcome(tgdata.ConcatDataset, [make_counting(tgdata, 0, 2)]) == \
        outcome(tdata.ConcatDataset, [make_counting(tdata, 0, 2)])


def test_dataset_add_operators():
    class Ours(tgdata.Dataset):
        def __getitem__(self, i):
            return i

        def __len__(self):
            return 2
    combined = Ours() + Ours()
    assert isinstance(combined, tgdata.ConcatDataset) and [combined[i] for i in range(4)] == [0, 1, 0, 1]
    chained = make_counting(tgdata, 0, 2) + make_counting(tgdata, 5, 7)
    assert isinstance(chained, tgdata.ChainDataset) and list(chained) == [0, 1, 5, 6]


def test_base_dataset_errors_match_torch():
    assert outcome(lambda: tgdata.Dataset()[0]) == outcome(lambda: tdata.Dataset()[0])
    assert outcome(tgdata.IterableDataset) == outcome(tdata.IterableDataset)
    assert outcome(lambda: len(tgdata.Dataset())) == outcome(lambda: len(tdata.Dataset()))


def test_chain_dataset():
    ours = tgdata.ChainDataset([make_counting(tgdata, 0, 3), make_counting(tgdata, 10, 12)])
    theirs = tdata.ChainDataset([make_counting(tdata, 0, 3), make_counting(tdata, 10, 12)])
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    bad_ours = tgdata.ChainDataset([Squares(2, 0)])
    bad_theirs = tdata.ChainDataset([Squares(2, 0)])
    assert outcome(list, bad_ours) == outcome(list, bad_theirs)
    assert outcome(len, bad_ours) == outcome(len, bad_theirs)


def test_subset_and_subclass_check():
    ours = tgdata.Subset(Squares(10, 0), [9, 2, 4])
    theirs = tdata.Subset(Squares(10, 0), [9, 2, 4])
    assert [ours[i] for i in range(3)] == [theirs[i] for i in range(3)]
    assert ours.__getitems__([2, 0]) == theirs.__getitems__([2, 0]) and len(ours) == 3

    def subclass(module):
        class Doubled(module.Subset):
            def __getitem__(self, idx):
                return 2 * super().__getitem__(idx)
        return Doubled
    assert outcome(subclass(tgdata), Squares(3, 0), [0]) == outcome(subclass(tdata), Squares(3, 0), [0])


def test_stack_dataset():
    a, b = Squares(3, 0), Squares(3, 1)
    assert plain(tgdata.StackDataset(a, b)[1]) == plain(tdata.StackDataset(a, b)[1])
    assert plain(tgdata.StackDataset(x=a, y=b)[2]) == plain(tdata.StackDataset(x=a, y=b)[2])
    inner_ours, inner_theirs = tgdata.Subset(a, [2, 1, 0]), tdata.Subset(a, [2, 1, 0])
    assert tgdata.StackDataset(inner_ours, b).__getitems__([0, 2]) == \
        tdata.StackDataset(inner_theirs, b).__getitems__([0, 2])
    assert tgdata.StackDataset(p=inner_ours, q=b).__getitems__([1]) == \
        tdata.StackDataset(p=inner_theirs, q=b).__getitems__([1])
    for args, kwargs in [((), {}), ((a,), {"y": b}), ((a, Squares(2, 0)), {}), ((), {"x": a, "y": Squares(4, 0)})]:
        assert outcome(tgdata.StackDataset, *args, **kwargs) == outcome(tdata.StackDataset, *args, **kwargs)


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.3, 0.4], [0.5, 0.5], [1, 0, 9], [0.25, 0.75]])
def test_random_split_matches_torch(lengths):
    ours = tgdata.random_split(range(10), lengths, generator=tg.Generator().manual_seed(42))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = tdata.random_split(range(10), lengths, generator=torch.Generator().manual_seed(42))
    assert [list(s) for s in ours] == [list(s) for s in theirs]
    assert all(isinstance(s, tgdata.Subset) for s in ours)


def test_random_split_default_generator_consumption():
    tg.manual_seed(7)
    ours = [s.indices for s in tgdata.random_split(range(6), [2, 4])], tg.rand(3).tolist()
    torch.manual_seed(7)
    theirs = [s.indices for s in tdata.random_split(range(6), [2, 4])], torch.rand(3).tolist()
    assert ours == theirs


def test_random_split_errors_and_warning():
    for lengths in ([3, 3], [1.5, -0.5], [0.5, 0.6]):
        ours = outcome(tgdata.random_split, range(10), lengths, generator=tg.Generator())
        theirs = outcome(tdata.random_split, range(10), lengths, generator=torch.Generator())
        assert ours == theirs and ours[0] == "error"
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        tgdata.random_split(range(2), [1.0, 0.0], generator=tg.Generator())


# ------------------------------------------------------------------ samplers
def test_sequential_and_batch_sampler():
    for drop_last in (False, True):
        for size in (1, 3, 4):
            ours = tgdata.BatchSampler(tgdata.SequentialSampler(range(10)), size, drop_last)
            theirs = tdata.BatchSampler(tdata.SequentialSampler(range(10)), size, drop_last)
            assert list(ours) == list(theirs) and len(ours) == len(theirs)


@pytest.mark.parametrize("args", [(0, False), (True, False), (2.0, False), (2, 1), (2, None)])
def test_batch_sampler_argument_errors(args):
    assert outcome(tgdata.BatchSampler, range(3), *args) == outcome(tdata.BatchSampler, range(3), *args)


def test_sampler_without_len():
    class Endless(tgdata.Sampler):
        def __iter__(self):
            return iter([])
    with pytest.raises(TypeError):
        len(Endless())


@pytest.mark.parametrize("kwargs", [
    {}, {"num_samples": 25}, {"num_samples": 3}, {"replacement": True}, {"replacement": True, "num_samples": 70},
])
def test_random_sampler_with_generator(kwargs):
    ours = tgdata.RandomSampler(range(10), generator=tg.Generator().manual_seed(3), **kwargs)
    theirs = tdata.RandomSampler(range(10), generator=torch.Generator().manual_seed(3), **kwargs)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    assert list(ours) == list(theirs)  # a second pass continues the same generator


def test_random_sampler_seeds_private_generator_from_global():
    tg.manual_seed(11)
    sampler = tgdata.RandomSampler(range(9))
    ours = list(sampler), list(sampler), tg.rand(2).tolist()
    torch.manual_seed(11)
    sampler = tdata.RandomSampler(range(9))
    theirs = list(sampler), list(sampler), torch.rand(2).tolist()
    assert ours == theirs


@pytest.mark.parametrize("kwargs", [
    {"replacement": 1}, {"num_samples": 0}, {"num_samples": -2}, {"num_samples": 1.5},
])
def test_random_sampler_argument_errors(kwargs):
    assert outcome(tgdata.RandomSampler, range(4), **kwargs) == outcome(tdata.RandomSampler, range(4), **kwargs)


def test_subset_random_sampler():
    indices = [5, 9, 13, 2, 7]
    ours = tgdata.SubsetRandomSampler(indices, generator=tg.Generator().manual_seed(5))
    theirs = tdata.SubsetRandomSampler(indices, generator=torch.Generator().manual_seed(5))
    assert list(ours) == list(theirs) and len(ours) == 5


@pytest.mark.parametrize("replacement", [True, False])
def test_weighted_random_sampler(replacement):
    weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
    ours = tgdata.WeightedRandomSampler(weights, 5, replacement, generator=tg.Generator().manual_seed(0))
    theirs = tdata.WeightedRandomSampler(weights, 5, replacement, generator=torch.Generator().manual_seed(0))
    assert list(ours) == list(theirs) and len(ours) == 5
    assert plain(ours.weights) == plain(theirs.weights)


@pytest.mark.parametrize("args", [([1.0, 2.0], 0), ([1.0, 2.0], True), ([1.0, 2.0], 2, "yes"), ([[1.0], [2.0]], 2)])
def test_weighted_random_sampler_errors(args):
    assert outcome(tgdata.WeightedRandomSampler, *args) == outcome(tdata.WeightedRandomSampler, *args)


@pytest.mark.parametrize("size", [0, 5, 10, 11])
@pytest.mark.parametrize("options", [{}, {"shuffle": False}, {"drop_last": True}, {"seed": 3, "drop_last": True}])
def test_distributed_sampler(size, options):
    for replicas in (1, 3, 8):
        for rank in range(replicas):
            ours = tgdata.DistributedSampler(range(size), num_replicas=replicas, rank=rank, **options)
            theirs = tdata.DistributedSampler(range(size), num_replicas=replicas, rank=rank, **options)
            for epoch in (0, 1):
                ours.set_epoch(epoch)
                theirs.set_epoch(epoch)
                assert list(ours) == list(theirs) and len(ours) == len(theirs)


@pytest.mark.parametrize("rank", [-1, 2, 5])
def test_distributed_sampler_rank_errors(rank):
    assert outcome(tgdata.DistributedSampler, range(4), num_replicas=2, rank=rank) == \
        outcome(tdata.DistributedSampler, range(4), num_replicas=2, rank=rank)
