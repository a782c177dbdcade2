"""The course's two commands. Standard library only, so it runs with a fresh machine's python3.

    python3 tools/tasks.py setup [--no-browser] [--no-lab]   # for instructors and students
    python3 tools/tasks.py test [--device cuda|mps]           # for maintainers and CI
    python3 tools/tasks.py test --torch 2.13.0                # the notebooks' asserts with another torch

``setup`` creates ``.venv`` with Python 3.11+, installs exactly the lock (requirements.txt: every
package pinned) and ``course_utils``, registers the Jupyter kernel "Python (DL foundations)", prepares
MNIST in ``data/`` and opens JupyterLab on ``notebooks/``. ``--no-browser`` (or COURSE_NO_BROWSER=1)
starts JupyterLab headless; ``--no-lab`` stops after preparing.

``test`` (re)creates whatever is missing or stale (adding the book toolchain's lock,
requirements/book.txt), then runs every check: ruff over the code and the notebooks, actionlint on the
workflow files, the unit tests, chapters 00 and 01 as Colab runs them (an environment
without ``course_utils``, which the notebook installs), and every notebook under nbval in strict mode
(outputs compared) on the CPU, whatever the machine has. ``--device cuda`` (or ``mps``) instead runs
every notebook and every assert on that device without comparing outputs (nbval's lax mode). It prints
how long each part took and exits non-zero when any part fails.

Environment variables: COURSE_MNIST_MIRROR (a local folder with the MNIST files and their
SHA256SUMS, for machines without internet), COURSE_VENV (where the environment lives, default
.venv), COURSE_NO_BROWSER.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("COURSE_VENV", ROOT / ".venv"))
STAMP = VENV / ".course-environment"  # hash of what was installed; a change re-installs
COLAB_TEST = "tests/test_colab.py"  # the test that plays Colab: its own part, with its own time
KERNEL_NAME = "dl-foundations"
KERNEL_DISPLAY = "Python (DL foundations)"
MIN_PYTHON = (3, 11)  # the oldest Python the pinned packages support
COURSE_LOCK = "requirements.txt"
BOOK_LOCK = "requirements/book.txt"  # the book toolchain: the test command installs it, setup does not


def say(message: str) -> None:
    print(f"[course] {message}", flush=True)


def venv_python() -> Path:
    sub = ("Scripts", "python.exe") if os.name == "nt" else ("bin", "python")
    return VENV.joinpath(*sub)


def run(*args: object, check: bool = True, **kwargs) -> int:
    """Run a command from the repository root, streaming its output; return its exit code."""
    cmd = [str(a) for a in args]
    code = subprocess.call(cmd, cwd=ROOT, **kwargs)
    if check and code != 0:
        raise SystemExit(f"[course] failed ({code}): {' '.join(cmd)}")
    return code


def locks(book: bool) -> list[str]:
    """The lock files an environment installs: the course's, and the book toolchain's for the test."""
    return [COURSE_LOCK, BOOK_LOCK] if book and (ROOT / BOOK_LOCK).is_file() else [COURSE_LOCK]


def environment_fingerprint(book: bool = False) -> str:
    digest = hashlib.sha256()
    for name in (*locks(book), "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.split()[0].encode())
    return digest.hexdigest()


def ensure_environment(book: bool = False) -> Path:
    """Create the venv and install exactly the locked packages, unless the stamp says they are current.

    ``book`` adds the book toolchain's lock (the test command); an environment installed with it also
    serves setup."""
    if sys.version_info < MIN_PYTHON:
        raise SystemExit(f"[course] Python {'.'.join(map(str, MIN_PYTHON))}+ is needed, this is "
                         f"{sys.version.split()[0]}: run the command with python3.11 (or newer).")
    python = venv_python()
    if not python.exists():
        say(f"creating the virtual environment in {VENV.name}/")
        run(sys.executable, "-m", "venv", VENV)
    fingerprint = environment_fingerprint(book)
    current = STAMP.read_text().strip() if STAMP.exists() else ""
    if current in {fingerprint, environment_fingerprint(True)}:
        say(f"environment is current ({', '.join(locks(book))} unchanged since the last install)")
        return python
    say(f"installing the locked packages of {', '.join(locks(book))} (first time: a few minutes; torch is large)")
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    requirements = [arg for lock in locks(book) for arg in ("-r", lock)]
    run(*pip, "install", "--quiet", *requirements)
    # The lock holds setuptools, so the package builds without fetching its build backend again.
    # setuptools warns on every editable install that a folder named like the package could shadow it;
    # the repository is laid out for exactly that folder, so the reminder is noise here.
    run(*pip, "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ".",
        env=dict(os.environ, PYTHONWARNINGS="ignore:Editable installation"))
    STAMP.write_text(fingerprint + "\n")
    return python


#: Packages that come with torch itself: the variant with another torch leaves them to that release.
TORCH_OWN = ("torch==", "torchvision==", "triton==", "nvidia-", "cuda-")


def torch_environment(spec: str, index_url: str | None = None) -> Path:
    """A separate environment with the course's lock but another torch (``spec``: ``2.13.0`` for
    ``torch==2.13.0``, or ``latest`` for the newest release); return its Python. torchvision is left
    out: the notebooks read MNIST without it (it is needed only to download)."""
    venv = ROOT / f".venv-torch-{spec}"
    python = venv.joinpath(*(("Scripts", "python.exe") if os.name == "nt" else ("bin", "python")))
    stamp = venv / ".course-environment"
    fingerprint = f"{environment_fingerprint()} {spec} {index_url}"
    if python.exists() and stamp.is_file() and stamp.read_text().strip() == fingerprint and spec != "latest":
        say(f"environment {venv.name}/ is current")
        return python
    if not python.exists():
        say(f"creating {venv.name}/ for torch {spec}")
        run(sys.executable, "-m", "venv", venv)
    lock = [ln for ln in (ROOT / COURSE_LOCK).read_text().splitlines() if not ln.startswith(TORCH_OWN)]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(lock) + "\n")
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    try:
        run(*pip, "install", "--quiet", "-r", f.name)
    finally:
        os.unlink(f.name)
    torch = ["--upgrade", "torch"] if spec == "latest" else [f"torch=={spec}"]
    run(*pip, "install", "--quiet", *(["--extra-index-url", index_url] if index_url else []), *torch)
    run(*pip, "install", "--quiet", "--no-deps", "--no-build-isolation", "-e", ".",
        env=dict(os.environ, PYTHONWARNINGS="ignore:Editable installation"))
    stamp.write_text(fingerprint + "\n")
    return python


def test_torch(args: argparse.Namespace) -> int:
    """Every notebook's asserts (nbval lax: outputs not compared) with another torch release."""
    python = torch_environment(args.torch, args.torch_index)
    version = subprocess.run([python, "-c", "import torch; print(torch.__version__)"], capture_output=True,
                             text=True, check=True).stdout.strip()
    say(f"--- notebooks (nbval lax, CPU) with torch {version} ---")
    start = time.perf_counter()
    prepare_data(python)
    code = run(python, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
               "--nbval-cell-timeout", "1800", "notebooks", "-q", check=False,
               env=dict(os.environ, COURSE_DEVICE="cpu"))
    say(f"torch {version}: {'all notebooks pass' if code == 0 else 'FAILED'} in {time.perf_counter() - start:.0f} s")
    return code


def lessons_needing(what: str) -> list[str]:
    """The numbers of the lessons whose course-map entry (course_utils/chapters.py, standard library only)
    says they need ``what``."""
    path = Path(__file__).resolve().parent.parent / "course_utils" / "chapters.py"
    spec = importlib.util.spec_from_file_location("course_chapters", path)
    chapters = sys.modules.setdefault("course_chapters", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(chapters)  # registered first: its dataclasses look their module up
    return [c.number for c in chapters.LESSONS if what in c.needs]


def prepare_data(python: Path) -> bool:
    """Fetch or copy MNIST into data/; on failure print its one-line reason and return False."""
    return run(python, "-m", "course_utils.data", check=False) == 0


def register_kernel(python: Path) -> None:
    run(python, "-m", "ipykernel", "install", "--user", "--name", KERNEL_NAME,
        "--display-name", KERNEL_DISPLAY, stdout=subprocess.DEVNULL)
    say(f"Jupyter kernel '{KERNEL_DISPLAY}' registered")


def setup(args: argparse.Namespace) -> int:
    python = ensure_environment()
    register_kernel(python)
    if not prepare_data(python):
        say(f"MNIST is not ready: lessons {', '.join(lessons_needing('MNIST'))} need it; the others run without it.")
    if args.no_lab:
        say("ready: start JupyterLab later with "
            f"{python.relative_to(ROOT)} -m jupyterlab notebooks/")
        return 0
    lab = [str(python), "-m", "jupyterlab", "--notebook-dir", str(ROOT / "notebooks")]
    if args.no_browser or os.environ.get("COURSE_NO_BROWSER"):
        lab.append("--no-browser")
    say("opening JupyterLab on notebooks/ (Ctrl+C to stop)")
    os.chdir(ROOT)
    if os.name == "nt":
        return subprocess.call(lab)
    os.execv(lab[0], lab)
    return 0  # not reached


def notebook_seconds(junit_xml: Path) -> dict[str, float]:
    """Seconds per notebook from pytest's JUnit report: nbval makes one test per cell (the first one
    includes the kernel's start), so a notebook's time is the sum over its cells."""
    seconds: dict[str, float] = {}
    for case in ET.parse(junit_xml).iter("testcase"):
        name = case.get("classname", "").removeprefix("notebooks.")
        seconds[name] = seconds.get(name, 0.0) + float(case.get("time", 0.0))
    return seconds


def test(args: argparse.Namespace) -> int:
    timings: list[tuple[str, float, bool]] = []
    junit = Path(tempfile.gettempdir()) / f"course-notebooks-{os.getpid()}.xml"  # written by nbval's pytest

    def part(name: str, action) -> bool:
        say(f"--- {name} ---")
        start = time.perf_counter()
        ok = bool(action())
        timings.append((name, time.perf_counter() - start, ok))
        return ok

    python = None

    def env() -> bool:
        nonlocal python
        python = ensure_environment(book=True)
        return True

    part("environment", env)
    pytest = [python, "-m", "pytest", "-p", "no:cacheprovider"]
    part("data", lambda: prepare_data(python))
    part("browser for the site test", lambda: run(python, "tools/ensure_browser.py", check=False) == 0)
    part("lint (ruff: code and notebooks)", lambda: run(python, "-m", "ruff", "check", ".", check=False) == 0)
    part("lint (CI workflows: actionlint)", lambda: run(python, "-m", "tools.lint_workflows", check=False) == 0)
    # a test file that cannot be imported fails the part, but does not stop the other files from running
    part("unit tests", lambda: run(*pytest, "tests", "-q", "--ignore", COLAB_TEST, "--continue-on-collection-errors",
                                   check=False) == 0)
    part("Colab run (00, 01 without course_utils)", lambda: run(*pytest, COLAB_TEST, "-q", check=False) == 0)
    nbval = [*pytest, "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
             "--nbval-cell-timeout", "1800", "notebooks", "-q", f"--junitxml={junit}"]
    if args.device == "cpu":
        # The strict check compares outputs stored from a CPU run, so it runs on the CPU.
        part("notebooks (nbval, outputs compared, CPU)", lambda: run(
            *nbval, "--nbval", env=dict(os.environ, COURSE_DEVICE="cpu"), check=False) == 0)
    else:
        part(f"notebooks (nbval lax: every assert on {args.device}, outputs not compared)", lambda: run(
            *nbval, "--nbval-lax", env=dict(os.environ, COURSE_DEVICE=args.device), check=False) == 0)

    print("\n[course] summary")
    width = max(len(name) for name, _, _ in timings)
    for name, seconds, ok in timings:
        print(f"  {name:<{width}}  {seconds:7.1f} s  {'ok' if ok else 'FAILED'}")
        if name.startswith("notebooks") and junit.exists():
            for notebook, notebook_s in notebook_seconds(junit).items():
                print(f"    {notebook:<{width - 2}}  {notebook_s:7.1f} s")
    total = sum(seconds for _, seconds, _ in timings)
    failed = [name for name, _, ok in timings if not ok]
    print(f"  {'total':<{width}}  {total:7.1f} s  {'FAILED: ' + ', '.join(failed) if failed else 'all ok'}")
    junit.unlink(missing_ok=True)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_setup = sub.add_parser("setup", help="create the environment, prepare data, open JupyterLab")
    p_setup.add_argument("--no-browser", action="store_true", help="start JupyterLab without opening a browser")
    p_setup.add_argument("--no-lab", action="store_true", help="prepare everything but do not start JupyterLab")
    p_test = sub.add_parser("test", help="install what is missing, then lint, unit tests and every notebook")
    p_test.add_argument("--device", choices=("cpu", "cuda", "mps"), default="cpu",
                        help="cpu (default): compare every output; cuda or mps: run every notebook and assert "
                             "there, outputs not compared")
    p_test.add_argument("--torch", metavar="VERSION",
                        help="instead: run every notebook's asserts (outputs not compared) with this torch "
                             "release ('latest' for the newest), in its own environment .venv-torch-VERSION")
    p_test.add_argument("--torch-index", metavar="URL", help="an extra package index for --torch (e.g. "
                        "https://download.pytorch.org/whl/cpu for a CPU-only build)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.command == "test":
        os.environ.setdefault("COURSE_PROGRESS", "0")  # notebooks under test draw no progress bars
    if args.command == "test" and args.torch:
        return test_torch(args)
    return {"setup": setup, "test": test}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
