"""Checks that every notebook matches the course map (course_utils/chapters.py) and the conventions.

``python -m tools.nav --check`` prints what :func:`check` finds. This is the repository's one check that
the course map and the notebook files agree (:func:`course_map_problems`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

import nbformat

from course_utils.chapters import CHAPTERS, REPOSITORY, Chapter
from tools.cells import source_lines, tags
from tools.exercise_tasks import task_problems
from tools.install_cell import INSTALL_TAG, install_source
from tools.lesson_facts import load
from tools.navigation import (
    FOOTER_TAG,
    HEADER_TAG,
    KERNELSPEC,
    NAV_END,
    NAV_START,
    NOTEBOOKS,
    README,
    facts_file,
    footer_source,
    header_block,
    readme_with_map,
    title_line,
)

_LINK = re.compile(r"""!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^)]*["'])?\s*\)"""
                   r"""|\b(?:href|src)\s*=\s*["']([^"']+)["']""")


def course_map_problems(notebooks_dir: Path = NOTEBOOKS,
                        chapters: Sequence[Chapter] = CHAPTERS) -> tuple[list[str], list[int]]:
    """Notebooks missing from the course map or absent from the folder, and the indices of the chapters
    whose notebook exists."""
    problems = []
    known = {c.file for c in chapters}
    for extra in sorted(p.name for p in notebooks_dir.glob("*.ipynb") if p.name not in known):
        problems.append(f"{extra}: not in the course map (course_utils/chapters.py)")
    present = []
    for i, c in enumerate(chapters):
        if (notebooks_dir / c.file).is_file():
            present.append(i)
        else:
            problems.append(f"{c.file}: missing (the course map lists it)")
    return problems, present


def dead_links(nb: nbformat.NotebookNode, folder: Path) -> list[str]:
    """Relative links in markdown cells whose target file does not exist (anchors are not checked)."""
    dead = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for a, b in _LINK.findall("\n".join(source_lines(cell))):
            target = a or b
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith(("#", "//")):
                continue  # an absolute URL (http:, https:, mailto:, data:) or an anchor on this page
            path = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if path and not (folder / path).exists():
                dead.append(target)
    return dead


def _header_problems(head: nbformat.NotebookNode, chapters: Sequence[Chapter], i: int, repository: str,
                     facts: dict) -> list[str]:
    problems = []
    lines = source_lines(head)
    if not lines or lines[0] != title_line(chapters[i]):
        found = lines[0] if lines else ""
        problems.append(f"stale header title {found!r}: the course map says {title_line(chapters[i])!r}")
    block = header_block(chapters, i, repository, facts)
    if NAV_START not in lines:
        problems.append("the header has no generated navigation block")
    else:
        s = lines.index(NAV_START)
        if lines[s:s + len(block)] != block:
            problems.append("stale navigation block in the header (badge, runtime or links)")
    if "## Learning objectives" not in lines:
        problems.append("the header has no '## Learning objectives' section")
    else:
        objectives = lines.index("## Learning objectives")
        if not any(ln.lstrip().startswith(("- ", "* ")) for ln in lines[objectives + 1:]):
            problems.append("the header's learning objectives have no bullet list")
        intro_start = lines.index(NAV_END) + 1 if NAV_END in lines else 1
        if not any(ln.strip() for ln in lines[intro_start:objectives]):
            problems.append("the header has no intro paragraph before '## Learning objectives'")
    return problems


def _install_problems(nb: nbformat.NotebookNode, repository: str) -> list[str]:
    marked = [k for k, cell in enumerate(nb.cells) if INSTALL_TAG in tags(cell)]
    if not marked:
        return ["the install cell (first code cell, tagged 'install') is missing"]
    problems = []
    if marked != [1]:
        problems.append(f"the install cell must be cell 1, right after the header, and only once (found at {marked})")
    cell = nb.cells[marked[0]]
    if cell.cell_type != "code" or "\n".join(source_lines(cell)) != install_source(repository):
        problems.append("stale install cell: its text differs from what python -m tools.nav writes")
    elif cell.get("outputs"):
        problems.append("the install cell has stored outputs: re-execute the notebook in the course environment")
    return problems


def check_notebook(nb: nbformat.NotebookNode, chapters: Sequence[Chapter], i: int, folder: Path,
                   repository: str = REPOSITORY) -> list[str]:
    """Problems with chapter ``i``'s header, install cell, kernel, footer, links and its exercises as
    nbgrader tasks (empty when all is well)."""
    problems = []
    facts = load(facts_file(folder))
    head = nb.cells[0] if nb.cells else None
    if head is None or head.cell_type != "markdown" or HEADER_TAG not in tags(head):
        problems.append("the first cell is not a markdown cell tagged 'header'")
    else:
        problems += _header_problems(head, chapters, i, repository, facts)
    heads = [k for k, cell in enumerate(nb.cells) if HEADER_TAG in tags(cell)]
    if len(heads) > 1:
        problems.append(f"{len(heads)} cells are tagged 'header' (only the first cell should be)")
    problems += _install_problems(nb, repository)
    if nb.metadata.get("kernelspec") != KERNELSPEC:
        problems.append(f"the kernel is not {KERNELSPEC['display_name']!r} (name {KERNELSPEC['name']!r})")
    foot = nb.cells[-1] if nb.cells else None
    if foot is None or foot.cell_type != "markdown" or FOOTER_TAG not in tags(foot):
        problems.append("the last cell is not the generated footer (markdown, tagged 'footer')")
    elif "\n".join(source_lines(foot)) != footer_source(chapters, i):
        problems.append("stale footer: previous/next links differ from the course map")
    feet = [k for k, cell in enumerate(nb.cells) if FOOTER_TAG in tags(cell)]
    if len(feet) > 1:
        problems.append(f"{len(feet)} cells are tagged 'footer' (only the last cell should be)")
    problems += [f"link points nowhere: {t}" for t in dead_links(nb, folder)]
    problems += task_problems(nb)
    return problems


def check(notebooks_dir: Path = NOTEBOOKS, chapters: Sequence[Chapter] = CHAPTERS,
          repository: str = REPOSITORY) -> list[str]:
    """Every problem, one line each, prefixed with the notebook's file name."""
    problems, present = course_map_problems(notebooks_dir, chapters)
    for i in present:
        path = notebooks_dir / chapters[i].file
        nb = nbformat.read(path, as_version=4)
        problems += [f"{path.name}: {p}" for p in check_notebook(nb, chapters, i, notebooks_dir, repository)]
    if notebooks_dir.resolve() == NOTEBOOKS.resolve() and README.is_file():
        text = README.read_text(encoding="utf-8")
        try:
            if readme_with_map(text, chapters, load(facts_file(notebooks_dir))) != text:
                problems.append("README.md: stale course map table: run python -m tools.nav")
        except ValueError as e:
            problems.append(str(e))
    return problems
