"""The conformance suite's single status table (generated; the NEEDS part is kept as written).

NEEDS says, for every case, which parts of tritongrad it exercises.  XFAIL lists the cases that
cannot pass yet, with the reason; the tests mark them pytest.mark.xfail(strict=True).  When a part
lands, flip the table by running

    python tests/conformance/make_table.py --update-status

which reruns every case, drops the XFAIL entries that now pass, adds the failing ones (reason:
NEEDS plus the current failure) and regenerates docs/conformance.md.
"""

NEEDS = {
    "000_s000_tensor_create": "core tensors (tensor, empty, add, mul, printing)",
    "001_s000_tensor_attributes": "core tensors (shape, dtype, device printing)",
    "002_s000_to_int64": "core tensors (Tensor.to(dtype))",
    "003_s000_to_cuda_if_available": "core tensors, torch.cuda.is_available",
    "004_s000_requires_grad_create": "core tensors, autograd leaf repr",
    "005_s000_backward_nonscalar": "autograd (backward on a non-scalar raises)",
    "006_s000_backward_scalar": "autograd (pow, add, backward)",
    "007_s000_clip_and_accumulate": "nn.Linear, nn.utils.clip_grad_norm_, optim.SGD",
    "008_s000_accumulation_loop": "utils.data (DataLoader, TensorDataset), nn.Linear, nn.MSELoss, optim.SGD",
    "009_s000_adam_loop": "utils.data, nn.Linear, optim.Adam (state_dict layout)",
    "010_s000_autograd_profiler": "autograd.profiler (profile, key_averages().table), nn.Linear",
    "011_s000_dynamic_graph_linear": "randn, matmul, F.mse_loss, grad_fn names",
    "012_s000_custom_function_relu": "autograd.Function (save_for_backward), masked setitem",
    "013_s000_custom_function_hardtanh": "autograd.Function with a non-tensor argument, clamp",
    "014_s000_simple_mlp": "nn.Module, nn.Linear, nn.ReLU, module repr, named_parameters",
    "015_s000_mlp_sgd_training": "nn.Linear, nn.CrossEntropyLoss, optim.SGD",
    "016_s000_embedding": "nn.Embedding",
    "017_s000_dropout_sequential": "nn.Sequential, nn.Dropout, Module.eval, nested repr",
    "018_s001_grad_polynomial": "autograd (pow, mul, add, backward)",
    "019_s001_no_grad_inference": "torch.no_grad",
    "020_s001_optimizer_loop": "nn.Linear, optim.Adam",
    "021_s002_net_mlp": "nn.Module, nn.Linear, F.relu, module repr",
    "022_s002_cross_entropy_backward": "randn, randint, F.cross_entropy, backward error message",
    "023_s002_convnet": "nn.Conv2d, F.max_pool2d, Tensor.view, nn.Linear",
    "024_s002_convnet_training": "nn.Conv2d, F.max_pool2d, optim.SGD, view error message",
    "025_s003_requires_grad_flag": "randn, requires_grad_",
    "026_s003_grad_fn_detach": "autograd (grad_fn repr, detach)",
    "027_s003_grad_accumulation": "utils.data, nn.Linear, optim.SGD, Module.eval/train",
    "028_s004_tensor_from_list": "core tensors (float tensor repr)",
    "029_s004_tensor_rand_cuda": "CUDA device",
    "030_s004_autograd_xy": "autograd (MulBackward0 repr, grads)",
    "031_s004_dataset_dataloader": "utils.data (Dataset, DataLoader shuffle), torch.LongTensor",
    "032_s004_torchvision_mnist": "torchvision and a network download",
    "033_s004_linear_model_param": "nn.Parameter, Tensor.mm, module repr",
    "034_s004_lenet": "nn.Conv2d, F.max_pool2d, module repr",
    "035_s004_module_internals": "the runner only (defines a class)",
    "036_s004_bce_adam": "nn.BCELoss, nn.Sigmoid, optim.Adam",
    "037_s004_mnist_training_loop": "random stream (manual_seed, DataLoader shuffle), optim.AdamW, F.nll_loss",
    "038_s004_save_checkpoint": "serialization (save/load), optim.SGD state_dict",
    "039_s004_load_checkpoint": "serialization (load), load_state_dict, optim.SGD",
    "040_s004_device_to_gpu": "CUDA device",
    "041_s004_module_to_internals": "the runner only (defines a class)",
    "042_s004_variable_v010": "autograd.Variable, randn, view error message",
    "043_s004_v010_variable_sub": "core tensors (sub, neg)",
    "044_s004_v010_function": "the runner only (defines a class)",
    "045_s004_v010_sub_mul_div": "core tensors (mul, div, div_, neg)",
    "046_s004_v010_leaf": "core tensors (zeros, add_)",
    "047_s004_v010_sub_bullet": "core tensors (int broadcasting sub)",
    "048_s004_variable_update": "autograd.Variable, Tensor.grad.data",
    "tutorials/t01_gradient_accumulation": "nn.Sequential, nn.Linear, nn.Tanh, nn.MSELoss, optim.SGD, split, norm",
    "tutorials/t02_no_grad_inference": "no_grad / set_grad_enabled / inference_mode, nn.Linear, argmax",
    "tutorials/t03_eval_mode": "nn.BatchNorm1d, nn.Dropout, Module.train/eval, module repr",
    "tutorials/t04_inplace_ops": "in-place ops, version counter, autograd in-place errors",
    "tutorials/t05_checkpoint_save_load": "serialization (save/load), optim.Adam state_dict, load_state_dict",
    "tutorials/t06_dataloader_workers": "utils.data (DataLoader num_workers=2, get_worker_info, collate)",
    "tutorials/t07_custom_function_in_model": "autograd.Function (needs_input_grad), nn.Linear, optim.SGD momentum",
    "tutorials/t08_profiler": "torch.profiler (profile, record_function, key_averages), autograd.profiler",
    "tutorials/t09_graph_internals": "autograd graph (next_functions, AccumulateGrad, hooks, retain_grad, autograd.grad)",
    "tutorials/t10_module_internals": "nn.Module internals (buffers, hooks, named_*, apply, requires_grad_)",
    "tutorials/t11_optimizers_compared": "optim (SGD momentum/nesterov/weight_decay, Adam, AdamW, RMSprop state)",
    "tutorials/t12_dtypes_and_memory": "dtypes (float16, bfloat16, ints), conversions, type promotion, element_size",
    "tutorials/t13_mixed_precision": "torch.autocast on the CPU (bfloat16), is_autocast_enabled",
    "tutorials/t14_seeded_reproducibility": "random stream (manual_seed, default init, dropout, shuffle, Generator, rng state)",
    "tutorials/t15_convnet_training": "nn.Conv2d, nn.BatchNorm2d, F.max_pool2d, F.cross_entropy, optim.SGD momentum",
    "tutorials/t16_sequence_model": "nn.Embedding(padding_idx), nn.LSTM, pack_padded_sequence, clip_grad_norm_, optim.Adam",
    "tutorials/t17_lr_schedules": "optim.lr_scheduler (Step, MultiStep, Exponential, Cosine, Lambda, OneCycle, Plateau)",
    "tutorials/t18_training_script_boilerplate": "backends.cudnn flags, deterministic algorithms, matmul precision, num_threads, __version__ comparisons, printoptions",
    "tutorials/t19_indexing_and_views": "indexing, index assignment, views/strides, gather/scatter, broadcasting, view errors",
    "tutorials/t20_losses": "nn losses (MSE, L1, SmoothL1, Huber, CrossEntropy variants, NLL, BCE, BCEWithLogits, KLDiv)",
    "tutorials/t21_weight_init": "nn.init (xavier, kaiming, trunc_normal, orthogonal, calculate_gain), default inits, random stream",
    "tutorials/t22_attention": "nn.MultiheadAttention, F.scaled_dot_product_attention, nn.TransformerEncoder(Layer)",
}

XFAIL = {
}
