import { defineRules, type ApiPattern, type ModulePattern } from './types';

/** TOOL: NVIDIA management tools; EXT: CUDA C++ extensions. */
export const toolRules = defineRules('TOOL', [
  {
    id: 'TOOL-001',
    title: '`nvidia-smi` invocation',
    rationale: 'nvidia-smi exists only where the NVIDIA driver is installed; scripts that parse its output fail on every other machine.',
    portable: 'rocm-smi / amd-smi (ROCm), npu-smi (Ascend), xpu-smi (Intel), or query PyTorch (`torch.accelerator.device_count()`).',
    example: 'subprocess.run(["nvidia-smi", "--query-gpu=memory.used", "--format=csv"])\n!nvidia-smi',
    severity: 'warning',
    verdicts: 'ok breaks breaks breaks breaks breaks',
  },
  {
    id: 'TOOL-002',
    title: 'NVML (`pynvml`)',
    rationale: 'pynvml talks to the NVIDIA driver; it raises NVMLError_LibraryNotFound elsewhere.',
    portable: 'amdsmi (ROCm), torch.*.memory APIs, or guard the import.',
    example: 'import pynvml\npynvml.nvmlInit()',
    severity: 'warning',
    verdicts: 'ok breaks breaks breaks breaks breaks',
  },
  {
    id: 'TOOL-003',
    title: 'CUDA library loaded by name (`ctypes.CDLL("libcudart.so")`)',
    rationale: 'Loading libcudart, libcuda, libnvidia-ml, libcublas, libnccl or another NVIDIA library by its file name binds the program to the NVIDIA driver stack: the load raises OSError wherever that library is not installed, ROCm included (its libraries are named libamdhip64, librocm_smi64, librccl).',
    portable: 'Call the framework instead (`torch.cuda.set_device` / `torch.accelerator`, torch memory APIs), or load the target\'s library: libamdhip64.so (ROCm), amdsmi / rocm_smi for NVML.',
    example: 'import ctypes\ncudart = ctypes.CDLL("libcudart.so")\ncudart.cudaSetDevice(0)',
    severity: 'warning',
    verdicts: 'ok breaks breaks breaks breaks breaks',
  },
]);

export const extRules = defineRules('EXT', [
  {
    id: 'EXT-001',
    title: '`CUDAExtension` builds CUDA C++',
    rationale: 'ROCm builds hipify CUDAExtension sources automatically, but Ascend (AscendC), Intel (SyclExtension) and MPS/CPU cannot build .cu sources.',
    portable: 'Provide a CppExtension fallback, SyclExtension for XPU, or a pure PyTorch path selected at install time.',
    example: 'from torch.utils.cpp_extension import CUDAExtension\next_modules=[CUDAExtension("ops", ["ops.cu"])]',
    severity: 'warning',
    verdicts: 'ok ok breaks breaks breaks breaks',
  },
  {
    id: 'EXT-002',
    title: 'nvcc flags and CUDA build macros in a build script',
    rationale: 'An `extra_compile_args={"nvcc": [...]}` entry and flags such as `-gencode arch=compute_80,code=sm_80`, `--use_fast_math`, `--expt-relaxed-constexpr` or `-D__CUDA_NO_HALF_OPERATORS__` configure NVIDIA\'s compiler, and `-DWITH_CUDA` switches the C++ sources onto their CUDA path. On ROCm PyTorch hands the `nvcc` entry to hipcc, which rejects or ignores the NVIDIA-only flags (architectures are chosen with PYTORCH_ROCM_ARCH / --offload-arch); Ascend, Intel and MPS/CPU builds have no CUDA compiler for them at all.',
    portable: 'Keep nvcc flags behind a CUDA-only branch (`if torch.version.cuda:`), pass `--offload-arch` / PYTORCH_ROCM_ARCH for ROCm, and leave architecture selection to TORCH_CUDA_ARCH_LIST instead of hard-coded -gencode flags.',
    example: 'CUDAExtension("ops", ["ops.cu"], extra_compile_args={"cxx": ["-O3"], "nvcc": ["-O3", "--use_fast_math"]})\ncc_flag += ["-gencode", "arch=compute_80,code=sm_80"]',
    severity: 'info',
    verdicts: 'ok degraded degraded degraded degraded degraded',
  },
]);

export const rules = [...toolRules, ...extRules];

export const modules: ModulePattern[] = [
  { module: 'pynvml', rule: 'TOOL-002' },
  { module: 'nvidia_smi', rule: 'TOOL-002' },
  // gpustat reads every figure it prints through NVML.
  { module: 'gpustat', rule: 'TOOL-002' },
];

export const apis: ApiPattern[] = [
  { name: 'torch.utils.cpp_extension.CUDAExtension', rule: 'EXT-001' },
  // The CUDA toolkit PyTorch found (None on ROCm builds and machines without one): builds that read it expect nvcc there.
  { name: 'torch.utils.cpp_extension.CUDA_HOME', rule: 'ENV-008' },
];
