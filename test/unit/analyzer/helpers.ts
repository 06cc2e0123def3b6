import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAnalyzer, type Analyzer } from '../../../src/core/analyze';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

let shared: Promise<Analyzer> | undefined;
/** One analyzer (grammars loaded once) for all analyzer tests. */
export function analyzer(): Promise<Analyzer> {
  shared ??= loadAnalyzer();
  return shared;
}

/** `# expect: A, B` on a line expects those rules there; `# expect-next: A` expects them on the following line. */
export function expectations(text: string): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /#\s*expect(-next)?:\s*([A-Z0-9, -]+)/.exec(line);
    if (!m) return;
    for (const rule of m[2].split(',').map((r) => r.trim()).filter(Boolean)) expected.push(`${i + 1 + (m[1] ? 1 : 0)} ${rule}`);
  });
  return expected.sort();
}

export function readFixture(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}
