import type { FixOptions } from '../types';
import { versionAtLeast } from '../version';

/**
 * Module-level support code a rewrite may need: the device definition and a few small helpers, each inserted
 * once after the imports. Helpers are named `_porta_*` (the fix walker never rewrites inside them, so a second
 * pass finds nothing new) and are written for PyTorch 1.13 and current PyTorch alike: they feature-detect.
 */
export type SupportId =
  | 'import-torch'
  | 'import-torch-npu'
  | 'pick-device'
  | 'device'
  | 'device-call'
  | 'device-info'
  | 'device-for'
  | 'dist-backend'
  | 'grad-scaler'
  | 'profiler-activities'
  | 'default-tensor-type'
  | 'event'
  | 'stream'
  | 'record-stream'
  | 'nvtx'
  | 'amp-custom';

/** Canonical order in the inserted block. */
export const SUPPORT_ORDER: SupportId[] = [
  'import-torch',
  'import-torch-npu',
  'pick-device',
  'device',
  'device-call',
  'device-info',
  'device-for',
  'dist-backend',
  'grad-scaler',
  'profiler-activities',
  'default-tensor-type',
  'event',
  'stream',
  'record-stream',
  'nvtx',
  'amp-custom',
];

/** The helper function names, for detecting support code a previous run inserted. */
export const HELPER_FUNCTIONS: Partial<Record<SupportId, string>> = {
  'pick-device': '_porta_pick_device',
  'device-call': '_porta_device_call',
  'device-info': '_porta_device_info',
  'device-for': '_porta_device_for',
  'dist-backend': '_porta_dist_backend',
  'grad-scaler': '_porta_grad_scaler',
  'profiler-activities': '_porta_profiler_activities',
  'default-tensor-type': '_porta_set_default_tensor_type',
  event: '_porta_event',
  stream: '_porta_stream',
  'record-stream': '_porta_record_stream',
  nvtx: '_porta_nvtx',
  'amp-custom': '_porta_amp_custom',
};

export const DEVICE_COMMENT = '# Porta: the device this program runs on';

/** True when the auto target can rely on torch.accelerator (PyTorch 2.6+). */
export function usesAccelerator(options: FixOptions): boolean {
  return options.target === 'auto' && versionAtLeast(options.torchVersion, '2.6');
}

export function deviceExpression(options: FixOptions, torch: string, pickDevice = '_porta_pick_device'): string {
  switch (options.target) {
    case 'auto':
      return usesAccelerator(options)
        ? `${torch}.accelerator.current_accelerator() if ${torch}.accelerator.is_available() else ${torch}.device("cpu")`
        : `${pickDevice}()`;
    case 'rocm':
    case 'cuda':
      return `${torch}.device("cuda")`; // ROCm builds of PyTorch use the "cuda" device type (HIP underneath)
    default:
      return `${torch}.device("${options.target}")`;
  }
}

/** Support items an item needs in turn. */
export function supportDependencies(id: SupportId, options: FixOptions): SupportId[] {
  if (id === 'device') {
    const deps: SupportId[] = ['import-torch'];
    if (options.target === 'npu') deps.push('import-torch-npu');
    if (options.target === 'auto' && !usesAccelerator(options)) deps.push('pick-device');
    return deps;
  }
  if (id === 'import-torch' || id === 'import-torch-npu') return [];
  if (id === 'pick-device') return ['import-torch'];
  if (id === 'record-stream') return []; // asks the stream, not the device
  return ['import-torch', 'device'];
}

/** `helpers`: the helper functions' names in this file (the defaults unless the user's code took one). */
export function supportText(id: SupportId, options: FixOptions, torch: string, device: string, helpers: Partial<Record<SupportId, string>> = HELPER_FUNCTIONS): string {
  const t = torch;
  const def = (helper: SupportId): string => `def ${helpers[helper] ?? HELPER_FUNCTIONS[helper]}`;
  switch (id) {
    case 'import-torch':
      return 'import torch';
    case 'import-torch-npu':
      return 'import torch_npu  # noqa: F401  (Porta: registers the Ascend "npu" device with PyTorch)';
    case 'pick-device':
      return [
        `${def('pick-device')}():`,
        '    """Porta: the accelerator available at run time, else the CPU (works on PyTorch 1.13 and current releases)."""',
        `    accelerator = getattr(${t}, "accelerator", None)`,
        '    if accelerator is not None and accelerator.is_available():',
        '        return accelerator.current_accelerator()',
        `    if ${t}.cuda.is_available():  # NVIDIA CUDA, and AMD ROCm builds of PyTorch`,
        `        return ${t}.device("cuda")`,
        '    import importlib.util',
        '',
        '    if importlib.util.find_spec("torch_npu") is not None:  # Ascend before PyTorch 2.6: torch_npu adds the "npu" device',
        '        importlib.import_module("torch_npu")  # a call, not an import: linters would call the import unused',
        `    npu = getattr(${t}, "npu", None)`,
        '    if npu is not None and npu.is_available():',
        `        return ${t}.device("npu")`,
        `    xpu = getattr(${t}, "xpu", None)`,
        '    if xpu is not None and xpu.is_available():',
        `        return ${t}.device("xpu")`,
        `    mps = getattr(${t}.backends, "mps", None)`,
        '    if mps is not None and mps.is_available():',
        `        return ${t}.device("mps")`,
        `    return ${t}.device("cpu")`,
      ].join('\n');
    case 'device':
      return `${DEVICE_COMMENT}${options.target === 'auto' ? ' (chosen at run time)' : ''}.\n${device} = ${deviceExpression(options, t, helpers['pick-device'])}`;
    case 'device-call':
      return [
        `${def('device-call')}(name, *args, default=None, **kwargs):`,
        '    """Porta: torch.<device>.<name>(...) for the chosen device (torch.cuda, torch.xpu, torch.mps, torch.npu...), else `default`."""',
        `    module = getattr(${t}, ${device}.type, None) if ${device}.type != "cpu" else None`,
        '    function = getattr(module, name, None)',
        '    return function(*args, **kwargs) if function is not None else default',
      ].join('\n');
    case 'device-info':
      return [
        `${def('device-info')}(name, *args, **kwargs):`,
        '    """Porta: what torch.cuda.<name>(...) (get_device_properties, get_device_name, mem_get_info,',
        "    get_device_capability) answers for the chosen device: its own module's answer where it has the query; else",
        "    (the CPU, MPS) the host's, as porta_shim answers: the CPU model as name (the device type on MPS), physical RAM",
        '    as total_memory, available RAM as free memory, logical CPUs as multi_processor_count, compute capability',
        '    (0, 0) (no CUDA architecture: every ">= (8, 0)" test is false)."""',
        `    module = getattr(${t}, ${device}.type, None) if ${device}.type != "cpu" else None`,
        '    if hasattr(module, name):',
        '        answer = getattr(module, name)(*args, **kwargs)',
        '        if name != "get_device_capability" or isinstance(answer, tuple):  # XPU answers a dict of properties',
        '            return answer',
        '    if name == "get_device_capability":',
        '        return 0, 0',
        '    import os as _porta_os  # aliased: the module may import (and leave unused) its own os, platform, types',
        '    import platform as _porta_platform',
        '    import types as _porta_types',
        '',
        '    def pages(kind):',
        '        try:',
        '            return _porta_os.sysconf("SC_PAGE_SIZE") * _porta_os.sysconf(kind)',
        '        except (ValueError, OSError, AttributeError):  # no sysconf (Windows) or no such key (macOS: available pages)',
        '            return 0',
        '',
        '    total = pages("SC_PHYS_PAGES")',
        '    if name == "mem_get_info":',
        '        try:',
        '            with open("/proc/meminfo") as meminfo:',
        '                free = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))',
        '        except (OSError, StopIteration, ValueError, IndexError):',
        '            free = pages("SC_AVPHYS_PAGES") or total',
        '        return free, total',
        '    model = _porta_platform.processor() or _porta_platform.machine() or "cpu"',
        '    try:',
        '        with open("/proc/cpuinfo") as cpuinfo:',
        '            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))',
        '    except (OSError, StopIteration):',
        '        pass',
        '    if name == "get_device_name":',
        `        return model if ${device}.type == "cpu" else ${device}.type`,
        '    return _porta_types.SimpleNamespace(name=model, total_memory=total, multi_processor_count=_porta_os.cpu_count() or 1,',
        '                                        major=0, minor=0, is_integrated=0, is_multi_gpu_board=0)',
      ].join('\n');
    case 'device-for':
      return [
        `${def('device-for')}(device):`,
        '    """Porta: where x.cuda(device) puts x, on the chosen device: an index (int) is that index of the chosen device type;',
        '    a CUDA device (torch.device or string) is the chosen device with its index; any other device is kept."""',
        '    if device is None:',
        `        return ${device}`,
        `    if isinstance(device, (str, ${t}.device)):`,
        `        device = ${t}.device(device)`,
        '        if device.type != "cuda":',
        '            return device',
        `        return ${t}.device(${device}.type, device.index) if device.index is not None else ${device}`,
        `    return ${t}.device(${device}.type, device)`,
      ].join('\n');
    case 'dist-backend':
      return [
        `${def('dist-backend')}():`,
        '    """Porta: the collective-communication backend for the chosen device (NCCL/RCCL, HCCL, XCCL, else Gloo)."""',
        `    return {"cuda": "nccl", "npu": "hccl", "xpu": "xccl"}.get(${device}.type, "gloo")`,
      ].join('\n');
    case 'grad-scaler':
      return [
        `${def('grad-scaler')}(**kwargs):`,
        '    """Porta: torch.amp.GradScaler where this PyTorch has it (2.3+); before that the CUDA one, enabled only on CUDA."""',
        `    if hasattr(${t}.amp, "GradScaler"):`,
        `        return ${t}.amp.GradScaler(${device}.type, **kwargs)`,
        `    kwargs["enabled"] = kwargs.get("enabled", True) and ${device}.type == "cuda"`,
        `    return ${t}.cuda.amp.GradScaler(**kwargs)`,
      ].join('\n');
    case 'profiler-activities':
      return [
        `${def('profiler-activities')}():`,
        '    """Porta: the profiler activity of the chosen device, when this PyTorch can profile it."""',
        `    name = {"cuda": "CUDA", "xpu": "XPU", "mps": "MPS"}.get(${device}.type)`,
        `    activity = getattr(${t}.profiler.ProfilerActivity, name, None) if name else None`,
        '    return [activity] if activity is not None else []',
      ].join('\n');
    case 'default-tensor-type':
      return [
        `${def('default-tensor-type')}(dtype):`,
        '    """Porta: default dtype, and default device where this PyTorch supports one (2.0+)."""',
        `    ${t}.set_default_dtype(dtype)`,
        `    if hasattr(${t}, "set_default_device"):`,
        `        ${t}.set_default_device(${device})`,
      ].join('\n');
    case 'event':
      return [
        `${def('event')}(**kwargs):`,
        '    """Porta: torch.<device>.Event for the chosen device; where it has none (the CPU), a wall-clock stand-in',
        '    with the same record / synchronize / elapsed_time (milliseconds)."""',
        `    module = getattr(${t}, ${device}.type, None) if ${device}.type != "cpu" else None`,
        '    if hasattr(module, "Event"):',
        '        return module.Event(**kwargs)',
        '    import time as _porta_clock  # not `time`: the module may import (and shadow) its own',
        '',
        '    class WallClockEvent:',
        '        def record(self, stream=None):',
        '            self.seconds = _porta_clock.perf_counter()',
        '',
        '        def synchronize(self):',
        '            pass',
        '',
        '        def query(self):',
        '            return True',
        '',
        '        def elapsed_time(self, end):',
        '            return (end.seconds - self.seconds) * 1000.0',
        '',
        '    return WallClockEvent()',
      ].join('\n');
    case 'stream':
      return [
        `${def('stream')}(name, *args, **kwargs):`,
        '    """Porta: torch.<device>.<name>(...) (Stream, stream, current_stream, default_stream) for the chosen device;',
        '    where it has no streams (the CPU), work runs in order: a stand-in stream whose waits have nothing to wait for."""',
        `    module = getattr(${t}, ${device}.type, None) if ${device}.type != "cpu" else None`,
        '    if hasattr(module, name):',
        '        return getattr(module, name)(*args, **kwargs)',
        '    if name == "stream":',
        '        import contextlib',
        '',
        '        return contextlib.nullcontext()',
        '',
        '    class InOrderStream:',
        '        _porta_in_order = True  # _porta_record_stream: nothing to record on a stream where work runs in order',
        '',
        '        def synchronize(self):',
        '            if hasattr(module, "synchronize"):',
        '                module.synchronize()',
        '',
        '        def wait_stream(self, stream):',
        '            pass',
        '',
        '        def wait_event(self, event):',
        '            pass',
        '',
        '        def record_event(self, event=None):',
        '            if event is not None:',
        '                event.record(self)',
        '            return event',
        '',
        '        def query(self):',
        '            return True',
        '',
        '    return InOrderStream()',
      ].join('\n');
    case 'record-stream':
      return [
        `${def('record-stream')}(tensor, stream):`,
        '    """Porta: tensor.record_stream(stream) on a device stream (CUDA, XPU, NPU); an in-order stand-in stream (the',
        '    CPU) has no allocator to tell, so there is nothing to record."""',
        '    if not getattr(stream, "_porta_in_order", False):',
        '        tensor.record_stream(stream)',
      ].join('\n');
    case 'nvtx':
      return [
        `${def('nvtx')}(name, *args, **kwargs):`,
        '    """Porta: torch.cuda.nvtx.<name>(...) on CUDA (NVTX/roctx ranges for Nsight); elsewhere `range` is a profiler',
        '    range (torch.profiler.record_function) and range_push / range_pop / mark do nothing."""',
        `    if ${device}.type == "cuda":`,
        `        return getattr(${t}.cuda.nvtx, name)(*args, **kwargs)`,
        '    if name == "range":',
        `        return ${t}.profiler.record_function(args[0].format(*args[1:], **kwargs))`,
        '    return None',
      ].join('\n');
    case 'amp-custom':
      return [
        `${def('amp-custom')}(name, function=None, **kwargs):`,
        '    """Porta: torch.amp.custom_fwd / custom_bwd for the chosen device (PyTorch 2.4+); before that the',
        '    torch.cuda.amp ones, which follow the CUDA autocast state."""',
        '    import functools',
        '',
        `    if hasattr(${t}.amp, name):`,
        `        decorate = functools.partial(getattr(${t}.amp, name), device_type=${device}.type, **kwargs)`,
        '    else:',
        `        decorate = functools.partial(getattr(${t}.cuda.amp, name), **kwargs)`,
        '    return decorate(function) if function is not None else decorate',
      ].join('\n');
  }
}
