"""Train several models side by side, one CPU core each, with :func:`course_utils.training.fit`.

Chapter 06 trains the same network many times (each loss function used two ways, then several seeds
at a reduced budget). On a CPU, one run with two threads leaves a core waiting whenever the work is not
a large matrix product (the activation, the loss, the optimiser step, Python); two runs with one thread
each keep both cores busy.
Each run trains in its own Python thread (PyTorch releases the interpreter lock inside its operations).

Rules that keep the runs independent and repeatable:

* every run brings its own model, criterion and optimiser, built beforehand (in the caller's
  thread, so that seeded initial weights do not race for the global random generator);
* every run shuffles with its own ``torch.Generator`` seeded with ``seed``, so all runs see the same
  batches, whatever the order they are scheduled in;
* each run says what it measures after every epoch (the training set, the test set, or both);
* a run's thread count is fixed before it starts: with ``w`` workers, runs go ``w`` at a time with one
  thread each; when fewer than ``w`` runs are left over at the end, those share the ``w`` threads
  (``w // left`` each) instead of leaving cores idle. On one worker (or a GPU) the runs go one after
  another with the caller's thread count.
* runs that go one at a time (a single run left over, or one worker) train in the caller's thread:
  OpenMP's worker threads answer a new Python thread's parallel regions more slowly than the main
  thread's (about 25% slower per training step on two cores, measured).

One progress bar counts the training steps of all runs. If a run fails, or the caller interrupts,
the other runs stop at their next step and the error is raised.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import torch
from torch import nn

from course_utils.training import EpochStats, fit, progress_bar, progress_enabled


@dataclass
class Run:
    """One training run to be made: a name, everything that changes during training, and what to
    measure after every epoch (accuracy on the whole training set, on the test set)."""

    name: str
    model: nn.Module
    criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    optimizer: torch.optim.Optimizer
    eval_train: bool = True
    eval_test: bool = True
    seed: int | None = None  # the seed of its batch order; None: fit_side_by_side's seed
    on_epoch: Callable[[EpochStats], None] | None = None  # called after each of its epochs, in its thread


@dataclass
class RunResult:
    """What a run left: the trained model, its per-epoch history, wall-clock seconds and threads used."""

    name: str
    model: nn.Module
    history: list[EpochStats]
    seconds: float
    threads: int


class _Stopped(Exception):
    """Raised inside a run's step callback when another run failed or the caller interrupted."""


def plan_threads(n_runs: int, workers: int, threads: int) -> list[tuple[int, int]]:
    """``(runs, threads per run)`` for each phase: full groups of ``workers`` single-thread runs, then
    the runs left over sharing the ``workers`` threads; one phase with ``threads`` if ``workers`` is 1."""
    if n_runs < 1 or workers < 1 or threads < 1:
        raise ValueError(f"need at least one run, worker and thread, got {n_runs}, {workers}, {threads}.")
    if workers == 1:
        return [(n_runs, threads)]
    full, left = divmod(n_runs, workers)
    phases = [(full * workers, 1)] if full else []
    if left:
        phases.append((left, workers // left))
    return phases


def fit_side_by_side(
    runs: Sequence[Run],
    x_train: torch.Tensor,
    y_train: torch.Tensor,
    *,
    epochs: int,
    batch_size: int,
    seed: int | None = None,
    x_test: torch.Tensor | None = None,
    y_test: torch.Tensor | None = None,
    eval_batch_size: int = 10_000,
    workers: int | None = None,
    progress: bool | None = None,
    desc: str = "training steps, all runs",
) -> dict[str, RunResult]:
    """Train every run on the same data with :func:`~course_utils.training.fit`; results by name.

    ``workers`` defaults to torch's thread count on the CPU (the chapter sets it to the number of
    cores) and to 1 on a GPU. The other arguments are :func:`~course_utils.training.fit`'s; the test
    set is measured for the runs with ``eval_test`` set, and is then required. ``seed`` seeds the batch
    order of every run whose own ``seed`` is None (so several seeds can train side by side).
    """
    runs = list(runs)
    if not runs:
        raise ValueError("no runs given: pass a list of Run(name, model, criterion, optimizer).")
    names = [run.name for run in runs]
    if len(set(names)) != len(names):
        raise ValueError(f"run names must be unique, got {names}: give each run its own name.")
    if len({id(run.model) for run in runs}) != len(runs):
        raise ValueError("two runs share one model: build a new model (and optimiser) for every run.")
    if workers is None:
        workers = torch.get_num_threads() if x_train.device.type == "cpu" else 1
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a positive int, got {workers!r}.")
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be positive, got {epochs} and {batch_size}.")
    if seed is None and any(run.seed is None for run in runs):
        raise ValueError("a run has no seed: pass seed=..., or give every Run its own seed.")
    if x_test is None and any(run.eval_test for run in runs):
        raise ValueError("runs with eval_test=True need x_test and y_test: pass them, or set eval_test=False.")

    steps_per_run = epochs * -(-x_train.shape[0] // batch_size)
    bar = progress_bar(len(runs) * steps_per_run, desc, progress_enabled(progress))
    steps = [0] * len(runs)  # each run counts its own steps; the caller's thread reads the total
    stop = threading.Event()

    def train(i: int, run: Run, threads: int, inline: bool = False) -> RunResult:
        def on_batch() -> None:
            steps[i] += 1
            if inline and bar is not None:  # no other thread is polling
                bar.update(sum(steps) - bar.n)
            if stop.is_set():
                raise _Stopped

        start = time.perf_counter()
        test = (x_test, y_test) if run.eval_test else (None, None)
        history = fit(run.model, run.criterion, run.optimizer, x_train, y_train, epochs=epochs,
                      batch_size=batch_size, x_test=test[0], y_test=test[1], eval_train=run.eval_train,
                      eval_batch_size=eval_batch_size,
                      generator=torch.Generator().manual_seed(seed if run.seed is None else run.seed),
                      progress=False, on_batch=on_batch, on_epoch=run.on_epoch)
        return RunResult(run.name, run.model, history, time.perf_counter() - start, threads)

    caller_threads = torch.get_num_threads()
    results: dict[str, RunResult] = {}
    first = 0
    try:
        for count, threads in plan_threads(len(runs), workers, caller_threads):
            torch.set_num_threads(threads)  # new worker threads take this count when they start
            at_once = max(1, min(count, workers // threads))
            if at_once == 1:  # one run at a time: train them here, in the caller's thread
                for k in range(count):
                    result = train(first + k, runs[first + k], threads, inline=True)
                    results[result.name] = result
                if bar is not None:
                    bar.refresh()
                first += count
                continue
            with ThreadPoolExecutor(max_workers=at_once) as pool:
                futures: list[Future] = [pool.submit(train, first + k, runs[first + k], threads)
                                         for k in range(count)]
                try:
                    pending = set(futures)
                    while pending:
                        done, pending = wait(pending, timeout=0.25, return_when=FIRST_EXCEPTION)
                        if bar is not None:
                            bar.update(sum(steps) - bar.n)
                            bar.refresh()
                        if any(f.exception() is not None for f in done):
                            stop.set()
                except BaseException:  # KeyboardInterrupt in a notebook: stop the runs, then re-raise
                    stop.set()
                    raise
            for future in futures:
                error = future.exception()
                if error is not None and not isinstance(error, _Stopped):
                    raise error
            for future in futures:
                if future.exception() is None:
                    result = future.result()
                    results[result.name] = result
            first += count
    finally:
        torch.set_num_threads(caller_threads)
        if bar is not None:
            bar.close()
    return {name: results[name] for name in names}
