"""GLOSSARY.md: every term it lists appears in the notebook it names as the one introducing it."""

from __future__ import annotations

import re

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, ROOT

from course_utils.chapters import CHAPTERS
from tools.prerequisites import mentions, term  # the prerequisite check reads the glossary the same way

GLOSSARY = ROOT / "GLOSSARY.md"
ROW = re.compile(r"^\|(?P<en>[^|]+)\|(?P<zh>[^|]+)\|\s*\[(?P<label>[^\]]+)\]\((?P<link>[^)]+)\)\s*\|$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def rows() -> list[dict[str, str]]:
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    table = [ln for ln in lines if ln.startswith("|") and not re.match(r"^\|\s*-", ln)][1:]  # skip the header
    parsed = []
    for ln in table:
        m = ROW.match(ln.strip())
        assert m, f"malformed glossary row (want | English | 中文 | [NN · Title](notebooks/NN_x.ipynb) |): {ln}"
        parsed.append({k: v.strip() for k, v in m.groupdict().items()})
    return parsed


def test_mentions_matches_whole_words_only():
    assert mentions("a ReLU and an ELU", "ELU") and not mentions("a ReLU and a GELU", "ELU")
    assert mentions("two outliers", "outlier") and mentions("`nn.Linear(2, 2)`", "nn.Linear")
    assert not mentions("entropy", "cross-entropy")


def notebook_text(file: str) -> str:
    nb = nbformat.read(NOTEBOOKS / file, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type in ("markdown", "code")).lower()


def test_glossary_is_a_well_formed_table_without_duplicates():
    table = rows()
    assert len(table) >= 40
    english = [term(r["en"]).lower() for r in table]
    assert len(english) == len(set(english)), "a term is listed twice"
    for r in table:
        assert CJK.search(r["zh"]), f"{r['en']}: no Chinese name"


def test_every_term_links_to_a_course_notebook_with_its_title():
    by_link = {f"notebooks/{c.file}": f"{c.number} · {c.title}" for c in CHAPTERS}
    for r in rows():
        assert r["link"] in by_link, f"{r['en']}: {r['link']} is not a course notebook"
        assert r["label"] == by_link[r["link"]], f"{r['en']}: link text {r['label']!r} is stale"
        assert (ROOT / r["link"]).is_file()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_terms_appear_in_the_notebook_that_introduces_them(chapter):
    text = notebook_text(chapter.file)
    mine = [r for r in rows() if r["link"] == f"notebooks/{chapter.file}"]
    missing = [term(r["en"]) for r in mine if not mentions(text, term(r["en"]))]
    assert missing == [], f"{chapter.file} does not mention: {missing}"


def test_every_chapter_after_the_first_introduces_terms():
    linked = {r["link"] for r in rows()}
    assert {f"notebooks/{c.file}" for c in CHAPTERS[1:]} <= linked
