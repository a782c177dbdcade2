"""Figure plumbing for the loss lessons (06 and 07): rows of curve panels and 2-D arrow fields.

The notebooks compute what is drawn (losses, gradients, steps); these helpers only lay it out, label
it and add legends, so that the lesson's cells stay short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def _as_numpy(values, name: str):
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().double().numpy()
    try:
        return torch.as_tensor(values, dtype=torch.float64).numpy()
    except (TypeError, ValueError, RuntimeError) as e:
        raise ValueError(f"{name} must be numbers (a tensor or a list), got {type(values).__name__}: "
                         "pass the computed values.") from e


def curve_panels(x, panels: Sequence[Mapping[str, object]], *, xlabel: str, titles: Sequence[str],
                 ylabels: Sequence[str], zero_line: bool = False, figsize: tuple[float, float] | None = None,
                 colors: Mapping[str, str] | None = None) -> tuple[Figure, list[Axes]]:
    """One row of panels sharing the x values ``x``; panel ``i`` draws every ``label: y`` of
    ``panels[i]`` as a line, with its own y scale, title ``titles[i]``, y label ``ylabels[i]`` and a
    legend. ``colors`` maps labels to colours, so that one quantity keeps its colour across panels
    (labels not in it take the next colour of the cycle). ``zero_line`` adds a grey line at y = 0 to
    every panel. Returns the figure and its axes."""
    if not panels:
        raise ValueError("panels is empty: pass one mapping {label: values} per panel.")
    if not (len(panels) == len(titles) == len(ylabels)):
        raise ValueError(f"got {len(panels)} panels, {len(titles)} titles and {len(ylabels)} y labels: "
                         "give one title and one y label per panel.")
    xs = _as_numpy(x, "x")
    if xs.ndim != 1:
        raise ValueError(f"x must be one-dimensional, got shape {xs.shape}: flatten it first.")
    if figsize is None:
        figsize = (4.4 * len(panels), 3.8)
    fig, axes = plt.subplots(1, len(panels), figsize=figsize, squeeze=False)
    axes = list(axes[0])
    for ax, curves, title, ylabel in zip(axes, panels, titles, ylabels, strict=True):
        if not curves:
            raise ValueError(f"panel {title!r} has no curves: give it at least one {{label: values}}.")
        for label, values in curves.items():
            ys = _as_numpy(values, f"the values of {label!r}")
            if ys.shape != xs.shape:
                raise ValueError(f"the values of {label!r} have shape {ys.shape}, x has {xs.shape}: "
                                 "compute one value per x.")
            style = {"color": colors[label]} if colors and label in colors else {}
            ax.plot(xs, ys, label=label, **style)
        if zero_line:
            ax.axhline(0, color="gray", lw=0.8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    return fig, axes


def embedding_axes(ax: Axes, title: str, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Style ``ax`` as a 2-D embedding plane: equal aspect, the given limits, labelled axes, a title."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("embedding dim 1")
    ax.set_ylabel("embedding dim 2")
    ax.set_title(title)


def step_arrows(ax: Axes, points, steps, *, scale: float, color: str, label: str,
                min_length: float = 1e-9) -> int:
    """Draw ``points`` (shape (n, 2)) as dots labelled ``label`` and, from each, the arrow
    ``scale * steps[i]``; steps shorter than ``min_length`` get no arrow. Returns how many arrows
    were drawn."""
    pts, stp = _as_numpy(points, "points"), _as_numpy(steps, "steps")
    if pts.ndim != 2 or pts.shape[1] != 2 or stp.shape != pts.shape:
        raise ValueError(f"points and steps must both have shape (n, 2), got {pts.shape} and {stp.shape}: "
                         "one 2-D step per 2-D point.")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}: it multiplies every arrow's length.")
    ax.plot(pts[:, 0], pts[:, 1], "o", color=color, label=label)
    drawn = 0
    for (px, py), (dx, dy) in zip(pts, stp, strict=True):
        if (dx * dx + dy * dy) ** 0.5 < min_length:
            continue
        ax.arrow(px, py, scale * dx, scale * dy, head_width=0.08, color=color, length_includes_head=True)
        drawn += 1
    return drawn


def embedding_step_figure(x1, ring, cosine_steps: Mapping[str, object], triplet_points: Mapping[str, object],
                          triplet_steps: Mapping[str, object], *, margin: float, cosine_scale: float = 2.5
                          ) -> tuple[Figure, list[Axes]]:
    """Three panels of 2-D gradient steps: one per entry of ``cosine_steps`` (title -> steps of the
    ``ring`` points, drawn ``cosine_scale`` times their length, with ``x1`` as an arrow from the origin),
    then the triplet panel (``triplet_points`` and ``triplet_steps`` keyed "anchor", "positive",
    "negative", at true length, with the circle of radius d(a, p) + margin around the anchor)."""
    if len(cosine_steps) != 2 or set(triplet_points) != {"anchor", "positive", "negative"} \
            or set(triplet_steps) != set(triplet_points):
        raise ValueError("want two cosine panels and the triplet points and steps keyed anchor, positive, "
                         "negative.")
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.6))
    head = _as_numpy(x1, "x1")
    radius = float(((_as_numpy(ring, "ring") ** 2).sum(1) ** 0.5).mean())
    for ax, (title, steps) in zip(axes[:2], cosine_steps.items(), strict=True):
        ax.annotate("", xy=tuple(head), xytext=(0, 0), arrowprops=dict(arrowstyle="->", lw=2, color="C0"))
        ax.text(*head, "  $\\mathbf{x}_1$", color="C0")
        ax.add_patch(plt.Circle((0, 0), radius, fill=False, ls=":", color="gray",
                                label=f"$|\\mathbf{{x}}_2| = {radius:.1f}$"))
        step_arrows(ax, ring, steps, scale=cosine_scale, color="C1", label=f"$\\mathbf{{x}}_2$, step x {cosine_scale}")
        embedding_axes(ax, title, (-2.5, 2.7), (-2.3, 2.3))
        ax.legend(loc="lower right", fontsize="small")
    for name, colour in zip(("anchor", "positive", "negative"), ("C0", "C2", "C3"), strict=True):
        point = _as_numpy(triplet_points[name], name).reshape(1, 2)
        step_arrows(axes[2], point, _as_numpy(triplet_steps[name], name).reshape(1, 2), scale=1.0,
                    color=colour, label=name)
    a, p = _as_numpy(triplet_points["anchor"], "anchor"), _as_numpy(triplet_points["positive"], "positive")
    axes[2].add_patch(plt.Circle(tuple(a), float(((a - p) ** 2).sum() ** 0.5) + margin, fill=False, ls="--",
                                 color="gray", label="d(a, p) + margin"))
    embedding_axes(axes[2], "Triplet loss: negatives inside the circle are pushed out", (-3.2, 5.4), (-3, 3))
    axes[2].legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig, list(axes)
