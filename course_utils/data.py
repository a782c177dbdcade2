"""MNIST for the course: one call gives the train or test split as tensors, offline when it can.

``load_mnist("train")`` returns ``(images, labels)``: uint8 ``[N, 28, 28]`` and int64 ``[N]``, read
from the IDX files in ``<root>/MNIST/raw/`` (:func:`read_idx`; torchvision is needed only to download).
:func:`ensure_mnist` makes sure the four raw
IDX files are there first, taking them from, in order:

1. ``<root>/MNIST/raw/`` itself, when the four files are already there and whole;
2. a local mirror folder named by ``COURSE_MNIST_MIRROR`` (gzipped or raw IDX files plus a
   ``SHA256SUMS`` of the *uncompressed* files): every file is checked before it is used;
3. torchvision's download, when ``download=True`` (needs the internet);
4. otherwise a :class:`MnistUnavailableError` that says both ways to get the data.

Nothing is written outside ``root``, and every file is written to a temporary file in the same folder
and renamed into place, so an interrupted copy never leaves half a file behind.

The default root is ``COURSE_DATA_DIR`` when set, else the course checkout's ``data/`` folder.
From a shell, ``python -m course_utils.data`` prepares the files and prints one line saying how.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

import torch

FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
SPLITS = ("train", "test")
MIRROR_ENV = "COURSE_MNIST_MIRROR"
ROOT_ENV = "COURSE_DATA_DIR"
_CHUNK = 1 << 20
_HOW_TO_GET_IT = (
    f"set {MIRROR_ENV} to a folder holding the four MNIST files (gzipped or not) and their SHA256SUMS, "
    "or connect to the internet and run again with downloading on"
)


class MnistUnavailableError(RuntimeError):
    """MNIST could not be had, or a candidate file was refused; the message says what to do."""


def default_root() -> Path:
    """``COURSE_DATA_DIR`` if set, else the checkout's ``data/`` folder, else ``./data``."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).expanduser().resolve()
    repo = Path(__file__).resolve().parent.parent
    if (repo / "notebooks").is_dir():
        return repo / "data"
    return Path.cwd() / "data"


def _idx_ok(path: Path) -> bool:
    """Cheap wholeness check of an unsigned-byte IDX file: its header and its size agree."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(4)
            if len(head) < 4 or head[:3] != b"\x00\x00\x08" or head[3] == 0:
                return False
            dims = f.read(4 * head[3])
    except OSError:
        return False
    if len(dims) != 4 * head[3]:
        return False
    count = 1
    for i in range(head[3]):
        count *= int.from_bytes(dims[4 * i : 4 * i + 4], "big")
    return size == 4 + len(dims) + count


def _missing(raw: Path) -> list[str]:
    return [name for name in FILES if not _idx_ok(raw / name)]


def _read_sums(mirror: Path) -> dict[str, str]:
    """Parse ``SHA256SUMS`` (``<hex>  <name>`` lines, as written by ``sha256sum``)."""
    sums_file = mirror / "SHA256SUMS"
    if not mirror.is_dir():
        raise MnistUnavailableError(f"the MNIST mirror {mirror} is not a folder: fix {MIRROR_ENV} or unset it.")
    if not sums_file.is_file():
        raise MnistUnavailableError(
            f"the MNIST mirror {mirror} has no SHA256SUMS, so its files cannot be checked: "
            "add one (sha256sum of the uncompressed files) or point the mirror variable elsewhere."
        )
    sums = {}
    for line in sums_file.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            sums[parts[1].lstrip("*")] = parts[0].lower()
    return sums


def _stage(src: Path, raw: Path, name: str, expected: str) -> Path:
    """Copy ``src`` (gunzipping ``.gz``) into a temporary file in ``raw``; check its SHA-256; return it."""
    fd, tmp_name = tempfile.mkstemp(dir=raw, prefix=f".{name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        opener = gzip.open if src.suffix == ".gz" else open
        try:
            with os.fdopen(fd, "wb") as out, opener(src, "rb") as inp:
                _copy(inp, out, digest)
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            raise MnistUnavailableError(
                f"refused {src.name} from the MNIST mirror: it is not a readable gzip file ({err}); "
                "replace it with a good copy."
            ) from err
        except OSError as err:  # unreadable source, full disk...
            raise MnistUnavailableError(
                f"could not copy {src.name} from the MNIST mirror ({err}): check that it is readable and "
                f"that {raw} has room."
            ) from err
        if digest.hexdigest() != expected:
            raise MnistUnavailableError(
                f"refused {src.name} from the MNIST mirror: its content does not match SHA256SUMS "
                "(corrupted or a different file); replace it with a good copy."
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the data is not
    except BaseException:  # also Ctrl-C: never leave the temporary file behind
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _copy(inp, out, digest) -> None:
    """Stream ``inp`` into ``out`` chunk by chunk, feeding ``digest`` on the way."""
    while chunk := inp.read(_CHUNK):
        digest.update(chunk)
        out.write(chunk)


def _from_mirror(mirror: Path, raw: Path, names: list[str]) -> None:
    """Check and copy ``names`` from the mirror: all of them land, or none does."""
    sums = _read_sums(mirror)
    sources = {}
    for name in names:
        src = next((p for p in (mirror / f"{name}.gz", mirror / name) if p.is_file()), None)
        if src is None:
            raise MnistUnavailableError(f"the MNIST mirror {mirror} has no {name}(.gz): add it or fix {MIRROR_ENV}.")
        if name not in sums:
            raise MnistUnavailableError(f"the SHA256SUMS of MNIST mirror {mirror} has no line for {name}: add one.")
        sources[name] = src
    raw.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        for name, src in sources.items():
            staged[name] = _stage(src, raw, name, sums[name])
        for name, tmp in staged.items():
            os.replace(tmp, raw / name)
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def _from_download(root: Path, raw: Path, names: list[str]) -> None:
    """Let torchvision download into a scratch folder inside ``root``, then move the files into place."""
    from torchvision import datasets

    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=root, prefix=".mnist-download-"))
    try:
        try:
            datasets.MNIST(scratch, train=True, download=True)
        except Exception as err:  # no network, server down, bad checksum...
            lines = [line.strip() for line in str(err).splitlines() if line.strip()]
            reason = lines[-1] if lines else type(err).__name__
            raise MnistUnavailableError(
                f"MNIST is not in {raw} and torchvision could not download it ({reason}): {_HOW_TO_GET_IT}."
            ) from err
        got = scratch / "MNIST" / "raw"
        bad = [name for name in names if not _idx_ok(got / name)]
        if bad:
            raise MnistUnavailableError(f"torchvision's download gave broken {', '.join(bad)}: {_HOW_TO_GET_IT}.")
        raw.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(got / name, raw / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _prepare(root: str | Path | None, mirror: str | Path | None, download: bool) -> tuple[Path, str]:
    root = Path(root).expanduser().resolve() if root is not None else default_root()
    raw = root / "MNIST" / "raw"
    names = _missing(raw)
    if not names:
        return raw, "already present"
    mirror = mirror if mirror is not None else (os.environ.get(MIRROR_ENV) or None)
    if mirror is not None:
        mirror = Path(mirror).expanduser().resolve()
        _from_mirror(mirror, raw, names)
        return raw, f"copied {len(names)} file(s) from {mirror}, SHA-256 checked"
    if download:
        _from_download(root, raw, names)
        return raw, f"downloaded {len(names)} file(s) with torchvision"
    raise MnistUnavailableError(f"MNIST is not in {raw} and downloading is off: {_HOW_TO_GET_IT}.")


def ensure_mnist(root: str | Path | None = None, mirror: str | Path | None = None, download: bool = True) -> Path:
    """Make sure the four raw MNIST files are in ``<root>/MNIST/raw/``; return that folder.

    ``mirror`` defaults to ``COURSE_MNIST_MIRROR``; raises :class:`MnistUnavailableError` when the
    files cannot be had or a mirror file fails its checksum.
    """
    return _prepare(root, mirror, download)[0]


def load_mnist(
    split: str = "train", root: str | Path | None = None, download: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST ``split`` ("train": 60,000 images, "test": 10,000) as (uint8 [N,28,28], int64 [N])."""
    if split not in SPLITS:
        raise ValueError(f"unknown MNIST split {split!r}: use 'train' or 'test'.")
    raw = ensure_mnist(root, download=download)
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(raw / f"{prefix}-images-idx3-ubyte")
    labels = read_idx(raw / f"{prefix}-labels-idx1-ubyte").long()
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise MnistUnavailableError(f"the {split} files in {raw} do not match ({tuple(images.shape)} images, "
                                    f"{tuple(labels.shape)} labels): delete them and run again.")
    return images, labels


def read_idx(path: str | Path) -> torch.Tensor:
    """An IDX file of unsigned bytes (MNIST's format: a magic number 0x0000 08 ``ndim``, ``ndim``
    big-endian sizes, then the data) as a uint8 tensor of those sizes."""
    data = Path(path).read_bytes()
    if len(data) < 4 or data[:3] != b"\x00\x00\x08" or not 1 <= data[3] <= 4:
        raise MnistUnavailableError(f"{path} is not an IDX file of unsigned bytes: delete it and run again.")
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * k: 8 + 4 * k], "big") for k in range(ndim)]
    offset = 4 + 4 * ndim
    count = 1
    for n in shape:
        count *= n
    if len(data) != offset + count:
        raise MnistUnavailableError(f"{path} holds {len(data) - offset} bytes of data, its header says {count}: "
                                    "delete it and run again.")
    return torch.frombuffer(bytearray(data[offset:]), dtype=torch.uint8).reshape(shape)


def main(argv: list[str] | None = None) -> int:
    """Command line: prepare MNIST and print one line; exit code 1 when it cannot be had."""
    parser = argparse.ArgumentParser(description="Prepare MNIST in the course's data folder.")
    parser.add_argument("--root", type=Path, default=None, help="data folder (default: the course's data/)")
    parser.add_argument("--mirror", type=Path, default=None, help=f"mirror folder (default: ${MIRROR_ENV})")
    parser.add_argument("--no-download", action="store_true", help="never try torchvision's download")
    args = parser.parse_args(argv)
    try:
        raw, how = _prepare(args.root, args.mirror, not args.no_download)
    except MnistUnavailableError as err:
        print(f"MNIST: {err}", file=sys.stderr)
        return 1
    print(f"MNIST ready in {raw} ({how}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
