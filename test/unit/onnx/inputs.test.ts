import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFeeds, defaultDimension, InputError, parseInputArg, resolveShape, synthesize } from '../../../src/run/onnx/inputs';
import { parseNpy, writeNpy } from '../../../src/run/onnx/npy';

const image = { name: 'x', type: 'float32', shape: ['batch', 3, 'height', 'width'] as (number | string)[] };

describe('onnx inputs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'porta-onnx-inputs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses --input shapes and files', () => {
    assert.deepEqual(parseInputArg('x=1x3x224x224'), { name: 'x', shape: [1, 3, 224, 224] });
    assert.deepEqual(parseInputArg('ids=2,128'), { name: 'ids', shape: [2, 128] });
    assert.deepEqual(parseInputArg('x=data/in.npy'), { name: 'x', file: 'data/in.npy' });
    assert.throws(() => parseInputArg('1x3'), InputError);
    assert.throws(() => parseInputArg('x=big'), /neither a shape/);
  });

  it('fills dynamic dimensions with defaults chosen by name', () => {
    assert.deepEqual(resolveShape(image), [1, 3, 224, 224]);
    assert.equal(defaultDimension('sequence_length'), 128);
    assert.equal(defaultDimension(undefined), 1);
  });

  it('rejects shapes that contradict the model', () => {
    assert.deepEqual(resolveShape(image, [4, 3, 32, 32]), [4, 3, 32, 32]);
    assert.throws(() => resolveShape(image, [1, 3, 32]), /rank 4 .* rank 3/);
    assert.throws(() => resolveShape(image, [1, 4, 32, 32]), /dimension 1 = 3/);
  });

  it('synthesises identical data for identical seeds, typed by the model', () => {
    const a = synthesize(image, [1, 3, 2, 2], 7);
    const b = synthesize(image, [1, 3, 2, 2], 7);
    assert.ok(a.data instanceof Float32Array);
    assert.deepEqual(Array.from(a.data as Float32Array), Array.from(b.data as Float32Array));
    assert.ok(Array.from(a.data as Float32Array).every((v) => v >= -1 && v < 1));
    const ids = synthesize({ name: 'ids', type: 'int64', shape: [2, 'seq'] }, [2, 5], 1);
    assert.ok(ids.data instanceof BigInt64Array && ids.data.length === 10);
    assert.throws(() => synthesize({ name: 's', type: 'string', shape: [1] }, [1], 1), /element type string/);
  });

  it('names the model inputs when an --input name is unknown', () => {
    assert.throws(() => buildFeeds([image], [{ name: 'y', shape: [1] }], 1), /no input 'y' \(inputs: x \[batch, 3, height, width\]\)/);
  });

  it('loads JSON inputs (nested or dims+data) and checks them against the model', () => {
    writeFileSync(join(dir, 'nested.json'), JSON.stringify([[1, 2, 3, 4]]));
    writeFileSync(join(dir, 'flat.json'), JSON.stringify({ dims: [2, 2], data: [1, 2, 3, 4] }));
    writeFileSync(join(dir, 'ragged.json'), JSON.stringify([[1, 2], [3]]));
    const meta = { name: 'x', type: 'float32', shape: ['batch', 4] as (string | number)[] };
    const [nested] = buildFeeds([meta], [{ name: 'x', file: join(dir, 'nested.json') }], 1);
    assert.deepEqual(nested.dims, [1, 4]);
    assert.deepEqual(Array.from(nested.data as Float32Array), [1, 2, 3, 4]);
    assert.throws(() => buildFeeds([meta], [{ name: 'x', file: join(dir, 'flat.json') }], 1), /dimension 1 = 4/);
    assert.throws(() => buildFeeds([meta], [{ name: 'x', file: join(dir, 'ragged.json') }], 1), /ragged/);
    assert.throws(() => buildFeeds([meta], [{ name: 'x', file: join(dir, 'missing.json') }], 1), /cannot read/);
  });

  it('reads .npy files written by NumPy and by Porta, and rejects truncated ones', () => {
    const file = join(dir, 'np.npy');
    execFileSync('/usr/bin/python3', ['-c', `import numpy as np; np.save(${JSON.stringify(file)}, np.arange(6, dtype=np.float32).reshape(2, 3) / 4)`]);
    const array = parseNpy(readFileSync(file));
    assert.equal(array.type, 'float32');
    assert.deepEqual(array.shape, [2, 3]);
    assert.deepEqual(Array.from(array.data as Float32Array), [0, 0.25, 0.5, 0.75, 1, 1.25]);
    const ours = parseNpy(writeNpy('int64', [3], [5, 6, 7]));
    assert.deepEqual(Array.from(ours.data as BigInt64Array, Number), [5, 6, 7]);
    const bytes = readFileSync(file);
    assert.throws(() => parseNpy(bytes.subarray(0, bytes.length - 4)), /truncated/);
    assert.throws(() => parseNpy(Buffer.from('not numpy at all')), /bad magic/);
    // NumPy reads what Porta writes.
    writeFileSync(join(dir, 'ours.npy'), writeNpy('float32', [2, 2], [1, 2, 3, 4.5]));
    const echoed = execFileSync('/usr/bin/python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(join(dir, 'ours.npy'))}); print(a.dtype, a.shape, a.sum())`]).toString().trim();
    assert.equal(echoed, 'float32 (2, 2) 10.5');
  });
});
