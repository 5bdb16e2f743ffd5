# Variable-length sequences: pad_sequence, pack_padded_sequence, LSTM over packed input, pad_packed_sequence.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(32)
seqs = [torch.randn(4, 3), torch.randn(2, 3), torch.randn(3, 3)]
lengths = torch.tensor([len(s) for s in seqs])
padded = pad_sequence(seqs, batch_first=True)
print(padded.shape, lengths)
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
lstm = nn.LSTM(3, 5, batch_first=True)
out, (h, c) = lstm(packed)
unpacked, out_lengths = pad_packed_sequence(out, batch_first=True)
print(unpacked.shape, out_lengths)
print(h[0])
print(torch.allclose(unpacked[1, 1], h[0, 1]), unpacked[1, 2:].abs().sum())
ps = pack_sequence([torch.tensor([1., 2, 3]), torch.tensor([4., 5]), torch.tensor([6.])])
print(ps.data, ps.batch_sizes)
gru = nn.GRU(1, 2)
o, hn = gru(pack_sequence([torch.ones(3, 1), torch.ones(1, 1)]))
print(pad_packed_sequence(o, total_length=4)[0].shape, hn)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 6, padding_idx=0)
        self.rnn = nn.GRU(6, 8, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(16, 2)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.emb(tokens), lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(packed)
        return self.fc(torch.cat([h[0], h[1]], dim=1))


clf = Classifier()
tokens = pad_sequence([torch.tensor([3, 4, 5, 6]), torch.tensor([7, 8]), torch.tensor([9, 10, 11])], batch_first=True)
labels = torch.tensor([0, 1, 0])
opt = torch.optim.Adam(clf.parameters(), lr=0.05)
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(clf(tokens, torch.tensor([4, 2, 3])), labels)
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.5f}")
print(clf.emb.weight.grad[0])
