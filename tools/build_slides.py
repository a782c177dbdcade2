"""Export every chapter as reveal.js slides that work offline.

    python -m tools.build_slides [--out build/slides]    # build/slides/NN_name.slides.html

Slide boundaries are computed here, from the cells: the header cell and every cell opening with a ``# ``,
``## `` or ``### `` heading start a slide; solutions and the footer are left out. The slides form one flat
sequence, so a presenter pressing → (or space) alone sees every slide, and a slide taller than the screen
scrolls. nbconvert's SlidesExporter renders them with the course template (tools/templates/course_reveal);
reveal.js and MathJax are fetched once from the npm registry into build/vendor and copied into
``_static/`` next to the decks, so they load nothing from the network (the reveal theme's fonts ship with
it). Open a deck from disk and press ``?`` for reveal.js's keys.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from course_utils.chapters import CHAPTERS, Chapter
from tools.kitlib import (
    BUILD,
    NOTEBOOKS,
    SOLUTION_TAG,
    TEMPLATES,
    KitError,
    build_parser,
    copy_parts,
    executed_notebooks,
    install_mathjax,
    read_notebook,
    remote_assets,
    run_build,
    source_lines,
    tags,
    without_colab_badge,
)

SUFFIX = ".slides.html"
SLIDE_HEADINGS = ("# ", "## ", "### ")


def slide_type(cell: nbformat.NotebookNode) -> str:
    """Where a cell goes in the deck: ``slide`` (starts one), ``skip`` (left out) or ``-`` (continues)."""
    if "header" in tags(cell):
        return "slide"
    if "footer" in tags(cell) or SOLUTION_TAG in tags(cell):
        return "skip"
    if cell.cell_type == "markdown":
        first = next((ln for ln in source_lines(cell) if ln.strip()), "")
        if first.startswith(SLIDE_HEADINGS):
            return "slide"
    return "-"


def deck_links(markdown: str, chapters: Sequence[Chapter] = CHAPTERS) -> str:
    """Point Markdown links to a chapter's notebook at its slide deck."""
    for c in chapters:
        markdown = re.sub(rf"\]\((?:\./)?{re.escape(c.file)}(#[^)]*)?\)", rf"]({c.file[:-6]}{SUFFIX}\1)", markdown)
    return markdown


def with_slides(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose cells carry the slide types computed by ``slide_type``, with links between
    chapters pointing at their decks (in the prose and in Markdown outputs)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}
        if cell.cell_type == "markdown":
            cell.source = deck_links(cell.source)
        for out in cell.get("outputs", []):
            if "text/markdown" in out.get("data", {}):
                out.data["text/markdown"] = deck_links(out.data["text/markdown"])
    return nb


def exporter(out: Path) -> SlidesExporter:
    static = out / "_static"
    ex = SlidesExporter(template_name="course_reveal", extra_template_basedirs=[str(TEMPLATES)],
                        reveal_theme="white", reveal_transition="none", reveal_width="1280", reveal_height="800",
                        exclude_input_prompt=True, exclude_output_prompt=True)
    ex.mathjax_url = "_static/" + install_mathjax(static)
    copy_parts("reveal.js", static / "reveal.js", ["dist", "plugin/notes", "LICENSE"])
    ex.reveal_url_prefix = "_static/reveal.js"
    return ex


def build(notebooks_dir: Path = NOTEBOOKS, out: Path = BUILD / "slides",
          chapters: Sequence[Chapter] = CHAPTERS) -> list[Path]:
    """Write one slide deck per chapter into ``out``; return their paths."""
    books = executed_notebooks(notebooks_dir, chapters)
    out.mkdir(parents=True, exist_ok=True)
    ex = exporter(out)
    decks = []
    for chapter, path in books:
        nb = with_slides(without_colab_badge(read_notebook(path)))
        body, _ = ex.from_notebook_node(nb, resources={"metadata": {"name": f"{chapter.number} · {chapter.title}"}})
        remote = remote_assets(body)
        if remote:
            raise KitError(f"{chapter.file}: the slides would load {remote[0]} from the network")
        deck = out / (chapter.file[: -len(".ipynb")] + SUFFIX)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
        print(f"{deck.name}: {sum(slide_type(c) == 'slide' for c in nb.cells)} slides")
    for css in (out / "_static/reveal.js/dist").rglob("*.css"):
        remote = remote_assets(css.read_text(encoding="utf-8"))
        if remote and css.stem == ex.reveal_theme:
            raise KitError(f"the reveal.js theme {css.name} would load {remote[0]} from the network")
    return decks


def main(argv: list[str] | None = None) -> int:
    args = build_parser(__doc__, "slides").parse_args(argv)
    return run_build(build, args, "slides", "decks")


if __name__ == "__main__":
    sys.exit(main())
