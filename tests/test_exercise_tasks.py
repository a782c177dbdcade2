"""tools.exercise_tasks: nbgrader metadata written from the exercise tags, and the convention's checks, each
found when planted in a small course-shaped notebook."""

from __future__ import annotations

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, write_course

from course_utils.chapters import CHAPTERS
from tools import exercise_tasks, nav
from tools.checks import check
from tools.exercise_tasks import expected_metadata, sync_tasks, task_problems


def synced(exercises: int = 2) -> nbformat.NotebookNode:
    from kit_helpers import chapter_notebook
    nb = chapter_notebook(CHAPTERS[1], exercises)
    sync_tasks(nb)
    return nb


def cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_metadata_from_tags():
    nb = synced(2)
    assert task_problems(nb) == []
    prompt, answer, test = (cell(nb, f"ex2-{k}").metadata.nbgrader for k in ("prompt", "answer1", "check"))
    assert prompt == {"grade": False, "grade_id": "ex2-prompt", "locked": True, "schema_version": 3,
                      "solution": False, "task": False}
    assert answer == {**prompt, "grade_id": "ex2-answer1", "locked": False, "solution": True}
    assert test == {**prompt, "grade_id": "ex2-check", "grade": True, "points": 1}
    assert sum("nbgrader" in c.metadata for c in nb.cells) == 6  # nothing outside the exercises


def test_points_prose_answers_and_several_answer_cells():
    nb = synced(1)
    k = nb.cells.index(cell(nb, "ex1-check"))
    nb.cells[k].metadata.tags.append("points-3")
    nb.cells.insert(k, nbformat.v4.new_code_cell("### BEGIN SOLUTION\nz = 1\n### END SOLUTION",
                                                 metadata={"tags": ["solution"]}))
    nb.cells.insert(k, nbformat.v4.new_markdown_cell("Because.", metadata={"tags": ["solution", "points-2"]}))
    sync_tasks(nb)
    assert task_problems(nb) == []
    assert cell(nb, "ex1-check").metadata.nbgrader["points"] == 3
    prose = cell(nb, "ex1-prose").metadata.nbgrader
    assert (prose["grade"], prose["solution"], prose["points"], prose["locked"]) == (True, True, 2, False)
    assert cell(nb, "ex1-answer2").metadata.nbgrader["solution"]
    assert exercise_tasks.summary(nb) == (1, 5, 1)


def test_an_assert_inside_the_region_may_back_a_written_answer():
    nb = synced(1)
    k = nb.cells.index(cell(nb, "ex1-answer1"))
    nb.cells[k].source = "### BEGIN SOLUTION\ny1 = 2\nassert y1 == 2  # for the answer in words\n### END SOLUTION"
    nb.cells.insert(k + 1, nbformat.v4.new_markdown_cell("Because.", metadata={"tags": ["solution"]}))
    sync_tasks(nb)
    assert task_problems(nb) == []
    nb.cells[k].source += "\nassert y1 == 2"  # outside the region it would run against the student's stub
    assert any("asserts its own result" in p for p in task_problems(nb))


def test_stale_and_stray_metadata_are_reported_and_synced_away():
    nb = synced(2)
    cell(nb, "ex1-check").metadata.nbgrader["points"] = 5
    nb.cells[1].metadata["nbgrader"] = {"grade": False, "grade_id": "stray", "locked": True, "solution": False}
    problems = task_problems(nb)
    assert len(problems) == 1 and "stale or missing nbgrader metadata in 2 cell(s)" in problems[0]
    sync_tasks(nb)
    assert task_problems(nb) == [] and "nbgrader" not in nb.cells[1].metadata


@pytest.mark.parametrize("plant, message", [
    (lambda nb: setattr(cell(nb, "ex1-answer1"), "source", "y1 = 2"), "has no '### BEGIN SOLUTION'"),
    (lambda nb: setattr(cell(nb, "ex1-answer1"), "source", "### BEGIN SOLUTION\ny1 = 2"),
     "'### BEGIN SOLUTION' without '### END SOLUTION'"),
    (lambda nb: setattr(cell(nb, "ex1-answer1"), "source", "### BEGIN SOLUTION\ny1 = 2\n### END SOLUTION\n"
                                                           "assert y1 == 2"), "asserts its own result"),
    (lambda nb: setattr(cell(nb, "ex1-answer1"), "source", "### BEGIN SOLUTION\ny1 = 2\nassert y1 == 2\n"
                                                           "### END SOLUTION"), "asserts its own result"),
    (lambda nb: setattr(cell(nb, "ex2-check"), "source", "with exercise(1) as ex:\n    ex.check(y2 == 4, 'no')"),
     "must run `with exercise(2) as ex:` (found: exercise(1))"),
    (lambda nb: setattr(cell(nb, "ex2-check"), "source", "assert y2 == 4"), "(found: none)"),
    (lambda nb: setattr(cell(nb, "ex2-check"), "source", "with exercise(2) as ex:\n    ### BEGIN HIDDEN TESTS\n"
                                                         "    ex.check(y2 == 4, 'no')"), "without '### END HIDDEN"),
    (lambda nb: nb.cells.remove(cell(nb, "ex2-check")), "Exercise 2 has a code answer but no check cell"),
    (lambda nb: nb.cells.remove(cell(nb, "ex2-answer1")), "Exercise 2 has no answer cell"),
    (lambda nb: setattr(cell(nb, "ex2-prompt"), "source", "**Exercise 3.** Double."), "numbered [1, 3]"),
    (lambda nb: nb.cells[1].metadata.setdefault("tags", []).append("check"), "not under an exercise prompt"),
    (lambda nb: setattr(nb.cells[1], "source", "x = 1  # ### BEGIN SOLUTION"), "is not an answer cell"),
    (lambda nb: setattr(nb.cells[1], "source", "### BEGIN HIDDEN TESTS"), "is not a check cell"),
    (lambda nb: cell(nb, "ex1-check").metadata.tags.append("solution"), "tagged both 'solution' and 'check'"),
])
def test_planted_problems_are_found(plant, message):
    nb = synced(2)
    plant(nb)
    sync_tasks(nb)  # metadata in step: the convention's break alone is reported
    problems = task_problems(nb)
    assert any(message in p for p in problems), problems


def test_nav_writes_every_lessons_tasks_and_check_reports_their_problems(tmp_path):
    paths = write_course(tmp_path)
    nb = nbformat.read(tmp_path / CHAPTERS[1].file, as_version=4)
    nb.cells[-2].source = "y2 = 4"  # the answer of exercise 2 without its solution region
    nbformat.write(nb, tmp_path / CHAPTERS[1].file)
    assert any(p.startswith(CHAPTERS[2].file) and "stale or missing nbgrader metadata" in p for p in check(tmp_path))
    nav.sync(tmp_path)
    assert all(any("nbgrader" in c.metadata for c in nbformat.read(p, as_version=4).cells) for p in paths)
    problems = check(tmp_path)
    assert problems and all(p.startswith(CHAPTERS[1].file) for p in problems), problems
    assert any("has no '### BEGIN SOLUTION'" in p for p in problems), problems


def test_the_real_notebooks_follow_the_convention():
    for c in CHAPTERS:
        nb = nbformat.read(NOTEBOOKS / c.file, as_version=4)
        assert task_problems(nb) == [], c.file
        assert expected_metadata(nb), f"{c.file} has no exercise"
