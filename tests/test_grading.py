"""The grading test (issue #25): every chapter whose exercises are nbgrader tasks, graded by nbgrader.

For each chapter whose notebook exists: the student edition shows no line of a solution or a hidden test; on
the untouched student notebook every check cell fails with its one line ``Exercise N: ...`` (no traceback);
each check cell, as graded (hidden tests included), rejects each wrong answer of
``tests/wrong_answers/<stem>.py`` with a message containing its fragment, and as a student has it rejects at
least one of them; ``nbgrader autograde`` gives the source notebook (the solutions) full marks and the
untouched student notebook zero.

One ``nbgrader autograde`` run does the executing: two submissions per chapter, "solutions" and "untouched".
The wrong answers ride in the solutions' run: right after an exercise's answer cells, the submission runs
each wrong answer, the check cell as graded and as students have it, each followed by the answer cells again
(which restores the right answer before the graded check). Lessons 10 and 11 run in quick mode
(COURSE_QUICK=1). Needs the kit's toolchain (nbgrader); it runs in the README's test command, which installs
it.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, ROOT

from course_utils.chapters import CHAPTERS, Chapter
from tools.exercise_tasks import exercises, summary
from tools.install_cell import KERNEL_DISPLAY, KERNEL_NAME

pytest.importorskip("nbgrader", reason="nbgrader is not installed: pip install -r requirements/book.txt")

from tools.build_assignments import assignment, leaked_lines, nbgrader  # noqa: E402

CONVERTED = [c for c in CHAPTERS if (NOTEBOOKS / c.file).is_file()]
WRONG_ANSWERS = ROOT / "tests" / "wrong_answers"
PROBE = "# grading test: exercise {n}, wrong answer {j}"
VISIBLE_PROBE = "# grading test: exercise {n}, wrong answer {j}, the check as a student has it"
STUDENTS = ("solutions", "untouched")


def wrong_answers(chapter: Chapter) -> dict[int, list[tuple[str, str]]]:
    path = WRONG_ANSWERS / f"{assignment(chapter)}.py"
    return runpy.run_path(str(path))["WRONG"] if path.is_file() else {}


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def probed(source: nbformat.NotebookNode, released: nbformat.NotebookNode,
           wrong: dict[int, list[tuple[str, str]]]) -> nbformat.NotebookNode:
    """The source notebook as a submission, each exercise's answer cells followed, for each wrong answer, twice
    by its code, the check cell (as graded, hidden tests included; then as released, a comment line marks each)
    and the answer cells again."""
    shown = {grade_id(c): c.source for c in released.cells if grade_id(c)}
    tasks, _ = exercises(source)
    after: dict[int, list[nbformat.NotebookNode]] = {}
    for t in tasks:
        answers = [source.cells[k].source for k in t.answers if source.cells[k].cell_type == "code"]
        cells = after.setdefault(max(t.answers), [])
        for j, (code, _) in enumerate(wrong.get(t.number, []), 1):
            for probe, check_source in ((PROBE, lambda k: source.cells[k].source),      # as graded: hidden tests too
                                        (VISIBLE_PROBE, lambda k: shown[grade_id(source.cells[k])])):  # as released
                cells.append(nbformat.v4.new_code_cell(code))
                cells += [nbformat.v4.new_code_cell(probe.format(n=t.number, j=j) + "\n" + check_source(k))
                          for k in t.checks]
                cells += [nbformat.v4.new_code_cell(a) for a in answers]
    nb = nbformat.from_dict(source)
    nb.cells = [new for k, cell in enumerate(nb.cells) for new in (cell, *after.get(k, []))]
    return nb


def course_kernel(folder: Path) -> dict[str, str]:
    """An environment whose Jupyter finds the course kernel ("dl-foundations", the one the notebooks ask
    for) as this interpreter, and runs lessons 10 and 11 in quick mode."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": KERNEL_DISPLAY, "language": "python"}))
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, JUPYTER_PATH=str(folder), COURSE_QUICK="1", COURSE_PROGRESS="0",
                PYTHONHASHSEED="0", PYTHONPATH=path)


@pytest.fixture(scope="module")
def graded(assignments, tmp_path_factory):
    """Autograde both submissions of every converted chapter; return (course directory, scores): scores
    maps (chapter file, student) to {grade id: (score, max score)}."""
    course, _ = assignments
    if not CONVERTED:
        pytest.skip("no chapter's exercises are nbgrader tasks yet")
    for c in CONVERTED:
        a = assignment(c)
        source = nbformat.read(course / "source" / a / c.file, as_version=4)
        released = nbformat.read(course / "release" / a / c.file, as_version=4)
        for student in STUDENTS:
            (course / "submitted" / student / a).mkdir(parents=True)
        nbformat.write(probed(source, released, wrong_answers(c)), course / "submitted" / "solutions" / a / c.file)
        shutil.copyfile(course / "release" / a / c.file, course / "submitted" / "untouched" / a / c.file)
    start = time.perf_counter()
    nbgrader(course, "autograde", "*", "--create", env=course_kernel(tmp_path_factory.mktemp("jupyter")))
    seconds = time.perf_counter() - start
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for c in CONVERTED:
            for student in STUDENTS:
                nb = gb.find_submission_notebook(Path(c.file).stem, assignment(c), student)
                scores[c.file, student] = {g.name: (g.score, g.max_score) for g in nb.grades}
    for c in CONVERTED:
        nb = nbformat.read(NOTEBOOKS / c.file, as_version=4)
        tasks, points, checks = summary(nb)
        got = {s: sum(v[0] for v in scores[c.file, s].values()) for s in STUDENTS}
        print(f"\n{c.file}: {tasks} tasks, {points} points, {checks} check cells, "
              f"{sum(map(len, wrong_answers(c).values()))} wrong answers; autograde: solutions {got['solutions']:g}"
              f"/{points}, untouched {got['untouched']:g}/{points}")
    print(f"autograde of {len(CONVERTED)} chapter(s) x 2 submissions: {seconds:.0f} s")
    return course, scores


def autograded(course: Path, chapter: Chapter, student: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "autograded" / student / assignment(chapter) / chapter.file, as_version=4)


def one_line_failure(cell: nbformat.NotebookNode) -> str:
    """The message of a check cell that failed as it should: one ExerciseNotDone error, one line shown."""
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, f"expected one error output, got {cell.outputs}"
    error = errors[0]
    assert error.ename == "ExerciseNotDone", f"{error.ename}: {error.evalue}"
    assert len(error.traceback) == 1 and "\n" not in error.evalue, error.traceback
    return error.evalue


@pytest.mark.parametrize("chapter", CONVERTED, ids=[c.number for c in CONVERTED])
def test_no_solution_line_leaks_into_the_student_edition(assignments, chapter):
    course, student = assignments
    source = nbformat.read(course / "source" / assignment(chapter) / chapter.file, as_version=4)
    released = nbformat.read(student / assignment(chapter) / chapter.file, as_version=4)
    assert leaked_lines(source, released) == []
    text = "\n".join(c.source for c in released.cells)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert all(not c.get("outputs") for c in released.cells)


@pytest.mark.parametrize("chapter", CONVERTED, ids=[c.number for c in CONVERTED])
def test_every_check_fails_with_one_line_on_the_untouched_notebook(graded, chapter):
    course, _ = graded
    nb = autograded(course, chapter, "untouched")
    tasks, _ = exercises(nb)
    checked = [(t.number, nb.cells[k]) for t in tasks for k in t.checks]
    assert checked
    for n, cell in checked:
        message = one_line_failure(cell)
        assert message.startswith(f"Exercise {n}: ") and "correct." not in message, message


@pytest.mark.parametrize("chapter", CONVERTED, ids=[c.number for c in CONVERTED])
def test_each_check_rejects_each_wrong_answer(graded, chapter):
    course, _ = graded
    wrong = wrong_answers(chapter)
    tasks, _ = exercises(nbformat.read(NOTEBOOKS / chapter.file, as_version=4))
    missing = [t.number for t in tasks if t.checks and not wrong.get(t.number)]
    assert not missing, f"no wrong answer in tests/wrong_answers/{assignment(chapter)}.py for exercise(s) {missing}"
    cells = autograded(course, chapter, "solutions").cells

    def rejected(probe: str, n: int, j: int, fragment: str) -> bool:
        probes = [c for c in cells if c.source.startswith(probe.format(n=n, j=j) + "\n")]
        assert probes, f"exercise {n} has no check cell to run wrong answer {j} against"
        failed = [c for c in probes if any(o.output_type == "error" for o in c.outputs)]
        return any(m.startswith(f"Exercise {n}: ") and fragment in m for m in map(one_line_failure, failed))

    for n, answers in wrong.items():
        for j, (code, fragment) in enumerate(answers, 1):
            assert rejected(PROBE, n, j, fragment), f"exercise {n}, wrong answer {code!r}: the graded check " \
                                                    f"does not fail with {fragment!r}"
        assert any(rejected(VISIBLE_PROBE, n, j, fragment) for j, (_, fragment) in enumerate(answers, 1)), \
            f"exercise {n}: the check a student can run rejects none of its wrong answers"


@pytest.mark.parametrize("chapter", CONVERTED, ids=[c.number for c in CONVERTED])
def test_autograde_gives_the_solutions_full_marks_and_the_untouched_notebook_zero(graded, chapter):
    course, scores = graded
    solutions, untouched = scores[chapter.file, "solutions"], scores[chapter.file, "untouched"]
    checks = {g: v for g, v in solutions.items() if "-check" in g}
    assert checks and all(score == most > 0 for score, most in checks.values()), checks
    assert all(score == 0 for score, _ in untouched.values()), untouched
    nb = autograded(course, chapter, "solutions")
    outputs = ["".join(o.get("text", "") for o in c.outputs) for c in nb.cells if "-check" in (grade_id(c) or "")]
    assert outputs and all(out.startswith("Exercise ") and out.endswith(": correct.\n") for out in outputs), outputs
