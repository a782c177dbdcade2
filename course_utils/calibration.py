"""Calibration plumbing for lesson 07: a logistic regression fitted by Newton's method, equal-count
bins of predicted probabilities, and the reliability diagram drawn from them.

Newton's method minimises a smooth convex loss by jumping, at each step, to the minimum of its local
quadratic model: ``params <- params - H^{-1} g``, with the gradient ``g`` and the Hessian ``H`` computed
by autograd. For logistic regression (convex, a handful of parameters) it reaches the optimum to
rounding in a few steps; :func:`fit_logistic` raises if it has not within ``max_steps``.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.axes import Axes


def fit_logistic(x: torch.Tensor, labels: torch.Tensor, pos_weight: torch.Tensor | float | None = None,
                 max_steps: int = 100, tol: float = 1e-10) -> torch.Tensor:
    """Weights and intercept (shape ``(d + 1,)``, intercept last) minimising
    ``BCEWithLogitsLoss(pos_weight)`` of the logits ``x @ w + b``; ``x`` has shape ``(N, d)`` (``d`` may
    be 0: a constant model). Raises if Newton's method has not converged in ``max_steps`` steps."""
    if x.ndim != 2 or labels.shape != (x.shape[0],):
        raise ValueError(f"x must have shape (N, d) and labels shape (N,), got {tuple(x.shape)} and "
                         f"{tuple(labels.shape)}: one row of features per label.")
    x, labels = x.double(), labels.double()
    if pos_weight is not None:
        pos_weight = torch.as_tensor(pos_weight, dtype=torch.float64)
    d = x.shape[1]

    def loss(params: torch.Tensor) -> torch.Tensor:
        return F.binary_cross_entropy_with_logits(x @ params[:d] + params[d], labels, pos_weight=pos_weight)

    params = torch.zeros(d + 1, dtype=torch.float64)
    for _ in range(max_steps):
        leaf = params.clone().requires_grad_()
        (grad,) = torch.autograd.grad(loss(leaf), leaf)
        hessian = torch.autograd.functional.hessian(loss, params)
        step = torch.linalg.solve(hessian, grad)
        params = params - step
        if step.abs().max() < tol:
            return params
    raise RuntimeError(f"Newton's method did not converge in {max_steps} steps: are the classes separable "
                       "(then the optimum is at infinity)? Add overlapping samples or regularise.")


def predict(x: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """The predicted probabilities ``sigmoid(x @ w + b)`` of a model returned by :func:`fit_logistic`."""
    d = x.shape[1]
    return torch.sigmoid(x.double() @ params[:d] + params[d])


def reliability_bins(probs: torch.Tensor, labels: torch.Tensor, n_bins: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    """Sort the samples by predicted probability, cut them into ``n_bins`` bins of (nearly) equal count,
    and return each bin's mean predicted probability and its share of positive labels."""
    if probs.shape != labels.shape or probs.ndim != 1:
        raise ValueError(f"probs and labels must be 1-D of one length, got {tuple(probs.shape)} and "
                         f"{tuple(labels.shape)}.")
    if not 1 <= n_bins <= len(probs):
        raise ValueError(f"n_bins must be between 1 and the number of samples ({len(probs)}), got {n_bins}.")
    order = torch.argsort(probs)
    bins = torch.tensor_split(order, n_bins)
    mean_prob = torch.stack([probs[b].double().mean() for b in bins])
    share_pos = torch.stack([labels[b].double().mean() for b in bins])
    return mean_prob, share_pos


def plot_reliability(curves: Mapping[str, tuple[torch.Tensor, torch.Tensor]], title: str,
                     ax: Axes | None = None) -> Axes:
    """A reliability diagram: for each name, the (mean predicted probability, share of positives) of
    its bins as a line with dots, and the diagonal where a calibrated model lies."""
    if ax is None:
        _, ax = plt.subplots()
    for name, (mean_prob, share_pos) in curves.items():
        ax.plot(mean_prob.numpy(), share_pos.numpy(), "o-", label=name)
    ax.plot([0, 1], [0, 1], color="gray", ls="--", label="calibrated (predicted = observed)")
    ax.set_xlabel("mean predicted probability in the bin")
    ax.set_ylabel("share of positives in the bin")
    ax.set_title(title)
    ax.legend()
    return ax
