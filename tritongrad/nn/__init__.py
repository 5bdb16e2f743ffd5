"""torch.nn: modules, parameters, functional, init and utils."""
from .parameter import Parameter, Buffer
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all
from .modules.module import (register_module_forward_pre_hook, register_module_forward_hook,
                             register_module_full_backward_pre_hook, register_module_full_backward_hook,
                             register_module_buffer_registration_hook, register_module_module_registration_hook,
                             register_module_parameter_registration_hook)
from . import functional, init, utils, parameter, modules, parallel
from .parallel import DataParallel

__all__ = ["Parameter", "Buffer", "functional", "init", "utils", "parameter", "modules", "parallel",
           "DataParallel"] + list(_modules_all)
