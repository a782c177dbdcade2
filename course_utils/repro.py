"""Reproducibility: seeds, thread count and device choice.

Every notebook starts with ``setup_notebook()``, so that a fresh kernel prints the same numbers on
every run (nbval compares them).
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

DEFAULT_SEED = 0
DEFAULT_THREADS = 1


def seed_everything(seed: int = DEFAULT_SEED) -> int:
    """Seed Python's ``random``, NumPy and torch (CPU and every CUDA device); return the seed."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}: pass for example seed=0.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return seed


def set_threads(n: int = DEFAULT_THREADS) -> int:
    """Fix torch's intra-op thread count so that float reductions add up in the same order every run.

    Returns the count in force. Inter-op threads can only be set once per process, before any
    parallel work; later calls leave them alone.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"thread count must be a positive int, got {n!r}: pass for example threads=1.")
    torch.set_num_threads(n)
    try:
        torch.set_num_interop_threads(n)
    except RuntimeError:  # already set in this process, or parallel work has started
        pass
    return torch.get_num_threads()


def pick_device(prefer: str | None = None) -> torch.device:
    """Return the best available device: CUDA, then Apple MPS, then CPU.

    ``prefer`` (or the environment variable ``COURSE_DEVICE``) forces one, e.g. ``"cpu"``; asking for
    a device that is not available raises a ``RuntimeError`` that says what is.
    """
    prefer = prefer or os.environ.get("COURSE_DEVICE") or None
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if prefer is not None:
        kind = str(prefer).split(":")[0]
        if kind not in {"cpu", "cuda", "mps"}:
            raise ValueError(f"unknown device {prefer!r}: use 'cpu', 'cuda' or 'mps'.")
        if (kind == "cuda" and not cuda) or (kind == "mps" and not mps):
            raise RuntimeError(f"device {prefer!r} is not available here: use 'cpu' or leave it unset.")
        return torch.device(prefer)
    if cuda:
        return torch.device("cuda")
    if mps:
        return torch.device("mps")
    return torch.device("cpu")


def setup_notebook(seed: int = DEFAULT_SEED, threads: int = DEFAULT_THREADS, plots: bool = True) -> torch.device:
    """One call at the top of every notebook: seed, fix threads, set the plot style, pick a device.

    Returns the device. Figures get the course style and a stable text form (their titles) instead of
    ``<Figure size ...>``, so stored notebook outputs read well and compare equal under nbval.
    """
    seed_everything(seed)
    set_threads(threads)
    if plots:
        from course_utils.plotting import use_course_style

        use_course_style()
    return pick_device()
