"""tritongrad.kernels: the Triton kernel library (installed from the repository's ``kernels/`` folder).

Kernels take buffers, shapes, strides and dtypes and know nothing of Tensor or autograd. Triton is imported
only by the modules that launch kernels, so ``import tritongrad`` works where Triton has no wheel.
The CUDA backend is not written yet; this package is where its kernels will live.
"""
