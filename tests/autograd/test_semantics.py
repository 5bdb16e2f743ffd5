"""The autograd behaviours of shared/spec/autograd-semantics.md, each run on both tritongrad and PyTorch."""
import gc
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tritongrad as tg  # noqa: E402
from core.oracle import assert_same, raises_same  # noqa: E402

LIBS = [("tg", tg), ("torch", torch)]


def on_both(fn):
    """Run fn(lib) on each library; return (mine, theirs)."""
    return fn(tg), fn(torch)


def same(fn, **tol):
    mine, theirs = on_both(fn)
    assert_same(mine, theirs, **tol)
    return mine


def same_error(fn):
    return raises_same(lambda: fn(tg), lambda: fn(torch))


# ---------------------------------------------------------------- graph construction, grad modes
def test_requires_grad_propagates_and_leaf_flags():
    def f(m):
        a = m.ones(2, requires_grad=True)
        b = m.ones(2)
        c = a * b
        return (a.is_leaf, b.is_leaf, c.is_leaf, c.requires_grad, b.requires_grad, a.grad_fn is None,
                type(c.grad_fn).__name__, [type(n).__name__ if n is not None else None
                                           for n, _ in c.grad_fn.next_functions])
    mine, theirs = on_both(f)
    assert mine == theirs


def test_integer_tensor_cannot_require_grad():
    same_error(lambda m: m.ones(2, dtype=m.int64).requires_grad_())
    same_error(lambda m: m.tensor([1, 2], requires_grad=True))


def test_requires_grad_on_non_leaf():
    def f(m, flag):
        x = m.ones(2, requires_grad=True) * 2
        x.requires_grad = flag
    same_error(lambda m: f(m, False))


def test_no_grad_results_and_decorator():
    def f(m):
        x = m.ones(2, requires_grad=True)
        with m.no_grad():
            y = x * 2
        @m.no_grad()
        def g(t):
            return t * 3
        z = g(x)
        with m.enable_grad():
            pass
        with m.set_grad_enabled(False):
            w = x + 1
        return y.requires_grad, y.grad_fn is None, z.requires_grad, w.requires_grad, m.is_grad_enabled()
    mine, theirs = on_both(f)
    assert mine == theirs


def test_set_grad_enabled_as_function():
    def f(m):
        m.set_grad_enabled(False)
        a = m.is_grad_enabled()
        m.set_grad_enabled(True)
        return a, m.is_grad_enabled()
    assert on_both(f)[0] == on_both(f)[1]


def test_inference_mode():
    def f(m):
        x = m.ones(2, requires_grad=True)
        with m.inference_mode():
            y = x * 2
        return y.requires_grad, y.is_inference(), m.is_inference_mode_enabled()
    mine, theirs = on_both(f)
    assert mine == theirs


def test_inference_tensor_cannot_be_saved():
    def f(m):
        with m.inference_mode():
            y = m.ones(2)
        x = m.ones(2, requires_grad=True)
        return x * y
    same_error(f)


def test_detach_shares_storage_and_version():
    def f(m):
        x = m.ones(3, requires_grad=True)
        y = x * 2
        d = y.detach()
        d.add_(1)
        return d.requires_grad, y._version, d._version, y.data_ptr() == d.data_ptr(), y
    mine, theirs = on_both(f)
    assert mine[:4] == theirs[:4]
    assert_same(mine[4].detach(), theirs[4].detach())


# ---------------------------------------------------------------- backward / autograd.grad errors
def test_backward_nonscalar_error():
    same_error(lambda m: (m.ones(3, requires_grad=True) * 2).backward())


def test_backward_integer_scalar():
    same_error(lambda m: m.autograd.backward([m.tensor(1)], [None]))


def test_gradient_shape_mismatch():
    same_error(lambda m: (m.ones(3, requires_grad=True) * 2).backward(m.ones(4)))


def test_gradient_type_error():
    same_error(lambda m: (m.ones(3, requires_grad=True) * 2).backward([1, 2, 3]))


def test_backward_without_graph():
    same_error(lambda m: m.ones(2).sum().backward())


def test_backward_twice():
    def f(m):
        x = m.ones(3, requires_grad=True)
        y = (x * x).sum()
        y.backward()
        y.backward()
    same_error(f)


def test_backward_twice_without_saved_tensors_is_fine():
    def f(m):
        x = m.ones(3, requires_grad=True)
        y = (x + 1).sum()
        y.backward()
        y.backward()
        return x.grad
    same(f)


def test_retain_graph_allows_second_backward_and_accumulates():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = (x * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    same(f)


def test_saved_tensor_access_after_free():
    def f(m):
        x = m.ones(3, requires_grad=True)
        y = x.exp()
        y.sum().backward()
        return y.grad_fn._saved_result
    same_error(f)


def test_autograd_grad_returns_and_keeps_grad_none():
    def f(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = (x ** 3).sum()
        (g,) = m.autograd.grad(y, x)
        return g, x.grad is None
    mine, theirs = on_both(f)
    assert_same(mine[0], theirs[0])
    assert mine[1] == theirs[1]


def test_autograd_grad_unused():
    def f(m):
        x = m.ones(2, requires_grad=True)
        z = m.ones(2, requires_grad=True)
        return m.autograd.grad((x * 2).sum(), [x, z])
    same_error(f)

    def g(m):
        x = m.ones(2, requires_grad=True)
        z = m.ones(2, requires_grad=True)
        return m.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)[1] is None
    assert on_both(g) == (True, True)

    def h(m):
        x = m.ones(2, requires_grad=True)
        z = m.ones(2, requires_grad=True)
        return m.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True)[1]
    same(h)


def test_autograd_grad_input_not_requiring_grad():
    same_error(lambda m: m.autograd.grad((m.ones(2, requires_grad=True) * 2).sum(), [m.ones(2)]))


def test_backward_inputs_empty():
    same_error(lambda m: (m.ones(2, requires_grad=True) * 2).sum().backward(inputs=[]))


def test_backward_inputs_restricts_accumulation():
    def f(m):
        a = m.ones(2, requires_grad=True)
        b = m.ones(2, requires_grad=True)
        c = a * 2
        (c * b).sum().backward(inputs=[b, c])
        return a.grad is None, b.grad, c.grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1], theirs[1])
    assert_same(mine[2], theirs[2])


def test_grad_outputs_and_create_graph_higher_order():
    def f(m):
        x = m.tensor([0.5, 1.5], dtype=m.float64, requires_grad=True)
        y = (x ** 3 * x.sin()).sum()
        (g,) = m.autograd.grad(y, x, create_graph=True)
        (h,) = m.autograd.grad(g.sum(), x, create_graph=True)
        (t,) = m.autograd.grad(h.sum(), x)
        return g, h, t
    same(f, rtol=1e-12, atol=1e-12)


def test_backward_create_graph_accumulates_differentiable_grad():
    def f(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (x ** 2).sum().backward(create_graph=True)
        g = x.grad
        return g.requires_grad, g
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1].detach(), theirs[1].detach())


def test_gradient_accumulates_over_calls():
    def f(m):
        w = m.tensor([1.0, -1.0], requires_grad=True)
        for k in range(3):
            (w * (k + 1)).sum().backward()
        return w.grad
    same(f)


def test_non_leaf_grad_warns_and_retain_grad():
    def f(m):
        x = m.ones(2, requires_grad=True)
        y = x * 3
        z = y * y
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            none_grad = y.grad
        y2 = x * 3
        y2.retain_grad()
        (y2 * y2).sum().backward()
        return none_grad is None, str(w[0].message), y2.grad, y2.retains_grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert mine[1] == theirs[1]
    assert_same(mine[2], theirs[2])
    assert mine[3] == theirs[3]


def test_broadcast_input_gradient_is_summed():
    def f(m):
        a = m.ones(3, 1, requires_grad=True)
        b = m.ones(4, requires_grad=True)
        (a * b * m.arange(12.).reshape(3, 4)).sum().backward()
        return a.grad, b.grad
    same(f)


# ---------------------------------------------------------------- in-place and version counter
def test_version_counter_error_on_output():
    def f(m):
        x = m.ones(3, requires_grad=True)
        y = x.exp()
        y.add_(1)
        y.sum().backward()
    same_error(f)


def test_version_counter_error_on_input():
    def f(m):
        a = m.ones(3, requires_grad=True)
        b = a * 1
        c = b * b
        b.add_(1)
        c.sum().backward()
    same_error(f)


def test_version_counter_error_on_leaf_without_grad():
    def f(m):
        w = m.ones(3)
        x = m.ones(3, requires_grad=True)
        z = x * w
        w.add_(1)
        z.sum().backward()
    same_error(f)


def test_version_counts():
    def f(m):
        x = m.ones(3)
        v0 = x._version
        x.add_(1)
        x.mul_(2)
        x[0] = 5
        y = x[1:]
        y.zero_()
        return v0, x._version, y._version
    mine, theirs = on_both(f)
    assert mine == theirs


def test_inplace_on_leaf_requiring_grad():
    same_error(lambda m: m.ones(2, requires_grad=True).add_(1))
    same_error(lambda m: m.ones(3, requires_grad=True)[0:2].mul_(2))


def test_inplace_on_leaf_allowed_under_no_grad():
    def f(m):
        p = m.ones(2, requires_grad=True)
        with m.no_grad():
            p.sub_(0.5 * m.ones(2))
        return p, p.requires_grad, p.is_leaf
    mine, theirs = on_both(f)
    assert_same(mine[0].detach(), theirs[0].detach())
    assert mine[1:] == theirs[1:]


def test_inplace_rebases_history():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(2)
        y.exp_()
        y.sum().backward()
        return type(y.grad_fn).__name__, x.grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1], theirs[1], rtol=1e-5)


def test_inplace_with_itself_as_operand_is_version_checked():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(y)
        y.sum().backward()
    same_error(f)


def test_inplace_mul_by_tensor_requiring_grad_keeps_original():
    def f(m):
        x = m.ones(3, requires_grad=True)
        b = m.full((3,), 2.0, requires_grad=True)
        a = x * 1
        a.mul_(b)
        a.sum().backward()
        return x.grad, b.grad
    same(f)


def test_inplace_on_view_of_non_leaf_copyslices():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 1
        v = y[1:3]
        v.mul_(3)
        names = (type(y.grad_fn).__name__, type(v.grad_fn).__name__)
        (y * m.arange(4.0)).sum().backward()
        return names, x.grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1], theirs[1])


def test_setitem_with_tensor_requiring_grad():
    def f(m):
        z = m.zeros(3)
        w = m.tensor(2.0, requires_grad=True)
        z[0] = w
        z[2] = w * 3
        names = type(z.grad_fn).__name__
        (z * m.tensor([1.0, 2.0, 3.0])).sum().backward()
        return names, w.grad, z.requires_grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1], theirs[1])
    assert mine[2] == theirs[2]


def test_setitem_advanced_index_grad():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 1
        y[m.tensor([0, 2])] = m.tensor([10.0, 20.0])
        y[y > 15] = 0.0
        (y * m.arange(4.0)).sum().backward()
        return y, x.grad
    same(f)


def test_multi_output_view_inplace_error():
    def f(m):
        x = m.ones(4, requires_grad=True) * 1
        a, b = x.split(2)
        a.mul_(2)
    same_error(f)


def test_out_argument_with_grad_error():
    def f(m):
        x = m.ones(2, requires_grad=True)
        return m.add(x, x, out=m.empty(2))
    same_error(f)


def test_inplace_cast_error():
    same_error(lambda m: m.tensor([1, 2]).add_(1.5))


# ---------------------------------------------------------------- views, conversions, errors
def test_view_errors_and_reshape():
    same_error(lambda m: m.ones(2, 3).t().view(6))
    same_error(lambda m: m.ones(6).view(4, 2))
    same_error(lambda m: m.ones(6).reshape(2, 5))
    same_error(lambda m: m.ones(6).view(-1, -1))


def test_numpy_conversion_rules():
    same_error(lambda m: m.ones(2, requires_grad=True).numpy())

    def f(m):
        t = m.from_numpy(np.arange(3.0))
        a = t.numpy()
        a[0] = 7
        return t
    same(f)
    same_error(lambda m: m.from_numpy(np.arange(4.0)[::-1]))


def test_item_and_bool_errors():
    same_error(lambda m: m.ones(2).item())
    same_error(lambda m: bool(m.ones(2)))
    same_error(lambda m: bool(m.ones(0)))


def test_broadcast_and_expand_errors():
    same_error(lambda m: m.ones(2, 3) + m.ones(4))
    same_error(lambda m: m.ones(2, 3).expand(4, 3))
    same_error(lambda m: m.ones(2, 3) @ m.ones(4, 5))
    same_error(lambda m: m.ones(3).sum(2))
    same_error(lambda m: m.ones(2, 3).transpose(0, 3))


def test_index_errors():
    same_error(lambda m: m.ones(3)[3])
    same_error(lambda m: m.ones(3)[m.tensor([0, 5])])
    same_error(lambda m: m.ones(3, 2)[0, 0, 0])
    same_error(lambda m: m.ones(3)[m.tensor([1.0])])
    same_error(lambda m: m.ones(3)[::-1])
    same_error(lambda m: m.ones(3)[m.tensor([True, False])])


def test_promotion_rules():
    def f(m):
        i = m.tensor([1, 2])
        return [
            (i / i).dtype, (i * 2.5).dtype, (i + True).dtype, (m.ones(2) + m.tensor(1.0, dtype=m.float64)).dtype,
            (m.ones(2, dtype=m.float16) * 2.0).dtype, (i + m.tensor(1.5, dtype=m.float64)).dtype,
            (m.ones(2, dtype=m.uint8) + m.ones(2, dtype=m.int8)).dtype, (m.ones(2, dtype=m.bfloat16)
                                                                       + m.ones(2, dtype=m.float16)).dtype,
            (m.ones(2, dtype=m.int32) + 5).dtype, (m.tensor(True) + 1).dtype,
            m.promote_types(m.int16, m.float16), m.result_type(m.tensor([1]), 1.0),
        ]
    mine, theirs = on_both(f)
    assert [str(d) for d in mine] == [str(d) for d in theirs]


def test_device_mismatch_and_cuda_errors():
    same_error(lambda m: m.ones(2).cuda())
    assert tg.cuda.is_available() is False


# ---------------------------------------------------------------- hooks
def test_tensor_hooks_modify_gradient_and_order():
    def f(m):
        calls = []
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: calls.append("first") or g * 10)
        h = y.register_hook(lambda g: calls.append(("second", g.tolist())))
        x.register_hook(lambda g: calls.append(("leaf", g.tolist())))
        y.sum().backward()
        h.remove()
        return calls, x.grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1], theirs[1])


def test_register_hook_on_tensor_without_grad():
    same_error(lambda m: m.ones(2).register_hook(lambda g: g))


def test_node_hooks():
    def f(m):
        seen = []
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.grad_fn.register_prehook(lambda gout: seen.append(("pre", len(gout))))
        y.grad_fn.register_hook(lambda gin, gout: seen.append(("post", len(gin), len(gout))))
        y.sum().backward()
        return seen, y.grad_fn.name()
    assert on_both(f)[0] == on_both(f)[1]


def test_post_accumulate_grad_hook():
    def f(m):
        seen = []
        p = m.ones(2, requires_grad=True)
        p.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.tolist()))
        (p * 3).sum().backward()
        return seen
    assert on_both(f)[0] == on_both(f)[1]


# ---------------------------------------------------------------- custom Function
class _Funcs:
    @staticmethod
    def make(m):
        class MyExp(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, scale):
                r = x.exp() * scale
                ctx.save_for_backward(r)
                ctx.scale = scale
                return r

            @staticmethod
            def backward(ctx, g):
                (r,) = ctx.saved_tensors
                return g * r, None

        class Split(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.mark_non_differentiable
                idx = x.argmax()
                ctx.mark_non_differentiable(idx)
                return x * 2, idx

            @staticmethod
            def backward(ctx, g, g_idx):
                return g * 2

        class AddOne(m.autograd.Function):
            @staticmethod
            def forward(x):
                return x + 1

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.n = 1

            @staticmethod
            def backward(ctx, g):
                return g * ctx.n

        class Inplace(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2

        class NoMat(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x * 1, x * 2

            @staticmethod
            def backward(ctx, g1, g2):
                return g1 if g2 is None else g1 + g2

        class Once(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 2

            @staticmethod
            @m.autograd.function.once_differentiable
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g
        return MyExp, Split, AddOne, Inplace, NoMat, Once


def test_custom_function_forward_backward_and_names():
    def f(m):
        MyExp, *_ = _Funcs.make(m)
        x = m.tensor([0.0, 1.0], requires_grad=True)
        y = MyExp.apply(x, 2.0)
        y.sum().backward()
        return type(y.grad_fn).__name__, len(y.grad_fn.next_functions), x.grad
    mine, theirs = on_both(f)
    assert mine[:2] == theirs[:2]
    assert_same(mine[2], theirs[2])


def test_custom_function_ctx_features():
    def f(m):
        MyExp, Split, AddOne, Inplace, NoMat, Once = _Funcs.make(m)
        x = m.tensor([1.0, 3.0, 2.0], requires_grad=True)
        a, idx = Split.apply(x)
        b = AddOne.apply(x)
        (a.sum() + b.sum()).backward()
        g1 = x.grad.clone()
        y = x * 1
        z = Inplace.apply(y)
        same_obj = z is y
        z.sum().backward()
        u, _ = NoMat.apply(m.tensor([1.0], requires_grad=True))
        u.sum().backward()
        return idx.requires_grad, a.requires_grad, g1, x.grad, same_obj, type(z.grad_fn).__name__
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0] and mine[1] == theirs[1]
    assert_same(mine[2], theirs[2])
    assert_same(mine[3], theirs[3])
    assert mine[4:] == theirs[4:]


def test_custom_function_errors():
    def wrong_count(m):
        class G(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g, g
        G.apply(m.ones(2, requires_grad=True)).sum().backward()
    same_error(wrong_count)

    def legacy(m):
        class G(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            G()(m.ones(2))
    same_error(legacy)

    def no_forward(m):
        class K(m.autograd.Function):
            pass
        K.apply(m.ones(2, requires_grad=True))
    same_error(no_forward)

    def twice(m):
        *_, Once = _Funcs.make(m)
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = Once.apply(x)
        (g,) = m.autograd.grad(y.sum(), x, create_graph=True)
        g.sum().backward()
    same_error(twice)


def test_gradcheck_api():
    x = tg.tensor([0.3, 0.7], dtype=tg.float64, requires_grad=True)
    assert tg.autograd.gradcheck(lambda t: (t.sin() * t).sum(), (x,))
    assert tg.autograd.gradgradcheck(lambda t: t.exp() * t, (x,))
    with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to input 0"):
        bad = tg.tensor([0.5], dtype=tg.float64, requires_grad=True)

        class Wrong(tg.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t * 2

            @staticmethod
            def backward(ctx, g):
                return g * 3
        tg.autograd.gradcheck(Wrong.apply, (bad,))
    same_error(lambda m: m.autograd.gradcheck(lambda t: t * 2, (m.ones(2, dtype=m.float64),)))


def test_functional_jacobian_hessian_vjp_jvp():
    def f(m):
        x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64)
        fn = (lambda t: t ** 2 * t.sin())
        j = m.autograd.functional.jacobian(fn, x)
        h = m.autograd.functional.hessian(lambda t: (t ** 3).sum(), x)
        _, v = m.autograd.functional.vjp(fn, x, m.ones(3, dtype=m.float64))
        _, jv = m.autograd.functional.jvp(fn, x, m.ones(3, dtype=m.float64))
        j2 = m.autograd.functional.jacobian(lambda a, b: a * b, (x, x))
        return j, h, v, jv, j2
    same(f, rtol=1e-12, atol=1e-12)


def test_variable_keeps_pytorch_behaviour():
    def f(m):
        x = m.ones(2, requires_grad=True) * 2
        v = m.autograd.Variable(x, requires_grad=True)
        w = m.autograd.Variable(m.ones(2))
        return v is x, v.is_leaf, v.requires_grad, w.requires_grad, isinstance(x, m.autograd.Variable)
    mine, theirs = on_both(f)
    assert mine == theirs


# ---------------------------------------------------------------- memory
def _live_autograd_objects():
    from tritongrad.autograd.graph import Node
    return sum(1 for o in gc.get_objects() if isinstance(o, (tg.Tensor, Node)))


def _rss_bytes():
    with open("/proc/self/statm") as f:
        import os
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_graph_is_freed_and_memory_steady_over_10000_steps():
    w = tg.randn(8, 4, requires_grad=True)
    b = tg.zeros(4, requires_grad=True)
    x = tg.randn(16, 8)

    def step():
        loss = ((x @ w + b).relu() ** 2).mean()
        loss.backward()
        with tg.no_grad():
            w.sub_(0.001 * w.grad)
            b.sub_(0.001 * b.grad)
        w.grad = None
        b.grad = None

    for _ in range(200):
        step()
    gc.collect()
    objects, rss = _live_autograd_objects(), _rss_bytes()
    for _ in range(10000):
        step()
    gc.collect()
    assert _live_autograd_objects() == objects, "tensors or graph nodes outlive their step"
    grown = _rss_bytes() - rss
    assert grown < 8 * 2 ** 20, f"resident memory grew by {grown} bytes over 10000 steps"


def test_graph_released_after_backward_without_gc():
    import weakref
    x = tg.ones(3, requires_grad=True)
    y = (x * 2).exp()
    ref = weakref.ref(y.grad_fn)
    y.sum().backward()
    del y
    assert ref() is None, "the graph must be freed by reference counting alone"


def test_view_follows_base_modified_in_place_afterwards():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x * 1
        v = y[0:2]
        y.mul_(2)
        name = type(v.grad_fn).__name__
        (v * m.tensor([1.0, 10.0])).sum().backward()
        return name, x.grad
    mine, theirs = on_both(f)
    assert mine[0] == theirs[0]
    assert_same(mine[1], theirs[1])


def test_view_of_plain_tensor_becomes_differentiable_after_setitem():
    def f(m):
        z = m.zeros(4)
        v = z[1:3]
        w = m.tensor(5.0, requires_grad=True)
        z[1] = w
        return v.requires_grad, type(v.grad_fn).__name__
    mine, theirs = on_both(f)
    assert mine == theirs


def test_two_views_of_one_base():
    def f(m):
        x = m.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        y = x.clone()
        a, b = y[:2], y[2:]
        a.mul_(3)
        b.add_(a.sum())
        y.sum().backward()
        return x.grad
    same(f)


def test_gradients_never_alias_each_other():
    def f(m):
        a = m.ones(2, 2, requires_grad=True)
        b = m.ones(2, 2, requires_grad=True)
        g = m.full((2, 2), 3.0)
        ((a + b) * 1).backward(g)          # one gradient object routed to two leaves
        a.grad.mul_(10)                    # in-place on one .grad must not touch the other
        (a + b).sum().backward()           # accumulation into existing .grad buffers
        (a * b).sum().backward()
        return a.grad, b.grad, g
    same(f)


def test_leaf_hook_keeps_the_gradient_it_saw():
    def f(m):
        seen = []
        x = m.ones(3, requires_grad=True)
        x.register_hook(lambda g: seen.append(g))
        (x * 2).sum().backward()
        (x * 3).sum().backward()
        return seen[0], seen[1], x.grad
    same(f)
