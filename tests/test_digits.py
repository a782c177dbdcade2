"""Tests for course_utils.digits: grids of digits and class-count bar charts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from course_utils.digits import WRONG_COLOUR, nearest_mean_accuracy, plot_class_counts, show_digit_grid
from course_utils.plotting import figure_text


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def panels(fig):
    """The axes that hold an image, in order."""
    return [ax for ax in fig.axes if ax.images]


@pytest.mark.parametrize(
    "images",
    [torch.zeros(10, 28, 28, dtype=torch.uint8), torch.rand(10, 1, 28, 28), np.zeros((10, 784))],
    ids=["NHW-uint8", "N1HW-float", "flat-numpy"],
)
def test_grid_accepts_common_shapes(images):
    labels = torch.arange(10)
    fig = show_digit_grid(images, labels, n=10, title="Ten digits", ncols=4)
    assert fig._suptitle.get_text() == "Ten digits"
    shown = panels(fig)
    assert len(shown) == 10 and len(fig.axes) == 12  # 3 rows of 4, two empty panels
    assert [ax.get_title() for ax in shown] == [str(i) for i in range(10)]
    assert shown[0].images[0].get_array().shape == (28, 28)
    assert figure_text(fig).startswith("[figure: Ten digits; 0; 1; 2")


def test_grid_shows_only_first_n():
    fig = show_digit_grid(np.zeros((20, 8, 8)), np.arange(20) % 10, n=5)
    assert [ax.get_title() for ax in panels(fig)] == ["0", "1", "2", "3", "4"]
    assert len(fig.axes) == 5  # one row: no more columns than images


def test_grid_with_predictions_marks_wrong_ones():
    labels = torch.tensor([3, 5, 7])
    preds = torch.tensor([3, 6, 7])
    fig = show_digit_grid(torch.zeros(3, 28, 28), labels, n=3, predictions=preds, title="Mistakes")
    titles = [ax.title for ax in panels(fig)]
    assert [t.get_text() for t in titles] == ["3→3", "5→6", "7→7"]
    red = matplotlib.colors.to_rgba(WRONG_COLOUR)
    assert [matplotlib.colors.to_rgba(t.get_color()) == red for t in titles] == [False, True, False]


@pytest.mark.parametrize(
    ("images", "labels", "kwargs", "message"),
    [
        (np.zeros((4, 28)), np.arange(4), {}, "square number of pixels"),
        (np.zeros((4, 3, 28, 28)), np.arange(4), {}, "must have shape"),
        (np.zeros(28), np.arange(1), {}, "must have shape"),
        (np.zeros((4, 28, 28)), np.arange(3), {"n": 3}, "one entry per image"),
        (np.zeros((4, 28, 28)), np.arange(4), {"n": 5}, "n must be an int from 1 to"),
        (np.zeros((4, 28, 28)), np.arange(4), {"n": 0}, "n must be an int from 1 to"),
        (np.zeros((4, 28, 28)), np.arange(4), {"n": 2, "predictions": np.arange(2)}, "predictions must be"),
        (np.zeros((4, 28, 28)), np.arange(4), {"n": 2, "ncols": 0}, "ncols must be"),
    ],
)
def test_grid_bad_input(images, labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        show_digit_grid(images, labels, **kwargs)


def test_class_counts_bars_and_labels():
    labels = torch.tensor([0, 1, 1, 2, 2, 2, 4])
    fig = plot_class_counts(labels, title="Toy counts")
    (ax,) = fig.axes
    assert ax.get_title() == "Toy counts" and figure_text(fig) == "[figure: Toy counts]"
    assert ax.get_xlabel() and ax.get_ylabel()
    assert [p.get_height() for p in ax.patches] == [1, 2, 3, 0, 1]  # class 3 shown with zero images
    assert [t.get_text() for t in ax.texts] == ["1", "2", "3", "0", "1"]


def test_class_counts_num_classes_pads():
    fig = plot_class_counts(np.array([0, 0, 1]), num_classes=10)
    assert len(fig.axes[0].patches) == 10


@pytest.mark.parametrize(
    ("labels", "kwargs", "message"),
    [
        (np.array([], dtype=np.int64), {}, "non-empty 1-D"),
        (np.zeros((2, 2), dtype=np.int64), {}, "non-empty 1-D"),
        (np.array([0.5, 1.0]), {}, "non-negative integers"),
        (np.array([-1, 2]), {}, "non-negative integers"),
        (np.array([0, 12]), {"num_classes": 10}, "too small"),
    ],
)
def test_class_counts_bad_input(labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_class_counts(labels, **kwargs)


def test_nearest_mean_accuracy_counts_right_answers():
    # two classes: class 0 dark images, class 7 bright; the third test image is mislabelled on purpose
    train = torch.tensor([[0, 10], [10, 0], [250, 240], [240, 250]], dtype=torch.uint8)
    train_y = torch.tensor([0, 0, 7, 7])
    test = torch.tensor([[5, 5], [255, 255], [0, 0], [200, 230]], dtype=torch.uint8)
    test_y = torch.tensor([0, 7, 7, 7])
    assert nearest_mean_accuracy(train, train_y, test, test_y) == 0.75


def test_nearest_mean_accuracy_uses_distance_not_brightness():
    # the same total ink, placed differently: only a distance between images tells them apart
    train = torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]]])
    labels = torch.tensor([0, 1])
    assert nearest_mean_accuracy(train, labels, torch.tensor([[[0.9, 0.1]], [[0.2, 0.8]]]), labels) == 1.0


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((np.zeros((2, 4)), torch.tensor([0, 1]), torch.zeros(1, 4), torch.tensor([0])), TypeError, "torch tensor"),
        ((torch.zeros(2, 4), torch.tensor([0.0, 1.0]), torch.zeros(1, 4), torch.tensor([0])), ValueError, "integer"),
        ((torch.zeros(2, 4), torch.tensor([0]), torch.zeros(1, 4), torch.tensor([0])), ValueError, "one label"),
        ((torch.zeros(2, 4), torch.tensor([0, 1]), torch.zeros(1, 9), torch.tensor([0])), ValueError, "differ in size"),
    ],
)
def test_nearest_mean_accuracy_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        nearest_mean_accuracy(*args)
