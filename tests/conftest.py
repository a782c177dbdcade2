"""Fixtures shared by several test files: the book and the slides, built once per test session from the
committed notebooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit_helpers import NOTEBOOKS


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
    """(the nbgrader course directory, the released student edition), built once with nbgrader."""
    pytest.importorskip("nbgrader", reason="nbgrader is not installed: pip install -r requirements/book.txt")
    from tools import build_assignments

    root = tmp_path_factory.mktemp("assignments")
    build_assignments.build(NOTEBOOKS, root / "student", root / "course")
    return root / "course", root / "student"
