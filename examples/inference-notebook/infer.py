"""Batch inference with a small convolutional classifier on an NVIDIA GPU.

Builds the model with fixed weights (seed 0), saves and reloads the checkpoint straight onto
the GPU, runs mixed-precision inference, and exports ONNX for onnxruntime-gpu.
Prints one deterministic line at the end: `RESULT top1=... checksum=...`.
"""
import os
import sys

import torch
import torch.nn as nn

CHECKPOINT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tinyconv.pt")


class TinyConv(nn.Module):
    def __init__(self, classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Linear(32, classes)

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


def build_checkpoint(path: str) -> None:
    torch.manual_seed(0)
    torch.save(TinyConv().state_dict(), path)


def load_model(path: str) -> nn.Module:
    model = TinyConv()
    model.load_state_dict(torch.load(path, map_location="cuda"))
    return model.cuda().eval()


def main() -> int:
    if not torch.cuda.is_available():
        print("CUDA is required: no NVIDIA GPU found", file=sys.stderr)
        return 1
    torch.backends.cudnn.benchmark = True
    if torch.cuda.get_device_capability() >= (8, 0):
        torch.backends.cuda.matmul.allow_tf32 = True
    print(f"device: {torch.cuda.get_device_name()} (CUDA {torch.version.cuda})")

    if not os.path.exists(CHECKPOINT):
        build_checkpoint(CHECKPOINT)
    model = load_model(CHECKPOINT)

    generator = torch.Generator().manual_seed(1)
    batch = torch.rand(32, 3, 32, 32, generator=generator).cuda(non_blocking=True)

    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    with torch.no_grad(), torch.cuda.amp.autocast(dtype=torch.float16):
        logits = model(batch)
    end.record()
    torch.cuda.synchronize()
    print(f"inference: {start.elapsed_time(end):.2f} ms, "
          f"memory {torch.cuda.memory_allocated() / 2**20:.1f} MiB")

    probs = logits.float().softmax(dim=1)
    top1 = probs.argmax(dim=1).cpu().tolist()
    checksum = probs.double().sum(dim=0).cpu()
    # float16 autocast: round so the line is stable across GPUs.
    print(f"RESULT top1={','.join(map(str, top1[:8]))} checksum={float((checksum * torch.arange(10)).sum()):.3f}")

    torch.onnx.export(model, batch[:1], "tinyconv.onnx", input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}})
    return 0


def run_onnx(path: str = "tinyconv.onnx"):
    import numpy as np
    import onnxruntime as ort

    session = ort.InferenceSession(path, providers=["CUDAExecutionProvider", "TensorrtExecutionProvider"])
    x = np.random.default_rng(1).random((1, 3, 32, 32), dtype=np.float32)
    return session.run(["logits"], {"input": x})[0]


if __name__ == "__main__":
    sys.exit(main())
