"""Tests for course_utils.side_by_side: several runs trained at once, each as if trained alone."""

from __future__ import annotations

import threading

import pytest
import torch
from torch import nn

from course_utils.side_by_side import Run, RunResult, fit_side_by_side, plan_threads
from course_utils.training import fit


def data(n: int = 240, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 6, generator=g), torch.randint(0, 3, (n,), generator=g)


def make_run(name: str, seed: int = 0, lr: float = 0.1, criterion=None, **measure) -> Run:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
    measure = {"eval_train": False, "eval_test": False, **measure}
    return Run(name, model, criterion or nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=lr),
               **measure)


def runs_recording_threads(names) -> tuple[list[Run], dict[str, set[int]]]:
    """Runs whose criterion notes the id of every thread that called it, and those ids by run name."""
    where: dict[str, set[int]] = {name: set() for name in names}

    def recorder(name):
        def criterion(out, labels):
            where[name].add(threading.get_ident())
            return nn.functional.cross_entropy(out, labels)

        return criterion

    return [make_run(name, criterion=recorder(name)) for name in names], where


@pytest.fixture
def two_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield 2
    torch.set_num_threads(before)


@pytest.mark.parametrize(
    ("n_runs", "workers", "threads", "expected"),
    [
        (7, 2, 2, [(6, 1), (1, 2)]),  # three pairs, then the last run on both cores
        (11, 2, 2, [(10, 1), (1, 2)]),  # chapter 06
        (4, 2, 2, [(4, 1)]),
        (1, 2, 2, [(1, 2)]),
        (7, 4, 4, [(4, 1), (3, 1)]),
        (6, 4, 4, [(4, 1), (2, 2)]),
        (5, 1, 3, [(5, 3)]),  # one worker: one after another with the caller's threads
    ],
)
def test_plan_threads(n_runs, workers, threads, expected):
    plan = plan_threads(n_runs, workers, threads)
    assert plan == expected
    assert sum(count for count, _ in plan) == n_runs
    # never more threads busy than cores: a phase runs ``workers // per_run`` runs at a time (one if one worker)
    assert all((1 if workers == 1 else min(count, workers // per_run)) * per_run <= max(workers, threads)
               for count, per_run in plan)


@pytest.mark.parametrize("args", [(0, 2, 2), (3, 0, 2), (3, 2, 0)])
def test_plan_threads_rejects_nothing_to_do(args):
    with pytest.raises(ValueError, match="at least one"):
        plan_threads(*args)


def test_each_run_equals_the_same_run_trained_alone(two_threads):
    x, y = data()
    xt, yt = data(60, seed=1)
    runs = [make_run(f"run {k}", seed=k, lr=0.05 * (k + 1), eval_test=True) for k in range(3)]  # 2 + 1 alone
    results = fit_side_by_side(runs, x, y, epochs=3, batch_size=32, seed=7, x_test=xt, y_test=yt,
                               workers=2, progress=False)
    assert list(results) == ["run 0", "run 1", "run 2"]
    assert [r.threads for r in results.values()] == [1, 1, 2]
    assert torch.get_num_threads() == 2  # the caller's count is restored
    for k, result in enumerate(results.values()):
        assert isinstance(result, RunResult) and result.seconds > 0 and len(result.history) == 3
        alone = make_run("alone", seed=k, lr=0.05 * (k + 1))
        torch.set_num_threads(result.threads)
        history = fit(alone.model, alone.criterion, alone.optimizer, x, y, epochs=3, batch_size=32,
                      x_test=xt, y_test=yt, generator=torch.Generator().manual_seed(7), progress=False)
        torch.set_num_threads(2)
        assert all(torch.equal(a, b) for a, b in zip(alone.model.parameters(), result.model.parameters(), strict=True))
        assert [h.batch_loss for h in history] == [h.batch_loss for h in result.history]
        assert [h.test_accuracy for h in history] == [h.test_accuracy for h in result.history]


def recorder(seen: dict[str, list[torch.Tensor]], name: str):
    """A cross-entropy criterion that also records, in ``seen[name]``, the labels of every batch it gets."""
    def criterion(out, labels):
        seen[name].append(labels.clone())
        return nn.functional.cross_entropy(out, labels)

    return criterion


def test_all_runs_see_the_same_batches():
    x, y = data()
    seen: dict[str, list[torch.Tensor]] = {"a": [], "b": []}

    runs = [make_run(name, criterion=recorder(seen, name)) for name in seen]
    fit_side_by_side(runs, x, y, epochs=2, batch_size=50, seed=3, workers=2, progress=False)
    assert len(seen["a"]) == len(seen["b"]) == 2 * 5
    assert all(torch.equal(p, q) for p, q in zip(seen["a"], seen["b"], strict=True))


def test_one_worker_runs_one_after_another_with_the_callers_threads(two_threads):
    x, y = data()
    runs, where = runs_recording_threads("ab")
    results = fit_side_by_side(runs, x, y, epochs=1, batch_size=40, seed=0, workers=1, progress=False)
    assert [r.threads for r in results.values()] == [2, 2]
    assert where == {"a": {threading.get_ident()}, "b": {threading.get_ident()}}  # in the caller's thread


def test_a_failing_run_stops_the_others_and_raises_its_error(two_threads):
    x, y = data(2000)
    calls = {"slow": 0, "bad": 0}

    def slow(out, labels):
        calls["slow"] += 1
        return nn.functional.cross_entropy(out, labels)

    def bad(out, labels):
        calls["bad"] += 1
        if calls["bad"] == 3:
            raise ValueError("bad batch")
        return nn.functional.cross_entropy(out, labels)

    runs = [make_run("slow", criterion=slow), make_run("bad", seed=1, criterion=bad)]
    with pytest.raises(ValueError, match="bad batch"):
        fit_side_by_side(runs, x, y, epochs=200, batch_size=10, seed=0, workers=2, progress=False)
    assert calls["slow"] < 200 * 200  # stopped long before its 40,000 steps
    assert torch.get_num_threads() == 2


def test_silent_when_not_interactive(capsys, monkeypatch):
    monkeypatch.setenv("COURSE_PROGRESS", "0")
    x, y = data()
    fit_side_by_side([make_run("a"), make_run("b")], x, y, epochs=1, batch_size=40, seed=0, workers=2)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_counts_every_step_of_every_run(capsys):
    x, y = data()
    fit_side_by_side([make_run("a"), make_run("b")], x, y, epochs=2, batch_size=40, seed=0, workers=2,
                     progress=True, desc="both")
    err = capsys.readouterr().err
    assert "both" in err and "24/24" in err  # 2 runs x 2 epochs x 6 batches


def test_progress_bar_counts_the_run_left_over_too(capsys, two_threads):
    x, y = data()
    fit_side_by_side([make_run(name) for name in "abc"], x, y, epochs=2, batch_size=40, seed=0, workers=2,
                     progress=True, desc="three")
    assert "36/36" in capsys.readouterr().err  # 3 runs x 2 epochs x 6 batches, the third in the caller's thread


def test_a_single_run_left_over_trains_in_the_callers_thread(two_threads):
    x, y = data()
    runs, where = runs_recording_threads("abc")
    results = fit_side_by_side(runs, x, y, epochs=1, batch_size=40, seed=0, workers=2, progress=False)
    caller = threading.get_ident()
    assert where["c"] == {caller} and caller not in where["a"] | where["b"]
    assert [r.threads for r in results.values()] == [1, 1, 2]
    assert torch.get_num_threads() == 2


@pytest.mark.parametrize(
    ("runs", "kwargs", "message"),
    [
        ([], {}, "no runs given"),
        (["same", "same"], {}, "unique"),
        (["a", "b"], {"workers": 0}, "workers must be a positive int"),
        (["a", "b"], {"epochs": 0}, "must be positive"),
    ],
)
def test_bad_input_gets_a_clear_error(runs, kwargs, message):
    x, y = data()
    settings = {"epochs": 1, "batch_size": 10, "seed": 0, "progress": False, **kwargs}
    with pytest.raises(ValueError, match=message):
        fit_side_by_side([make_run(name) for name in runs], x, y, **settings)


def test_two_runs_cannot_share_a_model():
    x, y = data()
    a = make_run("a")
    b = Run("b", a.model, nn.CrossEntropyLoss(), torch.optim.SGD(a.model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match="share one model"):
        fit_side_by_side([a, b], x, y, epochs=1, batch_size=10, seed=0, progress=False)


def test_no_more_runs_at_once_than_workers():
    x, y = data()
    runs, threads_used = runs_recording_threads([f"run {k}" for k in range(6)])
    results = fit_side_by_side(runs, x, y, epochs=1, batch_size=40, seed=0, workers=2, progress=False)
    # six single-thread runs share one pool of two worker threads
    assert len(set().union(*threads_used.values())) == 2
    assert all(r.threads == 1 for r in results.values())


def test_each_run_measures_what_it_asks_for():
    x, y = data()
    xt, yt = data(60, seed=1)
    runs = [make_run("train only", eval_train=True), make_run("test only", eval_test=True),
            make_run("nothing")]
    results = fit_side_by_side(runs, x, y, epochs=2, batch_size=40, seed=0, x_test=xt, y_test=yt, workers=2,
                               progress=False)
    measured = {name: (r.history[-1].train_accuracy is not None, r.history[-1].test_accuracy is not None)
                for name, r in results.items()}
    assert measured == {"train only": (True, False), "test only": (False, True), "nothing": (False, False)}


def test_a_run_that_measures_the_test_set_needs_it():
    x, y = data()
    with pytest.raises(ValueError, match="need x_test and y_test"):
        fit_side_by_side([make_run("a", eval_test=True)], x, y, epochs=1, batch_size=40, seed=0, progress=False)


def test_a_run_with_its_own_seed_gets_its_own_batch_order_and_its_epoch_callback():
    x, y = data()
    seen: dict[str, list[torch.Tensor]] = {"a": [], "b": [], "c": []}
    epochs_seen: list[int] = []

    runs = [make_run(name, criterion=recorder(seen, name)) for name in seen]
    runs[1].seed = 5  # b draws its own order; a and c take the call's seed
    runs[2].on_epoch = lambda stats: epochs_seen.append(stats.epoch)
    fit_side_by_side(runs, x, y, epochs=2, batch_size=50, seed=3, workers=2, progress=False)
    assert all(torch.equal(p, q) for p, q in zip(seen["a"], seen["c"], strict=True))
    assert not torch.equal(seen["a"][0], seen["b"][0])
    expected = torch.randperm(len(x), generator=torch.Generator().manual_seed(5))[:50]
    assert torch.equal(seen["b"][0], y[expected])
    assert epochs_seen == [1, 2]


def test_a_run_without_a_seed_needs_the_calls_seed():
    x, y = data()
    with pytest.raises(ValueError, match="has no seed"):
        fit_side_by_side([make_run("a")], x, y, epochs=1, batch_size=50, progress=False)
