"""The prerequisite check (tools.prerequisites): it finds what it must, and the course passes it up to
the allow-list, whose entries each name the issue that removes them."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from lesson_allowlist import BUDGET, PREREQUISITES

from course_utils.chapters import CHAPTERS, Chapter
from tools import prerequisites as pq


def _notebook(path: Path, *cells: tuple[str, str]) -> None:
    nb = nbformat.v4.new_notebook()
    for kind, src in cells:
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src))
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"c{k}"
    nbformat.write(nb, path)


@pytest.fixture
def course(tmp_path):
    """A three-lesson course: 00 teaches tensors and .backward, 01 uses what it is given, 05 teaches Adam."""
    chapters = (
        Chapter("00", "00_a.ipynb", "A", "", "", teaches=("torch.tensor", "Tensor.backward")),
        Chapter("01", "01_b.ipynb", "B", "", "", teaches=("torch.optim.SGD",)),
        Chapter("05", "05_c.ipynb", "C", "", "", teaches=("torch.optim.Adam",)),
    )
    _notebook(tmp_path / "00_a.ipynb", ("md", "Make one with `torch.tensor`, call `backward`."),
              ("code", "import torch\nx = torch.tensor([1.0], requires_grad=True)\n(x * 2).sum().backward()"))
    _notebook(tmp_path / "01_b.ipynb", ("md", "The optimiser `SGD`."),
              ("code", "import torch\nfrom torch import optim\nopt = optim.SGD([torch.tensor(1.0)], lr=0.1)"))
    _notebook(tmp_path / "05_c.ipynb", ("md", "Now `Adam`, which divides by a running scale."),
              ("code", "import torch\nopt = torch.optim.Adam([torch.tensor(1.0)])"))
    glossary = tmp_path / "GLOSSARY.md"
    glossary.write_text("| English | 中文 | Introduced in |\n| --- | --- | --- |\n"
                        "| tensor | 张量 | [00 · A](notebooks/00_a.ipynb) |\n"
                        "| Adam | Adam 优化器 | [05 · C](notebooks/05_c.ipynb) |\n", encoding="utf-8")
    return tmp_path, chapters, glossary


def test_a_clean_course_passes(course):
    folder, chapters, glossary = course
    findings, counts = pq.check(folder, chapters, glossary)
    assert findings == []
    assert counts["names"] == 3 and counts["methods"] == 1 and counts["terms"] == 2


def test_a_lesson_calling_adam_before_the_optimisers_lesson_fails(course):
    folder, chapters, glossary = course
    _notebook(folder / "01_b.ipynb", ("md", "The optimiser `SGD`."),
              ("code", "import torch\nimport torch.optim as O\nopt = O.Adam([torch.tensor(1.0)], lr=0.1)"))
    findings, _ = pq.check(folder, chapters, glossary)
    assert [str(f) for f in findings] == [
        "01_b.ipynb cell c1: uses `torch.optim.Adam` before lesson 05 (05_c.ipynb) teaches it"]


def test_an_undeclared_name_a_method_too_early_and_a_term_too_early_fail(course):
    folder, chapters, glossary = course
    _notebook(folder / "00_a.ipynb", ("md", "Make one with `torch.tensor`, call `backward`; Adam comes later."),
              ("code", "import torch\nimport torch.nn.functional as F\nx = torch.tensor([1.0])\ny = F.relu(x)"))
    _notebook(folder / "01_b.ipynb", ("md", "The optimiser `SGD`, unlike Adam (lesson 05)."),
              ("code", "from torch.optim import SGD\nimport torch\nw = torch.tensor(1.0)\nw.backward()"))
    findings, _ = pq.check(folder, chapters, glossary)
    got = {(f.file, f.name) for f in findings}
    assert got == {("00_a.ipynb", "torch.nn.functional.relu"), ("00_a.ipynb", "term:Adam")}


def test_a_method_taught_later_fails(course):
    folder, chapters, glossary = course
    chapters = (chapters[0], Chapter("01", "01_b.ipynb", "B", "", "", teaches=("torch.optim.SGD", "Optimizer.step")),
                chapters[2])
    _notebook(folder / "00_a.ipynb", ("md", "Make one with `torch.tensor`, call `backward`."),
              ("code", "import torch\nx = torch.tensor([1.0])\nopt = object()\nopt.step()"))
    _notebook(folder / "01_b.ipynb", ("md", "The optimiser `SGD` and its `step`."), ("code", "import torch"))
    findings, _ = pq.check(folder, chapters, glossary)
    assert [(f.file, f.name) for f in findings] == [("00_a.ipynb", "Optimizer.step")]


def test_a_declaration_that_does_not_exist_fails(course):
    folder, chapters, glossary = course
    chapters = (Chapter("00", "00_a.ipynb", "A", "", "", teaches=("torch.tensor", "Tensor.backward", "torch.tensr")),
                *chapters[1:])
    findings, _ = pq.check(folder, chapters, glossary)
    assert [f.name for f in findings] == ["torch.tensr"]


def test_the_course_passes_up_to_the_allow_list():
    findings, counts = pq.check()
    found = {f.key for f in findings}
    new = sorted(str(f) for f in findings if f.key not in PREREQUISITES)
    assert new == [], "prerequisite findings (teach the name earlier, or declare it):\n" + "\n".join(new)
    stale = sorted(k for k in PREREQUISITES if k not in found)
    assert stale == [], f"allow-list entries that no longer occur (remove them from the allow-list): {stale}"
    assert counts["names"] > 0


def test_every_allow_list_entry_names_an_open_chapter_issue():
    files = {c.file for c in CHAPTERS}
    for (file, _name), issue in [*PREREQUISITES.items(), *BUDGET.items()]:
        assert file in files, f"allow-list entry for {file}, which is not in the course map"
        assert issue in {20, 21, 22, 23, 24}, f"allow-list entry {file}: issue {issue} is not a chapter issue"


def test_the_matmul_operator_and_none_indexing_before_their_lesson_fail(course):
    folder, chapters, glossary = course
    chapters = (chapters[0], chapters[1], Chapter("05", "05_c.ipynb", "C", "", "",
                                                  teaches=("torch.optim.Adam", "syntax.matmul", "syntax.newaxis")))
    _notebook(folder / "05_c.ipynb", ("md", "Now `Adam`; `A @ x` is a matrix product and `x[:, None]` a column."),
              ("code", "import torch\nopt = torch.optim.Adam([torch.tensor(1.0)])\nx = torch.tensor([1.0, 2.0])\n"
                       "y = (x[:, None] @ x[None, :])"))
    assert pq.check(folder, chapters, glossary)[0] == []  # taught where it is used
    _notebook(folder / "01_b.ipynb", ("md", "The optimiser `SGD`."),
              ("code", "import torch\nfrom torch import optim\nopt = optim.SGD([torch.tensor(1.0)], lr=0.1)\n"
                       "a = torch.tensor([[1.0]])\nb = a @ a"),
              ("code", "import torch\nc = torch.tensor([1.0])[..., None]"))
    findings, _ = pq.check(folder, chapters, glossary)
    assert [(f.file, f.cell, f.name) for f in findings] == [
        ("01_b.ipynb", "c1", "syntax.matmul"), ("01_b.ipynb", "c2", "syntax.newaxis")]
    assert str(findings[0]) == ("01_b.ipynb cell c1: uses the operator `@` (`syntax.matmul`) before lesson 05 "
                                "(05_c.ipynb) teaches it")


def test_a_decorator_a_plain_index_and_a_none_value_are_not_tensor_syntax():
    import ast
    tree = ast.parse("import functools\n@functools.cache\ndef f(x):\n    return x[0], x[1:, ::2], x[x > 0]\n"
                     "d = {None: 1}\nv = d.get(None)\nw = [None][0]")
    assert pq.used_syntax(tree) == set()
    assert pq.used_syntax(ast.parse("y = x[None]")) == {"syntax.newaxis"}
    assert pq.used_syntax(ast.parse("y @= x")) == {"syntax.matmul"}


def test_declared_syntax_must_be_named_in_prose_and_be_known(course):
    folder, chapters, glossary = course
    chapters = (chapters[0], chapters[1], Chapter("05", "05_c.ipynb", "C", "", "",
                                                  teaches=("torch.optim.Adam", "syntax.matmul", "syntax.newaxis",
                                                           "syntax.walrus")))
    _notebook(folder / "05_c.ipynb", ("md", "Now `Adam`, a matrix product with @ and a new axis with None."),
              ("code", "import torch\nopt = torch.optim.Adam([torch.tensor(1.0)])"))
    findings, _ = pq.check(folder, chapters, glossary)
    assert [f.name for f in findings] == ["syntax.matmul", "syntax.newaxis", "syntax.walrus"]
    assert "never names the operator `@` in backticks" in findings[0].message
