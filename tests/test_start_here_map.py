"""Lesson 00's stored course map is the current one: its table is what map_table() gives now and its
total is the sum of the lessons' class minutes, so a lesson re-run after 00 (which changes its minutes
or seconds) fails here until 00 is re-run last."""

from __future__ import annotations

import copy

import nbformat
from kit_helpers import NOTEBOOKS

from course_utils.chapters import CHAPTERS, LESSONS, facts, machines, map_table

START = NOTEBOOKS / "00_start_here.ipynb"


def stale_map(nb: nbformat.NotebookNode) -> list[str]:
    """What in 00's stored map cell differs from the map computed now (empty when nothing does)."""
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and "map_table(" in c.source]
    shown = [o["data"]["text/markdown"] for o in cell.outputs if "text/markdown" in o.get("data", {})]
    printed = "".join(o["text"] for o in cell.outputs if o.get("output_type") == "stream")
    minutes = [facts(c)["class_minutes"] for c in LESSONS if facts(c) and "class_minutes" in facts(c)]
    total = (f"{len(LESSONS)} lessons and {len(CHAPTERS) - len(LESSONS)} appendix; estimated class time of the "
             f"{len(minutes)} lessons counted: {sum(minutes)} minutes\n")
    where = f"CPU runs measured on: {'; '.join(machines()) or 'no machine yet'}\n"
    problems = []
    if shown != [map_table(this=START.name)]:
        problems.append("the stored map table is not map_table()'s")
    if printed != total + where:
        problems.append(f"the stored total is {printed!r}, the map's is {total + where!r}")
    return problems


def test_the_stored_course_map_of_lesson_00_is_current():
    problems = stale_map(nbformat.read(START, as_version=4))
    assert problems == [], ("00_start_here.ipynb shows a stale course map (" + "; ".join(problems)
                            + "): re-run it last with python -m tools.run_notebook notebooks/00_start_here.ipynb")


def test_a_stale_row_or_total_is_caught():
    nb = nbformat.read(START, as_version=4)
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and "map_table(" in c.source]
    minutes = sum(facts(c)["class_minutes"] for c in LESSONS)
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/markdown": map_table(this=START.name),
                                                            "text/plain": "<IPython.core.display.Markdown object>"}),
                    nbformat.v4.new_output("stream", name="stdout", text=(
                        f"{len(LESSONS)} lessons and 1 appendix; estimated class time of the {len(LESSONS)} "
                        f"lessons counted: {minutes} minutes\nCPU runs measured on: {'; '.join(machines())}\n"))]
    assert stale_map(nb) == []                                         # as a fresh run of 00 writes it
    for change in ("table", "total"):
        stale = copy.deepcopy(nb)
        (c,) = [c for c in stale.cells if c.get("id") == cell.get("id")]
        table, stream = c.outputs
        if change == "table":   # one lesson's minutes as an earlier run of it had them
            table["data"]["text/markdown"] = table["data"]["text/markdown"].replace(" min |", "5 min |", 1)
        else:
            stream["text"] = stream["text"].replace(f"{minutes} minutes", f"{minutes - 15} minutes")
        assert len(stale_map(stale)) == 1, change
