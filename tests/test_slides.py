"""tools/slide_types.py: how a notebook becomes a presenter's deck (what each slide shows, what goes into
its speaker notes), checked without a browser; tests/test_browser.py measures the built decks."""

from __future__ import annotations

import re

import nbformat
import pytest
from kit_helpers import NOTEBOOKS, chapter_notebook

from course_utils.chapters import CHAPTERS
from tools import build_slides, slide_types

v4 = nbformat.v4
LONG_PROSE = " ".join(f"Sentence number {k} explains one more detail of the method at some length." for k in range(12))


def kinds(nb) -> list[str]:
    return [c.metadata.slideshow.slide_type for c in nb.cells]


def slides_of(nb) -> list[list]:
    """The deck's cells grouped by slide."""
    groups: list[list] = []
    for c in nb.cells:
        if c.metadata.slideshow.slide_type == "slide":
            groups.append([])
        groups[-1].append(c)
    return groups


def shown(cells) -> list:
    return [c for c in cells if c.metadata.slideshow.slide_type != "notes"]


def notes(cells) -> list:
    return [c for c in cells if c.metadata.slideshow.slide_type == "notes"]


def deck(*cells) -> nbformat.NotebookNode:
    header = v4.new_markdown_cell("# 99 · A lesson\n\nIts intro.", metadata={"tags": ["header"]})
    return build_slides.with_slides(v4.new_notebook(cells=[header, *cells]))


def test_slide_boundaries_are_computed_from_headings():
    nb = build_slides.with_slides(chapter_notebook(CHAPTERS[1]))
    starts = [c.source.splitlines()[0] for c in nb.cells if c.metadata.slideshow.slide_type == "slide"]
    assert starts == [f"# {CHAPTERS[1].number} · {CHAPTERS[1].title}", "## Learning objectives", "## Sigmoid",
                      "### Its derivative", "# Part 2", "## Summary", "## Exercises"]
    assert set(kinds(nb)) == {"slide", "-", "notes"}, "one flat sequence: no sub-slides, nothing skipped left in"
    assert slide_types.slide_type(chapter_notebook(CHAPTERS[1]).cells[3]) == "slide"  # ### starts a slide too


def test_slides_ignore_slide_metadata_stored_in_notebooks():
    nb = chapter_notebook(CHAPTERS[1])
    nb.cells[2].metadata["slideshow"] = {"slide_type": "skip"}
    sigmoid = [c for c in build_slides.with_slides(nb).cells if c.source.startswith("## Sigmoid")]
    assert [c.metadata.slideshow.slide_type for c in sigmoid] == ["slide"]


def test_a_slide_shows_the_first_sentence_and_the_notes_carry_the_rest():
    nb = deck(v4.new_markdown_cell(f"## Method\n\n{LONG_PROSE}\n\n$$a = b$$\n\nA second paragraph."))
    (title, method) = slides_of(nb)
    assert [c.source for c in shown(method)] == ["## Method", LONG_PROSE.split(". ")[0] + ".", "$$a = b$$"]
    (note,) = notes(method)
    assert note.source.startswith("Sentence number 1 explains") and note.source.endswith("A second paragraph.")


def test_a_long_first_sentence_is_clipped_at_a_clause_and_kept_whole_in_the_notes():
    sentence = "The loss, which the optimiser lowers over many epochs of training," + " grows with each wrong label" * 8
    nb = deck(v4.new_markdown_cell(f"## Loss\n\n{sentence}."))
    lead = shown(slides_of(nb)[1])[1].source
    assert lead == "The loss, which the optimiser lowers over many epochs of training …"  # the last clause kept
    assert notes(slides_of(nb)[1])[0].source == sentence + "."


def test_clip_never_cuts_maths_code_or_bold_open():
    text = "A **bold claim about $\\frac{a}{b} + c$ and `torch.nn.functional.softmax(x, dim=1)` " + "word " * 40
    cut, was_cut = slide_types.clip(text, 12)
    assert was_cut and cut.endswith(" …")
    assert "$\\frac{a}{b} + c$" in cut and "`torch.nn.functional.softmax(x, dim=1)`" in cut
    assert cut.count("**") % 2 == 0


def test_first_sentence_skips_abbreviations_and_maths():
    first, rest = slide_types.first_sentence("We use the mean, e.g. MSE, as in $x. Y$ here. Then more.")
    assert (first, rest) == ("We use the mean, e.g. MSE, as in $x. Y$ here.", "Then more.")


def test_lists_show_each_items_first_sentence():
    nb = deck(v4.new_markdown_cell("## Summary\n\n- One thing. With detail.\n- Two things\n  on two lines."))
    summary = slides_of(nb)[1]
    assert [c.source for c in shown(summary)] == ["## Summary", "- One thing.", "- Two things on two lines."]
    assert "With detail." in notes(summary)[0].source


def test_code_long_code_figures_and_long_outputs():
    png = chapter_notebook(CHAPTERS[1]).cells[5].outputs[0]
    one = v4.new_output("stream", name="stdout", text="1\n")
    short = v4.new_code_cell("print(1)", execution_count=1, outputs=[one])
    long_code = v4.new_code_cell("\n".join(f"x{k} = {k}" for k in range(30)), execution_count=2)
    figure = v4.new_code_cell("plt.plot(x)\nplt.show()", execution_count=3, outputs=[png])
    long_out = v4.new_code_cell("print(table)", execution_count=4,
                                outputs=[v4.new_output("stream", name="stdout", text="row\n" * 30)])
    nb = deck(v4.new_markdown_cell("## Code"), short, long_code, figure, long_out)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    placed = [(c.source.splitlines()[0], c.metadata.slideshow.slide_type, c.metadata.get("transient", {}).get(
        "remove_source", False), len(c.outputs)) for c in cells]
    assert placed == [("print(1)", "-", False, 1),  # short: on the slide with its output
                      ("x0 = 0", "notes", False, 0),  # long: in the notes
                      ("plt.plot(x)", "-", True, 1), ("plt.plot(x)", "notes", False, 0),  # figure shown, its code noted
                      ("print(table)", "-", False, 0), ("print(table)", "notes", True, 1)]  # long output noted


def test_setup_code_before_the_first_section_goes_into_the_notes():
    nb = build_slides.with_slides(chapter_notebook(CHAPTERS[1]))
    setup = [c for c in nb.cells if c.source == "x = 2 + 2"]
    assert [c.metadata.slideshow.slide_type for c in setup] == ["notes"]


def test_a_section_too_long_for_one_slide_continues_on_the_next():
    cells = [v4.new_code_cell("\n".join(f"y = {k} * {j}" for j in range(10)), execution_count=k) for k in range(1, 9)]
    nb = deck(v4.new_markdown_cell("## Many steps"), *cells)
    groups = slides_of(nb)[1:]
    assert len(groups) > 2
    assert [g[0].source for g in groups] == ["## Many steps"] + ["## Many steps (cont.)"] * (len(groups) - 1)
    assert sum(len(shown(g)) for g in groups) == 1 + len(groups) - 1 + len(cells), "every cell on some slide"
    for g in groups:
        lines = sum(len(c.source.splitlines()) for c in g if c.cell_type == "code")
        assert lines * slide_types._CODE_LINE_PX < slide_types.HEIGHT_BUDGET


def test_solutions_checks_the_install_cell_and_the_footer_stay_out_of_slides_and_notes():
    tagged = [v4.new_code_cell(f"secret_{t} = 1", execution_count=1, metadata={"tags": [t]})
              for t in ("solution", "check", "install")]
    footer = v4.new_markdown_cell("**Previous:** secret_footer", metadata={"tags": ["footer"]})
    nb = deck(v4.new_markdown_cell("## Exercises\n\n**Exercise 1.** Do it."), *tagged, footer)
    assert not [c for c in nb.cells if "secret" in c.source]


def test_deck_cell_ids_are_unique_and_stable():
    a = build_slides.with_slides(chapter_notebook(CHAPTERS[1]))
    b = build_slides.with_slides(chapter_notebook(CHAPTERS[1]))
    ids = [c.id for c in a.cells]
    assert len(set(ids)) == len(ids) and ids == [c.id for c in b.cells]


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{4,}", text))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.number for c in CHAPTERS])
def test_nothing_but_solutions_is_lost_between_notebook_and_deck(chapter):
    """Every word of the kept prose, every kept code cell and every output is on a slide or in its notes;
    no line of a solution is in either."""
    nb = nbformat.read(NOTEBOOKS / chapter.file, as_version=4)
    deck_nb = build_slides.with_slides(nb)
    prose = " ".join(c.source for c in deck_nb.cells if c.cell_type == "markdown")
    code = [c for c in deck_nb.cells if c.cell_type == "code"]
    kept = [c for c in nb.cells if slide_types.slide_type(c) != "skip"]
    for cell in kept:
        if cell.cell_type == "markdown":
            lost = words(build_slides.deck_links(cell.source)) - words(prose) - {"start", "href"}
            assert not lost, f"{chapter.file}: prose missing from the deck: {sorted(lost)[:5]}"
        elif cell.cell_type == "code":
            assert any(c.source == cell.source for c in code), f"{chapter.file}: a code cell is missing"
            outputs = [o for c in code if c.source == cell.source for o in c.outputs]
            assert len(outputs) == len(cell.outputs), f"{chapter.file}: an output is missing"
    solutions = [ln for c in nb.cells if "solution" in c.metadata.get("tags", []) for ln in c.source.splitlines()
                 if len(ln.strip()) > 25 and not any(ln in k.source for k in kept)]
    assert not [ln for ln in solutions if any(ln in c.source for c in deck_nb.cells)], "a solution line is in the deck"
