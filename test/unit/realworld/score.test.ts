import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/core/model';
import type { VerdictTable } from '../../../src/core/targets';
import { drawSample, score } from './score';

/** The scorer of the labelled real-world tier, on hand-made findings (the corpus run is labels.test.ts). */

const BREAKS = { cuda: 'ok', rocm: 'breaks', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' } as unknown as VerdictTable;
const GUARDED = { cuda: 'ok', rocm: 'guarded', npu: 'guarded', xpu: 'guarded', mps: 'guarded', cpu: 'guarded' } as unknown as VerdictTable;

function finding(path: string, line: number, rule = 'PT-DEV-001', targets = BREAKS, cell?: number): Finding {
  const range = { start: { line, column: 1 }, end: { line, column: 5 } };
  return { path, rule, severity: 'warning', message: '', range, targets, ...(cell === undefined ? {} : { cell }) };
}

describe('real-world label scorer', () => {
  it('recall counts must lines with a finding; may lines are free; other lines are false alarms', () => {
    const scores = score([finding('a.py', 1), finding('a.py', 2), finding('a.py', 9)], { 'a.py': { must: [1, 3], may: [2] } }, []);
    assert.equal(scores.recall, 0.5);
    assert.deepEqual(scores.misses, ['a.py:3']);
    assert.equal(scores.precision, 2 / 3);
    assert.deepEqual(scores.falseAlarms, ['a.py:9 PT-DEV-001 (unlabelled line)']);
  });

  it('a finding on guarded code counts only with the guarded verdict', () => {
    const labels = { 'a.py': { guarded: [4, 5] } };
    const scores = score([finding('a.py', 4, 'PT-CUDA-002', GUARDED), finding('a.py', 5, 'PT-CUDA-002')], labels, []);
    assert.equal(scores.precision, 0.5);
    assert.deepEqual(scores.falseAlarms, ['a.py:5 PT-CUDA-002 (guarded code without the guarded verdict)']);
    assert.equal(scores.recall, 1, 'guarded lines do not require a finding');
  });

  it('notebook findings are keyed by cell and line', () => {
    const scores = score([finding('n.ipynb', 3, 'PT-DEV-002', BREAKS, 2)], { 'n.ipynb': { must: ['2:3'] } }, []);
    assert.equal(scores.recall, 1);
    assert.equal(scores.precision, 1);
  });

  it('judged sample: true counts, false does not, guarded needs the verdict, findings no longer reported drop out', () => {
    const sample = [
      { path: 'b.py', line: 1, rule: 'PT-DEV-001', judgement: 'true' as const, reason: 'x' },
      { path: 'b.py', line: 2, rule: 'PT-DEV-001', judgement: 'false' as const, reason: 'y' },
      { path: 'b.py', line: 3, rule: 'PT-DEV-001', judgement: 'guarded' as const, reason: 'z' },
      { path: 'b.py', line: 4, rule: 'PT-DEV-001', judgement: 'guarded' as const, reason: 'w' },
      { path: 'b.py', line: 5, rule: 'PT-DEV-001', judgement: 'true' as const, reason: 'gone' },
    ];
    const found = [finding('b.py', 1), finding('b.py', 2), finding('b.py', 3, 'PT-DEV-001', GUARDED), finding('b.py', 4)];
    const scores = score(found, {}, sample);
    assert.equal(scores.precision, 2 / 4);
    assert.deepEqual(scores.counted.sampleGone, ['b.py:5 PT-DEV-001 (true)']);
    assert.equal(scores.falseAlarms.length, 2);
  });

  it('the seeded draw is reproducible and skips labelled files', () => {
    const all = Array.from({ length: 50 }, (_, i) => finding(i % 5 === 0 ? 'labelled.py' : `f${i}.py`, i + 1));
    const first = drawSample(all, new Set(['labelled.py']), 14, 10).map((f) => `${f.path}:${f.range.start.line}`);
    const again = drawSample([...all].reverse(), new Set(['labelled.py']), 14, 10).map((f) => `${f.path}:${f.range.start.line}`);
    assert.deepEqual(first, again);
    assert.equal(first.length, 10);
    assert.ok(first.every((key) => !key.startsWith('labelled.py')));
    assert.notDeepEqual(drawSample(all, new Set(), 15, 10), drawSample(all, new Set(), 14, 10));
  });
});
