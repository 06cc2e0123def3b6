import type { LatencyStats } from '../record';

/** Percentile by linear interpolation between closest ranks (numpy's default), on sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** min/max/mean/P50/P90/P95/P99/P999 of latency samples in milliseconds. */
export function latencyStats(samplesMs: readonly number[]): LatencyStats {
  if (samplesMs.length === 0) throw new Error('no latency samples to summarise');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    samples: sorted.length,
  };
}

/** Inferences per second over the timed loop (batch size is not guessed: one run = one item). */
export function throughput(iterations: number, loopMs: number): number {
  return loopMs > 0 ? (iterations * 1000) / loopMs : 0;
}
