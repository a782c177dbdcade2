"""Seeding, thread count and device choice."""

import random

import numpy as np
import pytest
import torch

from course_utils import repro


def draw():
    return random.random(), float(np.random.rand()), torch.rand(3).tolist()


def test_seed_everything_repeats_all_three_generators():
    repro.seed_everything(123)
    first = draw()
    repro.seed_everything(123)
    assert draw() == first
    repro.seed_everything(124)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True, None])
def test_seed_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        repro.seed_everything(bad)


def test_set_threads_fixes_the_count():
    before = torch.get_num_threads()
    try:
        assert repro.set_threads(1) == 1 == torch.get_num_threads()
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("bad", [0, -2, 1.0, False])
def test_set_threads_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="thread count must be a positive int"):
        repro.set_threads(bad)


def test_pick_device_order(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert repro.pick_device().type == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert repro.pick_device().type == "mps"
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert repro.pick_device().type == "cpu"


def test_pick_device_honours_a_request(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert repro.pick_device("cpu").type == "cpu"
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert repro.pick_device().type == "cpu"


def test_pick_device_errors_say_what_to_do(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(RuntimeError, match="not available here: use 'cpu'"):
        repro.pick_device("cuda")
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        repro.pick_device("tpu")


def test_setup_notebook_seeds_and_returns_a_device():
    before = torch.get_num_threads()
    try:
        device = repro.setup_notebook(seed=7, threads=1, plots=False)
        a = torch.rand(2)
        repro.setup_notebook(seed=7, threads=1, plots=False)
        assert torch.equal(a, torch.rand(2))
        assert isinstance(device, torch.device)
    finally:
        torch.set_num_threads(before)
