import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cudaMap, hipifyAsync, loadCudaAnalyzer } from '../../../src/core/cuda';

const REPO = path.resolve(__dirname, '../../..');
const TABLES = path.resolve(REPO, '..', 'shared', 'reference', 'hipify', 'docs', 'tables');
const GENERATED = path.join(REPO, 'src', 'core', 'cuda', 'map', 'tables');

describe('cuda: mapping data generated from hipify tables (issue 15)', function () {
  this.timeout(60_000);

  it(`scripts/gen-hip-map.mjs reproduces the committed data${fs.existsSync(TABLES) ? '' : ` — skipped: ${TABLES} is absent`}`, function () {
    if (!fs.existsSync(TABLES)) this.skip();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-hipmap-'));
    try {
      const run = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'gen-hip-map.mjs'), TABLES, out], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const files = fs.readdirSync(GENERATED).sort();
      assert.deepEqual(fs.readdirSync(out).sort(), files);
      for (const file of files) assert.equal(fs.readFileSync(path.join(out, file), 'utf8'), fs.readFileSync(path.join(GENERATED, file), 'utf8'), `${file} is stale: run node scripts/gen-hip-map.mjs`);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('knows every name of every table, with its CUDA and HIP versions', () => {
    const names = cudaMap().names;
    assert.ok(names.size > 8500, `${names.size} names`);
    for (const name of ['cuMemAllocAsync', 'cublasLtMatmul', 'cusparseSpGEMM_compute', 'cusolverDnXgetrf', 'curandCreateGenerator', 'cufftXtExec', 'cuCaddf', 'nvrtcCompileProgram', '__half2float']) {
      assert.ok(names.has(name), name);
    }
    assert.deepEqual(names.get('cuMemAllocAsync')?.cudaVersions, { added: '11.2' });
    assert.equal(names.get('cuMemAllocAsync')?.hip, 'hipMallocAsync');
    assert.equal(names.get('cuMemAllocAsync')?.hipSince, '5.2.0');
  });

  it('a name with no HIP equivalent is reported with its CUDA version, never passed over', async () => {
    const text = 'void f() { cudaDeviceFlushGPUDirectRDMAWrites(cudaFlushGPUDirectRDMAWritesTargetCurrentDevice, cudaFlushGPUDirectRDMAWritesToOwner); }\n';
    const result = await hipifyAsync('x.cu', text);
    assert.equal(result.text, text);
    const reasons = result.unconverted.map((u) => `${u.api}: ${u.reason}`);
    assert.ok(reasons.some((r) => /^cudaFlushGPUDirectRDMAWritesToOwner: no HIP equivalent .*\(CUDA 11\.3\+\)/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^cudaDeviceFlushGPUDirectRDMAWrites: .*\(CUDA 11\.3\+\)/.test(r)), reasons.join('\n'));
    const findings = (await loadCudaAnalyzer()).analyze('x.cu', text).findings;
    const finding = findings.find((f) => f.message.startsWith('cudaFlushGPUDirectRDMAWritesToOwner'));
    assert.equal(finding?.rule, 'CU-API-004');
    assert.match(finding.message, /no HIP equivalent.*CUDA 11\.3\+/);
  });

  it('--hip-library roc takes the roc* names; the default takes the hip* wrappers', async () => {
    const text = 'cublasHandle_t h; cublasStatus_t s = cublasCreate(&h); cusparseHandle_t sp; curandGenerator_t g;\n';
    assert.equal((await hipifyAsync('x.cu', text)).text, 'hipblasHandle_t h; hipblasStatus_t s = hipblasCreate(&h); hipsparseHandle_t sp; hiprandGenerator_t g;\n');
    assert.equal((await hipifyAsync('x.cu', text, { hipLibrary: 'roc' })).text, 'rocblas_handle h; rocblas_status s = rocblas_create_handle(&h); rocsparse_handle sp; rocrand_generator g;\n');
  });

  it('--hip-library roc rewrites the library headers and complex types to rocBLAS/rocRAND/rocSPARSE/rocSOLVER', async () => {
    const text = '#include "cublas_v2.h"\n#include <curand_kernel.h>\n#include "cusparse.h"\n#include "cusolverDn.h"\ncuComplex c; cuDoubleComplex z;\n';
    assert.equal((await hipifyAsync('x.cu', text, { hipLibrary: 'roc' })).text, '#include "rocblas.h"\n#include <rocrand/rocrand_kernel.h>\n#include "rocsparse.h"\n#include "rocsolver/rocsolver.h"\nrocblas_float_complex c; rocblas_double_complex z;\n');
    assert.match((await hipifyAsync('x.cu', text)).text, /#include "hipblas.h"\n#include <hiprand\/hiprand_kernel.h>\n[^]*hipComplex c; hipDoubleComplex z;/);
  });

  it('cuDNN stays a manual port unless dnn is miopen', async () => {
    const text = 'cudnnHandle_t h; cudnnCreate(&h);\n';
    const manual = await hipifyAsync('x.cu', text);
    assert.equal(manual.text, text);
    assert.match(manual.unconverted[0].reason, /manual port to miopenHandle_t/);
    assert.equal((await hipifyAsync('x.cu', text, { dnn: 'miopen' })).text, 'miopenHandle_t h; miopenCreate(&h);\n');
  });
});
