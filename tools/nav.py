"""Keep every notebook's generated parts in sync with the course map, or check that they are.

    python -m tools.nav            # sync: rewrite what is stale, print one line per notebook changed
    python -m tools.nav --check    # check only: exit 1 with one line per problem

What is generated is described in :mod:`tools.navigation` (header block, install cell, kernel, footer, the
exercises' nbgrader metadata); what is checked in :mod:`tools.checks` (also relative links that point at no
file, notebooks missing from or absent in the course map, a header without intro or objectives, and the
exercise convention of :mod:`tools.exercise_tasks`).
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

from course_utils.chapters import CHAPTERS, REPOSITORY, Chapter
from tools.checks import check, course_map_problems
from tools.lesson_facts import FACTS, load
from tools.navigation import NOTEBOOKS, README, facts_file, readme_with_map, sync_notebook


def sync(notebooks_dir: Path = NOTEBOOKS, chapters: Sequence[Chapter] = CHAPTERS,
         repository: str = REPOSITORY) -> tuple[list[str], list[str]]:
    """Rewrite stale notebooks; return (names of the files changed, problems that sync cannot fix)."""
    problems, present = course_map_problems(notebooks_dir, chapters)
    changed = []
    for i in present:
        path = notebooks_dir / chapters[i].file
        nb = nbformat.read(path, as_version=4)
        before = copy.deepcopy(nb)
        try:
            sync_notebook(nb, chapters, i, repository, facts_file(notebooks_dir))
        except ValueError as e:
            problems.append(f"{path.name}: {e}")
            continue
        if nb != before:
            nbformat.write(nb, path)
            changed.append(path.name)
    if notebooks_dir.resolve() == NOTEBOOKS.resolve() and README.is_file():
        text = README.read_text(encoding="utf-8")
        try:
            new = readme_with_map(text, chapters, load(FACTS))
        except ValueError as e:
            problems.append(str(e))
        else:
            if new != text:
                README.write_text(new, encoding="utf-8")
                changed.append(README.name)
    return changed, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="notebook folder (default notebooks/)")
    args = parser.parse_args(argv)
    if not args.notebooks.is_dir():
        print(f"error: {args.notebooks} is not a folder: pass the notebooks folder", file=sys.stderr)
        return 2
    if args.check:
        problems = check(args.notebooks)
        for p in problems:
            print(p)
        if not problems:
            print(f"navigation ok in {len(CHAPTERS)} notebooks")
        return 1 if problems else 0
    changed, problems = sync(args.notebooks)
    for name in changed:
        print(f"updated {name}")
    for p in problems:
        print(p)
    if not changed and not problems:
        print("navigation already in sync")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
