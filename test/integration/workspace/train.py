import os

import torch
import torch.nn as nn

os.environ["CUDA_VISIBLE_DEVICES"] = "0"
torch.backends.cudnn.benchmark = True


def train(model: nn.Module, batches):
    model = model.cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.cuda.amp.GradScaler()
    for x, y in batches:
        x, y = x.cuda(non_blocking=True), y.to("cuda:0")
        with torch.cuda.amp.autocast():
            loss = nn.functional.mse_loss(model(x), y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    torch.cuda.synchronize()
    return loss.item()


if __name__ == "__main__":
    assert torch.cuda.is_available()
    torch.manual_seed(0)
    data = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)]
    print(f"RESULT loss={train(nn.Linear(4, 1), data):.6f}")
