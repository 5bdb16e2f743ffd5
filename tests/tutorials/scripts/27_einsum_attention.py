# Attention from scratch with einsum / matmul, causal mask, multi-head split, F.scaled_dot_product_attention.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(27)
B, T, C, H = 2, 5, 8, 2
x = torch.randn(B, T, C)
Wq, Wk, Wv = (torch.randn(C, C) / math.sqrt(C) for _ in range(3))
q, k, v = x @ Wq, x @ Wk, x @ Wv
att = torch.einsum("btc,bsc->bts", q, k) / math.sqrt(C)
mask = torch.tril(torch.ones(T, T)).bool()
att = att.masked_fill(~mask, float("-inf"))
att = att.softmax(dim=-1)
out = torch.einsum("bts,bsc->btc", att, v)
print(att[0], out[0, -1])
ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print(torch.allclose(ref, out, atol=1e-6), (ref - out).abs().max() < 1e-5)
print(torch.einsum("ii->i", torch.arange(9.).view(3, 3)), torch.einsum("ij->ji", torch.ones(2, 3)).shape,
      torch.einsum("i,j->ij", torch.arange(3.), torch.arange(2.)), torch.einsum("bij,bjk->bik", torch.ones(2, 2, 3), torch.ones(2, 3, 1)).squeeze(-1),
      torch.einsum("...ij->...j", torch.ones(2, 3, 4)).shape, torch.einsum("ij,ij->", torch.ones(2, 2), torch.ones(2, 2)))


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.n_head = n_head
        self.register_buffer("bias", torch.tril(torch.ones(8, 8)).view(1, 1, 8, 8))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


attn = CausalSelfAttention(C, H)
y = attn(x)
print(y.shape, y[1, 2])
y.pow(2).mean().backward()
print(attn.c_attn.weight.grad.norm(), attn.c_proj.bias.grad)
q2 = torch.randn(1, 2, 3, 4, requires_grad=True)
o = F.scaled_dot_product_attention(q2, q2, q2, attn_mask=torch.tensor([[True, False, True]] * 3), dropout_p=0.0)
o.sum().backward()
print(o[0, 0], q2.grad[0, 1])
print(torch.baddbmm(torch.zeros(2, 2, 2), torch.ones(2, 2, 3), torch.ones(2, 3, 2), alpha=0.5))
print(F.softmax(torch.tensor([[1.0, float("-inf")], [float("-inf"), float("-inf")]]), dim=-1))
