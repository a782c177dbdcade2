"""Nothing used before it is taught: the prerequisite check.

    python -m tools.prerequisites           # one line per finding; exit 1 if there is any

**Names.** Each lesson of the course map declares, in ``teaches``, the PyTorch and ``course_utils``
names it introduces (:mod:`course_utils.chapters`). This reads the syntax tree of every code cell,
resolves each ``torch.*``, ``torchvision.*`` and ``course_utils.*`` name through the notebook's
imports (``F.softmax`` is ``torch.nn.functional.softmax``; ``fit`` after ``from course_utils.training
import fit`` is ``course_utils.training.fit``) and reports a name that a later lesson teaches, or that
no lesson teaches. Modules themselves (``torch.nn``) need no declaration. Methods and attributes are
declared ``Class.name`` (``Tensor.backward``, ``Optimizer.step``) and match any ``.name`` on an object
that is not a module; a ``.name`` that no lesson declares is not checked, since nothing tells a
PyTorch method from a Python one without running the code.

**Syntax.** Two pieces of tensor syntax are checked like names, declared in ``teaches`` under the
names of :data:`SYNTAX`: the matrix product operator ``@`` (``syntax.matmul``, any ``a @ b`` or
``a @= b``; a decorator is not an operator) and indexing with ``None`` to add a dimension
(``syntax.newaxis``, any subscript with ``None`` among its indices, ``x[:, None]``). The lesson that
declares one names it in its prose as code: ``@`` inside backticks, or a subscript with ``None``
(```x[:, None]```).

**Declarations are true.** The lesson that declares a name mentions it in its prose as code (the
name's last part inside backticks: ``SGD`` for ``torch.optim.SGD``), and every declared module-level
name exists in the installed PyTorch or ``course_utils``.

**Terms.** ``GLOSSARY.md`` says which lesson introduces each term. A term in the prose of an earlier
lesson is reported, unless the same sentence names the introducing lesson (its number, as in "lesson
05" or "05 · Gradient descent", or a link to its file).
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat

from course_utils.chapters import CHAPTERS, Chapter
from tools.cells import source_lines, tags

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = ROOT / "GLOSSARY.md"
ROOTS = ("torch", "torchvision", "course_utils")  # the packages whose names are checked
_NAV = re.compile(r"<!-- nav:start -->.*?<!-- nav:end -->", re.DOTALL)
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
#: Declared syntax -> (what it is, how its prose mention looks inside a code span).
SYNTAX: dict[str, tuple[str, re.Pattern[str]]] = {
    "syntax.matmul": ("the operator `@`", re.compile(r"(?<![\w@])@(?![\w@])")),
    "syntax.newaxis": ("indexing with `None`", re.compile(r"\[[^\]]*(?<!\w)None(?!\w)[^\]]*\]")),
}
_ROW = re.compile(r"^\|(?P<en>[^|]+)\|(?P<zh>[^|]+)\|\s*\[(?P<label>[^\]]+)\]\((?P<link>[^)]+)\)\s*\|$")


@dataclass(frozen=True)
class Finding:
    file: str
    cell: str  # cell id
    name: str  # a dotted name, ``Class.name``, or ``term:<term>``
    message: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.file, self.name)

    def __str__(self) -> str:
        return f"{self.file} cell {self.cell}: {self.message}"


# ---------------------------------------------------------------- names in code


def _cell_tree(cell: nbformat.NotebookNode) -> ast.Module:
    # IPython magics and shell escapes are not Python: blank them, keeping line numbers.
    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in source_lines(cell)]
    return ast.parse("\n".join(lines))


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None when the chain does not start at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def imports(trees: Iterable[ast.Module]) -> dict[str, str]:
    """Local name -> the dotted name it stands for, from every import in the notebook."""
    aliases: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        aliases[a.asname] = a.name
                    else:
                        top = a.name.split(".")[0]
                        aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for a in node.names:
                    if a.name != "*":
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases


def used_names(tree: ast.Module, aliases: dict[str, str]) -> tuple[set[str], set[str]]:
    """(resolved dotted names of the checked packages, attribute names used on non-module objects)."""
    dotted: set[str] = set()
    attributes: set[str] = set()
    inner: set[int] = set()  # Attribute/Name nodes that are the .value of an outer Attribute
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            dotted.update(f"{node.module}.{a.name}" for a in node.names if a.name != "*")
        if isinstance(node, ast.Attribute):
            chain = _dotted(node)
            if chain is None or chain[0] not in aliases:
                attributes.add(node.attr)  # on a call, a subscript or a local variable
                continue
            if id(node) in inner:
                continue
            dotted.add(".".join([aliases[chain[0]], *chain[1:]]))
        elif isinstance(node, ast.Name) and id(node) not in inner and node.id in aliases:
            dotted.add(aliases[node.id])
    return {n for n in dotted if n.split(".")[0] in ROOTS}, attributes


def used_syntax(tree: ast.Module) -> set[str]:
    """The names in :data:`SYNTAX` of the tensor syntax a cell uses."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
            found.add("syntax.matmul")
        elif isinstance(node, ast.Subscript):
            index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if any(isinstance(e, ast.Constant) and e.value is None for e in index):
                found.add("syntax.newaxis")
    return found


@cache
def _resolve(name: str) -> object | None:
    """The object a dotted name names (a module, class, function, constant), or None."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            if not hasattr(obj, p):
                return None
            obj = getattr(obj, p)
        return obj
    return None


def is_module(name: str) -> bool:
    return type(_resolve(name)).__name__ == "module"


# ---------------------------------------------------------------- terms in prose


def glossary_rows(path: Path = GLOSSARY) -> list[dict[str, str]]:
    rows = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(ln.strip())
        if m and not m["en"].strip().startswith("English"):
            rows.append({k: v.strip() for k, v in m.groupdict().items()})
    return rows


def term(english: str) -> str:
    """What must appear in a notebook: the term without backticks or a trailing gloss in parentheses
    ("MSE (mean squared error)" -> "MSE")."""
    return re.sub(r"\s*\([^)]*\)$", "", english.replace("`", "")).strip()


def mentions(text: str, word: str) -> bool:
    """Whether ``text`` has ``word`` as a whole word (plural allowed), ignoring case: "ELU" is not in "ReLU"."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?:s|es)?(?![\w-])", text, re.IGNORECASE) is not None


def sentences(markdown: str) -> list[str]:
    """Prose split into sentences, list items and table rows; LaTeX left out (``$\\delta$`` is a symbol,
    not the term "delta")."""
    text = _MATH.sub(" ", _NAV.sub(" ", markdown))
    out = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)|\n(?=\|)", text):
        out.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z`*\[(])", block) if s.strip())
    return out


def names_lesson(sentence: str, chapter: Chapter) -> bool:
    return (re.search(rf"(?<![\d.]){re.escape(chapter.number)}(?![\d.])", sentence) is not None
            or chapter.file in sentence)


# ---------------------------------------------------------------- the check


def _prose(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(cell id, markdown) of every prose cell, the generated footer left out."""
    return [(c.get("id", "?"), "\n".join(source_lines(c))) for c in nb.cells
            if c.cell_type == "markdown" and "footer" not in tags(c)]


def declared_in_prose(markdown: str, name: str) -> bool:
    if name in SYNTAX:
        return any(SYNTAX[name][1].search(span) for span in _CODE_SPAN.findall(markdown))
    last = name.split(".")[-1]
    return any(re.search(rf"(?<!\w){re.escape(last)}(?!\w)", span) for span in _CODE_SPAN.findall(markdown))


def check(notebooks_dir: Path = NOTEBOOKS, chapters: Sequence[Chapter] = CHAPTERS,
          glossary: Path = GLOSSARY) -> tuple[list[Finding], dict[str, int]]:
    """Every finding, and what was checked: ``{"names": …, "methods": …, "terms": …, "uses": …}``."""
    first: dict[str, int] = {}  # declared name -> index of the first lesson teaching it
    methods: dict[str, int] = {}  # attribute name -> index of the first lesson declaring Class.name
    findings: list[Finding] = []
    for i, c in enumerate(chapters):
        for name in c.teaches:
            first.setdefault(name, i)
            if "." in name and name.split(".")[0] not in (*ROOTS, "syntax"):
                methods.setdefault(name.rsplit(".", 1)[1], i)
    notebooks = {i: nbformat.read(notebooks_dir / c.file, as_version=4)
                 for i, c in enumerate(chapters) if (notebooks_dir / c.file).is_file()}

    for i, c in enumerate(chapters):  # declarations are true
        prose = "\n".join(md for _, md in _prose(notebooks[i])) if i in notebooks else ""
        for name in c.teaches:
            root = name.split(".")[0]
            if root in ROOTS and _resolve(name) is None:
                findings.append(Finding(c.file, "-", name, f"declares `{name}`, which does not exist: "
                                        "fix the spelling in course_utils/chapters.py"))
            elif name.startswith("syntax.") and name not in SYNTAX:
                findings.append(Finding(c.file, "-", name, f"declares `{name}`, which is not checked syntax: "
                                        f"use one of {', '.join(SYNTAX)}"))
            elif i in notebooks and not declared_in_prose(prose, name):
                what = SYNTAX[name][0] if name in SYNTAX else f"`{name.split('.')[-1]}`"
                findings.append(Finding(c.file, "-", name, f"declares `{name}` but its prose never names "
                                        f"{what} in backticks: teach it, or move the declaration"))

    uses = 0
    for i, nb in notebooks.items():
        c = chapters[i]
        code = [cell for cell in nb.cells if cell.cell_type == "code" and "install" not in tags(cell)]
        trees = []
        for cell in code:
            try:
                trees.append((cell.get("id", "?"), _cell_tree(cell)))
            except SyntaxError as e:
                findings.append(Finding(c.file, cell.get("id", "?"), "syntax", f"cannot be parsed ({e.msg})"))
        aliases = imports(t for _, t in trees)
        seen: set[str] = set()
        for cid, tree in trees:
            dotted, attributes = used_names(tree, aliases)
            for name in sorted(dotted):
                if name in seen or is_module(name):
                    continue
                seen.add(name)
                uses += 1
                j = first.get(name)
                if j is None:
                    findings.append(Finding(c.file, cid, name, f"uses `{name}`, which no lesson teaches: "
                                            "declare it in course_utils/chapters.py under the lesson that does"))
                elif j > i:
                    findings.append(Finding(c.file, cid, name, f"uses `{name}` before lesson {chapters[j].number} "
                                            f"({chapters[j].file}) teaches it"))
            for name in sorted(used_syntax(tree) - seen):
                seen.add(name)
                uses += 1
                j = first.get(name)
                if j is None:
                    findings.append(Finding(c.file, cid, name, f"uses {SYNTAX[name][0]} (`{name}`), which no "
                                            "lesson teaches: declare it in course_utils/chapters.py under the lesson "
                                            "that does"))
                elif j > i:
                    findings.append(Finding(c.file, cid, name, f"uses {SYNTAX[name][0]} (`{name}`) before lesson "
                                            f"{chapters[j].number} ({chapters[j].file}) teaches it"))
            for attr in sorted(attributes):
                j = methods.get(attr)
                if j is None or f".{attr}" in seen:
                    continue
                seen.add(f".{attr}")
                uses += 1
                if j > i:
                    owner = next(n for n in chapters[j].teaches
                                 if n.endswith(f".{attr}") and n.split(".")[0] not in (*ROOTS, "syntax"))
                    findings.append(Finding(c.file, cid, owner, f"uses `.{attr}` (`{owner}`) before lesson "
                                            f"{chapters[j].number} ({chapters[j].file}) teaches it"))

    rows = glossary_rows(glossary)
    index = {f"notebooks/{c.file}": i for i, c in enumerate(chapters)}
    terms = [(term(r["en"]), index[r["link"]]) for r in rows if r["link"] in index]
    for i, nb in notebooks.items():
        reported: set[str] = set()
        for cid, md in _prose(nb):
            for sentence in sentences(md):
                for t, j in terms:
                    if (j > i and t not in reported and mentions(sentence, t)
                            and not names_lesson(sentence, chapters[j])):
                        reported.add(t)
                        findings.append(Finding(chapters[i].file, cid, f"term:{t}", f"says '{t}' before lesson "
                                                f"{chapters[j].number} introduces it (sentence: {sentence[:80]!r})"))
    counts = {"names": sum(1 for n in first if n.split(".")[0] in (*ROOTS, "syntax")), "methods": len(methods),
              "terms": len(terms), "uses": uses}
    return findings, counts


def main(argv: list[str] | None = None) -> int:
    findings, counts = check()
    for f in findings:
        print(f)
    print(f"{len(findings)} findings; checked {counts['uses']} uses of {counts['names']} declared names and "
          f"{counts['methods']} methods, and {counts['terms']} glossary terms")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
