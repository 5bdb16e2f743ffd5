# Autoencoders: MLP and convolutional (ConvTranspose2d), reconstruction loss, latent codes.
import torch
import torch.nn as nn

torch.manual_seed(16)
data = torch.rand(32, 1, 16, 16)


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(256, 64), nn.ReLU(True), nn.Linear(64, 8))
        self.decoder = nn.Sequential(nn.Linear(8, 64), nn.ReLU(True), nn.Linear(64, 256), nn.Sigmoid(),
                                     nn.Unflatten(1, (1, 16, 16)))

    def forward(self, x):
        return self.decoder(self.encoder(x))


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 4, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


for cls in (AE, ConvAE):
    model = cls()
    print(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    criterion = nn.MSELoss()
    for epoch in range(5):
        for i in range(0, 32, 8):
            img = data[i:i + 8]
            output = model(img)
            loss = criterion(output, img)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f'epoch [{epoch + 1}/5], loss:{loss.item():.4f}')
    with torch.no_grad():
        code = model.encoder(data[:2])
        print(code.shape, code.flatten()[:4])
        print(nn.functional.binary_cross_entropy(model(data[:4]), data[:4]))


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(256, 32)
        self.fc21 = nn.Linear(32, 4)
        self.fc22 = nn.Linear(32, 4)
        self.fc3 = nn.Linear(4, 32)
        self.fc4 = nn.Linear(32, 256)

    def forward(self, x):
        h = torch.relu(self.fc1(x.view(-1, 256)))
        mu, logvar = self.fc21(h), self.fc22(h)
        std = torch.exp(0.5 * logvar)
        z = mu + torch.randn_like(std) * std
        return torch.sigmoid(self.fc4(torch.relu(self.fc3(z)))), mu, logvar


vae = VAE()
opt = torch.optim.Adam(vae.parameters(), lr=1e-3)
for epoch in range(3):
    recon, mu, logvar = vae(data)
    bce = nn.functional.binary_cross_entropy(recon, data.view(-1, 256), reduction='sum')
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    loss = bce + kld
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item() / len(data):.4f}", f"{kld.item():.5f}")
