import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, '..', '..', 'fixtures', 'cuda');

/** Why an original cannot be compiled with `nvcc -c` here (absent headers), per fixture. */
export const NVCC_SKIP: Record<string, string> = {
  'curand_host_device.cu': 'cuRAND headers (curand.h) are not part of this CUDA toolkit',
  'cusparse_spmv.cu': 'cuSPARSE headers (cusparse.h) are not part of this CUDA toolkit',
  'cublas_gemm.cu': 'cuBLAS headers (cublas_v2.h) are not part of this CUDA toolkit',
  'torch_extension.cu': 'PyTorch C++ headers (torch/extension.h) are not installed',
};

/** Why a rewritten file cannot be compiled with hipcc here, per fixture. */
export const HIPCC_SKIP: Record<string, string> = {
  'cublas_gemm.cu': 'hipBLAS/rocBLAS headers are not in Debian 12: checked by mapping only',
  'torch_extension.cu': 'PyTorch C++ headers are not installed: checked by mapping only',
  'portability_hazards.cu': 'inline PTX and dynamic parallelism have no HIP form (the point of this fixture)',
};

/** Extra nvcc flags per fixture. */
export const NVCC_FLAGS: Record<string, string[]> = {
  'portability_hazards.cu': ['-rdc=true'], // dynamic parallelism needs relocatable device code
};

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.cu')).sort();
}

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
}

export function expectedName(name: string): string {
  return name.replace(/\.cu$/, '.hip.cpp');
}
