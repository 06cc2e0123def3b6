import { defineRules, type ApiPattern } from './types';

/** PT-BACK: cuDNN / TF32 / SDPA backend switches. */
export const rules = defineRules('PT-BACK', [
  {
    id: 'PT-BACK-001',
    title: 'cuDNN flags',
    rationale: '`torch.backends.cudnn.benchmark/deterministic/enabled` only affect cuDNN (MIOpen on ROCm). On other backends they do nothing: a run that relied on `deterministic = True` is no longer deterministic.',
    portable: '`torch.use_deterministic_algorithms(True)` for determinism; keep `cudnn.benchmark` behind a device check.',
    example: 'torch.backends.cudnn.benchmark = True\ntorch.backends.cudnn.deterministic = True',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded ok',
    fixable: true,
  },
  {
    id: 'PT-BACK-002',
    title: 'TF32 switches',
    rationale: '`torch.backends.cuda.matmul.allow_tf32` and `torch.backends.cudnn.allow_tf32` are NVIDIA-specific; other backends ignore them and keep their own float32 precision.',
    portable: '`torch.set_float32_matmul_precision("high")`, which every backend honours where it can.',
    example: 'torch.backends.cuda.matmul.allow_tf32 = True',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded ok',
    fixable: true,
  },
  {
    id: 'PT-BACK-003',
    title: 'CUDA scaled-dot-product-attention kernel selection',
    rationale: '`torch.backends.cuda.sdp_kernel` (deprecated) and `enable_flash_sdp/enable_mem_efficient_sdp` select CUDA kernels; elsewhere the constraint is silently not applied.',
    portable: '`torch.nn.attention.sdpa_kernel([...])` (PyTorch ≥ 2.3).',
    example: 'with torch.backends.cuda.sdp_kernel(enable_flash=True):\n    y = F.scaled_dot_product_attention(q, k, v)',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded degraded',
  },
]);

export const apis: ApiPattern[] = [
  { name: 'torch.backends.cudnn.allow_tf32', rule: 'PT-BACK-002' },
  { name: 'torch.backends.cuda.matmul.allow_tf32', rule: 'PT-BACK-002' },
  { name: 'torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction', rule: 'PT-BACK-002' },
  { name: 'torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction', rule: 'PT-BACK-002' },
  { name: 'torch.backends.cudnn.*', rule: 'PT-BACK-001' },
  { name: 'torch.backends.cuda.sdp_kernel', rule: 'PT-BACK-003' },
  { name: 'torch.backends.cuda.enable_flash_sdp', rule: 'PT-BACK-003' },
  { name: 'torch.backends.cuda.enable_mem_efficient_sdp', rule: 'PT-BACK-003' },
  { name: 'torch.backends.cuda.enable_math_sdp', rule: 'PT-BACK-003' },
  { name: 'torch.backends.cuda.enable_cudnn_sdp', rule: 'PT-BACK-003' },
];
