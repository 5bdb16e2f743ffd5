"""torch.optim: optimizers and learning-rate schedulers."""
from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rprop import Rprop
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["ASGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "LBFGS", "NAdam", "Optimizer", "RAdam",
           "RMSprop", "Rprop", "SGD", "lr_scheduler", "swa_utils"]


def __getattr__(name):
    # swa_utils builds on tritongrad.nn; importing it lazily keeps optim importable on its own
    if name == "swa_utils":
        import importlib
        return importlib.import_module(__name__ + ".swa_utils")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
