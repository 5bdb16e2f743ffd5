# Tutorial: a sequence model over word indices (the seed documents' embedding example, grown up).
# Exercises: nn.Embedding with padding_idx, nn.LSTM(batch_first=True), pack_padded_sequence /
# pad_packed_sequence, the final hidden state feeding nn.Linear, CrossEntropyLoss, Adam, and
# gradient clipping with clip_grad_norm_; weights from torch.manual_seed.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Classifier(nn.Module):
    def __init__(self, vocabulary=20, width=6, hidden=5, classes=3):
        super().__init__()
        self.embed = nn.Embedding(vocabulary, width, padding_idx=0)
        self.rnn = nn.LSTM(width, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, tokens, lengths):
        packed = pack_padded_sequence(self.embed(tokens), lengths, batch_first=True,
                                      enforce_sorted=False)
        outputs, (h, c) = self.rnn(packed)
        padded, out_lengths = pad_packed_sequence(outputs, batch_first=True)
        return self.head(h[-1]), padded, out_lengths


torch.manual_seed(0)
model = Classifier()
tokens = torch.tensor([[3, 7, 1, 9], [4, 2, 0, 0], [5, 6, 8, 0]])
lengths = torch.tensor([4, 2, 3])
labels = torch.tensor([2, 0, 1])
print(model)
print(model.embed.weight[0], model.embed(tokens).shape)

logits, padded, out_lengths = model(tokens, lengths)
print(logits)
print(padded.shape, out_lengths, padded[1, 2:].abs().sum())

optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
for step in range(5):
    optimizer.zero_grad()
    loss = loss_fn(model(tokens, lengths)[0], labels)
    loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    print(step, round(loss.item(), 5), round(norm.item(), 5))
print(model.embed.weight.grad[0], model(tokens, lengths)[0].argmax(dim=1))
