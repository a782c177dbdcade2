"""Small tables for notebooks: rendered Markdown in Jupyter, aligned plain text in the stored output.

``show_table(header, rows)`` displays one table. Floats are formatted with ``fmt`` (12 decimals by
default), everything else with ``str``; the plain-text form is what nbval compares.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["format_table", "show_table"]


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]], fmt: str = ".12f") -> tuple[str, str]:
    """The table as (Markdown, aligned plain text); floats use ``fmt``, other values ``str``."""
    if not header:
        raise ValueError("header is empty: pass one column name per column, e.g. ['name', 'value'].")
    cells = [[format(v, fmt) if isinstance(v, float) else str(v) for v in row] for row in rows]
    for i, row in enumerate(cells):
        if len(row) != len(header):
            raise ValueError(f"row {i} has {len(row)} values but the header has {len(header)} columns: "
                             "give every row one value per column.")
    header = [str(h) for h in header]
    markdown = "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                         + ["| " + " | ".join(row) + " |" for row in cells])
    widths = [max(map(len, column)) for column in zip(header, *cells, strict=True)]
    text = "\n".join("  ".join(s.rjust(w) for s, w in zip(row, widths, strict=True)) for row in [header, *cells])
    return markdown, text


def show_table(header: Sequence[str], rows: Sequence[Sequence[object]], fmt: str = ".12f") -> None:
    """Display the table: Markdown where it renders (Jupyter), aligned plain text elsewhere."""
    from IPython.display import display

    markdown, text = format_table(header, rows, fmt)
    display({"text/markdown": markdown, "text/plain": text}, raw=True)
