import { defineRules, type ApiPattern } from './types';

/** PT-AMP: automatic mixed precision bound to CUDA. */
export const rules = defineRules('PT-AMP', [
  {
    id: 'PT-AMP-001',
    title: '`torch.cuda.amp.autocast` is CUDA-only (and deprecated)',
    rationale: '`torch.cuda.amp.autocast` only autocasts CUDA tensors; on other devices it warns and runs in full precision. Deprecated since PyTorch 2.4.',
    portable: '`torch.amp.autocast(device_type=device.type, dtype=...)` (bfloat16 on CPU/XPU/NPU, float16 on MPS).',
    example: 'with torch.cuda.amp.autocast():\n    loss = model(x)',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded degraded',
    fixable: true,
  },
  {
    id: 'PT-AMP-002',
    title: '`torch.cuda.amp.GradScaler` is CUDA-only (and deprecated)',
    rationale: 'The CUDA GradScaler disables itself without CUDA; loss scaling is then skipped. Deprecated since PyTorch 2.4.',
    portable: '`torch.amp.GradScaler(device.type)` (PyTorch ≥ 2.3).',
    example: 'scaler = torch.cuda.amp.GradScaler()',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded degraded',
    fixable: true,
  },
  {
    id: 'PT-AMP-003',
    title: '`torch.cuda.amp.custom_fwd` / `custom_bwd`',
    rationale: 'These decorators hard-code the CUDA autocast state for custom autograd functions.',
    portable: '`torch.amp.custom_fwd(device_type=...)` / `torch.amp.custom_bwd(device_type=...)` (PyTorch ≥ 2.4).',
    example: '@torch.cuda.amp.custom_fwd\ndef forward(ctx, x): ...',
    severity: 'warning',
    verdicts: 'ok ok shim degraded degraded degraded',
    fixable: true,
  },
]);

export const apis: ApiPattern[] = [
  { name: 'torch.cuda.amp.autocast', rule: 'PT-AMP-001' },
  { name: 'torch.cuda.amp.autocast_mode.autocast', rule: 'PT-AMP-001' },
  { name: 'torch.cuda.amp.GradScaler', rule: 'PT-AMP-002' },
  { name: 'torch.cuda.amp.grad_scaler.GradScaler', rule: 'PT-AMP-002' },
  { name: 'torch.cuda.amp.custom_fwd', rule: 'PT-AMP-003' },
  { name: 'torch.cuda.amp.custom_bwd', rule: 'PT-AMP-003' },
  { name: 'torch.cuda.amp.*', rule: 'PT-AMP-001' },
];
