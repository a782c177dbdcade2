"""Build the student edition: every notebook without its solution cells, with outputs cleared and an
empty code cell under each exercise prompt for the answer.

    python -m tools.build_student [--out build/student]

Uses nbconvert's TagRemovePreprocessor (drops cells tagged ``solution``) and ClearOutputPreprocessor
(drops outputs and execution counts). The exercise prompts, the header and the footer stay. Each result
is validated against the nbformat schema before it is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

from tools.kitlib import (
    BUILD,
    NOTEBOOKS,
    SOLUTION_TAG,
    KitError,
    build_parser,
    chapter_notebooks,
    exercise_prompts,
    read_notebook,
    run_build,
    source_lines,
    tags,
)

ANSWER_TAG = "answer"


def student_edition(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solution cells, outputs or execution counts, with an empty code cell
    (tagged ``answer``) under each exercise prompt."""
    prompts = set(exercise_prompts(nb))
    remove = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True)
    clear = ClearOutputPreprocessor(enabled=True)
    resources: dict = {}
    nb, resources = remove.preprocess(nbformat.from_dict(nb), resources)
    nb, resources = clear.preprocess(nb, resources)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "markdown" and "\n".join(source_lines(cell)) in prompts:
            cells.append(nbformat.v4.new_code_cell("", metadata={"tags": [ANSWER_TAG]}))
    nb.cells = cells
    return nb


def build(notebooks_dir: Path = NOTEBOOKS, out: Path = BUILD / "student") -> list[Path]:
    """Write the student edition of every course notebook into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter, path in chapter_notebooks(notebooks_dir):
        nb = read_notebook(path)
        prompts = exercise_prompts(nb)
        student = student_edition(nb)
        if any(SOLUTION_TAG in tags(c) for c in student.cells):
            raise KitError(f"{path.name}: a solution cell survived the tag preprocessor")
        kept = {"\n".join(source_lines(c)) for c in student.cells}
        missing = [p for p in prompts if p not in kept]
        if missing:
            raise KitError(f"{path.name}: exercise prompt lost in the student edition: {missing[0][:60]!r}")
        nbformat.validate(student)
        target = out / chapter.file
        nbformat.write(student, target)
        written.append(target)
        answers = sum(ANSWER_TAG in tags(c) for c in student.cells)
        if answers != len(prompts):
            raise KitError(f"{path.name}: {answers} answer cell(s) for {len(prompts)} exercise prompt(s)")
        print(f"{chapter.file}: {sum(SOLUTION_TAG in tags(c) for c in nb.cells)} solution cell(s) removed, "
              f"{len(prompts)} exercise prompt(s) kept, each with an empty answer cell")
    return written


def main(argv: list[str] | None = None) -> int:
    args = build_parser(__doc__, "student").parse_args(argv)
    return run_build(build, args, "student edition", "notebooks")


if __name__ == "__main__":
    sys.exit(main())
