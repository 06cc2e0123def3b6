"""A small fully connected network for 28x28 digit images."""
import torch
import torch.nn as nn


class DigitNet(nn.Module):
    def __init__(self, hidden: int = 128, classes: int = 10):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def load_for_eval(path: str) -> DigitNet:
    model = DigitNet()
    model.load_state_dict(torch.load(path, map_location="cuda:0"))
    return model.cuda().eval()
