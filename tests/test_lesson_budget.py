"""Every lesson fits a class: the lesson budget (tools.lesson_stats) and the facts the course map shows
(course_utils/lesson_facts.json) hold for the committed notebooks."""

from __future__ import annotations

import nbformat
import pytest
from kit_helpers import NOTEBOOKS
from lesson_allowlist import BUDGET

from course_utils.chapters import CHAPTERS, LESSONS, class_minutes, facts, format_seconds
from tools import lesson_facts, lesson_stats


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    for k, c in enumerate(nb.cells):
        c["id"] = f"c{k}"
    return nb


def test_the_budget_counts_prose_code_and_cells_before_the_summary():
    long = "\n".join(f"x{k} = {k}" for k in range(16))
    nb = _nb(nbformat.v4.new_markdown_cell("# 01 · T\n\nTwo words $a^2 + b^2$ [link](http://x.org)."),
             nbformat.v4.new_code_cell("print(1)\n\n", metadata={"tags": ["install"]}),
             nbformat.v4.new_code_cell(long),
             nbformat.v4.new_code_cell(long + "\n# a comment\ny = 1", metadata={"tags": ["lesson-code"]}),
             nbformat.v4.new_markdown_cell("## Summary\n\nMany words here that do not count."),
             nbformat.v4.new_code_cell("\n".join(["z = 0"] * 400)))
    s = lesson_stats.lesson_stats(nb)
    assert (s.cells, s.words, s.code_lines) == (4, 5, 34)  # the install cell's line counts, the comment does not
    assert s.long_cells == [("c2", 16)] and s.lesson_code == [("c3", 18)]  # a cell's length counts the comment
    assert s.problems() == ["code cell c2 has 16 lines (at most 15; tag it 'lesson-code' only if the code "
                            "itself is the lesson)"]


def test_the_budget_rejects_a_long_lesson():
    prose = nbformat.v4.new_markdown_cell(" ".join(["word"] * 2001))
    s = lesson_stats.lesson_stats(_nb(prose, *[nbformat.v4.new_code_cell("x = 1") for _ in range(40)]))
    assert s.problems() == ["2001 words of prose in the main text (budget 2000)",
                            "41 cells in the main text (budget 40)"]


def test_the_class_time_rule_is_calibrated_on_the_lesson_readers_called_one_class():
    assert class_minutes(1776, 316, 3) == 85  # the pre-plan entropy chapter, which reads called one lesson
    assert class_minutes(2000, 300, 10) == 100  # a lesson at the top of the budget, with ten figures
    assert class_minutes(0, 0, 0) == 5


def test_seconds_are_shown_as_a_reader_wants_them():
    assert [format_seconds(s) for s in (0.2, 7.4, 43, 118, 400)] == ["1 s", "7 s", "45 s", "120 s", "6.5 min"]


@pytest.mark.parametrize("lesson", LESSONS, ids=[c.number for c in LESSONS])
def test_every_lesson_is_within_the_budget(lesson):
    s = lesson_stats.read_stats(NOTEBOOKS / lesson.file)
    over = [p for kind, p in s.keyed_problems() if (lesson.file, kind) not in BUDGET]
    print(f"{lesson.file}: {s.cells} cells, {s.words} words, {s.code_lines} code lines, "
          f"{len(s.long_cells)} cells over 15 lines, {s.figures} figures")
    assert over == [], f"{lesson.file} is over the lesson budget: " + "; ".join(over)
    stale = [k for (f, k) in BUDGET if f == lesson.file and k not in dict(s.keyed_problems())]
    assert stale == [], f"{lesson.file}: budget allow-list entries that no longer occur (remove them): {stale}"


@pytest.mark.parametrize("c", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_the_map_facts_are_those_of_the_committed_notebook(c):
    nb = nbformat.read(NOTEBOOKS / c.file, as_version=4)
    fact = facts(c)
    assert fact is not None, f"{c.file} has no lesson facts: run python -m tools.run_notebook on it"
    assert {k: fact.get(k) for k in lesson_facts.COUNTED} == lesson_facts.counted(nb), \
        f"{c.file}: stale counts in lesson_facts.json: run python -m tools.nav"
    assert fact.get("source_sha") == lesson_facts.source_sha(nb), \
        f"{c.file}: its code changed after its last measured run: run python -m tools.run_notebook on it"
    assert fact["cpu_seconds"] > 0 and fact["machine"] and fact["measured"]
