import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from '../../../src/run/record';

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'runs');

export function loadFixtureRuns(): RunRecord[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as RunRecord);
}
