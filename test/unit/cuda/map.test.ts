import * as assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import { cudaMap } from '../../../src/core/cuda';
import { MAP_FILES } from '../../../src/core/cuda/map';

const KINDS = new Set(['function', 'type', 'enum', 'macro', 'device', 'namespace', 'header', 'ptx']);

describe('cuda: mapping table (data)', () => {
  it('every row is [cuda, hip|none, kind, notes] with a known kind, unique per library', () => {
    for (const file of MAP_FILES) {
      const seen = new Set<string>();
      for (const row of file.entries) {
        assert.equal(row.length, 4, `${file.library}: ${row.join(',')}`);
        assert.ok(KINDS.has(row[2]), `${file.library}: kind ${row[2]}`);
        assert.ok(row[0].length > 0 && row[1].length > 0);
        assert.ok(!seen.has(row[0]), `${file.library}: duplicate ${row[0]}`);
        seen.add(row[0]);
        if (row[1] === 'none') assert.ok(row[3].length > 0, `${row[0]}: a "none" row says why`);
      }
    }
  });

  it('covers the runtime API, the driver API and the libraries', () => {
    const counts = new Map(MAP_FILES.map((file) => [file.library, file.entries.length]));
    assert.ok((counts.get('CUDA Runtime API') ?? 0) >= 400);
    for (const [library, minimum] of [['CUDA Driver API', 60], ['cuBLAS', 60], ['cuRAND', 40], ['cuFFT', 30], ['cuSPARSE', 60], ['cuSOLVER', 30], ['NCCL', 30], ['cuDNN', 20], ['Headers', 30]] as const) {
      assert.ok((counts.get(library) ?? 0) >= minimum, `${library}: ${counts.get(library)}`);
    }
    const map = cudaMap();
    for (const name of ['cudaMalloc', 'cudaMallocHost', 'cudaMemcpyToSymbol', 'cuLaunchKernel', 'cublasSgemm', 'curand_init', 'cufftExecC2C', 'cusparseSpMV', 'cusolverDnSgetrf', 'ncclAllReduce', 'cudnnConvolutionForward', 'cub', '__shfl_down_sync']) {
      assert.ok(map.names.has(name), name);
    }
    assert.equal(map.names.get('cudaMallocHost')?.hip, 'hipHostMalloc');
    assert.equal(map.headers.get('cuda_runtime.h')?.hip, 'hip/hip_runtime.h');
  });

  it('every HIP name of the runtime/driver/hipRAND/hipSPARSE rows is declared by the installed HIP 5.2 headers', function () {
    const dirs = ['/usr/include/hip', '/usr/include/hiprand', '/usr/include/hipsparse', '/usr/include/rocrand'];
    if (!dirs.every((dir) => fs.existsSync(dir))) this.skip(); // CI provisions libamdhip64-dev, libhiprand-dev, libhipsparse-dev
    const headers = execSync(`find ${dirs.join(' ')} -name '*.h*' -exec cat {} +`, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const declared = new Set(headers.match(/\w+/g));
    const missing: string[] = [];
    for (const file of MAP_FILES) {
      if (!['CUDA Runtime API', 'CUDA Driver API', 'cuRAND', 'cuSPARSE'].includes(file.library)) continue;
      for (const [cuda, hip, , notes] of file.entries) {
        if (hip === 'none' || /not in HIP 5\.2/.test(notes)) continue;
        if (!declared.has(hip)) missing.push(`${cuda} → ${hip}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
