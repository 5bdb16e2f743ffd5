"""Sequence part of torch.nn.functional: scaled dot-product attention, multi-head attention and the RNN cell math.

Attention and the public cell functions are written with core tensor ops, so autograd (including higher order)
works through them. Two kinds of nodes are recorded here: PyTorch's flash-attention node (its backward recomputes
the math form) and fused LSTM/GRU steps for the RNN layers (closed-form backward, composed fallback when a graph
of the gradient is requested).
"""
import math
import warnings

import numpy as np

import tritongrad as _tg

# the private helpers are part of torch.nn.functional too, and custom attention layers call them
__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward", "_canonical_mask", "_none_or_dtype",
           "_mha_shape_check"]


def _F():
    from . import functional
    return functional


def _dtype_word(dt):
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "int64": "long int", "int32": "int", "bool": "bool"}.get(str(dt).replace("torch.", ""), str(dt))


def _causal_bool_mask(L, S):
    return _tg.ones(L, S, dtype=_tg.bool).tril()


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q K^T * scale + mask) V, with optional causal masking and dropout on the attention weights."""
    if attn_mask is not None and is_causal:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")
    if attn_mask is not None and attn_mask.dtype != _tg.bool and attn_mask.dtype != query.dtype:
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                           f"attn_mask.dtype: {_dtype_word(attn_mask.dtype)} and  query.dtype: "
                           f"{_dtype_word(query.dtype)} instead.")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_dtype_word(query.dtype)} key.dtype: {_dtype_word(key.dtype)} and value.dtype: "
                           f"{_dtype_word(value.dtype)} instead.")
    if key.shape[-1] != query.shape[-1]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{_prod(query.shape[:-2])}, {query.shape[-1]}] but got: "
                           f"[{_prod(key.shape[:-2])}, {key.shape[-1]}].")
    from .._ops._common import needs_grad, record
    # PyTorch's CPU dispatcher takes its flash kernel for 4-D inputs of one head size, without dropout and
    # without a mask that needs a gradient (that node has no double backward; this one does)
    mask_t = attn_mask if isinstance(attn_mask, _tg.Tensor) and attn_mask.dtype != _tg.bool else None
    flash = (query.dim() == 4 and key.dim() == 4 and value.dim() == 4 and dropout_p == 0.0
             and query.shape[-1] == key.shape[-1] == value.shape[-1]
             and not (mask_t is not None and needs_grad(mask_t)))
    if flash and needs_grad(query, key, value, mask_t):
        def math(q, k, v, m):
            return _sdpa_math(q, k, v, attn_mask if m is None else m, dropout_p, is_causal, scale, enable_gqa)
        with _tg.no_grad():
            out = math(query, key, value, mask_t)
        out = out.detach()

        def backward(node, g):
            saved = [node.saved(i) for i in range(4)]
            saved[3] = saved[3] if mask_t is not None else None
            wanted = [i for i in range(4) if saved[i] is not None and node.next_functions[i][0] is not None]
            from ..autograd import grad_mode
            if grad_mode._state[0]:
                leaves = saved
            else:
                leaves = [t.detach().requires_grad_(True) if t is not None else None for t in saved]
            with _tg.enable_grad():
                again = math(*leaves)
            got = _tg.autograd.grad(again, [leaves[i] for i in wanted], g, create_graph=grad_mode._state[0],
                                    allow_unused=True)
            res = [None] * 4
            for i, gi in zip(wanted, got):
                res[i] = gi
            return tuple(res)
        record("ScaledDotProductFlashAttentionForCpuBackward0", out, (query, key, value, mask_t), backward,
               (query, key, value, mask_t if mask_t is not None else 0))
        return out
    return _sdpa_math(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)


def _sdpa_math(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa):
    """softmax(Q K^T * scale + mask) V written with core ops (PyTorch's math formulation)."""
    L, S = query.shape[-2], key.shape[-2]
    if key.shape[-1] != query.shape[-1]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{_prod(query.shape[:-2])}, {query.shape[-1]}] but got: "
                           f"[{_prod(key.shape[:-2])}, {key.shape[-1]}].")
    if enable_gqa and key.dim() >= 3 and query.shape[-3] != key.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(rep, dim=-3)
        value = value.repeat_interleave(rep, dim=-3)
    scale_factor = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    logits = query.matmul(key.transpose(-2, -1)) * scale_factor
    allowed = None  # bool mask of positions that may be attended (None: all)
    if is_causal:
        allowed = _causal_bool_mask(L, S)
    elif attn_mask is not None:
        if attn_mask.dtype == _tg.bool:
            allowed = attn_mask
        else:
            logits = logits + attn_mask
    if allowed is not None:
        logits = logits.masked_fill(allowed.logical_not(), float("-inf"))
    # PyTorch's CPU kernel returns zeros (not NaN) for a query whose every key is masked out
    dead = (logits == float("-inf")).all(dim=-1, keepdim=True)
    if bool(dead.any()):
        logits = logits.masked_fill(dead, 0.0)
        weights = _F().softmax(logits, dim=-1).masked_fill(dead, 0.0)
    else:
        weights = _F().softmax(logits, dim=-1)
    if dropout_p > 0.0:
        weights = _F().dropout(weights, dropout_p, training=True)
    return weights.matmul(value)


def _prod(xs):
    p = 1
    for x in xs:
        p *= int(x)
    return p


def _none_or_dtype(t):
    if t is None:
        return None
    if isinstance(t, _tg.Tensor):
        return t.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """A boolean mask becomes a float mask with -inf where True; a float mask is left as is."""
    if mask is None:
        return None
    mask_is_float = mask.dtype.is_floating_point
    if mask.dtype != _tg.bool and not mask_is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both "
                      "instead.")
    if not mask_is_float:
        mask = _tg.zeros_like(mask, dtype=target_type).masked_fill(mask, float("-inf"))
    return mask


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """The input ranks multi-head attention accepts; True for a batched (3-D) query."""
    if query.dim() == 3:
        kind, want, kpm_dims = "batched (3-D)", 3, "2-D"
    elif query.dim() == 2:
        kind, want, kpm_dims = "unbatched (2-D)", 2, "1-D"
    else:
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query "
                             "tensor")
    if key.dim() != want or value.dim() != want:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {want}-D but found {key.dim()}-D "
                             f"and {value.dim()}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.dim() != want - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {kpm_dims} but found "
                             f"{key_padding_mask.dim()}-D tensor instead")
    if attn_mask is not None:
        if attn_mask.dim() not in (2, 3):
            raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                                 f"{attn_mask.dim()}-D tensor instead")
        if want == 2 and attn_mask.dim() == 3:
            expected = (num_heads, query.shape[0], key.shape[0])
            if tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
    return want == 3


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """The functional form of nn.MultiheadAttention (sequence-first layout: (L, N, E) or unbatched (L, E))."""
    F = _F()
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask),
                                       "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the causal hint alone drives scaled_dot_product_attention
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")

    E = embed_dim
    if not use_separate_proj_weight:
        w_q, w_k, w_v = in_proj_weight[:E], in_proj_weight[E:2 * E], in_proj_weight[2 * E:]
    else:
        w_q, w_k, w_v = q_proj_weight, k_proj_weight, v_proj_weight
    if in_proj_bias is None:
        b_q = b_k = b_v = None
    else:
        b_q, b_k, b_v = in_proj_bias[:E], in_proj_bias[E:2 * E], in_proj_bias[2 * E:]
    q = F.linear(query, w_q, b_q)
    k = F.linear(key, w_k, b_k)
    v = F.linear(value, w_v, b_v)

    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise AssertionError("bias cannot be added to static key.")
        k = _tg.cat([k, bias_k.repeat(1, bsz, 1)])
        v = _tg.cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = F.pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = F.pad(key_padding_mask, (0, 1))

    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        k = static_k
    if static_v is None:
        v = v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        v = static_v
    if add_zero_attn:
        zshape = (bsz * num_heads, 1, head_dim)
        k = _tg.cat([k, _tg.zeros(zshape, dtype=k.dtype)], dim=1)
        v = _tg.cat([v, _tg.zeros(zshape, dtype=v.dtype)], dim=1)
        if attn_mask is not None:
            attn_mask = F.pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = F.pad(key_padding_mask, (0, 1))
    src_len = k.shape[1]

    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got {key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        kpm = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1) \
            .reshape(bsz * num_heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm

    if not training:
        dropout_p = 0.0

    if need_weights:
        q_scaled = q * math.sqrt(1.0 / head_dim)
        logits = q_scaled.bmm(k.transpose(-2, -1))
        if attn_mask is not None:
            logits = logits + attn_mask
        weights = F.softmax(logits, dim=-1)
        if dropout_p > 0.0:
            weights = F.dropout(weights, p=dropout_p)
        out = weights.bmm(v)
        out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = F.linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
        weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            out = out.squeeze(1)
            weights = weights.squeeze(0)
        return out, weights

    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.reshape(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = F.linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
    if not is_batched:
        out = out.squeeze(1)
    return out, None


# ------------------------------------------------------------------------------------------ RNN cell math
def _gates(x, h, w_ih, w_hh, b_ih, b_hh, x_proj=None):
    gi = x_proj if x_proj is not None else _F().linear(x, w_ih, b_ih)
    gh = _F().linear(h, w_hh, b_hh)
    return gi, gh


def rnn_tanh_cell(x, h, w_ih, w_hh, b_ih=None, b_hh=None, x_proj=None):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh). ``x_proj`` is x's projection if already computed."""
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh, x_proj)
    return (gi + gh).tanh()


def rnn_relu_cell(x, h, w_ih, w_hh, b_ih=None, b_hh=None, x_proj=None):
    """h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh, x_proj)
    return (gi + gh).relu()


def lstm_cell(x, hc, w_ih, w_hh, b_ih=None, b_hh=None, w_hr=None, x_proj=None):
    """One LSTM step: gates (i, f, g, o); c' = f*c + i*g; h' = o*tanh(c') (projected by W_hr if given)."""
    h, c = hc
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh, x_proj)
    i, f, g, o = (gi + gh).chunk(4, 1)
    c_new = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h_new = o.sigmoid() * c_new.tanh()
    if w_hr is not None:
        h_new = h_new.matmul(w_hr.t())
    return h_new, c_new


def gru_cell(x, h, w_ih, w_hh, b_ih=None, b_hh=None, x_proj=None):
    """One GRU step: r, z gates; n = tanh(x_n + r * h_n); h' = (1 - z) * n + z * h."""
    gi, gh = _gates(x, h, w_ih, w_hh, b_ih, b_hh, x_proj)
    i_r, i_z, i_n = gi.chunk(3, 1)
    h_r, h_z, h_n = gh.chunk(3, 1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return (1 - z) * n + z * h


# ---------------------------------------------------------------------- fused recurrent steps (RNN layers)
def _np_sigmoid(a):
    with np.errstate(over="ignore"):  # exp(-a) overflowing to inf gives the right limit, 0
        return 1.0 / (1.0 + np.exp(-a))


def _fused_backward_or_composite(node, grads, composite, inputs):
    """With create_graph the step's gradient is rebuilt from differentiable ops; otherwise None (use numpy)."""
    from ..autograd import grad_mode
    if not grad_mode._state[0]:
        return None
    wanted = [t for i, t in enumerate(inputs) if t is not None and node.next_functions[i][0] is not None]
    outs = composite()
    outs = outs if isinstance(outs, tuple) else (outs,)
    got = _tg.autograd.grad(outs, wanted, grads, create_graph=True, allow_unused=True)
    it = iter(got)
    return tuple(next(it) if (t is not None and node.next_functions[i][0] is not None) else None
                 for i, t in enumerate(inputs))


def _lstm_step(x_proj, h, c, w_hh, b_hh):
    """One LSTM step from the precomputed input projection: returns (h', c') (h' before any projection).

    One graph node per step instead of a dozen; its backward is the closed-form LSTM gradient.
    """
    from .._ops._common import record, needs_grad
    xp, hn, cn, w = x_proj._data, h._data, c._data, w_hh._data
    gates = xp + hn @ w.T
    if b_hh is not None:
        gates = gates + b_hh._data
    H = cn.shape[1]
    i = _np_sigmoid(gates[:, :H])
    f = _np_sigmoid(gates[:, H:2 * H])
    g = np.tanh(gates[:, 2 * H:3 * H])
    o = _np_sigmoid(gates[:, 3 * H:])
    c_new = f * cn + i * g
    tc = np.tanh(c_new)
    h_new = o * tc
    dt = x_proj.dtype
    h_t = _tg.Tensor._make(np.ascontiguousarray(h_new, dtype=dt._np), dt)
    c_t = _tg.Tensor._make(np.ascontiguousarray(c_new, dtype=dt._np), dt)
    inputs = (x_proj, h, c, w_hh, b_hh)
    if needs_grad(*inputs):
        def backward(node, gh, gc):
            xs = [node.saved(k) for k in range(4)] + [node.saved(4) if b_hh is not None else None]
            res = _fused_backward_or_composite(
                node, (gh, gc), lambda: lstm_cell(None, (xs[1], xs[2]), None, xs[3], None, xs[4], x_proj=xs[0]), xs)
            if res is not None:
                return res
            ghn, gcn = gh._data, gc._data
            dc = gcn + ghn * o * (1.0 - tc * tc)
            do = ghn * tc * o * (1.0 - o)
            di = dc * g * i * (1.0 - i)
            dg = dc * i * (1.0 - g * g)
            df = dc * cn * f * (1.0 - f)
            dgates = np.concatenate([di, df, dg, do], axis=1).astype(dt._np, copy=False)

            def wrap(a):
                return _tg.Tensor._make(np.ascontiguousarray(a, dtype=dt._np), dt)
            nf = node.next_functions
            return (wrap(dgates) if nf[0][0] is not None else None,
                    wrap(dgates @ w) if nf[1][0] is not None else None,
                    wrap(dc * f) if nf[2][0] is not None else None,
                    wrap(dgates.T @ hn) if nf[3][0] is not None else None,
                    wrap(dgates.sum(0)) if b_hh is not None and nf[4][0] is not None else None)
        record("LstmStepBackward0", (h_t, c_t), inputs, backward,
               (x_proj, h, c, w_hh, b_hh if b_hh is not None else 0))
    return h_t, c_t


def _gru_step(x_proj, h, w_hh, b_hh):
    """One GRU step from the precomputed input projection, as one graph node."""
    from .._ops._common import record, needs_grad
    xp, hn, w = x_proj._data, h._data, w_hh._data
    gh = hn @ w.T
    if b_hh is not None:
        gh = gh + b_hh._data
    H = hn.shape[1]
    r = _np_sigmoid(xp[:, :H] + gh[:, :H])
    z = _np_sigmoid(xp[:, H:2 * H] + gh[:, H:2 * H])
    hn_part = gh[:, 2 * H:]
    n = np.tanh(xp[:, 2 * H:] + r * hn_part)
    h_new = (1.0 - z) * n + z * hn
    dt = x_proj.dtype
    out = _tg.Tensor._make(np.ascontiguousarray(h_new, dtype=dt._np), dt)
    inputs = (x_proj, h, w_hh, b_hh)
    if needs_grad(*inputs):
        def backward(node, gout):
            xs = [node.saved(k) for k in range(3)] + [node.saved(3) if b_hh is not None else None]
            res = _fused_backward_or_composite(
                node, (gout,), lambda: gru_cell(None, xs[1], None, xs[2], None, xs[3], x_proj=xs[0]), xs)
            if res is not None:
                return res
            go = gout._data
            dn = go * (1.0 - z) * (1.0 - n * n)
            dz = go * (hn - n) * z * (1.0 - z)
            dr = dn * hn_part * r * (1.0 - r)
            dxp = np.concatenate([dr, dz, dn], axis=1).astype(dt._np, copy=False)
            dgh = np.concatenate([dr, dz, dn * r], axis=1).astype(dt._np, copy=False)

            def wrap(a):
                return _tg.Tensor._make(np.ascontiguousarray(a, dtype=dt._np), dt)
            nf = node.next_functions
            return (wrap(dxp) if nf[0][0] is not None else None,
                    wrap(go * z + dgh @ w) if nf[1][0] is not None else None,
                    wrap(dgh.T @ hn) if nf[2][0] is not None else None,
                    wrap(dgh.sum(0)) if b_hh is not None and nf[3][0] is not None else None)
        record("GruStepBackward0", out, inputs, backward, (x_proj, h, w_hh, b_hh if b_hh is not None else 0))
    return out
