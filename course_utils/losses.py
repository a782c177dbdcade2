"""The seven classification criteria of chapter 06, by name, and what each one is fed.

A criterion here is an :class:`nn.Module` called as ``criterion(output, labels)`` with the model's
output and the batch's class indices (int64). A :class:`CriterionAdapter` turns those into what its
loss receives: it transforms the output (``"as is"``, ``"softmax"``, ``"log_softmax"``, ``"sigmoid"``)
and gives the target either as class indices or as one-hot rows.

Two usages are defined for every criterion:

* ``"article"``: as in the source article. Its model ends in a softmax, so every loss gets
  probabilities, and every target is one-hot (erratum 4 of the syllabus).
* ``"correct"``: the model returns logits and each loss gets what its documentation asks for.

:func:`make_criterion` builds one; :func:`usage_table` lists what each receives.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

CRITERIA: tuple[str, ...] = (
    "MSELoss",
    "CrossEntropyLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "KLDivLoss",
    "CosineEmbeddingLoss",
    "LogCoshLoss",
)
USAGES: tuple[str, ...] = ("article", "correct")
TARGETS: tuple[str, ...] = ("indices", "one-hot")

INPUT_TRANSFORMS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "as is": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
    "log_softmax": lambda z: torch.log_softmax(z, dim=1),
    "sigmoid": torch.sigmoid,
}


class LogCoshLoss(nn.Module):
    """Log-cosh loss, ``log(cosh(input - target))`` averaged (or summed) over every element.

    Computed in the overflow-free form ``d + softplus(-2 d) - log 2`` with ``d = input - target``,
    which equals ``log(cosh(d))`` exactly; its derivative in ``d`` is ``tanh(d)``. With equal-sized
    rows, the mean over every element is the article's "mean over classes, then over the batch".
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"unknown reduction {reduction!r}: use 'mean', 'sum' or 'none'.")
        self.reduction = reduction

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if input.shape != target.shape:
            raise ValueError(
                f"input {tuple(input.shape)} and target {tuple(target.shape)} differ in shape: "
                "pass a target of the same shape (e.g. one-hot rows)."
            )
        d = input - target
        loss = d + F.softplus(-2.0 * d) - math.log(2.0)
        if self.reduction == "mean":
            return loss.mean()
        if self.reduction == "sum":
            return loss.sum()
        return loss

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class CosineLoss(nn.Module):
    """``CosineEmbeddingLoss`` between each output row and its target row, all pairs marked similar.

    ``nn.CosineEmbeddingLoss`` takes two batches and a third tensor of +1/-1 saying which pairs should
    be alike. Here every pair (output row, one-hot row) should be alike, so the third tensor is all
    ones and the loss is the mean of ``1 - cos(output_i, target_i)``; ``margin`` only acts on pairs
    marked -1, so it has no effect, but it is kept to match the article (margin 0.5).
    """

    def __init__(self, margin: float = 0.5) -> None:
        super().__init__()
        self.loss = nn.CosineEmbeddingLoss(margin=margin)

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        ones = torch.ones(input.shape[0], device=input.device, dtype=input.dtype)
        return self.loss(input, target, ones)


def _kl_div_mean(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """``KLDivLoss(reduction='mean')`` without its deprecation warning: the sum over every element
    divided by their count, exactly what ``'mean'`` computes."""
    return F.kl_div(input, target, reduction="sum") / input.numel()


class KLDivMeanLoss(nn.Module):
    """``nn.KLDivLoss()`` with its default ``reduction='mean'`` (the article's call), warning-free."""

    def forward(self, input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return _kl_div_mean(input, target)


def _make_loss(name: str, usage: str) -> nn.Module:
    if name == "MSELoss":
        return nn.MSELoss()
    if name == "CrossEntropyLoss":
        return nn.CrossEntropyLoss()
    if name == "BCELoss":
        return nn.BCELoss()
    if name == "BCEWithLogitsLoss":
        return nn.BCEWithLogitsLoss()
    if name == "KLDivLoss":
        # the article keeps the default 'mean'; the documentation asks for 'batchmean' (the true KL)
        return KLDivMeanLoss() if usage == "article" else nn.KLDivLoss(reduction="batchmean")
    if name == "CosineEmbeddingLoss":
        return CosineLoss(margin=0.5)
    return LogCoshLoss()


# What each loss receives when used correctly: (transform of the logits, target form).
CORRECT_USAGE: dict[str, tuple[str, str]] = {
    "MSELoss": ("as is", "one-hot"),  # our choice (lesson 11): logits regressed on one-hot rows
    "CrossEntropyLoss": ("as is", "indices"),  # logits; it applies log-softmax itself
    "BCELoss": ("sigmoid", "one-hot"),  # one probability per class, ten yes/no questions
    "BCEWithLogitsLoss": ("as is", "one-hot"),  # logits; it applies the sigmoid itself, stably
    "KLDivLoss": ("log_softmax", "one-hot"),  # input log-probabilities, target probabilities
    "CosineEmbeddingLoss": ("as is", "one-hot"),  # two vectors; the cosine ignores their length
    "LogCoshLoss": ("softmax", "one-hot"),  # a regression loss, like MSELoss
}
# In the article the model's last layer is a softmax, so every loss gets probabilities "as is".
ARTICLE_USAGE: dict[str, tuple[str, str]] = {name: ("as is", "one-hot") for name in CRITERIA}


class CriterionAdapter(nn.Module):
    """Feed ``loss`` the transformed model output and the target in the form it expects.

    ``forward(output, labels)``: ``labels`` are class indices; they are passed as they are
    (``target="indices"``) or as float one-hot rows (``target="one-hot"``).
    """

    def __init__(self, loss: nn.Module, input: str = "as is", target: str = "one-hot",
                 num_classes: int = 10) -> None:
        super().__init__()
        if input not in INPUT_TRANSFORMS:
            raise ValueError(f"unknown input transform {input!r}: use one of {', '.join(INPUT_TRANSFORMS)}.")
        if target not in TARGETS:
            raise ValueError(f"unknown target form {target!r}: use one of {', '.join(TARGETS)}.")
        self.loss = loss
        self.input = input
        self.target = target
        self.num_classes = num_classes
        self._transform = INPUT_TRANSFORMS[input]

    def forward(self, output: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        x = self._transform(output)
        if self.target == "indices":
            return self.loss(x, labels)
        return self.loss(x, F.one_hot(labels, self.num_classes).to(output.dtype))

    def extra_repr(self) -> str:
        return f"input={self.input!r}, target={self.target!r}"


def make_criterion(name: str, usage: str = "correct", num_classes: int = 10) -> CriterionAdapter:
    """The criterion ``name`` (one of :data:`CRITERIA`) wired as in the article or correctly."""
    if name not in CRITERIA:
        raise ValueError(f"unknown criterion {name!r}: the valid names are {', '.join(CRITERIA)}.")
    if usage not in USAGES:
        raise ValueError(f"unknown usage {usage!r}: use 'article' or 'correct'.")
    transform, target = (ARTICLE_USAGE if usage == "article" else CORRECT_USAGE)[name]
    return CriterionAdapter(_make_loss(name, usage), input=transform, target=target, num_classes=num_classes)


_RECEIVES = {
    ("article", "as is"): "probabilities (the model ends in softmax)",
    ("correct", "as is"): "logits",
    ("correct", "softmax"): "probabilities: softmax(logits)",
    ("correct", "log_softmax"): "log-probabilities: log_softmax(logits)",
    ("correct", "sigmoid"): "per-class probabilities: sigmoid(logits)",
}


@dataclass(frozen=True)
class UsageRow:
    criterion: str
    input: str
    target: str
    loss: str


def usage_table(usage: str) -> list[UsageRow]:
    """One row per criterion: what its loss receives as input and target under ``usage``."""
    if usage not in USAGES:
        raise ValueError(f"unknown usage {usage!r}: use 'article' or 'correct'.")
    rows = []
    for name in CRITERIA:
        crit = make_criterion(name, usage)
        rows.append(UsageRow(name, _RECEIVES[(usage, crit.input)], crit.target, repr(crit.loss)))
    return rows
