"""Lessons 10 + 11 against the old chapter 06, measured side by side: one run of this script answers.

    .venv/bin/python benchmarks/bench_mnist_lessons.py [--write-back] [--new-first]

Issue 24 asks that the two MNIST lessons together take at most 1.8 times the old chapter 06
(``notebooks/06_mnist_loss_functions.ipynb`` before the twelve-lesson move, commit ``OLD_COMMIT``)
under the test command, on the same machine, one after the other at the same moment. The machine is
shared and its speed varies by tens of percent between hours, so only a ratio from back-to-back runs
means something.

The script extracts the old chapter and the ``course_utils`` it ran with from git (``git archive``
into a temporary folder, nothing in the repository changes), then executes, one after another, each
from a fresh kernel exactly as ``tools.run_notebook`` does (nbclient, nbval's current-environment
kernel, ``PYTHONHASHSEED=0``, no progress bars): the old chapter with the old ``course_utils`` on its
path, and lessons 10 and 11 with this checkout's. It prints each wall time, the load average before
and after, and the ratio (10 + 11) / old 06.

Without ``--write-back`` nothing is written. With it, lessons 10 and 11 are stored as
``tools.run_notebook`` stores them (outputs, lesson facts, header), so the measured run is also the
lessons' re-execution.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OLD_COMMIT = "2f823a8127edabed9a459236e3c5530cfba49760"  # the last commit with the old chapter 06
OLD_PATH = "notebooks/06_mnist_loss_functions.ipynb"
NEW = ("notebooks/10_mnist_training_loop.ipynb", "notebooks/11_mnist_losses_used_right.ipynb")


def extract_old(into: Path) -> Path:
    """The old chapter and its ``course_utils`` at ``OLD_COMMIT``, unpacked under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_COMMIT, "course_utils", OLD_PATH],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / OLD_PATH


def run_plain(path: Path, pythonpath: Path, timeout: int) -> float:
    """Execute ``path`` from a fresh kernel whose ``course_utils`` comes from ``pythonpath``; write nothing."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
    client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}},
                            allow_errors=False)
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(pythonpath)  # the kernel inherits it
    try:
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start
    finally:
        if km.has_kernel:  # a kernel manager passed in is not shut down by nbclient itself
            km.shutdown_kernel(now=True)
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write-back", action="store_true",
                        help="store lessons 10 and 11 as tools.run_notebook does (outputs, facts, header)")
    parser.add_argument("--new-first", action="store_true", help="lessons 10 and 11 first (default: the old chapter)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell (1800)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("COURSE_PROGRESS", "0")
    if os.environ.get("COURSE_QUICK") == "1":
        print("error: unset COURSE_QUICK: the comparison is of the full runs", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from tools.run_notebook import execute

    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="old06-") as tmp:
        old = extract_old(Path(tmp))

        def run_old() -> None:
            print(f"old chapter 06 ({OLD_COMMIT[:7]}) ...", flush=True)
            times["old 06"] = run_plain(old, Path(tmp), args.timeout)
            print(f"  {times['old 06']:.0f} s", flush=True)

        def run_new() -> None:
            for rel in NEW:
                print(f"{rel} ...", flush=True)
                path = ROOT / rel
                times[path.name[:2]] = execute(path, args.timeout) if args.write_back else \
                    run_plain(path, ROOT, args.timeout)
                print(f"  {times[path.name[:2]]:.0f} s", flush=True)

        load_before = os.getloadavg()
        for step in ((run_new, run_old) if args.new_first else (run_old, run_new)):
            step()
        load_after = os.getloadavg()
    new = times["10"] + times["11"]
    print(f"load average (1, 5, 15 min) before {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}, "
          f"after {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    print(f"old 06: {times['old 06']:.0f} s | 10: {times['10']:.0f} s + 11: {times['11']:.0f} s = {new:.0f} s | "
          f"ratio (10 + 11) / old 06 = {new / times['old 06']:.2f} (issue 24: at most 1.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
