"""Exercises as nbgrader tasks: the cell metadata nbgrader reads, written from the cells' tags, and the
checks of the exercise convention (CONTRIBUTING.md, "Exercises").

In the ``## Exercises`` section each exercise starts with a markdown prompt ``**Exercise N.** ...``; the
cells after it, up to the next prompt, are its cells:

- answer cells, tagged ``solution``: code with a ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` region
  (nbgrader id ``exN-answerK``, an autograded answer) or markdown prose (``exN-prose``, graded by hand,
  points from a ``points-N`` tag, default 1);
- check cells, tagged ``check``: code that runs ``with exercise(N) as ex:`` (``exN-check``, an autograder
  test, locked, points from a ``points-N`` tag, default 1);
- the prompt itself is locked (``exN-prompt``).

:func:`sync_tasks` writes that metadata (``python -m tools.nav``), :func:`task_problems` reports stale
metadata and breaks of the convention (``python -m tools.nav --check``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import nbformat

from tools.cells import source_lines, tags

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SCHEMA_VERSION = 3
_PROMPT = re.compile(r"^\*\*Exercise (\d+)\.\*\*", re.MULTILINE)
_POINTS = re.compile(r"^points-(\d+)$")
_USES = re.compile(r"\bexercise\(\s*(\d+)\s*\)")


@dataclass
class Task:
    """One exercise: its number and the indices of its prompt, answer and check cells."""
    number: int
    prompt: int
    answers: list[int] = field(default_factory=list)
    checks: list[int] = field(default_factory=list)


def _in_exercises(cell: nbformat.NotebookNode, inside: bool) -> bool:
    for ln in source_lines(cell) if cell.cell_type == "markdown" else []:
        if ln.startswith("## "):
            inside = ln.strip().lower().startswith("## exercises")
    return inside


def exercises(nb: nbformat.NotebookNode) -> tuple[list[Task], list[str]]:
    """The exercises of ``nb`` in order, and the problems of cells that belong to none."""
    found: list[Task] = []
    problems = []
    inside = False
    for k, cell in enumerate(nb.cells):
        inside = _in_exercises(cell, inside)
        marked = [t for t in (SOLUTION_TAG, CHECK_TAG) if t in tags(cell)]
        prompt = _PROMPT.search(cell.source) if inside and cell.cell_type == "markdown" else None
        if prompt and not marked:
            found.append(Task(int(prompt.group(1)), k))
            continue
        if not marked:
            continue
        if not inside or not found:
            problems.append(f"cell {k} is tagged {marked[0]!r} but is not under an exercise prompt "
                            "('**Exercise N.**' in the '## Exercises' section)")
        elif len(marked) == 2:
            problems.append(f"cell {k} is tagged both 'solution' and 'check'")
        elif marked == [SOLUTION_TAG]:
            found[-1].answers.append(k)
        else:
            found[-1].checks.append(k)
    return found, problems


def points(cell: nbformat.NotebookNode) -> int:
    """A graded cell's points: its ``points-N`` tag, else 1."""
    return next((int(m.group(1)) for t in tags(cell) if (m := _POINTS.match(t))), 1)


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          cell_points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = cell_points
    return meta


def _suffix(k: int) -> str:
    return "" if k == 1 else str(k)


def expected_metadata(nb: nbformat.NotebookNode) -> dict[int, dict]:
    """The nbgrader metadata each exercise cell should carry, by cell index (other cells carry none)."""
    tasks, _ = exercises(nb)
    meta: dict[int, dict] = {}
    for t in tasks:
        n = t.number
        meta[t.prompt] = _meta(f"ex{n}-prompt", locked=True)
        code = [k for k in t.answers if nb.cells[k].cell_type == "code"]
        prose = [k for k in t.answers if nb.cells[k].cell_type != "code"]
        for j, k in enumerate(code, 1):
            meta[k] = _meta(f"ex{n}-answer{j}", solution=True)
        for j, k in enumerate(prose, 1):
            meta[k] = _meta(f"ex{n}-prose{_suffix(j)}", grade=True, solution=True, cell_points=points(nb.cells[k]))
        for j, k in enumerate(t.checks, 1):
            meta[k] = _meta(f"ex{n}-check{_suffix(j)}", grade=True, locked=True, cell_points=points(nb.cells[k]))
    return meta


def with_metadata(nb: nbformat.NotebookNode, meta: dict[int, dict]) -> nbformat.NotebookNode:
    """``nb`` with exactly ``meta`` as its cells' nbgrader metadata (in place; returned for chaining)."""
    for k, cell in enumerate(nb.cells):
        if k in meta:
            cell.metadata["nbgrader"] = copy.deepcopy(meta[k])
        else:
            cell.metadata.pop("nbgrader", None)
    return nb


def sync_tasks(nb: nbformat.NotebookNode) -> None:
    """Write the nbgrader metadata of ``nb``'s exercises from their tags, and remove any elsewhere."""
    with_metadata(nb, expected_metadata(nb))


def _region_problem(lines: list[str], begin: str, end: str) -> str | None:
    """None when ``lines`` hold one or more well-formed begin/end regions, else what is wrong."""
    depth, seen = 0, False
    for ln in lines:
        if begin in ln:
            if depth:
                return f"a nested '{begin}'"
            depth, seen = 1, True
        elif end in ln:
            if not depth:
                return f"'{end}' without '{begin}'"
            depth = 0
    if depth:
        return f"'{begin}' without '{end}'"
    return None if seen else "missing"


def _answer_problems(nb: nbformat.NotebookNode, t: Task) -> list[str]:
    problems = []
    prose = any(nb.cells[k].cell_type == "markdown" for k in t.answers)
    for k in t.answers:
        cell = nb.cells[k]
        if cell.cell_type != "code":
            continue
        region = _region_problem(source_lines(cell), BEGIN_SOLUTION, END_SOLUTION)
        if region == "missing":
            problems.append(f"Exercise {t.number}: code answer cell {k} has no '{BEGIN_SOLUTION}' ... "
                            f"'{END_SOLUTION}' region (the part the student writes)")
        elif region:
            problems.append(f"Exercise {t.number}: code answer cell {k} has {region}")
        if _stray_asserts(source_lines(cell), prose):
            problems.append(f"Exercise {t.number}: answer cell {k} asserts its own result: move the check into "
                            "the check cell (ex.check / ex.close / ex.matches)")
    return problems


def _stray_asserts(lines: list[str], prose: bool) -> bool:
    """An ``assert`` outside the solution region (it would run against the student's stub), or inside it when
    the exercise has no answer in words (then the check cell is where correctness is checked). Inside the
    region of an exercise with a written answer, an assert backs the instructor's answer and leaves with it."""
    inside = False
    for ln in lines:
        if BEGIN_SOLUTION in ln or END_SOLUTION in ln:
            inside = BEGIN_SOLUTION in ln
        elif ln.lstrip().startswith("assert ") and not (inside and prose):
            return True
    return False


def _check_problems(nb: nbformat.NotebookNode, t: Task) -> list[str]:
    has_code = any(nb.cells[k].cell_type == "code" for k in t.answers)
    if has_code and not t.checks:
        return [f"Exercise {t.number} has a code answer but no check cell (tagged 'check')"]
    problems = []
    for k in t.checks:
        cell = nb.cells[k]
        uses = {int(n) for n in _USES.findall(cell.source)} if cell.cell_type == "code" else set()
        if uses != {t.number}:
            found = ", ".join(f"exercise({n})" for n in sorted(uses)) or "none"
            problems.append(f"Exercise {t.number}: check cell {k} must run `with exercise({t.number}) as ex:` "
                            f"(found: {found})")
        region = _region_problem(source_lines(cell), BEGIN_HIDDEN, END_HIDDEN)
        if region not in (None, "missing"):
            problems.append(f"Exercise {t.number}: check cell {k} has {region}")
    return problems


def task_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Breaks of the exercise convention and stale nbgrader metadata, one line each (empty when all is well)."""
    tasks, problems = exercises(nb)
    numbers = [t.number for t in tasks]
    if numbers != list(range(1, len(tasks) + 1)):
        problems.append(f"exercises are numbered {numbers}: number them 1, 2, ... in order")
    answer_cells = {k for t in tasks for k in t.answers}
    check_cells = {k for t in tasks for k in t.checks}
    for k, cell in enumerate(nb.cells):
        text = cell.source
        if "BEGIN SOLUTION" in text and k not in answer_cells:
            problems.append(f"cell {k} has 'BEGIN SOLUTION' but is not an answer cell: nbgrader would refuse it")
        if "BEGIN HIDDEN TESTS" in text and k not in check_cells:
            problems.append(f"cell {k} has 'BEGIN HIDDEN TESTS' but is not a check cell: nbgrader would refuse it")
    for t in tasks:
        if not t.answers:
            problems.append(f"Exercise {t.number} has no answer cell (tagged 'solution')")
        problems += _answer_problems(nb, t) + _check_problems(nb, t)
    expected = expected_metadata(nb)
    stale = [k for k, cell in enumerate(nb.cells) if cell.metadata.get("nbgrader") != expected.get(k)]
    if stale:
        problems.append(f"stale or missing nbgrader metadata in {len(stale)} cell(s) (first: cell {stale[0]}): "
                        "run python -m tools.nav")
    return problems


def summary(nb: nbformat.NotebookNode) -> tuple[int, int, int]:
    """(tasks, points, check cells) of a converted notebook."""
    meta = expected_metadata(nb).values()
    tasks, _ = exercises(nb)
    return len(tasks), sum(m.get("points", 0) for m in meta), sum(len(t.checks) for t in tasks)
