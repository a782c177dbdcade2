"""What the prerequisite check (tools.prerequisites) and the lesson budget (tools.lesson_stats) find and
the course still allows, each entry naming the issue whose chapter work removes it. The chapter issues
leave both empty; a test fails on an entry that no longer occurs.

PREREQUISITES: (notebook, name or "term:<term>") -> issue.
BUDGET: (notebook, kind) -> issue, where kind is "words", "code lines", "cells", "lesson-code cells",
or "cell <id>" for one code cell over its line limit.
"""

PREREQUISITES: dict[tuple[str, str], int] = {
}

BUDGET: dict[tuple[str, str], int] = {}
