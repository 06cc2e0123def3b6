import * as assert from 'node:assert/strict';
import { createHipifier, type Hipifier } from '../../../src/core/cuda';
import { expectedName, fixtureNames, readFixture } from './fixtures';

function assertSameLines(actual: string, expected: string, label: string): void {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    assert.equal(a[i], e[i], `${label}: line ${i + 1} differs`);
  }
}

describe('cuda: hipify fixtures', function () {
  this.timeout(30_000);
  let hipify: Hipifier;
  before(async () => {
    hipify = await createHipifier();
  });

  it('has at least 10 fixture programs', () => {
    assert.ok(fixtureNames().length >= 10, `found ${fixtureNames().length}`);
  });

  for (const name of fixtureNames()) {
    it(`${name}: rewrite matches ${expectedName(name)} line by line`, () => {
      const result = hipify(name, readFixture(name));
      assertSameLines(result.text, readFixture(expectedName(name)), name);
      assert.ok(result.edits.length > 0);
      assert.ok(result.stats.references.found >= result.stats.references.converted);
    });

    it(`${name}: fixing twice equals fixing once`, () => {
      const once = hipify(name, readFixture(name)).text;
      const twice = hipify(name, once);
      assert.equal(twice.edits.length, 0);
      assert.equal(twice.text, once);
    });
  }

  it('rewrites no comment or string literal', () => {
    const source = [
      '#include <cuda_runtime.h>',
      '// cudaMalloc(&p, 4) in a comment',
      '/* cudaFree(p) */',
      'const char* msg = "cudaMemcpy failed";',
      "char c = 'c';",
      'void f(float* p) { cudaMalloc(&p, 4); }',
      '#error cudaMalloc is mentioned in free text',
    ].join('\n');
    const result = hipify('x.cu', source);
    const lines = result.text.split('\n');
    assert.equal(lines[0], '#include <hip/hip_runtime.h>');
    assert.equal(lines[1], '// cudaMalloc(&p, 4) in a comment');
    assert.equal(lines[2], '/* cudaFree(p) */');
    assert.equal(lines[3], 'const char* msg = "cudaMemcpy failed";');
    assert.equal(lines[5], 'void f(float* p) { hipMalloc(&p, 4); }');
    assert.equal(lines[6], '#error cudaMalloc is mentioned in free text');
  });

  it('handles tokens inside macro bodies: code renamed, strings and comments kept', () => {
    const source = '#define CHECK(x) do { cudaError_t e = (x); if (e) printf("cudaError %s", cudaGetErrorString(e)); /* cudaFree */ } while (0)\n';
    const result = hipify('m.cu', source);
    assert.equal(result.text, '#define CHECK(x) do { hipError_t e = (x); if (e) printf("cudaError %s", hipGetErrorString(e)); /* cudaFree */ } while (0)\n');
  });

  it('drops the warp mask, pins host memory and wraps symbols', () => {
    const source = [
      '__constant__ float c[4];',
      '__device__ float f(float v) { return __shfl_xor_sync(0xffffffff, v, 1) + __ballot_sync(0xffffffff, v > 0); }',
      'void g(float* h) { float* p; cudaMallocHost(&p, 16); cudaFreeHost(p); cudaMemcpyToSymbol(c, h, 16); cudaMemcpyToSymbol(HIP_SYMBOL(c), h, 16); }',
    ].join('\n');
    const lines = hipify('w.cu', source).text.split('\n');
    assert.equal(lines[1], '__device__ float f(float v) { return __shfl_xor(v, 1) + __ballot(v > 0); }');
    assert.equal(lines[2], 'void g(float* h) { float* p; hipHostMalloc(&p, 16); hipHostFree(p); hipMemcpyToSymbol(HIP_SYMBOL(c), h, 16); hipMemcpyToSymbol(HIP_SYMBOL(c), h, 16); }');
  });

  it('keeps <<< >>> launches and renames qualified namespaces only in their scope', () => {
    const source = 'void f() { k<<<1, 2, 0, at::cuda::getCurrentCUDAStream()>>>(); thrust::cuda::par; my::cuda::thing(); cub::WarpReduce<float> r; }';
    const result = hipify('n.cu', source);
    assert.equal(result.text, 'void f() { k<<<1, 2, 0, at::hip::getCurrentHIPStreamMasqueradingAsCUDA()>>>(); thrust::hip::par; my::cuda::thing(); hipcub::WarpReduce<float> r; }');
  });

  it('reports what has no HIP form and leaves it in place', () => {
    const source = '__global__ void k(int* p) {\n  __syncwarp();\n  unsigned m = __activemask();\n  cudaStreamGetId(0, 0);\n}\n';
    const result = hipify('u.cu', source);
    assert.equal(result.text, source);
    assert.deepEqual(result.unconverted.map((u) => [u.api, u.line]), [['__syncwarp', 2], ['__activemask', 3], ['cudaStreamGetId', 4]]);
    assert.ok(result.unconverted.every((u) => u.reason.length > 0));
    assert.equal(result.stats.percent, 0);
  });

  it('cuDNN is flagged for a manual MIOpen port, never renamed', () => {
    const source = '#include <cudnn.h>\nvoid f() { cudnnHandle_t h; cudnnCreate(&h); }\n';
    const result = hipify('d.cu', source);
    assert.equal(result.text, source);
    assert.equal(result.unconverted.length, 3);
    assert.match(result.unconverted[1].reason, /miopenHandle_t/);
  });
});
