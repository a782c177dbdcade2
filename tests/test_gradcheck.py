"""Tests for course_utils.gradcheck on functions whose gradients are known in closed form."""

import pytest
import torch

from course_utils.gradcheck import GradientCheckError, check_gradient, numerical_gradient


def _x(*values):
    return torch.tensor(values, dtype=torch.float64)


def test_numerical_gradient_of_cubic_sum():
    x = _x(-1.5, 0.0, 0.3, 2.0)
    torch.testing.assert_close(numerical_gradient(lambda v: (v**3).sum(), x), 3 * x**2, atol=1e-8, rtol=0)


def test_numerical_gradient_of_quadratic_form_keeps_shape():
    torch.manual_seed(0)
    a = torch.randn(3, 3, dtype=torch.float64)
    x = torch.randn(3, 3, dtype=torch.float64)
    grad = numerical_gradient(lambda m: (a * m * m).sum(), x)
    assert grad.shape == x.shape
    torch.testing.assert_close(grad, 2 * a * x, atol=1e-8, rtol=0)


def test_numerical_gradient_does_not_change_x():
    x = _x(0.5, -0.25)
    before = x.clone()
    numerical_gradient(lambda v: torch.sigmoid(v).sum(), x)
    assert torch.equal(x, before)


def test_check_gradient_accepts_right_gradients():
    x = _x(-2.0, -0.1, 0.7, 3.0)
    s = torch.sigmoid(x)
    assert check_gradient(lambda v: torch.sigmoid(v).sum(), x, s * (1 - s)) < 1e-8
    assert check_gradient(lambda v: torch.log(torch.cosh(v)).sum(), x, torch.tanh(x)) < 1e-8


def test_check_gradient_accepts_scalar_input():
    x = torch.tensor(0.4, dtype=torch.float64)
    assert check_gradient(lambda v: torch.exp(v), x, torch.exp(x)) < 1e-8


def test_check_gradient_detects_a_wrong_gradient():
    x = _x(0.5, 1.0, -0.3)
    s = torch.sigmoid(x)
    wrong = s * (1 - s)
    wrong[1] = torch.sigmoid(s[1]) * (1 - torch.sigmoid(s[1]))  # sigmoid applied twice at one entry
    with pytest.raises(GradientCheckError, match=r"mismatch at index \(1,\).*1 of 3 entries"):
        check_gradient(lambda v: torch.sigmoid(v).sum(), x, wrong)


def test_a_nan_in_the_analytic_gradient_fails():
    x = _x(1.0, 2.0, 3.0)
    analytic = 2 * x
    analytic[1] = float("nan")
    with pytest.raises(GradientCheckError, match=r"mismatch at index \(1,\).*nan.*1 of 3 entries"):
        check_gradient(lambda v: (v**2).sum(), x, analytic)


def test_an_all_nan_analytic_gradient_fails():
    x = _x(1.0, 2.0)
    with pytest.raises(GradientCheckError, match="2 of 2 entries"):
        check_gradient(lambda v: (v**2).sum(), x, torch.full_like(x, float("nan")))


def test_a_function_returning_nan_fails():
    x = _x(1.0, 2.0)
    with pytest.raises(GradientCheckError, match="2 of 2 entries"):
        check_gradient(lambda v: (v**2).sum() * float("nan"), x, 2 * x)


def test_an_infinite_analytic_gradient_fails():
    x = _x(1.0, 2.0)
    with pytest.raises(GradientCheckError, match=r"index \(0,\).*inf"):
        check_gradient(lambda v: (v**2).sum(), x, _x(float("inf"), 4.0))


def test_an_infinite_finite_difference_fails():
    x = _x(1.0, 2.0)
    with pytest.raises(GradientCheckError, match="1 of 2 entries"):
        # f jumps to inf just right of x[0] = 1, so the central difference there is inf
        check_gradient(lambda v: torch.where(v[0] > 1.0, _x(float("inf")), _x(0.0)).sum() + v[1] ** 2, x, _x(0.0, 4.0))


def test_gradient_check_error_is_an_assertion_error():
    x = _x(1.0, 2.0)
    with pytest.raises(AssertionError):
        check_gradient(lambda v: (v**2).sum(), x, x)  # missing factor 2


def test_float32_input_is_refused():
    with pytest.raises(TypeError, match="float64"):
        check_gradient(lambda v: v.sum(), torch.ones(3), torch.ones(3))


def test_non_tensor_input_is_refused():
    with pytest.raises(TypeError, match="torch.Tensor"):
        numerical_gradient(lambda v: v.sum(), [1.0, 2.0])


def test_non_scalar_output_is_refused():
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda v: v * 2, _x(1.0, 2.0))


def test_float32_output_is_refused():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda v: v.float().sum(), _x(1.0, 2.0))


def test_wrong_shaped_analytic_gradient_is_refused():
    x = torch.ones(2, 3, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*shape \(2, 3\)"):
        check_gradient(lambda v: v.sum(), x, torch.ones(3, 2, dtype=torch.float64))


def test_float32_analytic_gradient_is_refused():
    x = _x(1.0, 2.0)
    with pytest.raises(TypeError, match="float64"):
        check_gradient(lambda v: v.sum(), x, torch.ones(2))


def test_non_positive_eps_is_refused():
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda v: v.sum(), _x(1.0), eps=0.0)
