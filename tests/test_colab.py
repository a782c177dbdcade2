"""Lessons 00 and 01 run as on Colab: in an environment that has the pinned third-party packages but not
``course_utils``, from a copy outside the repository, the install cell installs the package itself.

The environment is a fresh virtual environment that reuses this one's installed packages (a ``.pth``
file adds a folder of links to them, leaving ``course_utils`` out), so nothing is downloaded or
reinstalled; ``COURSE_INSTALL_SOURCE`` points the install cell at a copy of this checkout's package,
and pip is kept off the network. The first notebook's install cell must say in one line what it does,
the second's must print nothing (the package is there by then).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from tools.install_cell import INSTALL_TAG, SOURCE_ENV

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ("00_start_here.ipynb", "01_tensors_autograd.ipynb")
#: The whole run's limit. It takes about 60 s on 2 busy cores, nearly all of it the two chapters' own cells;
#: reinstalling torch, or a download, would take minutes and fail it.
BUDGET_S = 120
PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", "course_utils")


def _ours(name: str) -> bool:
    """An entry of site-packages that belongs to the course's own package (editable or not)."""
    return "course_utils" in name.lower().replace("-", "_")


def bare_venv(path: Path) -> Path:
    """A virtual environment with no packages at all (not even pip); return its Python."""
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(path)],
                   check=True)
    return path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def colab_like_env(tmp: Path) -> Path:
    """A venv that sees every package of this environment except course_utils; return its Python."""
    python = bare_venv(tmp / "venv")
    shared = tmp / "shared-site-packages"
    shared.mkdir()
    for site in dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib")):
        for entry in Path(site).iterdir():
            if not _ours(entry.name) and not (shared / entry.name).exists():
                (shared / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    venv_site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip()
    # addsitedir (not a bare path) so that the .pth files among the links run too
    (Path(venv_site) / "course-shared.pth").write_text(f"import site; site.addsitedir({str(shared)!r})\n")
    return python


def kernel_env(tmp: Path) -> dict[str, str]:
    source = tmp / "course-source"
    for name in PACKAGE_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(src, source / name)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    # pip's own settings keep it off the network; PIP_NO_BUILD_ISOLATION=0 (pip reads it inverted) builds
    # the package with the setuptools already installed instead of fetching one
    env.update({SOURCE_ENV: str(source), "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0",
                "COURSE_DEVICE": "cpu", "COURSE_PROGRESS": "0", "PYTHONHASHSEED": "0"})
    if not env.get("COURSE_MNIST_MIRROR"):
        env["COURSE_DATA_DIR"] = str(ROOT / "data")  # the copy the test command prepared; no second download
    return env


class _OneSpec(KernelSpecManager):
    def __init__(self, spec: KernelSpec):
        super().__init__()
        self._spec = spec

    def get_kernel_spec(self, kernel_name):
        return self._spec


def run_notebook(path: Path, python: Path, env: dict[str, str]) -> nbformat.NotebookNode:
    spec = KernelSpec(argv=[str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="Colab-like", language="python", env=env)
    km = KernelManager(kernel_name="colab-like", kernel_spec_manager=_OneSpec(spec))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    return nb


def install_output(nb: nbformat.NotebookNode) -> str:
    cell = next(c for c in nb.cells if INSTALL_TAG in c.metadata.get("tags", []))
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.skipif(os.name == "nt", reason="the linked environment uses symlinks")
def test_chapters_run_where_course_utils_is_missing(tmp_path):
    start = time.perf_counter()
    python = colab_like_env(tmp_path)
    env = kernel_env(tmp_path)
    steps = [("environment", time.perf_counter() - start)]
    missing = subprocess.run([python, "-c", "import course_utils"], env=env, capture_output=True, cwd=tmp_path)
    assert missing.returncode != 0, "the Colab-like environment must start without course_utils"
    work = tmp_path / "content"  # outside the repository, like Colab's /content
    work.mkdir()
    runs = []
    for name in CHAPTERS:
        shutil.copy2(ROOT / "notebooks" / name, work / name)
        t0 = time.perf_counter()
        runs.append(run_notebook(work / name, python, env))
        steps.append((name, time.perf_counter() - t0))
    first, second = (install_output(nb) for nb in runs)
    assert first.count("\n") == 1 and first.startswith("Installing the course's package course_utils from "), first
    assert second == "", f"the install cell must print nothing once the package is there, printed {second!r}"
    if os.environ.get("COURSE_MNIST_MIRROR"):
        assert (work / "data" / "MNIST" / "raw").is_dir(), "MNIST should land in ./data, as on Colab"
    where = subprocess.run([python, "-c", "import course_utils; print(course_utils.__file__)"], env=env,
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert Path(where).resolve().is_relative_to(tmp_path.resolve() / "venv"), where
    elapsed = time.perf_counter() - start
    print(f"Colab-like run: {elapsed:.1f} s (" + ", ".join(f"{name} {s:.1f} s" for name, s in steps) + ")")
    assert elapsed < BUDGET_S, f"the Colab-like run took {elapsed:.0f} s, over its {BUDGET_S} s budget"


def test_a_python_without_torch_gets_one_sentence_about_the_kernel(tmp_path):
    from tools.install_cell import install_source

    python = bare_venv(tmp_path / "bare")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([python, "-c", install_source()], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0 and proc.stdout == ""
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: This Python has no torch: pick the kernel 'Python (DL foundations)'")
    assert last.count(". ") == 0, "one sentence"
