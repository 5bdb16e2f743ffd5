"""torch.backends: flags that scripts set; on the CPU build they change nothing."""
import types


class _Flags(types.SimpleNamespace):
    pass


cudnn = _Flags(enabled=True, benchmark=False, deterministic=False, allow_tf32=True,
               is_available=lambda: False, version=lambda: None)


class _Matmul(types.SimpleNamespace):
    pass


cuda = _Flags(matmul=_Matmul(allow_tf32=False, allow_fp16_reduced_precision_reduction=True,
                             allow_bf16_reduced_precision_reduction=True), is_built=lambda: False)
mps = _Flags(is_available=lambda: False, is_built=lambda: False)
mkldnn = _Flags(enabled=True, is_available=lambda: False)
openmp = _Flags(is_available=lambda: False)
mkl = _Flags(is_available=lambda: False)
