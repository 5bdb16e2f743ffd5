"""torch.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp (reverse mode; jvp by the double-vjp trick)."""
from .grad_mode import enable_grad


def _tup(x):
    from .._tensor import Tensor
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _prep(inputs, create_graph):
    return tuple(x.detach().requires_grad_(True) if not create_graph or not x.requires_grad else
                 x.view_as(x) for x in _tup(inputs))


def _grad(outputs, inputs, grad_outputs, create_graph, strict=False, allow_unused=True):
    from . import grad
    from .. import _ops
    outs = [o for o in outputs]
    diff = [(o, g) for o, g in zip(outs, grad_outputs) if o.requires_grad]
    if not diff:
        return tuple(_ops.creation.zeros_like(x) for x in inputs)
    res = grad([o for o, _ in diff], inputs, [g for _, g in diff], retain_graph=True, create_graph=create_graph,
               allow_unused=True)
    out = []
    for x, g in zip(inputs, res):
        if g is None:
            if strict:
                raise RuntimeError("The output of the user-provided function is independent of input "
                                   f"{inputs.index(x)}. This is not allowed in strict mode.")
            g = _ops.creation.zeros_like(x)
        out.append(g)
    return tuple(out)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J)."""
    from .. import _ops
    is_tuple = not hasattr(inputs, "requires_grad")
    with enable_grad():
        ins = _prep(inputs, create_graph)
        out = func(*ins)
        outs = _tup(out)
        if v is None:
            if len(outs) != 1 or outs[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                                   "Tensor with a single element.")
            v = (_ops.creation.ones_like(outs[0]),)
        v = _tup(v)
        g = _grad(outs, ins, v, create_graph, strict)
    out = out if create_graph else (tuple(o.detach() for o in outs) if isinstance(out, tuple) else out.detach())
    return out, (g if is_tuple else g[0])


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v), computed as the gradient of v^T-weighted vjp."""
    from .. import _ops
    with enable_grad():
        ins = _prep(inputs, create_graph)
        out = func(*ins)
        outs = _tup(out)
        if v is None:
            if len(ins) != 1 or ins[0].numel() != 1:
                raise RuntimeError("The vector v can only be None if the input to the user-provided function is a "
                                   "single Tensor with a single element.")
            v = (_ops.creation.ones_like(ins[0]),)
        v = _tup(v)
        dummies = tuple(_ops.creation.zeros_like(o).requires_grad_(True) for o in outs)
        g = _grad(outs, ins, dummies, True, strict)
        jv = _grad(g, dummies, v, create_graph, strict)
    out = out if create_graph else (tuple(o.detach() for o in outs) if isinstance(out, tuple) else out.detach())
    jv = jv if create_graph else tuple(x.detach() for x in jv)
    return out, (jv if isinstance(out, tuple) else jv[0])


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``, shaped output.shape + input.shape, nested like PyTorch's."""
    from .. import _ops
    is_tuple_in = not hasattr(inputs, "requires_grad")
    with enable_grad():
        ins = _prep(inputs, create_graph)
        out = func(*ins)
        is_tuple_out = isinstance(out, tuple)
        outs = _tup(out)
        result = []
        for o in outs:
            rows = [[] for _ in ins]
            flat = o.reshape(-1)
            for k in range(flat.numel()):
                gs = _grad((flat[k],), ins, (_ops.creation.ones_like(flat[k]),), create_graph, strict) \
                    if o.requires_grad else tuple(_ops.creation.zeros_like(x) for x in ins)
                for i, g in enumerate(gs):
                    rows[i].append(g)
            per_in = []
            for i, x in enumerate(ins):
                if rows[i]:
                    j = _ops.shape.stack(rows[i]).reshape(tuple(o.shape) + tuple(x.shape))
                else:
                    j = _ops.creation.zeros(tuple(o.shape) + tuple(x.shape), dtype=x.dtype)
                per_in.append(j if create_graph else j.detach())
            result.append(tuple(per_in))
    if not is_tuple_in:
        result = [r[0] for r in result]
    else:
        result = [tuple(r) for r in result]
    return tuple(result) if is_tuple_out else result[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    is_tuple_in = not hasattr(inputs, "requires_grad")

    def grad_fn(*ins):
        with enable_grad():
            out = func(*ins)
            if out.numel() != 1:
                raise RuntimeError("The function given to hessian should return a single Tensor with a single "
                                   "element.")
            from .. import _ops
            g = _grad((out,), ins, (_ops.creation.ones_like(out),), True, strict)
        return g if is_tuple_in else g[0]
    return jacobian(grad_fn, inputs, create_graph=create_graph, strict=strict)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    from .. import _ops
    is_tuple = not hasattr(inputs, "requires_grad")
    with enable_grad():
        ins = _prep(inputs, True)
        out = func(*ins)
        g = _grad((out,), ins, (_ops.creation.ones_like(out),), True, strict)
        res = _grad(g, ins, _tup(v), create_graph, strict)
    res = res if create_graph else tuple(r.detach() for r in res)
    return (out if create_graph else out.detach()), (res if is_tuple else res[0])


hvp = vhp
