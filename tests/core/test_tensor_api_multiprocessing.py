"""torch.multiprocessing (sharing strategies, spawn error reporting) and Tensor.share_memory_ across fork."""
import multiprocessing
import sys

import pytest

import tritongrad as tg
import tritongrad.multiprocessing as tmp

fork_only = pytest.mark.skipif(sys.platform != "linux", reason="uses the fork start method")


def test_sharing_strategies_match_pytorch():
    pytest.importorskip("torch")
    import torch.multiprocessing as pmp
    assert tmp.get_all_sharing_strategies() == pmp.get_all_sharing_strategies()
    assert tmp.get_sharing_strategy() == pmp.get_sharing_strategy()
    with pytest.raises(AssertionError) as mine:
        tmp.set_sharing_strategy("foo")
    with pytest.raises(AssertionError) as theirs:
        pmp.set_sharing_strategy("foo")
    assert str(mine.value) == str(theirs.value)
    assert tmp.Queue is not None and tmp.Process is multiprocessing.Process


def _write_rank(rank, t):
    t[rank] = rank + 1.0


@fork_only
def test_share_memory_visible_across_fork():
    t = tg.zeros(3)
    assert not t.is_shared()
    assert t.share_memory_() is t and t.is_shared()
    tmp.start_processes(_write_rank, args=(t,), nprocs=3, start_method="fork")
    assert t.tolist() == [1.0, 2.0, 3.0]


def _fail(rank):
    if rank == 1:
        raise ValueError("boom")


def _exit(rank):
    sys.exit(3)


@fork_only
def test_spawn_reports_child_exception():
    with pytest.raises(tmp.ProcessRaisedException) as info:
        tmp.start_processes(_fail, nprocs=2, start_method="fork")
    assert info.value.error_index == 1
    assert str(info.value).startswith("\n\n-- Process 1 terminated with the following error:\nTraceback")
    assert "ValueError: boom" in str(info.value)


@fork_only
def test_spawn_reports_exit_code():
    with pytest.raises(tmp.ProcessExitedException, match="process 0 terminated with exit code 3"):
        tmp.start_processes(_exit, nprocs=1, start_method="fork")


def test_share_memory_keeps_values_and_views():
    t = tg.arange(6.0).reshape(2, 3)[:, 1:]
    t.share_memory_()
    assert t.tolist() == [[1.0, 2.0], [4.0, 5.0]]
    v = t[0]
    v.add_(10)
    assert t.tolist() == [[11.0, 12.0], [4.0, 5.0]]
    assert v.is_shared()
