import { defineRules, type ApiPattern } from './types';

/** PT-PROBE: capability and version probes, PT-PROF: profiler, PT-DIST: distributed. */
export const probeRules = defineRules('PT-PROBE', [
  {
    id: 'PT-PROBE-001',
    title: 'CUDA compute-capability probe',
    rationale: '`torch.cuda.get_device_capability() >= (8, 0)` encodes NVIDIA architectures. ROCm returns gfx numbers (e.g. (9, 4)) that compare meaninglessly; other backends raise.',
    portable: 'Ask about the feature itself (`torch.cuda.is_bf16_supported()` on CUDA, dtype support per backend) or branch per backend.',
    example: 'if torch.cuda.get_device_capability() >= (8, 0):\n    dtype = torch.bfloat16',
    severity: 'warning',
    verdicts: 'ok degraded shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-PROBE-002',
    title: '`torch.version.cuda` probe',
    rationale: '`torch.version.cuda` is None on ROCm, XPU, MPS and CPU builds; code that treats None as "no GPU" ignores those accelerators.',
    portable: 'Check the accelerator in use (`torch.accelerator.current_accelerator()`), or `torch.version.hip` / `torch.version.xpu` as well.',
    example: 'if torch.version.cuda is not None: ...',
    severity: 'info',
    verdicts: 'ok degraded degraded degraded degraded ok',
  },
]);

export const profRules = defineRules('PT-PROF', [
  {
    id: 'PT-PROF-001',
    title: 'Profiler records CUDA activity only',
    rationale: '`ProfilerActivity.CUDA` / `use_cuda=True` collect device timings only on CUDA-typed devices; on XPU, MPS and NPU the trace has no device timeline.',
    portable: 'Pick the activity from the device: `ProfilerActivity.XPU` for Intel, `torch_npu.profiler` for Ascend, CPU activity otherwise.',
    example: 'with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]): ...',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded degraded',
    fixable: true,
  },
]);

export const distRules = defineRules('PT-DIST', [
  {
    id: 'PT-DIST-001',
    title: 'NCCL distributed backend hard-coded',
    rationale: '"nccl" exists on NVIDIA and (as RCCL) on ROCm. Ascend needs "hccl" (transfer_to_npu swaps it), Intel XPU "xccl", CPU and MPS "gloo".',
    portable: 'Choose the backend from the device: nccl for cuda, hccl for npu, xccl for xpu, gloo otherwise; or omit it and let PyTorch ≥ 2.6 pick per device.',
    example: 'dist.init_process_group("nccl")\ndist.init_process_group(backend="nccl")',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-DIST-002',
    title: 'NCCL availability check',
    rationale: '`is_nccl_available()` and `Backend.NCCL` assume NCCL is the collective library; the check is False or wrong elsewhere.',
    portable: 'Test the backend you chose per device (`dist.is_backend_available(name)`, PyTorch ≥ 2.2).',
    example: 'if dist.is_nccl_available(): ...',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded degraded',
  },
]);

export const rules = [...probeRules, ...profRules, ...distRules];

export const apis: ApiPattern[] = [
  { name: 'torch.cuda.get_device_capability', rule: 'PT-PROBE-001' },
  { name: 'torch.cuda.is_bf16_supported', rule: 'PT-PROBE-001' },
  { name: 'torch.cuda.get_arch_list', rule: 'PT-PROBE-001' },
  { name: 'torch.version.cuda', rule: 'PT-PROBE-002' },
  { name: 'torch.profiler.ProfilerActivity.CUDA', rule: 'PT-PROF-001' },
  { name: 'torch.autograd.ProfilerActivity.CUDA', rule: 'PT-PROF-001' },
  { name: 'torch.distributed.is_nccl_available', rule: 'PT-DIST-002' },
  { name: 'torch.distributed.Backend.NCCL', rule: 'PT-DIST-002' },
  { name: 'torch.cuda.nccl', rule: 'PT-DIST-002' },
  { name: 'torch.cuda.nccl.*', rule: 'PT-DIST-002' },
];
