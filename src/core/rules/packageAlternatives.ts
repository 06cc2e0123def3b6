import type { Backend } from '../targets';

/**
 * Per target, what to use instead of a CUDA-only package, with the documentation each claim comes from.
 * Kept as data so the docs pages, hovers and `porta scan` all say the same thing, and a test can check it
 * against the rules' verdicts: `same-package` (a build of the package itself exists there) ⇔ verdict ok/degraded.
 */

export type OtherTarget = Exclude<Backend, 'cuda'>;
export const OTHER_TARGETS: readonly OtherTarget[] = ['rocm', 'npu', 'xpu', 'mps', 'cpu'];

export interface Alternative {
  /** same-package: the package itself has a build for the target; substitute: another API does the job; none: nothing found. */
  kind: 'same-package' | 'substitute' | 'none';
  /** What to use (or, for `none`, why there is nothing). */
  text: string;
  /** The pages this comes from; every URL was read in a documentation search, none is guessed. */
  sources: string[];
  /** False where the sources do not confirm every word of `text`; the docs and hovers then say "unverified". */
  verified: boolean;
}

export interface PackageAlternatives {
  /** The package as users install it. */
  package: string;
  /** The rule whose verdicts this entry must agree with (the import's rule). */
  rule: string;
  /** Requirement names of this package where REQ-005 reports them (`flash-attn==2.5.8` → flash-attn); none when it does not. */
  requirement?: RegExp;
  targets: Record<OtherTarget, Alternative>;
}

const SDPA_DOC = 'https://pytorch.org/docs/2.0/generated/torch.nn.functional.scaled_dot_product_attention.html';
const NPU_FUSION_ATTENTION_DOC = 'https://www.hiascend.com/document/detail/zh/canncommercial/700/modeldevpt/ptmigr/ptaoplist_000139.html';
const NPU_FUSION_ATTENTION_ADVICE = 'https://github.com/Ascend/pytorch/issues/25';
const SDPA = '`torch.nn.functional.scaled_dot_product_attention` (PyTorch\'s attention op: where a backend has no fused kernel, its docs say the PyTorch implementation is used)';
const BNB_BACKENDS = 'https://huggingface.co/docs/bitsandbytes/main/non_cuda_backends';
const APEX_OPTIMIZERS = 'https://nvidia.github.io/apex/optimizers.html';
const APEX_ELSEWHERE = '`torch.optim.Adam` / `AdamW` for FusedAdam (Apex documents FusedAdam as a drop-in replacement for them). For the other Apex modules, plain PyTorch (`torch.nn.LayerNorm`, `torch.amp`) is the usual replacement (unverified).';
const ORT_PROVIDERS = 'https://onnxruntime.ai/docs/execution-providers/';
const RECORD_FUNCTION_DOC = 'https://docs.pytorch.org/docs/stable/generated/torch.autograd.profiler.record_function.html';
const NVTX_ELSEWHERE = 'The `nvtx` package itself still runs but only NVIDIA\'s tools show its ranges; label ranges with `torch.autograd.profiler.record_function("name")`, which the PyTorch profiler records on every backend';

export const PACKAGE_ALTERNATIVES: readonly PackageAlternatives[] = [
  {
    package: 'flash-attn',
    rule: 'LIB-006',
    requirement: /^flash[-_]attn$/i,
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'flash-attn itself, built for ROCm: its AMD backend uses Composable Kernel by default or Triton (`USE_TRITON_ROCM`), on Instinct GPUs such as gfx90a/gfx942.',
        sources: ['https://deepwiki.com/Dao-AILab/flash-attention/3.4-amd-rocm-backend', 'https://github.com/Dao-AILab/flash-attention'],
        verified: true,
      },
      npu: {
        kind: 'substitute',
        text: '`torch_npu.npu_fusion_attention`, Ascend\'s fused attention op (the answer given to flash-attn users in Ascend\'s PyTorch repository), or ' + SDPA + '.',
        sources: [NPU_FUSION_ATTENTION_DOC, NPU_FUSION_ATTENTION_ADVICE, SDPA_DOC],
        verified: true,
      },
      xpu: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
      mps: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
      cpu: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
    },
  },
  {
    package: 'xformers',
    rule: 'LIB-007',
    requirement: /^xformers$/i,
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'xformers itself: ROCm wheels from the PyTorch ROCm index (e.g. `download.pytorch.org/whl/rocm6.4`) provide the Composable Kernel memory-efficient attention (`ckF`/`ckB`); the CUTLASS and FlashAttention-3 kernels are unavailable there.',
        sources: ['https://github.com/facebookresearch/xformers/issues/1365'],
        verified: true,
      },
      npu: { kind: 'substitute', text: '`torch_npu.npu_fusion_attention` or ' + SDPA + '.', sources: [NPU_FUSION_ATTENTION_DOC, SDPA_DOC], verified: true },
      xpu: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
      mps: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
      cpu: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
    },
  },
  {
    package: 'bitsandbytes',
    rule: 'LIB-008',
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'bitsandbytes itself: its AMD ROCm backend (multi-backend release, developed in the ROCm/bitsandbytes fork) is listed as fully functional.',
        sources: [BNB_BACKENDS, 'https://github.com/ROCm/bitsandbytes/pull/47'],
        verified: true,
      },
      npu: {
        kind: 'none',
        text: 'bitsandbytes\' backend list names no Ascend backend, and no Ascend replacement for its 8-bit/4-bit kernels was found in the vendor docs: quantise with another tool or run unquantised.',
        sources: [BNB_BACKENDS],
        verified: false,
      },
      xpu: {
        kind: 'same-package',
        text: 'bitsandbytes itself: its Intel XPU backend exists but, in its own docs, has limited functionality and is less mature.',
        sources: [BNB_BACKENDS],
        verified: true,
      },
      mps: {
        kind: 'none',
        text: 'No Apple Silicon backend: bitsandbytes\' docs only list it as planned and seek contributors. Load the model unquantised (or in fp16) on MPS.',
        sources: [BNB_BACKENDS],
        verified: true,
      },
      cpu: {
        kind: 'same-package',
        text: 'bitsandbytes itself: its Intel CPU backend is listed as fully functional.',
        sources: [BNB_BACKENDS],
        verified: true,
      },
    },
  },
  {
    package: 'apex',
    rule: 'LIB-005',
    requirement: /^apex$/i,
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'Apex itself, from AMD\'s ROCm fork (ROCm/apex), which ports the fused optimizers, layer norm and other extensions to HIP.',
        sources: ['https://github.com/ROCm/apex/pulls', 'https://github.com/NVIDIA/apex/pull/1979'],
        verified: true,
      },
      npu: {
        kind: 'substitute',
        text: '`torch_npu.optim.NpuFusedAdamW` (Ascend\'s fused AdamW, compatible with `torch.optim.AdamW`) for FusedAdam. For the other Apex modules, plain PyTorch (`torch.nn.LayerNorm`, `torch.amp`) is the usual replacement (unverified).',
        sources: ['https://www.hiascend.com/document/detail/zh/Pytorch/600/apiref/apilist/ptaoplist_000631.html', APEX_OPTIMIZERS],
        verified: true,
      },
      xpu: {
        kind: 'substitute',
        text: APEX_ELSEWHERE,
        sources: [APEX_OPTIMIZERS, 'https://docs.pytorch.org/docs/main/generated/torch.optim.functional.adamw.html'],
        verified: true,
      },
      mps: {
        kind: 'substitute',
        text: APEX_ELSEWHERE,
        sources: [APEX_OPTIMIZERS, 'https://docs.pytorch.org/docs/main/generated/torch.optim.functional.adamw.html'],
        verified: true,
      },
      cpu: {
        kind: 'substitute',
        text: APEX_ELSEWHERE,
        sources: [APEX_OPTIMIZERS, 'https://docs.pytorch.org/docs/main/generated/torch.optim.functional.adamw.html'],
        verified: true,
      },
    },
  },
  {
    package: 'tensorrt',
    rule: 'LIB-009',
    requirement: /^(?:tensorrt(?:-[a-z0-9-]+)?|torch[-_]tensorrt)$/i,
    targets: {
      rocm: {
        kind: 'substitute',
        text: 'Export to ONNX and run ONNX Runtime with the MIGraphX execution provider (AMD\'s graph optimiser for AMD GPUs).',
        sources: ['https://ONNXRuntime.ai/docs/execution-providers/MIGraphX-ExecutionProvider.html'],
        verified: true,
      },
      npu: {
        kind: 'substitute',
        text: 'Export to ONNX and run ONNX Runtime with the CANN execution provider (`onnxruntime-cann`, developed by Huawei).',
        sources: ['https://onnxruntime.ai/docs/execution-providers/community-maintained/CANN-ExecutionProvider.html'],
        verified: true,
      },
      xpu: {
        kind: 'substitute',
        text: 'Export to ONNX and run ONNX Runtime with the Intel OpenVINO execution provider.',
        sources: [ORT_PROVIDERS],
        verified: true,
      },
      mps: {
        kind: 'substitute',
        text: 'Export to ONNX and run ONNX Runtime with the CoreML execution provider (Apple Neural Engine and GPU on macOS).',
        sources: ['https://www.mintlify.com/microsoft/onnxruntime/api/python/providers'],
        verified: true,
      },
      cpu: {
        kind: 'substitute',
        text: 'Export to ONNX and run ONNX Runtime\'s default CPU execution provider.',
        sources: [ORT_PROVIDERS],
        verified: true,
      },
    },
  },
  {
    package: 'pynvml',
    rule: 'TOOL-002',
    requirement: /^(?:pynvml|nvidia-ml-py3?)$/i,
    targets: {
      rocm: {
        kind: 'substitute',
        text: 'AMD SMI\'s Python library `amdsmi` (`amdsmi_init()`, then queries per processor handle; needs the amdgpu driver loaded).',
        sources: ['https://rocm.docs.amd.com/projects/amdsmi/en/develop/how-to/amdsmi-py-lib.html'],
        verified: true,
      },
      npu: {
        kind: 'substitute',
        text: 'The `npu-smi info` command (`npu-smi info -t memory -i <id>` for memory); no Python binding was found in Ascend\'s docs.',
        sources: ['https://www.hiascend.com/document/detail/zh/Atlas%20200I%20A2/2520/re/npu/npusmi_007.html', 'https://www.hiascend.com/document/detail/zh/Atlas%20200I%20A2/2520/re/npu/npusmi_017.html'],
        verified: true,
      },
      xpu: {
        kind: 'substitute',
        text: '`torch.xpu.memory_allocated()` / `max_memory_allocated()` for the process, or the `xpu-smi` command (Intel XPU Manager) for the device.',
        sources: ['https://docs.pytorch.org/docs/stable/generated/torch.xpu.memory.memory_allocated.html', 'https://intel.github.io/xpumanager/2.0/xpu-smi/overview.html'],
        verified: true,
      },
      mps: {
        kind: 'substitute',
        text: '`torch.mps.current_allocated_memory()` (memory held by tensors) / `driver_allocated_memory()` (all Metal allocations) for this process\'s GPU memory.',
        sources: ['https://docs.pytorch.org/docs/2.8/generated/torch.mps.current_allocated_memory.html', 'https://docs.pytorch.org/docs/stable/generated/torch.mps.driver_allocated_memory.html'],
        verified: true,
      },
      cpu: {
        kind: 'none',
        text: 'There is no accelerator to query: skip the GPU statistics when no device is present.',
        sources: ['https://docs.pytorch.org/docs/stable/xpu.html'],
        verified: false,
      },
    },
  },
  {
    package: 'flashinfer',
    rule: 'LIB-014',
    requirement: /^flashinfer(?:-python|-cubin|-jit-cache)?$/i,
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'FlashInfer itself, from AMD\'s ROCm port (FlashInfer+ROCm, AMD-Ecosystem/flashinfer, formerly ROCm/flashinfer) on Instinct MI300X/MI325X/MI355X; AMD recommends its prebuilt `rocm/flashinfer` Docker images. Some features are not ported yet.',
        sources: ['https://rocm.docs.amd.com/projects/flashinfer/en/latest/install/flashinfer-install.html', 'https://github.com/AMD-Ecosystem/flashinfer', 'https://rocm.docs.amd.com/en/docs-7.0.0/compatibility/ml-compatibility/flashinfer-compatibility.html'],
        verified: true,
      },
      npu: { kind: 'substitute', text: '`torch_npu.npu_fusion_attention` or ' + SDPA + '; FlashInfer\'s sampling kernels have no Ascend counterpart that was found.', sources: [NPU_FUSION_ATTENTION_DOC, SDPA_DOC], verified: true },
      xpu: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
      mps: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
      cpu: { kind: 'substitute', text: SDPA + '.', sources: [SDPA_DOC], verified: true },
    },
  },
  {
    package: 'transformer-engine',
    rule: 'LIB-010',
    requirement: /^transformer[-_]engine$/i,
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'Transformer Engine itself, from AMD\'s ROCm fork (ROCm/TransformerEngine): FP8 on MI300-class GPUs (gfx94x/gfx95x only); GEMM and fused attention are partially supported.',
        sources: ['https://github.com/ROCm/TransformerEngine/issues/359', 'https://github.com/Micky774/TransformerEngine'],
        verified: true,
      },
      npu: { kind: 'substitute', text: 'Plain `torch.nn` layers (Linear, LayerNorm) under `torch.autocast`, without FP8.', sources: ['https://www.github.com/NVIDIA/TransformerEngine'], verified: false },
      xpu: { kind: 'substitute', text: 'Plain `torch.nn` layers (Linear, LayerNorm) under `torch.autocast`, without FP8.', sources: ['https://www.github.com/NVIDIA/TransformerEngine'], verified: false },
      mps: { kind: 'substitute', text: 'Plain `torch.nn` layers (Linear, LayerNorm) under `torch.autocast`, without FP8.', sources: ['https://www.github.com/NVIDIA/TransformerEngine'], verified: false },
      cpu: { kind: 'substitute', text: 'Plain `torch.nn` layers (Linear, LayerNorm) under `torch.autocast`, without FP8.', sources: ['https://www.github.com/NVIDIA/TransformerEngine'], verified: false },
    },
  },
  {
    package: 'cupy',
    rule: 'LIB-001',
    targets: {
      rocm: {
        kind: 'same-package',
        text: 'CuPy itself, built for ROCm: experimental `cupy-rocm-*` wheels (e.g. `cupy-rocm-5-0`) or a source build with `CUPY_INSTALL_USE_HIP=1`.',
        sources: ['https://pypi.org/project/cupy-rocm-5-0', 'https://github.com/cupy/cupy/blob/v8.6.0/docs/source/install_rocm.rst'],
        verified: true,
      },
      npu: { kind: 'substitute', text: 'torch tensors on the NPU (torch_npu), or NumPy on the host.', sources: ['https://libraries.io/pypi/cupy-cuda91/7.4.0'], verified: false },
      xpu: {
        kind: 'substitute',
        text: 'dpnp, Intel\'s Data Parallel Extension for NumPy: a drop-in subset of NumPy whose arrays live on the default SYCL device (the GPU when there is one).',
        sources: ['https://intelpython.github.io/dpnp/overview.html'],
        verified: true,
      },
      mps: { kind: 'substitute', text: 'torch tensors on the `mps` device, or NumPy on the host.', sources: ['https://libraries.io/pypi/cupy-cuda91/7.4.0'], verified: false },
      cpu: {
        kind: 'substitute',
        text: 'NumPy/SciPy: CuPy is a NumPy/SciPy-compatible array library, so the same code runs with `numpy` in place of `cupy`.',
        sources: ['https://libraries.io/pypi/cupy-cuda91/7.4.0'],
        verified: true,
      },
    },
  },
  {
    package: 'cuda-python',
    rule: 'LIB-004',
    requirement: /^cuda-(?:python|bindings|core)$/i,
    targets: {
      rocm: {
        kind: 'substitute',
        text: 'HIP Python (`hip-python`): bindings for the HIP runtime, HIPRTC and ROCm libraries, plus `hip-python-interop`, a CUDA Python interoperability layer that serves `cuda.bindings.*` names on AMD GPUs.',
        sources: ['https://rocm.docs.amd.com/projects/hip-python/en/latest', 'https://pypi.org/project/hip-python/10.0.0.0.1.2/'],
        verified: true,
      },
      npu: { kind: 'none', text: 'No binding of the Ascend runtime with CUDA Python\'s API was found; move the work to framework (torch_npu) ops.', sources: ['https://rocm.docs.amd.com/projects/hip-python/en/latest'], verified: false },
      xpu: { kind: 'none', text: 'No binding of the Level Zero / SYCL runtime with CUDA Python\'s API was found; move the work to framework (torch.xpu) ops.', sources: ['https://docs.pytorch.org/docs/stable/xpu.html'], verified: false },
      mps: { kind: 'none', text: 'No Metal binding with CUDA Python\'s API was found; move the work to framework ops on the `mps` device.', sources: ['https://pytorch.org/docs/2.0/mps.html'], verified: false },
      cpu: { kind: 'none', text: 'There is no device runtime to bind on the CPU: the code path must not need one.', sources: ['https://rocm.docs.amd.com/projects/hip-python/en/latest'], verified: false },
    },
  },
  {
    package: 'nvidia-dali',
    rule: 'LIB-011',
    requirement: /^nvidia-dali(?:-cuda\d+)?$/i,
    targets: {
      rocm: { kind: 'substitute', text: 'The framework\'s own data loading on the CPU (torchvision / `torch.utils.data`), the pipelines DALI was built to offload, feeding the device.', sources: ['https://raw.githubusercontent.com/NVIDIA/DALI/main/README.rst'], verified: true },
      npu: { kind: 'substitute', text: 'The framework\'s own data loading on the CPU (torchvision / `torch.utils.data`), the pipelines DALI was built to offload, feeding the device.', sources: ['https://raw.githubusercontent.com/NVIDIA/DALI/main/README.rst'], verified: true },
      xpu: { kind: 'substitute', text: 'The framework\'s own data loading on the CPU (torchvision / `torch.utils.data`), the pipelines DALI was built to offload, feeding the device.', sources: ['https://raw.githubusercontent.com/NVIDIA/DALI/main/README.rst'], verified: true },
      mps: { kind: 'substitute', text: 'The framework\'s own data loading on the CPU (torchvision / `torch.utils.data`), the pipelines DALI was built to offload, feeding the device.', sources: ['https://raw.githubusercontent.com/NVIDIA/DALI/main/README.rst'], verified: true },
      cpu: {
        kind: 'same-package',
        text: 'DALI itself with CPU-only pipelines, which run without a GPU since DALI\'s "run DALI without GPU" change (before it, DALI assumed a GPU even for CPU processing); slower than its GPU pipelines.',
        sources: ['https://github.com/NVIDIA/DALI/pull/2165/commits', 'https://github.com/NVIDIA/DALI/issues/504'],
        verified: true,
      },
    },
  },
  {
    package: 'nvtx',
    rule: 'LIB-015',
    requirement: /^nvtx$/i,
    targets: {
      rocm: { kind: 'same-package', text: NVTX_ELSEWHERE + ' (rocprofiler has its own range labels)', sources: [RECORD_FUNCTION_DOC, 'https://rocm.docs.amd.com/projects/rocprofiler/en/docs-6.0.0/doxygen/docBin/html/group__session__range__group.html'], verified: false },
      npu: { kind: 'same-package', text: NVTX_ELSEWHERE, sources: [RECORD_FUNCTION_DOC], verified: false },
      xpu: { kind: 'same-package', text: NVTX_ELSEWHERE, sources: [RECORD_FUNCTION_DOC], verified: false },
      mps: { kind: 'same-package', text: NVTX_ELSEWHERE, sources: [RECORD_FUNCTION_DOC], verified: false },
      cpu: { kind: 'same-package', text: NVTX_ELSEWHERE, sources: [RECORD_FUNCTION_DOC], verified: false },
    },
  },
];

const BY_RULE = new Map(PACKAGE_ALTERNATIVES.map((p) => [p.rule, p]));

/** The catalogue entry a finding is about: by its rule, or for a requirement (REQ-005) by the package it names. */
export function packageAlternativesFor(ruleId: string, requirementName?: string): PackageAlternatives | undefined {
  if (ruleId === 'REQ-005') return requirementName ? PACKAGE_ALTERNATIVES.find((p) => p.requirement?.test(requirementName)) : undefined;
  return BY_RULE.get(ruleId);
}

/** The name a REQ-005 message quotes: "CUDA-only library dependency: `flash-attn==2.5.8`" → flash-attn. */
export function requirementNameInMessage(message: string): string | undefined {
  const quoted = /`([^`]+)`/.exec(message)?.[1];
  return quoted ? /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(quoted)?.[0] : undefined;
}

/** The catalogue entry of a finding, from its rule and (for REQ-005) the requirement its message quotes. */
export function packageOfFinding(ruleId: string, message: string): PackageAlternatives | undefined {
  return packageAlternativesFor(ruleId, ruleId === 'REQ-005' ? requirementNameInMessage(message) : undefined);
}

/** One line per target of interest: "rocm: flash-attn itself, built for ROCm ... (unverified)". */
export function alternativeLines(ruleId: string, message: string, targets: readonly Backend[]): string[] {
  const entry = packageOfFinding(ruleId, message);
  if (!entry) return [];
  const lines: string[] = [];
  for (const target of targets) {
    if (target === 'cuda') continue;
    const alt = entry.targets[target];
    lines.push(`${target}: ${alt.kind === 'none' ? 'no alternative: ' : ''}${alt.text}${alt.verified ? '' : ' (unverified)'}`);
  }
  return lines;
}
