"""Loss surfaces of a straight-line fit: the loss over a grid of (slope, intercept), and its contour plot.

``loss_grid(mse, x, y, ws, bs)`` evaluates ``loss_fn(w * x + b, y)`` for every ``w`` in ``ws`` and ``b`` in
``bs`` at once (the loss must accept a trailing data dimension and reduce over it with
``reduction="none"`` then a mean, so the function is called with predictions of shape
``(len(ws), len(bs), N)``). ``plot_loss_contours`` draws one panel per loss with marked points, such as the
true line and the fits, and a shared legend.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

MARKERS = ("*", "o", "s", "^", "D", "v", "P", "X")


def _check_1d(name: str, t: object) -> torch.Tensor:
    if not isinstance(t, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}: build it with torch.linspace.")
    if t.dim() != 1 or t.numel() < 2 or not t.is_floating_point():
        raise ValueError(f"{name} must be a 1-D floating tensor of at least 2 values, "
                         f"got shape {tuple(t.shape)} and dtype {t.dtype}.")
    return t


def loss_grid(loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor, y: torch.Tensor,
              ws: torch.Tensor, bs: torch.Tensor) -> torch.Tensor:
    """The mean over the data of ``loss_fn(w x + b, y, reduction="none")``, shape ``(len(ws), len(bs))``.

    Entry ``[i, j]`` is the loss of the line with slope ``ws[i]`` and intercept ``bs[j]``.
    """
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {type(loss_fn).__name__}.")
    x, y, ws, bs = (_check_1d(n, t) for n, t in (("x", x), ("y", y), ("ws", ws), ("bs", bs)))
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}.")
    pred = ws[:, None, None] * x + bs[None, :, None]
    per_point = loss_fn(pred, y.expand_as(pred), "none")
    if per_point.shape != pred.shape:
        raise ValueError("loss_fn(pred, target, 'none') must return one loss per element, shaped like pred "
                         f"{tuple(pred.shape)}, got {tuple(per_point.shape)}.")
    return per_point.mean(dim=-1)


def grid_argmin(grid: torch.Tensor, ws: torch.Tensor, bs: torch.Tensor) -> tuple[float, float]:
    """The (slope, intercept) of the smallest entry of a :func:`loss_grid` result."""
    if grid.shape != (len(ws), len(bs)):
        raise ValueError(f"grid must have shape (len(ws), len(bs)) = {(len(ws), len(bs))}, got {tuple(grid.shape)}.")
    i, j = divmod(int(grid.argmin()), grid.shape[1])
    return ws[i].item(), bs[j].item()


def plot_loss_contours(grids: Mapping[str, torch.Tensor], ws: torch.Tensor, bs: torch.Tensor, *,
                       marks: Mapping[str, Sequence[float]], title: str, levels: int = 20) -> Figure:
    """One contour panel per entry of ``grids`` (title = its key) over slope ``ws`` and intercept ``bs``.

    Intercept on the horizontal axis, slope on the vertical. Contour levels are spaced evenly in the square
    root of the loss above its minimum, so that both the valley floor and the walls show; every third level
    is labelled with its loss, except where the label would cover a mark. ``marks`` maps a label to a
    ``(slope, intercept)`` drawn on every panel.
    """
    if not grids:
        raise ValueError("grids is empty: pass at least one {'loss name': loss_grid(...)}.")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("title must be a non-empty string naming the figure.")
    fig, axes = plt.subplots(1, len(grids), figsize=(5.2 * len(grids), 4.2), squeeze=False)
    for ax, (name, grid) in zip(axes[0], grids.items(), strict=True):
        if grid.shape != (len(ws), len(bs)):
            raise ValueError(f"grid {name!r} must have shape {(len(ws), len(bs))}, got {tuple(grid.shape)}.")
        low, high = grid.min().item(), grid.max().item()
        fracs = torch.linspace(0, 1, levels + 1, dtype=torch.float64)[1:] ** 2
        lines = ax.contour(bs.numpy(), ws.numpy(), grid.numpy(), levels=(low + fracs * (high - low)).numpy(),
                           linewidths=0.8, cmap="viridis")
        texts = ax.clabel(lines, lines.levels[::3], fmt="%.3g", fontsize="x-small")    # every third level's loss
        db, dw = 0.06 * (bs.max() - bs.min()).item(), 0.06 * (ws.max() - ws.min()).item()
        for text in texts:                          # a level label never covers a mark
            tb, tw = text.get_position()
            if any(abs(tb - b) < db and abs(tw - w) < dw for w, b in marks.values()):
                text.remove()
        for k, (label, (w, b)) in enumerate(marks.items()):
            ax.plot(b, w, linestyle="none", marker=MARKERS[k % len(MARKERS)], markersize=9,
                    color=f"C{k}", label=label, zorder=5)
        ax.set(title=name, xlabel="intercept b", ylabel="slope w")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.suptitle(title)
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize="small")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
