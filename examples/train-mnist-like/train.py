"""Trains a small MLP classifier on synthetic MNIST-like data.

Written the way many research scripts are: it assumes an NVIDIA GPU everywhere.
Prints one deterministic line at the end: `RESULT loss=... acc=... checksum=...`.
"""
import argparse
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.cuda.amp import GradScaler, autocast

from data import make_synthetic_digits
from model import DigitNet


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--amp", action="store_true", help="mixed precision (float16)")
    parser.add_argument("--checkpoint", default="checkpoints/digitnet.pt")
    return parser.parse_args()


def main():
    args = parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("this script needs an NVIDIA GPU (torch.cuda.is_available() is False)")

    torch.manual_seed(0)
    torch.cuda.manual_seed_all(0)
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.backends.cuda.matmul.allow_tf32 = False

    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    torch.cuda.set_device(local_rank)
    device = torch.device("cuda", local_rank)
    print(f"training on {torch.cuda.get_device_name(local_rank)} "
          f"(visible: {os.environ.get('CUDA_VISIBLE_DEVICES', 'all')}, {torch.cuda.device_count()} devices)")

    images, labels = make_synthetic_digits(n=2048, seed=0)
    dataset = torch.utils.data.TensorDataset(images, labels)
    loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size, shuffle=True,
                                         pin_memory=True, generator=torch.Generator().manual_seed(0))

    model = DigitNet().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    scaler = GradScaler(enabled=args.amp)

    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for x, y in loader:
            x = x.cuda(non_blocking=True)
            y = y.to("cuda:%d" % local_rank, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            with autocast(enabled=args.amp):
                loss = F.cross_entropy(model(x), y)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            total += loss.item() * x.size(0)
        torch.cuda.synchronize()
        peak_mb = torch.cuda.max_memory_allocated() / 2**20
        print(f"epoch {epoch}: loss={total / len(dataset):.6f} peak_mem={peak_mb:.1f}MiB")

    model.eval()
    with torch.no_grad():
        x_all = images.to(device)
        logits = model(x_all)
        final_loss = F.cross_entropy(logits, labels.cuda()).item()
        acc = (logits.argmax(dim=1).cpu() == labels).float().mean().item()
        checksum = sum(p.double().sum().item() for p in model.parameters())

    os.makedirs(os.path.dirname(args.checkpoint), exist_ok=True)
    torch.save(model.state_dict(), args.checkpoint)
    torch.cuda.empty_cache()
    print(f"RESULT loss={final_loss:.6f} acc={acc:.4f} checksum={checksum:.6f}")


if __name__ == "__main__":
    main()
