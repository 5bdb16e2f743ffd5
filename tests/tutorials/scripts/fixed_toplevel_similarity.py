# Regression (core bug found by this suite, fixed): torch.cosine_similarity / torch.pairwise_distance at the top level (not only in nn.functional).
import torch
torch.manual_seed(0)
x = torch.randn(3, 4)
print(torch.cosine_similarity(x, x.flip(0), dim=1), torch.pairwise_distance(x[:2], x[1:]))
