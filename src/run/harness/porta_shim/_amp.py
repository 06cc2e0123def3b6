"""Mixed precision under the shim: autocast and GradScaler that work on the chosen device and torch version.

``autocast(device_type="cuda", dtype=torch.float16)`` becomes the chosen device's autocast. When that autocast does
not take the dtype (PyTorch 1.13's CPU autocast takes only bfloat16), it falls back to one it takes (float16 ->
bfloat16 and back), else it is disabled; either way the change is said once (see _report). GradScaler scales only
where float16 autocast runs; elsewhere it is a disabled scaler, whose scale/step/update pass through. Both GradScaler
spellings stay classes (subclasses of torch's own), so ``isinstance`` and ``class MyScaler(GradScaler)`` keep working.
"""

import warnings

from . import _report

_FALLBACKS = {"float16": ("bfloat16",), "bfloat16": ("float16",)}


def dtype_name(dtype):
    return str(dtype).replace("torch.", "")


class AutocastSupport:
    """Which dtypes the device's own autocast accepts, probed once per (device, dtype) by entering it."""

    def __init__(self, torch, real_autocast):
        self.torch = torch
        self.real = real_autocast
        self.known = {}

    def accepts(self, device_type, dtype):
        key = (device_type, dtype)
        if key not in self.known:
            self.known[key] = self._probe(device_type, dtype)
        return self.known[key]

    def _probe(self, device_type, dtype):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                context = self.real(device_type, dtype=dtype)
                if not getattr(context, "_enabled", True):
                    return False
                with context:
                    pass
            except Exception:
                return False
        # Some versions only warn that they disabled it ("...not supported. Disabling autocast.").
        return not any("isabl" in str(w.message) for w in caught)

    def resolve(self, device_type, dtype):
        """(dtype, enabled) that the device's autocast takes for the requested dtype (None: its default)."""
        if not self.accepts(device_type, None):
            _report.fell_back("autocast disabled on %s (torch %s has no autocast there)" % (device_type, self.torch.__version__))
            return None, False
        if dtype is None or self.accepts(device_type, dtype):
            return dtype, True
        for name in _FALLBACKS.get(dtype_name(dtype), ()):
            other = getattr(self.torch, name)
            if self.accepts(device_type, other):
                _report.fell_back("autocast %s → %s on %s" % (dtype_name(dtype), name, device_type))
                return other, True
        _report.fell_back("autocast %s disabled on %s (its autocast takes no such dtype)" % (dtype_name(dtype), device_type))
        return None, False


def patch_amp(torch, target, map_str):
    """torch.autocast / torch.amp.autocast / torch.cuda.amp.autocast and both GradScaler spellings, for ``target``."""
    real_autocast = torch.amp.autocast_mode.autocast
    support = AutocastSupport(torch, real_autocast)

    class autocast(real_autocast):  # noqa: N801 - mirrors torch.autocast
        def __init__(self, device_type="cuda", dtype=None, enabled=True, cache_enabled=None):
            device = map_str(device_type)
            if device != device_type:
                _report.translated("autocast('%s')" % device_type)
            if enabled:
                dtype, enabled = support.resolve(device, dtype)
            if not enabled and not support.accepts(device, None):
                device, dtype = "cpu", None  # torch rejects the device type itself, even for a disabled autocast
            super().__init__(device, dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)

    class cuda_autocast(autocast):  # noqa: N801 - torch.cuda.amp.autocast: float16 unless told otherwise
        def __init__(self, enabled=True, dtype=torch.float16, cache_enabled=True):
            _report.translated("torch.cuda.amp.autocast")
            super().__init__(target.type, dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)

    torch.autocast = autocast
    torch.amp.autocast = autocast
    torch.cuda.amp.autocast = cuda_autocast

    real_cuda_scaler = torch.cuda.amp.GradScaler
    amp_scaler = getattr(torch.amp, "GradScaler", None)  # PyTorch 2.3+
    names = ("init_scale", "growth_factor", "backoff_factor", "growth_interval", "enabled")

    def init_scaler(scaler, kwargs, spelling):
        """Initialises ``scaler`` (an instance of a class below) as the chosen device's scaler, or a disabled one."""
        _report.translated(spelling)
        if kwargs.get("enabled", True) and amp_scaler is not None and support.accepts(target.type, torch.float16):
            amp_scaler.__init__(scaler, target.type, **kwargs)
            return
        if kwargs.get("enabled", True):
            why = "no float16 autocast there" if amp_scaler is not None else "torch %s scales only on CUDA" % torch.__version__
            _report.fell_back("GradScaler disabled on %s (%s: nothing to scale)" % (target.type, why))
            kwargs["enabled"] = False
        if amp_scaler is not None:
            amp_scaler.__init__(scaler, target.type, **kwargs)
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "CUDA is not available. Disabling" on 1.13
            real_cuda_scaler.__init__(scaler, **kwargs)

    # Classes, not factories: scripts test isinstance(x, GradScaler) and subclass it (class MyScaler(GradScaler)).
    if amp_scaler is not None:
        class GradScaler(amp_scaler):  # torch.amp.GradScaler(device="cuda", ...)
            def __init__(self, device="cuda", *args, **kwargs):
                if map_str(device) != target.type:
                    amp_scaler.__init__(self, device, *args, **kwargs)  # a scaler for another device: not ours to change
                    return
                kwargs.update(zip(names, args))
                init_scaler(self, kwargs, "torch.amp.GradScaler('%s')" % device)

        class CudaGradScaler(GradScaler):  # torch.cuda.amp.GradScaler is a torch.amp.GradScaler, as in torch 2.3+
            def __init__(self, *args, **kwargs):
                kwargs.update(zip(names, args))
                init_scaler(self, kwargs, "torch.cuda.amp.GradScaler")

        torch.amp.GradScaler = GradScaler
    else:
        class CudaGradScaler(real_cuda_scaler):
            def __init__(self, *args, **kwargs):
                kwargs.update(zip(names, args))
                init_scaler(self, kwargs, "torch.cuda.amp.GradScaler")

    CudaGradScaler.__name__ = CudaGradScaler.__qualname__ = "GradScaler"
    CudaGradScaler.__module__ = real_cuda_scaler.__module__
    torch.cuda.amp.GradScaler = CudaGradScaler
