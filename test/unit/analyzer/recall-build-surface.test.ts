import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';

/** Issue 14 part 3: recall on the build and packaging surface (requirements folders, Dockerfiles, setup.py). */
describe('recall on the build and packaging surface', () => {
  it('reads requirement files at any depth below a requirements/ folder, and nothing else there', async () => {
    const a = await analyzer();
    for (const p of ['requirements/runtime.txt', '/repo/requirements/pytorch/base.txt', 'proj\\requirements\\gpu.in']) assert.ok(a.handles(p), p);
    for (const p of ['requirements/README.md', 'docs/notrequirements/a.txt']) assert.ok(!a.handles(p), p);
    const found = a.analyze('/repo/requirements/pytorch/base.txt', 'cupy-cuda12x\nmypkg[cu12]\n').findings.map((f) => `${f.range.start.line} ${f.rule}`);
    assert.deepEqual(found, ['1 REQ-004', '2 REQ-004']);
  });
});
