/**
 * Names the best target of a comparison under the user's objective and constraints, says why it won, and finds
 * the latency–cost Pareto front. Pure (no I/O): `porta compare`, the exports and the dashboard share it.
 *
 * Default: the fastest row whose outputs match the reference. Prices in different currencies are never compared;
 * a row without a price is "no price" (left out of cost decisions), never free.
 */
import type { CompareRow, Comparison } from './compare';
import { formatMoney } from './cost';

export const OBJECTIVES = ['latency', 'cost', 'balanced'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export interface ChoiceConstraints {
  /** Largest absolute error allowed against the reference (outputs and reported metrics); replaces the tolerance verdict. */
  maxDrift?: number;
  /** Largest p99 latency allowed, in milliseconds. */
  maxP99Ms?: number;
}

/** One row on the latency–cost plane. `speed` is lower-is-better (ms; per item for throughput-only rows). */
export interface ChoicePoint {
  key: string;
  label: string;
  speed: number;
  cost: number;
  /** Meets every constraint. */
  eligible: boolean;
  onFront: boolean;
}

export interface TargetChoice {
  objective: Objective;
  constraints: ChoiceConstraints;
  /** Key of the winning row; absent when none qualifies. */
  best?: string;
  bestLabel?: string;
  /** One sentence: who won and why, or why nobody did. */
  reason: string;
  /** How speed is measured: p50 latency, throughput (as ms per item) or a script's wall time. */
  speedMetric?: 'p50' | 'throughput' | 'wall';
  /** How cost is measured: per 1,000 inferences (benchmarks, scripts reporting throughput) or per run. */
  costBasis?: 'per 1k inferences' | 'per run';
  /** Currency of the cost figures; rows priced in another one are left out of cost decisions. */
  currency?: string;
  /** Rows that did not qualify, and why. */
  excluded: Array<{ key: string; label: string; why: string }>;
  /** Rows with both a speed and a cost figure, in `currency`. */
  points: ChoicePoint[];
  /** Keys of the eligible rows no other eligible row beats on both speed and cost. */
  pareto: string[];
}

type Speed = NonNullable<TargetChoice['speedMetric']>;

const fmtMs = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const fmtErr = (v: number) => (v === Infinity ? 'inf' : v.toExponential(1));

/** Largest absolute error of a row against the reference (0 for the reference itself); undefined when nothing was compared. */
export function driftOf(row: CompareRow, reference: string | undefined): number | undefined {
  if (row.key === reference) return 0;
  const checks = row.vsReference?.outputs ?? [];
  const metrics = row.vsReference?.metrics ?? [];
  if (!checks.length && !metrics.length) return undefined;
  return Math.max(...checks.map((c) => c.maxAbsError), ...metrics.map((m) => (Number.isNaN(m.diff) ? Infinity : Math.abs(m.diff))));
}

function speedOf(row: CompareRow, metric: Speed): number | undefined {
  if (metric === 'p50') return row.latency?.p50;
  if (metric === 'wall') return row.wallMs;
  return row.throughput !== undefined && row.throughput > 0 ? 1000 / row.throughput : undefined;
}

function costOf(row: CompareRow, basis: NonNullable<TargetChoice['costBasis']>): number | undefined {
  return basis === 'per 1k inferences' ? row.costPer1kInferences : row.cost?.amount;
}

function speedText(row: CompareRow, metric: Speed): string {
  if (metric === 'p50') return `p50 ${fmtMs(row.latency!.p50)} ms`;
  if (metric === 'wall') return `wall time ${(row.wallMs! / 1000).toFixed(2)} s`;
  return `${row.throughput!.toFixed(row.throughput! < 10 ? 2 : 0)} items/s`;
}

function parityText(row: CompareRow, reference: string | undefined): string {
  if (row.key === reference) return 'it is the parity reference';
  const v = row.vsReference;
  if (v?.withinTolerance === undefined) return 'outputs not compared with the reference';
  if (!v.withinTolerance) return 'outputs drift beyond tolerance but within --max-drift';
  const recorded = !v.metrics.length && v.outputs.length > 0 && v.outputs.every((o) => o.source === 'recorded');
  return recorded ? 'outputs match its own CPU provider within tolerance' : 'outputs match the reference within tolerance';
}

function constraintText(c: ChoiceConstraints): string {
  const parts = [
    c.maxP99Ms !== undefined ? `p99 ≤ ${c.maxP99Ms} ms` : '',
    c.maxDrift !== undefined ? `drift ≤ ${c.maxDrift}` : 'outputs matching the reference',
  ].filter(Boolean);
  return parts.join(', ');
}

/** Why a row cannot be chosen whatever the objective (did not run, drifts, too slow at p99); undefined when it can. */
function disqualified(row: CompareRow, reference: string | undefined, c: ChoiceConstraints): string | undefined {
  if (!row.available) return row.reason ? `did not run: ${row.reason}` : 'did not run';
  const drift = driftOf(row, reference);
  if (c.maxDrift !== undefined) {
    if (drift === undefined) return 'nothing compared with the reference, so its drift is unknown';
    if (drift > c.maxDrift) return `drift ${fmtErr(drift)} above --max-drift ${c.maxDrift}`;
  } else if (row.vsReference?.withinTolerance === false) {
    return `outputs drift from the reference beyond tolerance (max abs ${drift === undefined ? '?' : fmtErr(drift)})`;
  }
  if (c.maxP99Ms !== undefined) {
    if (row.latency === undefined) return 'no p99 latency to check against --max-p99';
    if (row.latency.p99 > c.maxP99Ms) return `p99 ${fmtMs(row.latency.p99)} ms above --max-p99 ${c.maxP99Ms} ms`;
  }
  return undefined;
}

/** Eligible points no other eligible point beats on both axes (equal on both: both stay). */
function paretoFront(points: ChoicePoint[]): string[] {
  const eligible = points.filter((p) => p.eligible);
  return eligible
    .filter((p) => !eligible.some((q) => q !== p && q.speed <= p.speed && q.cost <= p.cost && (q.speed < p.speed || q.cost < p.cost)))
    .map((p) => p.key);
}

export function chooseTarget(comparison: Comparison, objective: Objective = 'latency', constraints: ChoiceConstraints = {}): TargetChoice {
  const reference = comparison.reference;
  const excluded: TargetChoice['excluded'] = [];
  const candidates: CompareRow[] = [];
  for (const row of comparison.rows) {
    const why = disqualified(row, reference, constraints);
    if (why) excluded.push({ key: row.key, label: row.label, why });
    else candidates.push(row);
  }
  const speedMetric: Speed | undefined = candidates.some((r) => r.latency) ? 'p50'
    : candidates.some((r) => r.throughput !== undefined) ? 'throughput'
      : candidates.some((r) => r.wallMs !== undefined) ? 'wall' : undefined;
  const available = comparison.rows.filter((r) => r.available);
  const costBasis: TargetChoice['costBasis'] = available.some((r) => r.costPer1kInferences !== undefined) ? 'per 1k inferences'
    : available.some((r) => r.cost) ? 'per run' : undefined;
  const priced = costBasis ? available.filter((r) => costOf(r, costBasis) !== undefined) : [];
  const currency = (candidates.find((r) => costBasis && costOf(r, costBasis) !== undefined) ?? priced[0])?.cost?.currency;
  const otherCurrencies = [...new Set(priced.map((r) => r.cost!.currency).filter((c) => c !== currency))];
  const eligibleKeys = new Set(candidates.map((r) => r.key));
  const points: ChoicePoint[] = speedMetric && costBasis ? available.flatMap((r) => {
    const speed = speedOf(r, speedMetric);
    const cost = costOf(r, costBasis);
    if (speed === undefined || cost === undefined || r.cost?.currency !== currency) return [];
    return [{ key: r.key, label: r.label, speed, cost, eligible: eligibleKeys.has(r.key), onFront: false }];
  }) : [];
  const pareto = paretoFront(points);
  for (const p of points) p.onFront = pareto.includes(p.key);
  const base = { objective, constraints, speedMetric, costBasis, currency, excluded, points, pareto };
  const none = (why: string): TargetChoice => ({ ...base, reason: why });

  if (!speedMetric) return none(`No target to recommend: no run meets the constraints (${constraintText(constraints)}) with a speed figure.`);
  const timed = candidates.filter((r) => {
    if (speedOf(r, speedMetric) !== undefined) return true;
    excluded.push({ key: r.key, label: r.label, why: `no ${speedMetric} figure` });
    return false;
  });
  const costText = (r: CompareRow) => {
    const value = costBasis ? costOf(r, costBasis) : undefined;
    if (value === undefined || !r.cost) return r.cost ? 'no cost per 1,000 inferences (no throughput)' : 'no price';
    return `${formatMoney(value, r.cost.currency)} ${costBasis === 'per run' ? 'for the run' : 'per 1,000 inferences'}`;
  };
  const bySpeed = (a: CompareRow, b: CompareRow) => speedOf(a, speedMetric)! - speedOf(b, speedMetric)!;
  let ranked: CompareRow[];
  let why: (best: CompareRow, runnerUp: CompareRow | undefined) => string;
  if (objective === 'latency') {
    ranked = [...timed].sort(bySpeed);
    why = (best, next) => {
      const margin = next ? speedOf(next, speedMetric)! / speedOf(best, speedMetric)! : undefined;
      const vs = next && margin !== undefined && Number.isFinite(margin) ? `, ${margin.toFixed(2)}× faster than ${next.label}` : '';
      return `${best.label} wins on latency: ${speedText(best, speedMetric)}${vs}; ${costText(best)}`;
    };
  } else {
    if (otherCurrencies.length) {
      return none(`Cannot choose on cost: prices are in ${[currency, ...otherCurrencies].join(' and ')}, which Porta does not convert; give the targets one currency.`);
    }
    const costed = timed.filter((r) => {
      if (costBasis && costOf(r, costBasis) !== undefined) return true;
      excluded.push({ key: r.key, label: r.label, why: costText(r) });
      return false;
    });
    if (objective === 'cost') {
      ranked = costed.sort((a, b) => costOf(a, costBasis!)! - costOf(b, costBasis!)! || bySpeed(a, b));
      why = (best, next) => {
        const ratio = next ? costOf(next, costBasis!)! / costOf(best, costBasis!)! : undefined;
        const vs = next && ratio !== undefined && Number.isFinite(ratio) ? `, ${ratio.toFixed(2)}× cheaper than ${next.label}` : '';
        return `${best.label} wins on cost: ${costText(best)}${vs}; ${speedText(best, speedMetric)}`;
      };
    } else {
      const score = (r: CompareRow) => speedOf(r, speedMetric)! * costOf(r, costBasis!)!;
      ranked = costed.filter((r) => pareto.includes(r.key)).sort((a, b) => score(a) - score(b) || bySpeed(a, b));
      why = (best) => `${best.label} wins on balance: ${speedText(best, speedMetric)} at ${costText(best)}, the lowest latency × cost of the ${pareto.length} target${pareto.length === 1 ? '' : 's'} on the latency–cost Pareto front`;
    }
  }
  const [best, runnerUp] = ranked;
  if (!best) {
    const need = objective === 'latency' ? '' : ' and a price';
    return none(`No target to recommend: no run meets the constraints (${constraintText(constraints)}) with a speed figure${need}.`);
  }
  return { ...base, best: best.key, bestLabel: best.label, reason: `${why(best, runnerUp)}; ${parityText(best, reference)} (constraints: ${constraintText(constraints)}).` };
}
