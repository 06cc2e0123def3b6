import * as assert from 'node:assert/strict';
import { check } from './guardedCheck';

/**
 * Guards seen in build scripts and device pickers (issue 14, held-out labels): a CUDA test or-ed with a CUDA-build switch
 * from the environment or a ROCm test, and the CUDA arm of a chain of early returns over vendors.
 */
describe('guarded verdict: build switches and per-vendor chains of early returns', () => {
  it('a CUDA test or-ed with FORCE_CUDA-style environment switches or a ROCm test; the switch alone', async () => {
    await check([
      'import os',
      'import torch',
      'from torch.utils.cpp_extension import CUDAExtension',
      'define_macros = []',
      'extra_compile_args = {"cxx": []}',
      'if torch.cuda.is_available() or os.getenv("FORCE_CUDA", "0") == "1":',
      '    define_macros += [("WITH_CUDA", None)]  # guarded',
      '    extra_compile_args["nvcc"] = ["-D__CUDA_NO_HALF_OPERATORS__"]  # guarded',
      'is_rocm_pytorch = torch.version.hip is not None',
      'if is_rocm_pytorch or torch.cuda.is_available() or os.environ.get("WITH_CUDA") == "ON":',
      '    extension = CUDAExtension  # guarded',
      'if os.environ["FORCE_CUDA"] == "1":',
      '    torch.cuda.synchronize()  # guarded',
      'if os.getenv("FORCE_CUDA"):',
      '    torch.cuda.synchronize()  # guarded',
      'if os.getenv("FORCE_CUDA", "0") == "0":',
      '    torch.cuda.synchronize()  # open',
      'if os.getenv("FORCE_CUDA", "0"):',
      '    torch.cuda.synchronize()  # open',
      'if is_rocm_pytorch or os.getenv("USE_NINJA") == "1":',
      '    torch.cuda.synchronize()  # open',
      'if is_rocm_pytorch:',
      '    torch.cuda.synchronize()  # open',
      'if FLAG or torch.cuda.is_available():',
      '    torch.cuda.synchronize()  # open',
      '',
    ].join('\n'), 'setup.py');
  });

  it('the CUDA arm of a per-vendor if/elif build chain whose CUDA test is or-ed with ROCm and FORCE_CUDA', async () => {
    const findings = await check([
      'import os',
      'import torch',
      'from torch.utils.cpp_extension import CUDAExtension',
      'define_macros = []',
      'is_rocm_pytorch = False',
      'if os.getenv("WITH_DIOPI", "0") == "1":',
      '    pass',
      'elif is_rocm_pytorch or torch.cuda.is_available() or os.getenv("FORCE_CUDA", "0") == "1":',
      '    define_macros += [("WITH_CUDA", None)]  # guarded',
      '    extension = CUDAExtension  # guarded',
      'elif torch.is_mlu_available() or os.getenv("FORCE_MLU", "0") == "1":',
      '    pass',
      '',
    ].join('\n'), 'setup.py');
    assert.match(findings.find((f) => f.range.start.line === 10)!.guard!.reason, /^in the CUDA arm of a per-vendor chain, `elif is_rocm_pytorch or/);
  });

  it('the CUDA arm of a chain of `if <vendor available>: return` statements, device choices included', async () => {
    const findings = await check([
      'import torch',
      'def select_accelerator():',
      '    if XLAAccelerator.is_available():',
      '        return "tpu"',
      '    if MPSAccelerator.is_available():',
      '        return "mps"',
      '    if CUDAAccelerator.is_available():',
      '        return "cuda"  # guarded',
      '    return "cpu"',
      'def pick():',
      '    if torch.cuda.is_available():',
      '        return "cuda"  # open',
      '    return "cpu"',
      'def pick_after_setup():',
      '    if XLAAccelerator.is_available():',
      '        setup_xla()',
      '    if CUDAAccelerator.is_available():',
      '        return "cuda"  # open',
      '    return "cpu"',
      'def sync():',
      '    if CudaPlatform.is_available():',
      '        torch.cuda.synchronize()  # guarded',
      '',
    ].join('\n'));
    assert.equal(findings.find((f) => f.range.start.line === 8)!.guard!.reason, 'in the CUDA arm of a per-vendor chain, `if CUDAAccelerator.is_available():` (line 7)');
  });
});
