import math

import pytest
import torch

from course_utils.toy_data import two_moons


def test_shapes_dtypes_and_labels():
    x, y = two_moons(300, seed=3)
    assert x.shape == (300, 2) and x.dtype == torch.float32
    assert y.shape == (300,) and y.dtype == torch.int64
    assert set(y.tolist()) == {0, 1}


def test_same_seed_same_data_and_global_state_untouched():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a = two_moons(50, seed=7)
    after = torch.rand(1)
    b = two_moons(50, seed=7)
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert torch.equal(before, after)          # the private generator left the global one alone
    assert not torch.equal(a[0], two_moons(50, seed=8)[0])


def test_noise_free_points_lie_on_the_two_half_circles():
    x, y = two_moons(400, noise=0.0, seed=0)
    upper, lower = x[y == 0], x[y == 1]
    torch.testing.assert_close(upper.norm(dim=1), torch.ones(len(upper)))
    assert (upper[:, 1] >= -1e-6).all()
    centred = lower - torch.tensor([1.0, 0.5])
    torch.testing.assert_close(centred.norm(dim=1), torch.ones(len(lower)))
    assert (centred[:, 1] <= 1e-6).all()


def test_labels_are_balanced_on_average():
    _, y = two_moons(20_000, seed=1)
    assert abs(y.float().mean().item() - 0.5) < 4 * math.sqrt(0.25 / 20_000)


@pytest.mark.parametrize("n", [0, -3, 2.5, True])
def test_bad_n_is_refused(n):
    with pytest.raises(ValueError, match="positive int"):
        two_moons(n)


def test_negative_noise_is_refused():
    with pytest.raises(ValueError, match="standard deviation"):
        two_moons(10, noise=-0.1)
