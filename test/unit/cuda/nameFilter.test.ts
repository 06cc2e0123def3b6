import * as assert from 'node:assert/strict';
import { cudaMap } from '../../../src/core/cuda/map';
import { NameFilter, nameFilterFor, nameHash } from '../../../src/core/cuda/nameFilter';

describe('cuda: the lexer’s name filter (identifiers ruled out before a lookup)', () => {
  it('lets every name and namespace segment of every map through (no false negatives)', () => {
    for (const hipLibrary of ['hip', 'roc'] as const) {
      for (const dnn of ['manual', 'miopen'] as const) {
        const map = cudaMap({ hipLibrary, dnn, hipVersion: '6.0' });
        const filter = nameFilterFor(map);
        for (const name of [...map.names.keys(), ...map.qualifiedNamespaces.keys()]) assert.ok(filter.mayContain(nameHash(name)), name);
      }
    }
  });

  it('rules out nearly all other identifiers', () => {
    const filter = nameFilterFor(cudaMap());
    const others = Array.from({ length: 20_000 }, (_, i) => `local_variable_${i.toString(36)}`);
    const passed = others.filter((name) => filter.mayContain(nameHash(name))).length;
    assert.ok(passed < others.length * 0.02, `${passed} of ${others.length} passed`);
  });

  it('an empty filter passes nothing; an added hash passes', () => {
    const filter = new NameFilter();
    assert.equal(filter.mayContain(nameHash('cudaMalloc')), false);
    filter.add(nameHash('cudaMalloc'));
    assert.equal(filter.mayContain(nameHash('cudaMalloc')), true);
  });
});
