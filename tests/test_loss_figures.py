"""Tests for course_utils.loss_figures: what is drawn, labels and legends, and errors on bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.patches import FancyArrow

from course_utils.loss_figures import curve_panels, embedding_axes, embedding_step_figure, step_arrows


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_curve_panels_draws_every_curve_with_labels():
    x = torch.linspace(0, 1, 11)
    fig, axes = curve_panels(x, [{"a": x, "b": x**2}, {"c": [1.0] * 11}], xlabel="q",
                             titles=["left", "right"], ylabels=["loss", "gradient"], zero_line=True)
    assert len(axes) == 2 and fig.get_axes() == axes
    assert [line.get_label() for line in axes[0].get_lines()][:2] == ["a", "b"]
    assert axes[0].get_lines()[1].get_ydata()[-1] == pytest.approx(1.0)
    assert axes[1].get_title() == "right" and axes[1].get_ylabel() == "gradient"
    assert axes[0].get_xlabel() == "q"
    assert all(ax.get_legend() is not None for ax in axes)
    assert len(axes[1].get_lines()) == 2  # the curve and the zero line


def test_curve_panels_keeps_a_label_s_colour_across_panels():
    x = [0.0, 1.0]
    _, axes = curve_panels(x, [{"a": x}, {"b": x}], xlabel="x", titles=["1", "2"], ylabels=["y", "y"],
                           colors={"b": "C3"})
    assert axes[1].get_lines()[0].get_color() == "C3"
    assert axes[0].get_lines()[0].get_color() != "C3"


@pytest.mark.parametrize("kwargs, message", [
    ({"panels": []}, "panels is empty"),
    ({"titles": ["only one"]}, "one title and one y label per panel"),
    ({"panels": [{"a": [1.0, 2.0]}, {"b": [1.0, 2.0, 3.0]}]}, "compute one value per x"),
    ({"panels": [{}, {"b": [1.0, 2.0, 3.0]}]}, "has no curves"),
    ({"x": [[1.0, 2.0, 3.0]]}, "one-dimensional"),
    ({"panels": [{"a": "abc"}, {"b": [1.0, 2.0, 3.0]}]}, "must be numbers"),
])
def test_curve_panels_rejects_bad_input(kwargs, message):
    args = {"x": [0.0, 1.0, 2.0], "panels": [{"a": [1.0, 2.0, 3.0]}, {"b": [1.0, 2.0, 3.0]}],
            "xlabel": "x", "titles": ["t1", "t2"], "ylabels": ["y1", "y2"]}
    args.update(kwargs)
    x = args.pop("x")
    panels = args.pop("panels")
    with pytest.raises(ValueError, match=message):
        curve_panels(x, panels, **args)


def test_step_arrows_skips_zero_steps_and_labels_points():
    fig, ax = plt.subplots()
    points = torch.tensor([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    steps = torch.tensor([[0.1, 0.0], [0.0, 0.0], [0.0, -0.2]])
    drawn = step_arrows(ax, points, steps, scale=2.0, color="C1", label="x2")
    assert drawn == 2
    arrows = [p for p in ax.patches if isinstance(p, FancyArrow)]
    assert len(arrows) == 2
    assert ax.get_lines()[0].get_label() == "x2"
    embedding_axes(ax, "plane", (-1, 3), (-1, 2))
    assert ax.get_title() == "plane" and ax.get_xlim() == (-1, 3) and ax.get_xlabel() == "embedding dim 1"


def test_step_arrows_rejects_bad_shapes_and_scale():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        step_arrows(ax, torch.zeros(3, 3), torch.zeros(3, 3), scale=1.0, color="C0", label="p")
    with pytest.raises(ValueError, match="scale must be positive"):
        step_arrows(ax, torch.zeros(3, 2), torch.zeros(3, 2), scale=0.0, color="C0", label="p")


def test_embedding_step_figure_draws_three_titled_panels_with_legends():
    ring = torch.tensor([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    steps = torch.tensor([[0.0, 0.1], [0.1, 0.0], [0.0, 0.0]])
    pts = {"anchor": torch.zeros(2), "positive": torch.tensor([1.0, 0.0]), "negative": torch.tensor([0.0, 1.0])}
    fig, axes = embedding_step_figure(torch.tensor([1.0, 0.5]), ring, {"left": steps, "middle": steps}, pts,
                                      {k: torch.tensor([0.1, 0.1]) for k in pts}, margin=1.0)
    assert [ax.get_title() for ax in axes[:2]] == ["left", "middle"]
    assert all(ax.get_legend() is not None and ax.get_xlabel() for ax in axes)
    assert sum(isinstance(p, FancyArrow) for p in axes[0].patches) == 2  # the zero step gets no arrow
    with pytest.raises(ValueError, match="anchor"):
        embedding_step_figure(torch.zeros(2), ring, {"a": steps, "b": steps}, {"anchor": torch.zeros(2)}, {},
                              margin=1.0)
