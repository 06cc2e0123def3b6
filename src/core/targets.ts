/** The accelerator backends Porta reasons about, in display order. */
export const BACKENDS = ['cuda', 'rocm', 'npu', 'xpu', 'mps', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

export const BACKEND_LABELS: Record<Backend, string> = {
  cuda: 'NVIDIA CUDA',
  rocm: 'AMD ROCm',
  npu: 'Huawei Ascend NPU',
  xpu: 'Intel XPU',
  mps: 'Apple MPS',
  cpu: 'CPU',
};

/**
 * How a construct fares on a backend:
 * ok — works unchanged; shim — works through Porta's runtime shim (or the vendor's, e.g. transfer_to_npu);
 * guarded — would break or degrade, but sits in code that only runs where CUDA is present (`if torch.cuda.is_available():`,
 * the CUDA arm of a per-vendor chain...): the program still runs there, only that feature is missing;
 * degraded — runs, but slower or with reduced features/accuracy; breaks — fails or silently does the wrong thing.
 */
export const VERDICTS = ['ok', 'shim', 'guarded', 'degraded', 'breaks'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type VerdictTable = Record<Backend, Verdict>;

export function isBackend(value: string): value is Backend {
  return (BACKENDS as readonly string[]).includes(value);
}
