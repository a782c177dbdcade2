"""Reading notebook cells: their source as lines and their tags."""

from __future__ import annotations

import nbformat


def source_lines(cell: nbformat.NotebookNode) -> list[str]:
    """A cell's source as a list of lines (nbformat may hold it as one string or a list)."""
    src = cell.get("source", "")
    return ("".join(src) if isinstance(src, list) else src).splitlines()


def tags(cell: nbformat.NotebookNode) -> list[str]:
    """A cell's tags (empty when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))
