"""Tests for course_utils.calibration: the Newton fitter reaches the optimum, the bins and the diagram."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
import torch.nn.functional as F

from course_utils.calibration import fit_logistic, plot_reliability, predict, reliability_bins


def data(n=2000, seed=0):
    torch.manual_seed(seed)
    x = torch.randn(n, 2, dtype=torch.float64)
    y = torch.bernoulli(torch.sigmoid(1.5 * x[:, 0] - x[:, 1] - 2.0))
    return x, y


def test_fit_reaches_a_zero_gradient_and_recovers_the_model():
    x, y = data(20_000)
    params = fit_logistic(x, y)
    leaf = params.clone().requires_grad_()
    (g,) = torch.autograd.grad(F.binary_cross_entropy_with_logits(x @ leaf[:2] + leaf[2], y), leaf)
    assert g.abs().max() < 1e-10
    assert torch.allclose(params, torch.tensor([1.5, -1.0, -2.0], dtype=torch.float64), atol=0.1)


def test_constant_model_matches_the_closed_form_with_pos_weight():
    y = torch.tensor([1.0, 1.0] + [0.0] * 8, dtype=torch.float64)
    for w, expected in [(1.0, 0.2), (4.0, 0.5), (9.0, 9 * 0.2 / (0.8 + 9 * 0.2))]:
        params = fit_logistic(torch.zeros(10, 0), y, pos_weight=w)
        assert torch.sigmoid(params[0]).item() == pytest.approx(expected, abs=1e-12)


def test_unweighted_fit_is_calibrated_in_the_mean():
    x, y = data()
    assert predict(x, fit_logistic(x, y)).mean().item() == pytest.approx(y.mean().item(), abs=1e-9)


def test_separable_data_raise():
    x = torch.tensor([[-1.0], [1.0]])
    with pytest.raises(RuntimeError, match="separable"):
        fit_logistic(x, torch.tensor([0.0, 1.0]), max_steps=20)


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match="shape"):
        fit_logistic(torch.zeros(3), torch.zeros(3))
    with pytest.raises(ValueError, match="1-D"):
        reliability_bins(torch.zeros(3, 1), torch.zeros(3, 1))
    with pytest.raises(ValueError, match="n_bins"):
        reliability_bins(torch.zeros(3), torch.zeros(3), n_bins=4)


def test_bins_have_equal_counts_in_sorted_order():
    probs = torch.tensor([0.9, 0.1, 0.5, 0.3, 0.7, 0.2])
    labels = torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    mean_prob, share = reliability_bins(probs, labels, n_bins=3)
    assert torch.allclose(mean_prob, torch.tensor([0.15, 0.4, 0.8], dtype=torch.float64))
    assert torch.allclose(share, torch.tensor([0.5, 0.5, 1.0], dtype=torch.float64))


def test_plot_reliability_draws_each_curve_and_the_diagonal():
    probs, labels = torch.rand(100), (torch.rand(100) > 0.5).double()
    ax = plot_reliability({"a": reliability_bins(probs, labels), "b": reliability_bins(probs, 1 - labels)}, "t")
    assert [ln.get_label() for ln in ax.get_lines()] == ["a", "b", "calibrated (predicted = observed)"]
    assert ax.get_title() == "t" and ax.get_xlabel() and ax.get_ylabel()
    plt.close("all")
