"""DataLoader with worker processes: ordering, seeding, errors, dead workers, shutdown."""
import gc
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import tritongrad as tg
import tritongrad.utils.data as tgdata
from data_test_helpers import plain

try:
    import torch
    import torch.utils.data as tdata
except ImportError:  # the oracle is optional: only the comparisons skip without it
    torch = tdata = None

needs_oracle = pytest.mark.skipif(torch is None, reason="needs the PyTorch oracle")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="worker tests use fork and os.kill")


@pytest.fixture(autouse=True)
def no_leaked_workers():
    """Every test must leave no worker process behind, and none may hang."""
    def hung(signum, frame):
        raise TimeoutError("worker test did not finish within 60 s")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    gc.collect()
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert multiprocessing.active_children() == []


def fork_context():
    return multiprocessing.get_context("fork")


class WhoAmI:
    """Each sample says which worker produced it and with which seeds."""

    def __init__(self, module, framework):
        self.module = module
        self.framework = framework

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = self.module.get_worker_info()
        return {
            "index": i,
            "worker": info.id,
            "num_workers": info.num_workers,
            "seed": info.seed,
            "initial_seed": self.framework.initial_seed(),
            "numpy": float(np.random.rand()),
            "python": random.random(),
            "same_dataset": info.dataset is self,
        }


@needs_oracle
def test_order_and_worker_assignment_match_torch():
    def run(module, framework):
        framework.manual_seed(0)
        loader = module.DataLoader(WhoAmI(module, framework), batch_size=3, num_workers=2,
                                   multiprocessing_context=fork_context())
        return [plain(batch) for batch in loader], framework.rand(2).tolist()
    assert run(tgdata, tg) == run(tdata, torch)


@needs_oracle
def test_worker_seeding_matches_torch_with_loader_generator():
    def run(module, framework):
        loader = module.DataLoader(WhoAmI(module, framework), batch_size=None, num_workers=2, shuffle=True,
                                   generator=framework.Generator().manual_seed(77))
        return [plain(sample) for sample in loader]
    assert run(tgdata, tg) == run(tdata, torch)


@needs_oracle
def test_numpy_seed_words_match_torch():
    from tritongrad.utils.data._utils.worker import _generate_state as ours
    from torch.utils.data._utils.worker import _generate_state as theirs
    for base_seed in (0, 1, 2**32 + 5, 2**63 - 1, 8314211556539077902):
        for worker_id in (0, 1, 7):
            assert ours(base_seed, worker_id) == theirs(base_seed, worker_id)


def test_shuffled_results_equal_single_process():
    def run(num_workers):
        tg.manual_seed(4)
        dataset = tgdata.TensorDataset(tg.arange(23), tg.arange(23).float() / 2)
        loader = tgdata.DataLoader(dataset, batch_size=4, shuffle=True, num_workers=num_workers, prefetch_factor=None
                                   if num_workers == 0 else 1)
        return [plain(batch) for batch in loader]
    assert run(2) == run(0)


def make_splitting_stream(module):
    class Split(module.IterableDataset):
        def __iter__(self):
            info = module.get_worker_info()
            return iter(range(info.id * 100, info.id * 100 + 3 + 2 * info.id))
    return Split()


@needs_oracle
@pytest.mark.parametrize("kwargs", [{"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None}])
def test_iterable_dataset_with_workers_matches_torch(kwargs):
    def run(module):
        return [plain(batch) for batch in module.DataLoader(make_splitting_stream(module), num_workers=2, **kwargs)]
    assert run(tgdata) == run(tdata)


def test_worker_init_fn_and_info():
    def init(worker_id):
        info = tgdata.get_worker_info()
        info.dataset.offset = 1000 * (worker_id + 1)
        assert info.id == worker_id and info.num_workers == 2

    class Offset(tgdata.Dataset):
        offset = 0

        def __len__(self):
            return 4

        def __getitem__(self, i):
            return i + self.offset
    values = [int(v) for v in tgdata.DataLoader(Offset(), batch_size=None, num_workers=2, worker_init_fn=init)]
    assert values == [1000, 2001, 1002, 2003]


class Failing:
    def __len__(self):
        return 6

    def __getitem__(self, i):
        if i == 3:
            raise ValueError(f"sample {i} is broken")
        if i == 5:
            raise KeyError("missing key")
        return i


def error_text(module, index_of_failure):
    iterator = iter(module.DataLoader(Failing(), batch_size=None, num_workers=2))
    outcomes = []
    for _ in range(6):
        try:
            outcomes.append(("ok", int(next(iterator))))
        except Exception as error:  # noqa: BLE001 - compared with the oracle's
            lines = str(error).splitlines()
            outcomes.append((type(error).__name__, lines[0], lines[1], lines[-1]))
    # The re-raised errors keep the iterator alive in a reference cycle; stop its workers now.
    iterator._shutdown_workers()
    return outcomes


@needs_oracle
def test_worker_exception_reraised_with_traceback_like_torch():
    ours = error_text(tgdata, 3)
    assert ours == error_text(tdata, 3)
    assert ours[3] == ("ValueError", "Caught ValueError in DataLoader worker process 1.",
                       "Original Traceback (most recent call last):", "ValueError: sample 3 is broken")


@needs_oracle
def test_worker_init_fn_exception_reaches_main_process():
    def init(worker_id):
        raise RuntimeError(f"init failed in {worker_id}")

    def first_error(module):
        iterator = iter(module.DataLoader(list(range(4)), num_workers=1, worker_init_fn=init))
        with pytest.raises(RuntimeError) as caught:
            next(iterator)
        iterator._shutdown_workers()
        lines = str(caught.value).splitlines()
        return lines[0], lines[-1]
    assert first_error(tgdata) == first_error(tdata)


def test_non_leaf_tensor_result_is_refused():
    class GradSample(tgdata.Dataset):
        def __len__(self):
            return 1

        def __getitem__(self, i):
            return tg.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="Cowardly refusing to serialize non-leaf tensor which requires_grad"):
        list(tgdata.DataLoader(GradSample(), batch_size=None, num_workers=1))


def test_tensors_cross_processes_intact():
    class Tensors(tgdata.Dataset):
        def __len__(self):
            return 1

        def __getitem__(self, i):
            base = tg.arange(24, dtype=tg.float32).reshape(4, 6)
            return {
                "view": base[1:3, ::2],
                "transposed": base.t(),
                "leaf": tg.ones(3, requires_grad=True),
                "int8": tg.tensor([-3, 4], dtype=tg.int8),
                "bool": tg.tensor([True, False]),
                "half": tg.tensor([1.5, -2.0], dtype=tg.float16),
                "bfloat16": tg.tensor([1.5, 3.0], dtype=tg.bfloat16),
                "double_scalar": tg.tensor(2.5, dtype=tg.float64),
                "empty": tg.zeros(0, 3),
            }
    [received] = list(tgdata.DataLoader(Tensors(), batch_size=None, num_workers=1))
    [local] = list(tgdata.DataLoader(Tensors(), batch_size=None))
    assert plain(received) == plain(local)
    assert received["view"].stride() == (6, 2) and received["transposed"].stride() == (1, 6)
    assert received["leaf"].requires_grad and received["leaf"].is_leaf
    received["view"].add_(1)  # writable, and no longer tied to the worker's memory
    assert received["view"].sum().item() == local["view"].sum().item() + 6


def test_killed_worker_raises_instead_of_hanging():
    class Suicidal(tgdata.Dataset):
        def __len__(self):
            return 10

        def __getitem__(self, i):
            if i == 4:
                os.kill(os.getpid(), signal.SIGKILL)
            return i
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly") as caught:
        list(tgdata.DataLoader(Suicidal(), batch_size=2, num_workers=2))
    assert time.monotonic() - started < 10
    assert isinstance(caught.value.__cause__, RuntimeError)
    assert str(caught.value.__cause__).endswith("is killed by signal: Killed. ")


def test_worker_exiting_with_error_code():
    class Exiting(tgdata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            os._exit(3)
    with pytest.raises(RuntimeError, match="exited unexpectedly") as caught:
        list(tgdata.DataLoader(Exiting(), num_workers=1))
    assert "exited unexpectedly with exit code 3. Details are lost due to multiprocessing." in \
        str(caught.value.__cause__)


def test_timeout():
    class Slow(tgdata.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            time.sleep(1)
            return i
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.2 seconds$"):
        next(iter(tgdata.DataLoader(Slow(), num_workers=1, timeout=0.2)))


def test_persistent_workers_across_epochs():
    class Pids(tgdata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return os.getpid(), i

    def run(module, framework):
        framework.manual_seed(2)
        loader = module.DataLoader(Pids(), batch_size=None, num_workers=2, persistent_workers=True, shuffle=True)
        epochs = [list(loader) for _ in range(3)]
        iterator = iter(loader)
        next(iterator)  # abandoned mid-epoch: the next epoch must start cleanly
        epochs.append(list(loader))
        pids = [{int(pid) for pid, _ in epoch} for epoch in epochs]
        orders = [[int(i) for _, i in epoch] for epoch in epochs]
        return pids, orders, framework.rand(2).tolist()

    pids, orders, after = run(tgdata, tg)
    assert all(p == pids[0] and len(p) == 2 for p in pids)
    if torch is None:
        return
    _, torch_orders, torch_after = run(tdata, torch)
    assert (orders, after) == (torch_orders, torch_after)


def test_workers_stop_after_exhaustion_and_on_del():
    loader = tgdata.DataLoader(list(range(20)), batch_size=2, num_workers=2)
    assert len(list(loader)) == 10
    assert multiprocessing.active_children() == []
    iterator = iter(loader)
    next(iterator)
    workers = list(iterator._workers)
    assert all(w.is_alive() for w in workers)
    del iterator
    gc.collect()
    assert not any(w.is_alive() for w in workers)


def test_no_workers_left_at_interpreter_exit(tmp_path):
    script = tmp_path / "leave_workers_running.py"
    script.write_text(textwrap.dedent("""
        import os, sys
        sys.path.insert(0, sys.argv[1])
        import tritongrad.utils.data as data
        persistent = data.DataLoader(list(range(8)), batch_size=2, num_workers=2, persistent_workers=True)
        list(persistent)
        abandoned = iter(data.DataLoader(list(range(8)), batch_size=2, num_workers=2))
        next(abandoned)
        pids = [w.pid for w in persistent._iterator._workers] + [w.pid for w in abandoned._workers]
        print(" ".join(map(str, pids)), flush=True)
    """))
    root = os.path.dirname(os.path.dirname(tg.__file__))
    done = subprocess.run([sys.executable, str(script), root], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pids = [int(pid) for pid in done.stdout.split()]
    assert len(pids) == 4
    deadline = time.monotonic() + 5
    while any(map(process_running, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(process_running, pids))


def process_running(pid):
    """Whether ``pid`` is a live process (a zombie waiting for its reaper does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_out_of_order_delivery_returns_every_batch():
    class Uneven(tgdata.Dataset):
        def __len__(self):
            return 12

        def __getitem__(self, i):
            time.sleep(0.02 if i < 4 else 0)
            return i
    loader = tgdata.DataLoader(Uneven(), batch_size=2, num_workers=2, in_order=False)
    batches = [batch.tolist() for batch in loader]
    assert sorted(batches) == [[i, i + 1] for i in range(0, 12, 2)]


@needs_oracle
def test_collate_in_worker_refuses_samples_requiring_grad_like_torch():
    def run(module, framework):
        class Samples(module.Dataset):
            def __len__(self):
                return 2

            def __getitem__(self, i):
                return framework.ones(2, requires_grad=True)
        iterator = iter(module.DataLoader(Samples(), batch_size=2, num_workers=1))
        with pytest.raises(Exception) as caught:
            next(iterator)
        iterator._shutdown_workers()
        lines = str(caught.value).splitlines()
        return type(caught.value).__name__, lines[0]
    assert run(tgdata, tg) == run(tdata, torch)


def shared_files():
    from tritongrad.utils.data._utils.worker import _SHARED_DIR
    try:
        return {name for name in os.listdir(_SHARED_DIR) if name.startswith(f"tritongrad-dataloader-{os.getpid()}-")}
    except OSError:
        return set()


def test_large_results_travel_intact_and_leave_no_shared_files():
    class Large(tgdata.Dataset):
        def __len__(self):
            return 6

        def __getitem__(self, i):
            base = (tg.arange(300 * 1000, dtype=tg.float32) + i).reshape(300, 1000)
            return {"values": base, "transposed": base.t(), "half": base.to(tg.bfloat16)[:, :700],
                    "index": i}
    before = shared_files()
    local = list(tgdata.DataLoader(Large(), batch_size=2))
    loader = tgdata.DataLoader(Large(), batch_size=2, num_workers=2)
    received = list(loader)
    assert plain(received) == plain(local)
    [single] = list(tgdata.DataLoader(tgdata.Subset(Large(), [1]), batch_size=None, num_workers=1))
    assert single["transposed"].stride() == (1, 1000) and single["half"].stride() == (1000, 1)
    assert plain(single) == plain(Large()[1])
    received[0]["values"].mul_(0)  # a private, writable copy
    assert received[1]["values"].sum().item() == local[1]["values"].sum().item()
    abandoned = iter(tgdata.DataLoader(Large(), batch_size=1, num_workers=2, prefetch_factor=2))
    next(abandoned)
    from tritongrad.utils.data._utils.worker import shared_memory_available
    if shared_memory_available():
        # Wait until the workers have written results that nobody will read.
        deadline = time.monotonic() + 10
        while not shared_files() - before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert shared_files() - before, "large results should have gone through shared memory"
    del abandoned
    gc.collect()
    assert shared_files() == before
