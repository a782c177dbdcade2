"""What the prerequisite check (tools.prerequisites) finds and the course still allows: each entry is
(notebook, name or "term:<term>") -> the issue whose chapter work removes it. The chapter issues leave
this empty."""

ALLOWED: dict[tuple[str, str], int] = {}
