import * as assert from 'node:assert/strict';
import { cudaMap, createHipifier, type Hipifier } from '../../../src/core/cuda';
import { fixtureNames, readFixture } from './fixtures';

/** Cut every fixture at many points (unbalanced braces, open comments and strings, half macros): never corrupt. */
describe('cuda: truncated files', function () {
  this.timeout(60_000);
  let hipify: Hipifier;
  before(async () => {
    hipify = await createHipifier();
  });

  it('every edit replaces a mapped name, a header path or a dropped mask; fixing twice = once', () => {
    const map = cudaMap();
    let checked = 0;
    for (const name of fixtureNames()) {
      const full = readFixture(name);
      for (let k = 1; k < 16; k++) {
        const text = full.slice(0, Math.floor((full.length * k) / 16));
        for (const engine of ['auto', 'tree'] as const) {
          const result = hipify(name, text, { engine });
          for (const edit of result.edits) {
            const replaced = text.slice(edit.start, edit.end);
            const known =
              edit.start === edit.end ||
              map.names.has(replaced) ||
              map.headers.has(replaced) ||
              map.qualifiedNamespaces.has(replaced) ||
              /^0x[fF]{8}\s*,\s*$|^mask\s*,\s*$/.test(replaced);
            assert.ok(known, `${name}@${k}/16 (${engine}): unexpected edit of ${JSON.stringify(replaced)}`);
          }
          const again = hipify(name, result.text, { engine });
          assert.equal(again.text, result.text, `${name}@${k}/16 (${engine}): not idempotent`);
          checked++;
        }
      }
    }
    assert.ok(checked > 300);
  });
});
