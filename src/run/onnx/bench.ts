import { existsSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import type { OutputParity, ProviderResult, RunMetrics } from '../record';
import { parseNpy } from './npy';
import { compareOutputs, DEFAULT_TOLERANCE, summarizeOutput, type Tolerance } from './parity';
import { modelFailure, providerReason } from './reasons';
import { runWorker } from './spawn';
import { latencyStats, throughput } from './stats';
import type { InputSource, PlainTensor, WorkerRequest, WorkerResponse, WorkerSuccess } from './types';

/** The provider whose outputs are the parity reference. */
export const REFERENCE_PROVIDER = 'cpu';

export interface BenchOptions {
  /** Absolute path of the .onnx model. */
  model: string;
  /** Execution providers to try, in order (default: cpu). */
  providers?: string[];
  /** Timed iterations (default 100 unless durationS is given). */
  iterations?: number;
  /** Time budget of the timed loop, seconds; replaces iterations. */
  durationS?: number;
  warmup?: number;
  inputs?: InputSource[];
  threads?: number;
  tolerance?: Tolerance;
  seed?: number;
  /** Expected outputs (e.g. PyTorch's, saved as .npy by porta_export.py): the CPU provider is compared with them. */
  expectedOutputs?: { name: string; file: string }[];
  /**
   * Runs one provider's request somewhere; default: a local child process (spawn.ts). Remote targets pass their own
   * (remote.ts). A runner never throws: failures are WorkerFailure values.
   */
  runner?: (request: WorkerRequest, log: (line: string) => void) => Promise<WorkerResponse>;
  /** Per-worker limit (default: 5 min, or the duration plus 2 min). */
  timeoutMs?: number;
  /** Progress and ONNX Runtime log lines, for the run's log file. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface BenchResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Why the whole benchmark failed (bad model, bad input); providers that are merely unavailable do not fail it. */
  error?: string;
  providers: ProviderResult[];
  /** The first available provider's metrics: the record's headline numbers. */
  metrics: RunMetrics;
  inputs: { name: string; type: string; dims: number[] }[];
  /** Some provider's outputs left the tolerance against the CPU provider's (or the CPU's against the expected outputs). */
  drift: boolean;
  /** The CPU provider's outputs against `expectedOutputs` (also stored as the cpu provider's `parity`). */
  expectedParity?: OutputParity[];
}

function metricsOf(success: WorkerSuccess): RunMetrics {
  return {
    latencyMs: latencyStats(success.latenciesMs),
    throughput: throughput(success.latenciesMs.length, success.loopMs),
    peakMemoryBytes: success.peakMemoryBytes,
    wallMs: success.loopMs,
    outputs: success.outputs.map((o) => summarizeOutput(o)),
  };
}

function loadExpected(expected: { name: string; file: string }): PlainTensor {
  const array = parseNpy(readFileSync(expected.file), expected.file);
  return { name: expected.name, type: array.type, dims: array.shape, data: Float64Array.from(array.data, Number) };
}

/** Checks what can be checked without ONNX Runtime, so that a missing or empty file reads plainly. */
function precheck(model: string): string | undefined {
  if (!existsSync(model)) return `${model} does not exist`;
  const stat = statSync(model);
  if (!stat.isFile()) return `${model} is not a file`;
  if (stat.size === 0) return `${model} is empty (0 bytes): not an ONNX model`;
  return undefined;
}

/**
 * Benchmarks a model on each requested execution provider, each in its own child process, and compares every
 * provider's outputs with the CPU provider's. Never throws for a bad model: the result says what failed.
 */
export async function runOnnxBenchmark(options: BenchOptions): Promise<BenchResult> {
  const providers = options.providers?.length ? [...new Set(options.providers)] : [REFERENCE_PROVIDER];
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const log = options.log ?? (() => {});
  const failed = (error: string, results: ProviderResult[] = []): BenchResult => ({
    status: options.signal?.aborted ? 'cancelled' : 'failed', error, providers: results, metrics: {}, inputs: [], drift: false,
  });
  const problem = precheck(options.model);
  if (problem) {
    log(`[porta] failed: ${problem}`);
    return failed(problem);
  }

  const durationMs = options.durationS !== undefined ? options.durationS * 1000 : undefined;
  const base: Omit<WorkerRequest, 'provider' | 'returnOutputs'> = {
    model: options.model,
    threads: options.threads,
    warmup: options.warmup ?? 10,
    iterations: durationMs === undefined ? options.iterations ?? 100 : options.iterations,
    durationMs,
    inputs: options.inputs ?? [],
    seed: options.seed ?? 1234,
  };
  const timeoutMs = options.timeoutMs ?? (durationMs ?? 180_000) + 120_000;
  const run = (request: WorkerRequest): Promise<WorkerResponse> => {
    log(`[porta] ${request.provider}: starting worker (warmup ${request.warmup}, ${request.durationMs !== undefined ? `${request.durationMs} ms` : `${request.iterations} iterations`})`);
    const workerLog = (line: string) => log(`[${request.provider}] ${line}`);
    if (options.runner) return options.runner(request, workerLog);
    return runWorker(request, { timeoutMs, log: workerLog, signal: options.signal });
  };

  // The CPU provider goes first: it is the parity reference and tells a broken model from a missing provider.
  const referenceRequested = providers.includes(REFERENCE_PROVIDER);
  const reference = await run({
    ...base,
    provider: REFERENCE_PROVIDER,
    returnOutputs: true,
    ...(referenceRequested ? {} : { warmup: 0, iterations: 1, durationMs: undefined }),
  });
  if (!reference.ok) {
    const message = modelFailure(reference.stage, reference.message, options.model);
    log(`[porta] failed: ${message}`);
    return failed(message);
  }

  const results: ProviderResult[] = [];
  let drift = false;
  let expectedParity: OutputParity[] | undefined;
  if (options.expectedOutputs?.length) {
    try {
      expectedParity = compareOutputs(reference.outputs, options.expectedOutputs.map(loadExpected), tolerance);
    } catch (error) {
      return failed(`cannot read the expected outputs: ${(error as Error).message}`);
    }
    for (const p of expectedParity) log(`[porta] cpu vs expected ${p.name}: max abs ${p.maxAbsError}, cosine ${p.cosine}${p.withinTolerance ? '' : ' (DRIFT)'}`);
    if (expectedParity.some((p) => !p.withinTolerance)) drift = true;
  }
  for (const provider of providers) {
    if (options.signal?.aborted) return failed('cancelled', results);
    if (provider === REFERENCE_PROVIDER) {
      results.push({ provider, available: true, sessionCreateMs: reference.sessionCreateMs, metrics: metricsOf(reference), ...(expectedParity ? { parity: expectedParity } : {}) });
      continue;
    }
    const response = await run({ ...base, provider, returnOutputs: true });
    if (!response.ok) {
      const reason = response.stage === 'run' ? `inference failed on ${provider}: ${providerReason(provider, response.message)}` : providerReason(provider, response.message);
      log(`[porta] ${provider}: not available: ${reason}`);
      results.push({ provider, available: false, reason, sessionCreateMs: response.sessionCreateMs });
      continue;
    }
    const parity = compareOutputs(response.outputs, reference.outputs, tolerance);
    if (parity.some((p) => !p.withinTolerance)) drift = true;
    results.push({ provider, available: true, sessionCreateMs: response.sessionCreateMs, metrics: metricsOf(response), parity });
  }
  const headline = results.find((r) => r.available)?.metrics ?? { outputs: metricsOf(reference).outputs };
  return { status: 'succeeded', providers: results, metrics: headline, inputs: reference.inputs, drift, expectedParity };
}
