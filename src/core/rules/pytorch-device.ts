import { defineRules } from './types';

/** PT-DEV: where tensors and modules are placed. */
export const rules = defineRules('PT-DEV', [
  {
    id: 'PT-DEV-001',
    title: '`.cuda()` moves a tensor or module to an NVIDIA device',
    rationale:
      '`.cuda()` only targets CUDA devices. ROCm builds of PyTorch reuse the CUDA device type, and Ascend\'s transfer_to_npu redirects `.cuda()` to `.npu()`, but on Intel XPU, Apple MPS and CPU it raises "Torch not compiled with CUDA enabled".',
    portable: 'Choose the device once at start-up (`torch.accelerator.current_accelerator()` on PyTorch ≥ 2.6, else a feature-detected fallback) and call `.to(device)`.',
    example: 'model = Net().cuda()\nx = x.cuda(non_blocking=True)',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-DEV-002',
    title: 'Hard-coded CUDA device string',
    rationale:
      'A literal "cuda" / "cuda:0" / f"cuda:{rank}" device pins the code to CUDA-typed devices. ROCm builds accept "cuda"; Ascend accepts it only through transfer_to_npu; XPU, MPS and CPU fail at run time.',
    portable: 'Use one `device` variable chosen at run time (`torch.accelerator.current_accelerator()` or a probe over cuda/xpu/mps/npu), and pass it everywhere.',
    example: 'x = torch.zeros(3, device="cuda")\nmodel.to(f"cuda:{rank}")\ndev = torch.device("cuda", 0)',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-DEV-003',
    title: '`map_location` loads a checkpoint onto a CUDA device',
    rationale: '`torch.load(..., map_location="cuda:0")` fails on machines without a CUDA-typed device, even when the model would run fine elsewhere.',
    portable: 'Load with `map_location="cpu"` (or the run-time device) and move the model with `.to(device)`.',
    example: 'state = torch.load(path, map_location="cuda:0")',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-DEV-004',
    title: '"cuda if available else cpu" silently ignores other accelerators',
    rationale:
      'The idiom `"cuda" if torch.cuda.is_available() else "cpu"` works on NVIDIA and ROCm, but on Apple MPS, Intel XPU and Ascend NPU it silently runs everything on the CPU.',
    portable: 'Probe every accelerator: `torch.accelerator.current_accelerator()` (PyTorch ≥ 2.6) or check cuda, xpu, mps and npu in turn.',
    example: 'device = "cuda" if torch.cuda.is_available() else "cpu"',
    severity: 'hint',
    verdicts: 'ok ok degraded degraded degraded ok',
    fixable: true,
  },
  {
    id: 'PT-DEV-005',
    title: '`tensor.is_cuda` tests for one device type',
    rationale: '`is_cuda` is False for tensors on XPU, MPS and NPU, so code that branches on it takes the CPU path on those accelerators.',
    portable: 'Compare `tensor.device.type` with the chosen device\'s type, or test `tensor.device.type != "cpu"`.',
    example: 'if x.is_cuda:\n    torch.cuda.synchronize()',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded ok',
    fixable: true,
  },
]);
