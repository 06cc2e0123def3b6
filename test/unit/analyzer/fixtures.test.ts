import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES } from '../../../src/core/rules';
import { analyzer, expectations, FIXTURES, readFixture } from './helpers';

/** Every fixture line marked `# expect: RULE` must produce exactly that finding; unmarked lines must produce none. */
const FILES = ['python', 'env']
  .flatMap((dir) => (fs.readdirSync(path.join(FIXTURES, dir), { recursive: true }) as string[]).map((f) => `${dir}/${f.split(path.sep).join('/')}`))
  .filter((f) => !f.endsWith('.ipynb') && fs.statSync(path.join(FIXTURES, f)).isFile());

describe('analyzer fixtures (expected findings by line and rule)', () => {
  const covered = new Set<string>();

  for (const file of FILES) {
    it(file, async () => {
      const text = readFixture(file);
      const result = (await analyzer()).analyze(file, text);
      const actual = result.findings.map((f) => `${f.range.start.line} ${f.rule}`).sort();
      const expected = expectations(text);
      expected.forEach((e) => covered.add(e.split(' ')[1]));
      assert.deepEqual(actual, expected);
    });
  }

  it('the clean portable file yields zero findings and no notes', async () => {
    const result = (await analyzer()).analyze('clean.py', readFixture('python/clean.py'));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.notes, []);
  });

  it('every rule in the catalogue has a positive fixture case', () => {
    const missing = RULES.map((r) => r.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, []);
  });
});
