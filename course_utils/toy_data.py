"""Small synthetic data sets generated on the spot (no download), for experiments that need a task.

``two_moons(512, seed=0)`` returns 512 points of two interleaving half-moons in the plane and their labels
(0 for the upper moon, 1 for the lower), the same every time for the same seed.
"""

from __future__ import annotations

import math

import torch


def two_moons(n: int, noise: float = 0.15, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``(points, labels)``: ``n`` points of shape (n, 2) (float32) and labels of shape (n,) (int64, 0 or 1).

    Each point picks a moon with probability 1/2 and an angle uniform in [0, π]; Gaussian noise of standard
    deviation ``noise`` is added. A private generator seeded with ``seed`` makes the result reproducible
    without touching torch's global random state.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int (the number of points), got {n!r}.")
    if not noise >= 0:
        raise ValueError(f"noise must be a standard deviation >= 0, got {noise!r}.")
    g = torch.Generator().manual_seed(seed)
    t = torch.rand(n, generator=g) * math.pi
    label = torch.randint(0, 2, (n,), generator=g)
    upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
    points = torch.where(label[:, None] == 1, lower, upper)
    return points + noise * torch.randn(n, 2, generator=g), label
