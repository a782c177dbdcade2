"""Tests for course_utils.tables."""

import pytest

from course_utils.tables import format_table, show_table


def test_floats_use_fmt_and_columns_align():
    markdown, text = format_table(["name", "value"], [["a", 0.5], ["long name", 12.25]], fmt=".2f")
    assert markdown.splitlines() == ["| name | value |", "|---|---|", "| a | 0.50 |", "| long name | 12.25 |"]
    assert text.splitlines() == ["     name  value", "        a   0.50", "long name  12.25"]


def test_non_floats_use_str():
    _, text = format_table(["k", "n"], [[1, "x"]])
    assert text.splitlines()[1] == "1  x"


def test_ragged_row_is_refused():
    with pytest.raises(ValueError, match="row 1 has 1 values but the header has 2 columns"):
        format_table(["a", "b"], [[1, 2], [3]])


def test_empty_header_is_refused():
    with pytest.raises(ValueError, match="header is empty"):
        format_table([], [])


def test_show_table_displays_both_forms(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append((obj, raw)))
    show_table(["a"], [[1.0]], fmt=".1f")
    assert shown == [({"text/markdown": "| a |\n|---|\n| 1.0 |", "text/plain": "  a\n1.0"}, True)]
