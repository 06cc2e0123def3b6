import * as assert from 'node:assert/strict';
import { warmUpSamples, warmUpSteps } from '../../../src/core/warmup';
import { analyzer } from './helpers';

describe('analysis worker warm-up', () => {
  it('analyses a Python and a CUDA sample per round, one small analysis per step', async () => {
    const a = await analyzer();
    assert.equal([...warmUpSteps(a, 3, 40)].length, 3 * 2);
  });

  it('its samples exercise the rules, not only the parser (each yields findings)', async () => {
    const a = await analyzer();
    for (const [path, text] of warmUpSamples(100)) {
      assert.ok(text.split('\n').length >= 90, `${path} is about 100 lines`);
      const rules = new Set(a.analyze(path, text).findings.map((f) => f.rule));
      assert.ok(rules.size >= 3, `${path}: ${[...rules].join(', ')}`);
    }
  });
});
