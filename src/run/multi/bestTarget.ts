import type { Comparison, CompareRow } from '../compare';

/** The row a multi-target action recommends, and the figure that decided it. */
export interface BestTarget {
  key: string;
  target: string;
  label: string;
  metric: 'p50' | 'throughput' | 'wall';
  value: number;
  /** One sentence: what won and what was left out. */
  why: string;
}

const FIGURE: Record<BestTarget['metric'], (r: CompareRow) => number | undefined> = {
  p50: (r) => r.latency?.p50,
  throughput: (r) => r.throughput,
  wall: (r) => r.wallMs,
};

/**
 * The default objective: the fastest row among those that ran and whose outputs and metrics match the reference
 * (the reference matches itself). Median latency decides, else throughput, else wall time. Pure.
 */
export function fastestMatching(comparison: Comparison): BestTarget | undefined {
  const matching = comparison.rows.filter((r) => r.available && r.vsReference?.withinTolerance !== false);
  const metric = (['p50', 'throughput', 'wall'] as const).find((m) => matching.some((r) => FIGURE[m](r) !== undefined));
  if (!metric) return undefined;
  const measured = matching.filter((r) => FIGURE[metric](r) !== undefined);
  const better = (a: CompareRow, b: CompareRow): boolean =>
    metric === 'throughput' ? FIGURE[metric](a)! > FIGURE[metric](b)! : FIGURE[metric](a)! < FIGURE[metric](b)!;
  const best = measured.reduce((a, b) => (better(b, a) ? b : a));
  const value = FIGURE[metric](best)!;
  const left = comparison.rows.length - matching.length;
  const figure = metric === 'p50' ? `median latency ${value.toFixed(3)} ms` : metric === 'throughput' ? `${value.toFixed(1)} items/s` : `wall time ${(value / 1000).toFixed(3)} s`;
  const why = `fastest (${figure}) of ${measured.length} run${measured.length === 1 ? '' : 's'} matching the reference${left ? `; ${left} left out (failed or drifting)` : ''}`;
  return { key: best.key, target: best.target, label: best.label, metric, value, why };
}
