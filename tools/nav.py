"""Keep every notebook's navigation and slide metadata in sync with the course map.

    python tools/nav.py            # sync: rewrite what is stale, print one line per notebook changed
    python tools/nav.py --check    # check only: exit 1 with one line per problem

The course map (course_utils/chapters.py) is the single source. In each notebook:

- the first cell is a markdown cell tagged ``header``: ``# NN · Title`` (title as in the course map), an
  intro paragraph and ``## Learning objectives`` with a bullet list (the chapter's author writes those);
  right under the title this script keeps a generated block between ``<!-- nav:start -->`` and
  ``<!-- nav:end -->``: the Open-in-Colab badge, the estimated CPU runtime and what the chapter needs;
- the last cell is a generated markdown cell tagged ``footer`` with previous/next links;
- every cell carries reveal.js slide metadata (``metadata.slideshow.slide_type``): the header and each
  ``# ``/``## `` heading start a slide, each ``### `` heading a sub-slide, solutions and the footer are
  skipped, everything else continues the current slide (``-``).

``--check`` also reports relative links in any markdown cell that point at no file, notebooks missing
from (or absent in) the course map, and a header without intro or objectives.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

import nbformat
from kitlib import NOTEBOOKS, SOLUTION_TAG, source_lines, tags

from course_utils.chapters import CHAPTERS, COLAB_BADGE_URL, REPOSITORY, Chapter, colab_url

NAV_START = "<!-- nav:start -->"
NAV_END = "<!-- nav:end -->"
HEADER_TAG = "header"
FOOTER_TAG = "footer"
FOOTER_ID = "nav-footer"


def title_line(chapter: Chapter) -> str:
    return f"# {chapter.number} · {chapter.title}"


def header_block(chapters: Sequence[Chapter], i: int, repository: str = REPOSITORY) -> list[str]:
    """The generated lines of chapter ``i``'s header, markers included."""
    c = chapters[i]
    facts = f"**Estimated CPU runtime:** about {c.cpu_minutes:g} min, top to bottom · **Needs:** {c.needs}"
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


def expected_header(source: str, chapters: Sequence[Chapter], i: int, repository: str = REPOSITORY) -> str:
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
    return "\n".join([title_line(chapters[i]), "", *header_block(chapters, i, repository), "", *body])


def slide_type(cell: nbformat.NotebookNode) -> str:
    """The reveal.js slide type a cell should carry."""
    cell_tags = tags(cell)
    if HEADER_TAG in cell_tags:
        return "slide"
    if FOOTER_TAG in cell_tags or SOLUTION_TAG in cell_tags:
        return "skip"
    if cell.cell_type == "markdown":
        first = next((ln for ln in source_lines(cell) if ln.strip()), "")
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def stale_slide_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the cells whose ``metadata.slideshow.slide_type`` is missing or not what sync sets."""
    return [k for k, cell in enumerate(nb.cells)
            if cell.get("metadata", {}).get("slideshow", {}).get("slide_type") != slide_type(cell)]


def _footer_cell(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source, metadata={"tags": [FOOTER_TAG]})
    if nb.nbformat_minor >= 5:
        cell.id = FOOTER_ID
    else:
        cell.pop("id", None)
    return cell


def sync_notebook(nb: nbformat.NotebookNode, chapters: Sequence[Chapter], i: int,
                  repository: str = REPOSITORY) -> None:
    """Bring ``nb`` (chapter ``i``) up to date in place; raise ValueError if its header is unusable."""
    if not nb.cells or nb.cells[0].cell_type != "markdown" or not source_lines(nb.cells[0]) \
            or not source_lines(nb.cells[0])[0].startswith("# "):
        raise ValueError("the first cell is not the markdown header ('# NN · Title', intro, "
                         "'## Learning objectives'): the chapter's author writes it")
    head = nb.cells[0]
    head.source = expected_header("\n".join(source_lines(head)), chapters, i, repository)
    if HEADER_TAG not in tags(head):
        head.metadata["tags"] = [*tags(head), HEADER_TAG]
    footers = [k for k, cell in enumerate(nb.cells) if FOOTER_TAG in tags(cell)]
    footer = _footer_cell(nb, footer_source(chapters, i))
    if footers and "id" in nb.cells[footers[-1]] and "id" in footer:
        footer.id = nb.cells[footers[-1]].id  # keep the id: a sync that changes nothing rewrites nothing
    for k in reversed(footers):
        del nb.cells[k]
    nb.cells.append(footer)
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}


_LINK = re.compile(r"""!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^)]*["'])?\s*\)"""
                   r"""|\b(?:href|src)\s*=\s*["']([^"']+)["']""")


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


def check_notebook(nb: nbformat.NotebookNode, chapters: Sequence[Chapter], i: int, folder: Path,
                   repository: str = REPOSITORY) -> list[str]:
    """Problems with chapter ``i``'s navigation, header and slide metadata (empty when all is well)."""
    problems = []
    c = chapters[i]
    head = nb.cells[0] if nb.cells else None
    if head is None or head.cell_type != "markdown" or HEADER_TAG not in tags(head):
        problems.append("the first cell is not a markdown cell tagged 'header'")
    else:
        lines = source_lines(head)
        if not lines or lines[0] != title_line(c):
            found = lines[0] if lines else ""
            problems.append(f"stale header title {found!r}: the course map says {title_line(c)!r}")
        block = header_block(chapters, i, repository)
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
    heads = [k for k, cell in enumerate(nb.cells) if HEADER_TAG in tags(cell)]
    if len(heads) > 1:
        problems.append(f"{len(heads)} cells are tagged 'header' (only the first cell should be)")
    foot = nb.cells[-1] if nb.cells else None
    if foot is None or foot.cell_type != "markdown" or FOOTER_TAG not in tags(foot):
        problems.append("the last cell is not the generated footer (markdown, tagged 'footer')")
    elif "\n".join(source_lines(foot)) != footer_source(chapters, i):
        problems.append("stale footer: previous/next links differ from the course map")
    feet = [k for k, cell in enumerate(nb.cells) if FOOTER_TAG in tags(cell)]
    if len(feet) > 1:
        problems.append(f"{len(feet)} cells are tagged 'footer' (only the last cell should be)")
    wrong = stale_slide_cells(nb)
    if wrong:
        problems.append(f"slide metadata missing or stale in {len(wrong)} cell(s), first cell {wrong[0]}")
    problems += [f"link points nowhere: {t}" for t in dead_links(nb, folder)]
    return problems


def _chapter_files(notebooks_dir: Path, chapters: Sequence[Chapter]) -> tuple[list[str], list[int]]:
    """Problems with the set of notebooks, and the indices of chapters whose notebook exists."""
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


def check(notebooks_dir: Path = NOTEBOOKS, chapters: Sequence[Chapter] = CHAPTERS,
          repository: str = REPOSITORY) -> list[str]:
    """Every problem, one line each, prefixed with the notebook's file name."""
    problems, present = _chapter_files(notebooks_dir, chapters)
    for i in present:
        path = notebooks_dir / chapters[i].file
        nb = nbformat.read(path, as_version=4)
        problems += [f"{path.name}: {p}" for p in check_notebook(nb, chapters, i, notebooks_dir, repository)]
    return problems


def sync(notebooks_dir: Path = NOTEBOOKS, chapters: Sequence[Chapter] = CHAPTERS,
         repository: str = REPOSITORY) -> tuple[list[str], list[str]]:
    """Rewrite stale notebooks; return (names of the files changed, problems that sync cannot fix)."""
    problems, present = _chapter_files(notebooks_dir, chapters)
    changed = []
    for i in present:
        path = notebooks_dir / chapters[i].file
        nb = nbformat.read(path, as_version=4)
        before = copy.deepcopy(nb)
        try:
            sync_notebook(nb, chapters, i, repository)
        except ValueError as e:
            problems.append(f"{path.name}: {e}")
            continue
        if nb != before:
            nbformat.write(nb, path)
            changed.append(path.name)
    return changed, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="notebook folder (default notebooks/)")
    args = parser.parse_args(argv)
    if not args.notebooks.is_dir():
        print(f"error: {args.notebooks} is not a folder: pass the notebooks folder", file=sys.stderr)
        return 2
    if args.check:
        problems = check(args.notebooks)
        for p in problems:
            print(p)
        if not problems:
            print(f"navigation ok in {len(CHAPTERS)} notebooks")
        return 1 if problems else 0
    changed, problems = sync(args.notebooks)
    for name in changed:
        print(f"updated {name}")
    for p in problems:
        print(p)
    if not changed and not problems:
        print("navigation already in sync")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
