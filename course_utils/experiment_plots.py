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
from matplotlib.ticker import MaxNLocator

from course_utils.training import EpochStats

METRIC_LABELS = {
    "batch_loss": "training loss (batch mean)",
    "batch_accuracy": "training accuracy (batch mean)",
    "train_accuracy": "training-set accuracy",
    "test_accuracy": "test accuracy",
}


# each line gets its own marker, dash pattern and marker size, so that lines that coincide stay visible
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*")
_DASHES = ("-", "--", ":", "-.")


def _line_style(k: int) -> dict:
    return {"marker": _MARKERS[k % len(_MARKERS)], "linestyle": _DASHES[k % len(_DASHES)],
            "ms": 7 - 3 * (k % 2), "mfc": "none" if k % 2 == 0 else None, "lw": 2.2 - 0.8 * (k % 2),
            "zorder": 2 + k % 2}  # thin lines with small filled markers on top of thick ones with hollow markers


def plot_curves(
    histories: Mapping[str, Sequence[EpochStats]],
    metrics: Sequence[str] = ("batch_loss", "batch_accuracy", "test_accuracy"),
    suptitle: str | None = None,
    ncols: int = 3,
    logy: Sequence[str] = (),
    titles: Mapping[str, str] | None = None,
    reference: tuple[str, Sequence[float]] | None = None,
    chance: float | None = None,
):
    """One axes per metric, one line per run (``histories`` maps a run's name to its epochs).

    Accuracies are drawn in percent; metrics named in ``logy`` use a log scale. ``titles`` renames a
    metric (e.g. ``{"test_accuracy": "validation accuracy"}`` when the held-out set was a validation
    set). ``reference`` is ``(label, values per epoch)``, drawn as a black dashed line in the first
    panel, in that panel's units (e.g. a published curve). Every line has its own marker and dash
    pattern, and the legend sits below the panels, where it hides no line. ``chance`` (a fraction, e.g.
    0.1 for ten balanced classes) draws a grey dotted line at that accuracy in every accuracy panel.
    """
    if not histories:
        raise ValueError("histories is empty: pass at least one run, e.g. {'CrossEntropyLoss': history}.")
    unknown = [m for m in metrics if m not in METRIC_LABELS]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}: use some of {', '.join(METRIC_LABELS)}.")
    for name, hist in histories.items():
        if not hist:
            raise ValueError(f"run {name!r} has no epochs: pass a non-empty history.")
    labels_of = {m: (titles or {}).get(m, METRIC_LABELS[m]) for m in metrics}
    ncols = max(1, min(ncols, len(metrics)))
    nrows = (len(metrics) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.6 * nrows), squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        percent = metric.endswith("accuracy")
        for k, (name, hist) in enumerate(histories.items()):
            epochs = [h.epoch for h in hist]
            values = [getattr(h, metric) for h in hist]
            if any(v is None for v in values):
                raise ValueError(f"run {name!r} did not measure {metric!r}: plot another metric.")
            ax.plot(epochs, [100 * v if percent else v for v in values], label=name, **_line_style(k))
        if reference is not None and ax is axes.flat[0]:
            ax.plot(range(1, len(reference[1]) + 1), reference[1], "k--", lw=1.5, label=reference[0])
        if chance is not None and percent:
            ax.axhline(100 * chance, color="0.5", ls=":", lw=1.2, label=f"chance ({100 * chance:.0f}%)")
        if metric in logy:
            ax.set_yscale("log")
        ax.set_title(labels_of[metric])
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(labels_of[metric] + (" (%)" if percent else ""))
    for ax in list(axes.flat)[len(metrics):]:
        ax.remove()
    if suptitle:
        fig.suptitle(suptitle)
    # one legend for all panels, below them, where it hides no line
    handles, labels = axes.flat[0].get_legend_handles_labels()
    ncol = min(len(labels), 2 if max(len(label) for label in labels) > 30 else 4)
    legend_inches = 0.1 + 0.2 * -(-len(labels) // ncol)
    fig.set_figheight(fig.get_figheight() + legend_inches)
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize="small", frameon=False)
    fig.tight_layout(rect=(0, legend_inches / fig.get_figheight(), 1, 1))
    return fig


def plot_parts(
    full: Mapping[str, tuple[float, float]],
    spread: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    reused: Mapping[str, str],
    full_title: str,
    spread_title: str,
):
    """Part 1 against part 2, per criterion: two panels of accuracies (fractions, drawn in percent).

    ``full`` maps a criterion to its (part 1, part 2) accuracy at the full budget; ``spread`` maps it to
    (part-1 values, part-2 values), one per seed, at a reduced budget, drawn as dots with their range.
    ``reused`` maps a criterion whose part-2 run is another run to a note saying which; its part-2
    markers are hollow and its label ends in "*". Part 1 is drawn just above the criterion's row and
    part 2 just below, so equal values stay visible; the legend sits below the panels.
    """
    names = list(full)
    if not names:
        raise ValueError("full is empty: pass {criterion: (part-1 accuracy, part-2 accuracy)}.")
    if set(spread) != set(names):
        odd = sorted(set(names) ^ set(spread))
        raise ValueError(f"spread must have the criteria of full, no more: {odd} differ.")
    if set(reused) - set(names):
        raise ValueError(f"reused names unknown criteria {sorted(set(reused) - set(names))}: use names of full.")
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.55 * len(names) + 2.6), sharey=True)
    offset = {1: -0.17, 2: 0.17}  # rows run downwards: part 1 above, part 2 below
    colours = {1: "tab:red", 2: "tab:blue"}
    for row, name in enumerate(names):
        hollow = name in reused
        for part in (1, 2):
            y = row + offset[part]
            face = "none" if hollow and part == 2 else colours[part]
            axes[0].plot(100 * full[name][part - 1], y, "o" if part == 1 else "s", color=colours[part], mfc=face, ms=8)
            values = [100 * v for v in spread[name][part - 1]]
            if values:
                axes[1].plot([min(values), max(values)], [y, y], "-", color=colours[part], lw=2, alpha=0.6)
                axes[1].plot(values, [y] * len(values), "o" if part == 1 else "s", color=colours[part], mfc=face, ms=6)
        axes[0].plot([100 * full[name][0], 100 * full[name][1]], [row + offset[1], row + offset[2]], color="0.6",
                     lw=1, zorder=0)
    labels = [n + (" *" if n in reused else "") for n in names]
    for ax, title in zip(axes, (full_title, spread_title), strict=True):
        ax.set_yticks(range(len(names)), labels)
        ax.set_ylim(len(names) - 0.5, -0.5)
        ax.set_xlabel("accuracy (%)")
        ax.set_title(title, fontsize="medium")
        ax.grid(axis="x", alpha=0.4)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colours[1], marker="o", ls="none", label="part 1: as in the article"),
               Line2D([], [], color=colours[2], marker="s", ls="none", label="part 2: used correctly"),
               Line2D([], [], color=colours[2], marker="s", mfc="none", ls="none",
                      label="part 2 of a criterion marked *: a reused run, not trained for part 2")]
    handles += [Line2D([], [], color="0.3", lw=2, alpha=0.6, label="range over the seeds")]
    legend_inches = 0.9
    fig.set_figheight(fig.get_figheight() + legend_inches)
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize="small", frameon=False)
    fig.suptitle("Part 1 against part 2, per criterion")
    fig.tight_layout(rect=(0, legend_inches / fig.get_figheight(), 1, 1))
    return fig


def plot_seed_spread(
    values: Mapping[str, Sequence[float]],
    groups: Mapping[str, str],
    title: str,
    chance: float | None = None,
):
    """One row per configuration: its accuracy at every seed (dots, in percent) and their range (a bar).

    ``values`` maps a configuration's label to its accuracies (fractions), one per seed; ``groups``
    maps every label to a group name (e.g. "part 1: as in the article"), which sets its colour and
    legend entry. ``chance`` draws a grey dotted vertical line at that accuracy.
    """
    if not values:
        raise ValueError("values is empty: pass {label: [accuracy per seed]}.")
    if set(groups) != set(values):
        raise ValueError(f"groups must name the labels of values: {sorted(set(groups) ^ set(values))} differ.")
    colours = dict(zip(dict.fromkeys(groups[k] for k in values), plt.rcParams["axes.prop_cycle"].by_key()["color"],
                       strict=False))
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(values) + 1.8))
    for row, (label, accs) in enumerate(values.items()):
        pct = [100 * a for a in accs]
        colour = colours[groups[label]]
        ax.plot([min(pct), max(pct)], [row, row], "-", color=colour, lw=3, alpha=0.45)
        ax.plot(pct, [row] * len(pct), "o", color=colour, ms=6,
                label=groups[label] if row == [groups[k] for k in values].index(groups[label]) else None)
    if chance is not None:
        ax.axvline(100 * chance, color="0.5", ls=":", lw=1.2, label=f"chance ({100 * chance:.0f}%)")
    ax.set_yticks(range(len(values)), list(values))
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.set_xlabel("accuracy (%)")
    ax.set_title(title, fontsize="medium")
    ax.grid(axis="x", alpha=0.4)
    ax.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
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

