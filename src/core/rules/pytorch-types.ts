import { defineRules, type ApiPattern } from './types';

/** PT-TYPE: legacy CUDA tensor types. */
export const rules = defineRules('PT-TYPE', [
  {
    id: 'PT-TYPE-001',
    title: 'Legacy CUDA tensor type',
    rationale: '`torch.cuda.FloatTensor` and friends construct or test CUDA tensors; they have no equivalent on other backends and are deprecated.',
    portable: 'Factory functions with `dtype=` and `device=` (e.g. `torch.zeros(n, dtype=torch.float32, device=device)`); tests via `t.dtype` and `t.device.type`.',
    example: 'x = torch.cuda.FloatTensor(4, 4)\nisinstance(x, torch.cuda.LongTensor)',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
  {
    id: 'PT-TYPE-002',
    title: 'CUDA default tensor type',
    rationale: '`torch.set_default_tensor_type("torch.cuda.FloatTensor")` makes every new tensor a CUDA tensor; it fails without CUDA and is deprecated.',
    portable: '`torch.set_default_device(device)` and `torch.set_default_dtype(torch.float32)` (PyTorch ≥ 2.0).',
    example: 'torch.set_default_tensor_type("torch.cuda.FloatTensor")',
    severity: 'error',
    verdicts: 'ok ok shim breaks breaks breaks',
    fixable: true,
  },
]);

const TYPES = ['FloatTensor', 'DoubleTensor', 'HalfTensor', 'BFloat16Tensor', 'ByteTensor', 'CharTensor', 'ShortTensor', 'IntTensor', 'LongTensor', 'BoolTensor'];
export const TENSOR_TYPES = new Set(TYPES);

export const apis: ApiPattern[] = TYPES.map((t) => ({ name: `torch.cuda.${t}`, rule: 'PT-TYPE-001' }));
