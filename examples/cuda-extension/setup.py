"""Builds the `fused_ops` extension with nvcc (CUDA only)."""
from setuptools import setup
from torch.utils.cpp_extension import BuildExtension, CUDAExtension

setup(
    name="fused_ops",
    version="0.1.0",
    ext_modules=[
        CUDAExtension(
            name="fused_ops",
            sources=["csrc/bindings.cpp", "csrc/fused_ops_kernel.cu"],
            extra_compile_args={
                "cxx": ["-O3"],
                "nvcc": ["-O3", "--use_fast_math", "-gencode=arch=compute_80,code=sm_80"],
            },
        )
    ],
    cmdclass={"build_ext": BuildExtension},
)
