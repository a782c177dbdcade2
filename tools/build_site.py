"""Render the executed notebooks to a static site that works offline.

    python tools/build_site.py [--out build/site]

Writes ``index.html`` (the course map from course_utils/chapters.py, linking every chapter) and one
page per notebook, rendered by nbconvert's HTMLExporter with figures embedded as data: URIs. MathJax,
RequireJS and the Open-in-Colab badge are copied into ``_static/`` (MathJax is fetched once from the
npm registry into build/vendor), so the pages load nothing from the network; open ``index.html``
straight from disk. The build fails when a notebook has an error output or a code cell that was
never run (run tools/run_notebook.py on it first).
"""

from __future__ import annotations

import html
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
from nbconvert import HTMLExporter

from course_utils.chapters import CHAPTERS, Chapter

COURSE_TITLE = "Deep-learning foundations in PyTorch"


def execution_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Error outputs and never-run code cells, one line each."""
    problems = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {k} has an error output ({out.get('ename')}: {out.get('evalue', '')[:80]})")
        if cell.source.strip() and cell.get("execution_count") is None:
            problems.append(f"cell {k} was never run")
    return problems


def exporter(urls: dict[str, str]) -> HTMLExporter:
    ex = HTMLExporter(template_name="course_lab", extra_template_basedirs=[str(TEMPLATES)], embed_images=True)
    ex.mathjax_url = urls["mathjax_url"]
    ex.require_js_url = urls["require_js_url"]
    return ex


def index_page(chapters: Sequence[Chapter]) -> str:
    """The course map as a page: number, linked title, what the student learns, needs, run time."""
    rows = "\n".join(
        f'<tr><td class="num">{html.escape(c.number)}</td>'
        f'<td><a href="{html.escape(c.file[:-len(".ipynb")])}.html">{html.escape(c.title)}</a></td>'
        f"<td>{html.escape(c.summary)}</td><td>{html.escape(c.needs)}</td>"
        f'<td class="num">{c.cpu_minutes:g} min</td></tr>'
        for c in chapters)
    total = sum(c.cpu_minutes for c in chapters)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{COURSE_TITLE}</title>
<link rel="stylesheet" href="_static/kit.css">
</head>
<body class="kit-index">
<h1>{COURSE_TITLE}</h1>
<p class="lede">A Jupyter course on activation functions, loss functions, the information theory behind
cross-entropy, backpropagation by hand and a loss-function experiment on MNIST. Every chapter below is the
executed notebook, rendered with its outputs.</p>
<table>
<thead><tr><th>#</th><th>Chapter</th><th>What you learn</th><th>Needs</th><th>CPU time</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer>{len(chapters)} chapters, about {total:g} minutes of CPU time to run them all top to bottom.</footer>
</body>
</html>
"""


def build(notebooks_dir: Path = NOTEBOOKS, out: Path = BUILD / "site",
          chapters: Sequence[Chapter] = CHAPTERS) -> list[Path]:
    """Build the site into ``out``; return the pages written (index first)."""
    books = chapter_notebooks(notebooks_dir, chapters)
    loaded = []
    for chapter, path in books:
        nb = read_notebook(path)
        problems = execution_problems(nb)
        if problems:
            raise KitError(f"{path.name}: {problems[0]} ({len(problems)} problem(s)); fix the notebook and "
                           f"re-run it with tools/run_notebook.py")
        loaded.append((chapter, nb))
    out.mkdir(parents=True, exist_ok=True)
    ex = exporter(install_static(out))
    pages = [out / "index.html"]
    pages[0].write_text(index_page(chapters), encoding="utf-8")
    for chapter, nb in loaded:
        body, _ = ex.from_notebook_node(nb, resources={"metadata": {"name": f"{chapter.number} · {chapter.title}"}})
        body = offline_links(body, chapters)
        remote = remote_assets(body)
        if remote:
            raise KitError(f"{chapter.file}: the page would load {remote[0]} from the network")
        page = out / (chapter.file[: -len(".ipynb")] + ".html")
        page.write_text(body, encoding="utf-8")
        pages.append(page)
        images = body.count('src="data:image/')
        print(f"{page.name}: {len(body) / 1e6:.1f} MB, {images} embedded image(s)")
    return pages


def main(argv: list[str] | None = None) -> int:
    args = build_parser(__doc__, "site").parse_args(argv)
    return run_build(build, args, "site", "pages", hint=f", open {args.out / 'index.html'}")


if __name__ == "__main__":
    sys.exit(main())
