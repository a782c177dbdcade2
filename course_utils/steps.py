"""How large a training step is, measured where it acts: in the space of the parameters.

Lessons 10 and 11 compare criteria by the step each one makes the network take. The loss's gradient
with respect to the logits ``z`` (one row per image) is what a criterion hands to backpropagation;
:func:`parameter_gradient` carries it to every parameter and flattens the result into one vector, the
direction and length of the step plain SGD takes (times the learning rate). :func:`split_common`
separates a logit gradient into the part that moves all of an image's logits together (which softmax
and argmax ignore) and the part that separates the classes. :class:`RelativeChange` records, after
every epoch, how far the weights moved relative to their size.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def flat_parameters(model: nn.Module) -> torch.Tensor:
    """Every parameter of ``model``, detached and flattened into one vector (a copy)."""
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()]).clone()


def logit_gradient(loss_of_logits: Callable[[torch.Tensor], torch.Tensor], z: torch.Tensor) -> torch.Tensor:
    """d loss / d z for logits ``z`` (``[N, K]``), where ``loss_of_logits(z)`` returns a scalar."""
    z = z.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss_of_logits(z), z)
    return grad


def parameter_gradient(net: nn.Module, x: torch.Tensor, grad_z: torch.Tensor) -> torch.Tensor:
    """Backpropagate the logit gradient ``grad_z`` through ``net`` (inputs ``x`` to logits) and return
    the gradient of every parameter, flattened into one vector (chain rule: d L/d w = (d z/d w)^T d L/d z)."""
    z = net(x)
    if z.shape != grad_z.shape:
        raise ValueError(f"net(x) has shape {tuple(z.shape)} but grad_z {tuple(grad_z.shape)}: pass the "
                         "gradient of the loss with respect to these logits.")
    grads = torch.autograd.grad(z, list(net.parameters()), grad_outputs=grad_z)
    return torch.cat([g.reshape(-1) for g in grads])


def split_common(grad_z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(common, separating): ``common`` holds each row's mean in every entry (it shifts all logits of an
    image by one amount, which softmax ignores); ``separating = grad_z - common`` sums to zero per row."""
    common = grad_z.mean(dim=1, keepdim=True).expand_as(grad_z)
    return common, grad_z - common


class RelativeChange:
    """An ``on_epoch`` callback: after each epoch, ``||w - w_before|| / ||w_before||`` for the model's
    flattened parameters, appended to ``self.values`` (one value per epoch)."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.before = flat_parameters(model)
        self.values: list[float] = []

    def __call__(self, stats=None) -> None:
        now = flat_parameters(self.model)
        self.values.append(((now - self.before).norm() / self.before.norm()).item())
        self.before = now
