"""tools/build_assignments.py: the student edition made by nbgrader's generate_assignment, and the course
directory an instructor grades in."""

from __future__ import annotations

import re

import nbformat
import pytest
from kit_helpers import chapter_notebook, write_course

from course_utils.chapters import CHAPTERS, COLAB_BADGE_URL
from tools import kitlib
from tools.build_assignments import assignment, build, leaked_lines, source_notebook
from tools.exercise_tasks import sync_tasks

LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_real_student_edition(assignments, chapter):
    course, student = assignments
    a = assignment(chapter)
    source = nbformat.read(course / "source" / a / chapter.file, as_version=4)
    released = nbformat.read(student / a / chapter.file, as_version=4)
    nbformat.validate(released)
    assert leaked_lines(source, released) == []
    assert (released.cells[0].source.splitlines()[0], released.cells[-1].metadata.tags) == \
        (f"# {chapter.number} · {chapter.title}", ["footer"])
    assert COLAB_BADGE_URL not in released.cells[0].source  # it would open the instructor's copy
    for target in LINK.findall("\n".join(c.source for c in released.cells if c.cell_type == "markdown")):
        assert (student / a / target).resolve().is_file(), f"link points nowhere in the student edition: {target}"
    assert all(not c.outputs and c.execution_count is None for c in released.cells if c.cell_type == "code")
    assert len(released.cells) == len(source.cells)
    for s, r in zip(source.cells, released.cells, strict=True):
        meta = s.metadata.get("nbgrader", {})
        if meta.get("solution"):
            stub = "raise NotImplementedError()" if s.cell_type == "code" else "YOUR ANSWER HERE"
            assert stub in r.source and r.metadata.get("deletable") is False
        elif meta.get("grade") or meta.get("locked"):
            assert r.metadata.get("editable") is False
        else:
            assert r.source == s.source, "a cell outside the exercises changed"
    assert any(c.metadata.get("nbgrader", {}).get("solution") for c in source.cells), "no exercise answer cell"
    assert (course / "nbgrader_config.py").is_file() and (course / "gradebook.db").is_file()


def test_source_drops_the_colab_badge_and_points_links_at_nbgrader_folders():
    nb = chapter_notebook(CHAPTERS[0])
    nb.cells[0].source += f"\n\n[![Open In Colab]({COLAB_BADGE_URL})](https://colab.example/x.ipynb)"
    nb.cells[2].source += f"\n\nSee [lesson 01]({CHAPTERS[1].file}#top) and [the map](./{CHAPTERS[0].file})."
    sync_tasks(nb)
    src = source_notebook(nb, CHAPTERS[0])
    assert COLAB_BADGE_URL not in src.cells[0].source
    one, zero = assignment(CHAPTERS[1]), assignment(CHAPTERS[0])
    assert f"[lesson 01](../{one}/{CHAPTERS[1].file}#top)" in src.cells[2].source
    assert f"[the map](../{zero}/{CHAPTERS[0].file})" in src.cells[2].source


def test_a_converted_lesson_that_breaks_the_convention_is_refused():
    nb = chapter_notebook(CHAPTERS[0])
    nb.cells[-2].source = "y2 = 4"  # no solution region
    sync_tasks(nb)
    with pytest.raises(kitlib.KitError, match="00_start_here.ipynb: Exercise 2: code answer cell .* no '### BEGIN"):
        source_notebook(nb, CHAPTERS[0])


def test_leaked_lines_finds_a_solution_or_hidden_test_line_left_in():
    nb = chapter_notebook(CHAPTERS[0])
    sync_tasks(nb)
    released = nbformat.from_dict(nb)
    assert leaked_lines(nb, released) == ["### BEGIN HIDDEN TESTS", "### BEGIN SOLUTION", "### END HIDDEN TESTS",
                                          "### END SOLUTION", "ex.check(y1 - 1 == 1, 'y1 minus 1 is not 1')",
                                          "ex.check(y2 - 2 == 2, 'y2 minus 2 is not 2')", "y1 = 1 * 2", "y2 = 2 * 2"]
    for cell in released.cells:
        cell.source = "\n".join(ln for ln in cell.source.splitlines() if "BEGIN" not in ln and "END" not in ln
                                and "*" not in ln and "minus" not in ln)
    assert leaked_lines(nb, released) == []


def test_a_missing_notebook_is_an_error(tmp_path):
    write_course(tmp_path)
    (tmp_path / CHAPTERS[3].file).unlink()
    with pytest.raises(kitlib.KitError, match=f"missing notebook.*{CHAPTERS[3].file}"):
        build(tmp_path, tmp_path / "student", tmp_path / "course")
