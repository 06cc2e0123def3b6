/**
 * Dashboard view of a comparison. The figures and the drift verdicts come from the shared `compareRuns`
 * (src/run/compare.ts, the same model `porta compare` prints); this module only shapes them for the page:
 * display labels, the automatic reference and the largest error per row; the best target is the shared
 * `chooseTarget` (src/run/choose.ts), worded with the page's labels. Pure.
 */
import { chooseTarget, type ChoiceConstraints, type Objective, type TargetChoice } from '../../src/run/choose';
import { compareRuns, DEFAULT_COMPARE_TOLERANCE, isPerformanceMetric, type CompareRow, type CompareTolerance, type Comparison, type MetricCheck } from '../../src/run/compare';
import type { LatencyStats, RunCost, RunRecord, RunStatus } from '../../src/run/record';

export { DEFAULT_COMPARE_TOLERANCE };

/** One row as the page draws it: a thin projection of a shared CompareRow. */
export interface ComparisonRow {
  /** `runId` or `runId/provider` (the shared row key). */
  key: string;
  runId: string;
  /** `target · backend` or `target · CUDA`, disambiguated by run id when needed. */
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
  /** Wall time over the reference's (below 1 is faster). */
  wallRatio?: number;
  /** The script's reported accuracy metrics (RESULT line) against the reference's, timings left out. */
  metrics: MetricCheck[];
  /** Every checked output within tolerance (undefined when none was checked), and their largest error. */
  outputsWithinTolerance?: boolean;
  outputMaxAbsError?: number;
  /** How many outputs were checked against the reference (or by the benchmark's recorded parity). */
  outputCount: number;
  /** This row's own accuracy metrics (for the reference row, which has no checks). */
  customValues: Record<string, number>;
  /** Largest error over the outputs and metrics checked against the reference (or the benchmark's own parity). */
  maxAbsError?: number;
  /** undefined when nothing was compared. */
  withinTolerance?: boolean;
  /** Where the verdict came from: output values vs the reference row, or the benchmark's recorded parity. */
  paritySource?: 'values' | 'recorded';
  /** What the whole run cost; absent when its target has no price ("no price", never free). */
  cost?: RunCost;
  costPer1kInferences?: number;
}

export interface ComparisonView {
  /** The shared model: exports format exactly this, like `porta compare --reference <referenceKey>`. */
  comparison: Comparison;
  rows: ComparisonRow[];
  referenceKey?: string;
  tolerance: CompareTolerance;
  /** The shared best-target choice (as `porta compare --objective` and multi-target runs), with the latency–cost Pareto front. */
  choice: TargetChoice;
  /** Key of the row the page stars: the choice's winner. */
  winner?: string;
}

/** `CUDAExecutionProvider` -> `CUDA`. */
export function shortProvider(provider: string): string {
  return provider.replace(/ExecutionProvider$/, '') || provider;
}

function isCpu(row: CompareRow, run: RunRecord | undefined): boolean {
  return row.provider ? shortProvider(row.provider).toLowerCase() === 'cpu' : (run?.resolvedBackend ?? run?.backend) === 'cpu';
}

/**
 * Without a chosen reference, the first CPU row that ran (else the first row that ran): a newcomer sees drift
 * against the portable baseline without picking anything.
 */
function automaticReference(rows: readonly CompareRow[], byId: Map<string, RunRecord>): string | undefined {
  const ran = rows.filter((r) => r.available);
  return (ran.find((r) => isCpu(r, byId.get(r.runId))) ?? ran[0])?.key;
}

function viewRow(row: CompareRow, run: RunRecord | undefined): ComparisonRow {
  const backend = run?.resolvedBackend ?? run?.backend ?? '';
  const checks = row.vsReference?.outputs ?? [];
  const metrics = row.vsReference?.metrics ?? [];
  const errors = [...checks.map((c) => c.maxAbsError), ...metrics.map((m) => (Number.isNaN(m.diff) ? Infinity : Math.abs(m.diff)))];
  return {
    key: row.key,
    runId: row.runId,
    label: row.provider ? `${row.target} · ${shortProvider(row.provider)}` : `${row.target} · ${backend}`,
    target: row.target,
    backend,
    provider: row.provider,
    status: row.status,
    available: row.available,
    reason: row.reason,
    latency: row.latency,
    throughput: row.throughput,
    peakMemoryBytes: row.peakMemoryBytes,
    wallMs: row.wallMs,
    wallRatio: row.vsReference?.wallRatio,
    metrics,
    outputCount: checks.length,
    outputsWithinTolerance: checks.length ? checks.every((c) => c.withinTolerance) : undefined,
    outputMaxAbsError: checks.length ? Math.max(...checks.map((c) => c.maxAbsError)) : undefined,
    customValues: Object.fromEntries(Object.entries(row.custom ?? {}).filter(([name]) => !isPerformanceMetric(name))),
    maxAbsError: errors.length ? Math.max(...errors) : undefined,
    withinTolerance: row.vsReference?.withinTolerance,
    paritySource: errors.length ? (!metrics.length && checks.every((c) => c.source === 'recorded') ? 'recorded' : 'values') : undefined,
    cost: row.cost,
    costPer1kInferences: row.costPer1kInferences,
  };
}

function disambiguateLabels(rows: ComparisonRow[]): void {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.label, (counts.get(row.label) ?? 0) + 1);
  for (const row of rows) if ((counts.get(row.label) ?? 0) > 1) row.label = `${row.label} (${row.runId.slice(-6)})`;
}

/**
 * Compares the runs `ids` (in that order; unknown ids are skipped) with `compareRuns`. A reference key that is
 * not among the rows falls back to the automatic one, so a stale saved choice never breaks the page.
 */
export function buildComparison(
  runs: readonly RunRecord[],
  ids: readonly string[],
  options: { referenceKey?: string; tolerance?: CompareTolerance; objective?: Objective; constraints?: ChoiceConstraints } = {},
): ComparisonView {
  const tolerance = options.tolerance ?? DEFAULT_COMPARE_TOLERANCE;
  const byId = new Map(runs.map((r) => [r.id, r]));
  const records = ids.flatMap((id) => byId.get(id) ?? []);
  const probe = compareRuns(records, { tolerance });
  const wanted = options.referenceKey;
  const reference = wanted && probe.rows.some((r) => r.key === wanted) ? wanted : automaticReference(probe.rows, byId);
  const comparison = reference ? compareRuns(records, { tolerance, reference }) : probe;
  const rows = comparison.rows.map((r) => viewRow(r, byId.get(r.runId)));
  disambiguateLabels(rows);
  const objective = options.objective ?? 'latency';
  // On the shared comparison, so the exports carry the same choice `porta compare --objective` prints; the page
  // words the same choice with its own display labels ("cluster · CUDA").
  comparison.choice = chooseTarget(comparison, objective, options.constraints);
  const labelled = { ...comparison, rows: comparison.rows.map((r, i) => ({ ...r, label: rows[i].label })) };
  const choice = chooseTarget(labelled, objective, options.constraints);
  return { comparison, rows, referenceKey: comparison.reference, tolerance, choice, winner: choice.best };
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
