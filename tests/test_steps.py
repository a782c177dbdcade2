"""Tests for course_utils.steps: parameter-space gradients, the common/separating split, RelativeChange."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from course_utils.steps import RelativeChange, flat_parameters, logit_gradient, parameter_gradient, split_common


def net_and_data():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 4))
    return net, torch.randn(9, 5), torch.randint(0, 4, (9,))


def test_parameter_gradient_equals_backward_on_the_loss():
    net, x, y = net_and_data()
    g_z = logit_gradient(lambda z: nn.functional.cross_entropy(z, y), net(x))
    got = parameter_gradient(net, x, g_z)
    nn.functional.cross_entropy(net(x), y).backward()
    want = torch.cat([p.grad.reshape(-1) for p in net.parameters()])
    torch.testing.assert_close(got, want)
    assert got.shape == flat_parameters(net).shape


def test_parameter_gradient_rejects_a_gradient_of_the_wrong_shape():
    net, x, _ = net_and_data()
    with pytest.raises(ValueError, match="shape"):
        parameter_gradient(net, x, torch.zeros(9, 3))


def test_split_common_parts_add_up_and_the_separating_part_sums_to_zero():
    g = torch.randn(6, 4)
    common, sep = split_common(g)
    torch.testing.assert_close(common + sep, g)
    torch.testing.assert_close(sep.sum(dim=1), torch.zeros(6), atol=1e-6, rtol=0)
    assert torch.equal(common[:, 0], common[:, 3])


def test_a_common_shift_pushes_every_last_layer_bias_alike():
    net, x, _ = net_and_data()
    g = parameter_gradient(net, x, torch.ones(9, 4))  # d(sum of all logits)/dw
    bias = list(net.parameters())[-1]
    assert torch.equal(g[-bias.numel():], torch.full((4,), 9.0))


def test_relative_change_measures_each_epochs_move():
    net, _, _ = net_and_data()
    rec = RelativeChange(net)
    w0 = flat_parameters(net)
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(1.5)
    rec()
    rec()  # nothing moved since
    assert rec.values[0] == pytest.approx(0.5, rel=1e-5) and rec.values[1] == 0.0
    assert torch.equal(rec.before, 1.5 * w0)
