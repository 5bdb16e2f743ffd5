"""default_collate / default_convert against torch.utils.data's, for every input kind."""
import collections
from collections import OrderedDict, namedtuple

import numpy as np
import pytest

import tritongrad as tg
from tritongrad.utils.data import default_collate, default_convert
from data_test_helpers import outcome, plain, to_torch

torch = pytest.importorskip("torch")
from torch.utils.data import default_collate as torch_collate  # noqa: E402
from torch.utils.data import default_convert as torch_convert  # noqa: E402

Point = namedtuple("Point", ["x", "y"])


class FrozenMapping(collections.abc.Mapping):
    """An immutable mapping whose type can be rebuilt from a dict."""

    def __init__(self, data):
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def _batches():
    """name -> batch built with tritongrad tensors (converted to torch ones for the oracle)."""
    return {
        "ints": [1, 2, 3],
        "floats": [1.5, -2.25],
        "bools": [True, False, True],
        "mixed_int_float": [1, 2.5],
        "strings": ["a", "bc"],
        "bytes": [b"x", b"yz"],
        "tensors_float": [tg.tensor([1.0, 2.0]), tg.tensor([3.0, 4.0])],
        "tensors_int_scalar": [tg.tensor(3), tg.tensor(4)],
        "tensors_bool": [tg.tensor([True]), tg.tensor([False])],
        "tensors_float64": [tg.ones(2, 2, dtype=tg.float64), tg.zeros(2, 2, dtype=tg.float64)],
        "tensors_noncontiguous": [tg.arange(6).reshape(2, 3).t(), tg.arange(6, 12).reshape(2, 3).t()],
        "numpy_arrays": [np.arange(3, dtype=np.float32), np.arange(3, 6, dtype=np.float32)],
        "numpy_int_arrays": [np.arange(4).reshape(2, 2), np.ones((2, 2), dtype=np.int64)],
        "numpy_scalars_int32": [np.int32(3), np.int32(-4)],
        "numpy_scalars_float64": [np.float64(0.5), np.float64(1.5)],
        "numpy_scalars_bool": [np.bool_(True), np.bool_(False)],
        "numpy_zero_dim": [np.array(1.5), np.array(2.5)],
        "tuples": [(1, "a", 2.0), (2, "b", 3.0)],
        "lists": [[1, 2], [3, 4]],
        "nested": [([1, 2], {"k": 1.0}), ([3, 4], {"k": 2.0})],
        "dicts": [{"a": 1, "b": tg.tensor([1.0])}, {"a": 2, "b": tg.tensor([2.0])}],
        "ordered_dicts": [OrderedDict(z=1, a=2), OrderedDict(z=3, a=4)],
        "defaultdicts": [collections.defaultdict(int, a=1), collections.defaultdict(int, a=2)],
        "frozen_mappings": [FrozenMapping({"a": 1}), FrozenMapping({"a": 2})],
        "namedtuples": [Point(1, tg.tensor([1.0])), Point(2, tg.tensor([2.0]))],
        "tensor_and_label": [(tg.tensor([[1, 2, 3]]), tg.tensor(1)), (tg.tensor([[2, 3, 4]]), tg.tensor(0))],
        "single_sample": [{"x": [1.0, 2.0]}],
    }


@pytest.mark.parametrize("name", sorted(_batches()))
def test_default_collate_matches_torch(name):
    batch = _batches()[name]
    ours = outcome(default_collate, batch)
    theirs = outcome(torch_collate, to_torch(batch, torch))
    assert ours == theirs


def test_collate_keeps_mapping_types():
    ours = default_collate([collections.defaultdict(int, a=1), collections.defaultdict(int, a=2)])
    assert type(ours) is collections.defaultdict and ours["missing"] == 0
    assert type(default_collate([FrozenMapping({"a": 1})])) is FrozenMapping


@pytest.mark.parametrize("batch", [
    [[1, 2], [3]],
    [(1, 2), (3, 4, 5)],
    [object(), object()],
    [np.array(["a"]), np.array(["b"])],
    [np.array([object()]), np.array([object()])],
    [None, None],
    [{1, 2}, {3, 4}],
])
def test_default_collate_errors_match_torch(batch):
    ours = outcome(default_collate, batch)
    theirs = outcome(torch_collate, batch)
    assert ours[0] == "error"
    # The object's address differs between the two calls; compare up to it.
    assert ours[:2] == theirs[:2] and ours[2].split(" at 0x")[0] == theirs[2].split(" at 0x")[0]


def test_tensor_size_mismatch_is_stack_error():
    with pytest.raises(RuntimeError) as ours:
        default_collate([tg.zeros(2), tg.zeros(3)])
    with pytest.raises(RuntimeError) as theirs:
        torch_collate([torch.zeros(2), torch.zeros(3)])
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("data", [
    0,
    1.5,
    "text",
    np.array([0, 1]),
    np.float32(2.5),
    np.str_("s"),
    np.array(["a", "b"]),
    Point(np.array(0), 3),
    (np.array([1.0]), "x"),
    [np.array([1, 2]), np.array([3, 4])],
    {"a": np.arange(2), "b": [np.int64(3)]},
    OrderedDict(k=np.ones(2, dtype=np.float16)),
    "not converted",
])
def test_default_convert_matches_torch(data):
    assert outcome(default_convert, data) == outcome(torch_convert, data)


def test_default_convert_leaves_tensors_alone():
    t = tg.ones(2)
    assert default_convert(t) is t
    assert plain(default_convert([t])) == plain(torch_convert([torch.ones(2)]))
