"""Build the course as a book: a static site with a sidebar, search and previous/next, from the notebooks'
committed outputs (never re-executing them).

    python -m tools.build_site [--out build/site]

Stages the chapters of course_utils/chapters.py, the course map (the landing page) and GLOSSARY.md into a
source folder and runs Sphinx with myst-nb and sphinx-book-theme, configured in book/conf.py. Each
chapter page gets launch-in-Colab and download buttons; the Colab badge and the previous/next footer that
the notebooks carry for Jupyter are left out (the book has its own). MathJax 3 is fetched once from the
npm registry into build/vendor and served from ``_static/mathjax``, so the site loads nothing from the
network: open ``index.html`` from disk or serve the folder. The build fails when a notebook has an error
output or a code cell that was never run (run tools/run_notebook.py on it first), and when a page would
load anything from the network.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import nbformat

from course_utils.chapters import CHAPTERS, Chapter, format_seconds, machines, map_table
from tools.cells import tags
from tools.kitlib import (
    BUILD,
    NOTEBOOKS,
    ROOT,
    KitError,
    build_parser,
    executed_notebooks,
    install_mathjax,
    read_notebook,
    remote_assets,
    run_build,
    without_colab_badge,
)
from tools.lesson_facts import load

BOOK = ROOT / "book"
GLOSSARY = ROOT / "GLOSSARY.md"


def course_map(chapters: Sequence[Chapter]) -> str:
    """The landing page (MyST markdown): the course map as a table and the book's table of contents."""
    facts = load()
    table = map_table(tuple(chapters), facts)
    toc = "\n".join(c.file[: -len(".ipynb")] for c in chapters)
    notebooks = facts.get("notebooks", {})
    lessons = [c for c in chapters if c.lesson]
    measured = [notebooks[c.file]["cpu_seconds"] for c in chapters if "cpu_seconds" in notebooks.get(c.file, {})]
    where = "; ".join(machines(tuple(chapters), facts)) or "no machine yet"
    return f"""# Deep-learning foundations in PyTorch

A Jupyter course on deep-learning foundations: tensors and autograd, activation functions and
initialisation, loss functions and the optimisers that minimise them, the information theory behind
cross-entropy, backpropagation by hand and as a graph, and a loss-function experiment on MNIST, in
{len(lessons)} lessons of one class each and an appendix. Every page is the executed notebook with its
outputs; the rocket button on a page opens it in Colab, the download button saves the notebook.

{table}

Class time is estimated from each lesson's length (words, code lines and figures); a CPU run is the
measured time of the notebook top to bottom ({format_seconds(sum(measured))} for all {len(measured)}
measured, on {where}). The [glossary](glossary.md) gives every key term with its Chinese name and the
lesson that introduces it.

```{{toctree}}
:hidden:
:caption: Chapters

{toc}
glossary
```
"""


def book_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as the book shows it: without the Colab badge (the page has a launch button, and the
    badge image would load from the network) and without the previous/next footer (the book has its own)."""
    nb = without_colab_badge(nb)
    nb.cells = [c for c in nb.cells if "footer" not in tags(c)]
    return nb


def stage(books: Sequence[tuple[Chapter, Path]], src: Path) -> None:
    """Write the book's source folder: index.md, glossary.md and the chapters' notebooks."""
    src.mkdir(parents=True, exist_ok=True)
    (src / "index.md").write_text(course_map([c for c, _ in books]), encoding="utf-8")
    glossary = GLOSSARY.read_text(encoding="utf-8").replace("](notebooks/", "](")
    (src / "glossary.md").write_text(glossary, encoding="utf-8")
    for chapter, path in books:
        nbformat.write(book_notebook(read_notebook(path)), src / chapter.file)


def sphinx_build(src: Path, out: Path, doctrees: Path) -> None:
    """Run Sphinx's HTML builder on ``src`` with book/conf.py; raise KitError on an error."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    try:
        # a fresh docutils registry for each build, as sphinx-build makes it; and silence the theme's and
        # myst-nb's notices about future Sphinx versions
        with patch_docutils(BOOK), docutils_namespace(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            app = Sphinx(str(src), str(BOOK), str(out), str(doctrees), "html", status=None, warning=sys.stderr,
                         freshenv=True, warningiserror=True)  # e.g. a link to a page that does not exist
            app.build()
    except SphinxError as e:
        raise KitError(f"sphinx could not build the book: {e}") from e
    if app.statuscode:
        raise KitError("sphinx could not build the book (see the messages above)")


def build(notebooks_dir: Path = NOTEBOOKS, out: Path = BUILD / "site",
          chapters: Sequence[Chapter] = CHAPTERS) -> list[Path]:
    """Build the book into ``out``; return its pages (index first)."""
    books = executed_notebooks(notebooks_dir, chapters)
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory(prefix="course-book-") as tmp:
        stage(books, Path(tmp) / "src")
        sphinx_build(Path(tmp) / "src", out, Path(tmp) / "doctrees")
    install_mathjax(out / "_static")
    for chapter, path in books:  # the download button offers the notebook as committed, badge and footer kept
        shutil.copy2(path, out / "_sources" / chapter.file)
    for f in sorted(out.rglob("*")):
        if f.suffix in (".html", ".css", ".js") and f.is_file():
            remote = remote_assets(f.read_text(encoding="utf-8", errors="replace"))
            if remote:
                raise KitError(f"{f.relative_to(out)} would load {remote[0]} from the network")
    pages = [out / "index.html"] + [out / (c.file[: -len(".ipynb")] + ".html") for c, _ in books]
    pages.append(out / "glossary.html")
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{len(pages)} pages, {size / 1e6:.1f} MB in all")
    return pages


def main(argv: list[str] | None = None) -> int:
    args = build_parser(__doc__, "site").parse_args(argv)
    return run_build(build, args, "site", "pages", hint=f", open {args.out / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
