"""Grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode."""
import functools
import inspect

# One mutable cell read by every op: [grad enabled, inference mode on]
_state = [True, False]


def is_grad_enabled():
    return _state[0]


def is_inference_mode_enabled():
    return _state[1]


class _DecoratorContextManager:
    """Usable as ``with mode():`` and as ``@mode()`` (and ``@mode`` for the classes that allow it)."""

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError("Tensors cannot be used as a decorator on classes")  # pragma: no cover
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def gen_wrapper(*args, **kwargs):
                gen = func(*args, **kwargs)
                try:
                    with self.clone():
                        response = gen.send(None)
                    while True:
                        try:
                            request = yield response
                        except GeneratorExit:
                            with self.clone():
                                gen.close()
                            raise
                        except BaseException as e:
                            with self.clone():
                                response = gen.throw(e)
                        else:
                            with self.clone():
                                response = gen.send(request)
                except StopIteration as e:
                    return e.value
            return gen_wrapper

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_DecoratorContextManager):
    """Context manager and decorator that disables gradient recording."""

    def __init__(self):
        self.prev = False

    def __new__(cls, orig_func=None):
        if orig_func is None or cls is not no_grad:
            return super().__new__(cls)
        return cls()(orig_func)

    def __enter__(self):
        self.prev = _state[0]
        _state[0] = False

    def __exit__(self, *exc):
        _state[0] = self.prev


class enable_grad(_DecoratorContextManager):
    """Context manager and decorator that enables gradient recording."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __enter__(self):
        self.prev = _state[0]
        _state[0] = True

    def __exit__(self, *exc):
        _state[0] = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Sets gradient recording on or off; takes effect at once, and as a context manager restores on exit."""

    def __init__(self, mode):
        self.prev = _state[0]
        self.mode = bool(mode)
        _state[0] = self.mode

    def __call__(self, func):
        _state[0] = self.prev
        return super().__call__(func)

    def __enter__(self):
        _state[0] = self.mode

    def __exit__(self, *exc):
        _state[0] = self.prev

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like no_grad; tensors created inside are inference tensors."""

    def __init__(self, mode=True):
        self.mode = mode

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __enter__(self):
        self.prev = (_state[0], _state[1])
        if self.mode:
            _state[0] = False
            _state[1] = True

    def __exit__(self, *exc):
        _state[0], _state[1] = self.prev

    def clone(self):
        return self.__class__(self.mode)


class set_multithreading_enabled(_DecoratorContextManager):
    def __init__(self, mode):
        self.mode = mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        pass

    def clone(self):
        return self.__class__(self.mode)
