"""tools/build_student.py: solutions out, prompts kept with an empty answer cell under each, outputs
cleared, valid notebooks."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, ROOT, chapter_notebook, write_course

from course_utils.chapters import CHAPTERS
from tools import build_student, kitlib


def assert_student_edition(source: nbformat.NotebookNode, student: nbformat.NotebookNode) -> None:
    nbformat.validate(student)
    assert not [c for c in student.cells if "solution" in kitlib.tags(c)]
    prompts = kitlib.exercise_prompts(source)
    kept = ["\n".join(kitlib.source_lines(c)) for c in student.cells]
    positions = [kept.index(p) for p in prompts]  # ValueError if a prompt was lost
    assert positions == sorted(positions), "exercise prompts out of order"
    for k in positions:
        answer = student.cells[k + 1]
        assert answer.cell_type == "code" and answer.source == "" and answer.metadata.tags == ["answer"]
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")
    answers = [c for c in student.cells if "answer" in kitlib.tags(c)]
    assert len(answers) == len(prompts), "an answer cell that is not under a prompt"
    others = [c.source for c in source.cells if "solution" not in kitlib.tags(c)]
    assert [c.source for c in student.cells if c not in answers] == others, "a cell other than a solution was changed"


@pytest.fixture(scope="module")
def real_edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    build_student.build(NOTEBOOKS, out)
    return out


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_real_student_edition(real_edition, chapter):
    source = nbformat.read(NOTEBOOKS / chapter.file, as_version=4)
    student = nbformat.read(real_edition / chapter.file, as_version=4)
    assert len(kitlib.exercise_prompts(source)) >= 1, "no exercise prompt followed by a solution cell"
    assert_student_edition(source, student)


def test_generated_notebook_with_markdown_and_code_solutions():
    nb = chapter_notebook(CHAPTERS[1], exercises=3)
    nb.cells.insert(-1, nbformat.v4.new_markdown_cell("*Solution.* By hand first.", metadata={"tags": ["solution"]}))
    student = build_student.student_edition(nb)
    assert len(kitlib.exercise_prompts(nb)) == 3
    assert len(student.cells) == len(nb.cells) - 4 + 3
    assert_student_edition(nb, student)


def test_prompt_sharing_a_cell_with_the_section_heading_is_counted():
    nb = chapter_notebook(CHAPTERS[1], exercises=2)
    heading = next(i for i, c in enumerate(nb.cells) if c.source == "## Exercises")
    nb.cells[heading + 1].source = "## Exercises\n\n" + nb.cells[heading + 1].source
    del nb.cells[heading]
    assert len(kitlib.exercise_prompts(nb)) == 2


def test_command_writes_every_chapter(tmp_path):
    write_course(tmp_path / "notebooks")
    proc = subprocess.run([sys.executable, "-m", "tools.build_student", "--notebooks", str(tmp_path / "notebooks"),
                           "--out", str(tmp_path / "student")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "student").glob("*.ipynb")) == sorted(c.file for c in CHAPTERS)
    assert f"{len(CHAPTERS)} notebooks" in proc.stdout.splitlines()[-1]


def test_a_missing_notebook_is_an_error(tmp_path):
    write_course(tmp_path)
    (tmp_path / CHAPTERS[3].file).unlink()
    with pytest.raises(kitlib.KitError, match=f"missing notebook.*{CHAPTERS[3].file}"):
        build_student.build(tmp_path, tmp_path / "student")
