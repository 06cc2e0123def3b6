import * as assert from 'node:assert/strict';
import { analyzer } from './helpers';

/**
 * Misses found by the held-out (blind) labels of the real-world tier (test/fixtures/realworld-labels/blind.json):
 * each case is a general form of what the corpus holds, written here, not copied from it.
 */
describe('recall on forms the blind labels found missing', () => {
  const found = async (path: string, text: string) => (await analyzer()).analyze(path, text).findings.map((f) => `${f.range.start.line} ${f.rule}`);

  it('a launcher that tells the program --device cuda (any spelling of the value); another device is portable', async () => {
    const text = [
      'python main.py --model hf --tasks arc --device cuda --num_fewshot 25',
      'python main.py --device=cuda:1',
      'python eval.py --device "cuda"',
      'torchrun train.py --device_type cuda',
      'python main.py --device cpu',
      'python main.py --device mps --cuda-graphs 0',
      'echo --device cuda',
      '',
    ].join('\n');
    assert.deepEqual(await found('run_eval.sh', text), ['1 PT-DEV-002', '2 PT-DEV-002', '3 PT-DEV-002', '4 PT-DEV-002', '7 PT-DEV-002']);
    const result = (await analyzer()).analyze('run_eval.sh', text);
    assert.ok(result.findings.every((f) => !f.fix), 'a shell finding gets no Python rewrite');
  });

  it("the CUDA toolkit found through torch's cpp_extension.CUDA_HOME, and nvcc run from Python", async () => {
    const text = [
      'import os, subprocess',
      'from torch.utils import cpp_extension',
      'home = cpp_extension.CUDA_HOME',
      'out = subprocess.check_output([home + "/bin/nvcc", "-V"], universal_newlines=True)',
      'subprocess.run("nvcc --version", shell=True)',
      'subprocess.run(["nvcc", "-c", "k.cu"])',
      'nvcc_path = os.path.join(home, "bin/nvcc")',
      'if compiler == "nvcc":',
      '    pass',
      'from torch.utils.cpp_extension import CUDA_HOME',
      'if CUDA_HOME is not None and os.path.isdir(CUDA_HOME):',
      '    build(CUDA_HOME)',
      'if not CUDA_HOME:',
      '    pass',
      '',
    ].join('\n');
    // Testing whether PyTorch found a toolkit is the portable check; using the path is the finding.
    assert.deepEqual(await found('build.py', text), ['3 ENV-008', '4 SH-002', '5 SH-002', '6 SH-002', '11 ENV-008', '12 ENV-008']);
  });

  it('CUDA libraries loaded by name through ctypes; other libraries are portable', async () => {
    const text = [
      'import ctypes',
      'from ctypes import CDLL',
      'rt = ctypes.CDLL("libcudart.so")',
      'nvml = ctypes.cdll.LoadLibrary("libnvidia-ml.so.1")',
      "drv = CDLL('libcuda.so.1')",
      'libc = ctypes.CDLL("libc.so.6")',
      'rt.cudaSetDevice(ctypes.c_int(0))',
      '',
    ].join('\n');
    assert.deepEqual(await found('load.py', text), ['3 TOOL-003', '4 TOOL-003', '5 TOOL-003']);
  });

  it('the NVIDIA stack installed with apt/yum or from its repository: shell, Dockerfile, notebook and a command in a Python string', async () => {
    const shell = [
      'apt-get update && apt-get install -y --allow-change-held-packages libcudnn8 libcudnn8-dev',
      'apt-get install -y openmpi-bin libgl1 \\',
      '    cuda-toolkit-12-4',
      'wget https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/cuda-ubuntu2204.pin',
      'yum install -y git cmake',
      'echo cuda-toolkit-12-4',
      '',
    ].join('\n');
    assert.deepEqual(await found('setup_machine.sh', shell), ['1 SH-003', '1 SH-003', '3 SH-003', '4 SH-003']);
    const docker = ['FROM ubuntu:22.04', 'RUN apt-get update && apt-get install -y \\', '    libnccl2 libnccl-dev \\', '    git', 'RUN apt-get install -y libgl1', ''].join('\n');
    assert.deepEqual(await found('Dockerfile', docker), ['3 SH-003', '3 SH-003']);
    const python = [
      'import modal',
      'image = modal.Image.debian_slim().run_commands(',
      '    "apt-get install -y libcudnn8 libcudnn8-dev",',
      '    "apt-get install -y openmpi-bin",',
      '    "wget https://developer.download.nvidia.com/compute/cuda/repos/ubuntu2204/x86_64/cuda-ubuntu2204.pin && \\',
      '    mv cuda-ubuntu2204.pin /etc/apt/preferences.d/cuda-repository-pin-600",',
      ')',
      'PACKAGES = "apt-get install cuda"',
      'print("see https://docs.nvidia.com/cuda/ for the cuda packages")',
      '',
    ].join('\n');
    assert.deepEqual(await found('image.py', python), ['3 SH-003', '5 SH-003', '8 SH-003']);
  });

  it('gpustat (an NVML front end) as a dependency and as an import', async () => {
    assert.deepEqual(await found('requirements.txt', 'scipy\ngpustat>=1.0\n'), ['2 REQ-005']);
    assert.deepEqual(await found('monitor.py', 'import gpustat\nstats = gpustat.new_query()\n'), ['1 TOOL-002']);
  });

  it("PyTorch's CUDA headers by folder (ATen/cuda, c10/cuda, THC), not only those listed one by one", async () => {
    const source = ['#include <ATen/ATen.h>', '#include <THC/THCAtomics.cuh>', '#include <ATen/cuda/CUDAEvent.h>', '#include <c10/cuda/CUDAFunctions.h>', '#include "my_cuda_helper.hpp"', ''].join('\n');
    assert.deepEqual(await found('helper.hpp', source), ['2 CU-HDR-001', '3 CU-HDR-001', '4 CU-HDR-001']);
    const musa = ['#include <ATen/ATen.h>', '#include <THC/THCAtomics.muh>', '#include "torch_musa/csrc/aten/musa/MUSAContext.h"', ''].join('\n');
    assert.deepEqual(await found('musa_helper.hpp', musa), [], "MUSA's port of the THC headers (.muh) is not CUDA");
  });
});
