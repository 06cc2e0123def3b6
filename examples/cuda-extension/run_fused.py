"""Checks the fused CUDA kernels against plain PyTorch and prints a deterministic result.

Build first: `python setup.py build_ext --inplace` (needs nvcc and a CUDA build of PyTorch).
Prints `RESULT sum=... max_err=...`.
"""
import sys

import torch

try:
    import fused_ops
except ImportError as exc:
    sys.exit(f"fused_ops is not built ({exc}); run: python setup.py build_ext --inplace")


def main() -> None:
    assert torch.cuda.is_available(), "fused_ops runs on NVIDIA GPUs only"
    torch.manual_seed(0)
    x = torch.randn(1 << 20, device="cuda")
    y = fused_ops.scale_bias_relu(x, 0.5, 0.1)
    reference = torch.relu(x * 0.5 + 0.1)
    max_err = (y - reference).abs().max().item()
    total = fused_ops.sum(y).item()
    torch.cuda.synchronize()
    print(f"RESULT sum={total:.2f} max_err={max_err:.2e}")


if __name__ == "__main__":
    main()
