import { strict as assert } from 'node:assert';
import { chooseTarget } from '../../../src/run/choose';
import { compareRuns } from '../../../src/run/compare';
import { formatComparison } from '../../../src/run/compareFormat';
import type { RunRecord } from '../../../src/run/record';

// A record a hostile script or a hand-edited .porta/runs/*.json could hold: terminal escapes in its target name,
// backend, error and metric name (retitle the window, clear the screen, reorder text with a bidi override).
const EVIL = '\x1b]0;pwned\x07\x1b[2J\u202e';

function record(id: string, target: string, wallMs: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    version: 1, id, kind: 'script', target, targetKind: 'local', backend: 'cpu', command: [], entry: 'train.py',
    startedAt: '2026-01-01T00:00:00Z', status: 'succeeded', logFile: '/dev/null', metrics: { wallMs, custom: { [`loss${EVIL}`]: 0.5 } },
    cost: { amount: wallMs / 1e5, currency: 'USD', basis: 'test' }, ...extra,
  };
}

describe('porta compare output with hostile run records', () => {
  const comparison = compareRuns([
    record('run-a', 'local', 900),
    record('run-b', `box${EVIL}`, 300, { backend: `rocm${EVIL}` }),
    record('run-c', `down\n| injected | row |`, 100, { status: 'failed', error: `refused${EVIL}` }),
  ]);
  comparison.choice = chooseTarget(comparison, 'cost');

  for (const format of ['text', 'markdown'] as const) {
    it(`${format}: control characters and bidi overrides are shown as escapes, line breaks cannot add rows`, () => {
      const out = formatComparison(comparison, format);
      assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
      assert.match(out, /box\\x1b\]0;pwned\\x07\\x1b\[2J\\u202e/, 'the name is still readable');
      assert.doesNotMatch(out, /^\| injected \| row \|/m);
      assert.match(out, /down\\n/);
      assert.match(out, /loss\\x1b/, 'metric names too');
    });
  }

  it('JSON keeps the exact text for tools', () => {
    const json = JSON.parse(formatComparison(comparison, 'json')) as { rows: Array<{ target: string }> };
    assert.equal(json.rows[1].target, `box${EVIL}`);
  });
});
