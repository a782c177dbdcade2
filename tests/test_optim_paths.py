import pytest
import torch

from course_utils.optim_paths import gradient, trajectory


def quadratic(theta):
    return 0.5 * (torch.tensor([1.0, 4.0], dtype=torch.float64) * theta**2).sum()


def test_sgd_path_is_the_hand_written_update():
    start = torch.tensor([1.0, -2.0], dtype=torch.float64)
    path = trajectory(torch.optim.SGD, quadratic, start, 5, lr=0.1)
    expected = torch.stack([start * (1 - 0.1 * torch.tensor([1.0, 4.0], dtype=torch.float64)) ** t
                            for t in range(1, 6)])
    torch.testing.assert_close(path, expected)
    assert path.shape == (5, 2) and torch.equal(start, torch.tensor([1.0, -2.0], dtype=torch.float64))


def test_momentum_keyword_reaches_the_optimiser():
    start = torch.ones(2, dtype=torch.float64)
    plain = trajectory(torch.optim.SGD, quadratic, start, 3, lr=0.1)
    heavy = trajectory(torch.optim.SGD, quadratic, start, 3, lr=0.1, momentum=0.9)
    torch.testing.assert_close(plain[0], heavy[0])          # the first step has no velocity yet
    assert not torch.allclose(plain[1], heavy[1])


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="steps"):
        trajectory(torch.optim.SGD, quadratic, torch.ones(2), 0, lr=0.1)
    with pytest.raises(ValueError, match="scalar"):
        trajectory(torch.optim.SGD, lambda th: th**2, torch.ones(2), 1, lr=0.1)


def test_gradient_matches_the_closed_form_and_leaves_theta_alone():
    theta = torch.tensor([1.0, -2.0], dtype=torch.float64)
    torch.testing.assert_close(gradient(quadratic, theta), torch.tensor([1.0, -8.0], dtype=torch.float64))
    assert not theta.requires_grad
    with pytest.raises(ValueError, match="scalar"):
        gradient(lambda th: th**2, theta)
