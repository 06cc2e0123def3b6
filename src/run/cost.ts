/**
 * What a run cost, from the target's price and the run's measured time: wall time for a script or a benchmark,
 * elapsed time × allocation for a Slurm job. Pure (no I/O): the CLI, the extension and the dashboard share it.
 */
import type { TargetPrice } from './targets/price';

export interface RunCost {
  amount: number;
  currency: string;
  /** How the amount was reached, e.g. "wall 12.3 s × 2.50 USD/h" or "elapsed 65 s × 2 nodes × 1.20 USD/node-h". */
  basis: string;
  /** The hourly rate the run was charged at (allocation included), for the cost per 1,000 inferences. */
  ratePerHour?: number;
}

/** A finished Slurm job's elapsed time and allocation, as scontrol or sacct report them. */
export interface SlurmUsage {
  elapsedS: number;
  nodes: number;
  gpus: number;
}

const MS_PER_HOUR = 3_600_000;

/** A money amount with enough digits to tell small per-run figures apart: 12.34 USD, 0.0042 USD. */
export function formatMoney(amount: number, currency: string): string {
  if (amount === 0) return `0 ${currency}`;
  const digits = amount >= 1 ? amount.toFixed(2) : String(Number(amount.toPrecision(2)));
  return `${digits} ${currency}`;
}

const rate = (value: number) => (value >= 0.01 || value === 0 ? value.toFixed(2) : String(Number(value.toPrecision(3))));
const secs = (s: number) => (s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0));
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Cost of `wallMs` on a target priced per hour (local, ssh; a benchmark on Slurm counts one node). Undefined when
 * the target has no price that applies to wall time (a per-GPU Slurm price, whose allocation is unknown here).
 */
export function wallCost(price: TargetPrice | undefined, wallMs: number, what = 'wall'): RunCost | undefined {
  if (!price || !Number.isFinite(wallMs) || wallMs < 0) return undefined;
  const perHour = price.perHour ?? price.perNodeHour;
  if (perHour === undefined) return undefined;
  const unit = price.perHour !== undefined ? `${price.currency}/h` : `${price.currency}/node-h (1 node)`;
  return { amount: (wallMs / MS_PER_HOUR) * perHour, currency: price.currency, basis: `${what} ${secs(wallMs / 1000)} s × ${rate(perHour)} ${unit}`, ratePerHour: perHour };
}

/**
 * Why a finished benchmark has no cost, in words a user can act on. A benchmark on a Slurm target runs its providers
 * on the target's submit host (no sbatch job), so a per-GPU-hour price has no allocation to multiply.
 */
export function whyBenchHasNoCost(target: string, targetKind: string, price: TargetPrice | undefined): string {
  if (price?.perGpuHour !== undefined && targetKind === 'slurm') {
    return `[targets.${target}] is priced per GPU-hour, but porta bench runs on the Slurm target's submit host, outside any job, ` +
      'so there is no GPU allocation to charge; add a target with price_per_node_hour or price_per_hour for benchmarks';
  }
  return `no price (set price_per_hour for [targets.${target}] in porta.toml)`;
}

/** Cost of a Slurm job: elapsed time × its allocation (nodes or GPUs), or × the flat hourly price. */
export function slurmCost(price: TargetPrice | undefined, usage: SlurmUsage): RunCost | undefined {
  if (!price) return undefined;
  const hours = usage.elapsedS / 3600;
  const elapsed = `elapsed ${secs(usage.elapsedS)} s`;
  if (price.perNodeHour !== undefined) {
    const perHour = price.perNodeHour * usage.nodes;
    return { amount: hours * perHour, currency: price.currency, basis: `${elapsed} × ${plural(usage.nodes, 'node', 'nodes')} × ${rate(price.perNodeHour)} ${price.currency}/node-h`, ratePerHour: perHour };
  }
  if (price.perGpuHour !== undefined) {
    const perHour = price.perGpuHour * usage.gpus;
    return { amount: hours * perHour, currency: price.currency, basis: `${elapsed} × ${plural(usage.gpus, 'GPU', 'GPUs')} × ${rate(price.perGpuHour)} ${price.currency}/GPU-h`, ratePerHour: perHour };
  }
  if (price.perHour !== undefined) return { amount: hours * price.perHour, currency: price.currency, basis: `${elapsed} × ${rate(price.perHour)} ${price.currency}/h`, ratePerHour: price.perHour };
  return undefined;
}

/** What 1,000 inferences cost at `throughput` inferences per second and `ratePerHour`. */
export function costPer1kInferences(ratePerHour: number | undefined, throughput: number | undefined): number | undefined {
  if (ratePerHour === undefined || throughput === undefined || !(throughput > 0) || !Number.isFinite(throughput)) return undefined;
  return (ratePerHour / 3600 / throughput) * 1000;
}

/** `1-02:03:04`, `02:03:04`, `03:04` (Slurm's RunTime/Elapsed) in seconds. */
export function parseSlurmDuration(text: string): number | undefined {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86400 + Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** GPUs in a TRES list such as `cpu=2,mem=1G,node=1,billing=2,gres/gpu=4` (or `gres/gpu:a100=2`). */
export function gpusInTres(tres: string): number {
  let gpus = 0;
  let typed = 0;
  for (const item of tres.split(',')) {
    const match = /^gres\/gpu(:[^=]+)?=(\d+)$/.exec(item.trim());
    if (!match) continue;
    if (match[1]) typed += Number(match[2]);
    else gpus = Math.max(gpus, Number(match[2]));
  }
  // Slurm lists the total as gres/gpu and each type as gres/gpu:TYPE: the total wins when both appear.
  return gpus || typed;
}

/** Elapsed time and allocation from `scontrol show job` output (RunTime, NumNodes, AllocTRES or TRES). */
export function parseScontrolUsage(text: string): SlurmUsage | undefined {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(text)?.[1];
  const elapsedS = parseSlurmDuration(field('RunTime') ?? '');
  const nodes = Number(/^\d+/.exec(field('NumNodes') ?? '')?.[0] ?? NaN);
  if (elapsedS === undefined || !Number.isInteger(nodes)) return undefined;
  return { elapsedS, nodes, gpus: gpusInTres(field('AllocTRES') ?? field('TRES') ?? '') };
}

/** Elapsed time and allocation from one `sacct -X -n -P -o ElapsedRaw,NNodes,AllocTRES` line. */
export function parseSacctUsage(line: string): SlurmUsage | undefined {
  const [elapsed, nodes, tres] = line.trim().split('|');
  if (!/^\d+$/.test(elapsed ?? '') || !/^\d+$/.test(nodes ?? '')) return undefined;
  return { elapsedS: Number(elapsed), nodes: Number(nodes), gpus: gpusInTres(tres ?? '') };
}

/** "0.0042 USD (wall 12.3 s × 2.50 USD/h)", "no price" when the run ran without one, undefined when nothing ran. */
export function describeRunCost(cost: RunCost | undefined, ran: boolean): string | undefined {
  if (cost) return `${formatMoney(cost.amount, cost.currency)} (${cost.basis})`;
  return ran ? 'no price' : undefined;
}
