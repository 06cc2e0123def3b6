import * as assert from 'node:assert/strict';
import { LazyMap } from '../../../src/core/cuda/lazyMap';

describe('cuda: LazyMap (map entries made on first read)', () => {
  it('makes a value only when read, once, and reports keys without making values', () => {
    const made: number[] = [];
    const map = new LazyMap<string, { seed: number }>((seed) => (made.push(seed), { seed }));
    map.setSeed('cudaMalloc', 7);
    map.setSeed('cudaFree', 0); // 0 is a seed like any other, not "no value"
    assert.equal(map.size, 2);
    assert.ok(map.has('cudaFree'));
    assert.deepEqual([...map.keys()], ['cudaMalloc', 'cudaFree']);
    assert.deepEqual(made, []);
    const first = map.get('cudaFree');
    assert.deepEqual(first, { seed: 0 });
    assert.equal(map.get('cudaFree'), first);
    assert.deepEqual(made, [0]);
    assert.equal(map.get('cudaMissing'), undefined);
  });

  it('replaces a key set again (seed or value), and iterates like a Map', () => {
    const map = new LazyMap<string, { n: number }>((seed) => ({ n: seed }));
    map.setSeed('a', 1);
    assert.deepEqual(map.get('a'), { n: 1 });
    map.setValue('a', { n: 2 });
    map.setSeed('b', 3);
    map.setSeed('c', 4);
    map.setValue('c', { n: 5 });
    assert.deepEqual(map.get('a'), { n: 2 });
    assert.deepEqual([...map].map(([k, v]) => [k, v.n]), [['a', 2], ['b', 3], ['c', 5]]);
    assert.deepEqual([...map.values()].map((v) => v.n), [2, 3, 5]);
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value.n}`));
    assert.deepEqual(seen, ['a=2', 'b=3', 'c=5']);
  });
});
