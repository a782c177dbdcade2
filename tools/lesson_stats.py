"""A lesson's size, counted the way the lesson budget counts it.

    python -m tools.lesson_stats            # one line per notebook, and what is over budget

The **main text** is every cell before the ``## Summary`` heading. Its **cells** count the generated
install cell too (a reader sees it, as the issue's count of the reference chapter did); the rest leaves
it out, except from the code lines: **words** of prose (markdown, without LaTeX, HTML comments, the
generated navigation block or URLs), **code lines** (lines of code a reader sees: non-blank lines that are
not only a comment, in every code cell, the install cell included), **figures** (PNG or SVG outputs) and
each code cell's length (its non-blank lines, comments included). A code cell tagged ``lesson-code`` is
code that is itself the lesson: it may run to :data:`LESSON_CODE_LINES` lines, and a lesson may have
:data:`MAX_LESSON_CODE_CELLS` of them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools.cells import source_lines, tags

MAX_WORDS = 2000
MAX_CODE_LINES = 300
MAX_CELLS = 40
MAX_CELL_LINES = 15
LESSON_CODE_TAG = "lesson-code"
LESSON_CODE_LINES = 25
MAX_LESSON_CODE_CELLS = 3

_SUMMARY = re.compile(r"^#{1,3}\s+Summary\b", re.MULTILINE)
_NAV = re.compile(r"<!-- nav:start -->.*?<!-- nav:end -->", re.DOTALL)
_MATH = re.compile(r"\$\$.*?\$\$|\\\[.*?\\\]|\$[^$\n]+\$", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_URL = re.compile(r"\]\([^)]*\)|https?://\S+")
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")


@dataclass
class LessonStats:
    name: str
    cells: int = 0
    words: int = 0
    code_lines: int = 0
    figures: int = 0
    long_cells: list[tuple[str, int]] = field(default_factory=list)  # (cell id, lines) over 15, untagged
    lesson_code: list[tuple[str, int]] = field(default_factory=list)  # (cell id, lines) tagged lesson-code

    def keyed_problems(self) -> list[tuple[str, str]]:
        """What is over the lesson budget: (kind, one sentence) each, kind as the allow-list names it."""
        out = []
        if self.words > MAX_WORDS:
            out.append(("words", f"{self.words} words of prose in the main text (budget {MAX_WORDS})"))
        if self.code_lines > MAX_CODE_LINES:
            out.append(("code lines", f"{self.code_lines} lines of code in the main text (budget {MAX_CODE_LINES})"))
        if self.cells > MAX_CELLS:
            out.append(("cells", f"{self.cells} cells in the main text (budget {MAX_CELLS})"))
        for cid, n in self.long_cells:
            out.append((f"cell {cid}", f"code cell {cid} has {n} lines (at most {MAX_CELL_LINES}; tag it "
                        f"'{LESSON_CODE_TAG}' only if the code itself is the lesson)"))
        for cid, n in self.lesson_code:
            if n > LESSON_CODE_LINES:
                out.append((f"cell {cid}", f"code cell {cid}, tagged '{LESSON_CODE_TAG}', has {n} lines "
                            f"(at most {LESSON_CODE_LINES})"))
        if len(self.lesson_code) > MAX_LESSON_CODE_CELLS:
            out.append(("lesson-code cells", f"{len(self.lesson_code)} cells tagged '{LESSON_CODE_TAG}' "
                        f"(at most {MAX_LESSON_CODE_CELLS})"))
        return out

    def problems(self) -> list[str]:
        """What is over the lesson budget, one sentence each."""
        return [text for _, text in self.keyed_problems()]


def prose_words(markdown: str) -> int:
    text = _NAV.sub(" ", markdown)
    text = _COMMENT.sub(" ", text)
    text = _MATH.sub(" ", text)
    text = _URL.sub("]", text)
    return len(_WORD.findall(text))


def code_lines(cell: nbformat.NotebookNode) -> int:
    """Non-blank lines that are not only a comment: the lines of code of the lesson budget."""
    return sum(1 for line in source_lines(cell) if line.strip() and not line.strip().startswith("#"))


def cell_length(cell: nbformat.NotebookNode) -> int:
    """Non-blank lines, comments included: what the 15-line limit on a code cell counts."""
    return sum(1 for line in source_lines(cell) if line.strip())


def figures(cell: nbformat.NotebookNode) -> int:
    return sum(1 for out in cell.get("outputs", [])
               if any(k in out.get("data", {}) for k in ("image/png", "image/svg+xml")))


def main_text(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The cells before the summary heading, the generated install cell included."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and _SUMMARY.search("\n".join(source_lines(cell))):
            break
        cells.append(cell)
    return cells


def lesson_stats(nb: nbformat.NotebookNode, name: str = "") -> LessonStats:
    s = LessonStats(name)
    for cell in main_text(nb):
        s.cells += 1
        if cell.cell_type == "markdown":
            s.words += prose_words("\n".join(source_lines(cell)))
        elif cell.cell_type == "code":
            s.code_lines += code_lines(cell)
            if "install" in tags(cell):
                continue
            n = cell_length(cell)
            s.figures += figures(cell)
            cid = cell.get("id", "?")
            if LESSON_CODE_TAG in tags(cell):
                s.lesson_code.append((cid, n))
            elif n > MAX_CELL_LINES:
                s.long_cells.append((cid, n))
    return s


def read_stats(path: Path) -> LessonStats:
    return lesson_stats(nbformat.read(path, as_version=4), path.name)


def main(argv: list[str] | None = None) -> int:
    from course_utils.chapters import CHAPTERS, class_minutes
    from tools.navigation import NOTEBOOKS

    over = 0
    print(f"{'notebook':42} {'cells':>5} {'words':>6} {'code':>5} {'>15':>4} {'figs':>4} {'class min':>9}")
    for c in CHAPTERS:
        path = NOTEBOOKS / c.file
        if not path.is_file():
            print(f"{c.file:42} (missing)")
            continue
        s = read_stats(path)
        minutes = class_minutes(s.words, s.code_lines, s.figures)
        print(f"{c.file:42} {s.cells:5} {s.words:6} {s.code_lines:5} {len(s.long_cells):4} {s.figures:4} {minutes:9}")
        if c.lesson:
            for p in s.problems():
                over += 1
                print(f"  over budget: {p}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
