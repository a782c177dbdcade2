"""Where slides start: the reveal.js slide type of a notebook cell, computed from the cell itself.

The slides builder calls :func:`slide_type` for every cell when it builds a deck; nothing is stored in
the notebooks. The header and each ``# ``/``## `` heading start a slide, each ``### `` heading a
sub-slide, solutions and the footer are skipped, everything else continues the current slide (``-``).
"""

from __future__ import annotations

import nbformat

from tools.cells import source_lines, tags

HEADER_TAG = "header"
FOOTER_TAG = "footer"
SOLUTION_TAG = "solution"


def slide_type(cell: nbformat.NotebookNode) -> str:
    """The reveal.js slide type of ``cell``: ``"slide"``, ``"subslide"``, ``"skip"`` or ``"-"``."""
    cell_tags = tags(cell)
    if HEADER_TAG in cell_tags:
        return "slide"
    if FOOTER_TAG in cell_tags or SOLUTION_TAG in cell_tags:
        return "skip"
    if cell.cell_type == "markdown":
        first = next((ln for ln in source_lines(cell) if ln.strip()), "")
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"
