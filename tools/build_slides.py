"""Export every chapter as reveal.js slides that work offline.

    python tools/build_slides.py [--out build/slides]    # build/slides/NN_name.slides.html
    python tools/build_slides.py --check                 # only validate the slide metadata

Uses nbconvert's SlidesExporter and the slide metadata that tools/nav.py keeps in the notebooks
(``# ``/``## `` headings start a slide, ``### `` a sub-slide, solutions and the footer are skipped). reveal.js,
MathJax, RequireJS and jQuery are fetched once from the npm registry into build/vendor and copied into
``_static/`` next to the slides, so they load nothing from the network; open a file from disk and
press ``?`` for reveal.js's keys. The build refuses notebooks whose slide metadata is missing or stale
(run tools/nav.py to fix it).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from kitlib import (
    BUILD,
    NOTEBOOKS,
    TEMPLATES,
    KitError,
    build_parser,
    chapter_notebooks,
    install_static,
    offline_links,
    read_notebook,
    remote_assets,
    run_build,
)
from nav import slide_type, stale_slide_cells
from nbconvert import SlidesExporter

from course_utils.chapters import CHAPTERS, Chapter

SUFFIX = ".slides.html"


def metadata_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Cells whose slide metadata is missing or differs from what tools/nav.py sets."""
    have = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in nb.cells]
    return [f"cell {k}: slide_type {have[k]!r}, expected {slide_type(nb.cells[k])!r}" for k in stale_slide_cells(nb)]


def check(notebooks_dir: Path = NOTEBOOKS, chapters: Sequence[Chapter] = CHAPTERS) -> list[str]:
    problems = []
    for _, path in chapter_notebooks(notebooks_dir, chapters):
        problems += [f"{path.name}: {p}" for p in metadata_problems(read_notebook(path))]
    return problems


def build(notebooks_dir: Path = NOTEBOOKS, out: Path = BUILD / "slides",
          chapters: Sequence[Chapter] = CHAPTERS) -> list[Path]:
    """Write one slide deck per chapter into ``out``; return their paths."""
    problems = check(notebooks_dir, chapters)
    if problems:
        raise KitError(f"{problems[0]} ({len(problems)} problem(s)): run tools/nav.py to set the slide metadata")
    out.mkdir(parents=True, exist_ok=True)
    urls = install_static(out, reveal=True)
    ex = SlidesExporter(template_name="course_reveal", extra_template_basedirs=[str(TEMPLATES)],
                        reveal_scroll=True)  # a slide taller than the screen scrolls instead of being cut
    for name, url in urls.items():
        setattr(ex, name, url)
    decks = []
    for chapter, path in chapter_notebooks(notebooks_dir, chapters):
        nb = read_notebook(path)
        body, _ = ex.from_notebook_node(nb, resources={"metadata": {"name": f"{chapter.number} · {chapter.title}"}})
        body = offline_links(body, chapters, suffix=SUFFIX)
        remote = remote_assets(body)
        if remote:
            raise KitError(f"{chapter.file}: the slides would load {remote[0]} from the network")
        deck = out / (chapter.file[: -len(".ipynb")] + SUFFIX)
        deck.write_text(body, encoding="utf-8")
        decks.append(deck)
        n = sum(1 for c in nb.cells if c.metadata["slideshow"]["slide_type"] in ("slide", "subslide"))
        print(f"{deck.name}: {n} slides")
    return decks


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(__doc__, "slides")
    parser.add_argument("--check", action="store_true", help="only validate the slide metadata")
    args = parser.parse_args(argv)
    if args.check:
        try:
            problems = check(args.notebooks)
        except KitError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        for p in problems:
            print(p)
        print("slide metadata ok" if not problems else f"{len(problems)} problem(s): run tools/nav.py")
        return 1 if problems else 0
    return run_build(build, args, "slides", "decks")


if __name__ == "__main__":
    sys.exit(main())
