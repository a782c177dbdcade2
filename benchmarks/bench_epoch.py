"""Time one training epoch of chapter 06's MLP three ways, in one process, and print the ratios.

    .venv/bin/python benchmarks/bench_epoch.py [--rounds 5] [--threads N]

1. article: the source article's loop, ``DataLoader(TensorDataset(x, one_hot), batch_size=200,
   shuffle=True)``, which indexes and collates 200 single samples per batch;
2. course: :func:`course_utils.training.fit` over in-memory tensors (a permutation sliced into batches);
3. floor: only the eight matrix products one epoch needs (three forward, three weight gradients and
   two input gradients per batch; the first layer's input needs no gradient), into preallocated
   outputs: no activation, loss, optimiser or Python model code.

Model 784-784-784-10 (ReLU, ReLU, softmax), SGD lr 0.15, batch 200, criterion CrossEntropyLoss on
one-hot targets, as in the article; full MNIST training set (60,000). The machine may be shared, so
the variants are interleaved for ``--rounds`` rounds and the fastest time of each is compared.

A fourth measurement explains chapter 06's run time: side by side (:mod:`course_utils.side_by_side`),
as many course-loop runs as threads, one thread each, reported as the wall-clock time per epoch of one
run when they run together (the notebook trains its runs this way).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils.losses import make_criterion
from course_utils.side_by_side import Run, fit_side_by_side
from course_utils.training import fit, to_inputs

BATCH = 200
LR = 0.15


def load_train() -> tuple[torch.Tensor, torch.Tensor]:
    from course_utils.data import load_mnist

    return load_mnist(split="train")


def article_model() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 784), nn.ReLU(), nn.Linear(784, 784), nn.ReLU(),
                         nn.Linear(784, 10), nn.Softmax(dim=1))


def article_epoch(x: torch.Tensor, onehot: torch.Tensor) -> float:
    torch.manual_seed(0)
    model = article_model()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loader = DataLoader(TensorDataset(x, onehot), batch_size=BATCH, shuffle=True)
    start = time.perf_counter()
    for xb, yb in loader:
        out = model(xb)
        loss = criterion(out, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def course_run(name: str = "course") -> Run:
    torch.manual_seed(0)
    model = article_model()
    return Run(name, model, make_criterion("CrossEntropyLoss", "article"),
               torch.optim.SGD(model.parameters(), lr=LR), eval_train=False, eval_test=False)


def course_epoch(x: torch.Tensor, y: torch.Tensor) -> float:
    run = course_run()
    hist = fit(run.model, run.criterion, run.optimizer, x, y, epochs=1, batch_size=BATCH,
               eval_train=run.eval_train, progress=False)
    return hist[0].train_seconds


def side_by_side_epoch(x: torch.Tensor, y: torch.Tensor, runs: int) -> float:
    """Wall-clock seconds for one epoch of ``runs`` course-loop runs trained together, one thread each."""
    start = time.perf_counter()
    fit_side_by_side([course_run(f"run {k}") for k in range(runs)], x, y, epochs=1, batch_size=BATCH,
                     seed=0, workers=runs, progress=False)
    return time.perf_counter() - start


def floor_epoch(n: int) -> float:
    """Only the matrix products of one epoch (same shapes, preallocated outputs)."""
    g = torch.Generator().manual_seed(0)
    x = torch.rand(BATCH, 784, generator=g)
    w1, w2, w3 = (torch.randn(o, i, generator=g) * 0.03 for o, i in ((784, 784), (784, 784), (10, 784)))
    h1, h2, z = torch.empty(BATCH, 784), torch.empty(BATCH, 784), torch.empty(BATCH, 10)
    g3, g2, g1 = torch.randn(BATCH, 10, generator=g), torch.empty(BATCH, 784), torch.empty(BATCH, 784)
    d1, d2, d3 = torch.empty(784, 784), torch.empty(784, 784), torch.empty(10, 784)
    g1.copy_(torch.randn(BATCH, 784, generator=g))
    steps, last = divmod(n, BATCH)
    sizes = [BATCH] * steps + ([last] if last else [])
    start = time.perf_counter()
    for b in sizes:
        xb = x[:b]
        torch.mm(xb, w1.t(), out=h1[:b])  # forward
        torch.mm(h1[:b], w2.t(), out=h2[:b])
        torch.mm(h2[:b], w3.t(), out=z[:b])
        torch.mm(g3[:b].t(), h2[:b], out=d3)  # backward: weight gradients and input gradients
        torch.mm(g3[:b], w3, out=g2[:b])
        torch.mm(g2[:b].t(), h1[:b], out=d2)
        torch.mm(g2[:b], w2, out=g1[:b])
        torch.mm(g1[:b].t(), xb, out=d1)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the fastest counts (5)")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(),
                        help=f"torch intra-op threads (default here: {torch.get_num_threads()})")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.threads < 1:
        print("error: --rounds and --threads must be positive", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    images, labels = load_train()
    x = to_inputs(images)
    onehot = nn.functional.one_hot(labels, 10).float()
    n = x.shape[0]
    print(f"one epoch: {n} images, batch {BATCH}, torch {torch.__version__}, {args.threads} threads, "
          f"{os.cpu_count()} CPUs, {args.rounds} rounds")
    floor_epoch(BATCH * 10)  # warm-up: BLAS thread pool and kernels
    course_epoch(x[: BATCH * 10], labels[: BATCH * 10])
    times: dict[str, list[float]] = {"article": [], "course": [], "floor": [], "side by side": []}
    for r in range(args.rounds):
        times["article"].append(article_epoch(x, onehot))
        times["course"].append(course_epoch(x, labels))
        times["floor"].append(floor_epoch(n))
        if args.threads > 1:
            times["side by side"].append(side_by_side_epoch(x, labels, args.threads) / args.threads)
        print(f"  round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if v), flush=True)
    best = {k: min(v) for k, v in times.items() if v}
    gflop = n * 2 * (784 * 784 * 3 + 784 * 784 * 2 + 784 * 10 * 3) / 1e9
    print(f"fastest: article loop {best['article']:.2f} s, course loop {best['course']:.2f} s, "
          f"matmul floor {best['floor']:.2f} s ({gflop / best['floor']:.0f} GFLOP/s)")
    print(f"course loop is {best['article'] / best['course']:.2f}x faster than the article's loop "
          f"and {best['course'] / best['floor']:.2f}x the matmul floor")
    if "side by side" in best:
        print(f"{args.threads} runs side by side, one thread each: {best['side by side']:.2f} s per epoch of one run "
              f"({best['article'] / best['side by side']:.2f}x faster than the article's loop, "
              f"{best['course'] / best['side by side']:.2f}x the throughput of one run on {args.threads} threads, "
              f"{best['side by side'] / best['floor']:.2f}x the matmul floor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
