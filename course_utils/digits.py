"""Pictures of handwritten digits: a labelled grid of images and a bar chart of class counts; and the
nearest-class-mean baseline, the accuracy a classifier with no training beyond averaging reaches.

The two plotting functions accept torch tensors or NumPy arrays, draw with pyplot (end the notebook cell
with ``plt.show()``) and return the :class:`~matplotlib.figure.Figure`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

WRONG_COLOUR = "tab:red"


def _numpy(x, what: str) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    try:
        return np.asarray(x)
    except Exception as err:
        raise TypeError(f"{what} must be a tensor or an array, got {type(x).__name__}.") from err


def _as_images(images) -> np.ndarray:
    """``[N, H, W]``, ``[N, 1, H, W]`` or flat square ``[N, H*W]`` → ``[N, H, W]``."""
    arr = _numpy(images, "images")
    if arr.ndim == 4 and arr.shape[1] == 1:
        arr = arr[:, 0]
    elif arr.ndim == 2:
        side = math.isqrt(arr.shape[1])
        if side * side != arr.shape[1]:
            raise ValueError(f"flat images need a square number of pixels, got {arr.shape[1]}: reshape them first.")
        arr = arr.reshape(len(arr), side, side)
    if arr.ndim != 3:
        raise ValueError(
            f"images must have shape [N, H, W], [N, 1, H, W] or [N, H*W], got {list(arr.shape)}."
        )
    return arr


def _as_labels(labels, n: int, what: str) -> np.ndarray:
    arr = _numpy(labels, what)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{what} must be a 1-D sequence with one entry per image ({n}), got shape {list(arr.shape)}.")
    return arr


def show_digit_grid(images, labels, n: int = 32, title: str = "Digits", predictions=None, ncols: int = 8) -> Figure:
    """Show the first ``n`` images in a grid, each titled with its label.

    With ``predictions``, each panel reads ``label→prediction`` and the wrong ones are drawn in red,
    which is how the misclassified digits of a model are shown.
    """
    pics = _as_images(images)
    labs = _as_labels(labels, len(pics), "labels")
    preds = None if predictions is None else _as_labels(predictions, len(pics), "predictions")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= len(pics):
        raise ValueError(f"n must be an int from 1 to the number of images ({len(pics)}), got {n!r}.")
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}.")
    ncols = min(ncols, n)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.1 * ncols, 1.3 * nrows + 0.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(pics[i], cmap="gray_r")
        if preds is None:
            ax.set_title(f"{labs[i]}", fontsize=10)
        else:
            wrong = preds[i] != labs[i]
            ax.set_title(f"{labs[i]}→{preds[i]}", fontsize=10, color=WRONG_COLOUR if wrong else "black")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_class_counts(labels, title: str = "Images per class", num_classes: int | None = None) -> Figure:
    """Bar chart of how many times each class 0, 1, ... occurs in ``labels``, with the counts on the bars."""
    labs = _numpy(labels, "labels")
    if labs.ndim != 1 or len(labs) == 0:
        raise ValueError(f"labels must be a non-empty 1-D sequence, got shape {list(labs.shape)}.")
    if not np.issubdtype(labs.dtype, np.integer) or labs.min() < 0:
        raise ValueError("labels must be non-negative integers (class indices such as 0 to 9).")
    k = int(labs.max()) + 1 if num_classes is None else num_classes
    if k < int(labs.max()) + 1:
        raise ValueError(f"num_classes={k} is too small for a label {int(labs.max())}: leave it out or raise it.")
    counts = np.bincount(labs, minlength=k)
    fig, ax = plt.subplots()
    bars = ax.bar(np.arange(k), counts, color="tab:blue")
    ax.bar_label(bars, labels=[str(c) for c in counts], fontsize=8, padding=2)
    ax.set_xticks(np.arange(k))
    ax.set_xlabel("digit (class)")
    ax.set_ylabel("number of images")
    ax.set_ylim(0, counts.max() * 1.12)
    ax.set_title(title)
    return fig


def nearest_mean_accuracy(train_images, train_labels, test_images, test_labels) -> float:
    """Accuracy of the nearest-class-mean classifier: each test image gets the label whose mean training
    image is nearest in Euclidean distance (pixels scaled by their largest value, 255 for ``uint8``).

    Images are ``[N, H, W]``, ``[N, 1, H, W]`` or ``[N, H*W]`` tensors, labels integer tensors of shape ``[N]``.
    """
    for name, t in (("train_images", train_images), ("train_labels", train_labels),
                    ("test_images", test_images), ("test_labels", test_labels)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch tensor, got {type(t).__name__}.")
    if train_labels.is_floating_point() or test_labels.is_floating_point():
        raise ValueError("labels must be integer tensors (class numbers), not floating point.")
    if len(train_images) != len(train_labels) or len(test_images) != len(test_labels) or len(train_labels) == 0:
        raise ValueError("each image set needs exactly one label per image, and the training set at least one image.")
    scale = 255.0 if train_images.dtype == torch.uint8 else 1.0
    x_train = train_images.reshape(len(train_images), -1)   # a view: no float copy of the whole set
    x_test = test_images.reshape(len(test_images), -1).float() / scale
    if x_train.shape[1] != x_test.shape[1]:
        raise ValueError(f"train and test images differ in size: {x_train.shape[1]} and {x_test.shape[1]} pixels.")
    classes = torch.unique(train_labels)
    means = torch.stack([x_train[train_labels == c].float().mean(dim=0) / scale for c in classes])
    nearest = classes[torch.cdist(x_test, means).argmin(dim=1)]
    return (nearest == test_labels).double().mean().item()
