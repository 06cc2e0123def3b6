import { defineRules, type ApiPattern } from './types';

/** PT-CUDA: the torch.cuda runtime module. */
export const rules = defineRules('PT-CUDA', [
  {
    id: 'PT-CUDA-001',
    title: 'CUDA-only availability probe',
    rationale: '`torch.cuda.is_available()` / `device_count()` return False/0 on XPU, MPS and NPU (without transfer_to_npu), so the code quietly falls back to the CPU there. ROCm builds answer for AMD GPUs.',
    portable: '`torch.accelerator.is_available()` / `torch.accelerator.device_count()` (PyTorch ≥ 2.6), or probe each backend.',
    example: 'if torch.cuda.is_available():\n    n = torch.cuda.device_count()',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded ok',
    fixable: true,
  },
  {
    id: 'PT-CUDA-002',
    title: 'CUDA device control',
    rationale: '`torch.cuda.set_device`, `current_device`, `synchronize`, `get_device_name`, `current_stream`, `mem_get_info`, `reset_peak_memory_stats`... raise on builds without CUDA (XPU, MPS, CPU). ROCm maps them to HIP; Ascend only through transfer_to_npu.',
    portable: '`torch.accelerator.set_device_index`, `current_device_index`, `synchronize`, `current_stream` (PyTorch ≥ 2.6), or `getattr(torch, device.type).synchronize()` guarded by a check.',
    example: 'torch.cuda.set_device(local_rank)\ntorch.cuda.synchronize()',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-CUDA-003',
    title: 'CUDA memory API',
    rationale: '`torch.cuda.empty_cache`, `memory_allocated`, `max_memory_allocated`, `memory_stats`... exist only for CUDA-typed devices: on builds without CUDA they do nothing and report zero, so memory figures are lost (the memory calls that raise there, such as `mem_get_info`, are PT-CUDA-002). The same functions under the `torch.cuda.memory` submodule (`torch.cuda.memory.memory_allocated()`) are treated alike; its allocator controls and snapshots are PT-CUDA-009.',
    portable: '`torch.accelerator.memory.*` (PyTorch ≥ 2.9), or call the backend module (`torch.xpu`, `torch.mps`, `torch.npu`) behind a feature check.',
    example: 'torch.cuda.empty_cache()\npeak = torch.cuda.max_memory_allocated()',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded degraded',
    fixable: true,
  },
  {
    id: 'PT-CUDA-004',
    title: 'CUDA streams and events',
    rationale: '`torch.cuda.Stream`, `torch.cuda.Event` and `torch.cuda.stream()` bind to CUDA streams, and `tensor.record_stream(s)` needs a real device stream; they fail on XPU, MPS and CPU.',
    portable: '`torch.Stream` / `torch.Event` with a device (PyTorch ≥ 2.5), `torch.accelerator.current_stream()`, or the device module\'s own (`torch.xpu.Stream`, `torch.npu.Stream`); on the CPU work runs in order and needs no stream (nor `record_stream`).',
    example: 's = torch.cuda.Stream()\nstart = torch.cuda.Event(enable_timing=True)\nbatch.record_stream(torch.cuda.current_stream())',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-CUDA-005',
    title: 'CUDA graphs',
    rationale: '`torch.cuda.CUDAGraph`, `torch.cuda.graph` and `make_graphed_callables` capture CUDA/HIP graphs; other backends have no equivalent API under this name.',
    portable: 'Keep graph capture behind a `device.type == "cuda"` check, with an eager fallback; or rely on `torch.compile(mode="reduce-overhead")`.',
    example: 'g = torch.cuda.CUDAGraph()\nwith torch.cuda.graph(g):\n    y = model(x)',
    severity: 'error',
    verdicts: 'ok ok breaks breaks breaks breaks',
  },
  {
    id: 'PT-CUDA-006',
    title: 'NVTX ranges',
    rationale: '`torch.cuda.nvtx` emits NVIDIA Tools Extension ranges (roctx on ROCm). Elsewhere the calls fail.',
    portable: '`torch.profiler.record_function("name")`, which every backend\'s profiler understands; or keep NVTX behind a `device.type == "cuda"` check (what `porta fix` writes).',
    example: 'torch.cuda.nvtx.range_push("forward")\nwith torch.cuda.nvtx.range("step"):\n    ...',
    severity: 'warning',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-CUDA-007',
    title: 'CUDA-only seeding',
    rationale: '`torch.cuda.manual_seed(_all)` (and `get_rng_state_all`/`set_rng_state_all`) is silently ignored when CUDA is absent, so runs on MPS/XPU are not reproducible.',
    portable: '`torch.manual_seed(seed)` seeds every device.',
    example: 'torch.cuda.manual_seed_all(42)',
    severity: 'info',
    verdicts: 'ok ok shim degraded degraded ok',
    fixable: true,
  },
  {
    id: 'PT-CUDA-008',
    title: 'Program refuses to run without CUDA',
    rationale: '`if not torch.cuda.is_available(): sys.exit(...)` (or `raise`, `return`) and `assert torch.cuda.is_available()` stop the program on every machine without an NVIDIA or ROCm GPU: on Apple MPS, Intel XPU and the CPU it never starts, although the code below may run there. transfer_to_npu makes the check pass on Ascend.',
    portable: 'Check the device the program chose instead (`torch.accelerator.is_available()`, or the target\'s own `torch.xpu.is_available()`...), or drop the guard when the program also runs on the CPU.',
    example: 'if not torch.cuda.is_available():\n    sys.exit("CUDA is required")\nassert torch.cuda.is_available()',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-CUDA-009',
    title: 'Other `torch.cuda` API',
    rationale: 'Every `torch.cuda.*` call assumes a CUDA-typed device. It works on NVIDIA and ROCm and through transfer_to_npu on Ascend, and needs a backend check elsewhere.',
    portable: 'The `torch.accelerator` equivalent where one exists; otherwise guard by device type.',
    example: 'torch.cuda.ipc_collect()',
    severity: 'warning',
    verdicts: 'ok ok shim breaks breaks breaks',
  },
]);

const members = (prefix: string, names: string[], rule: string): ApiPattern[] => names.map((name) => ({ name: `${prefix}.${name}`, rule }));

/**
 * Memory statistics: without CUDA they run and report zero or nothing (checked against Debian's CPU-only PyTorch),
 * under `torch.cuda` and its `torch.cuda.memory` submodule alike.
 */
const CUDA_MEMORY_STATISTICS = ['empty_cache', 'memory_allocated', 'max_memory_allocated', 'memory_reserved', 'max_memory_reserved', 'memory_stats',
  'memory_cached', 'max_memory_cached', 'memory_stats_as_nested_dict', 'list_gpu_processes'];
/** Memory calls that raise without CUDA: device control (PT-CUDA-002), not statistics. */
const CUDA_MEMORY_RAISING = ['mem_get_info', 'reset_peak_memory_stats', 'reset_max_memory_allocated', 'memory_summary', 'set_per_process_memory_fraction'];

export const apis: ApiPattern[] = [
  ...members('torch.cuda', ['is_available', 'device_count', 'is_initialized'], 'PT-CUDA-001'),
  ...members('torch.cuda', ['set_device', 'current_device', 'synchronize', 'get_device_name', 'get_device_properties', 'device', 'current_stream', 'set_stream', 'default_stream', 'init',
    // Memory calls that raise without CUDA (Debian's CPU torch), unlike the statistics of PT-CUDA-003.
    ...CUDA_MEMORY_RAISING], 'PT-CUDA-002'),
  ...members('torch.cuda', [...CUDA_MEMORY_STATISTICS, 'memory'], 'PT-CUDA-003'),
  // The submodule holds both kinds: each function under the rule of what it does; the rest (allocator control,
  // snapshots, _record_memory_history) needs CUDA like any other torch.cuda API.
  ...members('torch.cuda.memory', CUDA_MEMORY_STATISTICS, 'PT-CUDA-003'),
  ...members('torch.cuda.memory', CUDA_MEMORY_RAISING, 'PT-CUDA-002'),
  ...members('torch.cuda', ['Stream', 'Event', 'stream', 'StreamContext', 'ExternalStream'], 'PT-CUDA-004'),
  ...members('torch.cuda', ['CUDAGraph', 'graph', 'make_graphed_callables', 'graph_pool_handle'], 'PT-CUDA-005'),
  { name: 'torch.cuda.nvtx', rule: 'PT-CUDA-006' },
  { name: 'torch.cuda.nvtx.*', rule: 'PT-CUDA-006' },
  ...members('torch.cuda', ['manual_seed', 'manual_seed_all', 'seed', 'seed_all', 'get_rng_state_all', 'set_rng_state_all'], 'PT-CUDA-007'),
  { name: 'torch.cuda.*', rule: 'PT-CUDA-009' },
];
