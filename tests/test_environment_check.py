"""course_utils.environment: the start-here lesson's environment check can fail, and its versions are the
package's and the lock's."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import torch
from packaging.requirements import Requirement

from course_utils import environment as env

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"Python": "3.11.7", "torch": "2.14.1+cu130", "torchvision": "0.29.1", "matplotlib": "3.11.2",
        "numpy": "2.4.6"}


def test_pinned_versions_pass_and_build_tags_are_ignored():
    lines, problems = env.environment_report(GOOD)
    assert problems == []
    assert lines[1] == "torch        ok, 2.14.1"
    assert all(" ok, " in ln for ln in lines) and len(lines) == len(env.MINIMUMS)


def test_an_old_package_is_a_problem_with_its_fix():
    lines, problems = env.environment_report({**GOOD, "torch": "1.13.1"})
    assert problems == ["torch"]
    assert lines[1].startswith("torch        1.13.1 is older than the 2.13 the course needs: run the README's setup")
    _, problems = env.environment_report({**GOOD, "Python": "3.9.18"})
    assert problems == ["Python"]
    lines, problems = env.environment_report({**GOOD, "Python": "3.10.12"})   # below the 3.11 that CI runs
    assert problems == ["Python"] and lines[0].startswith("Python       3.10.12 is older than the 3.11")


def test_the_minimum_itself_passes_and_a_missing_or_unreadable_version_does_not():
    lines, problems = env.environment_report({**GOOD, "torch": "2.13.0"})
    assert problems == [] and "stored outputs were made with 2.14.1" in lines[1]
    without = {k: v for k, v in GOOD.items() if k != "numpy"}
    lines, problems = env.environment_report({**without, "matplotlib": "unknown"})
    assert problems == ["matplotlib", "numpy"]
    assert "cannot be read" in lines[3] and "is not installed" in lines[4]


def test_a_newer_unpinned_version_is_a_note_not_a_problem():
    lines, problems = env.environment_report({**GOOD, "torch": "2.15.0"})
    assert problems == [] and lines[1].startswith("torch        ok, 2.15.0 (the stored outputs were made with 2.14.1")


def test_a_version_no_test_runs_is_untested_not_ok_and_not_a_problem():
    # numpy 2.0.2 and matplotlib 3.7 are above the package's minimums, but CI runs only the pinned ones
    lines, problems = env.environment_report({**GOOD, "numpy": "2.0.2", "matplotlib": "3.12.0",
                                              "Python": "3.12.3", "torchvision": "0.28.0"})
    assert problems == []
    assert lines[0] == ("Python       untested, 3.12.3 (the course's tests run 3.11: a cell may fail or print "
                        "other numbers)")
    assert lines[2].startswith("torchvision  untested, 0.28.0 (the course's tests run 0.29.1")
    assert lines[3].startswith("matplotlib   untested, 3.12.0") and lines[4].startswith("numpy        untested, 2.0.2")
    assert not any(" ok" in ln for i, ln in enumerate(lines) if i != 1)
    # torch is tested as a range: its minimum and a newer release are ok (with a note), not untested
    for torch_version in ("2.13.0", "2.13.1", "2.15.0"):
        line = env.environment_report({**GOOD, "torch": torch_version})[0][1]
        assert line.startswith(f"torch        ok, {torch_version} (the stored outputs were made with 2.14.1")


def test_tested_versions_are_what_ci_runs():
    ci = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert set(re.findall(r'python-version: "([\d.]+)"', ci)) == {env.TESTED["Python"]}
    assert env.TESTED["Python"] == env.MINIMUMS["Python"]              # the oldest Python accepted is the one run
    from tools.tasks import MIN_PYTHON
    assert ".".join(map(str, MIN_PYTHON)) == env.TESTED["Python"]
    assert env.TESTED == {"Python": env.TESTED["Python"], **{k: v for k, v in env.PINNED.items() if k != "torch"}}


def test_check_environment_prints_the_lines_device_and_verdict():
    out = []
    assert env.check_environment(torch.device("cpu"), GOOD, write=out.append) == []
    assert out[-2:] == ["device       cpu", "Environment check passed."]
    out = []
    assert env.check_environment("cpu", {**GOOD, "numpy": "1.20.0"}, write=out.append) == ["numpy"]
    assert out[-1] == "Fix numpy as said above."


def test_the_installed_environment_passes():
    assert env.environment_report(env.installed_versions())[1] == []


def test_minimums_are_the_lower_bounds_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds = {}
    for line in project["dependencies"]:
        req = Requirement(line)
        (spec,) = [s for s in req.specifier if s.operator == ">="]
        bounds[req.name] = spec.version
    assert {k: v for k, v in env.MINIMUMS.items() if k != "Python"} == {k: bounds[k] for k in env.MINIMUMS
                                                                         if k != "Python"}
    assert project["requires-python"] == f">={env.MINIMUMS['Python']}"


def test_pinned_versions_are_the_pins_of_the_direct_list():
    text = (ROOT / "requirements" / "course.in").read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE))
    assert env.PINNED == {k: pins[k] for k in env.PINNED}


def test_a_pre_release_is_untested_with_its_tag_shown():
    for dev in ("2.16.0.dev20261201+cpu", "2.15.0rc1"):
        lines, problems = env.environment_report({**GOOD, "torch": dev})
        assert problems == [] and lines[1].startswith(f"torch        untested, {dev.split('+')[0]} (a pre-release")
    lines, _ = env.environment_report({**GOOD, "numpy": "2.4.6rc1"})       # even the pinned release number
    assert lines[4].startswith("numpy        untested, 2.4.6rc1")


def test_the_fix_says_what_to_do_on_colab_too():
    lines, _ = env.environment_report({**GOOD, "numpy": "1.20.0"})
    assert "on Colab, run `!pip install -U numpy` and restart the session" in lines[4]


def test_a_missing_torchvision_is_a_note_not_a_problem():
    installed = {"Python": "3.11.7", "torch": "2.14.1", "matplotlib": "3.11.2", "numpy": "2.4.6"}
    lines, problems = env.environment_report(installed)
    assert problems == []
    assert any(ln.startswith("torchvision") and "not installed" in ln and "download" in ln for ln in lines)
    lines, problems = env.environment_report({k: v for k, v in installed.items() if k != "torch"})
    assert problems == ["torch"]


def test_ci_and_readme_test_the_oldest_torch_the_course_claims():
    # the minimum that lesson 00 prints (course_utils.environment.MINIMUMS) is the release CI's oldest-torch job runs
    ci = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    tested = re.findall(r"tasks\.py test --torch (\d+\.\d+\.\d+)", ci)
    assert tested, "ci.yml runs no job with an older torch"
    oldest = min(tested, key=lambda v: tuple(int(p) for p in v.split(".")))
    assert oldest.rsplit(".", 1)[0] == env.MINIMUMS["torch"], "the oldest torch CI tests is not the claimed minimum"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"torch {oldest}" in readme and f"torch {env.PINNED['torch']}" in readme
    assert re.search(r"tasks\.py test --torch latest", ci) and "cron:" in ci     # the weekly newest-torch job
