"""The setup/test command's own logic (tools/tasks.py), without installing anything."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tasks(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("course_tasks", ROOT / "tools" / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "requirements.txt").write_text("torch==2.14.1\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    return module


def test_fingerprint_changes_when_requirements_change(tasks, tmp_path):
    before = tasks.environment_fingerprint()
    assert before == tasks.environment_fingerprint()
    (tmp_path / "requirements.txt").write_text("torch==2.14.1\ntqdm==4.70.1\n")
    assert tasks.environment_fingerprint() != before


def test_a_failing_command_stops_with_its_name(tasks):
    with pytest.raises(SystemExit, match="failed"):
        tasks.run("python3", "-c", "raise SystemExit(3)")
    assert tasks.run("python3", "-c", "raise SystemExit(3)", check=False) == 3


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "python3 tools/tasks.py test" in ci
    assert "python3 tools/tasks.py test" in readme
    assert "COURSE_MNIST_MIRROR" in ci


def test_notebooks_are_collected_by_folder_not_by_list():
    # nbval gets the notebooks/ folder, so a notebook added later is tested with no harness change.
    source = (ROOT / "tools" / "tasks.py").read_text()
    assert '"--nbval",' in source and '"notebooks", "-q"' in source
    assert "--nbval-lax" not in source


def test_notebook_seconds_sums_the_cells_of_each_notebook(tasks, tmp_path):
    report = tmp_path / "notebooks.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="notebooks.01_activations.ipynb" name="Cell 0" time="2.5" />'
        '<testcase classname="notebooks.01_activations.ipynb" name="Cell 1" time="0.25" />'
        '<testcase classname="notebooks.06_mnist_loss_functions.ipynb" name="Cell 0" time="400" />'
        "</testsuite></testsuites>")
    assert tasks.notebook_seconds(report) == {"01_activations.ipynb": 2.75, "06_mnist_loss_functions.ipynb": 400.0}
