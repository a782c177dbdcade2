"""Fixtures shared by several test files: the book, the slides and the assignments (student edition and
nbgrader course directory), built once per test session from the committed notebooks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from kit_helpers import NOTEBOOKS, ROOT

from course_utils.chapters import CHAPTERS


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("sphinx", reason="the book toolchain is not installed: pip install -e '.[book]'")
    from tools import build_site

    out = tmp_path_factory.mktemp("book") / "site"
    build_site.build(NOTEBOOKS, out)
    return out


@pytest.fixture(scope="session")
def slides(tmp_path_factory) -> Path:
    from tools import build_slides

    out = tmp_path_factory.mktemp("slides")
    build_slides.build(NOTEBOOKS, out)
    return out


@pytest.fixture(scope="session")
def assignments(tmp_path_factory) -> tuple[Path, Path]:
    """(the nbgrader course directory, the released student edition), built once by the command."""
    pytest.importorskip("nbgrader", reason="nbgrader is not installed: pip install -r requirements/book.txt")
    root = tmp_path_factory.mktemp("assignments")
    proc = subprocess.run([sys.executable, "-m", "tools.build_assignments", "--notebooks", str(NOTEBOOKS),
                           "--out", str(root / "student"), "--course", str(root / "course")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith(f"student edition: {len(CHAPTERS)} notebooks in ")
    return root / "course", root / "student"
