import * as assert from 'node:assert/strict';
import { LazyMap } from '../../../src/core/cuda/lazyMap';

describe('cuda: LazyMap (map entries made on first read)', () => {
  it('makes a value only when read, once, and reports keys without making values', () => {
    const made: string[] = [];
    const map = new LazyMap<string, { name: string }>(new Map());
    for (const name of ['cudaMalloc', 'cudaFree']) map.set(name, () => (made.push(name), { name }));
    assert.equal(map.size, 2);
    assert.ok(map.has('cudaFree'));
    assert.deepEqual([...map.keys()], ['cudaMalloc', 'cudaFree']);
    assert.deepEqual(made, []);
    const first = map.get('cudaFree');
    assert.equal(map.get('cudaFree'), first);
    assert.deepEqual(made, ['cudaFree']);
    assert.equal(map.get('cudaMissing'), undefined);
  });

  it('replaces a value set again, and iterates like a Map', () => {
    const map = new LazyMap<string, number>(new Map([['a', () => 1]]));
    assert.equal(map.get('a'), 1);
    map.set('a', () => 2);
    map.set('b', () => 3);
    assert.equal(map.get('a'), 2);
    assert.deepEqual([...map], [['a', 2], ['b', 3]]);
    assert.deepEqual([...map.values()], [2, 3]);
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value}`));
    assert.deepEqual(seen, ['a=2', 'b=3']);
  });
});
