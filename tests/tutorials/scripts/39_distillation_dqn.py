# Knowledge distillation (KL with temperature) and a DQN update (target network, gather, smooth L1).
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(39)
teacher = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
student = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))
X = torch.randn(30, 8)
labels = torch.randint(0, 4, (30,))
T, soft_target_loss_weight, ce_loss_weight = 2.0, 0.25, 0.75
opt = torch.optim.Adam(student.parameters(), lr=0.01)
teacher.eval()
for epoch in range(5):
    with torch.no_grad():
        teacher_logits = teacher(X)
    student_logits = student(X)
    soft_targets = F.softmax(teacher_logits / T, dim=-1)
    soft_prob = F.log_softmax(student_logits / T, dim=-1)
    soft_targets_loss = torch.sum(soft_targets * (soft_targets.log() - soft_prob)) / soft_prob.size()[0] * (T ** 2)
    kd = F.kl_div(soft_prob, soft_targets, reduction="batchmean") * T * T
    label_loss = F.cross_entropy(student_logits, labels)
    loss = soft_target_loss_weight * soft_targets_loss + ce_loss_weight * label_loss
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.6f}", f"{(kd - soft_targets_loss).abs().item() < 1e-5}")
policy_net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
target_net = copy.deepcopy(policy_net)
target_net.load_state_dict(policy_net.state_dict())
optimizer = torch.optim.AdamW(policy_net.parameters(), lr=1e-3, amsgrad=True)
GAMMA, TAU = 0.99, 0.005
for step in range(5):
    state = torch.randn(8, 4)
    action = torch.randint(0, 2, (8, 1))
    reward = torch.randn(8)
    next_state = torch.randn(8, 4)
    non_final_mask = torch.tensor([True, True, False, True, True, True, False, True])
    state_action_values = policy_net(state).gather(1, action)
    next_state_values = torch.zeros(8)
    with torch.no_grad():
        next_state_values[non_final_mask] = target_net(next_state[non_final_mask]).max(1).values
    expected = (next_state_values * GAMMA) + reward
    criterion = nn.SmoothL1Loss()
    loss = criterion(state_action_values, expected.unsqueeze(1))
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_value_(policy_net.parameters(), 100)
    optimizer.step()
    target_sd, policy_sd = target_net.state_dict(), policy_net.state_dict()
    for key in policy_sd:
        target_sd[key] = policy_sd[key] * TAU + target_sd[key] * (1 - TAU)
    target_net.load_state_dict(target_sd)
    print(step, f"{loss.item():.6f}")
print(target_net[2].bias, policy_net(torch.zeros(1, 4)).max(1).indices.view(1, 1))
eps = 0.1
sample = torch.rand(1).item()
print(sample > eps, torch.tensor([[0]], dtype=torch.long))
