"""gradcheck / gradgradcheck: analytical gradients against central finite differences."""
import warnings

import numpy as np


class GradcheckError(RuntimeError):
    pass


def _as_tuple(x):
    from .._tensor import Tensor
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _differentiable_outputs(out):
    return tuple(o for o in _as_tuple(out) if o.requires_grad)


def _numerical_jacobian(fn, inputs, eps):
    """One (n_in x n_out) matrix per (input, output) pair, from central differences."""
    out0 = _as_tuple(fn(*inputs))
    jacs = []
    for x in inputs:
        if not (hasattr(x, "requires_grad") and x.requires_grad):
            jacs.append(None)
            continue
        cols = [np.zeros((x.numel(), o.numel())) for o in out0]
        for k in range(x.numel()):
            idx = np.unravel_index(k, x._data.shape) if x._data.ndim else ()
            orig = x._data[idx].copy()
            x._data[idx] = orig - eps
            lo = [o.detach()._data.astype(np.float64).reshape(-1).copy() for o in _as_tuple(fn(*inputs))]
            x._data[idx] = orig + eps
            hi = [o.detach()._data.astype(np.float64).reshape(-1).copy() for o in _as_tuple(fn(*inputs))]
            x._data[idx] = orig
            for j in range(len(out0)):
                cols[j][k] = (hi[j] - lo[j]) / (2 * eps)
        jacs.append(cols)
    return jacs, out0


def _analytical_jacobian(inputs, outputs):
    from . import grad as autograd_grad
    from .. import _ops
    jacs = [[np.zeros((x.numel(), o.numel())) for o in outputs] if getattr(x, "requires_grad", False) else None
            for x in inputs]
    diff_inputs = [x for x in inputs if getattr(x, "requires_grad", False)]
    for j, o in enumerate(outputs):
        if not o.requires_grad:
            continue
        for k in range(o.numel()):
            g = _ops.creation.zeros(tuple(o.shape), dtype=o.dtype)  # contiguous: written through reshape(-1)
            g._data.reshape(-1)[k] = 1
            grads = autograd_grad((o,), diff_inputs, (g,), retain_graph=True, allow_unused=True)
            gi = iter(grads)
            for i, x in enumerate(inputs):
                if jacs[i] is None:
                    continue
                gx = next(gi)
                if gx is not None:
                    jacs[i][j][:, k] = gx._data.astype(np.float64).reshape(-1)
    return jacs


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """Check gradients computed by autograd against finite differences; True or raise GradcheckError."""
    from .._tensor import Tensor
    inputs = _as_tuple(inputs)
    tensor_inputs = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    if not tensor_inputs:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of them "
                         "have requires_grad=True.")
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype.name not in ("float64", "complex128"):
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating "
                          "point or complex. ", UserWarning, stacklevel=2)
    all_outputs = _as_tuple(func(*inputs))
    keep = [i for i, o in enumerate(all_outputs) if o.requires_grad]
    outputs = tuple(all_outputs[i] for i in keep)
    if not outputs:
        return True
    analytical = _analytical_jacobian(inputs, outputs)
    numerical, _ = _numerical_jacobian(lambda *a: tuple(_as_tuple(func(*a))[i] for i in keep), inputs, eps)
    for i, (a_in, n_in) in enumerate(zip(analytical, numerical)):
        if a_in is None:
            continue
        for j, (a, n) in enumerate(zip(a_in, n_in)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                msg = (f"Jacobian mismatch for output {j} with respect to input {i},\n"
                       f"numerical:{_fmt(n)}\nanalytical:{_fmt(a)}\n")
                if raise_exception:
                    raise GradcheckError(msg)
                return False
    return True


def _fmt(m):
    from .. import _ops
    return repr(_ops.creation.tensor(m, dtype=None))


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, gen_non_contig_grad_outputs=False,
                  raise_exception=True, nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """Check second derivatives: gradcheck applied to the function that returns the first gradients."""
    from . import grad as autograd_grad
    from .. import _ops
    inputs = _as_tuple(inputs)
    outputs = _differentiable_outputs(func(*inputs))
    if grad_outputs is None:
        # drawn from the global generator as PyTorch's are, so later random numbers stay in step
        from ..testing import make_tensor
        grad_outputs = tuple(make_tensor(o.shape, dtype=o.dtype if o.is_floating_point() or o.is_complex()
                                         else _ops.creation.D.float64, device=o.device, low=-1, high=1,
                                         requires_grad=True, noncontiguous=gen_non_contig_grad_outputs)
                             for o in outputs)
    else:
        grad_outputs = _as_tuple(grad_outputs)
    n_in = len(inputs)
    diff_idx = [i for i, x in enumerate(inputs) if getattr(x, "requires_grad", False)]

    def first_grads(*args):
        ins, gos = args[:n_in], args[n_in:]
        outs = _differentiable_outputs(func(*ins))
        gs = autograd_grad(outs, [ins[i] for i in diff_idx], gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)
    return gradcheck(first_grads, inputs + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
