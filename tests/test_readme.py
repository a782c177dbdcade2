"""The README and the chapter map agree (tools.checks compares the map with the notebooks folder)."""

from pathlib import Path

from course_utils.chapters import CHAPTERS, chapter

ROOT = Path(__file__).resolve().parent.parent


def test_every_chapter_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [c.file for c in CHAPTERS if f"(notebooks/{c.file})" not in readme]
    assert not missing, f"README.md does not link {missing}: add them to its chapter table"


def test_chapter_lookup():
    assert chapter("08").file == "08_backprop_by_hand.ipynb"
    try:
        chapter("99")
    except KeyError as e:
        assert "the chapters are 00, 01" in str(e)
    else:
        raise AssertionError("chapter('99') should raise KeyError")
