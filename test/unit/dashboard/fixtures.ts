import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { costPer1kInferences } from '../../../src/run/cost';
import type { RunRecord } from '../../../src/run/record';

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'runs');

export function loadFixtureRuns(): RunRecord[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as RunRecord);
}

/**
 * The fixture runs with the three ResNet benchmarks priced, as porta.toml prices would record them: local 0.40 USD/h,
 * gpu-box 2.50 USD/h, cluster 1 GPU × 8.00 USD/GPU-h. Each objective then has its own winner: latency cluster · CUDA,
 * cost local · CPU, balanced gpu-box · ROCM.
 */
export function pricedFixtureRuns(): RunRecord[] {
  const prices: Record<string, { rate: number; basis: (s: number) => string }> = {
    '20261129-091002-a1c0e1': { rate: 0.4, basis: (s) => `wall ${s.toFixed(1)} s × 0.40 USD/h` },
    '20261129-093210-b2d1f2': { rate: 2.5, basis: (s) => `wall ${s.toFixed(1)} s × 2.50 USD/h` },
    '20261129-101500-c3e2a3': { rate: 8, basis: (s) => `elapsed ${s.toFixed(0)} s × 1 GPU × 8.00 USD/GPU-h` },
  };
  return loadFixtureRuns().map((run) => {
    const price = prices[run.id];
    if (!price) return run;
    const seconds = (Date.parse(run.endedAt!) - Date.parse(run.startedAt)) / 1000;
    return {
      ...run,
      cost: { amount: (seconds / 3600) * price.rate, currency: 'USD', basis: price.basis(seconds), ratePerHour: price.rate },
      providers: run.providers?.map((p) => {
        const per1k = costPer1kInferences(price.rate, p.metrics?.throughput);
        return per1k === undefined ? p : { ...p, costPer1kInferences: per1k };
      }),
    };
  });
}
