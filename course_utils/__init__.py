"""Shared helpers for the deep-learning foundations course.

The code a lesson is about lives in the notebooks; this package holds the plumbing: seeding and
threads (:mod:`course_utils.repro`), data loading (:mod:`course_utils.data`), plotting
(:mod:`course_utils.plotting`), gradient checking, training loops and losses. Import from the
submodules, for example ``from course_utils.repro import setup_notebook``.
"""

__version__ = "0.1.0"
