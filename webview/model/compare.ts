/**
 * Shapes selected runs into a comparison: one row per script run, one row per execution provider of an
 * ONNX benchmark. Works out drift against a reference row and which target to pick. Pure.
 */
import type { LatencyStats, OutputParity, OutputSummary, RunRecord, RunStatus } from '../../src/run/record';

export interface ParityCheck {
  output: string;
  maxAbsError: number;
  withinTolerance: boolean;
  /** Where the figure came from: the benchmark's own parity, or outputs compared with the reference run. */
  source: 'recorded' | 'checksum' | 'head';
}

export interface ComparisonRow {
  /** `runId` or `runId/provider`. */
  key: string;
  runId: string;
  label: string;
  target: string;
  backend: string;
  provider?: string;
  status: RunStatus;
  available: boolean;
  reason?: string;
  latency?: LatencyStats;
  throughput?: number;
  peakMemoryBytes?: number;
  wallMs?: number;
  parity: ParityCheck[];
  /** Largest error over all outputs, when any parity is known. */
  maxAbsError?: number;
  /** undefined when nothing was compared. */
  withinTolerance?: boolean;
}

export interface BestTarget {
  row: ComparisonRow;
  metric: 'p50' | 'throughput' | 'wall';
  /** One sentence a newcomer can act on. */
  summary: string;
  /** Faster than the runner-up by this factor (>= 1). */
  margin?: number;
  runnerUp?: ComparisonRow;
  /** Rows left out, and why. */
  excluded: Array<{ row: ComparisonRow; why: string }>;
}

export interface Comparison {
  rows: ComparisonRow[];
  referenceKey?: string;
  tolerance: number;
  best?: BestTarget;
}

export const DEFAULT_TOLERANCE = 1e-3;

function baseLabel(run: RunRecord, provider?: string): string {
  const backend = run.resolvedBackend ?? run.backend;
  return provider ? `${run.target} · ${shortProvider(provider)}` : `${run.target} · ${backend}`;
}

/** `CUDAExecutionProvider` -> `CUDA`. */
export function shortProvider(provider: string): string {
  return provider.replace(/ExecutionProvider$/, '') || provider;
}

/** Expands runs into rows, in the order the ids were given. Unknown ids are skipped. */
export function comparisonRows(runs: readonly RunRecord[], ids: readonly string[]): ComparisonRow[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const rows: ComparisonRow[] = [];
  for (const id of ids) {
    const run = byId.get(id);
    if (!run) continue;
    const backend = run.resolvedBackend ?? run.backend;
    if (run.kind === 'onnx-bench' && run.providers && run.providers.length > 0) {
      for (const p of run.providers) {
        rows.push({
          key: `${run.id}/${p.provider}`,
          runId: run.id,
          label: baseLabel(run, p.provider),
          target: run.target,
          backend,
          provider: p.provider,
          status: run.status,
          available: p.available,
          reason: p.reason,
          latency: p.metrics?.latencyMs,
          throughput: p.metrics?.throughput,
          peakMemoryBytes: p.metrics?.peakMemoryBytes,
          wallMs: p.metrics?.wallMs,
          parity: (p.parity ?? []).map(recordedParity),
        });
      }
    } else {
      rows.push({
        key: run.id,
        runId: run.id,
        label: baseLabel(run),
        target: run.target,
        backend,
        status: run.status,
        available: run.status === 'succeeded',
        reason: run.status === 'succeeded' ? undefined : run.error ?? `run ${run.status}`,
        latency: run.metrics.latencyMs,
        throughput: run.metrics.throughput,
        peakMemoryBytes: run.metrics.peakMemoryBytes,
        wallMs: run.metrics.wallMs,
        parity: [],
      });
    }
  }
  disambiguateLabels(rows);
  return rows;
}

function recordedParity(p: OutputParity): ParityCheck {
  return { output: p.name, maxAbsError: p.maxAbsError, withinTolerance: p.withinTolerance, source: 'recorded' };
}

function disambiguateLabels(rows: ComparisonRow[]): void {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
  for (const row of rows) if ((counts.get(row.label) ?? 0) > 1) row.label = `${row.label} (${row.runId.slice(-6)})`;
}

/** Compares a row's outputs with the reference run's: equal checksums mean equal within tolerance; otherwise the head values tell by how much. */
function outputsParity(outputs: OutputSummary[], reference: OutputSummary[]): ParityCheck[] {
  const checks: ParityCheck[] = [];
  for (const out of outputs) {
    const ref = reference.find((r) => r.name === out.name);
    if (!ref) continue;
    if (ref.checksum === out.checksum) {
      checks.push({ output: out.name, maxAbsError: 0, withinTolerance: true, source: 'checksum' });
      continue;
    }
    if (out.head && ref.head && out.head.length > 0 && ref.head.length > 0) {
      let max = 0;
      for (let i = 0; i < Math.min(out.head.length, ref.head.length); i++) max = Math.max(max, Math.abs(out.head[i] - ref.head[i]));
      // The heads agree but the checksums differ: the drift is somewhere past the head; call it out of tolerance.
      checks.push({ output: out.name, maxAbsError: max, withinTolerance: false, source: 'head' });
    } else {
      checks.push({ output: out.name, maxAbsError: Number.POSITIVE_INFINITY, withinTolerance: false, source: 'checksum' });
    }
  }
  return checks;
}

/**
 * Builds the comparison. `tolerance` re-judges recorded parity (maxAbsError <= tolerance) so the mark on the
 * drift chart and the verdict agree. The reference row (if any) has no drift of its own.
 */
export function buildComparison(
  runs: readonly RunRecord[],
  ids: readonly string[],
  options: { referenceKey?: string; tolerance?: number } = {},
): Comparison {
  const tolerance = options.tolerance !== undefined && options.tolerance > 0 ? options.tolerance : DEFAULT_TOLERANCE;
  const rows = comparisonRows(runs, ids);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const reference = rows.find((r) => r.key === options.referenceKey) ?? (options.referenceKey === undefined ? automaticReference(rows, byId) : undefined);
  const refOutputs = reference ? byId.get(reference.runId)?.metrics.outputs : undefined;
  for (const row of rows) {
    if (reference && row.key === reference.key) {
      row.parity = [];
    } else if (row.parity.length > 0) {
      row.parity = row.parity.map((p) => (p.source === 'recorded' ? { ...p, withinTolerance: p.maxAbsError <= tolerance } : p));
    } else if (refOutputs && !row.provider) {
      const outputs = byId.get(row.runId)?.metrics.outputs;
      if (outputs) row.parity = outputsParity(outputs, refOutputs);
    }
    if (row.parity.length > 0) {
      row.maxAbsError = Math.max(...row.parity.map((p) => p.maxAbsError));
      row.withinTolerance = row.parity.every((p) => p.withinTolerance);
    }
  }
  return { rows, referenceKey: reference?.key, tolerance, best: pickBest(rows) };
}

/**
 * Without a chosen reference, script runs that recorded outputs are checked against the CPU run (else the first one
 * that ran): a newcomer sees drift without picking anything. Benchmarks carry their own parity and need none.
 */
function automaticReference(rows: ComparisonRow[], byId: Map<string, RunRecord>): ComparisonRow | undefined {
  if (rows.some((r) => r.parity.length > 0)) return undefined;
  const candidates = rows.filter((r) => r.available && !r.provider && (byId.get(r.runId)?.metrics.outputs?.length ?? 0) > 0);
  if (candidates.length < 2) return undefined;
  return candidates.find((r) => r.backend === 'cpu') ?? candidates[0];
}

/** Lowest median latency among rows that ran and stayed within tolerance; throughput or wall time when there is no latency. */
export function pickBest(rows: readonly ComparisonRow[]): BestTarget | undefined {
  const excluded: BestTarget['excluded'] = [];
  const candidates: ComparisonRow[] = [];
  for (const row of rows) {
    if (!row.available) excluded.push({ row, why: row.reason ?? 'did not run' });
    else if (row.withinTolerance === false) excluded.push({ row, why: `outputs drift beyond tolerance (max error ${row.maxAbsError?.toExponential(1)})` });
    else candidates.push(row);
  }
  const metric: BestTarget['metric'] | undefined = candidates.some((r) => r.latency)
    ? 'p50'
    : candidates.some((r) => r.throughput !== undefined)
      ? 'throughput'
      : candidates.some((r) => r.wallMs !== undefined)
        ? 'wall'
        : undefined;
  if (!metric) return undefined;
  const value = (r: ComparisonRow): number | undefined => (metric === 'p50' ? r.latency?.p50 : metric === 'throughput' ? r.throughput : r.wallMs);
  const measured = candidates.filter((r) => value(r) !== undefined);
  for (const r of candidates) if (value(r) === undefined) excluded.push({ row: r, why: `no ${metric} figure` });
  const higherIsBetter = metric === 'throughput';
  measured.sort((a, b) => (higherIsBetter ? value(b)! - value(a)! : value(a)! - value(b)!));
  const [best, runnerUp] = measured;
  const bv = value(best)!;
  const rv = runnerUp ? value(runnerUp)! : undefined;
  const margin = rv === undefined || bv === 0 || rv === 0 ? undefined : higherIsBetter ? bv / rv : rv / bv;
  const what = metric === 'p50' ? `median latency ${fmt(bv)} ms` : metric === 'throughput' ? `${fmt(bv)} items/s` : `wall time ${fmt(bv)} ms`;
  const vs = runnerUp && margin !== undefined ? `, ${margin.toFixed(2)}× ${higherIsBetter ? 'the throughput of' : 'faster than'} ${runnerUp.label}` : '';
  const parity = best.withinTolerance === true ? '; outputs match the reference within tolerance' : best.withinTolerance === undefined ? '; parity not checked' : '';
  return { row: best, metric, summary: `Pick ${best.label}: ${what}${vs}${parity}.`, margin, runnerUp, excluded };
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/**
 * What to compare when the user has not picked anything: the entry (script or model) that succeeded on the most
 * targets, latest run per target. Someone who ran an example on two targets sees those two side by side.
 */
export function defaultComparisonIds(runs: readonly RunRecord[]): string[] {
  const byEntry = new Map<string, Map<string, RunRecord>>();
  for (const run of runs) {
    if (run.status !== 'succeeded') continue;
    const perTarget = byEntry.get(run.entry) ?? new Map<string, RunRecord>();
    const seen = perTarget.get(run.target);
    if (!seen || seen.startedAt < run.startedAt) perTarget.set(run.target, run);
    byEntry.set(run.entry, perTarget);
  }
  let best: RunRecord[] = [];
  for (const perTarget of byEntry.values()) {
    const latest = [...perTarget.values()].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
    const newer = latest[0] && best[0] && latest[0].startedAt > best[0].startedAt;
    if (latest.length > best.length || (latest.length === best.length && newer)) best = latest;
  }
  return best.slice(0, 6).map((r) => r.id).sort();
}
