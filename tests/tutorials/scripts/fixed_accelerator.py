# Regression (core bug found by this suite, fixed): torch.accelerator, as the current "Quickstart" tutorial picks its device with it.
import torch
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")
