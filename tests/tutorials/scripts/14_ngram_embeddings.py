# Word embeddings: N-gram language model with Embedding + NLLLoss, and CBOW.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

torch.manual_seed(1)
word_to_ix = {"hello": 0, "world": 1}
embeds = nn.Embedding(2, 5)
lookup_tensor = torch.tensor([word_to_ix["hello"]], dtype=torch.long)
hello_embed = embeds(lookup_tensor)
print(hello_embed)
CONTEXT_SIZE = 2
EMBEDDING_DIM = 10
test_sentence = """When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a totter'd weed of small worth held""".split()
ngrams = [([test_sentence[i - j - 1] for j in range(CONTEXT_SIZE)], test_sentence[i])
          for i in range(CONTEXT_SIZE, len(test_sentence))]
print(ngrams[:3])
vocab = set(test_sentence)
word_to_ix = {word: i for i, word in enumerate(sorted(vocab))}


class NGramLanguageModeler(nn.Module):
    def __init__(self, vocab_size, embedding_dim, context_size):
        super(NGramLanguageModeler, self).__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.linear1 = nn.Linear(context_size * embedding_dim, 128)
        self.linear2 = nn.Linear(128, vocab_size)

    def forward(self, inputs):
        embeds = self.embeddings(inputs).view((1, -1))
        out = F.relu(self.linear1(embeds))
        out = self.linear2(out)
        log_probs = F.log_softmax(out, dim=1)
        return log_probs


losses = []
loss_function = nn.NLLLoss()
model = NGramLanguageModeler(len(vocab), EMBEDDING_DIM, CONTEXT_SIZE)
optimizer = optim.SGD(model.parameters(), lr=0.001)
for epoch in range(5):
    total_loss = 0
    for context, target in ngrams:
        context_idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
        model.zero_grad()
        log_probs = model(context_idxs)
        loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], dtype=torch.long))
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    losses.append(total_loss)
print([round(l, 4) for l in losses])
print(model.embeddings.weight[word_to_ix["beauty's"]])


class CBOW(nn.Module):
    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.proj = nn.Linear(embedding_dim, vocab_size)

    def forward(self, inputs):
        return F.log_softmax(self.proj(self.embeddings(inputs).sum(dim=-2)), dim=-1)


cbow = CBOW(len(vocab), 8)
ctx = torch.tensor([[word_to_ix[w] for w in test_sentence[i - 2:i] + test_sentence[i + 1:i + 3]]
                    for i in range(2, len(test_sentence) - 2)])
tgt = torch.tensor([word_to_ix[test_sentence[i]] for i in range(2, len(test_sentence) - 2)])
opt = optim.Adam(cbow.parameters(), lr=0.01)
for epoch in range(10):
    opt.zero_grad()
    loss = F.nll_loss(cbow(ctx), tgt)
    loss.backward()
    opt.step()
print(f"{loss.item():.5f}", cbow.embeddings.weight.grad[0].abs().sum())
bag = nn.EmbeddingBag(len(vocab), 4, mode="mean")
print(bag(torch.tensor([1, 2, 4, 5, 4]), torch.tensor([0, 2])))
emb = nn.Embedding.from_pretrained(torch.arange(12.).view(4, 3), freeze=True)
print(emb(torch.tensor([[0, 3], [1, 1]])), emb.weight.requires_grad)
print(F.cosine_similarity(model.embeddings.weight[:3], model.embeddings.weight[3:6]))
