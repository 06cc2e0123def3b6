import { relative } from 'node:path';
import { costPer1kInferences, wallCost } from '../cost';
import type { TargetPrice } from '../targets/price';
import { newRunId, ownerInfo, RunHistory, type StoredRun } from '../history';
import type { TargetKind } from '../record';
import { runOnnxBenchmark, type BenchOptions, type BenchResult } from './bench';

export interface RecordedBenchOptions extends BenchOptions {
  workspaceRoot: string;
  /** Target name (default `local`) and kind, as recorded. */
  target?: string;
  targetKind?: TargetKind;
  /** The command line that asked for the benchmark, for the record and for re-runs. */
  command?: string[];
  /** Record a benchmark that failed before it could start (e.g. the PyTorch export), with this error. */
  failure?: string;
  /** The target's price: the record gets the benchmark's cost and each provider its cost per 1,000 inferences. */
  price?: TargetPrice;
  /** Called with the record when it is created and when it ends (for live views). */
  onRecord?: (record: StoredRun) => void;
}

/** Providers joined as the record's `backend`, e.g. "cpu,webgpu". */
function backendOf(options: BenchOptions): string {
  return (options.providers?.length ? options.providers : ['cpu']).join(',');
}

/**
 * Runs a local benchmark and keeps it in the run history (.porta/runs/<id>.json + .log): the record exists,
 * as `running`, before the first worker starts, and ends `succeeded`, `failed` (with `error`) or `cancelled`.
 */
export async function benchmarkToHistory(options: RecordedBenchOptions): Promise<{ record: StoredRun; result: BenchResult }> {
  const history = new RunHistory(options.workspaceRoot);
  const id = newRunId();
  await history.ensureDir();
  let record: StoredRun = {
    version: 1,
    id,
    kind: 'onnx-bench',
    target: options.target ?? 'local',
    targetKind: options.targetKind ?? 'local',
    backend: backendOf(options),
    command: options.command ?? ['porta', 'bench', options.model],
    entry: relative(options.workspaceRoot, options.model) || options.model,
    startedAt: new Date().toISOString(),
    status: 'running',
    logFile: history.logPath(id),
    metrics: {},
    runtime: ownerInfo(),
  };
  await history.save(record);
  options.onRecord?.(record);
  // Log lines are appended in order; the chain is awaited before the record is finalised.
  let logged: Promise<void> = Promise.resolve();
  const log = (line: string) => {
    logged = logged.then(() => history.appendLog(id, `${line}\n`)).catch(() => undefined);
    options.log?.(line);
  };
  let result: BenchResult;
  try {
    result = options.failure
      ? { status: 'failed', error: options.failure, providers: [], metrics: {}, inputs: [], drift: false }
      : await runOnnxBenchmark({ ...options, log });
    if (options.failure) log(`[porta] failed: ${options.failure}`);
  } catch (error) {
    // Only a bug lands here (the benchmark reports model failures as results): still record it.
    result = { status: 'failed', error: `internal error: ${(error as Error).message}`, providers: [], metrics: {}, inputs: [], drift: false };
  }
  if (result.inputs.length) log(`[porta] inputs: ${result.inputs.map((i) => `${i.name} ${i.type}[${i.dims.join('x')}]`).join(', ')}`);
  await logged;
  const available = result.providers.find((p) => p.available);
  const endedAt = new Date();
  // Nothing ran when the benchmark failed before its first provider: no cost then, as for a script that never started.
  const cost = result.providers.length ? wallCost(options.price, endedAt.getTime() - Date.parse(record.startedAt)) : undefined;
  const providers = result.providers.map((p) => {
    const per1k = costPer1kInferences(cost?.ratePerHour, p.metrics?.throughput);
    return per1k === undefined ? p : { ...p, costPer1kInferences: per1k };
  });
  record = {
    ...record,
    status: result.status,
    endedAt: endedAt.toISOString(),
    exitCode: result.status === 'succeeded' ? 0 : 2,
    metrics: result.metrics,
    providers,
    ...(cost ? { cost } : {}),
    ...(available ? { resolvedBackend: available.provider } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
  await history.save(record);
  options.onRecord?.(record);
  return { record, result };
}
