"""Straight-line fits for the regression lessons (04 and 05).

``outlier_line_data()`` makes the lessons' data set: sixty points on ``y = 2x + 1`` with Gaussian
noise, whose eight largest-``x`` points are pulled down by 30. ``fit_line(loss_fn, x, y)`` fits
``y ≈ w (x - mean x) + c`` by full-batch gradient descent (the update ``torch.optim.SGD`` makes in
lesson 01's loop, written out because it runs faster), the learning rate decaying linearly to zero
over the run unless ``decay=False``, and returns the slope and intercept ``(w, b)`` with
``b = c - w mean(x)``, and the loss before every step. ``gaussian_efficiency(psi)`` is the efficiency
``(E psi'(Z))**2 / E psi(Z)**2``, Z standard normal, of the M-estimator with influence ``psi`` (MSE's
``psi(r) = r`` has 1), and ``tuning_constant(psi_k)`` the scale ``k`` at which ``psi_k(r, k)`` reaches a
given efficiency (0.95 by default).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch

TRUE_W, TRUE_B = 2.0, 1.0


def outlier_line_data(seed: int = 0, n_points: int = 60, n_outliers: int = 8, shift: float = 30.0):
    """``(x, y_clean, y, is_outlier)`` in float64: the ``n_outliers`` largest x have ``shift`` subtracted."""
    if not 0 <= n_outliers <= n_points:
        raise ValueError(f"n_outliers must lie between 0 and n_points={n_points}, got {n_outliers}.")
    gen = torch.Generator().manual_seed(seed)
    x = 10 * torch.rand(n_points, dtype=torch.float64, generator=gen)
    y_clean = TRUE_W * x + TRUE_B + 0.5 * torch.randn(n_points, dtype=torch.float64, generator=gen)
    is_outlier = torch.zeros(n_points, dtype=torch.bool)
    is_outlier[x.argsort(descending=True)[:n_outliers]] = True
    return x, y_clean, torch.where(is_outlier, y_clean - shift, y_clean), is_outlier


def fit_line(loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor, y: torch.Tensor,
             steps: int = 2000, lr: float = 0.1, decay: bool = True,
             start: Sequence[float] | None = None) -> tuple[tuple[float, float], list[float]]:
    """Fit ``y ≈ w x + b`` under ``loss_fn(prediction, target)``; return ``((w, b), losses)``.

    ``start`` is an optional initial ``(w, b)`` (default: both zero).
    """
    if x.shape != y.shape or x.dim() != 1:
        raise ValueError(f"x and y must be 1-D and of one shape, got {tuple(x.shape)} and {tuple(y.shape)}.")
    if steps < 1 or lr <= 0:
        raise ValueError(f"steps must be at least 1 and lr positive, got steps={steps}, lr={lr}.")
    x_mean = x.mean()
    x_c = x - x_mean
    w0, b0 = (0.0, 0.0) if start is None else (float(start[0]), float(start[1]))
    theta = torch.tensor([w0, b0 + w0 * x_mean.item()], dtype=x.dtype, requires_grad=True)
    history = []
    for t in range(steps):
        loss = loss_fn(theta[0] * x_c + theta[1], y)
        history.append(loss.item())
        (grad,) = torch.autograd.grad(loss, theta)
        with torch.no_grad():
            theta -= (lr * (1 - t / steps) if decay else lr) * grad
    w, c = theta.detach().tolist()
    return (w, c - w * x_mean.item()), history


def gaussian_efficiency(psi: Callable[[torch.Tensor], torch.Tensor], half_width: float = 10.0,
                        n: int = 40_001) -> float:
    """``(E psi'(Z))**2 / E psi(Z)**2`` for Z ~ N(0, 1), by quadrature on a uniform grid of ``n`` points.

    ``E psi'(Z)`` is computed as ``E[Z psi(Z)]`` (Stein's identity: integrate by parts against the normal
    density), which needs no derivative and also holds for a ``psi`` with jumps, such as ``torch.sign``.
    """
    if half_width <= 0 or n < 3:
        raise ValueError(f"half_width must be positive and n at least 3, got {half_width} and {n}.")
    z = torch.linspace(-half_width, half_width, n, dtype=torch.float64)
    weight = torch.exp(-z**2 / 2) / math.sqrt(2 * math.pi) * (z[1] - z[0])      # density times grid step
    p = psi(z)
    return ((z * p * weight).sum() ** 2 / (p**2 * weight).sum()).item()


def tuning_constant(psi_k: Callable[[torch.Tensor, float], torch.Tensor], efficiency: float = 0.95,
                    lo: float = 0.05, hi: float = 50.0, iters: int = 45) -> float:
    """The ``k`` in ``[lo, hi]`` at which ``gaussian_efficiency(lambda r: psi_k(r, k))`` equals ``efficiency``.

    Found by bisection, so the efficiency must rise with ``k`` (true of Huber, Cauchy and Tukey).
    """
    def eff(k: float) -> float:
        return gaussian_efficiency(lambda r: psi_k(r, k))

    if not eff(lo) < efficiency < eff(hi):
        raise ValueError(f"the efficiency {efficiency} is not reached between k = {lo} and k = {hi}: widen the range.")
    for _ in range(iters):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if eff(mid) < efficiency else (lo, mid)
    return (lo + hi) / 2
