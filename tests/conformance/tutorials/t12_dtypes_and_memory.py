# Tutorial: data types, conversions and memory.
# Exercises: default dtype, explicit dtypes (float64, float16, bfloat16, int32, bool), .to /
# .double() / .half() / .long() / .type(), element_size / nbytes / numel, type promotion of
# tensor-tensor and tensor-scalar arithmetic, integer division, and low-precision rounding.
import torch

print(torch.get_default_dtype(), torch.tensor([1.0]).dtype, torch.tensor([1]).dtype,
      torch.tensor([True]).dtype, torch.tensor(2.5, dtype=torch.float64).dtype)

x = torch.tensor([[1.5, -2.25], [3.0, 0.1]])
for converted in (x.double(), x.half(), x.to(torch.bfloat16), x.long(), x.int(), x.bool(),
                  x.type(torch.float16), x.to(dtype=torch.int8)):
    print(converted.dtype, converted.element_size(), converted.nbytes, converted)

print(x.numel(), x.element_size() * x.numel(), x.double().nbytes)

i = torch.tensor([7, -7, 4])
f16 = torch.tensor([0.5, 0.25, 2.0], dtype=torch.float16)
print((i + 1.5).dtype, (i * 2).dtype, (i / 2).dtype, (i // 2), (i % 3), torch.div(i, 2, rounding_mode="trunc"))
print((f16 + x[0, 0]).dtype, (f16 * 2.5).dtype, (f16 + i).dtype, (x.double()[0, 0] + f16).dtype)
print((i > 0).dtype, (i > 0).sum(), (i > 0).float().mean())
print(torch.result_type(i, 2.0), torch.result_type(f16, torch.tensor(1.0)), torch.promote_types(torch.int32, torch.float16))

third = torch.tensor([1.0]) / 3
print(third.half(), third.to(torch.bfloat16), third.double(), third.half().float().item())
big = torch.tensor([70000.0, 1e-8])
print(big.half(), big.to(torch.bfloat16))
print(torch.tensor([300, -1]).to(torch.uint8), torch.tensor([2.7, -2.7]).long())
