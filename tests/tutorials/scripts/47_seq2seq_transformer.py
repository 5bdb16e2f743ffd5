# nn.Transformer encoder-decoder for a toy copy task: masks, padding masks, teacher forcing, greedy decode.
import math

import torch
import torch.nn as nn

torch.manual_seed(47)
PAD, BOS, EOS, V = 0, 1, 2, 12


class Seq2SeqTransformer(nn.Module):
    def __init__(self, d_model=16, nhead=2, layers=1, ff=32):
        super().__init__()
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=layers,
                                          num_decoder_layers=layers, dim_feedforward=ff, dropout=0.0)
        self.generator = nn.Linear(d_model, V)
        self.src_tok_emb = nn.Embedding(V, d_model)
        self.tgt_tok_emb = nn.Embedding(V, d_model)
        self.d_model = d_model

    def encode(self, src, src_mask):
        return self.transformer.encoder(self.src_tok_emb(src) * math.sqrt(self.d_model), src_mask)

    def decode(self, tgt, memory, tgt_mask):
        return self.transformer.decoder(self.tgt_tok_emb(tgt) * math.sqrt(self.d_model), memory, tgt_mask)

    def forward(self, src, trg, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask, memory_key_padding_mask):
        outs = self.transformer(self.src_tok_emb(src) * math.sqrt(self.d_model),
                                self.tgt_tok_emb(trg) * math.sqrt(self.d_model), src_mask, tgt_mask, None,
                                src_padding_mask, tgt_padding_mask, memory_key_padding_mask)
        return self.generator(outs)


def generate_square_subsequent_mask(sz):
    mask = (torch.triu(torch.ones((sz, sz))) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float('-inf')).masked_fill(mask == 1, float(0.0))


def create_mask(src, tgt):
    src_seq_len, tgt_seq_len = src.shape[0], tgt.shape[0]
    tgt_mask = generate_square_subsequent_mask(tgt_seq_len)
    src_mask = torch.zeros((src_seq_len, src_seq_len)).type(torch.bool)
    src_padding_mask = (src == PAD).transpose(0, 1)
    tgt_padding_mask = (tgt == PAD).transpose(0, 1)
    return src_mask, tgt_mask, src_padding_mask, tgt_padding_mask


model = Seq2SeqTransformer()
for p in model.parameters():
    if p.dim() > 1:
        nn.init.xavier_uniform_(p)
loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
optimizer = torch.optim.Adam(model.parameters(), lr=0.005, betas=(0.9, 0.98), eps=1e-9)
src = torch.tensor([[BOS, 3, 4, 5, EOS], [BOS, 6, 7, EOS, PAD], [BOS, 8, 9, 10, EOS]]).T
for epoch in range(6):
    tgt_input = src[:-1, :]
    src_mask, tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt_input)
    logits = model(src, tgt_input, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask, src_padding_mask)
    optimizer.zero_grad()
    loss = loss_fn(logits.reshape(-1, logits.shape[-1]), src[1:, :].reshape(-1))
    loss.backward()
    optimizer.step()
    print(epoch, f"{loss.item():.5f}")
print(generate_square_subsequent_mask(3))
model.eval()
with torch.no_grad():
    s = src[:, :1]
    memory = model.encode(s, torch.zeros(5, 5).bool())
    ys = torch.ones(1, 1).fill_(BOS).type(torch.long)
    for i in range(5):
        out = model.decode(ys, memory, generate_square_subsequent_mask(ys.size(0)).type(torch.bool))
        prob = model.generator(out.transpose(0, 1)[:, -1])
        _, next_word = torch.max(prob, dim=1)
        ys = torch.cat([ys, torch.ones(1, 1).type_as(s.data).fill_(next_word.item())], dim=0)
    print(ys.flatten().tolist(), memory.shape)
