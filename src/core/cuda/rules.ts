/** The CU-* rule catalogue: ids are stable, grouped by family; docs/rules/<id>.md explains each. */
import type { Rule } from '../model';
import type { VerdictTable } from '../targets';

/** CUDA C++ compiles nowhere but nvcc: every unported construct breaks off NVIDIA. */
const CUDA_ONLY: VerdictTable = { cuda: 'ok', rocm: 'breaks', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' };
/** Compiles with hipcc but behaves differently or slower on AMD. */
const ROCM_DEGRADED: VerdictTable = { cuda: 'ok', rocm: 'degraded', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' };

function rule(id: string, family: string, title: string, rationale: string, severity: Rule['severity'], fixable: boolean, targets = CUDA_ONLY): Rule {
  return { id, family, title, rationale, severity, targets, fixable, docs: `docs/rules/${id}.md` };
}

export const CUDA_RULES: readonly Rule[] = [
  rule('CU-API-001', 'cuda-api', 'CUDA runtime/driver API with a HIP equivalent',
    'hipcc for AMD does not know cuda* names; the HIP runtime offers the same call under a hip* name.', 'warning', true),
  rule('CU-API-002', 'cuda-api', 'Pinned host memory: cudaMallocHost/cudaHostAlloc/cudaFreeHost',
    'Not a plain rename: HIP allocates pinned memory with hipHostMalloc and frees it with hipHostFree.', 'warning', true),
  rule('CU-API-003', 'cuda-api', 'Symbol API needs HIP_SYMBOL()',
    'hipMemcpyToSymbol and friends take the symbol through HIP_SYMBOL(); passing the variable itself fails on AMD.', 'warning', true),
  rule('CU-API-004', 'cuda-api', 'CUDA API with no HIP equivalent',
    'No HIP (5.2) counterpart exists; the code must be redesigned or guarded for NVIDIA only.', 'error', false),
  rule('CU-HDR-001', 'cuda-api', 'CUDA header with a HIP counterpart',
    'CUDA headers are absent on ROCm; the HIP header declares the renamed API.', 'warning', true),
  rule('CU-LIB-001', 'cuda-lib', 'CUDA library call with a ROCm counterpart (hipBLAS, hipRAND, hipFFT, hipSPARSE, hipSOLVER, hipCUB, rocThrust)',
    'The hip* marshalling libraries mirror the cu* libraries call for call.', 'warning', true),
  rule('CU-LIB-002', 'cuda-lib', 'cuDNN call: MIOpen differs',
    'MIOpen covers the same ground but with different descriptors, a mandatory Find step and other argument lists: a manual port.', 'error', false),
  rule('CU-WARP-001', 'warp-size', 'Lane arithmetic assumes 32-thread warps',
    'AMD wavefronts have 64 lanes (CDNA); `tid % 32`, `tid / 32`, `& 31` compute wrong lane and warp ids. Use warpSize. Reported in __global__/__device__ functions, or anywhere on lane arithmetic (threadIdx, lane, warp): in host code `width % 32` is an image size, not a warp.', 'warning', false),
  rule('CU-WARP-002', 'warp-size', 'Full-warp mask 0xffffffff assumes 32 lanes',
    'A 32-bit mask covers half of a 64-lane wavefront; ballots return 64-bit masks on AMD.', 'warning', false),
  rule('CU-WARP-003', 'warp-size', 'Warp *_sync intrinsic: HIP 5.2 takes no mask',
    'HIP 5.2 has __shfl/__shfl_down/__ballot... without the mask argument: all active lanes of the wavefront take part. Dropping a full mask is exact; a partial mask changed which lanes synchronise.', 'warning', true),
  rule('CU-WARP-004', 'warp-size', 'Shuffle reduction starts at offset 16',
    'A tree reduction starting at offset 16 reduces only 32 lanes; on a 64-lane wavefront half the values are lost. Start at warpSize / 2.', 'warning', false),
  rule('CU-PTX-001', 'cuda-ptx', 'Inline PTX assembly',
    'PTX is NVIDIA\'s virtual ISA; HIP has no PTX. Replace with HIP intrinsics or AMDGCN builtins.', 'error', false),
  rule('CU-TEX-001', 'cuda-texture', 'Texture reference',
    'Texture references were removed in CUDA 12 and are deprecated in HIP; use texture objects (hipTextureObject_t).', 'warning', false, ROCM_DEGRADED),
  rule('CU-DP-001', 'cuda-dynamic-parallelism', 'Dynamic parallelism (kernel launched from device code)',
    'HIP does not support launching kernels from device code.', 'error', false),
  rule('CU-ARCH-001', 'cuda-arch', '__CUDA_ARCH__ check',
    'HIP-Clang for AMD does not define __CUDA_ARCH__: device paths guarded by it silently fall back to host code. Use __HIP_DEVICE_COMPILE__ and feature macros.', 'warning', false),
  rule('CU-KERN-001', 'cuda-kernel', 'CUDA kernel definition or launch',
    'A __global__ kernel and its <<<grid, block>>> launch compile with nvcc, and with hipcc on ROCm (HIP keeps both), but Ascend, Intel XPU, Apple MPS and CPU builds have no compiler for them: the kernel must be rewritten (AscendC, SYCL, Metal) or replaced by a framework op.',
    'info', false, { cuda: 'ok', rocm: 'ok', npu: 'breaks', xpu: 'breaks', mps: 'breaks', cpu: 'breaks' }),
];

export const CUDA_RULE_BY_ID: ReadonlyMap<string, Rule> = new Map(CUDA_RULES.map((r) => [r.id, r]));
