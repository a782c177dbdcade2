"""Export every chapter as reveal.js slides that work offline.

    python -m tools.build_slides [--out build/slides]    # build/slides/NN_name.slides.html

What each slide shows and what goes into its speaker notes is computed from the cells at build time
(:mod:`tools.slide_types`): every heading starts a slide, a slide holds its heading, the prose's first
sentence, equations, a short code cell, a figure or short results, and the rest goes into reveal.js
speaker notes (key ``s``); solutions, exercise check cells, the install cell and the footer are left out.
The slides form one flat sequence, so a presenter pressing → (or space) alone sees every slide.
nbconvert's SlidesExporter renders them with the course template (tools/templates/course_reveal);
reveal.js and MathJax are fetched once from the npm registry into build/vendor and copied into
``_static/`` next to the decks, so they load nothing from the network (the reveal theme's fonts ship with
it). Open a deck from disk and press ``?`` for reveal.js's keys."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from course_utils.chapters import CHAPTERS, Chapter
from tools import slide_types
from tools.kitlib import (
    BUILD,
    NOTEBOOKS,
    TEMPLATES,
    KitError,
    build_parser,
    copy_parts,
    executed_notebooks,
    install_mathjax,
    read_notebook,
    remote_assets,
    run_build,
    without_colab_badge,
)

SUFFIX = ".slides.html"
#: The speaker view copies a slide's notes into its own page, without the deck's styles: this style
#: element, inside each note, keeps long code lines there wrapped and small.
NOTES_STYLE = ("<style>.speaker-controls-notes pre { white-space: pre-wrap; font-size: 14px; line-height: 1.3; }"
               ".speaker-controls-notes .jp-OutputArea pre { color: #555; }</style>")


def deck_links(markdown: str, chapters: Sequence[Chapter] = CHAPTERS) -> str:
    """Point Markdown links to a chapter's notebook at its slide deck."""
    for c in chapters:
        markdown = re.sub(rf"\]\((?:\./)?{re.escape(c.file)}(#[^)]*)?\)", rf"]({c.file[:-6]}{SUFFIX}\1)", markdown)
    return markdown


def with_slides(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The deck of ``nb``: its cells split into what each slide shows and its speaker notes by
    :func:`tools.slide_types.deck_cells`, with links between chapters pointing at their decks (in the
    prose and in Markdown outputs)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text/markdown" in out.get("data", {}):
                out.data["text/markdown"] = deck_links(out.data["text/markdown"])
    nb.cells = slide_types.deck_cells(nb, deck_links)
    return nb


def deck_figures(nb: nbformat.NotebookNode) -> tuple[int, int]:
    """(slides, slides with speaker notes) of a deck made by :func:`with_slides`."""
    slides = notes = 0
    noted = False
    for cell in nb.cells:
        kind = cell.metadata.slideshow.slide_type
        if kind == "slide":
            slides += 1
            noted = False
        elif kind == "notes" and not noted:
            notes += 1
            noted = True
    return slides, notes


def exporter(out: Path) -> SlidesExporter:
    static = out / "_static"
    ex = SlidesExporter(template_name="course_reveal", extra_template_basedirs=[str(TEMPLATES)],
                        reveal_theme="white", reveal_transition="none", reveal_width=str(slide_types.SLIDE_WIDTH),
                        reveal_height=str(slide_types.SLIDE_HEIGHT),
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
        body = body.replace('<aside class="notes">', '<aside class="notes">' + NOTES_STYLE)
        remote = remote_assets(body)
        if remote:
            raise KitError(f"{chapter.file}: the slides would load {remote[0]} from the network")
        deck = out / (chapter.file[: -len(".ipynb")] + SUFFIX)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
        slides, notes = deck_figures(nb)
        print(f"{deck.name}: {slides} slides, {notes} with speaker notes")
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
