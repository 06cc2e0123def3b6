/** Test data for the dashboard tests: the fixture runs, 1,000 generated runs, and a readiness view from a scan. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord, RunStatus } from '../../../src/run/record';
import type { ReadinessView } from '../../../src/protocol';
import { buildReadinessView, parseScanJson } from '../../../webview/model/readiness';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export function fixtureRuns(): RunRecord[] {
  const dir = join(FIXTURES, 'runs');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunRecord);
}

/** `count` runs built from the fixtures with distinct ids, times, targets and statuses. */
export function manyRuns(count: number): RunRecord[] {
  const base = fixtureRuns();
  const targets = ['local', 'gpu-box', 'cluster', 'ascend', 'mac-mini', 'a100-pool', 'mi300-pool'];
  const statuses: RunStatus[] = ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled', 'lost'];
  const start = Date.parse('2026-06-01T00:00:00.000Z');
  return Array.from({ length: count }, (_, i) => {
    const r = base[i % base.length];
    const startedAt = new Date(start + i * 600_000).toISOString();
    const status = i % 97 === 0 ? 'running' : statuses[i % statuses.length];
    return {
      ...r,
      id: `bulk-${String(i).padStart(4, '0')}-${r.id.slice(14)}`,
      target: targets[i % targets.length],
      status,
      startedAt,
      endedAt: status === 'running' ? undefined : new Date(start + i * 600_000 + 30_000 + (i % 13) * 7_000).toISOString(),
    };
  });
}

export function fixtureReadiness(): ReadinessView {
  const findings = parseScanJson(readFileSync(join(FIXTURES, 'dashboard', 'scan.json'), 'utf8'));
  return buildReadinessView(findings, '2026-11-30T01:58:00.000Z');
}
