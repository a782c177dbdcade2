"""Handing the course to a class: the nbgitpuller link and the Binder badge, and the files Binder builds
from, checked without network (repo2docker reads the repository but builds nothing)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from course_utils.chapters import (
    BINDER_BADGE_URL,
    BRANCH,
    CHAPTERS,
    REPOSITORY,
    binder_url,
    chapter,
    nbgitpuller_url,
    repository_url,
)
from tools import lock
from tools.install_cell import KERNEL_DISPLAY, KERNEL_NAME

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def query(url: str) -> dict[str, str]:
    """A URL's query as one value per key (a key given twice fails)."""
    values = parse_qs(urlsplit(url).query, strict_parsing=True)
    assert all(len(v) == 1 for v in values.values()), url
    return {k: v[0] for k, v in values.items()}


def test_nbgitpuller_link_has_the_documented_form():
    url = nbgitpuller_url("https://hub.example.edu")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    name = REPOSITORY.split("/")[1]
    assert query(url) == {"repo": f"https://github.com/{REPOSITORY}", "branch": BRANCH,
                          "urlpath": f"lab/tree/{name}/notebooks/{CHAPTERS[0].file}"}
    assert "/" not in parts.query and ":" not in parts.query, "every value is URL-encoded"
    assert (ROOT / "notebooks" / CHAPTERS[0].file).is_file()


def test_nbgitpuller_link_follows_the_map_and_the_hub():
    other = nbgitpuller_url("https://jupyter.uni.example/prefix/", chapter("05"), "someone/fork", "term-2")
    assert urlsplit(other).path == "/prefix/hub/user-redirect/git-pull"
    assert query(other) == {"repo": "https://github.com/someone/fork", "branch": "term-2",
                            "urlpath": f"lab/tree/fork/notebooks/{chapter('05').file}"}
    assert repository_url() == f"https://github.com/{REPOSITORY}"


@pytest.mark.parametrize("hub", ["hub.example.edu", "ftp://hub.example.edu", "https://", "https://h.edu/?x=1"])
def test_nbgitpuller_link_refuses_a_hub_that_is_not_an_address(hub):
    with pytest.raises(ValueError, match="must look like https://hub.example.edu"):
        nbgitpuller_url(hub)


def test_binder_badge_opens_lesson_00_from_the_map():
    url = binder_url()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "mybinder.org", f"/v2/gh/{REPOSITORY}/{BRANCH}")
    assert query(url) == {"urlpath": f"lab/tree/notebooks/{CHAPTERS[0].file}"}
    assert query(binder_url(chapter("08"))) == {"urlpath": f"lab/tree/notebooks/{chapter('08').file}"}


def test_readme_shows_the_badge_and_the_link_it_documents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"[![Binder]({BINDER_BADGE_URL})]({binder_url()})" in readme
    assert nbgitpuller_url("https://hub.example.edu") in readme
    assert "https://<hub>/hub/user-redirect/git-pull?repo=" in readme


def pins(text: str) -> dict[str, str]:
    """"name" (with " ; marker" where the line has one) -> version, for every ``name==version`` line."""
    found = {}
    for line in text.splitlines():
        m = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)\s*(;.*)?", line.strip())
        if m:
            found[m.group(1) + (f" {m.group(3)}" if m.group(3) else "")] = m.group(2)
    return found


def test_binder_requirements_are_the_course_pins_with_the_cpu_build_of_torch():
    text = (BINDER / "requirements.txt").read_text()
    assert text == lock.binder_requirements(), "binder/requirements.txt is stale: run python -m tools.lock"
    assert f"--extra-index-url {lock.TORCH_CPU_INDEX}" in text.splitlines()
    binder, course = pins(text), pins((ROOT / "requirements.txt").read_text())
    assert binder["torch"] == course["torch"] + "+cpu" and binder["torchvision"] == course["torchvision"] + "+cpu"
    assert not [n for n in binder if re.match(r"(nvidia-|cuda-|triton)", n)], "CUDA libraries left in"
    dropped = sorted(set(course) - set(binder))
    assert dropped and all(re.match(r"(nvidia-|cuda-|triton)", n) for n in dropped), dropped
    same = {n: v for n, v in course.items() if n in binder and n not in ("torch", "torchvision")}
    assert same == {n: binder[n] for n in same}
    assert not any(ln.startswith(("-r", "-e", "-c", ".")) for ln in text.splitlines()), \
        "repo2docker installs the file before copying the repository: no local paths"


def test_binder_runtime_and_post_build():
    assert (BINDER / "runtime.txt").read_text().strip() == f"python-{lock.PYTHON_VERSION}"
    post = BINDER / "postBuild"
    assert post.stat().st_mode & stat.S_IXUSR, "binder/postBuild must be executable"
    commands = [ln for ln in post.read_text().splitlines() if ln and not ln.startswith("#")]
    assert commands[0] == "set -euo pipefail"
    assert "python -m pip install --no-deps -e ." in commands
    assert (f'python -m ipykernel install --user --name {KERNEL_NAME} --display-name "{KERNEL_DISPLAY}"'
            in commands)


def test_repo2docker_reads_the_binder_folder_without_building(tmp_path):
    pytest.importorskip("repo2docker", reason="repo2docker is not installed: pip install -r requirements/book.txt")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
    proc = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(ROOT)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dockerfile = proc.stdout + proc.stderr
    assert f"python={lock.PYTHON_VERSION}" in dockerfile, "runtime.txt not read"
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "./binder/postBuild" in dockerfile
    assert "environment.yml" not in dockerfile, "Binder would build from the root environment.yml"
