"""Tests for course_utils.experiment_plots: curves per run and the confusion matrix."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from course_utils.experiment_plots import METRIC_LABELS, plot_confusion_matrix, plot_curves, plot_parts
from course_utils.plotting import figure_text
from course_utils.training import EpochStats


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def history(acc: list[float], test: bool = True) -> list[EpochStats]:
    return [EpochStats(i + 1, 1.0 - a, a, a, a if test else None, 1.0, 0.1) for i, a in enumerate(acc)]


def test_curves_one_axes_per_metric_one_line_per_run_in_percent():
    runs = {"A": history([0.5, 0.7, 0.9]), "B": history([0.2, 0.4, 0.6])}
    fig = plot_curves(runs, metrics=("batch_loss", "test_accuracy"), suptitle="Runs")
    axes = fig.get_axes()
    assert [ax.get_title() for ax in axes] == [METRIC_LABELS["batch_loss"], METRIC_LABELS["test_accuracy"]]
    assert all(len(ax.get_lines()) == 2 and ax.get_xlabel() == "epoch" and ax.get_ylabel() for ax in axes)
    np.testing.assert_allclose(axes[1].get_lines()[0].get_ydata(), [50, 70, 90])  # accuracy in percent
    np.testing.assert_allclose(axes[0].get_lines()[1].get_ydata(), [0.8, 0.6, 0.4])  # loss as is
    # one legend for both panels, on the figure, not over a panel's lines
    assert axes[0].get_legend() is None and len(fig.legends) == 1
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["A", "B"]
    assert figure_text(fig).startswith("[figure: Runs; ")


def test_curves_grid_drops_unused_axes_and_log_scale():
    fig = plot_curves({"A": history([0.5, 0.6])}, metrics=("batch_loss", "batch_accuracy", "test_accuracy"),
                      ncols=2, logy=("batch_loss",))
    assert len(fig.get_axes()) == 3
    assert fig.get_axes()[0].get_yscale() == "log" and fig.get_axes()[1].get_yscale() == "linear"


def test_curves_single_panel_puts_its_legend_below_with_the_reference_line():
    fig = plot_curves({"A": history([0.5, 0.6]), "B": history([0.4, 0.7])}, metrics=("train_accuracy",),
                      reference=("published", [45.0, 65.0]), titles={"train_accuracy": "accuracy, training set"})
    ax = fig.get_axes()[0]
    assert ax.get_legend() is None and [t.get_text() for t in fig.legends[0].get_texts()] == ["A", "B", "published"]
    np.testing.assert_allclose(ax.get_lines()[2].get_ydata(), [45.0, 65.0])  # drawn as given
    assert ax.get_title() == "accuracy, training set" and ax.get_ylabel() == "accuracy, training set (%)"


def test_curves_that_coincide_stay_distinguishable():
    same = history([0.5, 0.6])
    fig = plot_curves({"A": same, "B (the same run)": same}, metrics=("test_accuracy",))
    a, b = fig.get_axes()[0].get_lines()
    np.testing.assert_allclose(a.get_ydata(), b.get_ydata())
    assert (a.get_marker(), a.get_linestyle(), a.get_markersize()) != (b.get_marker(), b.get_linestyle(),
                                                                         b.get_markersize())


def test_parts_figure_marks_reused_runs_and_keeps_equal_points_apart():
    full = {"CE": (0.90, 0.97), "MSE": (0.89, 0.89)}
    spread = {"CE": ([0.5, 0.6], [0.8, 0.85]), "MSE": ([0.3, 0.35], [0.3, 0.35])}
    fig = plot_parts(full, spread, {"MSE": "reused: part 1's run"}, full_title="full", spread_title="spread")
    left, right = fig.get_axes()[:2]
    assert [t.get_text() for t in left.get_yticklabels()] == ["CE", "MSE *"]
    assert left.get_title() == "full" and right.get_title() == "spread" and len(fig.legends) == 1
    assert left.get_legend() is None and right.get_legend() is None
    points = [line for line in left.get_lines() if line.get_marker() in ("o", "s")]
    mse = [line for line in points if line.get_xdata()[0] == pytest.approx(89.0)]
    assert len(mse) == 2 and mse[0].get_ydata()[0] != mse[1].get_ydata()[0]  # the same value, both visible
    assert {line.get_markerfacecolor() for line in mse} >= {"none"}  # part 2 of a reused run is hollow
    dots = [line for line in right.get_lines() if line.get_marker() in ("o", "s")]
    assert sorted(round(x, 6) for line in dots for x in line.get_xdata()) == sorted(
        [50.0, 60.0, 80.0, 85.0, 30.0, 35.0, 30.0, 35.0])


def test_parts_figure_refuses_mismatched_criteria():
    with pytest.raises(ValueError, match="full is empty"):
        plot_parts({}, {}, {}, "a", "b")
    with pytest.raises(ValueError, match="spread must have the criteria of full"):
        plot_parts({"CE": (0.9, 0.97)}, {}, {}, "a", "b")
    with pytest.raises(ValueError, match="reused names unknown criteria"):
        plot_parts({"CE": (0.9, 0.97)}, {"CE": ([0.5], [0.8])}, {"KL": "x"}, "a", "b")


def test_curves_refuse_bad_input():
    with pytest.raises(ValueError, match="histories is empty"):
        plot_curves({})
    with pytest.raises(ValueError, match="unknown metric"):
        plot_curves({"A": history([0.5])}, metrics=("loss",))
    with pytest.raises(ValueError, match="did not measure 'test_accuracy'"):
        plot_curves({"A": history([0.5], test=False)}, metrics=("test_accuracy",))
    with pytest.raises(ValueError, match="no epochs"):
        plot_curves({"A": []})


def test_confusion_matrix_shows_every_count():
    cm = torch.tensor([[5, 1, 0], [2, 7, 0], [0, 0, 9]])
    fig = plot_confusion_matrix(cm, title="CM", class_names=["a", "b", "c"])
    ax = fig.get_axes()[0]
    assert ax.get_title() == "CM" and ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert sorted(int(t.get_text()) for t in ax.texts) == sorted(cm.flatten().tolist())
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.zeros((2, 3)), title="x")
    with pytest.raises(ValueError, match="class names"):
        plot_confusion_matrix(cm, title="x", class_names=["a"])


def test_curves_draw_a_chance_line_in_accuracy_panels_only():
    from course_utils.experiment_plots import plot_curves as curves

    fig = curves({"A": history([0.5, 0.7])}, metrics=("batch_loss", "test_accuracy"), chance=0.1)
    loss_ax, acc_ax = fig.axes[:2]
    assert any(line.get_label() == "chance (10%)" for line in acc_ax.lines)
    assert not any(line.get_label() == "chance (10%)" for line in loss_ax.lines)
    assert [10.0, 10.0] == list(next(line for line in acc_ax.lines if "chance" in line.get_label()).get_ydata())


def test_seed_spread_one_row_per_configuration_with_range_and_chance():
    from course_utils.experiment_plots import plot_seed_spread

    fig = plot_seed_spread({"a": [0.2, 0.3], "b": [0.9, 0.95, 0.92]}, {"a": "part 1", "b": "part 2"},
                           title="spread", chance=0.1)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    ranges = [line for line in ax.lines if line.get_linestyle() == "-"]
    assert list(ranges[1].get_xdata()) == pytest.approx([90.0, 95.0])
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["part 1", "part 2", "chance (10%)"]
    assert ax.get_xlabel() == "accuracy (%)" and ax.get_title() == "spread"


def test_seed_spread_needs_a_group_for_every_label():
    from course_utils.experiment_plots import plot_seed_spread

    with pytest.raises(ValueError, match="groups"):
        plot_seed_spread({"a": [0.2]}, {}, title="t")
