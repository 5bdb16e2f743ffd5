"""Samplers: iterables of dataset indices (or of lists of indices, for BatchSampler)."""
import itertools
from typing import Generic, TypeVar

import tritongrad

__all__ = [
    "BatchSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]

T_co = TypeVar("T_co", covariant=True)

# RandomSampler with replacement draws its indices in blocks of this many.
_REPLACEMENT_BLOCK = 32


class Sampler(Generic[T_co]):
    """Base class of samplers: ``__iter__`` yields indices; ``__len__`` is optional (deliberately
    not defined here, so that ``len()`` of a sampler without one raises TypeError)."""

    def __iter__(self):
        # Abstract: PyTorch raises with an empty message here, and so do we.
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """Yields ``0 .. len(data_source) - 1`` in order."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


def _is_positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class RandomSampler(Sampler[int]):
    """Yields a random permutation of the indices (``replacement=False``; ``num_samples`` beyond
    ``len(data_source)`` repeats fresh permutations) or ``num_samples`` uniform draws with
    replacement. Without a ``generator`` each iteration seeds a private one from the default
    generator, as PyTorch does."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self):
        # Read at use time: the data source may grow or shrink between epochs.
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def _generator_for_this_pass(self):
        if self.generator is not None:
            return self.generator
        seed = int(tritongrad.empty((), dtype=tritongrad.int64).random_().item())
        generator = tritongrad.Generator()
        generator.manual_seed(seed)
        return generator

    def __iter__(self):
        n = len(self.data_source)
        generator = self._generator_for_this_pass()
        count = self.num_samples
        if self.replacement:
            for _ in range(count // _REPLACEMENT_BLOCK):
                yield from tritongrad.randint(high=n, size=(_REPLACEMENT_BLOCK,), dtype=tritongrad.int64,
                                              generator=generator).tolist()
            yield from tritongrad.randint(high=n, size=(count % _REPLACEMENT_BLOCK,), dtype=tritongrad.int64,
                                          generator=generator).tolist()
        else:
            for _ in range(count // n):
                yield from tritongrad.randperm(n, generator=generator).tolist()
            # A last permutation is always drawn, even when only zero of its items are used.
            yield from tritongrad.randperm(n, generator=generator).tolist()[:count % n]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """Yields the given indices in a random order (one ``randperm`` per pass)."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for position in tritongrad.randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[position]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """Yields ``num_samples`` indices of ``weights`` drawn with probability proportional to the
    weights, via ``torch.multinomial``."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not _is_positive_int(num_samples):
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        weights_tensor = tritongrad.as_tensor(weights, dtype=tritongrad.double)
        if len(weights_tensor.shape) != 1:
            raise ValueError("weights should be a 1d sequence but given "
                             f"weights have shape {tuple(weights_tensor.shape)}")
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        drawn = tritongrad.multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator)
        yield from iter(drawn.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler[list]):
    """Groups the indices of ``sampler`` into lists of ``batch_size`` (the last one shorter unless
    ``drop_last``)."""

    def __init__(self, sampler, batch_size, drop_last):
        if not _is_positive_int(batch_size):
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        indices = iter(self.sampler)
        while True:
            batch = list(itertools.islice(indices, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
