"""Tests for course_utils.losses: the seven criteria by name, LogCosh and the cosine adapter."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from course_utils.losses import (
    CRITERIA,
    CosineLoss,
    CriterionAdapter,
    KLDivMeanLoss,
    LogCoshLoss,
    make_criterion,
    usage_table,
)


@pytest.fixture
def batch():
    g = torch.Generator().manual_seed(0)
    z = 3 * torch.randn(32, 10, generator=g, dtype=torch.float64)
    y = torch.randint(0, 10, (32,), generator=g)
    return z, y, F.one_hot(y, 10).double()


def test_unknown_name_lists_the_valid_names():
    with pytest.raises(ValueError, match="unknown criterion 'HingeLoss'") as err:
        make_criterion("HingeLoss")
    for name in CRITERIA:
        assert name in str(err.value)


def test_unknown_usage_and_adapter_arguments_are_refused():
    with pytest.raises(ValueError, match="'article' or 'correct'"):
        make_criterion("MSELoss", usage="right")
    with pytest.raises(ValueError, match="unknown input transform"):
        CriterionAdapter(nn.MSELoss(), input="tanh")
    with pytest.raises(ValueError, match="unknown target form"):
        CriterionAdapter(nn.MSELoss(), target="soft")
    with pytest.raises(ValueError, match="'article' or 'correct'"):
        usage_table("wrong")


def test_log_cosh_matches_the_naive_formula_and_its_gradient_is_tanh():
    d = torch.linspace(-15, 15, 61, dtype=torch.float64, requires_grad=True)
    t = torch.zeros_like(d)
    loss = LogCoshLoss()(d, t)
    torch.testing.assert_close(loss, torch.log(torch.cosh(d)).mean())
    (grad,) = torch.autograd.grad(loss, d)
    torch.testing.assert_close(grad, torch.tanh(d.detach()) / d.numel())
    torch.testing.assert_close(LogCoshLoss("sum")(d, t), torch.log(torch.cosh(d)).sum())
    assert LogCoshLoss("none")(d, t).shape == d.shape


def test_log_cosh_is_stable_where_the_naive_form_overflows():
    big = torch.tensor([100.0, -100.0, 1000.0])
    assert torch.isinf(torch.log(torch.cosh(big))).any()
    got = LogCoshLoss("none")(big, torch.zeros(3))
    torch.testing.assert_close(got, big.abs() - math.log(2))


def test_log_cosh_refuses_bad_input():
    with pytest.raises(ValueError, match="differ in shape"):
        LogCoshLoss()(torch.zeros(2, 3), torch.zeros(2))
    with pytest.raises(ValueError, match="unknown reduction"):
        LogCoshLoss("batchmean")


def test_cosine_loss_is_the_mean_of_one_minus_cosine(batch):
    z, _, t = batch
    expected = (1 - F.cosine_similarity(z, t, dim=1)).mean()
    torch.testing.assert_close(CosineLoss()(z, t), expected)
    ones = torch.ones(z.shape[0], dtype=z.dtype)
    torch.testing.assert_close(CosineLoss(margin=0.5)(z, t), nn.CosineEmbeddingLoss(margin=0.5)(z, t, ones))


def test_kl_div_mean_equals_torch_mean_reduction(batch):
    z, _, t = batch
    logp = torch.log_softmax(z, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = nn.KLDivLoss(reduction="mean")(logp, t)
    torch.testing.assert_close(KLDivMeanLoss()(logp, t), expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # ours is warning-free
        KLDivMeanLoss()(logp, t)


def test_correct_usage_matches_the_documented_calls(batch):
    z, y, t = batch
    p = torch.softmax(z, 1)
    expected = {
        "MSELoss": F.mse_loss(z, t),  # our choice: on logits (lesson 11)
        "CrossEntropyLoss": F.cross_entropy(z, y),
        "BCELoss": F.binary_cross_entropy(torch.sigmoid(z), t),
        "BCEWithLogitsLoss": F.binary_cross_entropy_with_logits(z, t),
        "KLDivLoss": F.kl_div(torch.log_softmax(z, 1), t, reduction="batchmean"),
        "CosineEmbeddingLoss": (1 - F.cosine_similarity(z, t, dim=1)).mean(),
        "LogCoshLoss": torch.log(torch.cosh(p - t)).mean(),
    }
    for name in CRITERIA:
        torch.testing.assert_close(make_criterion(name, "correct")(z, y), expected[name], msg=name)
    # with one-hot targets KL divergence is cross-entropy, and BCE after a sigmoid is BCE with logits
    torch.testing.assert_close(expected["KLDivLoss"], expected["CrossEntropyLoss"])
    torch.testing.assert_close(expected["BCELoss"], expected["BCEWithLogitsLoss"])


def test_article_usage_feeds_the_output_as_is_with_one_hot_targets(batch):
    z, y, t = batch
    p = torch.softmax(z, 1)  # what the article's model outputs
    expected = {
        "MSELoss": F.mse_loss(p, t),
        "CrossEntropyLoss": F.cross_entropy(p, t),  # a second (log-)softmax on probabilities
        "BCELoss": F.binary_cross_entropy(p, t),
        "BCEWithLogitsLoss": F.binary_cross_entropy_with_logits(p, t),  # sigmoid of probabilities
        "KLDivLoss": F.kl_div(p, t, reduction="sum") / t.numel(),  # probabilities read as log-probabilities
        "CosineEmbeddingLoss": (1 - F.cosine_similarity(p, t, dim=1)).mean(),
        "LogCoshLoss": torch.log(torch.cosh(p - t)).mean(),
    }
    for name in CRITERIA:
        torch.testing.assert_close(make_criterion(name, "article")(p, y), expected[name], msg=name)


def test_usage_table_says_what_each_criterion_receives():
    rows = {r.criterion: r for r in usage_table("correct")}
    assert list(rows) == list(CRITERIA)
    assert rows["CrossEntropyLoss"].input == "logits" and rows["CrossEntropyLoss"].target == "indices"
    assert rows["KLDivLoss"].input.startswith("log-probabilities")
    assert make_criterion("KLDivLoss", "correct").loss.reduction == "batchmean"
    assert {r.target for r in usage_table("article")} == {"one-hot"}
