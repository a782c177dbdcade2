"""The navigation writer: brings each notebook's generated parts up to date with the course map.

The course map (course_utils/chapters.py) is the single source. In each notebook:

- the first cell is a markdown cell tagged ``header``: ``# NN · Title`` (title as in the course map), an
  intro paragraph and ``## Learning objectives`` with a bullet list (the chapter's author writes those);
  right under the title a generated block between ``<!-- nav:start -->`` and ``<!-- nav:end -->`` holds
  the Open-in-Colab badge, the estimated CPU runtime and what the chapter needs;
- the second cell is the install cell (:mod:`tools.install_cell`), tagged ``install``;
- the last cell is a generated markdown cell tagged ``footer`` with previous/next links;
- the notebook asks for the kernel that setup registers, "Python (DL foundations)";
- each exercise's cells carry the nbgrader metadata their tags call for (:mod:`tools.exercise_tasks`).

Slide boundaries are not stored: the slides builder computes them (:mod:`tools.slide_types`), and the
writer removes any ``slideshow`` metadata left in a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat

from course_utils.chapters import COLAB_BADGE_URL, REPOSITORY, Chapter, colab_url, map_table
from tools.cells import source_lines, tags
from tools.exercise_tasks import sync_tasks
from tools.install_cell import INSTALL_ID, INSTALL_TAG, KERNEL_DISPLAY, KERNEL_NAME, install_source
from tools.lesson_facts import FACTS, format_seconds, load, refresh_counts

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAV_START = "<!-- nav:start -->"
NAV_END = "<!-- nav:end -->"
HEADER_TAG = "header"
FOOTER_TAG = "footer"
FOOTER_ID = "nav-footer"
#: The kernel every notebook asks for: the one ``python3 tools/tasks.py setup`` registers.
KERNELSPEC = {"name": KERNEL_NAME, "display_name": KERNEL_DISPLAY, "language": "python"}


def title_line(chapter: Chapter) -> str:
    return f"# {chapter.number} · {chapter.title}"


def facts_file(notebooks_dir: Path) -> Path:
    """Where the lesson facts of a notebook folder live: the package's file for the course's own
    notebooks, a ``lesson_facts.json`` inside any other folder (a test's small course)."""
    return FACTS if notebooks_dir.resolve() == NOTEBOOKS.resolve() else notebooks_dir / "lesson_facts.json"


def timing_line(c: Chapter, fact: dict | None) -> str:
    """Class time (counted) and CPU run time (measured) as the header states them."""
    fact = fact or {}
    parts = []
    if c.lesson and "class_minutes" in fact:
        parts.append(f"**Class time:** about {fact['class_minutes']} min (estimated from its length)")
    if "cpu_seconds" in fact:
        parts.append(f"**CPU run:** {format_seconds(fact['cpu_seconds'])}, top to bottom "
                     f"(measured {fact['measured']} on {fact['machine']})")
    else:
        parts.append("**CPU run:** not measured yet")
    return " · ".join(parts)


def header_block(chapters: Sequence[Chapter], i: int, repository: str = REPOSITORY,
                 facts: dict | None = None) -> list[str]:
    """The generated lines of chapter ``i``'s header, markers included; ``facts`` is the content of
    lesson_facts.json (read from disk when not given)."""
    c = chapters[i]
    facts = (load() if facts is None else facts).get("notebooks", {})
    facts = f"{timing_line(c, facts.get(c.file))} · **Needs:** {c.needs}"
    if i != 0:
        facts += f" · [Course map]({chapters[0].file})"
    return [NAV_START, "", f"[![Open In Colab]({COLAB_BADGE_URL})]({colab_url(c, repository)})", "", facts, "", NAV_END]


def footer_source(chapters: Sequence[Chapter], i: int) -> str:
    """The whole source of chapter ``i``'s footer cell."""
    links = []
    if i > 0:
        p = chapters[i - 1]
        links.append(f"**Previous:** [{p.number} · {p.title}]({p.file})")
    if i + 1 < len(chapters):
        n = chapters[i + 1]
        links.append(f"**Next:** [{n.number} · {n.title}]({n.file})")
    if i > 1:
        links.append(f"[Course map]({chapters[0].file})")
    return "\n".join([NAV_START, "", "---", "", " · ".join(links), "", NAV_END])


def expected_header(source: str, chapters: Sequence[Chapter], i: int, repository: str = REPOSITORY,
                    facts: dict | None = None) -> str:
    """The header cell's source with the title and the generated block brought up to date."""
    lines = source.splitlines()
    if NAV_START in lines:
        start = lines.index(NAV_START)
        end = lines.index(NAV_END, start) if NAV_END in lines[start:] else None
        if end is None:
            raise ValueError(f"'{NAV_START}' without '{NAV_END}' in the header: delete the partial block")
        lines = lines[:start] + lines[end + 1:]
    body = lines[1:]
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join([title_line(chapters[i]), "", *header_block(chapters, i, repository, facts), "", *body])


def _with_id(nb: nbformat.NotebookNode, cell: nbformat.NotebookNode, cell_id: str) -> nbformat.NotebookNode:
    if nb.nbformat_minor >= 5:
        cell.id = cell_id
    else:
        cell.pop("id", None)
    return cell


def _sync_install_cell(nb: nbformat.NotebookNode, repository: str) -> None:
    """Put the install cell right after the header; keep an up-to-date one as it is (with its run count)."""
    source = install_source(repository)
    marked = [k for k, cell in enumerate(nb.cells) if INSTALL_TAG in tags(cell)]
    if marked == [1] and "\n".join(source_lines(nb.cells[1])) == source and nb.cells[1].cell_type == "code":
        return
    for k in reversed(marked):
        del nb.cells[k]
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [INSTALL_TAG]})
    nb.cells.insert(1, _with_id(nb, cell, INSTALL_ID))


def sync_notebook(nb: nbformat.NotebookNode, chapters: Sequence[Chapter], i: int,
                  repository: str = REPOSITORY, facts_path: Path | None = FACTS) -> None:
    """Bring ``nb`` (chapter ``i``) up to date in place, recounting its facts in ``facts_path`` (None:
    leave them); raise ValueError if its header is unusable. The exercises' nbgrader metadata is written
    too."""
    if not nb.cells or nb.cells[0].cell_type != "markdown" or not source_lines(nb.cells[0]) \
            or not source_lines(nb.cells[0])[0].startswith("# "):
        raise ValueError("the first cell is not the markdown header ('# NN · Title', intro, "
                         "'## Learning objectives'): the chapter's author writes it")
    head = nb.cells[0]
    if facts_path is not None:
        refresh_counts(chapters[i].file, nb, facts_path)
    head.source = expected_header("\n".join(source_lines(head)), chapters, i, repository,
                                  load(facts_path) if facts_path is not None else None)
    if HEADER_TAG not in tags(head):
        head.metadata["tags"] = [*tags(head), HEADER_TAG]
    _sync_install_cell(nb, repository)
    footers = [k for k, cell in enumerate(nb.cells) if FOOTER_TAG in tags(cell)]
    footer = _with_id(nb, nbformat.v4.new_markdown_cell(footer_source(chapters, i), metadata={"tags": [FOOTER_TAG]}),
                      FOOTER_ID)
    if footers and "id" in nb.cells[footers[-1]] and "id" in footer:
        footer.id = nb.cells[footers[-1]].id  # keep the id: a sync that changes nothing rewrites nothing
    for k in reversed(footers):
        del nb.cells[k]
    nb.cells.append(footer)
    for cell in nb.cells:
        cell.metadata.pop("slideshow", None)  # slide boundaries are computed by the slides builder
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    sync_tasks(nb)


README = ROOT / "README.md"
MAP_START = "<!-- map:start -->"
MAP_END = "<!-- map:end -->"


def readme_with_map(text: str, chapters: Sequence[Chapter], facts: dict) -> str:
    """The README with the course map table between its map markers brought up to date."""
    if MAP_START not in text or MAP_END not in text:
        raise ValueError(f"README.md has no '{MAP_START}' ... '{MAP_END}' block for the course map")
    head, rest = text.split(MAP_START, 1)
    _, tail = rest.split(MAP_END, 1)
    return f"{head}{MAP_START}\n{map_table(tuple(chapters), facts, 'notebooks/')}\n{MAP_END}{tail}"

