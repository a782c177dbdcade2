"""The course map: one entry per notebook, the single source for the start-here table, the
navigation links, the rendered site's index, the slides, the student editions and the prerequisite
test.

Each lesson declares what it **teaches**: the PyTorch and ``course_utils`` names its code introduces
(``torch.optim.SGD``, ``torch.nn.functional.softmax``, ``course_utils.training.fit``) and the methods
and attributes it introduces, written ``Class.name`` (``Tensor.backward``, ``Optimizer.step``).
``tests/test_prerequisites.py`` fails when a notebook uses a name that only a later lesson teaches, or
that no lesson teaches; the glossary terms each lesson introduces are declared in ``GLOSSARY.md``.

Nothing here states a time: a lesson's class minutes are computed from its words, code lines and
figures (:func:`class_minutes`), and its CPU seconds are measured by ``python -m tools.run_notebook``,
which writes both into ``lesson_facts.json`` next to this file (:func:`facts`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import quote, urlencode, urlsplit

#: GitHub "owner/name" where the course is published: the Open-in-Colab links point there.
REPOSITORY = "dl-foundations/pytorch-course"
#: The branch the Open-in-Colab links (and a notebook's self-install) use.
BRANCH = "main"
#: The Open-in-Colab badge image.
COLAB_BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"
#: The public Binder service, and its badge image.
BINDER_HUB = "https://mybinder.org"
BINDER_BADGE_URL = "https://mybinder.org/badge_logo.svg"

#: The class-time rule: minutes to teach a lesson's main text (everything before its summary).
#: Prose is read and discussed at 40 words a minute, code is read and run at 8 lines a minute, and
#: each figure takes a minute to look at. The chapter that expert readers called one full lesson
#: (entropy, KL and cross-entropy before the twelve-lesson plan: 1,776 words, 316 code lines and 3
#: figures in its main text) comes out at 87 minutes, 85 once rounded.
WORDS_PER_MINUTE = 40
CODE_LINES_PER_MINUTE = 8
MINUTES_PER_FIGURE = 1.0


def class_minutes(words: int, code_lines: int, figures: int) -> int:
    """Estimated class minutes for a main text of this size, rounded to 5 minutes (at least 5)."""
    minutes = words / WORDS_PER_MINUTE + code_lines / CODE_LINES_PER_MINUTE + figures * MINUTES_PER_FIGURE
    return max(5, 5 * round(minutes / 5))


@dataclass(frozen=True)
class Chapter:
    number: str
    file: str  # notebook file name inside notebooks/
    title: str
    summary: str  # one line: what the student learns
    needs: str  # what it needs beyond the course environment
    teaches: tuple[str, ...] = ()  # the names this lesson introduces (see the module docstring)
    lesson: bool = True  # False for the appendix: outside the lesson budget and the class plan


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "00", "00_start_here.ipynb", "Start here",
        summary="The course map, an environment check and a first look at MNIST.",
        needs="MNIST (an 11 MB download, fetched once)",
        teaches=(
            # lesson 00
            "course_utils.repro.setup_notebook", "course_utils.environment.check_environment",
            "course_utils.environment.MINIMUMS", "course_utils.environment.PINNED", "course_utils.environment.TESTED",
            "course_utils.chapters.CHAPTERS", "course_utils.chapters.LESSONS", "course_utils.chapters.facts",
            "course_utils.chapters.map_table", "course_utils.chapters.machines",
            "course_utils.data.load_mnist", "course_utils.data.ensure_mnist", "course_utils.data.FILES",
            "course_utils.digits.show_digit_grid",
            "course_utils.digits.plot_class_counts", "course_utils.digits.nearest_mean_accuracy",
            "torch.uint8", "torch.int64", "torch.bincount",
            "Tensor.shape", "Tensor.dtype", "Tensor.item", "Tensor.float", "Tensor.mean", "Tensor.std",
            "Tensor.min", "Tensor.max", "Tensor.argmin", "Tensor.argmax",
        ),
    ),
    Chapter(
        "01", "01_tensors_autograd.ipynb", "Tensors and autograd",
        summary="Shapes, dtypes, broadcasting, indexing and views; autograd; a first model fitted by gradient descent.",
        needs="nothing",
        teaches=(
            # lesson 01
            "torch.tensor", "torch.zeros", "torch.ones", "torch.arange", "torch.randn", "torch.float32",
            "torch.float64", "torch.equal", "torch.where", "torch.finfo", "torch.sum", "torch.mean", "torch.diag",
            "torch.cdist", "torch.testing.assert_close", "torch.no_grad", "torch.autograd.functional.jacobian",
            "torch.nn.functional.mse_loss", "torch.optim.SGD",
            "syntax.matmul", "syntax.newaxis", "Tensor.unsqueeze",
            "Tensor.device", "Tensor.to", "Tensor.reshape", "Tensor.tolist", "Tensor.sum", "Tensor.view",
            "Tensor.clone", "Tensor.add_", "Tensor.zero_", "Tensor.data_ptr", "Tensor.is_contiguous",
            "Tensor.untyped_storage", "torch.get_default_dtype",
            "Tensor.requires_grad", "Tensor.backward", "Tensor.grad", "Tensor.detach",
            "Tensor.is_leaf", "Tensor.grad_fn", "Tensor.T", "Tensor.abs", "Tensor.double", "Tensor.cpu",
            "Tensor.stride", "Optimizer.zero_grad", "Optimizer.step", "torch.Generator",
            # its reference paragraph
            "torch.zeros_like", "torch.ones_like", "torch.full_like", "torch.as_tensor", "torch.rand",
            "torch.linspace", "torch.manual_seed", "torch.stack", "torch.cat", "torch.argmin", "torch.nonzero",
            "torch.allclose", "torch.long", "torch.bool", "torch.cos", "torch.Tensor", "Tensor.requires_grad_",
            "torch.autograd.grad", "torch.set_printoptions", "course_utils.tables.show_table",
        ),
    ),
    Chapter(
        "02", "02_activations.ipynb", "Activation functions",
        summary="Sigmoid, tanh, ReLU, Leaky ReLU, GELU, SiLU and softmax, with their derivatives.",
        needs="nothing",
        teaches=(
            # lesson 02
            "torch.nn.Linear", "torch.sigmoid", "torch.tanh", "torch.relu", "torch.softmax",
            "torch.nn.functional.leaky_relu", "torch.nn.functional.gelu", "torch.nn.functional.silu",
            "torch.nn.functional.softplus", "torch.nn.functional.elu",
            "torch.clamp", "torch.maximum", "torch.abs", "torch.sqrt", "torch.sign", "torch.exp", "torch.log",
            "torch.log1p", "torch.expm1", "torch.erf", "torch.sin", "torch.isnan", "torch.isinf", "torch.isfinite",
            "torch.diff", "torch.outer", "torch.eye", "torch.full", "torch.from_numpy",
            "torch.linalg.eigh", "torch.linalg.eigvalsh",
            "course_utils.function_plots.plot_with_derivative", "course_utils.function_plots.autograd_derivative",
        ),
    ),
    Chapter(
        "03", "03_deep_networks.ipynb", "Deep networks: initialisation and vanishing gradients",
        summary="Xavier and Kaiming initialisation by measurement, vanishing gradients, saturation and dead ReLUs.",
        needs="nothing",
        teaches=(
            # lesson 03
            "torch.empty", "torch.nn.init.xavier_normal_", "torch.nn.init.kaiming_normal_",
            "torch.nn.init.constant_", "torch.nn.init.calculate_gain", "torch.nn.Sequential", "torch.nn.Sigmoid",
            "torch.nn.Tanh", "torch.nn.ReLU", "torch.nn.LeakyReLU", "Tensor.retain_grad",
            "Tensor.norm", "Tensor.expand", "Tensor.nonzero", "Tensor.var", "Module.parameters",
            "course_utils.toy_data.two_moons",
        ),
    ),
    Chapter(
        "04", "04_regression_losses.ipynb", "Regression losses",
        summary="MAE, MSE, SmoothL1, Huber and log-cosh from their noise models, and how outliers pull on each.",
        needs="nothing",
        teaches=(
            # lesson 04
            "torch.distributions.Normal", "torch.distributions.Laplace",
            "torch.nn.L1Loss", "torch.nn.MSELoss", "torch.nn.SmoothL1Loss", "torch.nn.HuberLoss",
            "torch.nn.functional.l1_loss", "torch.nn.functional.smooth_l1_loss", "torch.nn.functional.huber_loss",
            "torch.where", "torch.sign", "torch.clamp", "torch.maximum", "torch.isinf", "torch.isnan",
            "torch.cosh", "torch.logaddexp", "torch.quantile", "torch.log1p", "torch.linalg.lstsq",
            "torch.random.manual_seed",
            "course_utils.regression.outlier_line_data", "course_utils.regression.fit_line",
            "course_utils.regression.TRUE_W", "course_utils.regression.TRUE_B",
            "course_utils.loss_surfaces.loss_grid", "course_utils.loss_surfaces.grid_argmin",
            "course_utils.loss_surfaces.plot_loss_contours",
        ),
    ),
    Chapter(
        "05", "05_gradient_descent.ipynb", "Gradient descent and optimisers",
        summary="Step size and divergence, minibatch noise, momentum and Adam, and how a learning rate is chosen.",
        needs="nothing",
        teaches=(
            # lesson 05
            "torch.optim.Adam", "torch.Generator", "torch.randint", "torch.randperm",
            "course_utils.optim_paths.trajectory", "course_utils.optim_paths.gradient",
        ),
    ),
    Chapter(
        "06", "06_entropy_kl_cross_entropy.ipynb", "Entropy, KL divergence and cross-entropy",
        summary="From information to cross-entropy, by maximum likelihood; why not a squared error.",
        needs="nothing",
        teaches=(
            # lesson 06
            "torch.xlogy", "torch.logsumexp", "torch.logit", "torch.logspace", "torch.prod", "torch.multinomial",
            "torch.meshgrid", "torch.nn.functional.one_hot", "torch.nn.functional.cross_entropy",
            "torch.nn.functional.binary_cross_entropy_with_logits", "torch.distributions.Dirichlet",
            "torch.distributions.Categorical", "torch.distributions.Bernoulli", "torch.distributions.kl_divergence",
            "torch.autograd.functional.hessian", "torch.linalg.eigvalsh", "course_utils.loss_figures.curve_panels",
        ),
    ),
    Chapter(
        "07", "07_classification_losses.ipynb", "Classification losses in PyTorch",
        summary="CrossEntropyLoss, BCEWithLogitsLoss, KLDivLoss, class weights and embedding losses, used right.",
        needs="nothing",
        teaches=(
            # lesson 07
            "torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss", "torch.nn.LogSoftmax", "torch.nn.BCELoss",
            "torch.nn.BCEWithLogitsLoss", "torch.nn.KLDivLoss", "torch.nn.CosineEmbeddingLoss",
            "torch.nn.TripletMarginLoss", "torch.nn.functional.nll_loss", "torch.log_softmax",
            "torch.nn.functional.cosine_similarity", "torch.nn.functional.pairwise_distance", "torch.cdist",
            "torch.finfo", "torch.log1p", "torch.bernoulli", "course_utils.calibration.fit_logistic",
            "course_utils.calibration.predict", "course_utils.calibration.reliability_bins",
            "course_utils.calibration.plot_reliability", "course_utils.loss_figures.embedding_step_figure",
            "Tensor.permute", "Tensor.unique", "Tensor.repeat_interleave",
        ),
    ),
    Chapter(
        "08", "08_backprop_by_hand.ipynb", "Backpropagation by hand",
        summary="A 2-2-2 network differentiated with the chain rule and checked against autograd.",
        needs="nothing",
        teaches=(
            # lesson 08
            "torch.set_default_dtype", "torch.outer", "torch.cov",
            "course_utils.gradcheck.check_gradient", "course_utils.gradcheck.GradientCheckError",
            "course_utils.backprop_figures.draw_network", "course_utils.backprop_figures.plot_panels",
            "course_utils.backprop_figures.Panel",
        ),
    ),
    Chapter(
        "09", "09_backprop_graph.ipynb", "Backpropagation as a graph: a small autograd engine",
        summary="A scalar autograd engine tested against PyTorch; forward and reverse mode; custom functions.",
        needs="nothing",
        teaches=(
            # lesson 09
            "torch.autograd.Function", "torch.autograd.gradcheck", "torch.autograd.gradcheck.GradcheckError",
            "torch.func.jvp", "torch.func.vjp", "torch.func.jacfwd",
            "Tensor.grad_fn", "Function.apply", "Function.save_for_backward",
            "Function.saved_tensors", "Function.next_functions", "Module.named_parameters", "torch.nn.Module",
            "torch.utils.flop_counter.FlopCounterMode", "torch.autograd.graph.saved_tensors_hooks",
            "course_utils.backprop_figures.draw_graph",
        ),
    ),
    Chapter(
        "10", "10_mnist_training_loop.ipynb", "MNIST I: the training loop and the published experiment",
        summary="The training loop written out and checked, and seven criteria on an MLP as an article used them.",
        needs="MNIST",
        teaches=(
            # lesson 10
            "torch.nn.Softmax", "torch.utils.data.DataLoader", "torch.utils.data.TensorDataset",
            "torch.utils.data.BatchSampler",
            "torch.utils.data.RandomSampler", "torch.distributions.Dirichlet", "torch.randperm", "torch.Generator",
            "course_utils.training.fit", "course_utils.training.to_inputs",
            "course_utils.losses.CRITERIA", "course_utils.losses.CriterionAdapter",
            "course_utils.losses.make_criterion", "course_utils.losses.usage_table",
            "course_utils.side_by_side.Run", "course_utils.side_by_side.fit_side_by_side",
            "course_utils.steps.RelativeChange", "course_utils.steps.flat_parameters",
            "course_utils.steps.logit_gradient", "course_utils.steps.parameter_gradient",
            "course_utils.experiment_plots.plot_curves",
            # the exercises' check cells (#25 may declare it in an earlier lesson)
            "course_utils.exercises.exercise",
        ),
    ),
    Chapter(
        "11", "11_mnist_losses_used_right.ipynb", "MNIST II: each loss used correctly, and what chance allows",
        summary="The same criteria used correctly, a seed spread, and a model chosen on validation.",
        needs="MNIST",
        teaches=(
            # lesson 11
            "torch.nn.functional.logsigmoid", "torch.nn.functional.kl_div",
            "course_utils.steps.split_common", "course_utils.experiment_plots.plot_seed_spread",
            "course_utils.experiment_plots.plot_confusion_matrix",
            "course_utils.training.accuracy", "course_utils.training.predict",
            "course_utils.training.confusion_matrix",
        ),
    ),
    Chapter(
        "A", "A_source_articles.ipynb", "Appendix: the source articles, checked",
        summary="Every number and slip of the source articles in one place, each one computed.",
        needs="nothing",
        teaches=(
            # appendix
        ),
        lesson=False,
    ),
)

#: The lessons proper (the appendix is outside the class plan).
LESSONS: tuple[Chapter, ...] = tuple(c for c in CHAPTERS if c.lesson)


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


def repository_url(repository: str = REPOSITORY) -> str:
    """The repository's address on GitHub (what git clones and nbgitpuller pulls)."""
    return f"https://github.com/{repository}"


def binder_url(chapter: Chapter | None = None, repository: str = REPOSITORY, branch: str = BRANCH,
               hub: str = BINDER_HUB) -> str:
    """The Binder launch address that opens a chapter's notebook (lesson 00 by default) in JupyterLab, in
    an environment Binder builds from the repository's ``binder/`` folder."""
    chapter = CHAPTERS[0] if chapter is None else chapter
    query = urlencode({"urlpath": f"lab/tree/notebooks/{chapter.file}"}, quote_via=quote, safe="")
    return f"{hub.rstrip('/')}/v2/gh/{repository}/{quote(branch, safe='')}?{query}"


def nbgitpuller_url(hub: str, chapter: Chapter | None = None, repository: str = REPOSITORY,
                    branch: str = BRANCH) -> str:
    """The nbgitpuller link that hands the course to a JupyterHub class: opening it pulls (or updates) the
    repository into each student's home folder and opens a chapter's notebook (lesson 00 by default).
    ``hub`` is the hub's address, ``https://hub.example.edu`` (a path prefix is kept)."""
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the hub address must look like https://hub.example.edu, not {hub!r}.")
    chapter = CHAPTERS[0] if chapter is None else chapter
    name = repository.rsplit("/", 1)[-1]
    query = urlencode({"repo": repository_url(repository), "branch": branch,
                       "urlpath": f"lab/tree/{name}/notebooks/{chapter.file}"}, quote_via=quote, safe="")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/hub/user-redirect/git-pull?{query}"


@cache
def _all_facts() -> dict:
    text = resources.files("course_utils").joinpath("lesson_facts.json").read_text(encoding="utf-8")
    return json.loads(text)


def facts(chapter: Chapter) -> dict | None:
    """What was counted and measured for a chapter's notebook, or None if it never ran.

    Keys: ``words``, ``code_lines``, ``cells``, ``figures`` and ``class_minutes`` (counted from its
    main text), ``cpu_seconds`` (its last run by ``tools.run_notebook``), ``machine`` and ``measured``
    (where and when), ``source_sha`` (the hash of its code cells when it ran)."""
    return _all_facts().get("notebooks", {}).get(chapter.file)


def format_seconds(seconds: float) -> str:
    """A measured time as a reader wants it: "8 s", "45 s", "6.5 min"."""
    if seconds < 10:
        return f"{max(1, round(seconds))} s"
    if seconds < 120:
        return f"{5 * round(seconds / 5)} s"
    return f"{round(seconds / 30) / 2:g} min"


def map_table(chapters: tuple[Chapter, ...] = CHAPTERS, all_facts: dict | None = None, link_prefix: str = "",
              this: str | None = None) -> str:
    """The course map as a markdown table: number, title, what it teaches, what it needs, class time
    (counted from the lesson's length) and CPU run time (measured), from :func:`facts`. ``this``, the
    file of a notebook that shows the table, gets "this notebook" for its own run time, which its own
    run would change."""
    notebooks = (_all_facts() if all_facts is None else all_facts).get("notebooks", {})
    rows = ["| # | Lesson | What you learn | Needs | Class time | CPU run |", "| --- | --- | --- | --- | --- | --- |"]
    for c in chapters:
        f = notebooks.get(c.file, {})
        minutes = ("(appendix)" if not c.lesson else f"{f['class_minutes']} min" if "class_minutes" in f
                   else "not counted yet")
        cpu = ("this notebook" if c.file == this else format_seconds(f["cpu_seconds"]) if "cpu_seconds" in f
               else "not measured yet")
        link = f"[{c.title}]({link_prefix}{c.file})"
        rows.append(f"| {c.number} | {link} | {c.summary} | {c.needs} | {minutes} | {cpu} |")
    return "\n".join(rows)


def machines(chapters: tuple[Chapter, ...] = CHAPTERS, all_facts: dict | None = None) -> list[str]:
    """The machines the CPU run times were measured on (usually one)."""
    notebooks = (_all_facts() if all_facts is None else all_facts).get("notebooks", {})
    return sorted({notebooks[c.file]["machine"] for c in chapters if "machine" in notebooks.get(c.file, {})})

