"""What each lesson counts and measures, kept in ``course_utils/lesson_facts.json`` (package data, so a
notebook opened alone, as on Colab, can read the course map's times).

Two kinds of fact, written by two commands:

- **counted** (words, code lines, cells and figures of the main text, and the class minutes the rule
  in :func:`course_utils.chapters.class_minutes` makes of them): ``python -m tools.nav`` recounts them
  from the notebook whenever it syncs it;
- **measured** (``cpu_seconds``: the wall time of a top-to-bottom run on the CPU; the machine and the
  day; ``source_sha``, the hash of the code that ran): ``python -m tools.run_notebook`` writes them after
  each successful run. A test fails when a notebook's code changed after its last measured run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from datetime import date
from importlib import metadata
from pathlib import Path

import nbformat

from course_utils.chapters import class_minutes, format_seconds  # noqa: F401 (re-exported)
from tools.cells import source_lines, tags
from tools.lesson_stats import lesson_stats

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "course_utils" / "lesson_facts.json"
COUNTED = ("words", "code_lines", "cells", "figures", "class_minutes")
MEASURED = ("cpu_seconds", "machine", "measured", "source_sha")


def load(path: Path = FACTS) -> dict:
    if not path.is_file():
        return {"notebooks": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save(data: dict, path: Path = FACTS) -> None:
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)


def counted(nb: nbformat.NotebookNode) -> dict:
    s = lesson_stats(nb)
    return {"words": s.words, "code_lines": s.code_lines, "cells": s.cells, "figures": s.figures,
            "class_minutes": class_minutes(s.words, s.code_lines, s.figures)}


def source_sha(nb: nbformat.NotebookNode) -> str:
    """A hash of the code that runs (every code cell but the generated install cell)."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code" and "install" not in tags(cell):
            digest.update("\n".join(source_lines(cell)).encode() + b"\0")
    return digest.hexdigest()[:16]


def machine() -> str:
    """The machine a run was measured on, in words: architecture, cores, torch."""
    try:
        torch = metadata.version("torch")
    except metadata.PackageNotFoundError:
        torch = "not installed"
    return f"{platform.machine()} CPU, {os.cpu_count()} cores, torch {torch}"


def refresh_counts(file: str, nb: nbformat.NotebookNode, path: Path = FACTS) -> bool:
    """Recount a notebook's counted facts; return whether they changed."""
    data = load(path)
    entry = data.setdefault("notebooks", {}).setdefault(file, {})
    new = counted(nb)
    if all(entry.get(k) == v for k, v in new.items()):
        return False
    entry.update(new)
    save(data, path)
    return True


def record_run(file: str, nb: nbformat.NotebookNode, seconds: float, path: Path = FACTS) -> None:
    """Store a successful run: its time, machine, day and code hash, and the recounted facts."""
    data = load(path)
    entry = data.setdefault("notebooks", {}).setdefault(file, {})
    entry.update(counted(nb))
    entry.update({"cpu_seconds": round(seconds, 1), "machine": machine(), "measured": date.today().isoformat(),
                  "source_sha": source_sha(nb)})
    save(data, path)
