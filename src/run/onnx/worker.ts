/**
 * The benchmark's child process: loads one model on one execution provider, times session.run, and reports.
 * Runs in its own process so that native crashes, memory use and blocking runs never touch the extension host.
 * Protocol: IPC (a WorkerRequest message in, one WorkerResponse out) when forked; or `--request JSON` (one
 * `PORTA_BENCH_RESULT <json>` line on stdout) when started on a remote target with plain `node`.
 */
import { readFileSync } from 'node:fs';
import type * as Ort from 'onnxruntime-node';
import { buildFeeds, InputError, type Feed, type InputMetadata } from './inputs';
import { warmOrtJit } from './jitWarmup';
import { timeRuns } from './timing';
import type { PlainTensor, WorkerRequest, WorkerResponse } from './types';

function fail(stage: 'read' | 'session' | 'inputs' | 'run' | 'internal', error: unknown, sessionCreateMs?: number): WorkerResponse {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, stage, message: message.trim(), sessionCreateMs };
}

function toTensor(ort: typeof Ort, feed: Feed): Ort.Tensor {
  return feed.type === 'bool'
    ? new ort.Tensor('bool', feed.data as Uint8Array, feed.dims)
    : new ort.Tensor(feed.type, feed.data as Float32Array, feed.dims);
}

function widen(name: string, value: Ort.Tensor): PlainTensor {
  const data = value.data;
  const out = new Float64Array(value.size);
  if (Array.isArray(data)) throw new Error(`output '${name}' holds strings, which cannot be compared numerically`);
  for (let i = 0; i < out.length; i++) out[i] = Number((data as ArrayLike<number | bigint>)[i]);
  return { name, type: value.type, dims: [...value.dims], data: out };
}

function metadataOf(session: Ort.InferenceSession): InputMetadata[] {
  return session.inputMetadata.map((m) => ({
    name: m.name,
    type: m.isTensor ? m.type : 'non-tensor',
    shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' ? d : d)) : [],
  }));
}

export async function benchmark(request: WorkerRequest): Promise<WorkerResponse> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(request.model);
  } catch (error) {
    return fail('read', error);
  }
  if (bytes.length === 0) return fail('read', new Error(`${request.model} is empty (0 bytes): not an ONNX model`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only inside the worker
  const ort = require('onnxruntime-node') as typeof Ort;
  ort.env.logLevel = 'fatal';
  const options: Ort.InferenceSession.SessionOptions = { executionProviders: [request.provider], logSeverityLevel: 4 };
  if (request.threads) options.intraOpNumThreads = request.threads;
  // A fresh process: optimise ONNX Runtime's JS path first, or the first timed runs pay for V8's tiering (jitWarmup.ts).
  await warmOrtJit(ort);
  const createStart = performance.now();
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, options);
  } catch (error) {
    return fail('session', error);
  }
  const sessionCreateMs = performance.now() - createStart;
  try {
    let feeds: Record<string, Ort.Tensor>;
    let built: Feed[];
    try {
      built = buildFeeds(metadataOf(session), request.inputs, request.seed);
      feeds = Object.fromEntries(built.map((feed) => [feed.name, toTensor(ort, feed)]));
    } catch (error) {
      return fail(error instanceof InputError ? 'inputs' : 'internal', error, sessionCreateMs);
    }
    try {
      // Warm-up samples are thrown away; the same loop then times the runs (timing.ts).
      let last = await timeRuns(session, feeds, request.warmup, Infinity, []);
      const latencies: number[] = [];
      const iterations = request.iterations ?? Number.MAX_SAFE_INTEGER;
      const deadline = request.durationMs !== undefined ? performance.now() + request.durationMs : Infinity;
      const loopStart = performance.now();
      last = (await timeRuns(session, feeds, iterations, deadline, latencies)) ?? last;
      const loopMs = performance.now() - loopStart;
      if (!last) throw new Error('no run was timed (iterations must be at least 1)');
      const final = last;
      const outputs = request.returnOutputs ? session.outputNames.map((name) => widen(name, final[name] as Ort.Tensor)) : [];
      return {
        ok: true,
        provider: request.provider,
        sessionCreateMs,
        latenciesMs: latencies,
        loopMs,
        peakMemoryBytes: process.resourceUsage().maxRSS * 1024,
        inputs: built.map((f) => ({ name: f.name, type: f.type, dims: f.dims })),
        outputs,
      };
    } catch (error) {
      return fail('run', error, sessionCreateMs);
    }
  } finally {
    await session.release();
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--request');
  if (at >= 0) {
    // One-shot mode for remote targets: the request as an argument, one result line on stdout.
    const response = await benchmark(JSON.parse(process.argv[at + 1]) as WorkerRequest).catch((e: unknown) => fail('internal', e));
    const plain = response.ok ? { ...response, outputs: response.outputs.map((o) => ({ ...o, data: Array.from(o.data) })) } : response;
    process.stdout.write(`PORTA_BENCH_RESULT ${JSON.stringify(plain)}\n`);
    return;
  }
  process.once('message', (request: WorkerRequest) => {
    void benchmark(request)
      .catch((e: unknown) => fail('internal', e))
      .then((response) => process.send?.(response, () => process.disconnect()));
  });
}

// `node -e <bundle> --request ...` (remote targets) has no require.main.
if (require.main === module || process.argv.includes('--request')) void main();
