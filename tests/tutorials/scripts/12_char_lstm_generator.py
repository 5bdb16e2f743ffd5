# Character-level LSTM language model: Embedding + LSTM + Linear, CrossEntropy, sampling with multinomial.
import torch
import torch.nn as nn

text = "hello world, hello tritongrad. the quick brown fox jumps over the lazy dog. " * 3
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print(len(chars), data.shape, data[:10])


class CharLSTM(nn.Module):
    def __init__(self, vocab, hidden, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, 16)
        self.lstm = nn.LSTM(16, hidden, num_layers=layers, batch_first=True, dropout=0.1)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        out, state = self.lstm(self.embed(x), state)
        return self.fc(out), state


torch.manual_seed(12)
model = CharLSTM(len(chars), 32)
print(model)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
seq_len, batch = 20, 4
for step in range(15):
    starts = torch.randint(0, len(data) - seq_len - 1, (batch,))
    x = torch.stack([data[s:s + seq_len] for s in starts])
    y = torch.stack([data[s + 1:s + seq_len + 1] for s in starts])
    logits, _ = model(x)
    loss = loss_fn(logits.view(-1, len(chars)), y.view(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 5 == 0:
        print(step, f"{loss.item():.4f}")
model.eval()
with torch.no_grad():
    idx = torch.tensor([[stoi['h']]])
    state = None
    out_chars = ['h']
    for _ in range(30):
        logits, state = model(idx, state)
        probs = torch.softmax(logits[:, -1] / 0.8, dim=-1)
        idx = torch.multinomial(probs, num_samples=1)
        out_chars.append(itos[idx.item()])
    print(''.join(out_chars))
    print([s.shape for s in state])
gru = nn.GRU(8, 6, bidirectional=True)
out, h = gru(torch.randn(5, 3, 8))
print(out.shape, h.shape, out[0, 0])
cell = nn.LSTMCell(4, 3)
hx, cx = cell(torch.randn(2, 4))
print(hx, cx.shape)
