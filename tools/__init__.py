"""The course's maintenance tools, run as modules from the repository root, e.g. ``python -m tools.nav``.

``tools/tasks.py`` is the exception: it runs as a plain script (``python3 tools/tasks.py setup``) with
any Python 3.10+, before the course environment exists, so it imports nothing from here.
"""
