"""Tests for course_utils.loss_surfaces: grid values, argmin, bad input, figure labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch

from course_utils.loss_surfaces import grid_argmin, loss_grid, plot_loss_contours


def mse(pred, target, reduction="mean"):
    per = (pred - target) ** 2
    return per if reduction == "none" else per.mean()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def line_data():
    x = torch.linspace(0, 4, 9, dtype=torch.float64)
    return x, 2 * x + 1


def test_grid_entries_are_the_loss_of_each_line(line_data):
    x, y = line_data
    ws = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    bs = torch.tensor([0.0, 1.0], dtype=torch.float64)
    grid = loss_grid(mse, x, y, ws, bs)
    assert grid.shape == (3, 2)
    for i, w in enumerate(ws):
        for j, b in enumerate(bs):
            torch.testing.assert_close(grid[i, j], mse(w * x + b, y))


def test_argmin_finds_the_true_line(line_data):
    x, y = line_data
    ws = torch.linspace(0, 4, 41, dtype=torch.float64)
    bs = torch.linspace(-2, 2, 41, dtype=torch.float64)
    w, b = grid_argmin(loss_grid(mse, x, y, ws, bs), ws, bs)
    assert abs(w - 2) < 1e-12 and abs(b - 1) < 1e-12


def test_contour_figure_has_titles_labels_and_legend(line_data):
    x, y = line_data
    ws = torch.linspace(0, 4, 21, dtype=torch.float64)
    bs = torch.linspace(-2, 2, 31, dtype=torch.float64)
    grid = loss_grid(mse, x, y, ws, bs)
    fig = plot_loss_contours({"MSE": grid, "MSE again": grid}, ws, bs, marks={"truth": (2.0, 1.0)},
                             title="Surfaces")
    axes = fig.get_axes()
    assert [ax.get_title() for ax in axes] == ["MSE", "MSE again"]
    assert all(ax.get_xlabel() == "intercept b" and ax.get_ylabel() == "slope w" for ax in axes)
    assert fig._suptitle.get_text() == "Surfaces"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["truth"]
    assert all(ax.texts for ax in axes)                  # contour levels are labelled with their loss


def test_no_level_label_covers_a_mark(line_data):
    x, y = line_data
    ws = torch.linspace(0, 4, 21, dtype=torch.float64)
    bs = torch.linspace(-2, 2, 31, dtype=torch.float64)
    grid = loss_grid(mse, x, y, ws, bs)
    first = plot_loss_contours({"MSE": grid}, ws, bs, marks={"truth": (2.0, 1.0)}, title="Surfaces")
    spots = [t.get_position() for t in first.get_axes()[0].texts]        # (b, w) of the labels kept there
    marks = {"truth": (2.0, 1.0)} | {f"on label {i}": (w, b) for i, (b, w) in enumerate(spots[:3])}
    fig = plot_loss_contours({"MSE": grid}, ws, bs, marks=marks, title="Surfaces")
    left = [t.get_position() for t in fig.get_axes()[0].texts]
    assert spots and len(left) < len(spots)
    assert not any(abs(tb - b) < 0.24 and abs(tw - w) < 0.24 for tb, tw in left for w, b in marks.values())


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"loss_fn": 3}, TypeError, "callable"),
        ({"x": [1.0, 2.0]}, TypeError, "torch.Tensor"),
        ({"ws": torch.zeros(2, 2, dtype=torch.float64)}, ValueError, "1-D"),
        ({"y": torch.zeros(3, dtype=torch.float64)}, ValueError, "same shape"),
        ({"loss_fn": lambda p, t, r: (p - t).mean()}, ValueError, "one loss per element"),
    ],
)
def test_bad_input_raises_a_clear_error(line_data, kwargs, error, match):
    x, y = line_data
    args = {"loss_fn": mse, "x": x, "y": y, "ws": torch.linspace(0, 1, 3, dtype=torch.float64),
            "bs": torch.linspace(0, 1, 4, dtype=torch.float64)} | kwargs
    with pytest.raises(error, match=match):
        loss_grid(**args)


def test_plot_refuses_empty_or_misshapen_grids(line_data):
    ws = torch.linspace(0, 1, 3, dtype=torch.float64)
    bs = torch.linspace(0, 1, 4, dtype=torch.float64)
    with pytest.raises(ValueError, match="empty"):
        plot_loss_contours({}, ws, bs, marks={}, title="t")
    with pytest.raises(ValueError, match="shape"):
        plot_loss_contours({"a": torch.zeros(4, 3)}, ws, bs, marks={}, title="t")
    with pytest.raises(ValueError, match="shape"):
        grid_argmin(torch.zeros(4, 3), ws, bs)
