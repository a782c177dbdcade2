"""Build the student edition with nbgrader, and the nbgrader course directory an instructor grades in.

    python -m tools.build_assignments [--out build/student] [--course build/course]

Each chapter is one nbgrader assignment named after its notebook (``00_start_here``). The course directory
gets ``source/<assignment>/<notebook>``: the notebook with its solutions, its nbgrader metadata (written by
``python -m tools.nav`` from the exercise tags), its header and footer, without the Open-in-Colab badge
(the badge opens the instructor's copy, solutions included) and with links to other chapters pointing at
``../<assignment>/<notebook>``, where nbgrader puts them side by side. ``nbgrader generate_assignment``
then writes ``release/<assignment>/<notebook>``: solution regions replaced by ``raise NotImplementedError()``,
hidden tests and outputs removed, check cells and prompts locked; those released notebooks are copied to
``--out`` in the same layout, to hand out.

The course directory keeps what nbgrader adds to it (``gradebook.db``, ``submitted/``, ``autograded/``,
``feedback/``) and an existing ``nbgrader_config.py``: a rebuild replaces only ``source/`` and ``release/``
of each assignment. Needs the kit's toolchain (``requirements/book.txt``: nbgrader). Every released notebook
is checked against its source: no line of a solution or of a hidden test is left in it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat

from course_utils.chapters import CHAPTERS, Chapter
from tools.cells import source_lines
from tools.exercise_tasks import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    summary,
    task_problems,
)
from tools.kitlib import BUILD, NOTEBOOKS, KitError, chapter_notebooks, read_notebook, without_colab_badge

COURSE_ID = "dl-foundations"
CONFIG = '''"""nbgrader's configuration of the course directory (written once by python -m tools.build_assignments;
edit it freely, a rebuild keeps it). Run nbgrader from this folder: nbgrader autograde 00_start_here."""
c = get_config()  # noqa: F821 (nbgrader defines it)
c.CourseDirectory.course_id = "{course_id}"
# lessons 10 and 11 train for minutes in one cell (nbgrader's default allows 30 s a cell)
c.Execute.timeout = 1800
# on a JupyterHub with nbgrader's exchange, also set the exchange folder the students' servers share:
# c.Exchange.root = "/srv/nbgrader/exchange"
'''


def assignment(chapter: Chapter) -> str:
    """A chapter's nbgrader assignment name: its notebook's stem."""
    return Path(chapter.file).stem


def _cross_links(text: str, chapters: Sequence[Chapter]) -> str:
    for c in chapters:
        text = re.sub(r"(\]\(\s*<?)(?:\./)?" + re.escape(c.file), rf"\g<1>../{assignment(c)}/{c.file}", text)
    return text


def source_notebook(nb: nbformat.NotebookNode, chapter: Chapter,
                    chapters: Sequence[Chapter] = CHAPTERS) -> nbformat.NotebookNode:
    """The assignment's source: ``nb`` without the Colab badge, its links to other chapters made relative to
    nbgrader's layout; raise KitError if its exercises break the nbgrader task convention."""
    problems = task_problems(nb)
    if problems:
        raise KitError(f"{chapter.file}: {problems[0]} ({len(problems)} problem(s); python -m tools.nav --check)")
    nb = without_colab_badge(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _cross_links(cell.source, chapters)
    return nb


def _regions(lines: list[str], begin: str, end: str) -> tuple[list[str], list[str]]:
    """(lines inside begin/end regions, markers included; the other lines)."""
    inside, outside, depth = [], [], False
    for ln in lines:
        if begin in ln:
            depth = True
        (inside if depth else outside).append(ln)
        if end in ln:
            depth = False
    return inside, outside


def hidden_and_visible(nb: nbformat.NotebookNode) -> tuple[set[str], set[str]]:
    """The stripped, non-blank lines of ``nb`` (with nbgrader metadata) that its student edition must not
    show (solutions, hidden tests), and those it shows by design."""
    hidden: list[str] = []
    visible: list[str] = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        lines = source_lines(cell)
        if meta.get("solution"):
            inside, outside = _regions(lines, BEGIN_SOLUTION, END_SOLUTION)
            if cell.cell_type != "code" or not inside:
                inside, outside = lines, []
        elif meta.get("grade"):
            inside, outside = _regions(lines, BEGIN_HIDDEN, END_HIDDEN)
        else:
            inside, outside = [], lines
        hidden += inside
        visible += outside
    strip = lambda lines: {ln.strip() for ln in lines if ln.strip()}  # noqa: E731
    return strip(hidden), strip(visible)


def leaked_lines(source: nbformat.NotebookNode, released: nbformat.NotebookNode) -> list[str]:
    """Lines of a solution or a hidden test of ``source`` that ``released`` shows (empty when none leaks)."""
    hidden, visible = hidden_and_visible(source)
    shown = {ln.strip() for cell in released.cells for ln in source_lines(cell)}
    shown |= {ln.strip() for cell in released.cells for out in cell.get("outputs", [])
              for ln in str(out.get("text", "")).splitlines()}
    return sorted((hidden - visible) & shown)


def nbgrader(course: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader <args>`` in the course directory; raise KitError with its errors when it fails."""
    env = dict(os.environ if env is None else env)
    # nbgrader creates the gradebook with the `alembic` command: the one next to this interpreter
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        lines = (proc.stdout + proc.stderr).strip().splitlines()
        errors = [ln for ln in lines if "| ERROR]" in ln or "Error" in ln] or lines[-15:]
        raise KitError(f"nbgrader {' '.join(args)} failed in {course}:\n" + "\n".join(errors[:15]))
    return proc


def build(notebooks_dir: Path = NOTEBOOKS, out: Path = BUILD / "student", course: Path = BUILD / "course",
          chapters: Sequence[Chapter] = CHAPTERS) -> list[Path]:
    """Write the course directory and the released notebooks; return the released notebooks' paths."""
    books = chapter_notebooks(notebooks_dir, chapters)
    try:
        import nbgrader as _  # noqa: F401
    except ImportError:
        raise KitError("nbgrader is not installed: it is the kit's toolchain, pip install -r requirements/book.txt"
                       ) from None
    course.mkdir(parents=True, exist_ok=True)
    if not (course / "nbgrader_config.py").is_file():
        (course / "nbgrader_config.py").write_text(CONFIG.format(course_id=COURSE_ID), encoding="utf-8")
    sources = {}
    for chapter, path in books:
        folder = course / "source" / assignment(chapter)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        sources[chapter.file] = source_notebook(read_notebook(path), chapter, chapters)
        nbformat.write(sources[chapter.file], folder / chapter.file)
    names = [assignment(c) for c, _ in books]
    pattern = names[0] if len(names) == 1 else "*"
    nbgrader(course, "generate_assignment", pattern, "--force", "--create")
    written = []
    for chapter, _ in books:
        released = course / "release" / assignment(chapter) / chapter.file
        if not released.is_file():
            raise KitError(f"nbgrader wrote no {released}")
        student = read_notebook(released)
        nbformat.validate(student)
        leaks = leaked_lines(sources[chapter.file], student)
        if leaks:
            raise KitError(f"{chapter.file}: {len(leaks)} solution line(s) left in the student edition: {leaks[0]!r}")
        target = out / assignment(chapter) / chapter.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(released, target)
        written.append(target)
        tasks, total, checks = summary(sources[chapter.file])
        print(f"{chapter.file}: {tasks} task(s), {total} point(s), {checks} check cell(s)")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="source folder (default notebooks/)")
    parser.add_argument("--out", type=Path, default=BUILD / "student",
                        help="the released notebooks, to hand out (default build/student)")
    parser.add_argument("--course", type=Path, default=BUILD / "course",
                        help="the nbgrader course directory (default build/course)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        made = build(args.notebooks, args.out, args.course)
    except KitError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"student edition: {len(made)} notebooks in {args.out}, course directory {args.course} "
          f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
