"""The notebooks' figures stay within their size budget.

Figures are stored as "retina" PNGs (twice the pixels of their display size, so they are sharp on HiDPI
screens in Jupyter, the book and the slides). That doubles their bytes; the budget keeps the repository,
the book and a Colab download small: at most 1 MB of PNG per notebook and 5 MB for the whole course
(raised from 4 MB when the course grew to twelve lessons and about fifty figures; the per-notebook limit
is what keeps each download small).
"""

from __future__ import annotations

import base64

import nbformat
from kit_helpers import NOTEBOOKS

from course_utils.chapters import CHAPTERS

PER_NOTEBOOK = 1_000_000
COURSE = 5_000_000


def png_bytes(chapter) -> int:
    nb = nbformat.read(NOTEBOOKS / chapter.file, as_version=4)
    return sum(len(base64.b64decode(o["data"]["image/png"]))
               for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {}))


def test_figures_fit_the_budget():
    sizes = {c.file: png_bytes(c) for c in CHAPTERS}
    over = {name: size for name, size in sizes.items() if size > PER_NOTEBOOK}
    assert not over, f"figures over {PER_NOTEBOOK:,} bytes of PNG: {over}; use fewer or smaller figures"
    assert sum(sizes.values()) <= COURSE, f"the course's figures take {sum(sizes.values()):,} bytes (budget {COURSE:,})"
