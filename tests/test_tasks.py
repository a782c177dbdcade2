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


def test_fingerprint_of_the_test_environment_covers_the_book_lock(tasks, tmp_path):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "book.txt").write_text("sphinx==9.0.0\n")
    assert tasks.locks(book=False) == ["requirements.txt"]
    assert tasks.locks(book=True) == ["requirements.txt", "requirements/book.txt"]
    before = tasks.environment_fingerprint(book=True)
    (tmp_path / "requirements" / "book.txt").write_text("sphinx==9.0.1\n")
    assert tasks.environment_fingerprint(book=True) != before


def recorded_test_run(tasks, monkeypatch, argv):
    """Run ``tasks.py test`` with every command recorded instead of run; return (command, env) pairs."""
    calls = []
    monkeypatch.setattr(tasks, "ensure_environment", lambda book=False: Path("python"))
    monkeypatch.setattr(tasks, "run",
                        lambda *a, check=True, **kw: calls.append(([str(x) for x in a], kw.get("env"))) or 0)
    assert tasks.main(["test", *argv]) == 0
    return calls


def test_strict_notebook_check_runs_on_the_cpu_and_collects_the_folder(tasks, monkeypatch):
    calls = recorded_test_run(tasks, monkeypatch, [])
    nbval = [(cmd, env) for cmd, env in calls if "--nbval-current-env" in cmd]
    assert len(nbval) == 1
    cmd, env = nbval[0]
    # nbval gets the notebooks/ folder, so a notebook added later is tested with no harness change.
    assert "--nbval" in cmd and "--nbval-lax" not in cmd and "notebooks" in cmd
    assert env["COURSE_DEVICE"] == "cpu"
    assert any("tests/test_colab.py" in cmd and "--ignore" not in cmd for cmd, _ in calls)
    assert any("tools.lint_workflows" in cmd for cmd, _ in calls)


@pytest.mark.parametrize("device", ["cuda", "mps"])
def test_a_device_run_is_lax_and_on_that_device(tasks, monkeypatch, device):
    calls = recorded_test_run(tasks, monkeypatch, ["--device", device])
    cmd, env = next((cmd, env) for cmd, env in calls if "--nbval-current-env" in cmd)
    assert "--nbval-lax" in cmd and "--nbval" not in cmd
    assert env["COURSE_DEVICE"] == device


def test_notebook_seconds_sums_the_cells_of_each_notebook(tasks, tmp_path):
    report = tmp_path / "notebooks.xml"
    report.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="notebooks.02_activations.ipynb" name="Cell 0" time="2.5" />'
        '<testcase classname="notebooks.02_activations.ipynb" name="Cell 1" time="0.25" />'
        '<testcase classname="notebooks.10_mnist_training_loop.ipynb" name="Cell 0" time="400" />'
        "</testsuite></testsuites>")
    assert tasks.notebook_seconds(report) == {"02_activations.ipynb": 2.75, "10_mnist_training_loop.ipynb": 400.0}


def test_the_ci_workflow_runs_the_test_command_and_keeps_the_builds():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) >= {"push", "pull_request"}
    steps = workflow["jobs"]["test"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "python3 tools/tasks.py test" in runs
    assert "-m tools.build_assignments" in runs and "-m tools.build_site" in runs
    uses = {step.get("uses", "").split("@")[0]: step.get("with", {}) for step in steps}
    assert uses["actions/setup-python"]["cache"] == "pip"
    assert uses["actions/cache"]["path"] == "data/MNIST"
    uploads = [step["with"]["path"] for step in steps if step.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads == ["build/student", "build/site"]
    assert workflow["jobs"]["test"]["timeout-minutes"] <= 90


def test_setup_names_the_lessons_that_need_mnist_from_the_map(tasks):
    from course_utils.chapters import LESSONS
    assert tasks.lessons_needing("MNIST") == [c.number for c in LESSONS if "MNIST" in c.needs] == ["00", "10", "11"]
