"""Synthetic digit-like images: each class is a fixed random template plus noise."""
import torch


def make_synthetic_digits(n: int, seed: int = 0, classes: int = 10):
    g = torch.Generator().manual_seed(seed)
    templates = torch.rand(classes, 1, 28, 28, generator=g)
    labels = torch.randint(0, classes, (n,), generator=g)
    noise = 0.3 * torch.randn(n, 1, 28, 28, generator=g)
    images = templates[labels] + noise
    return images, labels
