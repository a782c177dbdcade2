"""Figures for training experiments: metric curves per run and a confusion matrix.

Digit grids (e.g. misclassified test digits) are :func:`course_utils.digits.show_digit_grid`.

Every function returns the matplotlib ``Figure`` it made, with every axes titled and labelled, so
that the notebook ends the cell with ``plt.show()`` and the stored text form names what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils.training import EpochStats

METRIC_LABELS = {
    "batch_loss": "training loss (batch mean)",
    "batch_accuracy": "training accuracy (batch mean)",
    "train_accuracy": "training-set accuracy",
    "test_accuracy": "test accuracy",
}


def plot_curves(
    histories: Mapping[str, Sequence[EpochStats]],
    metrics: Sequence[str] = ("batch_loss", "batch_accuracy", "test_accuracy"),
    suptitle: str | None = None,
    ncols: int = 3,
    logy: Sequence[str] = (),
):
    """One axes per metric, one line per run (``histories`` maps a run's name to its epochs).

    Accuracies are drawn in percent; metrics named in ``logy`` use a log scale.
    """
    if not histories:
        raise ValueError("histories is empty: pass at least one run, e.g. {'CrossEntropyLoss': history}.")
    unknown = [m for m in metrics if m not in METRIC_LABELS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}: use some of {', '.join(METRIC_LABELS)}.")
    for name, hist in histories.items():
        if not hist:
            raise ValueError(f"run {name!r} has no epochs: pass a non-empty history.")
    ncols = max(1, min(ncols, len(metrics)))
    nrows = (len(metrics) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.6 * nrows), squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        percent = metric.endswith("accuracy")
        for name, hist in histories.items():
            epochs = [h.epoch for h in hist]
            values = [getattr(h, metric) for h in hist]
            if any(v is None for v in values):
                raise ValueError(f"run {name!r} did not measure {metric!r}: plot another metric.")
            ax.plot(epochs, [100 * v if percent else v for v in values], marker="o", ms=3, label=name)
        if metric in logy:
            ax.set_yscale("log")
        ax.set_title(METRIC_LABELS[metric])
        ax.set_xlabel("epoch")
        ax.set_ylabel(METRIC_LABELS[metric] + (" (%)" if percent else ""))
    for ax in list(axes.flat)[len(metrics):]:
        ax.remove()
    if suptitle:
        fig.suptitle(suptitle)
    if len(metrics) == 1:
        axes.flat[0].legend(fontsize="small")
        fig.tight_layout()
        return fig
    # several panels: one legend for all of them, below the panels, where it hides no line
    handles, labels = axes.flat[0].get_legend_handles_labels()
    ncol = min(len(labels), 4)
    legend_inches = 0.1 + 0.2 * -(-len(labels) // ncol)
    fig.set_figheight(fig.get_figheight() + legend_inches)
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize="small", frameon=False)
    fig.tight_layout(rect=(0, legend_inches / fig.get_figheight(), 1, 1))
    return fig


def plot_confusion_matrix(cm: torch.Tensor | np.ndarray, title: str, class_names: Sequence[str] | None = None):
    """Counts of ``[true, predicted]`` as an image, each cell labelled with its count."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"expected a square matrix, got shape {cm.shape}: pass confusion_matrix(pred, y).")
    k = cm.shape[0]
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    if len(names) != k:
        raise ValueError(f"{len(names)} class names for a {k}x{k} matrix: pass one name per class.")
    fig, ax = plt.subplots(figsize=(5.6, 5.0))
    ax.imshow(np.log1p(cm), cmap="Blues")
    ax.grid(False)
    cut = np.log1p(cm).max() / 2
    for i in range(k):
        for j in range(k):
            ax.text(j, i, str(int(cm[i, j])), ha="center", va="center", fontsize=7,
                    color="white" if np.log1p(cm[i, j]) > cut else "black")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    fig.tight_layout()
    return fig

