"""Porta's runtime shim: run CUDA-only PyTorch code, unmodified, on another device.

Like Huawei's ``torch_npu.contrib.transfer_to_npu``, but for every target: after ``install(device)``,
``.cuda()``, ``"cuda"`` device strings, ``torch.device("cuda", i)``, ``map_location``, ``torch.cuda.*``
runtime calls, ``torch.cuda.amp`` and the ``nccl`` backend all refer to the chosen device.
Works on PyTorch 1.13 (Debian's python3-torch) and current releases: every patch feature-detects.

    python -m porta_shim [--device auto|cuda|rocm|npu|xpu|mps|cpu] script.py [args...]
"""

import functools
import importlib
import os
import sys

from . import _report
from ._amp import patch_amp
from ._capabilities import patch_capabilities
from ._runtime import patch_runtime

__all__ = ["install", "pick_device", "finish", "COVERED"]
finish = _report.finish  # prints what the shim translated and what fell back, once; returns it

#: What the shim maps, for the analyzer's ``shim`` verdict (keep docs/dev/fix.md in step).
COVERED = (
    "tensor.cuda()", "module.cuda()", "device strings 'cuda' / 'cuda:N' in torch factories, .to(), torch.device()",
    "torch.load(map_location=...)", "torch.cuda.synchronize/empty_cache/memory_*/set_device/current_device/device_count",
    "torch.cuda.is_available (true when an accelerator is chosen)", "torch.cuda.amp.autocast/GradScaler",
    "torch.autocast('cuda')", "init_process_group('nccl') / new_group(backend='nccl')",
    "torch.cuda.<Type>Tensor and set_default_tensor_type('torch.cuda.*') on CPU", "tensor.pin_memory() off CUDA",
    "DistributedDataParallel(device_ids=...) on CPU",
    "torch.cuda.Stream/stream/current_stream/default_stream/Event (the device's own, else in-order stand-ins)",
    "tensor.record_stream(s) (nothing to record on an in-order stand-in)",
    "torch.cuda.nvtx.range_push/range_pop/mark (no-ops) and nvtx.range (a profiler range)",
    "tensor.is_cuda (true on the chosen accelerator)", "torch.cuda.amp.custom_fwd/custom_bwd",
    "torch.cuda.is_bf16_supported/get_device_capability/get_device_properties/mem_get_info/get_device_name/"
    "is_initialized/utilization (answers for the chosen device)",
    "autocast with a dtype the device's autocast lacks (falls back, e.g. float16 -> bfloat16 on CPU, or is disabled)",
    "GradScaler / torch.amp.GradScaler('cuda') (disabled where float16 autocast does not run)",
)

_FACTORIES = (
    "tensor", "as_tensor", "zeros", "ones", "empty", "full", "rand", "randn", "randint", "randperm", "arange",
    "linspace", "logspace", "eye", "zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like",
    "randint_like", "normal", "empty_strided", "tril_indices", "triu_indices",
)
_installed = None


def pick_device(name="auto"):
    """The torch.device for a target name; ``auto`` = the accelerator available at run time, else the CPU."""
    import torch

    name = (name or "auto").lower()
    if name == "rocm":
        name = "cuda"  # ROCm builds of PyTorch use the "cuda" device type
    if name == "npu":
        importlib.import_module("torch_npu")
    if name != "auto":
        return torch.device(name)
    accelerator = getattr(torch, "accelerator", None)
    if accelerator is not None and accelerator.is_available():
        return accelerator.current_accelerator()
    if torch.cuda.is_available():
        return torch.device("cuda")
    for kind in ("xpu", "npu"):
        module = getattr(torch, kind, None)
        if module is not None and getattr(module, "is_available", lambda: False)():
            return torch.device(kind)
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def install(device="auto"):
    """Patch torch so that CUDA references mean ``device``. Idempotent; returns the chosen torch.device."""
    global _installed
    import torch

    if _installed is not None:
        return _installed
    target = device if isinstance(device, torch.device) else pick_device(device)
    _installed = target
    _report.start(target)
    if target.type == "cuda":
        return target  # CUDA (or ROCm): the code runs as written
    _Patcher(torch, target).apply()
    return target


class _Patcher:
    def __init__(self, torch, target):
        self.torch = torch
        self.target = target
        self.real_device = torch.device

    # -- device mapping -------------------------------------------------------------------------
    def map_str(self, value):
        if value == "cuda" or value.startswith("cuda:"):
            _report.translated("'cuda' device")
            return self.target.type + value[4:]
        return value

    def map_device(self, value):
        """Maps "cuda", "cuda:1", torch.device("cuda", 1) and bare CUDA indices to the chosen device."""
        if isinstance(value, str):
            return self.map_str(value)
        if isinstance(value, self.real_device) and value.type == "cuda":
            _report.translated("'cuda' device")
            return self.real_device(self.target.type, value.index) if value.index is not None else self.target
        if isinstance(value, int) and not isinstance(value, bool):
            return self.real_device(self.target.type, value)
        if isinstance(value, dict):  # map_location={"cuda:0": "cpu"}-style
            return {self.map_device(k): self.map_device(v) for k, v in value.items()}
        return value

    def map_location(self, value):
        """Like map_device, but torch.load cannot restore to an indexed CPU ("cpu:0"): drop the index there."""
        mapped = self.map_device(value)
        if isinstance(mapped, dict):
            return {k: self.map_location(v) for k, v in mapped.items()}
        if isinstance(mapped, str) and mapped.startswith("cpu:"):
            return "cpu"
        if isinstance(mapped, self.real_device) and mapped.type == "cpu":
            return "cpu"
        return mapped

    def device_module(self):
        return getattr(self.torch, self.target.type, None) if self.target.type != "cpu" else None

    # -- patches --------------------------------------------------------------------------------
    def apply(self):
        self.patch_device_type()
        self.patch_factories()
        self.patch_to_and_cuda()
        self.patch_load()
        self.patch_cuda_runtime()
        self.patch_amp()
        self.patch_distributed()
        self.patch_legacy_types()
        patch_runtime(self.torch, self.target, self.device_module())

    def patch_device_type(self):
        real = self.real_device
        patcher = self

        class _DeviceMeta(type):
            def __instancecheck__(cls, obj):
                return isinstance(obj, real)

            def __subclasscheck__(cls, sub):
                return issubclass(sub, real)

            def __call__(cls, *args, **kwargs):
                if args and isinstance(args[0], str):
                    args = (patcher.map_str(args[0]),) + args[1:]
                if isinstance(kwargs.get("type"), str):
                    kwargs["type"] = patcher.map_str(kwargs["type"])
                return real(*args, **kwargs)

        class device(metaclass=_DeviceMeta):  # noqa: N801 - mirrors torch.device
            __doc__ = real.__doc__

        self.torch.device = device

    def wrap_device_kwarg(self, owner, name, key="device"):
        original = getattr(owner, name, None)
        if original is None or getattr(original, "_porta_shim", False):
            return
        patcher = self

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            if kwargs.get(key) is not None:
                kwargs[key] = patcher.map_device(kwargs[key])
            return original(*args, **kwargs)

        wrapper._porta_shim = True
        setattr(owner, name, wrapper)

    def patch_factories(self):
        for name in _FACTORIES:
            self.wrap_device_kwarg(self.torch, name)
        for name in ("new_tensor", "new_zeros", "new_ones", "new_empty", "new_full"):
            self.wrap_device_kwarg(self.torch.Tensor, name)
        generator = self.torch.Generator
        patcher = self

        def make_generator(device="cpu"):
            return generator(device=patcher.map_device(device))

        self.torch.Generator = make_generator if self.target.type == "cpu" else generator

    def patch_to_and_cuda(self):
        torch = self.torch
        patcher = self

        def make_to(original):
            @functools.wraps(original)
            def to(self, *args, **kwargs):
                if args and isinstance(args[0], (str, int, patcher.real_device)) and not isinstance(args[0], bool):
                    args = (patcher.map_device(args[0]),) + args[1:]
                if kwargs.get("device") is not None:
                    kwargs["device"] = patcher.map_device(kwargs["device"])
                return original(self, *args, **kwargs)

            return to

        def cuda(self, device=None, non_blocking=False, **kwargs):
            _report.translated("module.cuda()" if isinstance(self, torch.nn.Module) else "tensor.cuda()")
            target = patcher.map_device(device) if device is not None else patcher.target
            kwargs.pop("memory_format", None) if isinstance(self, torch.nn.Module) else None
            return self.to(target, non_blocking=non_blocking, **kwargs)

        def pin_memory(self, *args, **kwargs):
            _report.translated("tensor.pin_memory()")
            return self  # pinned host memory only exists for CUDA-like devices

        torch.Tensor.to = make_to(torch.Tensor.to)
        torch.nn.Module.to = make_to(torch.nn.Module.to)
        torch.Tensor.cuda = cuda
        torch.nn.Module.cuda = cuda
        if self.target.type == "cpu":
            torch.Tensor.pin_memory = pin_memory

        def storage_cuda(self, device=None, non_blocking=False, **kwargs):
            if patcher.target.type == "cpu":
                return self
            return self.to(patcher.target, non_blocking=non_blocking) if hasattr(self, "to") else self

        for name in ("TypedStorage", "UntypedStorage", "_UntypedStorage"):
            storage_class = getattr(torch, name, None) or getattr(torch.storage, name, None)
            if storage_class is not None and hasattr(storage_class, "cuda"):
                storage_class.cuda = storage_cuda

    def patch_load(self):
        torch = self.torch
        original = torch.load
        patcher = self

        @functools.wraps(original)
        def load(f, map_location=None, *args, **kwargs):
            _report.translated("torch.load(map_location=...)")
            if map_location is None:
                map_location = patcher.target  # CUDA-saved tensors land on the chosen device
            elif not callable(map_location):
                map_location = patcher.map_location(map_location)
            return original(f, map_location, *args, **kwargs)

        torch.load = load

    def patch_cuda_runtime(self):
        torch = self.torch
        cuda = torch.cuda
        patcher = self

        def forward(name, default=None):
            def call(*args, **kwargs):
                _report.translated_for_caller("torch.cuda.%s" % name)
                module = patcher.device_module()
                function = getattr(module, name, None)
                return function(*args, **kwargs) if function is not None else default

            call.__name__ = name
            return call

        cuda.is_available = lambda: patcher.target.type != "cpu"
        for name, default in (
            ("synchronize", None), ("empty_cache", None), ("set_device", None), ("reset_peak_memory_stats", None),
            ("current_device", 0), ("memory_allocated", 0), ("max_memory_allocated", 0), ("memory_reserved", 0),
            ("max_memory_reserved", 0), ("memory_stats", {}),
        ):
            setattr(cuda, name, forward(name, default))
        cuda.device_count = forward("device_count", 0 if self.target.type == "cpu" else 1)
        patch_capabilities(torch, self.target, self.device_module())
        for name in ("manual_seed", "manual_seed_all"):
            original = getattr(cuda, name)
            setattr(cuda, name, (lambda orig, n: lambda seed: (orig(seed), forward(n)(seed))[0])(original, name))

    def patch_amp(self):
        patch_amp(self.torch, self.target, self.map_str)

    def patch_distributed(self):
        try:
            import torch.distributed as dist
        except ImportError:
            return
        if not dist.is_available():
            return
        backend = {"npu": "hccl", "xpu": "xccl"}.get(self.target.type, "gloo")

        def wrap(name):
            original = getattr(dist, name, None)
            if original is None:
                return

            @functools.wraps(original)
            def wrapper(*args, **kwargs):
                if "nccl" in (str(args[0]).lower() if args else "", str(kwargs.get("backend")).lower()):
                    _report.translated("backend 'nccl'")
                if args and isinstance(args[0], str) and args[0].lower() == "nccl":
                    args = (backend,) + args[1:]
                if isinstance(kwargs.get("backend"), str) and kwargs["backend"].lower() == "nccl":
                    kwargs["backend"] = backend
                return original(*args, **kwargs)

            setattr(dist, name, wrapper)

        wrap("init_process_group")
        wrap("new_group")
        if self.target.type == "cpu":
            ddp = self.torch.nn.parallel.DistributedDataParallel
            original_init = ddp.__init__

            @functools.wraps(original_init)
            def init(module_self, *args, **kwargs):
                # CPU modules take no device ids; positional ones are args 1 and 2 after the module.
                kwargs.pop("device_ids", None)
                kwargs.pop("output_device", None)
                args = args[:1] + tuple(None for _ in args[1:3]) + args[3:]
                original_init(module_self, *args, **kwargs)

            ddp.__init__ = init

    def patch_legacy_types(self):
        torch = self.torch
        if self.target.type != "cpu":
            return
        for name in ("FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor",
                     "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"):
            if hasattr(torch, name):
                setattr(torch.cuda, name, getattr(torch, name))
        original = torch.set_default_tensor_type

        @functools.wraps(original)
        def set_default_tensor_type(t):
            if isinstance(t, str):
                t = t.replace("torch.cuda.", "torch.")
            return original(t)

        torch.set_default_tensor_type = set_default_tensor_type


def _verbose(message):
    if os.environ.get("PORTA_SHIM_VERBOSE"):
        sys.stderr.write("porta_shim: %s\n" % message)
