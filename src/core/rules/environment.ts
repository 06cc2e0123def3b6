import { defineRules } from './types';

/** ENV: environment variables that only NVIDIA stacks read. Shared by Python, shell, Dockerfiles and notebooks. */
export const rules = defineRules('ENV', [
  {
    id: 'ENV-001',
    title: '`CUDA_VISIBLE_DEVICES` selects devices on NVIDIA (and ROCm) only',
    rationale: 'HIP honours CUDA_VISIBLE_DEVICES, but Ascend reads ASCEND_RT_VISIBLE_DEVICES and Intel ZE_AFFINITY_MASK: there the setting is ignored and every device is visible.',
    portable: 'Set the variable for the target: HIP_VISIBLE_DEVICES/ROCR_VISIBLE_DEVICES (ROCm), ASCEND_RT_VISIBLE_DEVICES (Ascend), ZE_AFFINITY_MASK (Intel).',
    example: 'os.environ["CUDA_VISIBLE_DEVICES"] = "0,1"\nCUDA_VISIBLE_DEVICES=0 python train.py',
    severity: 'warning',
    verdicts: 'ok ok degraded degraded ok ok',
    fixable: true,
  },
  {
    id: 'ENV-002',
    title: '`CUDA_LAUNCH_BLOCKING`',
    rationale: 'Synchronous kernel launches for debugging exist under this name for CUDA (and HIP); other backends ignore it.',
    portable: 'ASCEND_LAUNCH_BLOCKING on Ascend; on others synchronize explicitly while debugging.',
    example: 'os.environ["CUDA_LAUNCH_BLOCKING"] = "1"',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded ok',
  },
  {
    id: 'ENV-003',
    title: '`PYTORCH_CUDA_ALLOC_CONF`',
    rationale: 'The caching-allocator settings apply to CUDA-typed devices; Ascend reads PYTORCH_NPU_ALLOC_CONF, and XPU/MPS have their own knobs. Elsewhere the tuning is lost.',
    portable: 'Set the allocator variable of the target backend (PYTORCH_HIP_ALLOC_CONF, PYTORCH_NPU_ALLOC_CONF, PYTORCH_MPS_HIGH_WATERMARK_RATIO).',
    example: 'PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded ok',
  },
  {
    id: 'ENV-004',
    title: '`TORCH_CUDA_ARCH_LIST`',
    rationale: 'Selects NVIDIA architectures for extension builds; ROCm builds read PYTORCH_ROCM_ARCH, and other backends do not build CUDA code at all.',
    portable: 'PYTORCH_ROCM_ARCH for ROCm; per-backend build settings otherwise.',
    example: 'TORCH_CUDA_ARCH_LIST="8.0;9.0" pip install .',
    severity: 'info',
    verdicts: 'ok degraded degraded degraded degraded ok',
  },
  {
    id: 'ENV-005',
    title: '`NCCL_*` tuning variables',
    rationale: 'RCCL reads NCCL_* on ROCm, but Ascend (HCCL_*) and Intel (CCL_*) ignore them, so network and topology tuning is lost.',
    portable: 'Set the collective library variables of the target (HCCL_* for Ascend, CCL_* / FI_* for Intel).',
    example: 'export NCCL_DEBUG=INFO\nNCCL_IB_DISABLE=1 torchrun ...',
    severity: 'info',
    verdicts: 'ok ok degraded degraded ok ok',
  },
  {
    id: 'ENV-006',
    title: 'NVIDIA container runtime variables',
    rationale: '`NVIDIA_VISIBLE_DEVICES` / `NVIDIA_DRIVER_CAPABILITIES` configure the NVIDIA container toolkit; AMD, Ascend and Intel containers map devices differently.',
    portable: 'Pass devices explicitly for the target runtime (ROCm: --device=/dev/kfd --device=/dev/dri; Ascend: --device=/dev/davinciN).',
    example: 'ENV NVIDIA_VISIBLE_DEVICES=all',
    severity: 'warning',
    verdicts: 'ok degraded degraded degraded degraded ok',
  },
  {
    id: 'ENV-007',
    title: 'JAX GPU memory variables',
    rationale: '`XLA_PYTHON_CLIENT_*` tune the XLA GPU allocator (CUDA and ROCm); other platforms ignore them.',
    portable: 'Keep them, but do not rely on them for TPU/CPU memory behaviour.',
    example: 'os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"',
    severity: 'info',
    verdicts: 'ok ok degraded degraded degraded ok',
  },
  {
    id: 'ENV-008',
    title: 'CUDA toolkit and build switches (`CUDA_HOME`, `FORCE_CUDA`, `USE_CUDNN`)',
    rationale: 'CUDA_HOME / CUDA_PATH / CUDACXX point extension builds at an NVIDIA toolkit, FORCE_CUDA / WITH_CUDA make setup.py build the CUDA ops without a GPU present, and build switches such as `make USE_CUDNN=1` (llm.c) or MVAPICH\'s MV2_USE_CUDA turn on cuDNN or CUDA-aware code. ROCm builds look for ROCM_HOME and hipcc (mmcv and a few others map FORCE_CUDA onto a HIP build), and the other backends have no CUDA toolkit, so the build either fails or silently drops the compiled ops.',
    portable: 'Select the build per target: ROCM_HOME / PYTORCH_ROCM_ARCH (ROCm), the vendor\'s own switch (e.g. mmcv\'s FORCE_NPU / FORCE_MLU), or a CPU-only build with the switch unset.',
    example: 'ENV FORCE_CUDA="1"\nENV CUDA_HOME=/usr/local/cuda',
    severity: 'info',
    verdicts: 'ok degraded degraded degraded degraded ok',
  },
]);

/** Maps an environment variable name to its rule id, or undefined. */
export function envRule(name: string): string | undefined {
  if (name === 'CUDA_VISIBLE_DEVICES') return 'ENV-001';
  if (name === 'CUDA_LAUNCH_BLOCKING') return 'ENV-002';
  if (name === 'PYTORCH_CUDA_ALLOC_CONF') return 'ENV-003';
  if (name === 'TORCH_CUDA_ARCH_LIST') return 'ENV-004';
  if (/^NCCL_[A-Z0-9_]+$/.test(name)) return 'ENV-005';
  if (name === 'NVIDIA_VISIBLE_DEVICES' || name === 'NVIDIA_DRIVER_CAPABILITIES') return 'ENV-006';
  if (/^XLA_PYTHON_CLIENT_[A-Z_]+$/.test(name)) return 'ENV-007';
  if (/^(?:CUDA_HOME|CUDA_PATH|CUDA_TOOLKIT_ROOT_DIR|CUDACXX|FORCE_CUDA|(?:[A-Z][A-Z0-9]*_)?WITH_CUDA|USE_CUDNN|[A-Z][A-Z0-9]*_USE_CUDA)$/.test(name)) return 'ENV-008';
  return undefined;
}
