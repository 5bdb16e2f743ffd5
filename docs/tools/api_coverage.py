"""Generate docs/api-coverage.md: which public names of PyTorch 2.13 tritongrad provides.

    PYTHONPATH=. python docs/tools/api_coverage.py                 # writes docs/api-coverage.md
    PYTHONPATH=. python docs/tools/api_coverage.py --output -      # prints it instead

This is a development tool: it imports the real PyTorch (the oracle of the test extra) next to tritongrad and
compares the namespaces user code reaches. tritongrad never imports this file.

"Present" means the attribute exists in tritongrad (``hasattr``, or an importable submodule): it says nothing
about how completely the name is implemented. The per-area documents (docs/nn.md, docs/optim.md, ...) and the
oracle tests say that.
"""
import argparse
import datetime
import importlib
import importlib.util
import inspect
import os
import platform
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

# (PyTorch namespace, tritongrad namespace, how to list it)
NAMESPACES = [
    ("torch", "tritongrad", "module"),
    ("torch.Tensor", "tritongrad.Tensor", "class"),
    ("torch.nn", "tritongrad.nn", "module"),
    ("torch.nn.functional", "tritongrad.nn.functional", "module"),
    ("torch.nn.init", "tritongrad.nn.init", "module"),
    ("torch.nn.utils", "tritongrad.nn.utils", "module"),
    ("torch.optim", "tritongrad.optim", "module"),
    ("torch.optim.lr_scheduler", "tritongrad.optim.lr_scheduler", "module"),
    ("torch.utils.data", "tritongrad.utils.data", "module"),
    ("torch.autograd", "tritongrad.autograd", "module"),
    ("torch.linalg", "tritongrad.linalg", "module"),
    ("torch.cuda", "tritongrad.cuda", "module"),
    ("torch.random", "tritongrad.random", "module"),
    ("torch.profiler", "tritongrad.profiler", "module"),
    ("torch.testing", "tritongrad.testing", "module"),
    ("torch.special", "tritongrad.special", "module"),
    ("torch.fft", "tritongrad.fft", "module"),
]

# Names that tutorials, courses and typical training scripts use, by judgement. Only the missing ones are
# listed in the report, in this order (most commonly met first).
COMMON = """
torch.autocast torch.amp torch.amp.GradScaler torch.cuda.amp torch.fft torch.distributions torch.jit
torch.jit.script torch.jit.trace torch.hub torch.onnx torch.utils.checkpoint torch.utils.tensorboard
torch.distributed torch.nn.parallel.DistributedDataParallel torch.nn.DataParallel torch.backends.cudnn
torch.backends.mps torch.func torch.export torch.sparse torch.quantization
torch.tensor torch.from_numpy torch.zeros torch.ones torch.empty torch.full torch.arange torch.linspace torch.eye
torch.rand torch.randn torch.randint torch.randperm torch.normal torch.bernoulli torch.multinomial
torch.zeros_like torch.ones_like torch.randn_like torch.rand_like torch.full_like
torch.cat torch.stack torch.split torch.chunk torch.where torch.gather torch.scatter torch.index_select
torch.masked_select torch.nonzero torch.unique torch.sort torch.argsort torch.topk torch.kthvalue torch.flip
torch.roll torch.tile torch.repeat_interleave torch.flatten torch.squeeze torch.unsqueeze torch.permute
torch.transpose torch.reshape torch.broadcast_to torch.meshgrid torch.tril torch.triu torch.diag
torch.matmul torch.mm torch.bmm torch.baddbmm torch.addmm torch.einsum torch.outer torch.kron torch.cdist
torch.tensordot torch.trace torch.norm torch.dist torch.cross torch.det torch.inverse torch.matrix_power
torch.sum torch.mean torch.std torch.var torch.max torch.min torch.argmax torch.argmin torch.amax torch.amin
torch.prod torch.cumsum torch.cumprod torch.logsumexp torch.median torch.quantile torch.mode torch.histc
torch.bincount torch.bucketize torch.searchsorted torch.count_nonzero torch.var_mean torch.std_mean
torch.abs torch.sqrt torch.exp torch.log torch.sigmoid torch.tanh torch.relu torch.softmax torch.log_softmax
torch.clamp torch.lerp torch.sign torch.floor torch.ceil torch.round torch.isnan torch.isinf torch.isfinite
torch.allclose torch.equal torch.maximum torch.minimum torch.erf torch.lgamma torch.digamma
torch.view_as_real torch.view_as_complex torch.complex torch.polar
torch.manual_seed torch.seed torch.Generator torch.get_rng_state torch.set_rng_state torch.no_grad
torch.enable_grad torch.set_grad_enabled torch.inference_mode torch.is_grad_enabled torch.save torch.load
torch.device torch.set_default_dtype torch.get_default_dtype torch.set_default_device torch.finfo torch.iinfo
torch.is_tensor torch.numel torch.set_printoptions torch.compile torch.get_num_threads torch.set_num_threads
torch.use_deterministic_algorithms torch.set_float32_matmul_precision torch.cuda.is_available
torch.Tensor.to torch.Tensor.cuda torch.Tensor.cpu torch.Tensor.numpy torch.Tensor.item torch.Tensor.tolist
torch.Tensor.detach torch.Tensor.clone torch.Tensor.view torch.Tensor.reshape torch.Tensor.permute
torch.Tensor.contiguous torch.Tensor.unsqueeze torch.Tensor.squeeze torch.Tensor.expand torch.Tensor.expand_as
torch.Tensor.repeat torch.Tensor.masked_fill torch.Tensor.masked_fill_ torch.Tensor.scatter_
torch.Tensor.index_add_ torch.Tensor.gather torch.Tensor.topk torch.Tensor.argmax torch.Tensor.norm
torch.Tensor.type_as torch.Tensor.new_zeros torch.Tensor.new_ones torch.Tensor.new_full torch.Tensor.new_tensor
torch.Tensor.new_empty torch.Tensor.chunk torch.Tensor.split torch.Tensor.flip torch.Tensor.roll
torch.Tensor.float torch.Tensor.half torch.Tensor.bfloat16 torch.Tensor.long torch.Tensor.int torch.Tensor.bool
torch.Tensor.backward torch.Tensor.register_hook torch.Tensor.retain_grad torch.Tensor.requires_grad_
torch.Tensor.zero_ torch.Tensor.copy_ torch.Tensor.fill_ torch.Tensor.uniform_ torch.Tensor.normal_
torch.Tensor.pin_memory torch.Tensor.share_memory_ torch.Tensor.is_shared torch.Tensor.storage
torch.Tensor.data_ptr torch.Tensor.apply_ torch.Tensor.map_ torch.Tensor.sort torch.Tensor.unique
torch.Tensor.bernoulli_ torch.Tensor.exponential_ torch.Tensor.clamp_ torch.Tensor.add_ torch.Tensor.mul_
torch.nn.Module torch.nn.Linear torch.nn.Conv1d torch.nn.Conv2d torch.nn.ConvTranspose2d torch.nn.BatchNorm1d
torch.nn.BatchNorm2d torch.nn.LayerNorm torch.nn.GroupNorm torch.nn.Dropout torch.nn.Embedding torch.nn.LSTM
torch.nn.GRU torch.nn.RNN torch.nn.MultiheadAttention torch.nn.Transformer torch.nn.TransformerEncoderLayer
torch.nn.TransformerEncoder torch.nn.ReLU torch.nn.GELU torch.nn.SiLU torch.nn.Mish torch.nn.Tanh
torch.nn.Sigmoid torch.nn.Softmax torch.nn.LeakyReLU torch.nn.MaxPool2d torch.nn.AvgPool2d
torch.nn.AdaptiveAvgPool2d torch.nn.Flatten torch.nn.Unflatten torch.nn.Identity torch.nn.Sequential
torch.nn.ModuleList torch.nn.ModuleDict torch.nn.ParameterList torch.nn.Parameter torch.nn.Upsample
torch.nn.CrossEntropyLoss torch.nn.MSELoss torch.nn.L1Loss torch.nn.NLLLoss torch.nn.BCELoss
torch.nn.BCEWithLogitsLoss torch.nn.SmoothL1Loss torch.nn.KLDivLoss torch.nn.CTCLoss torch.nn.LazyLinear
torch.nn.LazyConv2d torch.nn.SyncBatchNorm torch.nn.Bilinear torch.nn.PixelShuffle
torch.nn.functional.relu torch.nn.functional.gelu torch.nn.functional.silu torch.nn.functional.leaky_relu
torch.nn.functional.softmax torch.nn.functional.log_softmax torch.nn.functional.cross_entropy
torch.nn.functional.nll_loss torch.nn.functional.mse_loss torch.nn.functional.l1_loss
torch.nn.functional.binary_cross_entropy torch.nn.functional.binary_cross_entropy_with_logits
torch.nn.functional.kl_div torch.nn.functional.ctc_loss torch.nn.functional.dropout torch.nn.functional.linear
torch.nn.functional.conv2d torch.nn.functional.max_pool2d torch.nn.functional.avg_pool2d
torch.nn.functional.adaptive_avg_pool2d torch.nn.functional.interpolate torch.nn.functional.pad
torch.nn.functional.one_hot torch.nn.functional.normalize torch.nn.functional.layer_norm
torch.nn.functional.batch_norm torch.nn.functional.embedding torch.nn.functional.cosine_similarity
torch.nn.functional.scaled_dot_product_attention torch.nn.functional.grid_sample torch.nn.functional.unfold
torch.nn.init.xavier_uniform_ torch.nn.init.kaiming_normal_ torch.nn.init.normal_ torch.nn.init.zeros_
torch.nn.init.trunc_normal_ torch.nn.init.orthogonal_
torch.nn.utils.clip_grad_norm_ torch.nn.utils.clip_grad_value_ torch.nn.utils.parameters_to_vector
torch.nn.utils.rnn.pad_sequence torch.nn.utils.rnn.pack_padded_sequence torch.nn.utils.rnn.pad_packed_sequence
torch.nn.utils.weight_norm torch.nn.utils.spectral_norm torch.nn.utils.parametrizations
torch.nn.utils.parametrize torch.nn.utils.prune torch.nn.utils.stateless torch.nn.utils.fusion
torch.optim.SGD torch.optim.Adam torch.optim.AdamW torch.optim.RMSprop torch.optim.Adagrad torch.optim.LBFGS
torch.optim.SparseAdam torch.optim.Optimizer torch.optim.lr_scheduler.StepLR torch.optim.lr_scheduler.MultiStepLR
torch.optim.lr_scheduler.ExponentialLR torch.optim.lr_scheduler.CosineAnnealingLR torch.optim.lr_scheduler.OneCycleLR
torch.optim.lr_scheduler.ReduceLROnPlateau torch.optim.lr_scheduler.LambdaLR torch.optim.lr_scheduler.LinearLR
torch.optim.lr_scheduler.SequentialLR torch.optim.lr_scheduler.CosineAnnealingWarmRestarts
torch.utils.data.DataLoader torch.utils.data.Dataset torch.utils.data.IterableDataset
torch.utils.data.TensorDataset torch.utils.data.random_split torch.utils.data.Subset
torch.utils.data.ConcatDataset torch.utils.data.default_collate torch.utils.data.get_worker_info
torch.utils.data.WeightedRandomSampler torch.utils.data.DistributedSampler torch.utils.data.RandomSampler
torch.autograd.grad torch.autograd.backward torch.autograd.Function torch.autograd.gradcheck
torch.autograd.set_detect_anomaly torch.autograd.detect_anomaly torch.autograd.Variable
torch.autograd.functional.jacobian torch.autograd.functional.hessian torch.autograd.forward_ad
torch.autograd.profiler.profile torch.autograd.graph.saved_tensors_hooks
torch.linalg.norm torch.linalg.vector_norm torch.linalg.matrix_norm torch.linalg.inv torch.linalg.solve
torch.linalg.det torch.linalg.svd torch.linalg.eigh torch.linalg.eig torch.linalg.qr torch.linalg.cholesky
torch.linalg.lstsq torch.linalg.pinv torch.linalg.matrix_rank
torch.cuda.device_count torch.cuda.manual_seed torch.cuda.manual_seed_all torch.cuda.synchronize
torch.cuda.empty_cache torch.cuda.memory_allocated torch.cuda.max_memory_allocated torch.cuda.get_device_name
torch.cuda.current_device torch.cuda.set_device torch.cuda.Event torch.cuda.Stream
torch.cuda.reset_peak_memory_stats
torch.random.manual_seed torch.random.fork_rng torch.random.get_rng_state
torch.profiler.profile torch.profiler.record_function torch.profiler.ProfilerActivity torch.profiler.schedule
torch.profiler.tensorboard_trace_handler
torch.testing.assert_close torch.testing.make_tensor
torch.special.expit torch.special.logit torch.special.erf torch.special.erfinv torch.special.gammaln
torch.special.digamma torch.special.xlogy torch.special.log_softmax torch.special.softmax
torch.special.logsumexp torch.special.i0 torch.special.sinc torch.special.entr torch.special.ndtr
""".split()


def kind_of(obj):
    if inspect.ismodule(obj):
        return "module"
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return "attribute"


def public_names(namespace, how, torch_obj):
    """PyTorch's public names in ``namespace``: no leading underscore, defined by PyTorch (names a module
    merely imports from the standard library or typing are left out), submodules only when they are that
    namespace's own children. Returns {name: kind}."""
    names = {}
    for name in dir(torch_obj):
        if name.startswith("_"):
            continue
        try:
            obj = getattr(torch_obj, name)
        except Exception:
            continue
        kind = kind_of(obj)
        if how == "class":
            names[name] = "method" if kind == "function" else "attribute"
            continue
        if kind == "module":
            if obj.__name__ != f"{namespace}.{name}":
                continue
        elif kind in ("class", "function"):
            module = getattr(obj, "__module__", None)
            if module is not None and not module.startswith("torch"):
                continue
        else:
            module = type(obj).__module__
            if not module.startswith("torch"):
                # plain Python values: only torch's numeric constants (e, pi, inf, nan) and newaxis count
                if namespace != "torch" or not (obj is None or type(obj) in (int, float)):
                    continue
        names[name] = kind
    return names


def documented(torch_obj, name):
    """Whether PyTorch gives the name a docstring (its internal and backend-specific bindings have none)."""
    try:
        obj = getattr(torch_obj, name)
    except Exception:
        return False
    if not (inspect.ismodule(obj) or inspect.isclass(obj) or callable(obj)):
        return True
    doc = getattr(obj, "__doc__", None)
    return isinstance(doc, str) and bool(doc.strip())


def resolve(path):
    """The object at dotted ``path`` (attributes first, submodules imported when no attribute has the name),
    or None."""
    parts = path.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except Exception:
        return None
    for attr in parts[1:]:
        try:
            obj = getattr(obj, attr)
            continue
        except Exception:
            pass
        if not inspect.ismodule(obj):
            return None
        try:
            obj = importlib.import_module(obj.__name__ + "." + attr)
        except Exception:
            return None
        if getattr(obj, "__file__", None) is None:
            return None  # an empty folder (namespace package) is no module
    return obj


def has_name(tg_obj, tg_namespace, name):
    if tg_obj is None:
        return False
    try:
        if hasattr(tg_obj, name):
            return True
    except Exception:
        return False
    if inspect.ismodule(tg_obj):
        try:
            module = importlib.import_module(f"{tg_namespace}.{name}")
        except Exception:
            return False
        return getattr(module, "__file__", None) is not None  # an empty folder is no module
    return False


def coverage():
    """[(namespace, [(name, kind, documented, present)])] for every namespace of NAMESPACES."""
    result = []
    for namespace, tg_namespace, how in NAMESPACES:
        torch_obj = resolve(namespace)
        tg_obj = resolve(tg_namespace)
        rows = []
        for name, kind in sorted(public_names(namespace, how, torch_obj).items(), key=lambda kv: kv[0].lower()):
            rows.append((name, kind, documented(torch_obj, name), has_name(tg_obj, tg_namespace, name)))
        result.append((namespace, rows))
    return result


def _spec_exists(path):
    """A PyTorch submodule that exists but needs an optional package to import (torch.utils.tensorboard)."""
    try:
        return importlib.util.find_spec(path) is not None
    except Exception:
        return False


def common_missing():
    out = []
    for path in COMMON:
        if resolve(path) is None and not _spec_exists(path):
            continue  # not a PyTorch 2.13 name at all: nothing to report
        tg_path = "tritongrad" + path[len("torch"):]
        if resolve(tg_path) is None:
            out.append(path)
    return out


def group_common(paths):
    """Missing common names grouped: whole modules first, then by the namespace that holds each name."""
    prefixes = sorted((ns for ns, _, _ in NAMESPACES), key=len, reverse=True)
    groups = {"whole modules": []}
    for path in paths:
        if inspect.ismodule(resolve(path)) or _spec_exists(path) and resolve(path) is None:
            key = "whole modules"
        else:
            key = next(f"`{ns}`" for ns in prefixes if path.startswith(ns + "."))
        groups.setdefault(key, []).append(path)
    return [(k, v) for k, v in groups.items() if v]


def percent(a, b):
    return f"{100.0 * a / b:.0f}%" if b else "-"


def render(result, missing_common, torch_version):
    lines = []
    add = lines.append
    add("# API coverage: tritongrad against PyTorch " + torch_version)
    add("")
    add("Generated by `docs/tools/api_coverage.py`; do not edit by hand. To regenerate (needs the PyTorch")
    add("oracle of the `test` extra):")
    add("")
    add("```")
    add("PYTHONPATH=. python docs/tools/api_coverage.py")
    add("```")
    add("")
    add("Every public name of each PyTorch namespace below (names not starting with `_`, defined by PyTorch:")
    add("standard-library and `typing` names a module merely imports are left out) and whether tritongrad has")
    add("it. **Present** means the attribute exists (or the submodule imports); it does not say how complete")
    add("the implementation is: the per-area pages (`docs/nn.md`, `docs/optim.md`, ...) list known limits, and")
    add("a name that exists behaves like PyTorch's or raises PyTorch's error (or `NotImplementedError` naming")
    add("the missing case). **Documented** names are those PyTorch gives a docstring; the rest are mostly")
    add("internal or backend-specific bindings (`cudnn_*`, `fbgemm_*`, `quantized_*`, in-place `torch.abs_`, ...).")
    add("")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    add(f"Last run: {now}, Python {platform.python_version()}, torch {torch_version} (CPU build).")
    add("")
    add("| namespace | public names | present | coverage | documented names | present | coverage |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    tot = [0, 0, 0, 0]
    for namespace, rows in result:
        n = len(rows)
        p = sum(1 for r in rows if r[3])
        dn = sum(1 for r in rows if r[2])
        dp = sum(1 for r in rows if r[2] and r[3])
        tot = [tot[0] + n, tot[1] + p, tot[2] + dn, tot[3] + dp]
        anchor = namespace.replace(".", "").lower()
        add(f"| [`{namespace}`](#{anchor}) | {n} | {p} | {percent(p, n)} | {dn} | {dp} | {percent(dp, dn)} |")
    add(f"| **all** | {tot[0]} | {tot[1]} | {percent(tot[1], tot[0])} | {tot[2]} | {tot[3]} | "
        f"{percent(tot[3], tot[2])} |")
    add("")
    add("## Commonly used and missing")
    add("")
    add("Names that tutorials and typical training scripts use (a hand-picked list in the generator, most")
    add("commonly met first) which tritongrad does not have yet. A script that reaches one gets PyTorch's")
    add("exception type for a missing attribute or module, naming the `torch.` path (see `docs/compat.md`).")
    add("")
    if missing_common:
        for group, paths in group_common(missing_common):
            add(f"- {group}: " + ", ".join(f"`{p}`" for p in paths))
    else:
        add("None of the listed names is missing.")
    add("")
    for namespace, rows in result:
        add(f"## {namespace}")
        add("")
        n = len(rows)
        p = sum(1 for r in rows if r[3])
        add(f"{p} of {n} present ({percent(p, n)}).")
        add("")
        missing = [r for r in rows if not r[3]]
        if missing:
            add("Missing: " + ", ".join(f"`{r[0]}`" for r in missing) + ".")
            add("")
        add("| name | kind | documented | tritongrad |")
        add("| --- | --- | --- | --- |")
        for name, kind, doc, present in rows:
            add(f"| `{namespace}.{name}` | {kind} | {'yes' if doc else 'no'} | "
                f"{'present' if present else '**missing**'} |")
        add("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=os.path.join(REPO, "docs", "api-coverage.md"),
                        help="where to write the page ('-' prints it)")
    args = parser.parse_args(argv)
    import warnings
    warnings.simplefilter("ignore")  # deprecated names warn when touched; the listing is what matters here
    import torch
    import tritongrad  # noqa: F401  (imported before resolve() walks it)
    text = render(coverage(), common_missing(), torch.__version__.split("+")[0]) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
