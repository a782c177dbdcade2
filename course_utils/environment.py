"""The environment check of the start-here lesson: one line per package, and what to do about a problem.

    from course_utils.environment import check_environment
    problems = check_environment(device)     # prints the lines, returns the names of the problems

A package older than the course's minimum (:data:`MINIMUMS`, the lower bounds of ``pyproject.toml``)
is a problem, with the fix on its line. Only a version the course's tests run is called ``ok``
(:data:`TESTED`): for torch, any release from its minimum on (CI runs the minimum and the pinned one,
and the newest release every week), with a note when it is not the pinned one the stored outputs were
made with (:data:`PINNED`, from ``requirements/course.in``); for Python and every other package, only
the version CI runs. Torch releases between the minimum and the newest are assumed to work. Any other
version at least the minimum, and any pre-release (``2.16.0.dev20261201``, ``2.15.0rc1``), is marked
``untested``, a note and not a problem. Versions are otherwise compared by their release numbers only, so
a build tag such as ``2.14.1+cpu`` counts as ``2.14.1``.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Mapping

import torch
from packaging.version import InvalidVersion, Version

#: The oldest versions the course's package accepts: the lower bounds in pyproject.toml (a unit test
#: keeps the two equal). Python's and torch's are the oldest CI runs. The others stay below what CI runs,
#: since Colab installs the package into its own environment and a higher torchvision floor would make
#: pip replace Colab's torch: :data:`TESTED` says what is run.
MINIMUMS: dict[str, str] = {"Python": "3.11", "torch": "2.13", "torchvision": "0.15", "matplotlib": "3.7",
                            "numpy": "1.24"}
#: The versions the stored outputs were made with: the pins of requirements/course.in (a unit test keeps
#: the two equal). Python is not pinned there; the course environment uses 3.11.
PINNED: dict[str, str] = {"torch": "2.14.1", "torchvision": "0.29.1", "matplotlib": "3.11.2", "numpy": "2.4.6"}

#: The versions the course's tests run (unit tests keep them equal to ci.yml and requirements/course.in):
#: Python as CI sets it up, the other packages as pinned (the oldest-torch job keeps the lock's numpy and
#: matplotlib, and has no torchvision). torch is not listed: CI tests a range of it, every release from
#: MINIMUMS["torch"] on (the oldest, the pinned one, and the newest every week).
TESTED: dict[str, str] = {"Python": "3.11", **{k: v for k, v in PINNED.items() if k != "torch"}}

#: Packages the notebooks can run without, and what lacks without them.
OPTIONAL: dict[str, str] = {"torchvision": "fine, unless MNIST has to be downloaded (it is needed only for that)"}

REINSTALL = ("run the README's setup command again (it installs the pinned versions into .venv; on Colab, run "
             "`!pip install -U {name}` and restart the session)")
PYTHON_FIX = "install Python 3.11 and run the README's setup command with it"


def installed_versions() -> dict[str, str]:
    """The versions of Python and the course's direct dependencies in this kernel."""
    import matplotlib
    import numpy

    versions = {"Python": platform.python_version(), "torch": torch.__version__,
                "matplotlib": matplotlib.__version__, "numpy": numpy.__version__}
    try:
        import torchvision
    except ImportError:  # optional: only MNIST's download needs it
        return versions
    return {**versions, "torchvision": torchvision.__version__}


def _release(version: str) -> tuple[int, ...] | None:
    try:
        return Version(version).release
    except InvalidVersion:
        return None


def _tested(version: tuple[int, ...], tested: str) -> bool:
    """Whether a release is the tested one: ``3.11.7`` is Python ``3.11``; ``2.4.6`` is numpy ``2.4.6``."""
    want = Version(tested).release
    return version[:len(want)] == want


def environment_report(installed: Mapping[str, str], minimums: Mapping[str, str] = MINIMUMS,
                       pinned: Mapping[str, str] = PINNED,
                       tested: Mapping[str, str] = TESTED) -> tuple[list[str], list[str]]:
    """(lines to print, names of the problems) for these installed versions.

    Each line names a package and says ``ok`` (a version the tests run, perhaps with a note on how it
    differs from the pinned one), or ``untested`` (a version at least the minimum that no test runs, or a
    pre-release),
    or what is wrong and what to do. A package missing from ``installed`` or with an unreadable version is a
    problem too, except an :data:`OPTIONAL` one, which gets a note."""
    lines, problems = [], []
    for name, minimum in minimums.items():
        version = installed.get(name)
        fix = PYTHON_FIX if name == "Python" else REINSTALL.format(name=name)
        have = None if version is None else _release(version)
        if version is None and name in OPTIONAL:
            lines.append(f"{name:<12} not installed: {OPTIONAL[name]}")
        elif have is None:
            problems.append(name)
            what = "is not installed" if version is None else f"has a version {version!r} that cannot be read"
            lines.append(f"{name:<12} {what}: {fix}, then restart the kernel.")
        elif have < Version(minimum).release:
            problems.append(name)
            lines.append(f"{name:<12} {version} is older than the {minimum} the course needs: {fix}, "
                         "then restart the kernel.")
        elif Version(version).is_prerelease:
            lines.append(f"{name:<12} untested, {Version(version).public} (a pre-release: the course's tests run "
                         "releases only: a cell may fail or print other numbers)")
        elif name in tested and not _tested(have, tested[name]):
            lines.append(f"{name:<12} untested, {Version(version).base_version} (the course's tests run "
                         f"{tested[name]}: a cell may fail or print other numbers)")
        elif name in pinned and have != Version(pinned[name]).release:
            lines.append(f"{name:<12} ok, {Version(version).base_version} (the stored outputs were made with "
                         f"{pinned[name]}: printed numbers may differ in their last digits)")
        else:
            lines.append(f"{name:<12} ok, {Version(version).base_version}")
    return lines, problems


def check_environment(device: torch.device, installed: Mapping[str, str] | None = None,
                      write: Callable[[str], object] = print) -> list[str]:
    """Print the environment check (one line per package, then the device and a verdict); return the
    names of the problems, an empty list when there are none.

    ``device`` is what :func:`course_utils.repro.setup_notebook` returned; a device that
    ``COURSE_DEVICE`` asks for but this machine lacks has already stopped ``setup_notebook`` with a
    sentence saying what to do, so it never reaches this check."""
    lines, problems = environment_report(installed_versions() if installed is None else installed)
    for line in lines:
        write(line)
    write(f"{'device':<12} {torch.device(device).type}")
    write("Environment check passed." if not problems else f"Fix {', '.join(problems)} as said above.")
    return problems
