"""Capability queries under the shim: ``torch.cuda`` answers for the chosen device, in the types CUDA returns.

Where the chosen device has the query itself (``torch.xpu.get_device_properties``...), its answer is returned. Else
(the CPU, or a device without it) the answer describes the host, and where a query has no meaning there the value is
fixed and documented (docs/dev/fix.md): compute capability (0, 0), total memory = physical RAM, free memory =
available RAM, multiprocessors = logical CPUs, utilization = the 1-minute load average over the CPUs, in percent.
"""

import os
import platform

from . import _report


def cpu_name():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "cpu"


def physical_memory():
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 0


def available_memory():
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 0


class DeviceProperties:
    """The fields CUDA code reads from ``torch.cuda.get_device_properties``, for a device without CUDA's."""

    def __init__(self, name, total_memory, multi_processor_count):
        self.name = name
        self.total_memory = total_memory
        self.multi_processor_count = multi_processor_count
        self.major = 0  # no CUDA compute capability: every ">= (8, 0)" test is false
        self.minor = 0
        self.is_integrated = 0
        self.is_multi_gpu_board = 0

    def __repr__(self):
        return "_CudaDeviceProperties(name='%s', major=0, minor=0, total_memory=%dMB, multi_processor_count=%d)" % (
            self.name, self.total_memory // (1024 * 1024), self.multi_processor_count)


def bf16_works(torch, device_type):
    """Whether bfloat16 math runs on the device (a tiny matmul, asked once)."""
    try:
        ones = torch.ones(2, 2, dtype=torch.bfloat16, device=device_type)
        return bool((ones @ ones).float().sum().item() == 8.0)
    except Exception:
        return False


def patch_capabilities(torch, target, module):
    """Replace torch.cuda's capability queries with answers for ``target`` (``module``: torch.<device>, or None)."""
    cuda = torch.cuda
    cache = {}

    def own(name):
        return getattr(module, name, None) if module is not None else None

    def query(name, host_answer, check=None):
        def call(*args, **kwargs):
            _report.translated_for_caller("torch.cuda.%s" % name)
            function = own(name)
            if function is not None:
                try:
                    answer = function(*args, **kwargs)
                    if check is None or check(answer):
                        return answer
                except Exception:
                    pass  # the device lacks it after all (e.g. needs a driver library): describe the host
            return host_answer(*args, **kwargs)

        call.__name__ = name
        setattr(cuda, name, call)

    def is_bf16_supported(*args, **kwargs):
        if "bf16" not in cache:
            cache["bf16"] = bf16_works(torch, target.type)
        return cache["bf16"]

    def properties(*args, **kwargs):
        return DeviceProperties(cpu_name(), physical_memory(), os.cpu_count() or 1)

    def utilization(*args, **kwargs):
        try:
            load = os.getloadavg()[0]
        except (OSError, AttributeError):
            return 0
        return int(max(0, min(100, round(100.0 * load / (os.cpu_count() or 1)))))

    query("is_bf16_supported", is_bf16_supported, lambda answer: isinstance(answer, bool))
    query("get_device_capability", lambda *a, **k: (0, 0), lambda answer: isinstance(answer, tuple))
    query("get_device_properties", properties)
    query("mem_get_info", lambda *a, **k: (available_memory(), physical_memory()), lambda answer: isinstance(answer, tuple))
    query("get_device_name", lambda *a, **k: cpu_name() if target.type == "cpu" else target.type)
    query("is_initialized", lambda *a, **k: True)  # the chosen device needs no lazy initialization
    query("utilization", utilization, lambda answer: isinstance(answer, int))
