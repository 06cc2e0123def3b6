/** Test data for the dashboard tests: the fixture runs, 1,000 generated runs, and a readiness view from a scan. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord, RunStatus } from '../../../src/run/record';
import type { ReadinessView } from '../../../src/protocol';
import type { Finding } from '../../../src/core/model';
import { BACKENDS } from '../../../src/core/targets';
import { readinessFromFindings } from '../../../src/extension/dashboard/readiness';

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

/** The Readiness view the host builds from a `porta scan --format json` document (test/fixtures/dashboard/scan.json). */
export function fixtureReadiness(): ReadinessView {
  // The JSON's findings carry `fix: {safe}` instead of the edits: all readiness needs is whether a fix exists.
  const scan = JSON.parse(readFileSync(join(FIXTURES, 'dashboard', 'scan.json'), 'utf8')) as { findings: (Finding & { path: string })[] };
  const byPath = new Map<string, Finding[]>();
  for (const finding of scan.findings) byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding]);
  const files = [...byPath].map(([path, findings]) => ({ path, findings }));
  return readinessFromFindings(files, BACKENDS, '2026-11-30T01:58:00.000Z');
}

export { pricedFixtureRuns } from '../../unit/dashboard/fixtures';
