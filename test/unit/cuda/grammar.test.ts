import * as assert from 'node:assert/strict';
import { createParser } from '../../../src/core/parse/loader';

/** Why CUDA files use the tree-sitter-cuda grammar rather than the C++ one. */
describe('cuda: grammar', () => {
  const source = [
    '__global__ void k(const float* a, float* b) { __shared__ float s[256]; b[threadIdx.x] = a[0]; }',
    'template <typename T> __device__ __forceinline__ T f(T x) { return x; }',
    'void launch(float* d, cudaStream_t s) { k<<<1, 256, 0, s>>>(d, d); f<float><<<2, 3>>>(d); }',
  ].join('\n');

  it('tree-sitter-cuda parses __global__, __shared__, __device__ __forceinline__ and <<< >>> without errors', async () => {
    const tree = (await createParser('cuda')).parse(source);
    assert.ok(tree);
    assert.equal(tree.rootNode.hasError, false);
    assert.match(tree.rootNode.toString(), /kernel_call_syntax/);
  });

  it('the C++ grammar does not (so it is not used for CUDA)', async () => {
    const tree = (await createParser('cpp')).parse(source);
    assert.ok(tree);
    assert.equal(tree.rootNode.hasError, true);
  });
});
