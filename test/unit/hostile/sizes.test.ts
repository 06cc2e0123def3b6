import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, MAX_FEED_BYTES, parseInputArg, synthesize } from '../../../src/run/onnx/inputs';
import { MAX_WORKERS } from '../../../src/workspace/scan';
import { addModel } from '../../fixtures/onnx/build';
import { portaChild } from './child';

describe('hostile: sizes beyond memory are refused before allocating', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-sizes-'));
    fs.writeFileSync(path.join(dir, 'add.onnx'), addModel());
    fs.writeFileSync(path.join(dir, 'train.py'), 'import torch\nx = torch.zeros(1).cuda()\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--input x=1000000000x4 is refused by name and size', () => {
    assert.throws(() => parseInputArg('x=1000000000x4'), (error: Error) => error instanceof InputError && /input 'x': shape 1000000000x4 needs 3\.7 GiB, over the .* an input may take on this machine/.test(error.message));
    assert.deepEqual(parseInputArg('x=3x4'), { name: 'x', shape: [3, 4] });
  });

  it('a shape whose elements fit as bytes but not as int64 is refused by synthesize, before any allocation', () => {
    const count = Math.floor(MAX_FEED_BYTES / 8) + 1;
    assert.throws(() => synthesize({ name: 'ids', type: 'int64', shape: [count] }, [count], 1), InputError);
  });

  it('porta bench --input x=1000000000x4 exits 2 with the reason, and no worker runs out of memory', async () => {
    const result = await portaChild(['bench', 'add.onnx', '--input', 'x=1000000000x4'], dir, 90_000);
    assert.equal(result.killed, false, 'porta bench did not finish');
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /input 'x': shape 1000000000x4 needs 3\.7 GiB/);
    assert.doesNotMatch(result.stderr, /heap out of memory|FATAL ERROR/);
  });

  it('porta scan --workers has an upper bound', async () => {
    const result = await portaChild(['scan', '--workers', '100000', '.'], dir);
    assert.equal(result.killed, false, 'porta scan did not finish');
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`--workers 100000 is more than ${MAX_WORKERS}`));
  });
});
