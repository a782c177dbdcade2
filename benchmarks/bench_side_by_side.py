"""Does training chapter 06's runs side by side pay? One run of this script answers, in one process.

    .venv/bin/python benchmarks/bench_side_by_side.py [--epochs 1] [--rounds 1]

It builds the chapter's full-budget runs (the seven criteria as in the article, measuring the whole
training set after every epoch, and the four trained in part 2, measuring the validation set), on the
chapter's 50,000 training images, and trains them for ``--epochs`` epochs two ways, alternately:

1. plain: a loop over the runs, :func:`course_utils.training.fit` one after another with all threads;
2. side by side: :func:`course_utils.side_by_side.fit_side_by_side`, one thread per run.

It prints the wall-clock and CPU seconds of each and the ratio plain / side by side. The chapter keeps
the side-by-side runner only if that ratio, carried over to the whole chapter, is at least 1.10.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import torch
from torch import nn

from course_utils.data import load_mnist
from course_utils.losses import CRITERIA, make_criterion
from course_utils.side_by_side import Run, fit_side_by_side
from course_utils.training import fit, to_inputs

N_TRAIN, BATCH, LR = 50_000, 200, 0.15
PART2 = ("CrossEntropyLoss", "BCELoss", "BCEWithLogitsLoss", "CosineEmbeddingLoss")


def model(softmax: bool) -> nn.Module:
    layers = [nn.Linear(784, 784), nn.ReLU(), nn.Linear(784, 784), nn.ReLU(), nn.Linear(784, 10)]
    return nn.Sequential(*layers, *([nn.Softmax(dim=1)] if softmax else []))


def chapter_runs() -> list[Run]:
    runs = []
    for usage, names in (("article", CRITERIA), ("correct", PART2)):
        for name in names:
            torch.manual_seed(0)
            m = model(usage == "article")
            runs.append(Run(f"{usage} {name}", m, make_criterion(name, usage),
                            torch.optim.SGD(m.parameters(), lr=LR),
                            eval_train=usage == "article", eval_test=usage == "correct"))
    return runs


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=1, help="epochs per run (1)")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds of both ways (1)")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.rounds < 1:
        print("error: --epochs and --rounds must be positive", file=sys.stderr)
        return 2
    images, labels = load_mnist(split="train")
    x, y = to_inputs(images[:N_TRAIN]), labels[:N_TRAIN]
    xv, yv = to_inputs(images[N_TRAIN:]), labels[N_TRAIN:]
    threads = torch.get_num_threads()
    print(f"{len(chapter_runs())} runs x {args.epochs} epoch(s) on {N_TRAIN} images, torch {torch.__version__}, "
          f"{threads} threads, {os.cpu_count()} CPUs, {args.rounds} round(s)")

    def plain() -> None:
        for run in chapter_runs():
            fit(run.model, run.criterion, run.optimizer, x, y, epochs=args.epochs, batch_size=BATCH,
                x_test=xv if run.eval_test else None, y_test=yv if run.eval_test else None,
                eval_train=run.eval_train, generator=torch.Generator().manual_seed(0), progress=False)

    def side_by_side() -> None:
        fit_side_by_side(chapter_runs(), x, y, x_test=xv, y_test=yv, epochs=args.epochs, batch_size=BATCH,
                         seed=0, progress=False)

    fit(*(lambda r: (r.model, r.criterion, r.optimizer))(chapter_runs()[0]), x[:2000], y[:2000], epochs=1,
        batch_size=BATCH, eval_train=False, progress=False)  # warm-up
    times: dict[str, list[tuple[float, float]]] = {"plain": [], "side by side": []}
    for r in range(args.rounds):
        order = ("plain", "side by side") if r % 2 == 0 else ("side by side", "plain")
        for way in order:
            times[way].append(timed(plain if way == "plain" else side_by_side))
            print(f"  round {r + 1}: {way}: {times[way][-1][0]:.1f} s wall, {times[way][-1][1]:.1f} s CPU",
                  flush=True)
    wall = {way: sum(t[0] for t in v) for way, v in times.items()}
    cpu = {way: sum(t[1] for t in v) for way, v in times.items()}
    print(f"plain loop {wall['plain']:.1f} s wall ({cpu['plain']:.1f} s CPU); side by side "
          f"{wall['side by side']:.1f} s wall ({cpu['side by side']:.1f} s CPU)")
    print(f"side by side is {wall['plain'] / wall['side by side']:.2f}x faster in wall-clock time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
