"""Helpers for the teaching-kit tests: where the notebooks are, and small course-shaped notebooks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat

from course_utils.chapters import CHAPTERS, Chapter

ROOT = Path(__file__).resolve().parent.parent
#: The course notebooks; KIT_NOTEBOOKS points the kit tests at another folder (to try the tools out).
NOTEBOOKS = Path(os.environ.get("KIT_NOTEBOOKS", ROOT / "notebooks"))
PYTHON = sys.executable


def chapter_notebook(chapter: Chapter, exercises: int = 2) -> nbformat.NotebookNode:
    """A small notebook shaped like a course chapter: header, setup, a section with maths, a figure
    output, a summary and ``exercises`` exercises as nbgrader tasks: prompt, answer cell with a solution region,
    check cell with a hidden test (no navigation and no nbgrader metadata yet: ``tools.nav`` writes them)."""
    v4 = nbformat.v4
    png = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")
    cells = [
        v4.new_markdown_cell(f"# {chapter.number} · {chapter.title}\n\nA short intro to {chapter.title}.\n\n"
                             "## Learning objectives\n\n- compute $\\sigma(x) = 1/(1+e^{-x})$\n- plot it",
                             metadata={"tags": ["header"]}),
        v4.new_code_cell("x = 2 + 2", execution_count=1),
        v4.new_markdown_cell("## Sigmoid\n\nThe sigmoid $\\sigma(x)$ squashes logits:\n\n"
                             "$$\\sigma(x) = \\frac{1}{1 + e^{-x}}$$"),
        v4.new_markdown_cell("### Its derivative\n\n$\\sigma' = \\sigma(1 - \\sigma)$"),
        v4.new_code_cell("print(x)", execution_count=2, outputs=[v4.new_output("stream", name="stdout", text="4\n")]),
        v4.new_code_cell("plt.show()", execution_count=3, outputs=[
            v4.new_output("display_data", data={"image/png": png, "text/plain": "[figure: a dot]"})]),
        v4.new_markdown_cell("# Part 2\n\nA top-level part heading."),
        v4.new_markdown_cell("## Summary\n\nSigmoid maps to (0, 1)."),
        v4.new_markdown_cell("## Exercises"),
    ]
    count = 4
    for k in range(1, exercises + 1):
        cells.append(v4.new_markdown_cell(f"**Exercise {k}.** Double {k} and store it in `y{k}`: {2 * k}."))
        cells.append(v4.new_code_cell(f"### BEGIN SOLUTION\ny{k} = {k} * 2\n### END SOLUTION", execution_count=count,
                                      metadata={"tags": ["solution"]}))
        imports = "from course_utils.exercises import exercise\n\n" if k == 1 else ""
        cells.append(v4.new_code_cell(
            f"{imports}with exercise({k}) as ex:\n    ex.check(y{k} == {2 * k}, 'y{k} is not twice {k}')\n"
            f"    ### BEGIN HIDDEN TESTS\n    ex.check(y{k} - {k} == {k}, 'y{k} minus {k} is not {k}')\n"
            "    ### END HIDDEN TESTS", execution_count=count + 1, metadata={"tags": ["check"]},
            outputs=[v4.new_output("stream", name="stdout", text=f"Exercise {k}: correct.\n")]))
        count += 2
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write_course(folder: Path, exercises: int = 2) -> list[Path]:
    """Write one small notebook per chapter of the course map into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in CHAPTERS:
        path = folder / c.file
        nbformat.write(chapter_notebook(c, exercises), path)
        paths.append(path)
    return paths
