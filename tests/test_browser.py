"""The book and the slides in headless Chromium, used as a reader and a presenter would.

Every request the pages make is recorded: one for anything but a local file fails the test (the network
is never needed), and so does a local file that fails to load. The tests skip, with the reason, only when
no Chromium-family browser or no Playwright can be had: ``python tools/ensure_browser.py`` installs Debian's
chromium, and the book extra (``pip install -e '.[book]'``) installs Playwright, which drives the browser
already on the machine (it downloads none).
"""

from __future__ import annotations

import base64
import functools
import html
import http.server
import re
import struct
import threading
import zlib
from pathlib import Path

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, write_course

from course_utils.chapters import CHAPTERS, colab_url
from tools import build_site, build_slides, ensure_browser, slide_types

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[book]'")
pytest.importorskip("sphinx", reason="the book toolchain is not installed: pip install -e '.[book]'")

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]


class Requests:
    """Every request a page made: the ones that left the machine, and local files that failed to load."""

    def __init__(self, server: str = "") -> None:
        self.local = ("file:", "data:", "blob:", "about:") + ((server,) if server else ())
        self.remote: list[str] = []
        self.failed: list[str] = []
        self.seen = 0

    def route(self, route) -> None:
        self.seen += 1
        url = route.request.url
        if url.startswith(self.local):
            route.continue_()
        else:  # recorded, then refused: the test fails on it, and nothing leaves the machine
            self.remote.append(url)
            route.abort()

    def check(self) -> None:
        assert self.seen > 0, "no request went through the recorder"
        assert self.remote == [], f"requests that were not local files: {self.remote[:5]}"
        assert self.failed == [], f"local files that failed to load: {self.failed[:5]}"


@pytest.fixture(scope="module")
def browser():
    path = ensure_browser.find_browser()
    if path is None:
        pytest.skip("no Chromium-family browser on PATH: run `python tools/ensure_browser.py` "
                    "(installs Debian's chromium as root) or set CHROMIUM=/path/to/chrome")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def open_page(browser, requests: Requests, width: int = 1400, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
    context.route("**/*", requests.route)
    page = context.new_page()
    page.on("requestfailed", lambda r: requests.failed.append(f"{r.url} ({r.failure})"))
    return page


@pytest.fixture(scope="module")
def served(site):
    """The site served on a loopback port, as a reader gets it from a web server (the search fetches the
    pages for its result snippets, which a browser refuses for files opened from disk)."""
    handler = functools.partial(Quiet, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()
        thread.join()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def page_name(chapter) -> str:
    return chapter.file.replace(".ipynb", ".html")


def words_of(path: Path, shortest: int = 9) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = text[text.find('<article'):text.rfind('</article>')]
    text = html.unescape(re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", text, flags=re.DOTALL))
    return {w.lower() for w in re.findall(rf"[A-Za-z]{{{shortest},}}", text)}


def word_of_one_chapter(site: Path) -> tuple[str, str]:
    """A long word that one chapter page has and no other page shares its first 8 letters or its stem with
    (so that the search's stemming cannot find it elsewhere); returns (word, page)."""
    import snowballstemmer  # the stemmers of Sphinx's search ("assigning" and "assignment" share "assign")

    stemmers = [snowballstemmer.stemmer(kind) for kind in ("english", "porter")]

    def keys(word: str) -> set[str]:
        return {word[:8], *(st.stemWord(word) for st in stemmers)}

    files = [p for p in sorted(site.glob("*.html")) if p.name not in ("search.html", "genindex.html")]
    pages = {p.name: words_of(p) for p in files}
    every_word = {p.name: words_of(p, shortest=3) for p in files}  # "assign" in one page matches "assigning"
    for name in (page_name(c) for c in CHAPTERS[1:]):
        others = {k for n, ws in every_word.items() if n != name for w in ws for k in keys(w)}
        unique = sorted(w for w in pages[name] if not keys(w) & others)
        if unique:
            return unique[0], name
    raise AssertionError("no word belongs to one chapter alone")


def test_reader_uses_sidebar_search_and_previous_next(site, served, browser):
    requests = Requests(served)
    page = open_page(browser, requests)
    page.goto(served + "index.html")
    sidebar = page.locator("nav.bd-docs-nav")
    sidebar.wait_for(state="visible")
    for c in CHAPTERS:
        assert sidebar.get_by_role("link", name=f"{c.number} · {c.title}").is_visible()

    word, target = word_of_one_chapter(site)
    page.keyboard.press("Control+k")
    box = page.locator("input[name=q]:visible").first
    box.fill(word)
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html"))
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for()
    page.wait_for_function("document.querySelector('#search-results .search-summary') &&"
                           "document.querySelector('#search-results .search-summary').textContent.length > 0")
    hrefs = [a.get_attribute("href") for a in results.all()]
    assert [h.split("?")[0].split("#")[0] for h in hrefs] == [target], f"searched {word!r}"
    results.first.click()
    page.wait_for_url(re.compile(re.escape(target)))
    assert page.locator(f"article >> text=/{word}/i").first.is_visible() or word in page.content().lower()

    k = [page_name(c) for c in CHAPTERS].index(target)
    if k + 1 < len(CHAPTERS):
        page.locator("a.right-next").click()
        page.wait_for_url(re.compile(re.escape(page_name(CHAPTERS[k + 1]))))
    page.locator("a.left-prev").click()
    page.wait_for_url(re.compile(re.escape(target if k + 1 < len(CHAPTERS) else page_name(CHAPTERS[k - 1]))))
    assert page.locator("nav.bd-toc, .bd-sidebar-secondary").first.is_visible(), "no on-page contents"
    page.context.close()
    requests.check()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_chapter_shows_maths_and_figures(site, browser, chapter):
    nb = nbformat.read(NOTEBOOKS / chapter.file, as_version=4)
    pngs = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    maths = any("$" in c.source for c in nb.cells if c.cell_type == "markdown")
    requests = Requests()
    page = open_page(browser, requests)
    page.goto((site / page_name(chapter)).as_uri(), wait_until="load")
    if maths:
        page.wait_for_function("document.querySelectorAll('mjx-container').length > 0", timeout=20000)
        assert page.locator("mjx-merror").count() == 0, "TeX that MathJax could not typeset"
    loaded = page.evaluate("Array.from(document.querySelectorAll('article img[src^=\"_images/\"]'))"
                           ".map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * pngs
    for menu, href in (("launch", colab_url(chapter)), ("download", f"_sources/{chapter.file}")):
        page.locator(f".dropdown-{menu}-buttons button").first.click()
        assert page.locator(f'a[href="{href}"]').is_visible(), f"no {menu} button for {href}"
        page.keyboard.press("Escape")
    page.context.close()
    requests.check()


def test_pages_fit_a_phone(site, browser):
    requests = Requests()
    page = open_page(browser, requests, width=390, height=844)
    for name in ["index.html", "glossary.html"] + [page_name(c) for c in CHAPTERS]:
        page.goto((site / name).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow} px wider than a phone"
    page.context.close()
    requests.check()


#: One slide as the audience sees it: its content's height (the slide laid out at its natural height), its
#: words outside code cells (each typeset formula one word), its code lines, anything wider than the
#: screen, and whether it has speaker notes. Notes, scripts and styles are not shown, so not counted.
MEASURE_SLIDE = """() => {
    const s = Reveal.getCurrentSlide(), screen = document.querySelector('.reveal').getBoundingClientRect();
    const seen = sel => Array.from(s.querySelectorAll(sel)).filter(e => !e.closest('aside.notes'));
    const height = s.style.height;
    s.style.height = 'auto';
    const box = s.getBoundingClientRect();
    s.style.height = height;
    const copy = s.cloneNode(true);
    copy.querySelectorAll('aside.notes, script, style, .jp-CodeCell .jp-InputArea').forEach(e => e.remove());
    copy.querySelectorAll('mjx-container').forEach(e => e.replaceWith(' § '));
    return {h: Reveal.getIndices().h, v: Reveal.getIndices().v, top: box.top, height: box.height,
            words: copy.textContent.split(/\\s+/).filter(w => /[\\p{L}\\p{N}§]/u.test(w)).length,
            code: seen('.jp-CodeCell .jp-InputArea pre').map(p => p.textContent.replace(/\\n$/, '').split('\\n').length)
                                           .reduce((a, b) => a + b, 0),
            wide: seen('pre, table, img, mjx-container').filter(e => e.getBoundingClientRect().right > screen.right + 1
                                                              || e.scrollWidth > e.clientWidth + 1).length,
            notes: s.querySelectorAll('aside.notes').length,
            title: (seen('h1, h2, h3')[0] || {textContent: ''}).textContent.replace('¶', '')};
}"""


def open_deck(browser, slides: Path, chapter, requests: Requests, slide: int = 0):
    page = open_page(browser, requests, width=slide_types.SLIDE_WIDTH, height=slide_types.SLIDE_HEIGHT)
    page.goto((slides / chapter.file.replace(".ipynb", build_slides.SUFFIX)).as_uri() + f"#/{slide}")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")  # typeset before measuring
    return page


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_presenter_pressing_right_sees_every_slide_whole(slides, browser, chapter):
    """Each slide of each deck fits a 1280x720 screen without scrolling, holds at most WORD_LIMIT words
    outside code, nothing wider than the screen; → alone visits every slide in order."""
    requests = Requests()
    page = open_deck(browser, slides, chapter, requests)
    total = page.evaluate("Reveal.getTotalSlides()")
    nb = build_slides.with_slides(nbformat.read(NOTEBOOKS / chapter.file, as_version=4))
    assert total == build_slides.deck_figures(nb)[0]
    seen = []
    for k in range(total):
        if k:
            page.keyboard.press("ArrowRight")
        state = page.evaluate(MEASURE_SLIDE)
        where = f"{chapter.file} slide {k} ({state['title']!r})"
        assert state["top"] >= -1 and state["top"] + state["height"] <= slide_types.SLIDE_HEIGHT + 1, \
            f"{where} is {state['height']:.0f} px tall: more than the screen"
        assert state["words"] <= slide_types.WORD_LIMIT, f"{where} shows {state['words']} words"
        assert state["code"] <= slide_types.LESSON_CODE_LINES, f"{where} shows {state['code']} lines of code"
        assert state["wide"] == 0, f"{where} has something wider than the screen"
        seen.append((state["h"], state["v"]))
    assert seen == [(k, 0) for k in range(total)], "→ does not visit every slide in order"
    on_slides = [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.slideshow.slide_type != "notes"]
    if any("$" in c.source for c in on_slides):
        assert page.locator(".slides mjx-container").count() > 0, "MathJax did not typeset the slides"
    assert page.locator("mjx-merror").count() == 0, "TeX that MathJax could not typeset"
    page.context.close()
    requests.check()


def test_speaker_view_shows_each_slides_notes_offline(slides, browser):
    """The speaker view (key s) opens from a deck on disk, with reveal.js's notes plugin served locally, and
    shows the current slide's notes and follows the presenter."""
    chapter = CHAPTERS[5]
    nb = build_slides.with_slides(nbformat.read(NOTEBOOKS / chapter.file, as_version=4))
    starts = [k for k, c in enumerate(nb.cells) if c.metadata.slideshow.slide_type == "slide"]
    noted = [n for n, (a, b) in enumerate(zip(starts, starts[1:] + [len(nb.cells)], strict=True))
             if any(c.metadata.slideshow.slide_type == "notes" for c in nb.cells[a:b])]
    first = noted[1]  # not the title slide
    requests = Requests()
    page = open_deck(browser, slides, chapter, requests, slide=first)
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    notes = speaker.locator(".speaker-controls-notes")
    for k in (first, first + 1):
        if k != first:
            page.keyboard.press("ArrowRight")
        expected = page.evaluate("Array.from(Reveal.getCurrentSlide().querySelectorAll('aside.notes'))"
                                 ".map(n => n.textContent).join(' ').replace(/\\s+/g, ' ').trim()")
        if not expected:
            speaker.wait_for_function("document.querySelector('.speaker-controls-notes').textContent"
                                      ".includes('No notes on this slide')")
            continue
        speaker.wait_for_function("t => document.querySelector('.speaker-controls-notes') && document.querySelector("
                                  "'.speaker-controls-notes').textContent.replace(/\\s+/g, ' ').includes(t)",
                                  arg=expected[:200], timeout=15000)
        assert notes.is_visible()
    current = speaker.frame_locator("#current-slide iframe")
    assert current.locator(".reveal").count() == 1, "the speaker view does not show the current slide"
    page.context.close()
    requests.check()


def png_base64(width: int, height: int) -> str:
    """A grey PNG of the given pixel size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return base64.b64encode(data).decode()


def test_high_resolution_figure_is_shown_at_its_size_and_keeps_its_shape(tmp_path, browser):
    """A figure stored at twice its display size (matplotlib's "retina" format records the display size in
    the output's metadata) is drawn at that size, and keeps its aspect ratio in a narrower column."""
    write_course(tmp_path / "notebooks")
    nb = nbformat.read(tmp_path / "notebooks" / CHAPTERS[1].file, as_version=4)
    figure = nb.cells[5].outputs[0]
    figure.data["image/png"] = png_base64(1200, 600)
    figure.metadata = {"image/png": {"width": 600, "height": 300}}
    nbformat.write(nb, tmp_path / "notebooks" / CHAPTERS[1].file)
    build_site.build(tmp_path / "notebooks", tmp_path / "site")
    for width, expected in ((1400, 600), (390, None)):
        requests = Requests()
        page = open_page(browser, requests, width=width)
        page.goto((tmp_path / "site" / page_name(CHAPTERS[1])).as_uri())
        w, h = page.evaluate("(() => { const r = document.querySelector('article img[src^=\"_images/\"]')"
                             ".getBoundingClientRect(); return [r.width, r.height]; })()")
        assert w == expected if expected else w < 600, (width, w)
        assert abs(h - w / 2) <= 1, f"the figure lost its shape at {width} px: {w:.0f} x {h:.0f}"
        page.context.close()
        requests.check()
