"""DistributedSampler: each of ``num_replicas`` processes reads its own share of a dataset."""
import math

import tritongrad

from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _process_group_value(getter_name):
    distributed = getattr(tritongrad, "distributed", None)
    if distributed is None or not distributed.is_available():
        raise RuntimeError("Requires distributed package to be available")
    return getattr(distributed, getter_name)()


class DistributedSampler(Sampler):
    """Yields the indices of replica ``rank``: every ``num_replicas``-th index of one (optionally
    shuffled with seed ``seed + epoch``) order, padded by repetition to equal shares unless
    ``drop_last``. Call :meth:`set_epoch` each epoch to reshuffle."""

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        if num_replicas is None:
            num_replicas = _process_group_value("get_world_size")
        if rank is None:
            rank = _process_group_value("get_rank")
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        if drop_last and len(dataset) % num_replicas != 0:
            # Drop the tail so that every replica gets the same number of samples.
            self.num_samples = math.ceil((len(dataset) - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(len(dataset) / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            generator = tritongrad.Generator()
            generator.manual_seed(self.seed + self.epoch)
            order = tritongrad.randperm(n, generator=generator).tolist()
        else:
            order = list(range(n))
        if self.drop_last:
            order = order[:self.total_size]
        else:
            missing = self.total_size - len(order)
            repeats = math.ceil(missing / len(order)) if order and missing > len(order) else 1
            order += (order * repeats)[:missing]
        if len(order) != self.total_size:
            raise AssertionError(f"Number of indices ({len(order)}) does not match total_size ({self.total_size})")
        mine = order[self.rank:self.total_size:self.num_replicas]
        if len(mine) != self.num_samples:
            raise AssertionError(
                f"Number of subsampled indices ({len(mine)}) does not match num_samples ({self.num_samples})")
        return iter(mine)

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Set the epoch that seeds the next shuffle (``seed + epoch``)."""
        self.epoch = epoch
