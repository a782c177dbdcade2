"""The first code cell of every notebook: it makes ``course_utils`` importable where it is missing.

On Colab, Binder or a bare Jupyter the course's package is not installed; the cell installs it with pip
from the repository the Open-in-Colab badge points at (``course_utils.chapters.REPOSITORY`` at
``BRANCH``), printing one line. Where the package is already importable (the course environment) it
prints nothing, so stored outputs stay clean. On a Python without torch it stops with one sentence
saying which kernel to pick. ``COURSE_INSTALL_SOURCE`` replaces the install source (a local checkout,
for the test that plays Colab without network).

The cell cannot import ``course_utils`` (that is its point), so the repository and branch are written
into its text; ``python -m tools.nav`` rewrites it when the course map's settings change.
"""

from __future__ import annotations

from course_utils.chapters import BRANCH, REPOSITORY

INSTALL_TAG = "install"
INSTALL_ID = "course-install"
SOURCE_ENV = "COURSE_INSTALL_SOURCE"
KERNEL_DISPLAY = "Python (DL foundations)"
KERNEL_NAME = "dl-foundations"

_TEMPLATE = '''\
# Makes the course's package importable where it is missing (Colab, Binder, a bare Jupyter); silent otherwise.
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("course_utils") is None:
    if importlib.util.find_spec("torch") is None:
        raise ModuleNotFoundError(
            "This Python has no torch: pick the kernel '{kernel}' (python3 tools/tasks.py setup "
            "registers it), or install the course's packages here with: pip install -r requirements.txt") from None
    source = os.environ.get("{env}") or "git+https://github.com/{repository}@{branch}"
    print(f"Installing the course's package course_utils from {{source}} (once per session) ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source], check=True)
    importlib.invalidate_caches()'''


def install_source(repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """The install cell's source for a course published at ``repository`` on ``branch``."""
    return _TEMPLATE.format(kernel=KERNEL_DISPLAY, env=SOURCE_ENV, repository=repository, branch=branch)
