"""Shim patches for the CUDA runtime beyond device placement: streams (and ``record_stream``), events, NVTX, ``is_cuda``,
custom_fwd/bwd.

Each maps to the chosen device's own API where it has one (``torch.xpu.Stream``, ``torch.npu.Event``...), else to a
stand-in with the same methods: on the CPU work runs in order, so waiting on a stream or event has nothing to wait for.
Written for PyTorch 1.13 and current releases (everything is feature-detected).
"""

import contextlib
import functools
import time


class InOrderStream:
    """A stream where work runs in issue order (the CPU): waits are no-ops, synchronize waits for the device."""

    _porta_in_order = True  # Tensor.record_stream has nothing to record on it (see patch_runtime)

    def __init__(self, module=None, *args, **kwargs):
        self._module = module

    def synchronize(self):
        if hasattr(self._module, "synchronize"):
            self._module.synchronize()

    def wait_stream(self, stream):
        pass

    def wait_event(self, event):
        pass

    def record_event(self, event=None):
        event = event if event is not None else WallClockEvent()
        event.record(self)
        return event

    def query(self):
        return True


class WallClockEvent:
    """torch.cuda.Event's record / synchronize / query / elapsed_time (milliseconds), on the wall clock."""

    def __init__(self, *args, **kwargs):
        self.seconds = None

    def record(self, stream=None):
        self.seconds = time.perf_counter()

    def wait(self, stream=None):
        pass

    def synchronize(self):
        pass

    def query(self):
        return True

    def elapsed_time(self, end):
        return (end.seconds - self.seconds) * 1000.0


def patch_runtime(torch, target, module):
    """Patch torch.cuda's streams, events, NVTX and amp decorators, and Tensor.is_cuda, for ``target``."""
    cuda = torch.cuda

    def device_or(name, fallback):
        own = getattr(module, name, None)
        return own if own is not None else fallback

    cuda.Stream = device_or("Stream", functools.partial(InOrderStream, module))
    cuda.Event = device_or("Event", WallClockEvent)
    shared = InOrderStream(module)
    cuda.current_stream = device_or("current_stream", lambda *args, **kwargs: shared)
    cuda.default_stream = device_or("default_stream", lambda *args, **kwargs: shared)
    own_stream = getattr(module, "stream", None)
    cuda.stream = (
        own_stream if own_stream is not None else lambda stream=None: contextlib.nullcontext()
    )

    # tensor.record_stream(s) tells the caching allocator about a device stream; Tensor.record_stream rejects the
    # stand-in, and with work in order there is nothing to record.
    record_stream = torch.Tensor.record_stream

    def record_stream_on_device_streams(self, stream):
        if getattr(stream, "_porta_in_order", False):
            return None
        return record_stream(self, stream)

    torch.Tensor.record_stream = record_stream_on_device_streams

    nvtx = cuda.nvtx
    nvtx.range_push = lambda msg: None
    nvtx.range_pop = lambda: None
    nvtx.mark = lambda msg: None
    nvtx.range = lambda msg, *args, **kwargs: torch.profiler.record_function(msg.format(*args, **kwargs))

    for name in ("custom_fwd", "custom_bwd"):
        portable = getattr(torch.amp, name, None)  # PyTorch 2.4+; before that the CUDA ones run as they are
        if portable is not None:
            setattr(cuda.amp, name, functools.partial(portable, device_type=target.type))

    if target.type != "cpu":
        # "Is it on the GPU?" means the chosen accelerator (on the CPU, is_cuda already answers False).
        torch.Tensor.is_cuda = property(lambda self: self.device.type == target.type)
