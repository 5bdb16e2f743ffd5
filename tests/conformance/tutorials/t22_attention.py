# Tutorial: attention layers.
# Exercises: nn.MultiheadAttention (batch_first, key_padding_mask, averaged attention weights),
# F.scaled_dot_product_attention with a causal mask, nn.TransformerEncoderLayer /
# nn.TransformerEncoder (dropout 0, norm_first) forward and backward, parameter names and
# counts; weights from torch.manual_seed.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
attention = nn.MultiheadAttention(embed_dim=4, num_heads=2, batch_first=True)
x = torch.linspace(-1.0, 1.0, 2 * 3 * 4).reshape(2, 3, 4)
padding = torch.tensor([[False, False, True], [False, False, False]])
out, weights = attention(x, x, x, key_padding_mask=padding)
print(out)
print(weights)
print([name for name, _ in attention.named_parameters()])

q = k = v = x.reshape(2, 3, 2, 2).transpose(1, 2)
print(F.scaled_dot_product_attention(q, k, v, is_causal=True))

layer = nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8, dropout=0.0,
                                   batch_first=True, norm_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
inputs = x.clone().requires_grad_()
encoded = encoder(inputs)
print(encoded)
encoded.pow(2).sum().backward()
print(inputs.grad)
print(sum(p.numel() for p in encoder.parameters()), len(list(encoder.named_parameters())))
