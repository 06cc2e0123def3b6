/**
 * Compares run records: latency (or wall time), throughput, memory, outputs and reported accuracy metrics against a reference run.
 * One row per script run, one row per execution provider of an ONNX benchmark. Pure (no I/O, no Node APIs),
 * so the CLI, the extension and the dashboard can share it.
 */
import type { TargetChoice } from './choose';
import { costPer1kInferences } from './cost';
import type { LatencyStats, OutputParity, OutputSummary, RunCost, RunRecord, RunStatus } from './record';

export interface CompareTolerance {
  atol: number;
  rtol: number;
}

/** One output of a row against the same-named output of the reference row. */
export interface OutputCheck {
  name: string;
  /**
   * `values`: this row's recorded output values against the reference row's. `recorded`: the record keeps no values
   * (benchmarks), so the parity the benchmark measured on whole tensors against its own CPU provider stands in.
   */
  source: 'values' | 'recorded';
  /** Equal digests of the values quantised to 1e-3 (see parity.outputChecksum); absent for `recorded` checks. */
  checksumMatch?: boolean;
  /** Shapes differ: nothing else is comparable. */
  shapeMismatch: boolean;
  /** How many leading values were compared (records keep a head of each output, not the whole tensor). */
  compared: number;
  maxAbsError: number;
  maxRelError: number;
  cosine: number;
  withinTolerance: boolean;
}

/** One numeric result a script reported (RESULT line or PORTA_METRIC), against the reference run's value of the same name. */
export interface MetricCheck {
  name: string;
  value: number;
  reference: number;
  /** value - reference (signed, so a loss that grew reads positive). */
  diff: number;
  /** |value - reference| <= atol + rtol * |reference|. */
  withinTolerance: boolean;
}

export interface VersusReference {
  /** This row's P50 over the reference's: below 1 is faster. */
  latencyRatio?: number;
  /** This row's throughput over the reference's: above 1 is faster. */
  throughputRatio?: number;
  /** This row's peak memory over the reference's. */
  memoryRatio?: number;
  /** This row's wall time over the reference's: below 1 is faster (script runs, which have no latency distribution). */
  wallRatio?: number;
  outputs: OutputCheck[];
  /** Accuracy metrics both runs reported (timings such as `import_torch_ms` are left out: see isPerformanceMetric). */
  metrics: MetricCheck[];
  /** Every shared output and accuracy metric within tolerance; undefined when nothing could be compared. */
  withinTolerance?: boolean;
}

export interface CompareRow {
  /** `runId` for script runs, `runId/provider` for benchmark providers. */
  key: string;
  runId: string;
  label: string;
  kind: RunRecord['kind'];
  target: string;
  entry: string;
  provider?: string;
  status: RunStatus;
  startedAt: string;
  /** The row produced figures (provider available and run succeeded). */
  available: boolean;
  reason?: string;
  latency?: LatencyStats;
  throughput?: number;
  peakMemoryBytes?: number;
  sessionCreateMs?: number;
  wallMs?: number;
  startupMs?: number;
  /** Every custom metric the run reported, accuracy and timing alike (only accuracy ones are judged). */
  custom?: Record<string, number>;
  outputs: OutputSummary[];
  /** Parity the benchmark measured itself, on whole tensors, against the CPU provider of the same run. */
  recordedParity?: OutputParity[];
  /** What the whole run cost (a benchmark's rows share it); absent when its target has no price. */
  cost?: RunCost;
  /** What 1,000 inferences cost at this row's throughput, in `cost.currency`. */
  costPer1kInferences?: number;
  /** Absent on the reference row itself. */
  vsReference?: VersusReference;
}

export interface Comparison {
  version: 1;
  /** Key of the reference row. */
  reference?: string;
  tolerance: CompareTolerance;
  rows: CompareRow[];
  /** Requested ids that matched no record. */
  missing: string[];
  /** The best target under an objective and constraints (choose.ts), when one was asked for. */
  choice?: TargetChoice;
}

export interface CompareOptions {
  /** A run id (its first available row) or a row key `runId/provider`. Default: the first available row. */
  reference?: string;
  tolerance?: CompareTolerance;
}

export const DEFAULT_COMPARE_TOLERANCE: CompareTolerance = { atol: 1e-4, rtol: 1e-3 };

function rowsOf(run: RunRecord): CompareRow[] {
  const common = { runId: run.id, kind: run.kind, target: run.target, entry: run.entry, status: run.status, startedAt: run.startedAt };
  if (run.kind === 'onnx-bench' && run.providers?.length) {
    return run.providers.map((p) => ({
      ...common,
      key: `${run.id}/${p.provider}`,
      label: `${run.target}/${p.provider}`,
      provider: p.provider,
      available: p.available && run.status === 'succeeded',
      reason: p.available ? (run.status === 'succeeded' ? undefined : run.error ?? `run ${run.status}`) : p.reason,
      latency: p.metrics?.latencyMs,
      throughput: p.metrics?.throughput,
      peakMemoryBytes: p.metrics?.peakMemoryBytes,
      sessionCreateMs: p.sessionCreateMs,
      wallMs: p.metrics?.wallMs,
      outputs: p.metrics?.outputs ?? [],
      recordedParity: p.parity,
      cost: run.cost,
      costPer1kInferences: p.costPer1kInferences ?? costPer1kInferences(run.cost?.ratePerHour, p.metrics?.throughput),
    }));
  }
  const ok = run.status === 'succeeded';
  return [{
    ...common,
    key: run.id,
    label: `${run.target}/${run.resolvedBackend ?? run.backend}`,
    available: ok,
    reason: ok ? undefined : run.error ?? `run ${run.status}`,
    latency: run.metrics.latencyMs,
    throughput: run.metrics.throughput,
    peakMemoryBytes: run.metrics.peakMemoryBytes,
    wallMs: run.metrics.wallMs,
    startupMs: run.metrics.startupMs,
    custom: run.metrics.custom,
    outputs: run.metrics.outputs ?? [],
    cost: run.cost,
    costPer1kInferences: costPer1kInferences(run.cost?.ratePerHour, run.metrics.throughput),
  }];
}

/** Compares one output summary with the reference's, over the leading values both records kept. */
export function checkOutput(actual: OutputSummary, reference: OutputSummary, tolerance: CompareTolerance): OutputCheck {
  const checksumMatch = actual.checksum === reference.checksum;
  if (actual.shape.join('x') !== reference.shape.join('x')) {
    return { name: actual.name, source: 'values', checksumMatch: false, shapeMismatch: true, compared: 0, maxAbsError: Infinity, maxRelError: Infinity, cosine: 0, withinTolerance: false };
  }
  const a = actual.head ?? [];
  const b = reference.head ?? [];
  const n = Math.min(a.length, b.length);
  let maxAbs = 0;
  let maxRel = 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  let within = true;
  for (let i = 0; i < n; i++) {
    const diff = Math.abs(a[i] - b[i]);
    if (Number.isNaN(diff)) {
      within = false;
      maxAbs = Infinity;
      continue;
    }
    maxAbs = Math.max(maxAbs, diff);
    maxRel = Math.max(maxRel, diff === 0 ? 0 : diff / Math.max(Math.abs(b[i]), Number.EPSILON));
    if (diff > tolerance.atol + tolerance.rtol * Math.abs(b[i])) within = false;
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const cosine = na === 0 && nb === 0 ? 1 : na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  // Nothing comparable but the digests: let them decide.
  if (n === 0) within = checksumMatch;
  return { name: actual.name, source: 'values', checksumMatch, shapeMismatch: false, compared: n, maxAbsError: maxAbs, maxRelError: maxRel, cosine, withinTolerance: within };
}

/**
 * Re-judges parity the benchmark recorded against the given tolerance. The element-wise rule (|a-b| <= atol + rtol*|b|)
 * cannot be replayed from the maxima, so a check passes when either maximum alone proves it: max abs <= atol, or
 * max rel <= rtol. Anything else counts as drift (conservative).
 */
export function checkRecordedParity(parity: OutputParity, tolerance: CompareTolerance): OutputCheck {
  const within = parity.maxAbsError <= tolerance.atol || parity.maxRelError <= tolerance.rtol;
  return {
    name: parity.name, source: 'recorded', shapeMismatch: false, compared: 0,
    maxAbsError: parity.maxAbsError, maxRelError: parity.maxRelError, cosine: parity.cosine, withinTolerance: within,
  };
}

/**
 * Harness and script timings (`import_torch_ms`, `data_ms`, `cache_bytes`) measure the target, not the port's
 * correctness: they differ legitimately between backends, so they never count as drift.
 */
export function isPerformanceMetric(name: string): boolean {
  return /(_ms|_bytes)$/i.test(name);
}

/** Compares one reported metric with the reference's, element-wise rule as for outputs. */
export function checkMetric(name: string, value: number, reference: number, tolerance: CompareTolerance): MetricCheck {
  const diff = value - reference;
  return { name, value, reference, diff, withinTolerance: Math.abs(diff) <= tolerance.atol + tolerance.rtol * Math.abs(reference) };
}

function metricChecks(row: CompareRow, reference: CompareRow, tolerance: CompareTolerance): MetricCheck[] {
  const mine = row.custom ?? {};
  const theirs = reference.custom ?? {};
  return Object.keys(mine)
    .filter((name) => !isPerformanceMetric(name) && typeof theirs[name] === 'number')
    .map((name) => checkMetric(name, mine[name], theirs[name], tolerance));
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

function versus(row: CompareRow, reference: CompareRow, tolerance: CompareTolerance): VersusReference {
  const outputs = row.outputs.flatMap((out) => {
    const ref = reference.outputs.find((r) => r.name === out.name);
    return ref ? [checkOutput(out, ref, tolerance)] : [];
  });
  // Benchmarks keep no output values, only their own parity: judge that instead of reporting nothing.
  if (!outputs.length && row.recordedParity?.length) outputs.push(...row.recordedParity.map((p) => checkRecordedParity(p, tolerance)));
  const metrics = metricChecks(row, reference, tolerance);
  const verdicts = [...outputs, ...metrics];
  return {
    latencyRatio: ratio(row.latency?.p50, reference.latency?.p50),
    throughputRatio: ratio(row.throughput, reference.throughput),
    memoryRatio: ratio(row.peakMemoryBytes, reference.peakMemoryBytes),
    wallRatio: ratio(row.wallMs, reference.wallMs),
    outputs,
    metrics,
    withinTolerance: verdicts.length ? verdicts.every((v) => v.withinTolerance) : undefined,
  };
}

/**
 * Builds the comparison of `records` (in the given order). The reference is a run id or row key; its row
 * gets no `vsReference`; every other available row is compared with it.
 */
export function compareRuns(records: readonly RunRecord[], options: CompareOptions = {}): Comparison {
  const tolerance = options.tolerance ?? DEFAULT_COMPARE_TOLERANCE;
  const rows = records.flatMap(rowsOf);
  const labels = new Map<string, number>();
  for (const row of rows) labels.set(row.label, (labels.get(row.label) ?? 0) + 1);
  for (const row of rows) if ((labels.get(row.label) ?? 0) > 1) row.label = `${row.label} (${row.runId.slice(-6)})`;
  const wanted = options.reference;
  const reference = wanted
    ? rows.find((r) => r.key === wanted) ?? rows.find((r) => r.runId === wanted && r.available) ?? rows.find((r) => r.runId === wanted)
    : rows.find((r) => r.available);
  if (wanted && !reference) throw new Error(`reference '${wanted}' is not among the compared runs`);
  for (const row of rows) {
    if (reference && row !== reference && row.available && reference.available) row.vsReference = versus(row, reference, tolerance);
  }
  return { version: 1, reference: reference?.key, tolerance, rows, missing: [] };
}
