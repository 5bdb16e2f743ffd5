"""The errors tutorials and users meet: same exception type and message as PyTorch."""
import pytest

torch = pytest.importorskip("torch")

from .compare_cases import check_case  # noqa: E402


def _backward_twice(L):
    x = L.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _modified_saved(L):
    x = L.ones(2, requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


ERRORS = {
    "view_shape": lambda L: L.ones(2, 3).view(4),
    "view_noncontiguous": lambda L: L.ones(2, 3).t().view(6),
    "reshape_bad": lambda L: L.ones(2, 3).reshape(4, -1),
    "view_two_minus_one": lambda L: L.ones(2, 3).view(-1, -1),
    "matmul_shapes": lambda L: L.ones(2, 3) @ L.ones(2, 3),
    "mm_shapes": lambda L: L.mm(L.ones(2, 3), L.ones(2, 3)),
    "matmul_dtype": lambda L: L.ones(2, 2) @ L.ones(2, 2, dtype=L.float64),
    "matmul_0d": lambda L: L.tensor(1.0) @ L.ones(2),
    "broadcast": lambda L: L.ones(2, 3) + L.ones(4),
    "broadcast_3d": lambda L: L.ones(2, 3, 4) * L.ones(3, 3, 4),
    "backward_twice": _backward_twice,
    "backward_non_scalar": lambda L: (L.ones(2, requires_grad=True) * 2).backward(),
    "backward_no_grad": lambda L: L.ones(2).sum().backward(),
    "inplace_leaf": lambda L: L.ones(2, requires_grad=True).mul_(2),
    "modified_saved": _modified_saved,
    "index_out_of_range": lambda L: L.ones(3)[5],
    "dim_out_of_range": lambda L: L.ones(3).sum(1),
    "cat_dims": lambda L: L.cat([L.ones(2, 3), L.ones(2, 4)]),
    "cat_ndim": lambda L: L.cat([L.ones(2, 3), L.ones(3)]),
    "stack_sizes": lambda L: L.stack([L.ones(2), L.ones(3)]),
    "squeeze_dim": lambda L: L.ones(2, 3).transpose(0, 3),
    "permute_dims": lambda L: L.ones(2, 3).permute(0),
    "expand_bad": lambda L: L.ones(2, 3).expand(3, 3),
    "nll_target_dtype": lambda L: L.nn.functional.nll_loss(L.ones(2, 3), L.ones(2)),
    "cross_entropy_target_range": lambda L: L.nn.functional.cross_entropy(L.ones(2, 3), L.tensor([0, 3])),
    "linear_shapes": lambda L: L.nn.Linear(3, 2)(L.ones(4, 5)),
    "item_many": lambda L: L.ones(3).item(),
    "numpy_requires_grad": lambda L: L.ones(2, requires_grad=True).numpy(),
    "grad_int_tensor": lambda L: L.ones(2, dtype=L.long).requires_grad_(),
    "device_mismatch_str": lambda L: L.ones(2).to("cuda:0"),
    "bad_dtype_arg": lambda L: L.ones(2, dtype="float32"),
    "arange_bool": lambda L: L.arange(3, dtype=L.bool),
    "tensor_ragged": lambda L: L.tensor([[1, 2], [3]]),
    "unsqueeze_range": lambda L: L.ones(2).unsqueeze(3),
    "topk_k": lambda L: L.ones(3).topk(4),
    "gather_index_dtype": lambda L: L.ones(3).gather(0, L.tensor([0.0])),
    "split_size": lambda L: L.ones(3).split(0),
    "chunk_zero": lambda L: L.ones(3).chunk(0),
    "one_hot_negative": lambda L: L.nn.functional.one_hot(L.tensor([-1])),
    "embedding_index": lambda L: L.nn.Embedding(3, 2)(L.tensor([3])),
}
KNOWN_CORE_DIFFERENCES = set()


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason="core difference, reported",
                                                                          strict=False))
                                  if n in KNOWN_CORE_DIFFERENCES else n for n in ERRORS])
def test_error(name):
    check_case(ERRORS[name])
