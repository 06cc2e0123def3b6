import { defineRules } from './types';

/** REQ: dependency declarations; DOCKER: container images; SH: shell launchers. */
export const reqRules = defineRules('REQ', [
  {
    id: 'REQ-001', title: 'CUDA build of a wheel pinned (`+cu121`)', severity: 'error', verdicts: 'ok breaks breaks breaks breaks degraded', fixable: true,
    rationale: 'A local version like `torch==2.3.1+cu121` only exists on the CUDA wheel index; ROCm (`+rocm6.1`), XPU and macOS need other builds.',
    portable: 'Pin the plain version (`torch==2.3.1`) and select the index per target at install time.',
    example: 'torch==2.1.0+cu121',
  },
  {
    id: 'REQ-002', title: 'CUDA wheel index URL', severity: 'error', verdicts: 'ok breaks breaks breaks breaks degraded', fixable: true,
    rationale: '`--extra-index-url https://download.pytorch.org/whl/cu121` installs CUDA wheels everywhere.',
    portable: 'Pass the index per target (whl/rocm6.1, whl/xpu, whl/cpu) from the install script instead of the requirements file.',
    example: '--extra-index-url https://download.pytorch.org/whl/cu121',
  },
  {
    id: 'REQ-003', title: 'NVIDIA runtime wheels (`nvidia-*-cu12`)', severity: 'warning', verdicts: 'ok degraded degraded degraded breaks degraded',
    rationale: 'nvidia-cudnn-cu12, nvidia-nccl-cu12... are CUDA libraries: useless weight on other targets, and not installable on macOS.',
    portable: 'Let the framework wheel bring its own runtime; drop explicit nvidia-* pins.',
    example: 'nvidia-cudnn-cu12==8.9.2.26',
  },
  {
    id: 'REQ-004', title: 'CUDA variant of a package', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks degraded', fixable: true,
    rationale: 'cupy-cuda12x, onnxruntime-gpu, jax[cuda12], tensorflow[and-cuda], paddlepaddle-gpu and any `[cu12]` / `[cuda12]` extra install NVIDIA builds.',
    portable: 'Choose the variant per target: onnxruntime (CPU) / onnxruntime-rocm / onnxruntime-openvino / onnxruntime-cann; jax[rocm]; cupy-rocm.',
    example: 'onnxruntime-gpu==1.18.0\njax[cuda12]',
  },
  {
    id: 'REQ-005', title: 'CUDA-only library dependency', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'flash-attn, xformers, flashinfer, apex, pycuda, tensorrt, nvidia-dali, transformer-engine, pynvml (and gpustat, which reads NVML), nvtx, nvidia-cutlass-dsl, PyNvVideoCodec, nvidia-cudnn-frontend, nvidia-modelopt, nvmath-python, cuquantum and cuda-python build or load CUDA code.',
    portable: 'Make the dependency optional (an extra) and keep a portable code path. Per package: flash-attn / xformers / flashinfer → `F.scaled_dot_product_attention` (the AMD ports of flash-attn and FlashInfer on ROCm); apex → `torch.amp` and fused `torch.optim`; tensorrt → ONNX Runtime with the target\'s provider; pynvml / gpustat → amdsmi (ROCm) or torch memory APIs; nvtx → `torch.profiler.record_function`; CUTLASS → Triton; PyNvVideoCodec → torchvision / torchcodec on the CPU, rocDecode on AMD. The LIB-* pages give each one\'s sources.',
    example: 'flash-attn==2.5.8',
  },
]);

export const dockerRules = defineRules('DOCKER', [
  {
    id: 'DOCKER-001', title: 'NVIDIA CUDA base image', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks degraded',
    rationale: '`FROM nvidia/cuda` / `nvcr.io/nvidia/pytorch` images carry the CUDA runtime; AMD needs rocm/pytorch, Ascend ascendhub images, Intel intel/intel-extension-for-pytorch.',
    portable: 'Parameterise the base image: `ARG BASE=...` + `FROM ${BASE}` with one value per target.',
    example: 'FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04',
  },
]);

export const shRules = defineRules('SH', [
  {
    id: 'SH-001', title: 'NVIDIA container GPU flags', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks degraded',
    rationale: '`docker run --gpus all` / `--runtime=nvidia` need the NVIDIA container toolkit.',
    portable: 'ROCm: `--device=/dev/kfd --device=/dev/dri`; Ascend: `--device=/dev/davinci0 ...`; Intel: `--device=/dev/dri`.',
    example: 'docker run --gpus all image python train.py',
  },
  {
    id: 'SH-002', title: '`nvcc` in a build script', severity: 'warning', verdicts: 'ok degraded breaks breaks breaks breaks',
    rationale: 'nvcc compiles CUDA for NVIDIA; ROCm uses hipcc (after hipify), others cannot build .cu files.',
    portable: 'hipcc on ROCm; a portable build through torch.utils.cpp_extension or CMake with the target\'s language.',
    example: 'nvcc -O3 -arch=sm_80 kernel.cu -o kernel',
  },
  {
    id: 'SH-003', title: 'NVIDIA CUDA system packages or package repository', severity: 'warning', verdicts: 'ok breaks breaks breaks breaks degraded',
    rationale: 'apt/yum packages such as libcudnn8, libnccl2, cuda-toolkit-12-4, tensorrt or nvidia-driver-*, and NVIDIA\'s CUDA repositories (developer.download.nvidia.com/compute/cuda/repos), install the NVIDIA stack: an image or machine set up this way builds and runs CUDA code, which ROCm, Ascend and Intel machines cannot use, and the CPU carries it for nothing.',
    portable: 'Install per target: ROCm packages (rocm-dev, miopen-hip, rccl) from repo.radeon.com, the CANN toolkit for Ascend, Intel\'s oneAPI / intel-extension-for-pytorch for XPU, or a base image that already holds the target\'s stack.',
    example: 'apt-get install -y libcudnn8 libcudnn8-dev\nwget https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/cuda-keyring_1.1-1_all.deb',
  },
]);

export const rules = [...reqRules, ...dockerRules, ...shRules];
