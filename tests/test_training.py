"""Tests for course_utils.training: the in-memory training loop, evaluation and its history."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from course_utils.training import (
    EpochStats,
    accuracy,
    column,
    confusion_matrix,
    fit,
    predict,
    progress_enabled,
    to_inputs,
)


def blobs(n: int = 300, seed: int = 0):
    """Three well-separated Gaussian blobs in 2-D: an easy classification problem."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    centres = torch.tensor([[0.0, 4.0], [4.0, -2.0], [-4.0, -2.0]])
    return centres[y] + torch.randn(n, 2, generator=g), y


def small_model():
    return nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))


def train(epochs=3, seed=0, **kw):
    x, y = blobs()
    xt, yt = blobs(100, seed=1)
    torch.manual_seed(seed)
    model = small_model()
    hist = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y,
               epochs=epochs, batch_size=32, x_test=xt, y_test=yt, progress=False, **kw)
    return model, hist, (x, y, xt, yt)


def test_fit_learns_and_returns_one_record_per_epoch():
    model, hist, (x, y, xt, yt) = train(epochs=4)
    assert [h.epoch for h in hist] == [1, 2, 3, 4]
    assert all(isinstance(h, EpochStats) for h in hist)
    assert hist[-1].batch_loss < hist[0].batch_loss
    assert hist[-1].test_accuracy > 0.95 and hist[-1].train_accuracy > 0.95
    # the recorded accuracies are the model's, measured after the epoch
    assert hist[-1].train_accuracy == pytest.approx(accuracy(model, x, y))
    assert hist[-1].test_accuracy == pytest.approx(accuracy(model, xt, yt))
    assert all(h.train_seconds > 0 and h.eval_seconds >= 0 for h in hist)
    assert set(hist[0].as_dict()) == set(EpochStats.__dataclass_fields__)


def test_fit_is_deterministic_for_a_seed_and_skips_what_is_not_asked():
    _, a, _ = train(seed=3)
    _, b, _ = train(seed=3)
    assert column(a, "batch_loss") == column(b, "batch_loss")
    assert column(a, "test_accuracy") == column(b, "test_accuracy")
    _, c, _ = train(epochs=1, eval_train=False)
    assert c[0].train_accuracy is None


def test_every_sample_is_seen_once_per_epoch_in_permuted_batches():
    n, batch = 103, 20
    x = torch.arange(n, dtype=torch.float32).unsqueeze(1)
    y = torch.zeros(n, dtype=torch.int64)
    seen: list[torch.Tensor] = []
    model = nn.Linear(1, 2)

    def criterion(out, labels):
        return out.sum() * 0.0

    def record(module, args):
        seen.append(args[0][:, 0].clone())

    model.register_forward_pre_hook(record)
    fit(model, criterion, torch.optim.SGD(model.parameters(), lr=0.0), x, y, epochs=2, batch_size=batch,
        eval_train=False, progress=False)
    sizes = [len(s) for s in seen]
    assert sizes == [20, 20, 20, 20, 20, 3] * 2
    first, second = torch.cat(seen[:6]), torch.cat(seen[6:])
    assert sorted(first.tolist()) == list(range(n)) == sorted(second.tolist())
    assert not torch.equal(first, x[:, 0]) and not torch.equal(first, second)  # shuffled, anew each epoch


def test_batch_loss_is_the_sample_weighted_mean_of_the_batch_losses():
    x, y = blobs(50)
    torch.manual_seed(0)
    model = small_model()
    losses, sizes = [], []

    def criterion(out, labels):
        loss = nn.functional.cross_entropy(out, labels)
        losses.append(loss.item())
        sizes.append(len(labels))
        return loss

    hist = fit(model, criterion, torch.optim.SGD(model.parameters(), lr=0.0), x, y, epochs=1, batch_size=16,
               eval_train=False, progress=False)
    expected = sum(loss * k for loss, k in zip(losses, sizes, strict=True)) / 50
    assert hist[0].batch_loss == pytest.approx(expected, rel=1e-6)
    assert hist[0].batch_accuracy == pytest.approx(accuracy(model, x, y))  # lr 0: the model never changed


def test_fit_prints_nothing_when_not_interactive(capsys, monkeypatch):
    import sys

    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)  # pytest plugins may have imported it
    x, y = blobs(64)
    model = small_model()
    fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y, epochs=1,
        batch_size=16)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_progress_switch(monkeypatch):
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    assert progress_enabled(True) and not progress_enabled(False)
    monkeypatch.setenv("COURSE_PROGRESS", "1")
    assert progress_enabled()
    monkeypatch.setenv("COURSE_PROGRESS", "0")
    assert not progress_enabled()
    assert progress_enabled(True)


def test_progress_default_is_on_in_a_notebook_and_off_in_ci(monkeypatch):
    import sys

    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    assert progress_enabled()
    monkeypatch.setenv("CI", "true")
    assert not progress_enabled()
    monkeypatch.setenv("COURSE_PROGRESS", "1")
    assert progress_enabled()


def test_predict_accuracy_and_confusion_matrix_on_a_known_model():
    model = nn.Linear(3, 3, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.eye(3))  # predicts the index of the largest input
    x = torch.tensor([[1.0, 0, 0], [0, 2, 0], [0, 0, 3], [5, 0, 0], [0, 1, 0]])
    y = torch.tensor([0, 1, 2, 1, 2])
    assert predict(model, x, batch_size=2).tolist() == [0, 1, 2, 0, 1]
    assert accuracy(model, x, y, batch_size=3) == pytest.approx(0.6)
    cm = confusion_matrix(predict(model, x), y, num_classes=3)
    assert cm.tolist() == [[1, 0, 0], [1, 1, 0], [0, 1, 1]]
    assert model.training  # evaluation restores the mode it found


def test_to_inputs_scales_and_flattens_once():
    images = torch.tensor([[[0, 255], [51, 102]]], dtype=torch.uint8)
    x = to_inputs(images)
    assert x.dtype == torch.float32 and x.shape == (1, 4)
    torch.testing.assert_close(x, torch.tensor([[0.0, 1.0, 0.2, 0.4]]))
    with pytest.raises(ValueError, match="uint8"):
        to_inputs(images.float())


def test_bad_arguments_are_refused_with_a_clear_message():
    x, y = blobs(20)
    model = small_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="20 inputs but 19 labels"):
        fit(model, nn.CrossEntropyLoss(), opt, x, y[:19], epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="int64 class indices"):
        fit(model, nn.CrossEntropyLoss(), opt, x, y.float(), epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="both x_test and y_test"):
        fit(model, nn.CrossEntropyLoss(), opt, x, y, epochs=1, batch_size=4, x_test=x)
    with pytest.raises(ValueError, match="must be positive"):
        fit(model, nn.CrossEntropyLoss(), opt, x, y, epochs=0, batch_size=4)
    with pytest.raises(ValueError, match="unknown field"):
        column([EpochStats(1, 0.0, 0.0, None, None, 0.0, 0.0)], "loss")
    with pytest.raises(ValueError, match="differ in shape"):
        confusion_matrix(torch.zeros(3), torch.zeros(4))


def test_fit_calls_on_batch_once_per_training_step():
    x, y = blobs(100)
    model = small_model()
    calls = []
    fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y, epochs=2,
        batch_size=32, eval_train=False, progress=False, on_batch=lambda: calls.append(1))
    assert len(calls) == 2 * 4  # 100 rows in batches of 32: 4 steps per epoch


def test_confusion_matrix_refuses_labels_outside_the_classes():
    with pytest.raises(ValueError, match=r"pred holds classes from 0 to 10, outside 0\.\.9"):
        confusion_matrix(torch.tensor([0, 10]), torch.tensor([0, 0]))
    with pytest.raises(ValueError, match=r"y holds classes from -1 to 0"):
        confusion_matrix(torch.tensor([0, 0]), torch.tensor([-1, 0]))
    assert confusion_matrix(torch.tensor([2]), torch.tensor([2]), num_classes=3).tolist() == [
        [0, 0, 0], [0, 0, 0], [0, 0, 1]]


def test_fit_stops_at_the_first_non_finite_loss():
    x, y = blobs(64)
    model = small_model()
    steps = []

    def criterion(out, labels):  # finite for two steps, then NaN
        return nn.functional.cross_entropy(out, labels) * (float("nan") if len(steps) == 2 else 1.0)

    with pytest.raises(FloatingPointError, match="epoch 1, step 3: the loss is nan; lower the learning rate"):
        fit(model, criterion, torch.optim.SGD(model.parameters(), lr=0.1), x, y, epochs=2, batch_size=16,
            progress=False, on_batch=lambda: steps.append(1))
    assert len(steps) == 2  # the NaN step was not taken
    with pytest.raises(FloatingPointError, match="the loss is inf"):
        fit(model, lambda out, labels: out.abs().sum() * float("inf"), torch.optim.SGD(model.parameters(), lr=0.1),
            x, y, epochs=1, batch_size=16, progress=False)


def test_training_set_evaluation_counts_the_predicted_classes():
    model, hist, (x, y, _, _) = train(epochs=2)
    counts = hist[-1].train_class_counts
    assert counts == torch.bincount(predict(model, x), minlength=3).tolist() and sum(counts) == len(y)
    _, hist, _ = train(epochs=1, eval_train=False)
    assert hist[0].train_class_counts is None


def test_the_progress_bar_says_what_it_counts(capsys):
    from course_utils.training import progress_bar

    with pytest.raises(ValueError, match="needs a desc"):
        progress_bar(10, "", True)
    assert progress_bar(10, "", False) is None
    x, y = blobs(64)
    model = small_model()
    fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1), x, y, epochs=1,
        batch_size=16, eval_train=False, progress=True)
    err = capsys.readouterr().err
    assert "training steps" in err and "4/4" in err


def test_the_training_batches_count_the_predicted_classes():
    x, y = blobs()
    torch.manual_seed(0)
    model = small_model()
    frozen = fit(model, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.0), x, y, epochs=1,
                 batch_size=32, progress=False)  # lr 0: the batches see the model the epoch ends with
    assert frozen[0].batch_class_counts == torch.bincount(predict(model, x), minlength=3).tolist()
    _, hist, (x, y, _, _) = train(epochs=2)
    assert all(sum(h.batch_class_counts) == len(y) and len(h.batch_class_counts) == 3 for h in hist)
