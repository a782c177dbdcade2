"""The course map: one entry per notebook, the single source for the start-here table, the
navigation links, the rendered site's index and the student editions."""

from __future__ import annotations

from dataclasses import dataclass

#: GitHub "owner/name" where the course is published: the Open-in-Colab links point there.
REPOSITORY = "dl-foundations/pytorch-course"
#: The branch the Open-in-Colab links (and a notebook's self-install) use.
BRANCH = "main"
#: The Open-in-Colab badge image.
COLAB_BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"


@dataclass(frozen=True)
class Chapter:
    number: str
    file: str  # notebook file name inside notebooks/
    title: str
    summary: str  # one line: what the student learns
    needs: str  # what it needs beyond the course environment
    cpu_minutes: float  # rough run time on a laptop CPU, top to bottom


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("00", "00_start_here.ipynb", "Start here",
            "The course map, an environment check and a first look at MNIST.",
            "MNIST (about 12 MB, fetched once)", 0.5),
    Chapter("01", "01_activations.ipynb", "Activation functions",
            "Sigmoid, tanh, ReLU, Leaky ReLU, GELU, SiLU and softmax, with their derivatives.",
            "nothing", 0.5),
    Chapter("02", "02_regression_losses.ipynb", "Regression losses",
            "MAE, MSE, SmoothL1, Huber and log-cosh, and how outliers pull on each.",
            "nothing", 0.5),
    Chapter("03", "03_entropy_kl_cross_entropy.ipynb", "Entropy, KL divergence and cross-entropy",
            "From information to cross-entropy, by maximum likelihood; why not a squared error.",
            "nothing", 0.5),
    Chapter("04", "04_classification_losses.ipynb", "Classification losses in PyTorch",
            "CrossEntropyLoss, BCEWithLogitsLoss, KLDivLoss, class weights and embedding losses, used right.",
            "nothing", 0.5),
    Chapter("05", "05_backprop_by_hand.ipynb", "Backpropagation by hand",
            "A 2-2-2 network differentiated with the chain rule and checked against autograd.",
            "nothing", 0.5),
    Chapter("06", "06_mnist_loss_functions.ipynb", "MNIST: comparing loss functions",
            "Seven criteria on an MLP, first as an article used them, then used correctly.",
            "MNIST; about 8 minutes on 2 CPU cores, about 1 minute on a GPU", 8.0),
)


def chapter(number: str) -> Chapter:
    """Look a chapter up by its number, e.g. ``chapter("03")``."""
    for c in CHAPTERS:
        if c.number == number:
            return c
    known = ", ".join(c.number for c in CHAPTERS)
    raise KeyError(f"no chapter {number!r}: the chapters are {known}.")


def colab_url(chapter: Chapter, repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """The Open-in-Colab address of a chapter's notebook on GitHub."""
    return f"https://colab.research.google.com/github/{repository}/blob/{branch}/notebooks/{chapter.file}"
