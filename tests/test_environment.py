"""The locks are current with their direct lists, environment.yml is derived from the course lock, and the
environment running the tests is the locked one."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools import lock


def locked(path) -> dict[str, Requirement]:
    return {canonicalize_name(r.name): r for r in map(Requirement, lock.pinned_lines(path))}


def test_locks_are_current_with_their_direct_lists_and_environment_yml_is_derived():
    assert lock.problems() == []


def test_editing_a_direct_list_makes_its_lock_stale(tmp_path, monkeypatch):
    direct, compiled = tmp_path / "course.in", tmp_path / "course.txt"
    direct.write_text("tqdm==4.70.1\n")
    compiled.write_text(f"{lock.HASH_PREFIX}{lock.digest(direct)}\ntqdm==4.70.1\n")
    monkeypatch.setattr(lock, "ROOT", tmp_path)
    monkeypatch.setattr(lock, "COURSE", lock.Lock(direct, compiled))
    monkeypatch.setattr(lock, "BOOK", lock.Lock(tmp_path / "absent.in", tmp_path / "absent.txt"))
    monkeypatch.setattr(lock, "ENVIRONMENT_YML", tmp_path / "environment.yml")
    monkeypatch.setattr(lock, "BINDER_REQUIREMENTS", tmp_path / "binder-requirements.txt")
    (tmp_path / "environment.yml").write_text(lock.environment_yml(compiled))
    (tmp_path / "binder-requirements.txt").write_text(lock.binder_requirements(compiled))
    assert lock.problems() == []
    direct.write_text("tqdm==4.70.1\nrich\n")
    assert lock.problems() == ["course.txt is out of date with course.in: run python -m tools.lock"]
    (tmp_path / "binder-requirements.txt").write_text("tqdm==4.70.1\n")
    assert lock.problems()[-1] == ("binder/requirements.txt differs from what requirements.txt gives: "
                                   "run python -m tools.lock")


def test_every_package_is_pinned_exactly_and_the_direct_pins_are_kept():
    course = locked(lock.COURSE.lock)
    assert len(course) > 100, "the lock should hold the transitive packages too"
    for name, req in course.items():
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", f"{name} is not pinned"
    for line in lock.COURSE.direct.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            req = Requirement(line)
            assert str(course[canonicalize_name(req.name)].specifier) == str(req.specifier), line
    assert str(course["torch"].specifier) == "==2.14.1" and str(course["torchvision"].specifier) == "==0.29.1"


def test_the_book_lock_agrees_with_the_course_lock():
    if not lock.BOOK.lock.is_file():
        pytest.skip("no book lock")
    course, book = locked(lock.COURSE.lock), locked(lock.BOOK.lock)
    for name in course.keys() & book.keys():
        assert course[name].specifier == book[name].specifier, f"{name}: the two locks pin different versions"


LOCKED = [r for path in (lock.COURSE.lock, lock.BOOK.lock) if path.is_file() for r in locked(path).values()]


@pytest.mark.parametrize("req", [r for r in LOCKED if r.marker is None or r.marker.evaluate()], ids=str)
def test_installed_versions_match_the_locks(req):
    try:
        installed = version(req.name)
    except PackageNotFoundError:
        pytest.fail(f"{req.name} is not installed: run python3 tools/tasks.py test to install the locked set")
    assert installed.split("+")[0] in req.specifier, f"{req.name} {installed} installed, {req.specifier} locked"
