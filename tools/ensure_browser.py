"""Make sure a headless Chromium is available for the browser tests; install Debian's when it is missing.

    python -m tools.ensure_browser [--require]

Prints the browser it found or installed. When none is installed, it runs
``apt-get update && apt-get install -y chromium`` if this is root on a machine with apt-get; otherwise it
prints one line saying how to install one. Exits 0 either way (the site test then skips with that
reason), unless ``--require`` is given: then it exits 1 when no browser can be had.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HOW_TO = "install a headless browser with: sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM=/path"


def find_browser() -> str | None:
    """Path of a Chromium-family browser: $CHROMIUM if set, else the first one found on PATH."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if shutil.which(env) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def install() -> bool:
    """Install Debian's chromium with apt-get when this is root with apt-get; report what happened."""
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"no browser found and cannot install one here (needs root and apt-get): {HOW_TO}")
        return False
    print("no browser found: installing Debian's chromium (apt-get update && apt-get install -y chromium) ...",
          flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "chromium"]):
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            print(f"'{' '.join(cmd[1:])}' failed ({tail[0]}): {HOW_TO}")
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--require", action="store_true", help="exit 1 when no browser can be had")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None and os.environ.get("CHROMIUM"):
        print(f"CHROMIUM={os.environ['CHROMIUM']} is not an executable browser: {HOW_TO}")
    elif browser is None and install():
        browser = find_browser()
    if browser is None:
        return 1 if args.require else 0
    version = subprocess.run([browser, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"browser: {browser} ({version or 'version unknown'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
