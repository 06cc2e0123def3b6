import { defineRules, type ApiPattern, type ModulePattern } from './types';

/** LIB: CUDA-only or CUDA-first Python libraries. The import is the finding. */
export const rules = defineRules('LIB', [
  {
    id: 'LIB-001', title: 'CuPy', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'CuPy arrays live on CUDA devices; ROCm builds of CuPy exist but are experimental, and there is nothing for Ascend, Intel, MPS or CPU.',
    portable: 'NumPy/torch tensors on the chosen device, or dpnp (Intel) / CuPy-ROCm where available.',
    example: 'import cupy as cp',
  },
  {
    id: 'LIB-002', title: 'Numba CUDA kernels', severity: 'error', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: '`numba.cuda` (`@cuda.jit`, `cuda.grid`) compiles for NVIDIA only; Numba\'s ROCm target is unmaintained.',
    portable: 'Triton kernels (CUDA, ROCm, XPU) or vectorised torch code; numba @njit for CPU.',
    example: 'from numba import cuda\n@cuda.jit\ndef k(a): ...',
  },
  {
    id: 'LIB-003', title: 'PyCUDA', severity: 'error', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: 'PyCUDA wraps the CUDA driver API directly.', portable: 'Framework ops, Triton, or a HIP port via hip-python on ROCm.',
    example: 'import pycuda.autoinit',
  },
  {
    id: 'LIB-004', title: 'cuda-python bindings', severity: 'error', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: 'NVIDIA\'s `cuda-python` (cuda.bindings, cuda.core) exposes the CUDA driver/runtime only.', portable: 'hip-python on ROCm; framework APIs elsewhere.',
    example: 'from cuda import cudart',
  },
  {
    id: 'LIB-005', title: 'NVIDIA Apex', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'Apex (amp, FusedAdam, FusedLayerNorm, DDP) builds CUDA kernels. A ROCm fork exists; Ascend cannot migrate FusedAdam; nothing for XPU/MPS/CPU.',
    portable: '`torch.amp`, `torch.optim.AdamW(fused=True)` (CUDA/XPU/MPS), `torch.nn.LayerNorm`, `DistributedDataParallel`.',
    example: 'from apex import amp\nfrom apex.optimizers import FusedAdam',
  },
  {
    id: 'LIB-006', title: 'FlashAttention (`flash_attn`)', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'flash_attn ships CUDA kernels (a ROCm/CK port exists). No build for Ascend, Intel, MPS or CPU.',
    portable: '`torch.nn.functional.scaled_dot_product_attention` (dispatches to fused kernels per backend); NPU fused attention on Ascend.',
    example: 'from flash_attn import flash_attn_func',
  },
  {
    id: 'LIB-007', title: 'xFormers', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'xformers\' memory-efficient attention is CUDA-first (partial ROCm support).', portable: '`torch.nn.functional.scaled_dot_product_attention`.',
    example: 'import xformers.ops as xops',
  },
  {
    id: 'LIB-008', title: 'bitsandbytes', severity: 'warning', verdicts: 'ok degraded breaks degraded breaks degraded',
    rationale: 'bitsandbytes quantisation kernels were CUDA-only; the multi-backend releases cover ROCm, Intel and CPU partially, not Ascend or MPS.',
    portable: 'torchao quantisation, or backend-specific quantisers; check the installed bitsandbytes backend.',
    example: 'import bitsandbytes as bnb',
  },
  {
    id: 'LIB-009', title: 'TensorRT', severity: 'error', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: 'TensorRT (and torch_tensorrt) run only on NVIDIA GPUs.', portable: 'Export to ONNX and pick the ONNX Runtime provider per target (MIGraphX, CANN, OpenVINO, CoreML, CPU).',
    example: 'import tensorrt as trt',
  },
  {
    id: 'LIB-010', title: 'Transformer Engine', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'NVIDIA Transformer Engine (FP8) targets Hopper/Ada; a ROCm fork exists, nothing else.', portable: 'Standard torch.nn layers with autocast; FP8 via torchao where supported.',
    example: 'import transformer_engine.pytorch as te',
  },
  {
    id: 'LIB-011', title: 'NVIDIA DALI', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks degraded',
    rationale: 'DALI\'s GPU pipelines need NVIDIA GPUs; its CPU-only pipelines are slower.', portable: 'torchvision / torchdata pipelines on the CPU feeding the device.',
    example: 'from nvidia.dali import pipeline_def',
  },
  {
    id: 'LIB-012', title: 'Triton kernels', severity: 'info', verdicts: 'ok ok breaks ok breaks breaks',
    rationale: 'Triton compiles for NVIDIA, AMD and Intel GPUs; not for Ascend (without triton-ascend), MPS or CPU.', portable: 'Keep a pure PyTorch fallback for backends without Triton.',
    example: 'import triton\nimport triton.language as tl',
  },
  {
    id: 'LIB-013', title: '`torch.compile` with a CUDA-only backend', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'Plain `torch.compile` is portable (Inductor generates Triton or C++ for each device and skips CUDA graphs off CUDA), so it is not reported. `backend="tensorrt"` (Torch-TensorRT) needs an NVIDIA GPU; `backend="cudagraphs"` and `options={"triton.cudagraphs": True}` capture CUDA graphs, which only ROCm (HIP graphs) also has.',
    portable: 'The default Inductor backend (`torch.compile(model)`, optionally `mode="max-autotune"`), or choose the backend per device type.',
    example: 'model = torch.compile(model, backend="tensorrt")',
  },
  {
    id: 'LIB-014', title: 'FlashInfer', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'FlashInfer\'s attention and sampling kernels are built for CUDA only (its installation guide, docs.flashinfer.ai/installation.html, lists CUDA versions as the prerequisite). AMD maintains a separate ROCm port for Instinct MI300-class GPUs (rocm.docs.amd.com/projects/flashinfer); there is nothing for Ascend, Intel, MPS or CPU.',
    portable: '`torch.nn.functional.scaled_dot_product_attention` or FlexAttention in portable code; the AMD port of FlashInfer on ROCm Instinct GPUs; NPU fused attention on Ascend.',
    example: 'import flashinfer\nflashinfer.single_decode_with_kv_cache(q, k, v)',
  },
  {
    id: 'LIB-015', title: 'NVTX annotations (`nvtx`)', severity: 'info', verdicts: 'ok degraded degraded degraded degraded degraded',
    rationale: 'The `nvtx` package marks ranges for NVIDIA Nsight tools (nvidia.github.io/NVTX/python); other vendors\' profilers (rocprof, Intel VTune, Ascend msprof, Instruments) do not show them, so the annotations are lost there.',
    portable: '`torch.profiler.record_function("name")`, which every PyTorch backend\'s profiler records (the digest\'s portable form for `torch.cuda.nvtx`).',
    example: 'import nvtx\n@nvtx.annotate("forward", color="green")\ndef forward(x): ...',
  },
  {
    id: 'LIB-016', title: 'CUTLASS Python (CuTe DSL, `cutlass`)', severity: 'error', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: 'CUTLASS and its CuTe DSL (`nvidia-cutlass-dsl`, imported as `cutlass`) generate kernels for NVIDIA Tensor Cores and need an NVIDIA GPU and the CUDA toolkit (docs.nvidia.com/cutlass; pypi.org/project/nvidia-cutlass-dsl).',
    portable: 'Triton kernels (CUDA, ROCm, XPU) or composable_kernel on ROCm, with a `torch.matmul` / pure PyTorch fallback for other backends.',
    example: 'import cutlass\nimport cutlass.cute as cute',
  },
  {
    id: 'LIB-017', title: 'PyNvVideoCodec (NVIDIA hardware video codec)', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks breaks',
    rationale: 'PyNvVideoCodec wraps the NVIDIA Video Codec SDK for encode and decode on NVIDIA GPUs (developer.nvidia.com/pynvvideocodec); it has no other backend.',
    portable: 'Decode on the CPU with torchvision.io / torchcodec / PyAV and move frames to the chosen device; on AMD, rocDecode.',
    example: 'import PyNvVideoCodec as nvc\ndecoder = nvc.SimpleDecoder("clip.mp4")',
  },
]);

export const modules: ModulePattern[] = [
  { module: 'cupy', rule: 'LIB-001' },
  { module: 'cupyx', rule: 'LIB-001' },
  { module: 'numba.cuda', rule: 'LIB-002' },
  { module: 'pycuda', rule: 'LIB-003' },
  { module: 'cuda', rule: 'LIB-004' },
  { module: 'apex', rule: 'LIB-005' },
  { module: 'flash_attn', rule: 'LIB-006' },
  { module: 'flash_attn_interface', rule: 'LIB-006' },
  { module: 'xformers', rule: 'LIB-007' },
  { module: 'bitsandbytes', rule: 'LIB-008' },
  { module: 'tensorrt', rule: 'LIB-009' },
  { module: 'torch_tensorrt', rule: 'LIB-009' },
  { module: 'transformer_engine', rule: 'LIB-010' },
  { module: 'nvidia.dali', rule: 'LIB-011' },
  { module: 'triton', rule: 'LIB-012' },
  { module: 'flashinfer', rule: 'LIB-014' },
  { module: 'nvtx', rule: 'LIB-015' },
  { module: 'cutlass', rule: 'LIB-016' },
  { module: 'cutlass_cppgen', rule: 'LIB-016' },
  { module: 'PyNvVideoCodec', rule: 'LIB-017' },
];

export const apis: ApiPattern[] = [
  { name: 'torch.compile', rule: 'LIB-013' },
  { name: 'numba.cuda.*', rule: 'LIB-002' },
];
