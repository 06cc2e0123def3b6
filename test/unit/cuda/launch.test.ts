import * as assert from 'node:assert/strict';
import { hipifyAsync } from '../../../src/core/cuda';
import { createParser } from '../../../src/core/parse/loader';

const GGL = { kernelLaunch: 'hipLaunchKernelGGL' } as const;

const SOURCE = `template <typename T> __global__ void axpy(T a, T *x) {}
__global__ void plain(int n) {}
__global__ void none() {}
#define LAUNCH plain<<<1, 1>>>(0)
void host(cudaStream_t s, float *x) {
  plain<<<grid, block>>>(n);
  axpy<float><<<dim3(1, 1, 1), 64, 0, s>>>(2.0f, x);
  axpy<<<1, 64, bytes>>>(2.0f, x);
  none<<<1, 1>>>( );
  plain<<<1, 1, 0, s>>>(cudaGetLastError());
}
`;

const EXPECTED = `template <typename T> __global__ void axpy(T a, T *x) {}
__global__ void plain(int n) {}
__global__ void none() {}
#define LAUNCH plain<<<1, 1>>>(0)
void host(hipStream_t s, float *x) {
  hipLaunchKernelGGL(plain, dim3(grid), dim3(block), 0, 0, n);
  hipLaunchKernelGGL(HIP_KERNEL_NAME(axpy<float>), dim3(1, 1, 1), dim3(64), 0, s, 2.0f, x);
  hipLaunchKernelGGL(HIP_KERNEL_NAME(axpy), dim3(1), dim3(64), bytes, 0, 2.0f, x);
  hipLaunchKernelGGL(none, dim3(1), dim3(1), 0, 0);
  hipLaunchKernelGGL(plain, dim3(1), dim3(1), 0, s, hipGetLastError());
}
`;

describe('cuda: kernel launches as hipLaunchKernelGGL (kernelLaunch option)', function () {
  this.timeout(30_000);

  it('rewrites <<<>>> launches (templates through HIP_KERNEL_NAME, dim3 kept, 0 for missing shared/stream), renames inside still apply', async () => {
    assert.equal((await hipifyAsync('k.cu', SOURCE, GGL)).text, EXPECTED);
  });

  it('is idempotent and the result parses', async () => {
    assert.equal((await hipifyAsync('k.cu', EXPECTED, GGL)).text, EXPECTED);
    const tree = (await createParser('cuda')).parse(EXPECTED)!;
    assert.equal(tree.rootNode.hasError, false);
  });

  it('keeps <<<>>> by default', async () => {
    const text = (await hipifyAsync('k.cu', SOURCE)).text;
    assert.match(text, /plain<<<grid, block>>>\(n\)/);
    assert.doesNotMatch(text, /hipLaunchKernelGGL/);
  });
});
