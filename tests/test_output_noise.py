"""Compared notebook outputs print no rounding noise, so they are the same on every correct machine.

nbval compares every output of a cell not tagged ``nbval-ignore-output`` exactly. A value that is zero up
to rounding differs between CPUs and libraries (``1.4e-17`` here, ``-2.8e-17`` there; ``-0.0000`` or
``0.0000``), so a compared output must print it as zero or assert its bound instead. This test reads the
text of every compared output and fails, naming notebook and cell, on a number in scientific notation
whose absolute value is below 1e-9 (and not zero) or on a negative zero. A bare power of ten such as
``1e-12`` is a stated tolerance ("agree to 1e-12"), not a computed value, and passes.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"
TEXT_TYPES = ("text/plain", "text/markdown", "text/latex", "text/html")
#: (notebook file, cell id) -> why that cell's point is a tiny number or a signed zero. Empty: no cell needs it.
ALLOWED: dict[tuple[str, str], str] = {
    ("02_activations.ipynb", "d2267084"): "the softmax Jacobian's entries -p_i p_k of a peaked row are truly "
    "of order 1e-10, computed to full relative precision; showing that spread is the cell's point",
    ("03_deep_networks.ipynb", "ea466dbd"): "the gradient reaching the first of 29 sigmoid layers really is about "
    "1e-19 (a product of 28 factors near 0.23, in float64): the vanishing gradient the cell is about",
    ("06_entropy_kl_cross_entropy.ipynb", "4a7126c0"): "the likelihood of 20 labels is a product of 20 "
    "probabilities, truly about 2e-12 (float64, full relative precision): why one takes its logarithm",
}

SCIENTIFIC = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+(?![\w.])")
NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(?:\.0*)?(?:[eE][-+]?\d+)?(?![\d.])")
TOLERANCE = re.compile(r"1[eE]-\d+")
TINY = 1e-9


def compared_texts(nb: nbformat.NotebookNode):
    """(cell index, cell id, text) of every output nbval compares."""
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or IGNORE_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                yield k, cell.get("id", ""), out.text
            elif out.output_type in ("execute_result", "display_data"):
                for mime in TEXT_TYPES:
                    if mime in out.get("data", {}):
                        yield k, cell.get("id", ""), out.data[mime]


def noise(text: str) -> list[str]:
    """The noisy numbers in ``text``: tiny non-zero values in scientific notation, and negative zeros."""
    found = [m.group() for m in SCIENTIFIC.finditer(text)
             if 0 < abs(float(m.group())) < TINY and not TOLERANCE.fullmatch(m.group())]
    return found + [m.group() for m in NEGATIVE_ZERO.finditer(text)]


@pytest.mark.parametrize("text,expected", [
    ("grad 1.4e-17 and -2.8e-17", ["1.4e-17", "-2.8e-17"]),
    ("min eigenvalue -1.3e-16", ["-1.3e-16"]),
    ("loss -0.0000 then -0. and -0", ["-0.0000", "-0.", "-0"]),
    ("lr 1e-3, eps 1e-8, agree to 1e-12, but 1.0e-12 and 2e-12 are values", ["1.0e-12", "2e-12"]),
    ("0.0e+00 -0.05 1-0 x=-0.5 v2.0e-10b 3.5e-16", ["3.5e-16"]),
    ("tensor([ 0.5000, -0.0000,  1.0000])", ["-0.0000"]),
])
def test_the_scan_finds_noise_and_nothing_else(text, expected):
    assert noise(text) == expected


def test_the_scan_reads_outputs():
    assert NOTEBOOKS, "no notebook found"
    assert sum(1 for path in NOTEBOOKS for _ in compared_texts(nbformat.read(path, as_version=4))) > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_compared_outputs_print_no_rounding_noise(path):
    nb = nbformat.read(path, as_version=4)
    problems = []
    for k, cell_id, text in compared_texts(nb):
        found = noise(text)
        if found and (path.name, cell_id) not in ALLOWED:
            problems.append(f"{path.name} cell {k} (id {cell_id}): {', '.join(found)}")
    assert not problems, ("rounding noise in compared outputs (print zero as zero, or assert the bound and "
                          "print nothing):\n" + "\n".join(problems))


def test_every_allow_list_entry_names_a_real_cell_and_a_reason():
    for (name, cell_id), reason in ALLOWED.items():
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        assert cell_id in {c.get("id") for c in nb.cells}, f"{name}: no cell {cell_id}"
        assert len(reason.split()) >= 4, f"{name} {cell_id}: say why the cell prints such a number"
