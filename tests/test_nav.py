"""tools.nav: headers, install cells, kernels and footers stay in sync with the course map."""

from __future__ import annotations

import dataclasses
import subprocess

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, PYTHON, ROOT, write_course

from course_utils import chapters
from course_utils.chapters import CHAPTERS, chapter, colab_url
from tools import install_cell, nav, slide_types
from tools.checks import check


@pytest.fixture
def course(tmp_path):
    """A small generated course, synced by nav.py."""
    write_course(tmp_path)
    changed, problems = nav.sync(tmp_path)
    assert problems == []
    assert len(changed) == len(CHAPTERS)
    return tmp_path


def edit(path, fn):
    nb = nbformat.read(path, as_version=4)
    fn(nb)
    nbformat.write(nb, path)


def test_check_passes_on_the_real_notebooks():
    proc = subprocess.run([PYTHON, "-m", "tools.nav", "--check", "--notebooks", str(NOTEBOOKS)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_unsynced_notebooks_fail_the_check(tmp_path):
    write_course(tmp_path)
    problems = check(tmp_path)
    assert any("no generated navigation block" in p for p in problems)
    assert any("not the generated footer" in p for p in problems)
    assert any("install cell" in p and "missing" in p for p in problems)
    assert any("the kernel is not 'Python (DL foundations)'" in p for p in problems)


def test_sync_then_check_is_clean_and_sync_is_idempotent(course):
    assert check(course) == []
    before = {p.name: p.read_bytes() for p in course.glob("*.ipynb")}
    assert nav.sync(course) == ([], [])
    assert before == {p.name: p.read_bytes() for p in course.glob("*.ipynb")}


def test_header_and_footer_content(course):
    nb = nbformat.read(course / CHAPTERS[1].file, as_version=4)
    head, foot = nb.cells[0].source, nb.cells[-1].source
    assert head.splitlines()[0] == f"# {CHAPTERS[1].number} · {CHAPTERS[1].title}"
    assert colab_url(CHAPTERS[1]) in head and "colab-badge.svg" in head
    assert "**Class time:** about" in head and "**CPU run:** not measured yet" in head
    assert f"]({CHAPTERS[0].file})" in foot and f"]({CHAPTERS[2].file})" in foot
    assert nb.cells[-1].metadata.tags == ["footer"]
    first = nbformat.read(course / CHAPTERS[0].file, as_version=4).cells[-1].source
    assert "Previous" not in first and CHAPTERS[1].file in first
    last = nbformat.read(course / CHAPTERS[-1].file, as_version=4).cells[-1].source
    assert "Next" not in last and CHAPTERS[-2].file in last


def test_slide_types_are_computed_from_the_cells(course):
    nb = nbformat.read(course / CHAPTERS[1].file, as_version=4)
    kinds = {c.source.splitlines()[0] if c.source else "": slide_types.slide_type(c) for c in nb.cells}
    assert kinds["## Sigmoid"] == "slide"
    assert kinds["### Its derivative"] == "slide"  # one flat sequence: → alone visits every slide
    assert kinds["# Part 2"] == "slide"
    assert kinds["print(x)"] == "-"
    assert slide_types.slide_type(nb.cells[0]) == "slide"
    assert slide_types.slide_type(nb.cells[-1]) == "skip"
    assert {slide_types.slide_type(c) for c in nb.cells if "solution" in c.metadata.get("tags", [])} == {"skip"}
    assert not any("slideshow" in c.metadata for c in nb.cells), "sync stores no slide metadata"


def test_sync_removes_stored_slide_metadata(course):
    path = course / CHAPTERS[1].file
    edit(path, lambda nb: nb.cells[2].metadata.update(slideshow={"slide_type": "slide"}))
    assert check(course) == []  # slide metadata is no longer checked: it is ignored
    assert nav.sync(course) == ([path.name], [])
    assert "slideshow" not in nbformat.read(path, as_version=4).cells[2].metadata


def test_install_cell_is_second_and_names_the_course_map_repository(course):
    nb = nbformat.read(course / CHAPTERS[2].file, as_version=4)
    cell = nb.cells[1]
    assert cell.cell_type == "code" and cell.metadata.tags == ["install"]
    assert f"git+https://github.com/{chapters.REPOSITORY}@{chapters.BRANCH}" in cell.source
    assert "COURSE_INSTALL_SOURCE" in cell.source and "Python (DL foundations)" in cell.source
    assert nb.cells[2].source == "x = 2 + 2"  # the setup cell follows
    assert nb.metadata.kernelspec == {"name": "dl-foundations", "display_name": "Python (DL foundations)",
                                      "language": "python"}


def test_every_real_notebook_has_the_install_cell_of_the_course_map():
    source = install_cell.install_source()
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[1].source == source, f"{path.name}: stale install cell: run python -m tools.nav"


def test_a_stale_or_moved_install_cell_fails_and_sync_fixes_it(course):
    path = course / CHAPTERS[1].file

    def stale(nb):
        nb.cells[1].source = nb.cells[1].source.replace(chapters.REPOSITORY, "someone/else")

    edit(path, stale)
    assert check(course) == [f"{path.name}: stale install cell: its text differs from what python -m tools.nav writes"]
    assert any("stale install cell" in p for p in check(course, CHAPTERS, repository="a/b"))
    edit(path, lambda nb: nb.cells.insert(3, nb.cells.pop(1)))
    assert any("must be cell 1" in p for p in check(course))
    assert nav.sync(course) == ([path.name], [])
    assert check(course) == []
    nb = nbformat.read(path, as_version=4)
    assert [k for k, c in enumerate(nb.cells) if "install" in c.metadata.get("tags", [])] == [1]


def test_an_install_cell_with_outputs_fails(course):
    path = course / CHAPTERS[1].file
    edit(path, lambda nb: nb.cells[1].outputs.append(nbformat.v4.new_output("stream", name="stdout", text="hi\n")))
    assert check(course) == [f"{path.name}: the install cell has stored outputs: re-execute the notebook "
                             "in the course environment"]


def test_a_link_that_points_nowhere_fails(course):
    path = course / CHAPTERS[2].file
    edit(path, lambda nb: nb.cells.insert(2, nbformat.v4.new_markdown_cell(
        "See [the missing chapter](09_missing.ipynb#top), [the web](https://example.org) and [here](#Summary).")))
    assert check(course) == [f"{path.name}: link points nowhere: 09_missing.ipynb#top"]
    proc = subprocess.run([PYTHON, "-m", "tools.nav", "--check", "--notebooks", str(course)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.strip().splitlines() == [f"{path.name}: link points nowhere: 09_missing.ipynb#top"]


def test_a_stale_title_fails_and_sync_fixes_it(course):
    path = course / CHAPTERS[3].file

    def rename(nb):
        nb.cells[0].source = nb.cells[0].source.replace(CHAPTERS[3].title, "An old title", 1)

    edit(path, rename)
    assert any("stale header title '# 03 · An old title'" in p for p in check(course))
    assert nav.sync(course) == ([path.name], [])
    assert check(course) == []


def test_a_changed_course_map_makes_headers_and_footers_stale(course):
    slower = tuple(dataclasses.replace(c, needs=c.needs + " and more") if c.number == "05" else c
                   for c in CHAPTERS)
    assert check(course, slower) == [f"{chapter('05').file}: stale navigation block in the header "
                                         "(badge, runtime or links)"]
    assert any("stale navigation block" in p for p in check(course, CHAPTERS, repository="someone/else"))
    without_02 = tuple(c for c in CHAPTERS if c.number != "02")
    problems = check(course, without_02)
    assert f"{CHAPTERS[2].file}: not in the course map (course_utils/chapters.py)" in problems
    assert f"{CHAPTERS[1].file}: stale footer: previous/next links differ from the course map" in problems


def test_a_header_without_objectives_or_a_missing_notebook_fails(course):
    path = course / CHAPTERS[5].file

    def strip(nb):
        nb.cells[0].source = nb.cells[0].source.split("## Learning objectives")[0]

    edit(path, strip)
    (course / CHAPTERS[0].file).unlink()
    problems = check(course)
    assert f"{path.name}: the header has no '## Learning objectives' section" in problems
    assert f"{CHAPTERS[0].file}: missing (the course map lists it)" in problems
    assert any(p.endswith("link points nowhere: 00_start_here.ipynb") for p in problems)


def test_sync_refuses_a_notebook_without_a_header(course):
    path = course / CHAPTERS[1].file
    edit(path, lambda nb: nb.cells.pop(0))
    changed, problems = nav.sync(course)
    assert changed == []
    assert problems == [f"{path.name}: the first cell is not the markdown header ('# NN · Title', intro, "
                        "'## Learning objectives'): the chapter's author writes it"]


def test_a_header_without_an_intro_fails(course):
    path = course / CHAPTERS[2].file

    def drop_intro(nb):
        nb.cells[0].source = nb.cells[0].source.replace(f"A short intro to {CHAPTERS[2].title}.", "")

    edit(path, drop_intro)
    assert check(course) == [f"{path.name}: the header has no intro paragraph before '## Learning objectives'"]
