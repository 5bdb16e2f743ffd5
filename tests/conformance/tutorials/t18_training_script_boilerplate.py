# Tutorial: the setup lines at the top of typical training scripts.
# Exercises: import torch.backends.cudnn as cudnn, cudnn.benchmark / deterministic, torch.use_deterministic_algorithms,
# torch.set_float32_matmul_precision, torch.backends.cuda.matmul.allow_tf32, device selection
# with torch.cuda.is_available() / torch.device, torch.set_num_threads, torch.__version__
# comparisons, and torch.set_printoptions.
import random

import torch
import torch.backends.cudnn as cudnn

cudnn.benchmark = True
print(torch.backends.cudnn.benchmark, cudnn is torch.backends.cudnn)
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = True
torch.use_deterministic_algorithms(True)
print(torch.are_deterministic_algorithms_enabled(), torch.backends.cudnn.deterministic)
torch.use_deterministic_algorithms(False)

torch.set_float32_matmul_precision("high")
print(torch.get_float32_matmul_precision())
torch.set_float32_matmul_precision("highest")
torch.backends.cuda.matmul.allow_tf32 = False
print(torch.backends.cuda.matmul.allow_tf32, torch.get_float32_matmul_precision())

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
x = torch.ones(2, 2, device=device)
print(x.device.type == device.type, str(torch.device("cpu")), torch.device("cuda", 0))

threads = torch.get_num_threads()
torch.set_num_threads(1)
print(torch.get_num_threads())
torch.set_num_threads(threads)

print(torch.__version__ >= "2.0", torch.__version__ >= (2, 2), str(torch.__version__).startswith("2."))

random.seed(0)
torch.manual_seed(0)
torch.set_printoptions(precision=2, sci_mode=False)
print(torch.tensor([1 / 3, 2e-5, 12345.678]))
torch.set_printoptions(profile="default")
print(torch.tensor([1 / 3, 2e-5, 12345.678]))
