"""Re-execute notebooks in place, from a fresh kernel, exactly as the test command checks them.

    python -m tools.run_notebook notebooks/06_entropy_kl_cross_entropy.ipynb [more.ipynb ...]

Run it with the course environment's Python (``.venv/bin/python``): the kernel is that same
interpreter, whatever kernel the notebook names (as ``nbval --nbval-current-env`` does). The
notebook is written back only when every cell ran without error, so a failing run never replaces
good stored outputs. Prints the wall time per notebook, and, for a notebook of the course map, records
it with the machine, the day and the hash of the code that ran in ``course_utils/lesson_facts.json``
(:mod:`tools.lesson_facts`) and rewrites the header's timing line from it. After any course notebook
it runs ``00_start_here.ipynb`` last, since its course map shows the times just measured
(``--no-start-here`` skips that).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def execute(path: Path, timeout: int) -> float:
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

    nb = nbformat.read(path, as_version=4)
    kernelspec = nb.metadata.get("kernelspec")
    # The kernel runs this interpreter (nbval's "current environment" kernel spec), so a notebook that
    # asks for the registered course kernel runs here even where that kernel is not registered (CI).
    km = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    # Keep stored metadata lean and stable: no per-run timestamps or widget state.
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    if kernelspec is not None:
        nb.metadata["kernelspec"] = kernelspec  # the kernel the notebook asks for, not the one that ran it
    _record(path, nb, elapsed)
    # Write atomically: a crash mid-write never leaves a truncated notebook behind.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".ipynb")
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.chmod(tmp, path.stat().st_mode & 0o777)  # mkstemp makes the file private; keep the original mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return elapsed


def _record(path: Path, nb, elapsed: float) -> None:
    """Store the run's time for a course notebook and bring its header's timing line up to date."""
    from course_utils.chapters import CHAPTERS
    from tools.lesson_facts import FACTS, load, record_run
    from tools.navigation import README, facts_file, readme_with_map, sync_notebook

    index = {c.file: i for i, c in enumerate(CHAPTERS)}
    if path.name not in index:
        return
    facts = facts_file(path.parent)
    record_run(path.name, nb, elapsed, facts)
    sync_notebook(nb, CHAPTERS, index[path.name], facts_path=facts)
    if facts == FACTS and README.is_file():  # the README's map table shows the new time
        text = README.read_text(encoding="utf-8")
        new = readme_with_map(text, CHAPTERS, load(FACTS))
        if new != text:
            README.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebook files to re-execute in place")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell (default 1800)")
    parser.add_argument("--no-start-here", action="store_true",
                        help="do not re-run 00_start_here.ipynb afterwards (when several branches merge later)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("COURSE_PROGRESS", "0")  # stored outputs carry no progress bars
    for path in args.notebooks:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"error: {path} is not a notebook file: pass paths like notebooks/02_activations.ipynb",
                  file=sys.stderr)
            return 2
    paths = list(args.notebooks)
    start_here = NOTEBOOKS / "00_start_here.ipynb"
    if not args.no_start_here and start_here.is_file() and any(p.resolve().parent == NOTEBOOKS for p in paths) and \
            paths[-1].resolve() != start_here:
        paths.append(start_here)  # its course map shows the times just measured: run it last
    for path in paths:
        print(f"executing {path} ...", flush=True)
        elapsed = execute(path, args.timeout)
        print(f"  done in {elapsed:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
