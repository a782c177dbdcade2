"""The path a torch optimiser takes, for the optimisation lesson (05).

``trajectory(opt_cls, loss_fn, theta0, steps, **kw)`` runs ``steps`` steps of ``opt_cls`` (for example
``torch.optim.SGD`` or ``torch.optim.Adam``, with keyword arguments ``kw`` such as ``lr`` and ``momentum``)
on ``loss_fn(theta)`` from a copy of ``theta0`` and returns the parameters after every step, one row per
step, so that runs can be compared step by step. ``gradient(loss_fn, theta)`` is the gradient of
``loss_fn`` at the point ``theta``, by autograd.
"""

from __future__ import annotations

from collections.abc import Callable

import torch


def trajectory(opt_cls: type[torch.optim.Optimizer], loss_fn: Callable[[torch.Tensor], torch.Tensor],
               theta0: torch.Tensor, steps: int, **kw) -> torch.Tensor:
    """The parameters after each of ``steps`` optimiser steps from ``theta0``: shape ``(steps, *theta0.shape)``."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}.")
    theta = theta0.detach().clone().requires_grad_(True)
    opt, rows = opt_cls([theta], **kw), []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(theta)
        if loss.dim() != 0:
            raise ValueError(f"loss_fn must return a scalar, got shape {tuple(loss.shape)}.")
        loss.backward()
        opt.step()
        rows.append(theta.detach().clone())
    return torch.stack(rows)


def gradient(loss_fn: Callable[[torch.Tensor], torch.Tensor], theta: torch.Tensor) -> torch.Tensor:
    """The gradient of the scalar ``loss_fn(theta)`` at ``theta`` (``theta`` itself is left untouched)."""
    theta = theta.detach().clone().requires_grad_(True)
    loss = loss_fn(theta)
    if loss.dim() != 0:
        raise ValueError(f"loss_fn must return a scalar, got shape {tuple(loss.shape)}.")
    (grad,) = torch.autograd.grad(loss, theta)
    return grad
