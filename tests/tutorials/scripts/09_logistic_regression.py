# Logistic regression: BCE, BCEWithLogits, sigmoid, accuracy, Adam.
import torch
import torch.nn as nn

torch.manual_seed(9)
n = 200
X = torch.cat([torch.randn(n // 2, 2) + 2, torch.randn(n // 2, 2) - 2])
y = torch.cat([torch.ones(n // 2), torch.zeros(n // 2)]).unsqueeze(1)


class LogisticRegression(nn.Module):
    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


model = LogisticRegression(2)
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(50):
    y_pred = model(X)
    loss = criterion(y_pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 10 == 0:
        print(f'epoch: {epoch + 1}, loss = {loss.item():.4f}')
with torch.no_grad():
    y_predicted = model(X)
    y_predicted_cls = y_predicted.round()
    acc = y_predicted_cls.eq(y).sum() / float(y.shape[0])
    print(f'accuracy: {acc.item():.4f}')
print(model.state_dict())
logit_model = nn.Linear(2, 1)
crit2 = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0]))
opt2 = torch.optim.SGD(logit_model.parameters(), lr=0.5)
for epoch in range(20):
    opt2.zero_grad()
    l2 = crit2(logit_model(X), y)
    l2.backward()
    opt2.step()
print(round(l2.item(), 5), logit_model.weight.grad)
probs = torch.sigmoid(logit_model(X[:5]))
print(probs, (probs > 0.5).long().squeeze(1))
