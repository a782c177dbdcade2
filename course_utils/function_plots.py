"""Figures of a function next to its derivative, the derivative taken by autograd.

``plot_with_derivative(torch.sigmoid, title="Sigmoid and its derivative")`` evaluates the function on a
grid, differentiates it with ``y.sum().backward()`` and draws both, either side by side (two axes) or
on one shared axes. It returns the figure and the values, so that a notebook can assert the derivative
against its closed form.

For an elementwise function ``f`` the gradient of ``sum_j f(x_j)`` with respect to ``x_i`` is ``f'(x_i)``;
for anything else (softmax along the grid, say) it is only that sum's gradient, which is what the
figure then shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

LAYOUTS = ("side", "shared")


class DerivativePlot(NamedTuple):
    """What :func:`plot_with_derivative` drew: the figure, the grid, the function and its derivative."""

    fig: Figure
    x: torch.Tensor
    y: torch.Tensor
    dy: torch.Tensor


def default_grid(n: int = 100, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """The course's standard grid, ``linspace(-10, 10, n)`` (float64 unless told otherwise)."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        raise ValueError(f"the grid needs an int number of points >= 2, got {n!r}: pass for example n=100.")
    return torch.linspace(-10.0, 10.0, n, dtype=dtype)


def autograd_derivative(fn: Callable[[torch.Tensor], torch.Tensor],
                        x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``(f(x), d/dx sum f(x))``, both detached, computed with ``y.sum().backward()``.

    ``x`` must be a 1-D floating tensor; ``fn`` must return a tensor of the same shape.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable (a function or module), got {type(fn).__name__}.")
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}: build it with torch.linspace.")
    if x.dim() != 1 or x.numel() < 2:
        raise ValueError(f"x must be a 1-D grid of at least 2 points, got shape {tuple(x.shape)}.")
    if not x.is_floating_point():
        raise TypeError(f"x must be a floating tensor to be differentiated, got {x.dtype}: "
                        "pass dtype=torch.float64.")
    xg = x.detach().clone().requires_grad_(True)
    y = fn(xg)
    if not isinstance(y, torch.Tensor) or y.shape != xg.shape:
        got = tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__
        raise ValueError(f"fn must return a tensor shaped like x {tuple(xg.shape)}, got {got}: "
                         "use reduction='none' for losses.")
    if not y.requires_grad:
        raise ValueError("fn's output does not depend on x through autograd: build it from torch "
                         "operations on x (no .item(), .numpy() or .detach()).")
    y.sum().backward()
    dy = xg.grad if xg.grad is not None else torch.zeros_like(xg)
    return y.detach(), dy.detach()


def plot_with_derivative(fn: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor | None = None, *,
                         title: str, name: str = "f", xlabel: str = "x", layout: str | None = None,
                         ax: Axes | None = None, derivative_label: str | None = None) -> DerivativePlot:
    """Draw ``fn`` and its autograd derivative over ``x``, labelled; return the figure and the values.

    ``layout="side"`` (the default) makes two axes, the function left and the derivative right, under
    the suptitle ``title``; ``layout="shared"`` draws both lines on one axes titled ``title``, with a
    legend. Passing ``ax`` draws into that axes (shared layout) so that several functions can share a
    grid of subplots. ``name`` labels the curves, e.g. ``name="σ"`` gives ``σ(x)`` and ``σ'(x)``.
    ``derivative_label`` replaces the derivative's label when what autograd returns is not ``f'``
    (for softmax along the grid it is the gradient of the sum of the outputs).
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title must be a non-empty string: it names the figure, "
                         "e.g. 'Sigmoid and its derivative'.")
    if layout is None:
        layout = "shared" if ax is not None else "side"
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}.")
    if ax is not None and layout != "shared":
        raise ValueError("an ax given means one axes: pass layout='shared' (or leave layout unset).")
    if x is None:
        x = default_grid()
    y, dy = autograd_derivative(fn, x)
    xs, ys, dys = x.detach().cpu().numpy(), y.cpu().numpy(), dy.cpu().numpy()
    if derivative_label is not None and (not isinstance(derivative_label, str) or not derivative_label.strip()):
        raise ValueError("derivative_label must be a non-empty string, e.g. '∂(Σ softmax)/∂x', or None.")
    f_label = f"{name}({xlabel})"
    d_label = derivative_label or f"{name}'({xlabel}) (autograd)"

    if layout == "side":
        fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(9.6, 3.6))
        ax_f.plot(xs, ys, color="C0", label=f_label)
        ax_f.set_title(f_label)
        ax_f.set_xlabel(xlabel)
        ax_f.set_ylabel(f_label)
        ax_d.plot(xs, dys, color="C1", label=d_label)
        ax_d.set_title(d_label)
        ax_d.set_xlabel(xlabel)
        ax_d.set_ylabel(derivative_label or f"{name}'({xlabel})")
        fig.suptitle(title)
        fig.tight_layout()
    else:
        if ax is None:
            fig, ax = plt.subplots()
        else:
            fig = ax.figure
        ax.plot(xs, ys, color="C0", label=f_label)
        ax.plot(xs, dys, color="C1", linestyle="--", label=d_label)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(f"{f_label}, {derivative_label or name + chr(39) + '(' + xlabel + ')'}")
        ax.legend()
    return DerivativePlot(fig, x.detach(), y, dy)
