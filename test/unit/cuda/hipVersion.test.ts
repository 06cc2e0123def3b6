import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hipify } from '../../../src/core/cuda';
import { compareVersions } from '../../../src/core/cuda/map';
import { porta } from '../fix/helpers';

/** --hip-version: the hand rows' HIP 5.2 names, or the newer names hipify's tables give up to the chosen HIP. */
describe('cuda: hipVersion chooses between HIP 5.2 names and newer ones', () => {
  const GEMM = 'cublasCgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &a, A, m, B, k, &b, C, m);\ncublasComputeType_t t;\n';

  it('keeps the HIP 5.2 names by default and for 5.2, takes the table names from 6.0 on', () => {
    for (const hipVersion of [undefined, '5.2', '5.7']) {
      assert.equal(hipify('g.cu', GEMM, { hipVersion }).text, GEMM.replace('cublasCgemm', 'hipblasCgemm').replace(/CUBLAS_OP_N/g, 'HIPBLAS_OP_N').replace('cublasComputeType_t', 'hipblasDatatype_t'), String(hipVersion));
    }
    for (const hipVersion of ['6.0', '6.2.1']) {
      const text = hipify('g.cu', GEMM, { hipVersion }).text;
      assert.match(text, /^hipblasCgemm_v2\(/, hipVersion);
      assert.match(text, /hipblasComputeType_t t;/, hipVersion);
    }
  });

  it('keeps the mask-dropping rewrite of the *_sync warp intrinsics at any version', () => {
    const source = '__global__ void k(int v) { v = __shfl_sync(0xffffffff, v, 1); }\n';
    assert.equal(hipify('k.cu', source, { hipVersion: '7.0' }).text, '__global__ void k(int v) { v = __shfl(v, 1); }\n');
  });

  it('compares versions numerically', () => {
    assert.ok(compareVersions('6.0.0', '5.2') > 0);
    assert.ok(compareVersions('5.10', '5.9') > 0);
    assert.equal(compareVersions('6.0', '6.0.0'), 0);
  });

  describe('porta fix --hip-version', () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-hip-version-'))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('writes the names of the chosen HIP, and refuses a value that is not a version', async () => {
      fs.writeFileSync(path.join(dir, 'g.cu'), GEMM);
      assert.equal((await porta(['fix', '--target', 'hip', '--hip-version', '6.0', '.'], dir)).code, 0);
      assert.match(fs.readFileSync(path.join(dir, 'g.cu'), 'utf8'), /^hipblasCgemm_v2\(/);
      const bad = await porta(['fix', '--target', 'hip', '--hip-version', 'latest', '.'], dir);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--hip-version: expected a version/);
    });
  });
});
