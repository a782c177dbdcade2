"""Shared plumbing for the teaching-kit commands (student editions, site, slides, navigation).

The scripts in tools/ import this module as ``kitlib`` (Python puts a script's own folder first on
``sys.path``). It knows where things live, lists the course notebooks in course-map order, fetches the
pinned front-end assets (MathJax 2, reveal.js, RequireJS, jQuery) from the npm registry into
``build/vendor`` once, and rewrites the few links a notebook's HTML needs to work offline.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import nbformat

from course_utils.chapters import CHAPTERS, COLAB_BADGE_URL, Chapter

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
VENDOR = BUILD / "vendor"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

#: Front-end packages served next to the built pages, pinned; fetched with ``npm pack`` (npm registry).
#: MathJax stays on 2.x and reveal.js on 4.x because nbconvert's templates call those APIs.
NPM_PACKAGES = {
    "mathjax": "2.7.9",
    "reveal.js": "4.6.0",
    "requirejs": "2.3.8",
    "jquery": "2.2.4",
}
#: The MathJax configuration nbconvert's templates expect (TeX input, CommonHTML output).
MATHJAX_QUERY = "?config=TeX-AMS_CHTML-full,Safe"
#: The parts of the MathJax package that the TeX-AMS_CHTML-full configuration loads (6 MB of 73 MB).
MATHJAX_PARTS = (
    "MathJax.js", "LICENSE", "config", "extensions", "jax/element", "jax/input/TeX",
    "jax/output/CommonHTML", "localization/en", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf",
)
SOLUTION_TAG = "solution"


class KitError(RuntimeError):
    """A problem the user can fix; the commands print its message and exit 1."""


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat v4."""
    return nbformat.read(path, as_version=4)


def chapter_notebooks(notebooks_dir: Path = NOTEBOOKS,
                      chapters: Sequence[Chapter] = CHAPTERS) -> list[tuple[Chapter, Path]]:
    """The course notebooks in course-map order; raise KitError naming any that is missing."""
    missing = [c.file for c in chapters if not (notebooks_dir / c.file).is_file()]
    if missing:
        raise KitError(f"missing notebook(s) in {notebooks_dir}: {', '.join(missing)}; "
                       "write them or fix course_utils/chapters.py.")
    return [(c, notebooks_dir / c.file) for c in chapters]


def source_lines(cell: nbformat.NotebookNode) -> list[str]:
    """A cell's source as a list of lines (nbformat may hold it as one string or a list)."""
    src = cell.get("source", "")
    return ("".join(src) if isinstance(src, list) else src).splitlines()


def tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_prompts(nb: nbformat.NotebookNode) -> list[str]:
    """Sources of the exercise prompt cells: markdown cells in the ``## Exercises`` section that are
    directly followed by a cell tagged ``solution`` (the section may start inside the prompt's cell)."""
    prompts: list[str] = []
    in_exercises = False
    cells = nb.cells
    for i, cell in enumerate(cells):
        lines = source_lines(cell) if cell.cell_type == "markdown" else []
        for ln in lines:
            if ln.startswith("## "):
                in_exercises = ln.strip().lower().startswith("## exercises")
        if not in_exercises or cell.cell_type != "markdown" or SOLUTION_TAG in tags(cell):
            continue
        if i + 1 < len(cells) and SOLUTION_TAG in tags(cells[i + 1]):
            prompts.append("\n".join(lines))
    return prompts


# --- pinned front-end assets --------------------------------------------------------------------------

def vendor_package(name: str, vendor_dir: Path = VENDOR) -> Path:
    """The unpacked npm package ``name`` at its pinned version, fetched with ``npm pack`` on first use."""
    version = NPM_PACKAGES[name]
    target = vendor_dir / f"{name}-{version}"
    if (target / "package.json").is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise KitError(f"{name} {version} is not in {vendor_dir} and npm is not installed: "
                       "install Node.js and npm (Debian: apt-get install -y npm), then run again.")
    vendor_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=vendor_dir) as tmp:
        proc = subprocess.run([npm, "pack", f"{name}@{version}", "--silent", "--pack-destination", tmp],
                              capture_output=True, text=True)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if proc.returncode != 0 or len(tarballs) != 1:
            raise KitError(f"npm pack {name}@{version} failed ({proc.stderr.strip()[-300:]}); "
                           "check that the npm registry can be reached.")
        unpack = Path(tmp) / "unpacked"
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(unpack, filter="data")
        try:
            (unpack / "package").rename(target)  # atomic: a half-unpacked package never looks complete
        except OSError:
            if not (target / "package.json").is_file():  # not a concurrent build that got there first
                raise
    return target


def _copy_parts(src: Path, dest: Path, parts: Iterable[str]) -> None:
    for part in parts:
        s, d = src / part, dest / part
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.is_file():
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
        else:
            raise KitError(f"{s} is missing from the vendored package; delete {src} and run again.")


def install_static(dest: Path, *, reveal: bool = False) -> dict[str, str]:
    """Copy MathJax, RequireJS, jQuery, the offline Colab badge (and reveal.js) into ``dest/_static``.

    Returns the URLs, relative to ``dest``, to hand to the nbconvert exporters.
    """
    static = dest / "_static"
    _copy_parts(vendor_package("mathjax"), static / "mathjax", MATHJAX_PARTS)
    _copy_parts(vendor_package("requirejs"), static / "requirejs", ["require.js", "package.json"])
    _copy_parts(vendor_package("jquery"), static / "jquery", ["dist/jquery.min.js", "LICENSE.txt"])
    _copy_parts(STATIC, static, ["colab-badge.svg", "kit.css"])
    urls = {
        "mathjax_url": "_static/mathjax/MathJax.js" + MATHJAX_QUERY,
        "require_js_url": "_static/requirejs/require.js",
        "jquery_url": "_static/jquery/dist/jquery.min.js",
    }
    if reveal:
        _copy_parts(vendor_package("reveal.js"), static / "reveal.js", ["dist", "plugin/notes", "LICENSE"])
        urls["reveal_url_prefix"] = "_static/reveal.js"
    return urls


def offline_links(html: str, chapters: Sequence[Chapter] = CHAPTERS, suffix: str = ".html") -> str:
    """Point links between notebooks at the built pages and the Colab badge at its local copy."""
    html = html.replace(COLAB_BADGE_URL, "_static/colab-badge.svg")
    for c in chapters:
        target = c.file[: -len(".ipynb")] + suffix
        html = re.sub(rf'href="(?:\./)?{re.escape(c.file)}(#[^"]*)?"', rf'href="{target}\1"', html)
    return html


_REMOTE_ASSET = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)["']"""
    r"""|import\s*\(?\s*["']((?:https?:)?//[^"']+)["']""",
    re.IGNORECASE)


def remote_assets(html: str) -> list[str]:
    """URLs of scripts, style sheets, images or frames that a page would fetch from the network."""
    return [a or b for a, b in _REMOTE_ASSET.findall(html)]


def build_parser(doc: str | None, what: str) -> argparse.ArgumentParser:
    """The command line every builder shares: ``--notebooks`` (source) and ``--out`` (build/<what>)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="source folder (default notebooks/)")
    parser.add_argument("--out", type=Path, default=BUILD / what, help=f"output folder (default build/{what})")
    return parser


def run_build(build: Callable[[Path, Path], list[Path]], args: argparse.Namespace, label: str, noun: str,
              hint: str = "") -> int:
    """Run ``build(notebooks, out)``; print one summary line, or the KitError on stderr (exit code 1)."""
    start = time.perf_counter()
    try:
        made = build(args.notebooks, args.out)
    except KitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{label}: {len(made)} {noun} in {args.out}{hint} ({time.perf_counter() - start:.1f} s)")
    return 0
