import { strict as assert } from 'node:assert';
import { runTooltipLines } from '../../../src/extension/runs/tooltip';
import type { RunRecord } from '../../../src/run/record';

const run = (extra: Partial<RunRecord>): RunRecord => ({
  version: 1, id: 'r1', kind: 'script', target: 'box', targetKind: 'ssh', backend: 'cpu', command: [], entry: 'train.py',
  startedAt: '2026-01-01T00:00:00Z', status: 'succeeded', logFile: '/dev/null', metrics: { wallMs: 12300 }, ...extra,
});

describe('Runs tree tooltip', () => {
  it('shows the run\'s cost with its basis', () => {
    const lines = runTooltipLines(run({ exitCode: 0, cost: { amount: 0.0085, currency: 'USD', basis: 'wall 12.3 s × 2.50 USD/h' } }));
    assert.ok(lines.includes('cost: 0.0085 USD (wall 12.3 s × 2.50 USD/h)'), lines.join('\n'));
  });

  it('says "no price" for a run that ran on an unpriced target, and nothing for one that never started', () => {
    assert.ok(runTooltipLines(run({ exitCode: 0 })).includes('cost: no price'));
    assert.ok(!runTooltipLines(run({ status: 'queued', metrics: {} })).some((l) => l.startsWith('cost:')));
  });
});
