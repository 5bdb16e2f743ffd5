"""torch.func: function transforms over tritongrad's autograd.

``grad``/``grad_and_value``/``vjp``/``jacrev``/``hessian`` run the reverse-mode engine; ``vmap`` maps a
function over a batch dimension by running it once per slice and stacking the results (the same values as
PyTorch's batching rules, without their speed); ``functional_call`` runs a module with substitute parameters
and buffers."""
import contextlib

from .._tensor import Tensor
from ..autograd import grad_mode

__all__ = ["grad", "grad_and_value", "vmap", "functional_call", "vjp", "jacrev", "jacfwd", "hessian"]


def _tree_flatten(obj):
    """Leaves of nested tuples/lists/dicts, and a function rebuilding the structure from new leaves."""
    if isinstance(obj, (tuple, list)):
        parts = [_tree_flatten(o) for o in obj]
        leaves = [leaf for p in parts for leaf in p[0]]

        def build(new, parts=parts, kind=type(obj)):
            out, i = [], 0
            for p_leaves, p_build in parts:
                out.append(p_build(new[i:i + len(p_leaves)]))
                i += len(p_leaves)
            return kind(out) if kind in (tuple, list) else kind(*out)
        return leaves, build
    if isinstance(obj, dict):
        keys = list(obj)
        parts = [_tree_flatten(obj[k]) for k in keys]
        leaves = [leaf for p in parts for leaf in p[0]]

        def build(new, parts=parts, keys=keys, kind=type(obj)):
            out, i = {}, 0
            for k, (p_leaves, p_build) in zip(keys, parts):
                out[k] = p_build(new[i:i + len(p_leaves)])
                i += len(p_leaves)
            return kind(out) if kind is not dict else out
        return leaves, build
    return [obj], lambda new: new[0]


def grad_and_value(func, argnums=0, has_aux=False):
    """``func``'s gradient w.r.t. the arguments ``argnums`` (any nesting of tensors), and its value."""
    def wrapper(*args, **kwargs):
        from .. import autograd
        nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
        args = list(args)
        flats = {}
        with grad_mode.enable_grad():
            for n in nums:
                leaves, build = _tree_flatten(args[n])
                fresh = [t.detach().requires_grad_(True) if isinstance(t, Tensor) else t for t in leaves]
                flats[n] = (fresh, build)
                args[n] = build(fresh)
            out = func(*args, **kwargs)
            value, aux = (out[0], out[1]) if has_aux else (out, None)
            if not isinstance(value, Tensor) or value.numel() != 1:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {value.dim() if isinstance(value, Tensor) else 0} dims. Maybe "
                                   "you wanted to use the vjp or jacrev APIs instead?")
            inputs = [t for n in nums for t in flats[n][0] if isinstance(t, Tensor)]
            gs = autograd.grad(value, inputs, allow_unused=True, materialize_grads=True)
        it = iter(gs)
        results = []
        for n in nums:
            fresh, build = flats[n]
            results.append(build([next(it) if isinstance(t, Tensor) else t for t in fresh]))
        g = results[0] if isinstance(argnums, int) else tuple(results)
        value = value.detach()
        return (g, (value, aux)) if has_aux else (g, value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    def wrapper(*args, **kwargs):
        g, v = grad_and_value(func, argnums, has_aux)(*args, **kwargs)
        return (g, v[1]) if has_aux else g
    return wrapper


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """Map ``func`` over dimension ``in_dims`` of its inputs, stacking outputs along ``out_dims``."""
    def wrapper(*args, **kwargs):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap(f, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with the "
                             f"structure of `inputs`. in_dims has structure {len(dims)} but inputs has "
                             f"structure {len(args)}.")
        flat_args = []
        size = None
        for a, d in zip(args, dims):
            leaves, build = _tree_flatten(a)
            flat_args.append((leaves, build, d))
            if d is not None:
                for t in leaves:
                    if isinstance(t, Tensor):
                        n = t.shape[d]
                        if size is not None and n != size:
                            raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                                             f"dimension, got sizes [{size}, {n}] for the mapped dimension")
                        size = n
        if size is None:
            raise ValueError("vmap(f, in_dims=..., ...)(<inputs>): at least one input must be mapped over "
                             "(got in_dims with every entry None)")
        outs = []
        for i in range(size):
            call = [build([t.select(d, i) if isinstance(t, Tensor) and d is not None else t for t in leaves])
                    for leaves, build, d in flat_args]
            outs.append(func(*call, **kwargs))
        leaves0, build0 = _tree_flatten(outs[0])
        per = [_tree_flatten(o)[0] for o in outs]
        od = out_dims if isinstance(out_dims, (tuple, list)) else (out_dims,) * len(leaves0)
        from .._ops.shape import stack
        stacked = [stack([p[j] for p in per], od[j]) for j in range(len(leaves0))]
        return build0(stacked)
    return wrapper


@contextlib.contextmanager
def _swapped(module, values):
    """Temporarily replace the module's parameters/buffers named in ``values`` (dotted names)."""
    saved = []
    for name, value in values.items():
        owner = module
        *path, leaf = name.split(".")
        for p in path:
            owner = getattr(owner, p)
        table = owner._parameters if leaf in owner._parameters else owner._buffers if leaf in owner._buffers \
            else None
        if table is None:
            raise AttributeError(f"'{type(owner).__name__}' object has no attribute '{leaf}'")
        saved.append((table, leaf, table[leaf]))
        table[leaf] = value
    try:
        yield
    finally:
        for table, leaf, old in reversed(saved):
            table[leaf] = old


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True,
                    strict=False):
    """Call ``module`` with the given tensors in place of its parameters and buffers."""
    dicts = parameter_and_buffer_dicts
    if isinstance(dicts, (list, tuple)):
        merged = {}
        for d in dicts:
            merged.update(d)
        dicts = merged
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _swapped(module, dicts):
        return module(*args, **(kwargs or {}))


def vjp(func, *primals, has_aux=False):
    from .. import autograd
    with grad_mode.enable_grad():
        ins = [p.detach().requires_grad_(True) for p in primals]
        out = func(*ins)
        value, aux = (out[0], out[1]) if has_aux else (out, None)

    def vjp_fn(*cotangents):
        leaves, _ = _tree_flatten(value)
        gs = autograd.grad(leaves, ins, list(cotangents) if len(cotangents) == len(leaves) else cotangents,
                           retain_graph=True, allow_unused=True, materialize_grads=True)
        return tuple(gs)
    detached = _tree_flatten(value)[1]([t.detach() for t in _tree_flatten(value)[0]])
    return (detached, vjp_fn, aux) if has_aux else (detached, vjp_fn)


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    def wrapper(*args):
        from ..autograd.functional import jacobian
        nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)

        def partial(*chosen):
            full = list(args)
            for n, c in zip(nums, chosen):
                full[n] = c
            return func(*full)
        picked = tuple(args[n] for n in nums)
        # nested inside another transform (inputs that require grad) the Jacobian stays differentiable
        nested = any(isinstance(t, Tensor) and t.requires_grad for t in picked)
        j = jacobian(partial, picked, create_graph=nested)
        return j[0] if isinstance(argnums, int) else j
    return wrapper


jacfwd = jacrev


def hessian(func, argnums=0):
    return jacrev(jacrev(func, argnums), argnums)
