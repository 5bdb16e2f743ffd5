# Seq2seq with Embedding + GRU encoder/decoder, teacher forcing, greedy decoding.
import torch
import torch.nn as nn
import torch.nn.functional as F

SOS_token, EOS_token = 0, 1
pairs = [([2, 3, 4], [4, 3, 2]), ([5, 6], [6, 5]), ([7, 8, 9, 2], [2, 9, 8, 7])]
vocab = 10


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)

    def forward(self, input):
        embedded = self.embedding(input)
        output, hidden = self.gru(embedded)
        return output, hidden


class AttnDecoderRNN(nn.Module):
    def __init__(self, hidden_size, output_size):
        super().__init__()
        self.embedding = nn.Embedding(output_size, hidden_size)
        self.Wa = nn.Linear(hidden_size, hidden_size)
        self.Ua = nn.Linear(hidden_size, hidden_size)
        self.Va = nn.Linear(hidden_size, 1)
        self.gru = nn.GRU(2 * hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)

    def forward_step(self, input, hidden, encoder_outputs):
        embedded = self.embedding(input)
        query = hidden.permute(1, 0, 2)
        scores = self.Va(torch.tanh(self.Wa(query) + self.Ua(encoder_outputs)))
        scores = scores.squeeze(2).unsqueeze(1)
        weights = F.softmax(scores, dim=-1)
        context = torch.bmm(weights, encoder_outputs)
        output, hidden = self.gru(torch.cat((embedded, context), dim=2), hidden)
        return self.out(output), hidden, weights

    def forward(self, encoder_outputs, encoder_hidden, target=None, max_len=5):
        batch_size = encoder_outputs.size(0)
        decoder_input = torch.empty(batch_size, 1, dtype=torch.long).fill_(SOS_token)
        hidden = encoder_hidden
        outputs, attentions = [], []
        for i in range(max_len):
            out, hidden, attn = self.forward_step(decoder_input, hidden, encoder_outputs)
            outputs.append(out)
            attentions.append(attn)
            if target is not None:
                decoder_input = target[:, i].unsqueeze(1)
            else:
                _, topi = out.topk(1)
                decoder_input = topi.squeeze(-1).detach()
        outputs = F.log_softmax(torch.cat(outputs, dim=1), dim=-1)
        return outputs, hidden, torch.cat(attentions, dim=1)


torch.manual_seed(13)
hidden = 16
encoder = EncoderRNN(vocab, hidden)
decoder = AttnDecoderRNN(hidden, vocab)
enc_opt = torch.optim.Adam(encoder.parameters(), lr=0.01)
dec_opt = torch.optim.Adam(decoder.parameters(), lr=0.01)
criterion = nn.NLLLoss()
for epoch in range(20):
    total = 0.0
    for src, tgt in pairs:
        src_t = torch.tensor([src + [EOS_token]])
        tgt_t = torch.tensor([tgt + [EOS_token]])
        enc_opt.zero_grad()
        dec_opt.zero_grad()
        enc_out, enc_hidden = encoder(src_t)
        dec_out, _, _ = decoder(enc_out, enc_hidden, tgt_t, max_len=tgt_t.size(1))
        loss = criterion(dec_out.view(-1, dec_out.size(-1)), tgt_t.view(-1))
        loss.backward()
        enc_opt.step()
        dec_opt.step()
        total += loss.item()
    if epoch % 5 == 4:
        print(epoch, f"{total / len(pairs):.4f}")
with torch.no_grad():
    for src, tgt in pairs:
        enc_out, enc_hidden = encoder(torch.tensor([src + [EOS_token]]))
        dec_out, _, attn = decoder(enc_out, enc_hidden, max_len=len(tgt) + 1)
        print(src, dec_out.argmax(-1).squeeze(0).tolist(), attn.shape, attn[0, 0])
