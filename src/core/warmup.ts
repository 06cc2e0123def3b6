/**
 * Warm-up work for a long-lived analyzer (the editor's analysis worker). A WebAssembly grammar starts in V8's
 * baseline tier: the first parse of a large file in a fresh process runs several times slower (a 5,000-line CUDA file:
 * ~300 ms instead of ~45 ms) until V8 has optimised the hot parser functions. Analysing small samples of each
 * language a few times while the worker is idle triggers that optimisation before the user opens a big file.
 */
import type { Analyzer } from './analyze';
import { DEFAULT_CONFIG } from './config';

const PYTHON_SAMPLE = `import torch
import torch.nn as nn


def step(model, x, rank):
    model = model.cuda()
    x = x.to("cuda:0", non_blocking=True)
    with torch.cuda.amp.autocast():
        y = model(x)
    torch.cuda.synchronize()
    return torch.load("ckpt.pt", map_location=f"cuda:{rank}"), y


def plain(a, b):
    total = 0
    for v in range(a):
        total += v * b
    return total
`;

const CUDA_SAMPLE = `#include <cuda_runtime.h>

__global__ void kernel(float* x, int n) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  float v = __shfl_down_sync(0xffffffff, x[t], 16);
  if (t % 32 == 0 && t < n) x[t] = v;
}

void run(int n) {
  float* d;
  cudaMalloc(&d, n * sizeof(float));
  kernel<<<(n + 255) / 256, 256>>>(d, n);
  cudaDeviceSynchronize();
  cudaFree(d);
}
`;

/** The samples, each repeated to about `lines` lines. */
export function warmUpSamples(lines: number): Array<[string, string]> {
  const repeat = (text: string) => text.repeat(Math.max(1, Math.round(lines / text.split('\n').length)));
  return [
    ['warmup.py', repeat(PYTHON_SAMPLE)],
    ['warmup.cu', repeat(CUDA_SAMPLE)],
  ];
}

/**
 * One small analysis per step (a few milliseconds), so that a caller running the steps between other work
 * (setImmediate in a worker) delays a real request by at most one step.
 */
export function* warmUpSteps(analyzer: Analyzer, rounds = 10, lines = 100): Generator<void> {
  const files = warmUpSamples(lines).filter(([path, text]) => analyzer.handles(path, text));
  for (let round = 0; round < rounds; round++) {
    for (const [path, text] of files) {
      // Alternate diagnostics-only (typing) and with fixes (quick fixes): both paths get optimised.
      analyzer.analyze(path, text, DEFAULT_CONFIG, round % 2 === 0 ? null : undefined);
      yield;
    }
  }
}
