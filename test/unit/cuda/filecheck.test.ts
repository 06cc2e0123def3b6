import * as assert from 'node:assert/strict';
import { scoreFile } from './suite/filecheck';

describe('cuda: FileCheck scoring of the hipify suite', () => {
  const input = ['// RUN: x', '// CHECK: hipMalloc(&p, n);', '// CHECK-NEXT: hipFree(p);', 'cudaMalloc(&p, n);', 'cudaFree(p);', '// CHECK-NOT: cudaMalloc', '// CHECK: {{(HIP_SYMBOL\\()?}}sym', 'f(sym);'].join('\n');

  it('matches CHECK lines in order, whitespace-insensitive, with {{regex}} holes, against the output with comments blanked', () => {
    const output = input.replace('cudaMalloc(&p, n);', 'hipMalloc(&p,   n);').replace('cudaFree(p);', 'hipFree(p);');
    assert.deepEqual(scoreFile(input, output), { checks: 3, matched: 3, notViolations: 0, missed: [] });
  });

  it('counts what is missing, never matches a CHECK against its own comment, and sees CHECK-NOT violations', () => {
    const score = scoreFile(input, input);
    assert.equal(score.matched, 1); // only `sym` (the regex hole may be empty)
    assert.deepEqual(score.missed, ['CHECK: hipMalloc(&p, n);', 'CHECK-NEXT: hipFree(p);']);
    const misplaced = input.replace('cudaFree(p);', 'hipFree(p);').replace('cudaMalloc(&p, n);', 'hipMalloc(&p, n);\nint x;');
    assert.equal(scoreFile(input, misplaced).matched, 2); // CHECK-NEXT one line too late
    assert.equal(scoreFile(input, input.replace('f(sym);', 'cudaMalloc(q); f(sym);')).notViolations, 1);
  });
});
