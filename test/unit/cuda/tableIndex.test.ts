import * as assert from 'node:assert/strict';
import { CudaNames } from '../../../src/core/cuda/cudaNames';
import type { MapEntry } from '../../../src/core/cuda/map';
import { nameHash } from '../../../src/core/cuda/nameFilter';
import { TableIndex, type PrebuiltIndex } from '../../../src/core/cuda/tableIndex';

const TABLES = [
  { names: 'cudaMalloc\ncudaFree\ncudaMemcpy', rows: 'hipMalloc\t\t0\nhipFree\t\t0\nhipMemcpy\t\t1\t10.0' },
  { names: 'cublasCreate\ncudaFree', rows: 'hipblasCreate\nrocblasFree' },
  { names: '', rows: '' },
];

describe('cuda: TableIndex (table names found by hash, no object per name)', () => {
  const index = new TableIndex(TABLES);

  it('finds every name, the first table listing it winning, and nothing else', () => {
    assert.equal(index.count, 4);
    for (const name of ['cudaMalloc', 'cudaFree', 'cudaMemcpy', 'cublasCreate']) assert.equal(index.name(index.find(name)), name);
    assert.equal(index.table(index.find('cudaFree')), 0);
    assert.equal(index.table(index.find('cublasCreate')), 1);
    for (const other of ['cuda', 'cudaMallocX', 'udaFree', '', 'cudaMemcp', 'cublasCreate\n']) assert.equal(index.find(other), -1, JSON.stringify(other));
  });

  it('gives each name its own row, split into columns, the name first', () => {
    assert.deepEqual(index.row(index.find('cudaMemcpy')), ['cudaMemcpy', 'hipMemcpy', '', '1', '10.0']);
    assert.deepEqual(index.row(index.find('cublasCreate')), ['cublasCreate', 'hipblasCreate']);
    assert.deepEqual(index.row(index.find('cudaFree')), ['cudaFree', 'hipFree', '', '0']);
  });

  it('takes the hash the lexer computed, and hands out every name’s hash', () => {
    assert.equal(index.find('cudaFree', nameHash('cudaFree')), index.find('cudaFree'));
    assert.deepEqual([...index.hashes()].sort(), ['cudaMalloc', 'cudaFree', 'cudaMemcpy', 'cublasCreate'].map(nameHash).sort());
  });

  it('stays exact under hash collisions (a one-slot-per-name table would not)', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `name${i}`);
    const big = new TableIndex([{ names: many.join('\n'), rows: many.map(() => 'x').join('\n') }]);
    assert.equal(big.count, 5000);
    for (const name of many) assert.equal(big.name(big.find(name)), name);
    assert.equal(big.find('name5000'), -1);
  });
});

describe('cuda: CudaNames (table entries made on first read, hand rows over them)', () => {
  const entry = (cuda: string, hip: string): MapEntry => ({ cuda, hip, kind: 'function', notes: '', library: 'test', policy: 'rename' });

  it('makes a table entry once, on first read; a hand row takes precedence; reads as a Map', () => {
    const made: string[] = [];
    const index = new TableIndex(TABLES);
    const names = new CudaNames(index, (i) => (made.push(index.name(i)), entry(index.name(i), index.row(i)[1])));
    names.setValue('cudaFree', entry('cudaFree', 'handFree'));
    names.setValue('ncclSend', entry('ncclSend', 'rcclSend'));
    assert.equal(names.size, 5);
    assert.ok(names.has('cudaMalloc') && names.has('ncclSend') && !names.has('cudaNothing'));
    assert.deepEqual(made, []);
    const malloc = names.get('cudaMalloc');
    assert.equal(malloc?.hip, 'hipMalloc');
    assert.equal(names.get('cudaMalloc'), malloc);
    assert.deepEqual(made, ['cudaMalloc']);
    assert.equal(names.get('cudaFree')?.hip, 'handFree');
    assert.equal(names.get('cudaNothing'), undefined);
    assert.deepEqual([...names.keys()].sort(), ['cublasCreate', 'cudaFree', 'cudaMalloc', 'cudaMemcpy', 'ncclSend']);
    assert.deepEqual(Object.fromEntries([...names].map(([k, v]) => [k, v.hip])), { cudaMalloc: 'hipMalloc', cudaFree: 'handFree', cudaMemcpy: 'hipMemcpy', cublasCreate: 'hipblasCreate', ncclSend: 'rcclSend' });
    assert.deepEqual(Array.from(names.nameHashes()).sort(), [...names.keys()].map(nameHash).sort());
  });
});

describe('cuda: the prebuilt name index in tables/packed.json (scripts/gen-hip-map.mjs)', () => {
  it('equals the index the code builds from the same tables', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const packed = require('../../../src/core/cuda/map/tables/packed.json') as { tables: Array<{ names: string; rows: string }>; index: PrebuiltIndex };
    const built = new TableIndex(packed.tables);
    const loaded = new TableIndex(packed.tables, packed.index);
    assert.equal(loaded.count, built.count);
    assert.ok(built.count > 8500);
    const a = built.arrays();
    const b = loaded.arrays();
    for (const key of Object.keys(a) as Array<keyof typeof a>) assert.deepEqual(Array.from(b[key]), Array.from(a[key]), key);
    for (const name of ['cudaMalloc', 'cublasLtMatmul', 'cusparseSpGEMM_compute']) assert.equal(loaded.name(loaded.find(name)), name);
  });
});
