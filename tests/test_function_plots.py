"""Tests for course_utils.function_plots: derivative values, bad input, labels and titles."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch

from course_utils.function_plots import (
    DerivativePlot,
    autograd_derivative,
    default_grid,
    plot_with_derivative,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_default_grid_is_the_articles_grid_in_float64():
    x = default_grid()
    assert x.dtype == torch.float64
    assert x.shape == (100,)
    assert x[0].item() == -10.0 and x[-1].item() == 10.0


def test_derivative_of_sigmoid_matches_closed_form():
    x = default_grid()
    y, dy = autograd_derivative(torch.sigmoid, x)
    s = torch.sigmoid(x)
    torch.testing.assert_close(y, s)
    torch.testing.assert_close(dy, s * (1 - s), rtol=0, atol=1e-15)


def test_derivative_of_cubic_matches_closed_form_and_input_is_untouched():
    x = torch.linspace(-3, 3, 61, dtype=torch.float64)
    result = plot_with_derivative(lambda t: t**3 - 2 * t, x, title="Cubic")
    assert isinstance(result, DerivativePlot)
    torch.testing.assert_close(result.dy, 3 * x**2 - 2)
    torch.testing.assert_close(result.y, x**3 - 2 * x)
    assert not x.requires_grad and x.grad is None


def test_derivative_catches_a_wrong_formula():
    x = default_grid()
    _, dy = autograd_derivative(torch.tanh, x)
    with pytest.raises(AssertionError):
        torch.testing.assert_close(dy, 1 - torch.tanh(x))  # the right one is 1 - tanh(x)**2


def test_module_works_as_fn():
    x = torch.linspace(-2, 2, 9, dtype=torch.float64)
    _, dy = autograd_derivative(torch.nn.ReLU(), x)
    torch.testing.assert_close(dy, (x > 0).double())


def test_side_layout_labels_and_titles():
    res = plot_with_derivative(torch.tanh, title="Tanh and its derivative", name="tanh")
    axes = res.fig.get_axes()
    assert len(axes) == 2
    assert res.fig._suptitle.get_text() == "Tanh and its derivative"
    assert axes[0].get_title() == "tanh(x)"
    assert axes[1].get_title() == "tanh'(x) (autograd)"
    for ax in axes:
        assert ax.get_xlabel() == "x" and ax.get_ylabel()


def test_shared_layout_into_given_axes_has_legend_and_labels():
    fig, (a, b) = plt.subplots(1, 2)
    res = plot_with_derivative(torch.abs, title="MAE", name="L", xlabel="d", ax=b)
    assert res.fig is fig
    assert b.get_title() == "MAE" and b.get_xlabel() == "d" and b.get_ylabel() == "L(d), L'(d)"
    labels = [t.get_text() for t in b.get_legend().get_texts()]
    assert labels == ["L(d)", "L'(d) (autograd)"]
    assert not a.lines  # the other axes is left alone


def test_derivative_label_replaces_the_derivative_name_in_both_layouts():
    x = torch.linspace(-3, 3, 31, dtype=torch.float64)
    label = "∂(Σ softmax)/∂x"
    res = plot_with_derivative(lambda t: torch.softmax(t, dim=0), x, title="Softmax", name="softmax",
                               derivative_label=label)
    assert res.fig.get_axes()[1].get_title() == label
    assert res.fig.get_axes()[1].get_ylabel() == label
    torch.testing.assert_close(res.dy, torch.zeros_like(x), rtol=0, atol=1e-12)  # the sum is always 1
    fig, ax = plt.subplots()
    plot_with_derivative(torch.tanh, x, title="Tanh", name="tanh", ax=ax, derivative_label="slope")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["tanh(x)", "slope"]
    assert ax.get_ylabel() == "tanh(x), slope"


def test_empty_derivative_label_is_refused():
    with pytest.raises(ValueError, match="derivative_label"):
        plot_with_derivative(torch.tanh, title="Tanh", derivative_label=" ")


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"fn": 3}, TypeError, "callable"),
        ({"x": [1.0, 2.0]}, TypeError, "torch.Tensor"),
        ({"x": torch.zeros(2, 3)}, ValueError, "1-D"),
        ({"x": torch.arange(5)}, TypeError, "floating"),
        ({"fn": lambda t: t.sum()}, ValueError, "shaped like x"),
        ({"fn": lambda t: t.detach() * 2}, ValueError, "does not depend"),
        ({"layout": "stacked"}, ValueError, "layout"),
        ({"title": ""}, ValueError, "title"),
    ],
)
def test_bad_input_raises_a_clear_error(kwargs, error, match):
    args = {"fn": torch.sigmoid, "x": None, "title": "Sigmoid"} | kwargs
    with pytest.raises(error, match=match):
        plot_with_derivative(args.pop("fn"), args.pop("x"), **args)


def test_ax_with_side_layout_is_refused():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="shared"):
        plot_with_derivative(torch.sigmoid, title="Sigmoid", layout="side", ax=ax)


def test_bad_grid_size_is_refused():
    with pytest.raises(ValueError, match="points"):
        default_grid(1)
