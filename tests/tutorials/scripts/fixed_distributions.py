# Core: torch.distributions (Categorical, Normal) as REINFORCE / actor-critic / VAE tutorials use them.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
probs = F.softmax(torch.randn(3, 4), -1)
dist = torch.distributions.Categorical(probs)
acts = dist.sample()
print(acts, dist.log_prob(acts), dist.entropy())
normal = torch.distributions.Normal(torch.zeros(2), torch.ones(2))
z = normal.rsample()
print(z, normal.log_prob(z), torch.distributions.kl_divergence(normal, torch.distributions.Normal(1.0, 2.0)))
