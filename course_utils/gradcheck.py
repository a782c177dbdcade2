"""A small finite-difference gradient checker.

The derivative of a scalar function ``f`` at ``x`` is estimated one coordinate at a time with central
differences,

    df/dx_i ~= (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error shrinks like eps**2. That is accurate enough only in float64, so the checker insists on it.
Use it to test a hand-derived gradient::

    from course_utils.gradcheck import check_gradient
    check_gradient(lambda w: (w ** 3).sum(), w, analytic=3 * w ** 2)

``check_gradient`` returns the largest absolute difference it found, or raises a
:class:`GradientCheckError` (an ``AssertionError``) that names the worst entry.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

__all__ = ["GradientCheckError", "numerical_gradient", "check_gradient"]


class GradientCheckError(AssertionError):
    """The analytic gradient disagrees with the finite-difference estimate."""


def _check_input(x: object) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}: wrap it with torch.tensor(..., "
                        "dtype=torch.float64).")
    if x.dtype != torch.float64:
        raise TypeError(f"x has dtype {x.dtype}, but finite differences need float64: pass x.double().")
    return x


def _scalar(value: object) -> float:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"f must return a torch.Tensor, got {type(value).__name__}: return a 0-d float64 "
                        "tensor such as loss.sum().")
    if value.numel() != 1:
        raise ValueError(f"f must return a scalar, got shape {tuple(value.shape)}: reduce it first, "
                         "e.g. with .sum().")
    if value.dtype != torch.float64:
        raise TypeError(f"f returned dtype {value.dtype}, but finite differences need float64: compute "
                        "it in float64 throughout.")
    return value.item()


def numerical_gradient(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
                       eps: float = 1e-6) -> torch.Tensor:
    """Central-difference estimate of the gradient of scalar ``f`` at float64 tensor ``x`` (same shape)."""
    x = _check_input(x).detach()
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps!r}: use for example eps=1e-6.")
    grad = torch.zeros_like(x)
    flat_x, flat_grad = x.clone().reshape(-1), grad.reshape(-1)
    for i in range(flat_x.numel()):
        old = flat_x[i].item()
        flat_x[i] = old + eps
        f_plus = _scalar(f(flat_x.reshape(x.shape)))
        flat_x[i] = old - eps
        f_minus = _scalar(f(flat_x.reshape(x.shape)))
        flat_x[i] = old
        flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def check_gradient(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, analytic: torch.Tensor,
                   eps: float = 1e-6, atol: float = 1e-7, rtol: float = 1e-6) -> float:
    """Compare ``analytic`` with the finite-difference gradient of ``f`` at ``x``.

    Passes when every entry satisfies ``|analytic - numeric| <= atol + rtol * |numeric|`` (a NaN or
    infinity on either side never does); returns the largest absolute difference. Raises
    :class:`GradientCheckError` naming the worst entry otherwise.
    """
    x = _check_input(x)
    if not isinstance(analytic, torch.Tensor):
        raise TypeError(f"analytic must be a torch.Tensor, got {type(analytic).__name__}: pass the "
                        "gradient as a tensor shaped like x.")
    if analytic.shape != x.shape:
        raise ValueError(f"analytic gradient has shape {tuple(analytic.shape)} but x has shape "
                         f"{tuple(x.shape)}: a gradient must have the shape of its variable.")
    if analytic.dtype != torch.float64:
        raise TypeError(f"analytic gradient has dtype {analytic.dtype}: pass it in float64 (.double()).")
    numeric = numerical_gradient(f, x, eps)
    analytic = analytic.detach()
    diff = (analytic - numeric).abs()
    bad = ~(diff <= atol + rtol * numeric.abs()) | ~torch.isfinite(numeric)  # NaN or inf on either side fails
    if bad.any():
        score = torch.where(torch.isnan(diff), torch.full_like(diff, float("inf")), diff)
        worst = int(torch.argmax(torch.where(bad, score, torch.full_like(diff, -1.0))))
        index = tuple(int(i) for i in torch.unravel_index(torch.tensor(worst), x.shape)) if x.dim() else ()
        raise GradientCheckError(
            f"gradient mismatch at index {index}: analytic {analytic.reshape(-1)[worst].item():.6g}, "
            f"finite differences {numeric.reshape(-1)[worst].item():.6g} ({int(bad.sum())} of "
            f"{x.numel()} entries differ)."
        )
    return diff.max().item() if diff.numel() else 0.0
