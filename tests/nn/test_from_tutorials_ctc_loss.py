"""F.ctc_loss / nn.CTCLoss against PyTorch: values, gradients (PyTorch's own gradient formula), node
names, reductions, target layouts and the argument errors.  Found missing by tests/tutorials."""
import numpy as np
import pytest

import tritongrad as tg

torch = pytest.importorskip("torch")


def _pair(array, requires_grad=False):
    ours = tg.tensor(array, requires_grad=requires_grad)
    theirs = torch.tensor(array, requires_grad=requires_grad)
    return ours, theirs


def _both(fn_ours, fn_theirs):
    return fn_ours(tg), fn_theirs(torch)


def _logits(seed, shape, dtype=np.float32):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


PADDED = [[1, 2, 2], [3, 1, 0], [4, 4, 4]]
CONCAT = [1, 2, 2, 3, 1, 4, 4]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("layout", ["padded", "concatenated"])
@pytest.mark.parametrize("leaf", ["log_probs", "logits"])
def test_values_and_gradients_match(reduction, layout, leaf):
    raw = _logits(0, (9, 3, 5))
    results = []
    for lib in (tg, torch):
        x = lib.tensor(raw, requires_grad=True)
        log_probs = x.log_softmax(2) if leaf == "logits" else x
        targets = lib.tensor(PADDED if layout == "padded" else CONCAT)
        loss = lib.nn.functional.ctc_loss(log_probs, targets, lib.tensor([9, 7, 8]), lib.tensor([3, 2, 2]),
                                          reduction=reduction)
        loss.sum().backward()
        results.append((loss.detach().numpy(), x.grad.numpy(), type(loss.grad_fn).__name__))
    (ours, our_grad, our_node), (theirs, their_grad, their_node) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-4, atol=1e-6)
    assert our_node == their_node


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_impossible_alignment_and_zero_infinity(zero_infinity):
    raw = _logits(1, (3, 2, 4))
    outs = []
    for lib in (tg, torch):
        x = lib.tensor(raw).log_softmax(2).detach().requires_grad_()
        module = lib.nn.CTCLoss(blank=0, reduction="none", zero_infinity=zero_infinity)
        loss = module(x, lib.tensor([[1, 1, 1], [2, 3, 0]]), (2, 3), (3, 2))
        (loss * lib.tensor([1.0, 1.0])).sum().backward() if zero_infinity else loss[1].backward()
        outs.append((loss.detach().numpy(), x.grad.numpy(), repr(module), type(loss.grad_fn).__name__))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-5)
    np.testing.assert_allclose(outs[0][1], outs[1][1], rtol=1e-4, atol=1e-6)
    assert outs[0][2:] == outs[1][2:]


def test_unbatched_float64_and_blank_last():
    raw = _logits(2, (6, 4), np.float64)
    outs = []
    for lib in (tg, torch):
        x = lib.tensor(raw, requires_grad=True)
        loss = lib.nn.functional.ctc_loss(x.log_softmax(1), lib.tensor([0, 1, 1]), lib.tensor(6), lib.tensor(3),
                                          blank=3, reduction="none")
        loss.backward()
        outs.append((loss.detach().numpy(), x.grad.numpy(), loss.dtype, tuple(loss.shape)))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-10)
    np.testing.assert_allclose(outs[0][1], outs[1][1], rtol=1e-8, atol=1e-12)
    assert str(outs[0][2]) == str(outs[1][2]) and outs[0][3] == outs[1][3]


@pytest.mark.parametrize("args", [
    dict(input_lengths=[9], target_lengths=[3, 2, 2]),
    dict(input_lengths=[10, 7, 8], target_lengths=[3, 2, 2]),
    dict(input_lengths=[9, 7, 8], target_lengths=[4, 2, 2]),
])
def test_argument_errors_match(args):
    messages = []
    for lib in (tg, torch):
        x = lib.tensor(_logits(3, (9, 3, 5))).log_softmax(2)
        with pytest.raises(RuntimeError) as info:
            lib.nn.functional.ctc_loss(x, lib.tensor(PADDED), lib.tensor(args["input_lengths"]),
                                       lib.tensor(args["target_lengths"]))
        messages.append(str(info.value))
    assert messages[0] == messages[1]
