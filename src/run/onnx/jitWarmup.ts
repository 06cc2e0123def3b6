/**
 * Warms V8's JIT on onnxruntime-node's JavaScript path (InferenceSession.run, Tensor construction, the binding's
 * setImmediate/promise wrapper) before the worker times anything. The worker is a fresh process: without this, the
 * first couple of thousand session.run calls run in V8's baseline tiers and cost ~8 µs more each than once optimised,
 * which a long-lived process that called session.run before (like a bare loop in the caller) never pays. The user's
 * `--warmup` runs cannot pay it off cheaply: on a real model they take milliseconds each; here it takes ~30 ms.
 */
import type * as Ort from 'onnxruntime-node';
import { timeRuns } from './timing';

/** y = Relu(x), x and y float32 [1, 16]: an ONNX model of 97 bytes (built with test/fixtures/onnx/build.ts). */
export const WARMUP_MODEL_BASE64 =
  'CAcSDXBvcnRhLWZpeHR1cmU6SAoTCgF4EgF5GgVub2RlMCIEUmVsdRIHZml4dHVyZVoTCgF4Eg4KDAgBEggKAggBCgIIEGITCgF5Eg4KDAgBEggKAggBCgIIEEIECgAQDQ==';

/** Enough runs for V8 to optimise the hot path (measured: the per-run overhead settles after ~1500–2000 calls). */
export const JIT_WARMUP_RUNS = 2500;
/** A ceiling on a slow or loaded machine: the warm-up must never cost noticeably more than starting the process. */
export const JIT_WARMUP_BUDGET_MS = 250;

/** Runs the tiny model on the CPU provider until warm; returns how many runs it did (0 if it could not run at all). */
export async function warmOrtJit(ort: typeof Ort, runs = JIT_WARMUP_RUNS, budgetMs = JIT_WARMUP_BUDGET_MS): Promise<number> {
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(Buffer.from(WARMUP_MODEL_BASE64, 'base64'), { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 4 });
  } catch {
    // Best effort: a runtime that cannot even run Relu on the CPU will report its problem on the real model.
    return 0;
  }
  try {
    const feeds = { x: new ort.Tensor('float32', new Float32Array(16).fill(0.5), [1, 16]) };
    const samples: number[] = [];
    await timeRuns(session, feeds, runs, performance.now() + budgetMs, samples);
    return samples.length;
  } catch {
    return 0;
  } finally {
    await session.release();
  }
}
