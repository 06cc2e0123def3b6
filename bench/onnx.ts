/**
 * The ONNX benchmark harness's own overhead: the P50 that `porta bench` reports (worker process, IPC, stats) against
 * a bare `session.run` loop over the same model and inputs, measured in this same run. Target: within 3 %.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { runOnnxBenchmark } from '../src/run/onnx/bench';
import { synthesize } from '../src/run/onnx/inputs';
import { latencyStats } from '../src/run/onnx/stats';
import { buildModel } from '../test/fixtures/onnx/build';

const ITERATIONS = 1000;
const WARMUP = 200;
const ROUNDS = 5;
const SEED = 1234;
const SIZE = 1024;

/** y = relu(x @ W) with x [1, SIZE] and W [SIZE, SIZE] (4 MB of weights): small, but long enough per run to measure. */
function smallModel(): Uint8Array {
  const size = SIZE;
  return buildModel({
    inputs: [{ name: 'x', type: 'float32', shape: [1, size] }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, size] }],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
      { op: 'Relu', inputs: ['h'], outputs: ['y'] },
    ],
    initializers: [{ name: 'W', dims: [size, size], values: Array.from({ length: size * size }, (_, i) => Math.sin(i) / size) }],
  });
}

async function bareLoopP50(model: string): Promise<number> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const meta = session.inputMetadata[0];
  const feed = synthesize({ name: meta.name, type: meta.isTensor ? meta.type : 'float32', shape: [1, SIZE] }, [1, SIZE], SEED);
  const feeds = { [feed.name]: new ort.Tensor('float32', feed.data as Float32Array, feed.dims) };
  for (let i = 0; i < WARMUP; i++) await session.run(feeds);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    await session.run(feeds);
    samples.push(performance.now() - start);
  }
  await session.release();
  return latencyStats(samples).p50;
}

async function harnessP50(model: string): Promise<number> {
  const result = await runOnnxBenchmark({ model, iterations: ITERATIONS, warmup: WARMUP, seed: SEED });
  if (result.status !== 'succeeded' || !result.metrics.latencyMs) throw new Error(`benchmark failed: ${result.error}`);
  return result.metrics.latencyMs.p50;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'porta-bench-onnx-'));
  try {
    const model = join(dir, 'small.onnx');
    writeFileSync(model, smallModel());
    const bare: number[] = [];
    const harness: number[] = [];
    // Paired rounds in alternating order, so that load from other processes hits both sides alike;
    // the verdict is the median of the per-round ratios.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        bare.push(await bareLoopP50(model));
        harness.push(await harnessP50(model));
      } else {
        harness.push(await harnessP50(model));
        bare.push(await bareLoopP50(model));
      }
    }
    const ratios = harness.map((h, i) => h / bare[i]);
    const ratio = median(ratios);
    const us = (values: number[]) => values.map((v) => (v * 1000).toFixed(1)).join(', ');
    console.log(`onnx: bare session.run loop P50      ${(median(bare) * 1000).toFixed(1)} µs (median of ${ROUNDS} rounds × ${ITERATIONS} runs; rounds: ${us(bare)})`);
    console.log(`onnx: porta bench reported P50       ${(median(harness) * 1000).toFixed(1)} µs (rounds: ${us(harness)})`);
    console.log(`onnx: harness/bare P50 ratio         ${ratio.toFixed(3)} (median of per-round ratios ${ratios.map((r) => r.toFixed(3)).join(', ')}; target <= 1.03: ${ratio <= 1.03 ? 'met' : 'NOT met'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void run();
