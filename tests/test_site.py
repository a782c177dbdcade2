"""tools/build_site.py and tools/build_slides.py: what the builders write, checked without a browser
(tests/test_browser.py opens the results in Chromium)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, ROOT, chapter_notebook, write_course

from course_utils.chapters import CHAPTERS, colab_url
from tools import build_site, build_slides, kitlib


def page(chapter) -> str:
    return chapter.file.replace(".ipynb", ".html")


def local_targets(text: str) -> list[str]:
    """Relative src/href targets of a page (no anchors, no URLs with a scheme, no data: URIs)."""
    found = re.findall(r'\b(?:src|href)="([^"#?]+)[^"]*"', text)
    return [t for t in found if not re.match(r"^[a-z][a-z0-9+.-]*:|^//", t, re.IGNORECASE)]


def png_outputs(chapter) -> int:
    nb = nbformat.read(NOTEBOOKS / chapter.file, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)


# --- the book ------------------------------------------------------------------------------------------

def test_sidebar_lists_every_chapter_and_the_glossary(site):
    glossary_title = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    for name in ["index.html", "glossary.html"] + [page(c) for c in CHAPTERS]:
        body = (site / name).read_text(encoding="utf-8")
        nav = body[body.index('class="bd-links bd-docs-nav"'):]
        nav = nav[: nav.index("</nav>")]
        entries = re.findall(r'<li class="toctree-l1[^"]*"><a [^>]*>([^<]+)</a>', nav)
        assert entries == [f"{c.number} · {c.title}" for c in CHAPTERS] + [glossary_title], name


def test_landing_page_is_the_course_map(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for c in CHAPTERS:
        assert f'href="{page(c)}"' in index and c.summary.split(",")[0] in index
    assert f"{len([c for c in CHAPTERS if c.lesson])} lessons of one class each" in index


def test_each_chapter_launches_in_colab_and_downloads_its_notebook(site):
    for c in CHAPTERS:
        body = (site / page(c)).read_text(encoding="utf-8")
        assert f'href="{colab_url(c)}"' in body, "launch button missing or not chapters.colab_url"
        assert f'href="_sources/{c.file}"' in body
        assert (site / "_sources" / c.file).read_bytes() == (NOTEBOOKS / c.file).read_bytes()


def test_pages_load_only_local_files(site):
    for f in sorted(site.rglob("*")):
        if f.suffix in (".html", ".css", ".js"):
            text = f.read_text(encoding="utf-8", errors="replace")
            assert kitlib.remote_assets(text) == [], f
            if f.suffix == ".html" and f.parent == site:  # a page, not a theme's template
                for target in local_targets(text):
                    assert (f.parent / target).exists(), f"{f.name} links to missing {target}"
    assert (site / "_static/mathjax/es5/tex-chtml.js").is_file()
    assert 'src="_static/mathjax/es5/tex-chtml.js' in (site / page(CHAPTERS[1])).read_text(encoding="utf-8")


def test_every_figure_is_an_image_file(site):
    for c in CHAPTERS:
        body = (site / page(c)).read_text(encoding="utf-8")
        images = re.findall(r'<img [^>]*src="(_images/[^"]+\.png)"', body)
        assert len(images) == png_outputs(c), c.file
        assert all((site / i).stat().st_size > 0 for i in images)


def test_the_colab_badge_and_the_jupyter_footer_are_left_out(site):
    for c in CHAPTERS:
        body = (site / page(c)).read_text(encoding="utf-8")
        assert "colab-badge.svg" not in body and "<strong>Previous:</strong>" not in body


def test_remote_assets_finds_scripts_styles_fonts_and_imports():
    text = ('<script src="https://cdn.example/x.js"></script><a href="https://example.org">a link</a>'
            '@import url("https://fonts.example/css"); src: url(//fonts.example/f.woff2)')
    assert kitlib.remote_assets(text) == ["https://cdn.example/x.js", "https://fonts.example/css",
                                          "//fonts.example/f.woff2"]


@pytest.mark.parametrize("builder", [build_site, build_slides], ids=["site", "slides"])
def test_an_error_output_fails_the_build(tmp_path, builder):
    folder = tmp_path / "notebooks"
    write_course(folder)
    nb = chapter_notebook(CHAPTERS[2])
    nb.cells[4].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                                  traceback=[])]
    nbformat.write(nb, folder / CHAPTERS[2].file)
    with pytest.raises(kitlib.KitError, match=rf"{CHAPTERS[2].file}: cell 4 has an error output "
                                              r"\(ZeroDivisionError"):
        builder.build(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_unrun_cell_fails_the_build(tmp_path):
    pytest.importorskip("sphinx", reason="the book toolchain is not installed: pip install -e '.[book]'")
    folder = tmp_path / "notebooks"
    write_course(folder)
    nb = chapter_notebook(CHAPTERS[1])
    nb.cells[4].execution_count = None
    nbformat.write(nb, folder / CHAPTERS[1].file)
    with pytest.raises(kitlib.KitError, match="cell 4 was never run"):
        build_site.build(folder, tmp_path / "site")


def test_a_link_to_a_missing_chapter_fails_the_build(tmp_path):
    pytest.importorskip("sphinx", reason="the book toolchain is not installed: pip install -e '.[book]'")
    write_course(tmp_path / "notebooks")
    nb = chapter_notebook(CHAPTERS[1])
    nb.cells[2].source += "\n\nSee [the lost chapter](99_lost.ipynb)."
    nbformat.write(nb, tmp_path / "notebooks" / CHAPTERS[1].file)
    with pytest.raises(kitlib.KitError, match="sphinx could not build the book"):
        build_site.build(tmp_path / "notebooks", tmp_path / "site")


def test_a_generated_course_builds(tmp_path):
    pytest.importorskip("sphinx", reason="the book toolchain is not installed: pip install -e '.[book]'")
    write_course(tmp_path / "notebooks")
    pages = build_site.build(tmp_path / "notebooks", tmp_path / "site")
    assert all(p.is_file() for p in pages) and len(pages) == len(CHAPTERS) + 2


# --- the slides ----------------------------------------------------------------------------------------

def test_slides_use_only_local_files(slides):
    for c in CHAPTERS:
        deck = slides / c.file.replace(".ipynb", build_slides.SUFFIX)
        body = deck.read_text(encoding="utf-8")
        assert kitlib.remote_assets(body) == [], deck.name
        for target in local_targets(body):
            assert (slides / target).exists(), f"{deck.name} links to missing {target}"
    theme = (slides / "_static/reveal.js/dist/theme/white.css").read_text(encoding="utf-8")
    assert kitlib.remote_assets(theme) == [] and "@import url(./fonts/" in theme


def test_slides_skip_solutions(slides):
    nb = nbformat.read(NOTEBOOKS / CHAPTERS[1].file, as_version=4)
    solution = next(c for c in nb.cells if "solution" in c.metadata.get("tags", []) and c.cell_type == "code")
    lines = solution.source.splitlines()
    answer = lines[next(k for k, ln in enumerate(lines) if "### BEGIN SOLUTION" in ln) + 1].strip()  # the answer itself
    deck = (slides / CHAPTERS[1].file.replace(".ipynb", build_slides.SUFFIX)).read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", deck))
    assert answer and answer not in text
    assert f"{CHAPTERS[1].number} · {CHAPTERS[1].title}" in text


def test_ensure_browser_explains_in_one_line_when_it_cannot_help(tmp_path):
    env = dict(os.environ, CHROMIUM=str(tmp_path / "no-such-browser"))
    for args, code in (([], 0), (["--require"], 1)):
        proc = subprocess.run([sys.executable, "-m", "tools.ensure_browser", *args], env=env, capture_output=True,
                              text=True, cwd=ROOT)
        assert proc.returncode == code
        assert len(proc.stdout.strip().splitlines()) == 1 and "apt-get install -y chromium" in proc.stdout


def test_book_extra_matches_requirements_book_in():
    tomllib = pytest.importorskip("tomllib", reason="Python 3.11 reads pyproject.toml with tomllib")
    listed = [ln.strip() for ln in (ROOT / "requirements/book.in").read_text().splitlines()
              if ln.strip() and not ln.startswith("#")]
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["book"]
    assert sorted(extra) == sorted(listed)
