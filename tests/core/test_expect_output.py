"""Printed output and error messages pinned with expecttest (the oracle tests check the same against PyTorch;
these keep the exact text in the repository, where a reviewer sees it)."""
import expecttest

import tritongrad as tg


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the message is what is pinned
        return f"{type(e).__name__}: {e}"
    return "no error"


class TestPrinting(expecttest.TestCase):
    def test_float_and_grad_fn(self):
        x = tg.tensor([[1.0, 2.5], [3.0, -4.0]], requires_grad=True)
        self.assertExpectedInline(str(x * 2), """\
tensor([[ 2.,  5.],
        [ 6., -8.]], grad_fn=<MulBackward0>)""")

    def test_integer_bool_and_dtype_suffix(self):
        self.assertExpectedInline(str(tg.arange(5)), """tensor([0, 1, 2, 3, 4])""")
        self.assertExpectedInline(str(tg.tensor([True, False])), """tensor([ True, False])""")
        self.assertExpectedInline(str(tg.tensor([1.5], dtype=tg.float64)), """tensor([1.5000], dtype=torch.float64)""")
        self.assertExpectedInline(str(tg.zeros(2, 0)), """tensor([], size=(2, 0))""")

    def test_scientific_and_summarised(self):
        self.assertExpectedInline(str(tg.tensor([1e-8, 1.0, 1e8])), """tensor([1.0000e-08, 1.0000e+00, 1.0000e+08])""")
        self.assertExpectedInline(str(tg.arange(2000.0)), """tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,
        1.9990e+03])""")

    def test_size_dtype_device(self):
        self.assertExpectedInline(repr(tg.ones(2, 3).shape), """torch.Size([2, 3])""")
        self.assertExpectedInline(repr(tg.float16), """torch.float16""")
        self.assertExpectedInline(repr(tg.device("cpu")), """device(type='cpu')""")


class TestErrors(expecttest.TestCase):
    def test_autograd_errors(self):
        self.assertExpectedInline(_error(lambda: (tg.ones(3, requires_grad=True) * 2).backward()),
                                  """RuntimeError: grad can be implicitly created only for scalar outputs""")
        self.assertExpectedInline(_error(lambda: tg.ones(2, requires_grad=True).add_(1)),
                                  """RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.""")

    def test_shape_errors(self):
        self.assertExpectedInline(_error(lambda: tg.ones(2, 3) @ tg.ones(4, 5)),
                                  """RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)""")
        self.assertExpectedInline(_error(lambda: tg.ones(6).view(4, 2)),
                                  """RuntimeError: shape '[4, 2]' is invalid for input of size 6""")
        self.assertExpectedInline(_error(lambda: tg.ones(3)[5]),
                                  """IndexError: index 5 is out of bounds for dimension 0 with size 3""")
