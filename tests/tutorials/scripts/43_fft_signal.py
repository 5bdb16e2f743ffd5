# torch.fft (rfft / irfft / fftfreq), as signal-processing examples use it.
import torch
x = torch.arange(8.)
print(torch.fft.rfft(x), torch.fft.irfft(torch.fft.rfft(x), n=8), torch.fft.fftfreq(4))
