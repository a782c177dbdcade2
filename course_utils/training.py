"""A small, fast training loop over tensors that already sit in memory on the chosen device.

Each epoch draws one random permutation and slices it into batches: no ``DataLoader``, no per-sample
indexing and collating. Evaluation runs in large batches under ``torch.no_grad()``. The per-epoch
history comes back as data (a list of :class:`EpochStats`), and nothing is printed unless asked:
the progress bar is off unless stderr is a terminal or ``COURSE_PROGRESS=1`` is set, so test runs and
CI stay silent.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import torch
from torch import nn

PROGRESS_ENV = "COURSE_PROGRESS"


@dataclass
class EpochStats:
    """What one epoch measured. Accuracies are fractions in [0, 1]; ``None`` when not measured.

    ``batch_loss`` and ``batch_accuracy`` are averages over the epoch's training batches, taken from
    the forward passes the training needs anyway (the model changes during the epoch). ``train_accuracy``
    and ``test_accuracy`` are full evaluation passes after the epoch.
    """

    epoch: int
    batch_loss: float
    batch_accuracy: float
    train_accuracy: float | None
    test_accuracy: float | None
    train_seconds: float
    eval_seconds: float
    train_class_counts: list[int] | None = None  # how many training rows were predicted as each class
    batch_class_counts: list[int] | None = None  # the same, counted in the epoch's training batches

    def as_dict(self) -> dict:
        return asdict(self)


def to_inputs(images: torch.Tensor, device: torch.device | str = "cpu") -> torch.Tensor:
    """uint8 images ``[N, H, W]`` to float32 rows ``[N, H*W]`` in [0, 1], once, on ``device``."""
    if images.dtype != torch.uint8 or images.dim() < 2:
        raise ValueError(f"expected uint8 images [N, H, W], got {images.dtype} {tuple(images.shape)}: "
                         "pass the tensor load_mnist returns.")
    return images.to(device).reshape(images.shape[0], -1).float().div_(255.0)


def _check_pair(x: torch.Tensor, y: torch.Tensor, what: str) -> None:
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{what}: {x.shape[0]} inputs but {y.shape[0]} labels; pass one label per row.")
    if y.dtype != torch.int64:
        raise ValueError(f"{what}: labels must be int64 class indices, got {y.dtype}; use labels.long().")


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch_size: int = 10_000) -> torch.Tensor:
    """Predicted class (argmax of the output) for every row of ``x``, in no-grad batches."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}.")
    was_training = model.training
    model.eval()
    preds = torch.cat([model(x[i : i + batch_size]).argmax(dim=1) for i in range(0, x.shape[0], batch_size)])
    model.train(was_training)
    return preds


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 10_000) -> float:
    """Fraction of rows of ``x`` whose predicted class equals ``y``."""
    _check_pair(x, y, "accuracy")
    return (predict(model, x, batch_size) == y).float().mean().item()


def confusion_matrix(pred: torch.Tensor, y: torch.Tensor, num_classes: int = 10) -> torch.Tensor:
    """``[true, predicted]`` counts, int64 ``[num_classes, num_classes]``."""
    if pred.shape != y.shape:
        raise ValueError(f"pred {tuple(pred.shape)} and y {tuple(y.shape)} differ in shape: pass one each.")
    for what, t in (("pred", pred), ("y", y)):
        if t.numel() and (t.min().item() < 0 or t.max().item() >= num_classes):
            raise ValueError(f"{what} holds classes from {t.min().item()} to {t.max().item()}, outside 0.."
                             f"{num_classes - 1}: pass class indices, or a larger num_classes.")
    flat = y.long() * num_classes + pred.long()
    return torch.bincount(flat.cpu(), minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def progress_enabled(progress: bool | None = None) -> bool:
    """Show a bar? ``progress`` if given, else ``COURSE_PROGRESS`` if set, else off under CI, on in a
    Jupyter kernel (a student's notebook), otherwise on only when stderr is a terminal.

    The test command and ``tools/run_notebook.py`` set ``COURSE_PROGRESS=0``, so stored notebook
    outputs and CI logs carry no bar.
    """
    if progress is not None:
        return bool(progress)
    env = os.environ.get(PROGRESS_ENV)
    if env is not None:
        return env.strip().lower() in {"1", "true", "yes", "on"}
    if os.environ.get("CI"):
        return False
    if "ipykernel" in sys.modules:
        return True
    return hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


def progress_bar(total: int, desc: str, enabled: bool):
    """A text tqdm bar that counts ``desc`` (e.g. "training steps"), or ``None`` when disabled.

    A text bar, not the notebook widget: a saved notebook then holds no widget output that could not
    be shown when it is reopened, and the bar is removed when it finishes (``leave=False``).
    """
    if not enabled:
        return None
    if not desc:
        raise ValueError("a progress bar needs a desc saying what it counts, e.g. 'training steps'.")
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, leave=False)


def fit(
    model: nn.Module,
    criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    x_train: torch.Tensor,
    y_train: torch.Tensor,
    *,
    epochs: int,
    batch_size: int,
    x_test: torch.Tensor | None = None,
    y_test: torch.Tensor | None = None,
    eval_train: bool = True,
    eval_batch_size: int = 10_000,
    generator: torch.Generator | None = None,
    progress: bool | None = None,
    desc: str = "training steps",
    on_epoch: Callable[[EpochStats], None] | None = None,
    on_batch: Callable[[], None] | None = None,
) -> list[EpochStats]:
    """Train ``model`` for ``epochs`` epochs and return one :class:`EpochStats` per epoch.

    Every epoch shuffles ``x_train`` with ``torch.randperm`` (drawn from ``generator``, or the global
    torch generator) and takes the batches as slices of that permutation; the last batch may be
    smaller. ``criterion(output, labels)`` receives the model output and the int64 labels of the batch.
    After each epoch, the full training set is evaluated if ``eval_train`` and the test set if given.
    Batch loss and accuracy are accumulated on the device. Training stops with a ``FloatingPointError``
    at the first step whose loss is not finite (NaN or infinite). ``on_epoch(stats)`` is called after
    every epoch and ``on_batch()`` after every training step.
    """
    _check_pair(x_train, y_train, "training set")
    if (x_test is None) != (y_test is None):
        raise ValueError("pass both x_test and y_test, or neither.")
    if x_test is not None:
        _check_pair(x_test, y_test, "test set")
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be positive, got {epochs} and {batch_size}.")
    n = x_train.shape[0]
    steps = (n + batch_size - 1) // batch_size
    bar = progress_bar(epochs * steps, desc, progress_enabled(progress))
    history: list[EpochStats] = []
    try:
        for epoch in range(1, epochs + 1):
            model.train()
            start = time.perf_counter()
            perm = torch.randperm(n, generator=generator).to(x_train.device)
            loss_sum = torch.zeros((), device=x_train.device)
            correct = torch.zeros((), dtype=torch.int64, device=x_train.device)
            predicted = None  # per-class counts of the batches' predictions, sized at the first batch
            for i in range(0, n, batch_size):
                idx = perm[i : i + batch_size]
                xb, yb = x_train.index_select(0, idx), y_train.index_select(0, idx)
                out = model(xb)
                loss = criterion(out, yb)
                if not math.isfinite(loss.item()):
                    raise FloatingPointError(
                        f"epoch {epoch}, step {i // batch_size + 1}: the loss is {loss.item()}; lower the "
                        "learning rate, or check that the criterion gets the inputs it expects.")
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                with torch.no_grad():
                    loss_sum += loss.detach() * yb.shape[0]
                    correct += (out.argmax(dim=1) == yb).sum()
                    counted = torch.bincount(out.argmax(dim=1), minlength=out.shape[1])
                    predicted = counted if predicted is None else predicted + counted
                if bar is not None:
                    bar.update(1)
                if on_batch is not None:
                    on_batch()
            batch_loss, batch_acc = loss_sum.item() / n, correct.item() / n
            trained = time.perf_counter()
            train_acc, counts = None, None
            if eval_train:
                pred = predict(model, x_train, eval_batch_size)
                train_acc = (pred == y_train).float().mean().item()
                counts = torch.bincount(pred.cpu(), minlength=out.shape[1]).tolist()
            test_acc = accuracy(model, x_test, y_test, eval_batch_size) if x_test is not None else None
            stats = EpochStats(epoch, batch_loss, batch_acc, train_acc, test_acc,
                               trained - start, time.perf_counter() - trained, counts, predicted.cpu().tolist())
            history.append(stats)
            if on_epoch is not None:
                on_epoch(stats)
            if bar is not None:
                bar.set_postfix(loss=f"{batch_loss:.4f}")
    finally:
        if bar is not None:
            bar.close()
    return history


def column(history: Iterable[EpochStats], field: str) -> list:
    """One field of every epoch, e.g. ``column(history, "test_accuracy")``."""
    rows = list(history)
    if rows and not hasattr(rows[0], field):
        names = ", ".join(EpochStats.__dataclass_fields__)
        raise ValueError(f"unknown field {field!r}: use one of {names}.")
    return [getattr(r, field) for r in rows]
