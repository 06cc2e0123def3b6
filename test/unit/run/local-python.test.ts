import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

describe('run: the built-in local target picks an interpreter with torch', function () {
  this.timeout(30000);

  // A fresh module instance per case: the choice is cached per process.
  function freshDefaultLocalPython(): typeof import('../../../src/run/targets/localPython').defaultLocalPython {
    const id = require.resolve('../../../src/run/targets/localPython');
    delete require.cache[id];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id).defaultLocalPython;
  }

  it('prefers PORTA_PYTHON when it has torch, and skips one that lacks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'porta-py-'));
    const noTorch = join(dir, 'python-without-torch');
    writeFileSync(noTorch, '#!/bin/sh\nexit 1\n');
    chmodSync(noTorch, 0o755);
    assert.equal(await freshDefaultLocalPython()({ PORTA_PYTHON: '/usr/bin/python3' }), '/usr/bin/python3');
    const chosen = await freshDefaultLocalPython()({ PORTA_PYTHON: noTorch });
    assert.notEqual(chosen, noTorch);
    // Whatever was chosen really has torch (on these machines: Debian's python3-torch).
    execFileSync(chosen, ['-c', 'import torch']);
  });
});
