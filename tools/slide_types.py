"""A presenter's deck from a notebook: what each slide shows, and what goes into its speaker notes.

Computed from the cells when the slides are built (nothing is stored in the notebooks). Each heading
(``#``, ``##``, ``###``, in the header cell too) starts a slide. A slide then shows what a lecture slide
holds: the heading, the first sentence of the prose (clipped at a clause when it is long), display
equations, the first sentence of each item of a leading list (clipped too), small tables, short code
cells (at most :data:`CODE_LINES` lines, :data:`LESSON_CODE_LINES` for a cell tagged ``lesson-code``),
figures and short printed outputs. Everything else, the rest of the prose, long code cells, the code that
draws a figure, long outputs and the setup code before the first section, goes into the slide's reveal.js
speaker notes (nbconvert's ``notes`` slide type: ``<aside class="notes">``), so the speaker view (key
``s``) carries what the slide leaves out. When the next visible part would take a slide past
:data:`HEIGHT_BUDGET` pixels or :data:`WORD_BUDGET` words, a continuation slide starts, headed "<heading>
(cont.)". Solutions, the install cell and the footer are left out, from the notes too.

The budgets are estimates made without a browser, below the limits the browser test measures
(:data:`SLIDE_HEIGHT`, :data:`WORD_LIMIT`), so that a deck fits even as the notebooks change.
"""

from __future__ import annotations

import base64
import copy
import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat

from tools.cells import source_lines, tags

HEADER_TAG = "header"
FOOTER_TAG = "footer"
SOLUTION_TAG = "solution"
CHECK_TAG = "check"  # an exercise's check cell: grading code (hidden tests included), not for a slide
INSTALL_TAG = "install"
LESSON_CODE_TAG = "lesson-code"

#: What the browser test holds every slide to (tests/test_browser.py): the slide's content at most as tall
#: as a 1280x720 screen, and at most this many words outside code cells (each typeset formula counts one).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
WORD_LIMIT = 60
#: The budgets the split works to, below those limits: estimated pixels and words per slide.
HEIGHT_BUDGET = 600
WORD_BUDGET = 48
#: A code cell shown on a slide has at most this many lines (a ``lesson-code`` cell, the lesson's own code,
#: at most LESSON_CODE_LINES); a longer one goes into the notes.
CODE_LINES = 14
LESSON_CODE_LINES = 25
#: The lead sentence of a paragraph, and the first clause of a list item, are clipped to these many words.
LEAD_WORDS = 30
ITEM_WORDS = 14

# Estimated sizes in CSS pixels, matching tools/templates/course_reveal/index.html.j2.
_HEADING_PX = {1: 90, 2: 74, 3: 64}
_HEADING_CHARS = {1: 44, 2: 68, 3: 80}
_PROSE_LINE_PX, _PROSE_CHARS, _BLOCK_GAP_PX = 30, 88, 18
_CODE_LINE_PX, _CODE_CHARS, _CODE_PAD_PX, _OUTPUT_PAD_PX = 20, 118, 44, 28
_EQUATION_PX = 64
_IMAGE_MAX_PX = (1200, 470)  # the template's max-width and max-height of a figure
_IMAGE_PAD_PX = 70
_CONT_PX, _CONT_WORDS = 74, 6  # room left for a continuation slide's heading

_NAV = re.compile(r"<!-- nav:start -->(.*?)<!-- nav:end -->\s*", re.DOTALL)
_PROTECT = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|`[^`\n]+`|!?\[[^\]\n]*\]\([^)\n]*\)", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*_`$\d\x00])")
_NOT_AN_END = re.compile(r"(?:\b(?:e\.g|i\.e|cf|vs|etc|Fig|Eq|approx|resp|al)|\b[A-Z])\.$")
_CLAUSE = re.compile(r"[,;:](?=\s)|\s[—–]\s")
_LIST_ITEM = re.compile(r"^([-*+]|\d+[.)])\s+")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")


def slide_type(cell: nbformat.NotebookNode) -> str:
    """Where a notebook cell's slide starts: ``"slide"`` (the header, or a cell opening with a ``#``,
    ``##`` or ``###`` heading: one flat sequence, so → alone visits every slide), ``"skip"`` (solutions,
    exercise check cells, the install cell and the footer) or ``"-"`` (it continues the current slide, or its notes)."""
    cell_tags = tags(cell)
    if HEADER_TAG in cell_tags:
        return "slide"
    if {FOOTER_TAG, SOLUTION_TAG, CHECK_TAG, INSTALL_TAG} & set(cell_tags):
        return "skip"
    if cell.cell_type == "markdown":
        first = next((ln for ln in source_lines(cell) if ln.strip()), "")
        if _HEADING.match(first):
            return "slide"
    return "-"


# --- words and sizes -------------------------------------------------------------------------------------

def _protect(text: str) -> tuple[str, list[str]]:
    """``text`` with maths, inline code and links replaced by \\x00k\\x00 (so no split falls inside them)."""
    kept: list[str] = []

    def keep(m: re.Match) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"
    return _PROTECT.sub(keep, text), kept


def _restore(text: str, kept: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def visible_text(markdown: str) -> str:
    """Roughly what a reader sees of a Markdown text: formulas as one word each, links as their text."""
    text = re.sub(r"\$\$.+?\$\$|\$[^$\n]+\$", " § ", markdown, flags=re.DOTALL)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[*_`#>|]", " ", text)


def count_words(text: str) -> int:
    """Words as the browser test counts them: whitespace-separated runs holding a letter, digit or formula."""
    return sum(bool(re.search(r"[\w§]", w)) for w in text.split())


def _lines(text: str, chars: int) -> int:
    return sum(max(1, math.ceil(len(ln) / chars)) for ln in text.splitlines() or [""])


def _prose_px(markdown: str) -> int:
    display = len(re.findall(r"\$\$.+?\$\$", markdown, flags=re.DOTALL))
    rows = sum(m.group(0).count("\\\\") for m in re.finditer(r"\$\$.+?\$\$", markdown, flags=re.DOTALL))
    text = re.sub(r"\$\$.+?\$\$", "", markdown, flags=re.DOTALL)
    text = visible_text(re.sub(r"\$[^$\n]+\$", "xxxxxx", text)).strip()
    return (_lines(text, _PROSE_CHARS) * _PROSE_LINE_PX if text else 0) + _BLOCK_GAP_PX \
        + display * _EQUATION_PX + rows * 40


def _png_size(b64: str) -> tuple[int, int]:
    head = base64.b64decode(b64[:64] + "=" * (-len(b64[:64]) % 4))
    return struct.unpack(">II", head[16:24]) if head[12:16] == b"IHDR" else (640, 480)


def image_px(output: nbformat.NotebookNode) -> int:
    """The height a figure takes on a slide: its display size (a high-resolution figure's metadata gives
    it), shrunk to the template's maximum width and height."""
    meta = output.get("metadata", {}).get("image/png", {})
    w, h = meta.get("width"), meta.get("height")
    if not (w and h):
        w, h = _png_size(output.data["image/png"])
    scale = min(1.0, _IMAGE_MAX_PX[0] / w, _IMAGE_MAX_PX[1] / h)
    return round(h * scale) + _IMAGE_PAD_PX


# --- the parts of a deck -------------------------------------------------------------------------------

@dataclass
class Part:
    """One cell of the deck: shown on a slide (with its estimated height and words) or a speaker note."""
    cell: nbformat.NotebookNode
    notes: bool = False
    height: int = 0
    words: int = 0
    heading: tuple[int, str] | None = None  # (level, text) when the part is a heading that starts a slide


def _markdown(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source)


def _shown(source: str, height: int | None = None) -> Part:
    return Part(_markdown(source), height=_prose_px(source) if height is None else height,
                words=count_words(visible_text(source)))


def _note(cell_or_text) -> Part:
    cell = _markdown(cell_or_text) if isinstance(cell_or_text, str) else cell_or_text
    return Part(cell, notes=True)


def clip(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` words (formulas, code and links count as one and are never cut),
    at the last clause boundary that keeps at least a third of them when there is one; returns the text
    and whether it was cut (then it ends in "…")."""
    safe, kept = _protect(" ".join(text.split()))
    words = safe.split(" ")
    if len(words) <= limit:
        return _restore(safe, kept), False
    head = " ".join(words[:limit])
    cuts = [m.start() for m in _CLAUSE.finditer(head) if len(head[:m.start()].split()) >= limit // 3]
    head = head[:cuts[-1]] if cuts else head.rstrip(",;:")
    head = re.sub(r"(?:\s+(?:and|or|but|the|a|an|of|to|in|on|by|with|for|from|that|which|is|are))+$", "", head)
    bold = head.count("**")
    if bold % 2:
        head += "**"
    if (head.count("*") - 2 * (bold + bold % 2)) % 2:
        head += "*"
    return _restore(head, kept) + " …", True


def first_sentence(paragraph: str) -> tuple[str, str]:
    """The first sentence of a Markdown paragraph and the rest (maths, code and links are never split)."""
    safe, kept = _protect(" ".join(paragraph.split()))
    for m in _SENTENCE_END.finditer(safe):
        if not _NOT_AN_END.search(safe[:m.start()]):
            return _restore(safe[:m.start()], kept), _restore(safe[m.end():], kept)
    return _restore(safe, kept), ""


def blocks(markdown: str) -> list[str]:
    """A Markdown text's blocks: paragraphs, lists, tables, fenced code and display equations (``$$…$$``
    on lines of their own, or cut out of a paragraph), in order."""
    out: list[str] = []
    current: list[str] = []
    fence = maths = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = not fence
        elif not fence and stripped.count("$$") % 2:
            maths = not maths
        if not stripped and not fence and not maths:
            if current:
                out.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    split: list[str] = []
    for block in out:
        if block.lstrip().startswith("```"):
            split.append(block)
            continue
        for k, piece in enumerate(re.split(r"(\$\$.+?\$\$)", block, flags=re.DOTALL)):
            if piece.strip() and not (k % 2 == 0 and re.fullmatch(r"[\s.,;:]*", piece)):
                split.append(piece.strip())
    return split


def _is_equation(block: str) -> bool:
    return block.startswith("$$") and block.endswith("$$")


def _is_table(block: str) -> bool:
    lines = block.splitlines()
    return len(lines) >= 2 and all(ln.strip().startswith("|") for ln in lines)


def _is_list(block: str) -> bool:
    return bool(_LIST_ITEM.match(block.lstrip()))


def list_items(block: str) -> list[str]:
    """The items of a Markdown list block (an item's continuation lines are indented)."""
    items: list[str] = []
    for line in block.splitlines():
        m = _LIST_ITEM.match(line)
        if m and not line.startswith((" ", "\t")):
            items.append(line[m.end():])
        elif items:
            items[-1] += " " + line.strip()
    return items


def section_parts(heading: tuple[int, str] | None, body: str) -> list[Part]:
    """The parts of one section of a Markdown cell: its heading, what a slide shows of its body, and the
    rest of the body as one speaker note."""
    parts: list[Part] = []
    if heading:
        level, text = heading
        px = _HEADING_PX[level] * max(1, math.ceil(len(visible_text(text)) / _HEADING_CHARS[level]))
        part = _shown(f"{'#' * level} {text}", px)
        part.heading = heading
        parts.append(part)
    shown: list[Part] = []
    notes: list[str] = []
    for k, block in enumerate(blocks(body)):
        if _is_equation(block) and sum(_is_equation(p.cell.source) for p in shown) < 2:
            shown.append(_shown(block))
        elif _is_table(block) and len(block.splitlines()) <= 8 and count_words(visible_text(block)) <= 36:
            shown.append(_shown(block, 40 * len(block.splitlines()) + _BLOCK_GAP_PX))
        elif k == 0 and _is_list(block):
            marker = "1." if block.lstrip()[0].isdigit() else "-"
            whole = True
            for item in list_items(block):
                sentence, rest = first_sentence(item)
                lead, cut = clip(sentence, ITEM_WORDS)
                shown.append(_shown(f"{marker} {lead}"))
                whole = whole and not cut and not rest
            if not whole:
                notes.append(block)
        elif k == 0 and not block.lstrip().startswith(("```", "<", ">")):
            sentence, rest = first_sentence(block)
            lead, cut = clip(sentence, LEAD_WORDS)
            shown.append(_shown(lead))
            notes.append(block if cut else rest)
        else:
            notes.append(block)
    parts += shown
    note = "\n\n".join(n for n in notes if n.strip())
    if note:
        parts.append(_note(note))
    return parts


def markdown_parts(source: str) -> list[Part]:
    """A Markdown cell as parts: each heading opens a section (the header cell's navigation block, with
    the class time, goes into the notes)."""
    nav = [m.group(1).strip() for m in _NAV.finditer(source)]
    source = _NAV.sub("", source)
    sections: list[tuple[tuple[int, str] | None, list[str]]] = [(None, [])]
    fence = False
    for line in source.splitlines():
        if line.strip().startswith("```"):
            fence = not fence
        m = None if fence else _HEADING.match(line)
        if m:
            sections.append(((len(m.group(1)), m.group(2).strip()), []))
        else:
            sections[-1][1].append(line)
    parts: list[Part] = []
    for heading, lines in sections:
        if heading or "\n".join(lines).strip():
            parts += section_parts(heading, "\n".join(lines).strip())
        if heading and nav:
            parts.append(_note("\n\n".join(nav)))
            nav = []
    return parts


def _output_size(output: nbformat.NotebookNode) -> tuple[int, int] | None:
    """(height, words) of an output, or None when it is too long for a slide or has no form one can show."""
    data = output.get("data", {})
    if "image/png" in data:
        return image_px(output), 0
    if output.output_type == "stream":
        text = output.text
    elif "text/markdown" in data:
        text = data["text/markdown"]
        return ((40 * len(text.splitlines()) + _BLOCK_GAP_PX, count_words(visible_text(text)))
                if len(text.splitlines()) <= 8 else None)
    elif "text/plain" in data and not ({"text/html", "image/svg+xml"} & set(data)):
        text = data["text/plain"]
    else:
        return None
    if _lines(text, _CODE_CHARS) > 8:
        return None
    return _lines(text, _CODE_CHARS) * _CODE_LINE_PX + _OUTPUT_PAD_PX, count_words(text)


def _output_part(output: nbformat.NotebookNode) -> tuple[int, int] | None:
    """(height, words) of an output a slide can show (one that fits a slide of its own), or None when it
    belongs in the notes."""
    size = _output_size(output)
    if size is None or size[1] > WORD_BUDGET - _CONT_WORDS or size[0] > HEIGHT_BUDGET - _CONT_PX:
        return None
    return size


def code_parts(cell: nbformat.NotebookNode) -> list[Part]:
    """A code cell as parts: the cell itself when it is short and draws no figure, else its code as a note;
    its outputs on the slide when they are short enough to show (figures always), as many to a part as
    fit one slide, else in the notes."""
    lines = len(source_lines(cell))
    limit = LESSON_CODE_LINES if LESSON_CODE_TAG in tags(cell) else CODE_LINES
    outputs = cell.get("outputs", [])
    figure = any("image/png" in o.get("data", {}) for o in outputs)
    sized = [_output_part(o) for o in outputs]
    code_on_slide = 0 < lines <= limit and not figure
    noted = [o for o, s in zip(outputs, sized, strict=True) if s is None]
    groups: list[tuple[list, int, int]] = []  # (outputs, height, words) of each visible part
    if code_on_slide:
        groups.append(([], lines * _CODE_LINE_PX + _CODE_PAD_PX, 0))
    for out, size in zip(outputs, sized, strict=True):
        if size is None:
            continue
        if groups and (groups[-1][1] + size[0] <= HEIGHT_BUDGET - _CONT_PX
                       and groups[-1][2] + size[1] <= WORD_BUDGET - _CONT_WORDS):
            groups[-1] = (groups[-1][0] + [out], groups[-1][1] + size[0], groups[-1][2] + size[1])
        else:
            groups.append(([out], *size))
    parts: list[Part] = []
    for k, (outs, height, words) in enumerate(groups):
        on_slide = copy.deepcopy(cell)
        on_slide.outputs = outs
        if k or not code_on_slide:
            on_slide.metadata.setdefault("transient", {})["remove_source"] = True
        parts.append(Part(on_slide, height=height, words=words))
    if (lines and not code_on_slide) or noted:
        in_notes = copy.deepcopy(cell)
        in_notes.outputs = noted
        if code_on_slide or not lines:
            in_notes.metadata.setdefault("transient", {})["remove_source"] = True
        parts.append(_note(in_notes))
    return parts


# --- the deck --------------------------------------------------------------------------------------------

@dataclass
class _Slide:
    heading: tuple[int, str] | None = None
    height: int = 0
    words: int = 0
    shown: int = 0
    cells: list = field(default_factory=list)


def deck_cells(nb: nbformat.NotebookNode, markdown_hook: Callable[[str], str] = lambda s: s) -> list:
    """The cells of ``nb``'s deck, each with its ``slideshow.slide_type`` (``slide``, ``-`` or ``notes``);
    ``markdown_hook`` rewrites the Markdown first (the slides builder points chapter links at decks)."""
    parts: list[Part] = []
    preamble = True  # the setup code between the header and the first section goes into the notes
    for cell in nb.cells:
        if slide_type(cell) == "skip":
            continue
        if cell.cell_type == "markdown":
            preamble = preamble and (HEADER_TAG in tags(cell) or slide_type(cell) != "slide")
            parts += markdown_parts(markdown_hook(cell.source))
        elif cell.cell_type == "code":
            parts += [_note(cell)] if preamble else code_parts(cell)
    slides: list[_Slide] = []
    for part in parts:
        slide = slides[-1] if slides else None
        if part.heading or slide is None:
            slide = _Slide(heading=part.heading)
            slides.append(slide)
        elif not part.notes and slide.shown and (slide.height + part.height > HEIGHT_BUDGET
                                                 or slide.words + part.words > WORD_BUDGET):
            slide = _Slide(heading=slide.heading)
            slides.append(slide)
            if slide.heading:
                level, text = slide.heading
                cont = _shown(f"{'#' * max(level, 2)} {text} (cont.)",
                              _HEADING_PX[max(level, 2)] * math.ceil(len(text) / _HEADING_CHARS[max(level, 2)]))
                _add(slide, cont)
        _add(slide, part)
    cells = []
    for slide in slides:
        kinds = ["notes" if p.notes else "-" for p in slide.cells]
        first = next((k for k, kind in enumerate(kinds) if kind != "notes"), None)
        if first is None:  # notes alone (a section that shows nothing): they join the previous slide
            kinds = ["notes"] * len(kinds)
        else:
            kinds[first] = "slide"
        for part, kind in zip(slide.cells, kinds, strict=True):
            part.cell.metadata["slideshow"] = {"slide_type": kind}
            part.cell["id"] = f"deck-{len(cells)}"  # unique and the same at every build
            cells.append(part.cell)
    return cells


def _add(slide: _Slide, part: Part) -> None:
    slide.cells.append(part)
    if not part.notes:
        slide.height += part.height
        slide.words += part.words
        slide.shown += 1
