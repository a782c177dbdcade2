"""Tests for course_utils.regression: the data set and the line fit."""

from __future__ import annotations

import math

import pytest
import torch

from course_utils.regression import (
    TRUE_B,
    TRUE_W,
    fit_line,
    gaussian_efficiency,
    outlier_line_data,
    tuning_constant,
)


def mse(a, t):
    return ((a - t) ** 2).mean()


def test_data_shifts_exactly_the_largest_x():
    x, y_clean, y, is_outlier = outlier_line_data()
    assert x.dtype == torch.float64 and is_outlier.sum().item() == 8
    assert x[is_outlier].min() > x[~is_outlier].max()
    torch.testing.assert_close(y[is_outlier], y_clean[is_outlier] - 30)
    assert torch.equal(y[~is_outlier], y_clean[~is_outlier])
    assert torch.equal(outlier_line_data()[0], x)          # seeded: the same data every call


def test_fit_line_matches_least_squares():
    x, y_clean, _, _ = outlier_line_data()
    (w, b), history = fit_line(mse, x, y_clean, steps=2000, lr=0.1)
    exact = torch.linalg.lstsq(torch.stack([x, torch.ones_like(x)], 1), y_clean[:, None]).solution.flatten()
    assert abs(w - exact[0].item()) < 1e-8 and abs(b - exact[1].item()) < 1e-8
    assert abs(w - TRUE_W) < 0.1 and abs(b - TRUE_B) < 0.5
    assert len(history) == 2000 and history[-1] < history[0]


def test_fit_line_start_and_constant_rate():
    x, y_clean, _, _ = outlier_line_data()
    (w, b), history = fit_line(mse, x, y_clean, steps=1, lr=1e-9, decay=False, start=(2.0, 1.0))
    assert abs(w - 2.0) < 1e-6 and abs(b - 1.0) < 1e-6
    torch.testing.assert_close(torch.tensor(history[0], dtype=torch.float64), mse(2 * x + 1, y_clean))


def test_bad_input_is_refused():
    x = torch.zeros(3, dtype=torch.float64)
    with pytest.raises(ValueError, match="1-D"):
        fit_line(mse, x, torch.zeros(4, dtype=torch.float64))
    with pytest.raises(ValueError, match="lr"):
        fit_line(mse, x, x, lr=0)
    with pytest.raises(ValueError, match="n_outliers"):
        outlier_line_data(n_outliers=100)


def huber_psi(r, k):
    return r.clamp(-k, k)


def cauchy_psi(r, k):
    return r / (1 + (r / k) ** 2)


def tukey_psi(r, k):
    return torch.where(r.abs() <= k, r * (1 - (r / k) ** 2) ** 2, 0.0)


def test_gaussian_efficiency_known_values():
    assert abs(gaussian_efficiency(lambda r: r) - 1) < 1e-9                       # MSE: the mean, efficiency 1
    assert abs(gaussian_efficiency(torch.sign) - 2 / math.pi) < 1e-6             # MAE: the median, 2/π
    assert abs(gaussian_efficiency(lambda r: huber_psi(r, 1.345)) - 0.95) < 1e-3  # Huber's usual 1.345
    # Stein's E[Zψ(Z)] equals E[ψ'(Z)] by autograd for a smooth ψ (rejects a missing square or weight)
    z = torch.linspace(-12, 12, 240_001, dtype=torch.float64, requires_grad=True)
    p = cauchy_psi(z, 2.0)
    (dp,) = torch.autograd.grad(p.sum(), z)
    w = torch.exp(-z.detach() ** 2 / 2) / math.sqrt(2 * math.pi) * (z[1] - z[0]).item()
    direct = ((dp * w).sum() ** 2 / (p.detach() ** 2 * w).sum()).item()
    assert abs(gaussian_efficiency(lambda r: cauchy_psi(r, 2.0)) - direct) < 1e-9


def test_tuning_constant_gives_the_usual_constants():
    assert abs(tuning_constant(huber_psi) - 1.345) < 1e-3
    assert abs(tuning_constant(cauchy_psi) - 2.385) < 1e-3
    assert abs(tuning_constant(tukey_psi) - 4.685) < 1e-3
    with pytest.raises(ValueError, match="widen"):
        tuning_constant(huber_psi, lo=3.0, hi=4.0)
