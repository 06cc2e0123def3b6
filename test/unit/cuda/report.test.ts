import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { createHipifier, formatConversionReport, hipify, loadHipify, totalStats } from '../../../src/core/cuda';
import { fixtureNames, readFixture } from './fixtures';

describe('cuda: conversion report', function () {
  this.timeout(30_000);

  it('per file and total, as text (hipify --print-stats style) and JSON', async () => {
    const hipify = await createHipifier();
    const stats = fixtureNames().map((name) => hipify(name, readFixture(name)).stats);
    const cublas = stats.find((s) => s.path === 'cublas_gemm.cu');
    assert.ok(cublas);
    assert.equal(cublas.references.unconverted, 2);
    assert.deepEqual(cublas.unconverted.map((u) => u.api), ['cublasSetMathMode', 'CUBLAS_TENSOR_OP_MATH']);
    assert.equal(cublas.percent, Math.round((cublas.references.converted / cublas.references.found) * 1000) / 10);
    assert.ok(cublas.linesChanged > 0 && cublas.linesChanged <= cublas.totalLines);

    const text = formatConversionReport(stats, 'text');
    assert.match(text, /\[HIPIFY\] file: cublas_gemm\.cu\n {2}CONVERTED refs count: \d+\n {2}UNCONVERTED refs count: 2\n {2}CONVERSION %: \d+\.\d/);
    assert.match(text, /UNCONVERTED cublas_gemm\.cu:30 cublasSetMathMode: math modes/);
    assert.match(text, new RegExp(`\\[HIPIFY\\] TOTAL \\(${stats.length} files\\)`));
    assert.match(text, /CHANGED lines of code: \d+/);
    assert.match(text, /cuBLAS: \d+\/\d+ converted/);

    const json = JSON.parse(formatConversionReport(stats, 'json')) as { version: number; files: unknown[]; total: ReturnType<typeof totalStats> };
    assert.equal(json.version, 1);
    assert.equal(json.files.length, stats.length);
    const found = stats.reduce((sum, s) => sum + s.references.found, 0);
    assert.equal(json.total.references.found, found);
    assert.equal(json.total.references.converted + json.total.references.unconverted, found);
    assert.equal(json.total.byName.cudaMalloc.hip, 'hipMalloc');
  });
});

describe('cuda: public hipify contract (as porta fix calls it)', function () {
  this.timeout(30_000);

  it('hipify() is synchronous after loadHipify(), and the report takes one result', async () => {
    await loadHipify();
    const result = hipify('one.cu', 'void f(float* p) { cudaFree(p); }\n');
    assert.equal(result.text, 'void f(float* p) { hipFree(p); }\n');
    const text = formatConversionReport(result);
    assert.match(text, /\[HIPIFY\] file: one\.cu\n {2}CONVERTED refs count: 1\n/);
    assert.match(text, /TOTAL \(1 file\)/);
  });
});

describe('cuda: hipify() before the parser is loaded', function () {
  this.timeout(60_000);

  it('rewrites regular files without a parser and leaves irregular ones unchanged with a note', () => {
    const script = [
      "const { hipify } = require('./src/core/cuda');",
      "const ok = hipify('a.cu', 'void f(float* p) { cudaFree(p); }\\n');",
      "const open = hipify('b.cu', 'void f(float* p) { cudaFree(p);\\n');",
      'console.log(JSON.stringify([ok.text, open.text, open.stats.notes[0]]));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8' });
    const [ok, open, note] = JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
    assert.equal(ok, 'void f(float* p) { hipFree(p); }\n');
    assert.equal(open, 'void f(float* p) { cudaFree(p);\n');
    assert.match(note, /loadHipify/);
  });
});

describe('cuda: conversion report splits what stays CUDA (issue 15)', function () {
  this.timeout(60_000);
  const SOURCE = '#include <cudnn.h>\nvoid f() { cudaDeviceFlushGPUDirectRDMAWrites(cudaFlushGPUDirectRDMAWritesTargetCurrentDevice, cudaFlushGPUDirectRDMAWritesToOwner); cudnnHandle_t h; cudaMalloc(0, 0); }\n';

  it('unsupported (no HIP equivalent) and needs review (a counterpart to port by hand), per file, text and JSON', async () => {
    await loadHipify();
    const stats = hipify('f.cu', SOURCE).stats;
    assert.equal(stats.references.converted, 1);
    assert.equal(stats.unsupported, 3);
    assert.equal(stats.needsReview, 2); // cudnn.h and cudnnHandle_t → MIOpen by hand
    const text = formatConversionReport([stats], 'text');
    assert.match(text, /file: f\.cu\n(.*\n){3} {2}UNSUPPORTED refs count \(no HIP\/ROCm equivalent\): 3\n {2}NEEDS REVIEW refs count \(a counterpart exists, to port by hand\): 2\n/);
    const json = JSON.parse(formatConversionReport([stats], 'json')) as { files: Array<{ unsupported: number; needsReview: number }>; total: { unsupported: number; needsReview: number } };
    assert.deepEqual([json.files[0].unsupported, json.files[0].needsReview, json.total.unsupported, json.total.needsReview], [3, 2, 3, 2]);
  });

  it('porta fix --stats --stats-format json prints the JSON report on stdout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-stats-'));
    try {
      fs.writeFileSync(path.join(dir, 'f.cu'), SOURCE);
      const repo = path.resolve(__dirname, '../../..');
      const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(repo, 'src', 'cli.ts'), 'fix', '--target', 'hip', '--stats', '--stats-format', 'json', 'f.cu'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const report = JSON.parse(out) as { total: { unsupported: number; needsReview: number; references: { converted: number } } };
      assert.deepEqual([report.total.references.converted, report.total.unsupported, report.total.needsReview], [1, 3, 2]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
