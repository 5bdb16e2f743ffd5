"""DataLoader in the main process (num_workers=0) against torch.utils.data.DataLoader."""
import os
import warnings

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.utils.data as tgdata
from data_test_helpers import outcome, plain

torch = pytest.importorskip("torch")
import torch.utils.data as tdata  # noqa: E402


class Records:
    """Samples of mixed kinds: an int, a float, a string, a numpy array and a dict."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        if not 0 <= i < 7:
            raise IndexError(i)
        return i, i / 4, f"s{i}", np.full(2, i, dtype=np.int16), {"sq": i * i}


class Batched:
    """A dataset with ``__getitems__``: the loader must call it with the whole batch of indices."""

    def __init__(self):
        self.calls = []

    def __len__(self):
        return 5

    def __getitem__(self, i):
        raise AssertionError("__getitems__ should have been used")

    def __getitems__(self, indices):
        self.calls.append(list(indices))
        return [i * 10 for i in indices]


def pair(module, framework):
    """The same TensorDataset built from each framework's tensors."""
    x = framework.arange(30, dtype=framework.float32).reshape(10, 3)
    return module.TensorDataset(x, framework.arange(10) % 3)


def make_stream(module, n):
    class Stream(module.IterableDataset):
        def __iter__(self):
            return iter(range(n))

        def __len__(self):
            return n
    return Stream()


def run_both(make_loader):
    """Epoch contents (plain form) of ``make_loader(module, framework)`` for tritongrad and torch."""
    ours = [plain(batch) for batch in make_loader(tgdata, tg)]
    theirs = [plain(batch) for batch in make_loader(tdata, torch)]
    return ours, theirs


@pytest.mark.parametrize("kwargs", [
    {},
    {"batch_size": 4},
    {"batch_size": 4, "drop_last": True},
    {"batch_size": 20},
    {"batch_size": None},
    {"batch_size": 3, "sampler": [9, 0, 4, 4, 1]},
    {"batch_sampler": [[3, 1], [0], [9, 8, 7]]},
    {"batch_size": 2, "collate_fn": lambda samples: len(samples)},
])
def test_tensor_dataset_batches(kwargs):
    ours, theirs = run_both(lambda module, framework: module.DataLoader(pair(module, framework), **kwargs))
    assert ours == theirs


@pytest.mark.parametrize("batch_size", [1, 3, None])
def test_mixed_records(batch_size):
    ours, theirs = run_both(lambda module, framework: module.DataLoader(Records(), batch_size=batch_size))
    assert ours == theirs


@pytest.mark.parametrize("kwargs", [{"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None},
                                    {"batch_size": 10}])
def test_iterable_dataset(kwargs):
    ours, theirs = run_both(lambda module, framework: module.DataLoader(make_stream(module, 5), **kwargs))
    assert ours == theirs
    assert len(tgdata.DataLoader(make_stream(tgdata, 5), **kwargs)) == \
        len(tdata.DataLoader(make_stream(tdata, 5), **kwargs))


def test_iterable_dataset_longer_than_reported_warns():
    class Liar(tgdata.IterableDataset):
        def __iter__(self):
            return iter(range(4))

        def __len__(self):
            return 2
    loader = tgdata.DataLoader(Liar(), batch_size=1)
    assert len(loader) == 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(loader)
    assert [str(w.message).split(" was reported")[1] for w in caught] == [
        f" to be 2(when accessing len(dataloader)), but {n} samples have been fetched. " for n in (3, 4)]


def test_getitems_is_used_for_batches():
    dataset = Batched()
    batches = [b.tolist() for b in tgdata.DataLoader(dataset, batch_size=2)]
    assert batches == [[0, 10], [20, 30], [40]] and dataset.calls == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize("kwargs", [
    {"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {"batch_size": None},
    {"batch_sampler": [[0, 1], [2]]}, {"sampler": [1, 2, 3]},
])
def test_len(kwargs):
    assert len(tgdata.DataLoader(pair(tgdata, tg), **kwargs)) == len(tdata.DataLoader(pair(tdata, torch), **kwargs))


@pytest.mark.parametrize("kwargs", [
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"num_workers": 1, "prefetch_factor": -1},
    {"persistent_workers": True},
    {"shuffle": True, "sampler": [0, 1]},
    {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "shuffle": True},
    {"batch_sampler": [[0]], "sampler": [0]},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
    {"batch_size": 0},
    {"batch_size": 2, "drop_last": 1},
    {"multiprocessing_context": "fork"},
    {"num_workers": 1, "multiprocessing_context": "no-such-method"},
    {"num_workers": 1, "multiprocessing_context": 3},
])
def test_argument_errors(kwargs):
    ours = outcome(tgdata.DataLoader, pair(tgdata, tg), **kwargs)
    theirs = outcome(tdata.DataLoader, pair(tdata, torch), **kwargs)
    assert ours[0] == "error" and ours == theirs


@pytest.mark.parametrize("kwargs", [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}])
def test_iterable_dataset_argument_errors(kwargs):
    ours = outcome(tgdata.DataLoader, make_stream(tgdata, 3), **kwargs)
    theirs = outcome(tdata.DataLoader, make_stream(tdata, 3), **kwargs)
    assert ours[0] == "error"
    # The sampler's repr holds an address; compare up to it.
    assert ours[:2] == theirs[:2] and ours[2].split(" at 0x")[0] == theirs[2].split(" at 0x")[0]


@pytest.mark.parametrize("attr", ["batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                  "persistent_workers"])
def test_attributes_frozen_after_init(attr):
    ours = outcome(setattr, tgdata.DataLoader(pair(tgdata, tg)), attr, None)
    theirs = outcome(setattr, tdata.DataLoader(pair(tdata, torch)), attr, None)
    assert ours == theirs and ours[0] == "error"


def test_defaults_and_attributes():
    ours = tgdata.DataLoader(pair(tgdata, tg), batch_size=4)
    theirs = tdata.DataLoader(pair(tdata, torch), batch_size=4)
    for name in ("batch_size", "num_workers", "drop_last", "timeout", "prefetch_factor", "pin_memory",
                 "persistent_workers", "in_order", "multiprocessing_context", "generator", "worker_init_fn"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert type(ours.sampler).__name__ == type(theirs.sampler).__name__
    assert ours.collate_fn is tgdata.default_collate
    assert tgdata.DataLoader(pair(tgdata, tg), batch_size=None).collate_fn is tgdata.default_convert
    assert tgdata.DataLoader(pair(tgdata, tg), num_workers=2).prefetch_factor == 2
    assert isinstance(tgdata.DataLoader(pair(tgdata, tg), shuffle=True).sampler, tgdata.RandomSampler)


def test_pin_memory_accepted_with_warning_without_accelerator():
    if tg.cuda.is_available():
        pytest.skip("an accelerator is present; pinning is real there")
    loader = tgdata.DataLoader(pair(tgdata, tg), batch_size=5, pin_memory=True)
    with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no accelerator is found"):
        batches = list(loader)
    assert plain(batches) == plain(list(tdata.DataLoader(pair(tdata, torch), batch_size=5)))


def test_worker_info_is_none_in_main_process():
    assert tgdata.get_worker_info() is None


def test_iterator_cannot_be_pickled():
    import pickle
    ours = outcome(pickle.dumps, iter(tgdata.DataLoader(pair(tgdata, tg))))
    theirs = outcome(pickle.dumps, iter(tdata.DataLoader(pair(tdata, torch))))
    assert ours == theirs and ours[0] == "error"


# ------------------------------------------------------------------ random stream consumption
def epochs_after_seed(module, framework, seed, epochs=2, **kwargs):
    """Shuffled epoch orders after manual_seed(seed), then one more global draw to show how much
    of the default generator the loader consumed."""
    framework.manual_seed(seed)
    loader = module.DataLoader(module.TensorDataset(framework.arange(10)), batch_size=4, **kwargs)
    orders = [[batch[0].tolist() for batch in loader] for _ in range(epochs)]
    return orders, framework.rand(2).tolist()


@pytest.mark.parametrize("seed", [0, 42])
@pytest.mark.parametrize("shuffle", [True, False])
def test_shuffle_order_and_global_generator_consumption(seed, shuffle):
    assert epochs_after_seed(tgdata, tg, seed, shuffle=shuffle) == \
        epochs_after_seed(tdata, torch, seed, shuffle=shuffle)


def test_shuffle_with_loader_generator():
    def run(module, framework):
        framework.manual_seed(1)
        generator = framework.Generator().manual_seed(123)
        loader = module.DataLoader(module.TensorDataset(framework.arange(12)), batch_size=5, shuffle=True,
                                   generator=generator)
        orders = [[batch[0].tolist() for batch in loader] for _ in range(2)]
        return orders, framework.rand(2).tolist(), framework.rand(2, generator=generator).tolist()
    assert run(tgdata, tg) == run(tdata, torch)


def test_random_sampler_with_replacement_in_loader():
    def run(module, framework):
        framework.manual_seed(3)
        sampler = module.RandomSampler(range(40), replacement=True, num_samples=45)
        loader = module.DataLoader(list(range(40)), batch_size=8, sampler=sampler)
        return [batch.tolist() for batch in loader], framework.rand(2).tolist()
    assert run(tgdata, tg) == run(tdata, torch)


def test_breaking_early_consumes_the_same_draws():
    def run(module, framework):
        framework.manual_seed(5)
        loader = module.DataLoader(list(range(10)), batch_size=3, shuffle=True)
        first = next(iter(loader)).tolist()
        return first, framework.rand(2).tolist()
    assert run(tgdata, tg) == run(tdata, torch)


def test_iterator_creation_draws_base_seed_only():
    def run(module, framework):
        framework.manual_seed(9)
        iterator = iter(module.DataLoader(list(range(10)), shuffle=True))
        after_iter = framework.rand(1).tolist()
        return after_iter, next(iterator).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert run(tgdata, tg) == run(tdata, torch)


def test_profiler_sees_each_next_call():
    profiler = getattr(tg.autograd, "profiler", None)
    if profiler is None or not hasattr(profiler, "profile"):
        pytest.skip("tritongrad.autograd.profiler is not available")

    def count(framework, module):
        with framework.autograd.profiler.profile() as prof:
            for _ in module.DataLoader(list(range(5)), batch_size=2):
                pass
        return [event.name for event in prof.function_events].count(
            "enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__")
    assert count(tg, tgdata) == count(torch, tdata) == 4


def test_too_many_workers_warning_matches_torch():
    def message(module, framework):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module.DataLoader(pair(module, framework), num_workers=len(os.sched_getaffinity(0)) + 1)
        return [str(w.message) for w in caught]
    ours = message(tgdata, tg)
    assert len(ours) == 1 and ours == message(tdata, torch)
