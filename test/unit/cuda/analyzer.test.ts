import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BACKENDS } from '../../../src/core/targets';
import type { LanguageAnalyzer } from '../../../src/core/model';
import { CUDA_RULES, applyEdits, hipifyAsync, isCudaSource, loadCudaAnalyzer } from '../../../src/core/cuda';
import { readFixture } from './fixtures';

describe('cuda: analyzer', function () {
  this.timeout(30_000);
  let analyzer: LanguageAnalyzer;
  before(async () => {
    analyzer = await loadCudaAnalyzer();
  });

  it('handles .cu/.cuh and C++ files that include CUDA headers or use CUDA constructs', () => {
    assert.equal(analyzer.id, 'cuda');
    assert.ok(isCudaSource('k.cu', ''));
    assert.ok(isCudaSource('k.cuh', ''));
    assert.ok(isCudaSource('ops.cpp', '#include <cuda_runtime.h>\n'));
    assert.ok(isCudaSource('ops.h', '__global__ void k();\n'));
    assert.ok(isCudaSource('bind.cc', '#include <ATen/cuda/CUDAContext.h>\n'));
    assert.ok(!isCudaSource('plain.cpp', '#include <vector>\nint main() {}\n'));
    assert.ok(!isCudaSource('train.py', 'import torch  # __global__'));
  });

  it('portability hazards: PTX, dynamic parallelism, __CUDA_ARCH__, warp-32 assumptions, no-HIP APIs', () => {
    const result = analyzer.analyze('portability_hazards.cu', readFixture('portability_hazards.cu'));
    const byRule = (rule: string) => result.findings.filter((f) => f.rule === rule);
    assert.equal(byRule('CU-PTX-001').length, 1);
    assert.equal(byRule('CU-PTX-001')[0].range.start.line, 7);
    assert.equal(byRule('CU-DP-001').length, 1);
    assert.equal(byRule('CU-DP-001')[0].range.start.line, 14);
    assert.equal(byRule('CU-ARCH-001').length, 2);
    assert.equal(byRule('CU-WARP-001')[0].range.start.line, 20); // threadIdx.x & 31
    assert.equal(byRule('CU-WARP-002')[0].range.start.line, 19); // __ballot_sync(0xffffffff, ...)
    assert.deepEqual(byRule('CU-API-004').map((f) => f.message.split(':')[0]), ['__syncwarp', '__activemask']);
    assert.equal(byRule('CU-WARP-003').length, 1);
    assert.ok(byRule('CU-WARP-003')[0].fix?.safe, 'dropping a full mask is safe');
  });

  it('reduction with shuffles: lane arithmetic, offset-16 loop, full masks', () => {
    const result = analyzer.analyze('reduction_shfl.cu', readFixture('reduction_shfl.cu'));
    const lines = (rule: string) => result.findings.filter((f) => f.rule === rule).map((f) => f.range.start.line);
    assert.deepEqual(lines('CU-WARP-001'), [16, 17, 23]);
    assert.deepEqual(lines('CU-WARP-004'), [6]);
    assert.deepEqual(lines('CU-WARP-002'), [7, 25]);
    assert.deepEqual(lines('CU-WARP-003'), [7, 26]);
    const partial = result.findings.find((f) => f.rule === 'CU-WARP-003' && f.range.start.line === 26);
    assert.equal(partial?.fix?.safe, false, 'a mask held in a variable may be partial: unsafe');
  });

  it('no warp-size finding on host code: `% 32` on an image size is not a warp; lane arithmetic is, anywhere', () => {
    const text = [
      'void resize(int width, int height) {',
      '  if (width % 32 != 0 || (height & 31)) return;',
      '  int lane = threadIdx_host % 32;',
      '}',
      '__device__ int lane_of(int i) { return i % 32; }',
      '__global__ void k(int* out, int n) { out[0] = n & 31; }',
      '',
    ].join('\n');
    const result = analyzer.analyze('host.cu', text);
    assert.deepEqual(result.findings.filter((f) => f.rule === 'CU-WARP-001').map((f) => f.range.start.line), [3, 5, 6]);
  });

  it('hard-coded warp sizes: #define WARP_SIZE 32 and constexpr kWarpSize = 32', () => {
    const text = '#define WARP_SIZE 32\nconstexpr int kWarpSize = 32;\nconstexpr int kBlock = 32;\n#define TILE 32\n';
    const result = analyzer.analyze('ws.cu', text);
    assert.deepEqual(result.findings.filter((f) => f.rule === 'CU-WARP-001').map((f) => f.range.start.line), [1, 2]);
  });

  it('applying every finding fix gives the hipify output', async () => {
    for (const name of ['vector_add.cu', 'streams_events_pinned.cu', 'templated_kernel.cu', 'macro_kernel.cu']) {
      const text = readFixture(name);
      const edits = analyzer.analyze(name, text).findings.flatMap((f) => f.fix?.edits ?? []);
      assert.equal(applyEdits(text, edits), (await hipifyAsync(name, text)).text, name);
    }
  });

  it('PyTorch CUDA headers beyond CUDAContext.h are CUDA headers too, hipified as PyTorch ROCm builds name them (apex, mmcv)', async () => {
    const text = '#include <ATen/ATen.h>\n#include <ATen/cuda/CUDAContext.h>\n#include <ATen/cuda/Exceptions.h>\n#include <c10/cuda/CUDACachingAllocator.h>\n#include <ATen/cuda/CUDAApplyUtils.cuh>\n';
    const result = analyzer.analyze('k.cu', text);
    assert.deepEqual(result.findings.map((f) => `${f.range.start.line} ${f.rule}`), ['2 CU-HDR-001', '3 CU-HDR-001', '4 CU-HDR-001', '5 CU-HDR-001']);
    const hip = await hipifyAsync('k.cu', text);
    assert.match(hip.text, /<ATen\/hip\/Exceptions\.h>/);
    assert.match(hip.text, /<c10\/hip\/HIPCachingAllocator\.h>/);
    assert.match(hip.text, /<ATen\/hip\/HIPApplyUtils\.cuh>/);
  });

  it('findings carry 1-based ranges, a verdict for every backend and a documented rule', () => {
    const result = analyzer.analyze('vector_add.cu', readFixture('vector_add.cu'));
    const include = result.findings.find((f) => f.rule === 'CU-HDR-001');
    assert.deepEqual(include?.range, { start: { line: 4, column: 11 }, end: { line: 4, column: 25 } });
    for (const finding of result.findings) {
      assert.deepEqual(Object.keys(finding.targets).sort(), [...BACKENDS].sort());
      assert.equal(finding.targets.cuda, 'ok');
    }
    for (const rule of CUDA_RULES) {
      assert.ok(fs.existsSync(path.join(__dirname, '..', '..', '..', rule.docs)), rule.docs);
    }
  });

  it('notes a file that does not parse fully', () => {
    const result = analyzer.analyze('broken.cu', 'void f( {\n  cudaMalloc(&p, 4);\n');
    assert.equal(result.notes[0]?.kind, 'syntax-error');
    assert.ok(result.findings.some((f) => f.rule === 'CU-API-001'));
  });
});
