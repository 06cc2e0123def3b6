import * as assert from 'node:assert/strict';
import type { Finding } from '../../../src/core/model';
import { analyzer } from './helpers';

/**
 * The guarded verdict (issue 14): a finding in code that only runs where CUDA is present. Each fixture marks the lines
 * that must come out guarded with `# guarded` and those that must stay unguarded with `# open`.
 */
export async function check(source: string, file = 'guard.py'): Promise<Finding[]> {
  const findings = (await analyzer()).analyze(file, source).findings;
  const lines = source.split('\n');
  lines.forEach((line, i) => {
    const at = findings.filter((f) => f.range.start.line === i + 1);
    if (/# guarded\b/.test(line)) {
      assert.ok(at.length > 0, `line ${i + 1} has a finding: ${line}`);
      for (const f of at) {
        assert.ok(f.guard, `line ${i + 1} (${f.rule}) is guarded: ${line}`);
        assert.ok(Object.values(f.targets).includes('guarded'), `line ${i + 1} has the guarded verdict`);
        assert.ok(!Object.values(f.targets).includes('breaks'), `line ${i + 1} breaks nowhere`);
        assert.equal(f.severity, 'info');
        assert.equal(f.fix, undefined, `line ${i + 1} gets no fix`);
      }
    }
    if (/# open\b/.test(line)) {
      assert.ok(at.length > 0, `line ${i + 1} has a finding: ${line}`);
      for (const f of at) assert.equal(f.guard, undefined, `line ${i + 1} (${f.rule}) is not guarded: ${line}`);
    }
  });
  return findings;
}

