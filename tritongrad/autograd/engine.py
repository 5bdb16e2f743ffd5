"""The backward engine: dependency counting, then nodes in reverse creation order once all their
incoming gradients are summed."""
import heapq

from . import grad_mode
from .graph import AccumulateGrad, BackwardNode


# Set by the profiler while it records: a context-manager factory called with each node the engine runs.
evaluate_hook = [None]


def _collect(roots):
    """Dependency counts of every node reachable from ``roots``."""
    deps = {}
    seen = set()
    stack = [n for n in roots if n is not None]
    for n in stack:
        seen.add(n)
    while stack:
        n = stack.pop()
        for nxt, _ in n.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps, seen


def _needed(roots, targets):
    """Nodes from which one of ``targets`` can be reached: only their backward must run."""
    targets = set(targets)
    memo = {}
    for root in roots:
        if root is None or root in memo:
            continue
        memo[root] = root in targets
        stack = [(root, iter(root.next_functions))]
        while stack:
            n, it = stack[-1]
            for nx, _ in it:
                if nx is None:
                    continue
                if nx not in memo:
                    memo[nx] = nx in targets
                    stack.append((nx, iter(nx.next_functions)))
                    break
                if memo[nx]:
                    memo[n] = True
            else:
                stack.pop()
                if stack and memo[n]:
                    memo[stack[-1][0]] = True
    return {n for n, v in memo.items() if v}


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def run_backward(roots, grads, retain_graph, create_graph, inputs=None, accumulate=True, allow_unused=False):
    """Propagate ``grads`` from ``roots`` (a list of (node, input_nr) edges).

    With ``accumulate`` the leaves' AccumulateGrad nodes run (``.grad`` is updated); otherwise the gradients
    arriving at ``inputs`` (edges) are returned.
    """
    from .._tensor import Tensor
    root_nodes = [e[0] for e in roots]
    deps, _ = _collect(root_nodes)
    capture = None
    needed = None
    if inputs is not None:
        needed = _needed(root_nodes, [e[0] for e in inputs if e is not None])
        capture = {e for e in inputs if e is not None}
    buffers = {}
    for (node, nr), g in zip(roots, grads):
        if node is None:
            continue
        buf = buffers.setdefault(node, [None] * len(node._out_meta))
        buf[nr] = _add(buf[nr], g)
    captured = {}
    # ownership of gradients headed for leaves: a gradient a built-in node produced, contiguous, and routed
    # to one place only can become .grad as it is; anything else (the caller's own tensors, a gradient sent
    # to two places, a custom Function's return value, a broadcast view) is copied by AccumulateGrad
    routed, shared, candidates = set(), {id(g) for g in grads if g is not None}, {}
    ready = []
    # roots with no remaining dependencies start ready
    for node in buffers:
        if deps.get(node, 0) == 0:
            heapq.heappush(ready, (-node._seq, id(node), node))
    prev = grad_mode._state[0]
    grad_mode._state[0] = create_graph
    try:
        while ready:
            _, _, node = heapq.heappop(ready)
            gbuf = buffers.pop(node, None)
            if gbuf is None:
                gbuf = [None] * len(node._out_meta)
            is_acc = type(node) is AccumulateGrad
            if node._tensor_pre_hooks or node._retains or node._pre_hooks or is_acc or capture is not None:
                gbuf = _before_node(node, gbuf, is_acc, create_graph, capture, captured)
            if is_acc:
                run = accumulate and (needed is None or (node, 0) in capture)
                gid = candidates.pop(node, None)
                var = node.variable
                node._steal = gid is not None and gid not in shared and gbuf[0] is not None and \
                    id(gbuf[0]) == gid and var is not None and not var._hooks
            else:
                run = needed is None or node in needed
            if run:
                if not is_acc and gbuf.count(None) == len(gbuf):
                    outs = None
                else:
                    if not is_acc and len(gbuf) > 1:
                        gbuf = _materialize(node, gbuf)
                    if evaluate_hook[0] is None:
                        outs = node.apply(*gbuf)
                    else:
                        with evaluate_hook[0](node):
                            outs = node.apply(*gbuf)
                if node._hooks:
                    for h in list(node._hooks.values()):
                        r = h(tuple(outs) if outs is not None else (), tuple(gbuf))
                        if r is not None:
                            outs = r
                if not retain_graph:
                    node._release()
            else:
                outs = None
            nf = node.next_functions
            n_outs = 0 if outs is None else len(outs)
            if outs is not None and n_outs < len(nf) and not is_acc:
                raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                                   f"(expected {len(nf)}, got {n_outs})")
            producer_owns = isinstance(node, BackwardNode)
            i = 0
            for nxt, nr in nf:
                if nxt is not None:
                    g = outs[i] if i < n_outs else None
                    if g is not None:
                        meta = nxt._out_meta[nr]
                        if g._data.shape != meta[0] or g.dtype is not meta[1]:
                            g = _validate(node, i, g, meta)
                        buf = buffers.get(nxt)
                        if buf is None:
                            buf = buffers[nxt] = [None] * len(nxt._out_meta)
                        old = buf[nr]
                        gid = id(g)
                        if gid in routed:
                            shared.add(gid)
                        else:
                            routed.add(gid)
                        if old is None:
                            buf[nr] = g
                            if type(nxt) is AccumulateGrad and not create_graph and producer_owns \
                                    and g._data.flags.c_contiguous and g._data.flags.writeable:
                                candidates[nxt] = gid
                        else:
                            buf[nr] = s_ = old + g
                            if type(nxt) is AccumulateGrad and not create_graph:
                                candidates[nxt] = id(s_)
                    elif nxt not in buffers:
                        buffers[nxt] = [None] * len(nxt._out_meta)
                    d = deps[nxt] - 1
                    deps[nxt] = d
                    if d == 0:
                        heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
                i += 1
    finally:
        grad_mode._state[0] = prev
    if capture is not None:
        return [captured.get(e) if e is not None else None for e in inputs]
    return None



def _before_node(node, gbuf, is_acc, create_graph, capture, captured):
    """Tensor hooks, retain_grad, leaf hooks, node pre-hooks and input capture, in PyTorch's order."""
    th = node._tensor_pre_hooks
    if th:
        for nr, hooks in th.items():
            for h in list(hooks.values()):
                if gbuf[nr] is None:
                    continue
                r = h(gbuf[nr])
                if r is not None:
                    gbuf[nr] = r
    if node._retains:
        for nr, ref in node._retains.items():
            t = ref()
            if t is not None and gbuf[nr] is not None:
                g = gbuf[nr]
                if t._grad is None:
                    t._grad = g if create_graph else g.detach().clone()
                else:
                    t._grad = t._grad + g
    if is_acc:
        var = node.variable
        if var is not None and var._hooks:
            for h in list(var._hooks.values()):
                r = h(gbuf[0])
                if r is not None:
                    gbuf[0] = r
    if node._pre_hooks:
        for h in list(node._pre_hooks.values()):
            r = h(tuple(gbuf))
            if r is not None:
                gbuf = list(r)
    if capture is not None:
        for nr in range(len(gbuf)):
            key = (node, nr)
            if key in capture:
                captured[key] = gbuf[nr]
    return gbuf


def _materialize(node, gbuf):
    """Fill undefined output gradients of a multi-output node with zeros."""
    if len(gbuf) == 1 or getattr(node, "_materialize_grads", True) is False:
        return gbuf
    meta = getattr(node, "_out_meta", None)
    if meta is None:
        return gbuf
    from .. import _ops
    out = []
    for g, (shape, dt) in zip(gbuf, meta):
        out.append(g if g is not None else _ops.creation.zeros(shape, dtype=dt))
    return out


def _validate(node, i, g, meta):
    """Reduce or cast a gradient to the metadata its destination expects (engine.cpp's validate_outputs)."""
    shape, dt = meta
    if g._data.shape != shape:
        from .._ops._common import sum_to
        try:
            g = sum_to(g, shape)
        except Exception:
            g = None
        if g is None or g._data.shape != shape:
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {i} - got "
                               f"[{', '.join(map(str, g.shape)) if g is not None else ''}] but expected shape "
                               f"compatible with [{', '.join(map(str, shape))}]")
    if g.dtype is not dt and (dt.is_floating_point or dt.is_complex):
        g = g.to(dt)
    return g
