"""The pip path (requirements.txt) and the conda path (environment.yml) must not drift apart, and the
environment running the tests must be the pinned one."""

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-]+)==([^\s#]+)\s*(?:#.*)?$")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        m = PIN.match(line)
        if m:
            found[m.group(1).lower()] = m.group(2)
    return found


def test_requirements_and_environment_yml_agree():
    pip_pins = pins(ROOT / "requirements.txt")
    conda_pins = pins(ROOT / "environment.yml")
    assert pip_pins, "requirements.txt pins nothing"
    assert pip_pins == conda_pins, (
        "requirements.txt and environment.yml differ: "
        f"only in pip {sorted(pip_pins.keys() - conda_pins.keys())}, "
        f"only in conda {sorted(conda_pins.keys() - pip_pins.keys())}, "
        f"other versions {sorted(k for k in pip_pins.keys() & conda_pins.keys() if pip_pins[k] != conda_pins[k])}"
    )


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert PIN.match(line), f"requirements.txt: {line!r} is not pinned with =="


def test_torch_and_torchvision_are_pinned_together():
    p = pins(ROOT / "requirements.txt")
    assert "torch" in p and "torchvision" in p


@pytest.mark.parametrize("name,pinned", sorted(pins(ROOT / "requirements.txt").items()))
def test_installed_versions_match_the_pins(name, pinned):
    try:
        installed = version(name)
    except PackageNotFoundError:
        pytest.fail(f"{name} is not installed: run python3 tools/tasks.py test to install the pinned set")
    assert installed.split("+")[0] == pinned, f"{name} {installed} installed, {pinned} pinned"
