/**
 * Dashboard view of a comparison. The figures and the drift verdicts come from the shared `compareRuns`
 * (src/run/compare.ts, the same model `porta compare` prints); this module only shapes them for the page:
 * display labels, the automatic reference, the largest error per row and the best-target recommendation. Pure.
 */
import { chooseTarget, type ChoiceConstraints, type Objective, type TargetChoice } from '../../src/run/choose';
import { compareRuns, DEFAULT_COMPARE_TOLERANCE, isPerformanceMetric, type CompareRow, type CompareTolerance, type Comparison, type MetricCheck } from '../../src/run/compare';
import type { LatencyStats, RunCost, RunRecord, RunStatus } from '../../src/run/record';
import { formatMs } from './format';

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

export interface ComparisonView {
  /** The shared model: exports format exactly this, like `porta compare --reference <referenceKey>`. */
  comparison: Comparison;
  rows: ComparisonRow[];
  referenceKey?: string;
  tolerance: CompareTolerance;
  best?: BestTarget;
  /** The shared best-target choice (as `porta compare --objective`), with the latency–cost Pareto front. */
  choice: TargetChoice;
  /** Key of the row the page stars: the fastest by `best` for the latency objective, else the choice's winner. */
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
  const best = pickBest(rows);
  return { comparison, rows, referenceKey: comparison.reference, tolerance, best, choice, winner: objective === 'latency' ? best?.row.key : choice.best };
}

/** Lowest median latency among rows that ran and stayed within tolerance; throughput or wall time when there is no latency. */
export function pickBest(rows: readonly ComparisonRow[]): BestTarget | undefined {
  const excluded: BestTarget['excluded'] = [];
  const candidates: ComparisonRow[] = [];
  for (const row of rows) {
    if (!row.available) excluded.push({ row, why: row.reason ?? 'did not run' });
    else if (row.withinTolerance === false) excluded.push({ row, why: driftReason(row) });
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
  const what = metric === 'p50' ? `median latency ${fmt(bv)} ms` : metric === 'throughput' ? `${fmt(bv)} items/s` : `wall time ${wall(bv)}`;
  const vs = runnerUp && margin !== undefined ? `, ${margin.toFixed(2)}× ${higherIsBetter ? 'the throughput of' : 'faster than'} ${runnerUp.label}` : '';
  const parity = best.withinTolerance === true
    ? (best.paritySource === 'recorded' ? '; outputs match its own CPU provider within tolerance' : `; ${matched(best)} the reference within tolerance`)
    : best.withinTolerance === undefined ? '; parity not checked' : '';
  return { row: best, metric, summary: `Pick ${best.label}: ${what}${vs}${parity}.`, margin, runnerUp, excluded };
}

/** Why a row that ran is not recommended: the outputs' largest error, and the metrics that drift by how much. */
function driftReason(row: ComparisonRow): string {
  const reasons: string[] = [];
  if (row.outputsWithinTolerance === false) reasons.push(`outputs drift beyond tolerance (max error ${row.outputMaxAbsError?.toExponential(1)})`);
  const drifting = row.metrics.filter((m) => !m.withinTolerance);
  if (drifting.length) reasons.push(`${drifting.map((m) => `${m.name} ${m.diff > 0 ? '+' : ''}${formatDiff(m.diff)}`).join(', ')} vs the reference, beyond tolerance`);
  return reasons.join('; ');
}

/** `loss and acc match` / `loss, acc and outputs match` / `outputs match`. */
function matched(row: ComparisonRow): string {
  const names = row.metrics.map((m) => m.name);
  if (!names.length) return 'outputs match';
  const outputs = row.outputCount ? ['outputs'] : [];
  const all = [...names, ...outputs];
  return `${all.length > 1 ? `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}` : all[0]} match${all.length > 1 ? '' : 'es'}`;
}

function formatDiff(diff: number): string {
  return Math.abs(diff) < 1e-3 ? diff.toExponential(1) : String(Number(diff.toPrecision(3)));
}

const wall = (ms: number) => formatMs(ms);

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
