import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';

/** Issue 14 part 3: recall on the build and packaging surface (requirements folders, Dockerfiles, setup.py). */
describe('recall on the build and packaging surface', () => {
  it('reads requirement files at any depth below a requirements/ folder, and nothing else there', async () => {
    const a = await analyzer();
    for (const p of ['requirements/runtime.txt', '/repo/requirements/pytorch/base.txt', 'proj\\requirements\\gpu.in']) assert.ok(a.handles(p), p);
    for (const p of ['requirements/README.md', 'docs/notrequirements/a.txt']) assert.ok(!a.handles(p), p);
    const found = a.analyze('/repo/requirements/pytorch/base.txt', 'cupy-cuda12x\nmypkg[cu12]\n').findings.map((f) => `${f.range.start.line} ${f.rule}`);
    assert.deepEqual(found, ['1 REQ-004', '2 REQ-004']);
  });

  it("apex's CUDA extension build option in a pip install is NVIDIA Apex (LIB-005), in a Dockerfile and a shell script", async () => {
    const a = await analyzer();
    const docker = 'FROM python:3.11\nRUN pip install -v --no-cache-dir --global-option="--cpp_ext" --global-option="--cuda_ext" .\nRUN pip install --config-settings "--build-option=--cpp_ext" ./\n';
    assert.deepEqual(a.analyze('Dockerfile', docker).findings.map((f) => `${f.range.start.line} ${f.rule}`), ['2 LIB-005']);
    const shell = 'cd apex\npip install -v --no-build-isolation --config-settings "--build-option=--cuda_ext" ./\n';
    assert.deepEqual(a.analyze('install.sh', shell).findings.map((f) => `${f.range.start.line} ${f.rule}`), ['2 LIB-005']);
  });

  it('a RUN continued over backslash lines is read whole, and each finding points at its own line (LF and CRLF)', async () => {
    const a = await analyzer();
    for (const eol of ['\n', '\r\n']) {
      const text = ['FROM python:3.11', 'RUN pip install \\', '  # a comment inside', '    numpy \\', '    xformers==0.0.26 && \\', '    nvidia-smi', ''].join(eol);
      const found = a.analyze('Dockerfile', text).findings.map((f) => `${f.rule} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`);
      assert.deepEqual(found, ['REQ-005 5:5-5:13', 'TOOL-001 6:5-6:15'], JSON.stringify(eol));
    }
  });

  it('CUDA C++: ATen/c10 CUDA headers in a .cpp, __global__ kernels and host launches (device launches stay CU-DP-001)', async () => {
    const a = await analyzer();
    const source = [
      '#include <torch/extension.h>',
      '#include <ATen/cuda/CUDAContext.h>',
      '#include <c10/cuda/CUDAGuard.h>',
      'template <typename T>',
      '__global__ void scale(T* x, T a, int n) { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) x[i] *= a; }',
      '__global__ void parent(float* x) { scale<<<1, 32>>>(x, 2.0f, 32); }',
      '__device__ float twice(float v) { return 2 * v; }',
      'void run(float* x, int n) {',
      '  scale<<<(n + 255) / 256, 256>>>(x, 2.0f, n);',
      '}',
      '',
    ].join('\n');
    for (const file of ['ops.cpp', 'ops.cu', 'ops.cuh']) {
      const found = a.analyze(file, source).findings.filter((f) => f.rule !== 'CU-LIB-001').map((f) => `${f.range.start.line} ${f.rule}`);
      assert.deepEqual(found, ['2 CU-HDR-001', '3 CU-HDR-001', '5 CU-KERN-001', '6 CU-KERN-001', '6 CU-DP-001', '9 CU-KERN-001'].sort((x, y) => parseInt(x) - parseInt(y)), file);
      const kernel = a.analyze(file, source).findings.find((f) => f.rule === 'CU-KERN-001');
      assert.deepEqual(kernel?.targets, { cuda: 'ok', rocm: 'ok', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' });
    }
  });
});
