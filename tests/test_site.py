"""tools/build_site.py and tools/build_slides.py: offline pages, checked in a headless Chromium.

The browser tests skip (with the reason) only when no Chromium-family browser can be had: run
``python tools/ensure_browser.py`` first, which installs Debian's chromium when it is missing.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, PYTHON, TOOLS, chapter_notebook, tool, write_course

from course_utils.chapters import CHAPTERS

kitlib = tool("kitlib")
build_site = tool("build_site")
build_slides = tool("build_slides")
ensure_browser = tool("ensure_browser")

MATH = re.compile(r'class="mjx-chtml MathJax_CHTML"')
DATA_IMG = re.compile(r'<img\b[^>]*\bsrc="data:image/png;base64,[A-Za-z0-9+/=]{40,}"')


def text_of(page: str) -> str:
    """The visible text of a page: no tags, scripts or style sheets."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def local_targets(page: str) -> list[str]:
    """Relative src/href targets of a page (no anchors, no URLs with a scheme, no data: URIs)."""
    found = re.findall(r'\b(?:src|href)="([^"#?]+)[^"]*"', page)
    return [t for t in found if not re.match(r"^[a-z][a-z0-9+.-]*:|^//", t, re.IGNORECASE)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site.build(NOTEBOOKS, out)
    return out


@pytest.fixture(scope="module")
def slides(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    build_slides.build(NOTEBOOKS, out)
    return out


@pytest.fixture(scope="module")
def browser() -> str:
    found = ensure_browser.find_browser()
    if found is None:
        pytest.skip("no Chromium-family browser on PATH: run `python tools/ensure_browser.py` "
                    "(installs Debian's chromium as root) or set CHROMIUM=/path/to/chrome")
    return found


def counts(chapter) -> tuple[int, int]:
    """(PNG figures among the outputs, markdown cells with maths) of a chapter's notebook."""
    nb = nbformat.read(NOTEBOOKS / chapter.file, as_version=4)
    pngs = sum("image/png" in o.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for o in cell.outputs)
    maths = sum("$" in cell.source for cell in nb.cells if cell.cell_type == "markdown")
    return pngs, maths


# --- the site ------------------------------------------------------------------------------------------

def test_index_links_every_chapter_page(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for c in CHAPTERS:
        page = c.file.replace(".ipynb", ".html")
        assert f'href="{page}">{html.escape(c.title)}</a>' in index
        assert (site / page).is_file()


def test_pages_are_self_contained(site):
    for page in sorted(site.glob("*.html")):
        body = page.read_text(encoding="utf-8")
        assert kitlib.remote_assets(body) == [], page.name
        for target in local_targets(body):
            assert (site / target).exists(), f"{page.name} links to missing {target}"
        notebook_links = [t for t in local_targets(body) if t.endswith(".ipynb")]
        assert notebook_links == [], f"{page.name}: links to notebooks instead of pages"


def test_every_figure_is_embedded(site):
    for c in CHAPTERS:
        body = (site / c.file.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert len(DATA_IMG.findall(body)) == counts(c)[0], c.file


def test_an_error_output_fails_the_build(tmp_path):
    folder = tmp_path / "notebooks"
    write_course(folder)
    nb = chapter_notebook(CHAPTERS[2])
    nb.cells[4].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                                  traceback=[])]
    nbformat.write(nb, folder / CHAPTERS[2].file)
    with pytest.raises(kitlib.KitError, match=r"02_regression_losses.ipynb: cell 4 has an error output "
                                              r"\(ZeroDivisionError"):
        build_site.build(folder, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_an_unrun_cell_fails_the_build(tmp_path):
    folder = tmp_path / "notebooks"
    write_course(folder)
    nb = chapter_notebook(CHAPTERS[1])
    nb.cells[4].execution_count = None
    nbformat.write(nb, folder / CHAPTERS[1].file)
    with pytest.raises(kitlib.KitError, match="cell 4 was never run"):
        build_site.build(folder, tmp_path / "site")


def test_index_loads_in_chromium(site, browser):
    dom = ensure_browser.headless(browser, (site / "index.html").as_uri(), "--dump-dom")
    assert "<title>Deep-learning foundations in PyTorch</title>" in dom
    links = re.findall(r'<a href="([^"]+\.html)">', dom)
    assert links == [c.file.replace(".ipynb", ".html") for c in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_chapter_renders_figures_and_maths_in_chromium(site, browser, chapter):
    pngs, maths = counts(chapter)
    dom = ensure_browser.headless(browser, (site / chapter.file.replace(".ipynb", ".html")).as_uri(), "--dump-dom")
    assert len(DATA_IMG.findall(dom)) == pngs
    if maths:
        assert MATH.search(dom), "MathJax did not typeset the maths"
    errors = re.findall(r'class="[^"]*(?:MathJax_Error|noError|merror)[^"]*"[^>]*>(.{0,120})', dom)
    assert errors == [], f"TeX that MathJax could not typeset: {errors[:3]}"
    text = text_of(dom)
    assert "$$" not in text, "display maths left as raw TeX"
    assert "Previous:" in text or "Next:" in text, "the page did not load to its footer"


# --- the slides ----------------------------------------------------------------------------------------

def test_slides_use_only_the_local_reveal_js(slides):
    for c in CHAPTERS:
        deck = slides / c.file.replace(".ipynb", ".slides.html")
        body = deck.read_text(encoding="utf-8")
        assert kitlib.remote_assets(body) == [], deck.name
        assert '"_static/reveal.js/dist/reveal.js"' in body and "unpkg" not in body
        for target in local_targets(body):
            assert (slides / target).exists(), f"{deck.name} links to missing {target}"
    assert (slides / "_static/reveal.js/dist/reveal.js").is_file()
    assert (slides / "_static/mathjax/MathJax.js").is_file()


def test_slides_skip_solutions(slides):
    nb = nbformat.read(NOTEBOOKS / CHAPTERS[1].file, as_version=4)
    solution = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []) and c.cell_type == "code")
    first_line = solution.source.strip().splitlines()[0]
    deck = (slides / CHAPTERS[1].file.replace(".ipynb", ".slides.html")).read_text(encoding="utf-8")
    assert first_line not in text_of(deck)
    title = f"{CHAPTERS[1].number} · {CHAPTERS[1].title}"
    assert title in text_of(deck)


def test_slides_refuse_stale_metadata(tmp_path):
    write_course(tmp_path)
    with pytest.raises(kitlib.KitError, match="run tools/nav.py"):
        build_slides.build(tmp_path, tmp_path / "slides")


def test_slides_start_in_chromium(slides, browser):
    deck = slides / CHAPTERS[1].file.replace(".ipynb", ".slides.html")
    dom = ensure_browser.headless(browser, deck.as_uri(), "--dump-dom")
    reveal = re.search(r'<div class="(reveal [^"]*)"', dom)
    assert reveal and "ready" in reveal.group(1).split(), "reveal.js did not start"
    assert MATH.search(dom), "MathJax did not typeset the slides"


def test_ensure_browser_explains_in_one_line_when_it_cannot_help(tmp_path):
    env = dict(os.environ, CHROMIUM=str(tmp_path / "no-such-browser"))
    for args, code in (([], 0), (["--require"], 1)):
        proc = subprocess.run([PYTHON, str(TOOLS / "ensure_browser.py"), *args], env=env, capture_output=True,
                              text=True)
        assert proc.returncode == code
        assert len(proc.stdout.strip().splitlines()) == 1 and "apt-get install -y chromium" in proc.stdout
