"""Compile the locks from the direct lists, and derive environment.yml from the course lock.

    python -m tools.lock                          # re-resolve after editing a direct list
    python -m tools.lock --upgrade-package tqdm   # move one package (and what it needs) to its newest release
    python -m tools.lock --check                  # offline: exit 1 if a lock or environment.yml is stale

``requirements/course.in`` (the course's direct dependencies) compiles into ``requirements.txt``, which
pins every package the environment installs, transitive ones included, for Linux, macOS and Windows
(``uv pip compile --universal``). ``requirements/book.in`` (the book toolchain) compiles into
``requirements/book.txt``, constrained by the course lock. Each lock's first line records the SHA-256 of
its direct list, so a test finds a lock out of date without network. ``environment.yml`` (the conda
path) is written from ``requirements.txt``, and so is ``binder/requirements.txt`` (Binder's: the same pins
with PyTorch's CPU build, see :func:`binder_requirements`).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_VERSION = "3.11"  # the oldest Python the pinned set supports (ipykernel 7 needs 3.11)
ENVIRONMENT_YML = ROOT / "environment.yml"
BINDER_REQUIREMENTS = ROOT / "binder" / "requirements.txt"
#: PyTorch's index of CPU-only wheels, and the local version label its builds carry.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
#: Packages of the course lock that only PyTorch's CUDA build needs (the CPU build pulls in none of them).
CUDA_ONLY_PREFIXES = ("nvidia-", "cuda-", "triton==")
COMMAND = "python -m tools.lock"
HASH_PREFIX = "# direct list sha256: "


@dataclass(frozen=True)
class Lock:
    direct: Path  # the hand-written list
    lock: Path  # the compiled pins
    constraints: Path | None = None  # another lock this one must agree with


COURSE = Lock(ROOT / "requirements" / "course.in", ROOT / "requirements.txt")
BOOK = Lock(ROOT / "requirements" / "book.in", ROOT / "requirements" / "book.txt", constraints=COURSE.lock)


def locks() -> list[Lock]:
    return [lock for lock in (COURSE, BOOK) if lock.direct.is_file()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pinned_lines(lock: Path) -> list[str]:
    """The requirement lines of a lock (``name==version`` with any environment marker), in order."""
    lines = (line.strip() for line in lock.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def environment_yml(lock: Path | None = None) -> str:
    """The conda environment: Python and pip from conda-forge, every package from the course lock through pip."""
    lock = COURSE.lock if lock is None else lock
    lines = [
        "# Conda alternative to `python3 tools/tasks.py setup`, written by `python -m tools.lock` from",
        "# requirements.txt (do not edit: edit requirements/course.in and run that command):",
        "#   conda env create -f environment.yml && conda activate dl-foundations",
        "#   pip install --no-deps -e . && python -m ipykernel install --user --name dl-foundations \\",
        "#       --display-name \"Python (DL foundations)\"",
        "# Everything comes from pip, as in the pip path, so both give the same builds.",
        "name: dl-foundations",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON_VERSION}",
        "  - pip",
        "  - pip:",
        *(f'      - "{line}"' for line in pinned_lines(lock)),
    ]
    return "\n".join(lines) + "\n"


def binder_requirements(lock: Path | None = None) -> str:
    """Binder's requirements: the course lock's pins with ``torch`` and ``torchvision`` as their CPU builds
    from PyTorch's CPU index, and without the CUDA libraries. The lock's ``torch`` from PyPI is the CUDA
    build (several GB with its CUDA libraries) and a Binder session has no GPU; the pinned ``+cpu`` versions
    make pip fail rather than fall back to it."""
    lock = COURSE.lock if lock is None else lock
    lines = [
        "# Binder's environment (repo2docker reads binder/ before the repository's root), written by",
        "# `python -m tools.lock` from requirements.txt (do not edit: edit requirements/course.in and run it):",
        "# the same pins, but PyTorch's CPU build from its CPU wheel index instead of the CUDA build from PyPI",
        "# (several GB with the CUDA libraries, which are left out; Binder has no GPU). binder/postBuild then",
        "# installs course_utils and registers the course kernel.",
        f"--extra-index-url {TORCH_CPU_INDEX}",
    ]
    for line in pinned_lines(lock):
        if line.startswith(CUDA_ONLY_PREFIXES):
            continue
        name, _, rest = line.partition("==")
        if name in ("torch", "torchvision"):
            version, sep, marker = rest.partition(" ;")
            line = f"{name}=={version.strip()}+cpu" + (f" ;{marker}" if sep else "")
        lines.append(line)
    return "\n".join(lines) + "\n"


def problems() -> list[str]:
    """Stale locks or environment.yml, one line each; reads no network."""
    found = []
    for lock in locks():
        name = lock.lock.relative_to(ROOT).as_posix()
        if not lock.lock.is_file():
            found.append(f"{name} is missing: run {COMMAND}")
            continue
        first = lock.lock.read_text().splitlines()[:1]
        expected = HASH_PREFIX + digest(lock.direct)
        if first != [expected]:
            found.append(f"{name} is out of date with {lock.direct.relative_to(ROOT).as_posix()}: run {COMMAND}")
    if COURSE.lock.is_file() and (not ENVIRONMENT_YML.is_file() or ENVIRONMENT_YML.read_text() != environment_yml()):
        found.append(f"environment.yml differs from what requirements.txt gives: run {COMMAND}")
    if COURSE.lock.is_file() and (not BINDER_REQUIREMENTS.is_file()
                                  or BINDER_REQUIREMENTS.read_text() != binder_requirements()):
        found.append(f"binder/requirements.txt differs from what requirements.txt gives: run {COMMAND}")
    return found


def compile_lock(lock: Lock, upgrade: list[str]) -> None:
    cmd = [sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--universal", "--python-version", PYTHON_VERSION,
           "--custom-compile-command", COMMAND, lock.direct.relative_to(ROOT).as_posix(),
           "-o", lock.lock.relative_to(ROOT).as_posix()]
    if lock.constraints is not None:
        cmd += ["-c", lock.constraints.relative_to(ROOT).as_posix()]
    for name in upgrade:
        cmd += ["--upgrade-package", name]
    if lock.lock.is_file():  # uv reads the old pins as preferences; drop our hash line first
        lines = lock.lock.read_text().splitlines(keepends=True)
        lock.lock.write_text("".join(line for line in lines if not line.startswith(HASH_PREFIX)))
    subprocess.run(cmd, cwd=ROOT, check=True)
    lock.lock.write_text(f"{HASH_PREFIX}{digest(lock.direct)}\n" + lock.lock.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report stale locks (no network), write nothing")
    parser.add_argument("--upgrade-package", "-P", action="append", default=[], metavar="NAME",
                        help="let NAME move to its newest release (repeatable)")
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        for line in found:
            print(line)
        if not found:
            print(f"locks current: {', '.join(lock.lock.relative_to(ROOT).as_posix() for lock in locks())}")
        return 1 if found else 0
    try:
        import uv  # noqa: F401
    except ImportError:
        print("error: uv is not installed in this Python: run this with the course environment's Python "
              "(.venv/bin/python -m tools.lock)", file=sys.stderr)
        return 2
    for lock in locks():
        compile_lock(lock, args.upgrade_package)
        print(f"wrote {lock.lock.relative_to(ROOT).as_posix()} ({len(pinned_lines(lock.lock))} packages)")
    ENVIRONMENT_YML.write_text(environment_yml())
    print("wrote environment.yml")
    BINDER_REQUIREMENTS.parent.mkdir(exist_ok=True)
    BINDER_REQUIREMENTS.write_text(binder_requirements())
    print("wrote binder/requirements.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
