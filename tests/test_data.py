"""Tests for course_utils.data with tiny IDX files made here: no network, no real MNIST."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest
import torch
from torchvision import datasets

from course_utils import data
from course_utils.data import FILES, MnistUnavailableError, ensure_mnist, load_mnist

N_TRAIN, N_TEST = 6, 4


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format MNIST uses: magic 0x0008<ndim>, big-endian dims, data."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = b"\x00\x00\x08" + bytes([array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.tobytes()


@pytest.fixture(scope="module")
def fake() -> dict[str, bytes]:
    """The four MNIST files, uncompressed, with a handful of random digits each."""
    rng = np.random.default_rng(0)
    out = {}
    for prefix, n in (("train", N_TRAIN), ("t10k", N_TEST)):
        out[f"{prefix}-images-idx3-ubyte"] = idx_bytes(rng.integers(0, 256, (n, 28, 28)))
        out[f"{prefix}-labels-idx1-ubyte"] = idx_bytes(rng.integers(0, 10, n))
    return out


def make_mirror(folder: Path, files: dict[str, bytes], gz: bool = True, sums: dict[str, bytes] | None = None):
    """Write a mirror: ``files`` (gzipped or not) plus a SHA256SUMS of ``sums`` (default: the files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(content))
        else:
            (folder / name).write_bytes(content)
    lines = [f"{hashlib.sha256(c).hexdigest()}  {n}" for n, c in (sums if sums is not None else files).items()]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    return folder


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def raw_of(root: Path) -> Path:
    return root / "MNIST" / "raw"


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No environment leaks in, and torchvision's download never touches the network."""
    monkeypatch.delenv(data.MIRROR_ENV, raising=False)
    monkeypatch.delenv(data.ROOT_ENV, raising=False)
    calls = []

    def no_network(self):
        calls.append(self.raw_folder)
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz:\nTried a mirror, got:\nno network")

    monkeypatch.setattr(datasets.MNIST, "download", no_network)
    return calls


# --- source 2: a local mirror ---------------------------------------------------------------------


@pytest.mark.parametrize("gz", [True, False], ids=["gzipped", "raw"])
def test_good_mirror_is_copied_and_checked(tmp_path, fake, gz, offline):
    mirror = make_mirror(tmp_path / "mirror", fake, gz=gz)
    root = tmp_path / "root"
    raw = ensure_mnist(root, mirror=mirror, download=False)
    assert raw == raw_of(root).resolve()
    assert [p.name for p in files_under(root)] == sorted(FILES)  # the four files, no temporary ones
    for name in FILES:
        assert (raw / name).read_bytes() == fake[name]
    assert offline == []


def test_mirror_comes_from_the_environment_variable(tmp_path, fake, monkeypatch):
    monkeypatch.setenv(data.MIRROR_ENV, str(make_mirror(tmp_path / "mirror", fake)))
    raw = ensure_mnist(tmp_path / "root", download=False)
    assert sorted(p.name for p in raw.iterdir()) == sorted(FILES)


def test_mirror_copy_never_writes_outside_root(tmp_path, fake):
    mirror = make_mirror(tmp_path / "mirror", fake)
    before = {p: p.read_bytes() for p in files_under(mirror)}
    ensure_mnist(tmp_path / "root", mirror=mirror, download=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mirror", "root"]
    assert {p: p.read_bytes() for p in files_under(mirror)} == before


def test_corrupted_file_is_refused_and_named(tmp_path, fake, offline):
    bad = dict(fake)
    victim = "t10k-labels-idx1-ubyte"
    bad[victim] = fake[victim][:-1] + bytes([fake[victim][-1] ^ 0xFF])  # one byte flipped, same size
    mirror = make_mirror(tmp_path / "mirror", bad, sums=fake)
    root = tmp_path / "root"
    with pytest.raises(MnistUnavailableError, match=f"refused {victim}.gz") as info:
        ensure_mnist(root, mirror=mirror, download=True)
    assert "SHA256SUMS" in str(info.value)
    assert files_under(root) == []  # not the bad file, and not the good ones staged before it
    assert offline == []  # a refused mirror file is an error, not a reason to go online


def test_unreadable_gzip_is_refused_and_named(tmp_path, fake):
    mirror = make_mirror(tmp_path / "mirror", fake)
    (mirror / "train-labels-idx1-ubyte.gz").write_bytes(b"this is not gzip")
    root = tmp_path / "root"
    with pytest.raises(MnistUnavailableError, match="refused train-labels-idx1-ubyte.gz.*not a readable gzip"):
        ensure_mnist(root, mirror=mirror)
    assert files_under(root) == []


def test_missing_file_in_mirror(tmp_path, fake):
    mirror = make_mirror(tmp_path / "mirror", {k: v for k, v in fake.items() if k != "t10k-images-idx3-ubyte"},
                         sums=fake)
    root = tmp_path / "root"
    with pytest.raises(MnistUnavailableError, match=r"has no t10k-images-idx3-ubyte\(\.gz\)"):
        ensure_mnist(root, mirror=mirror)
    assert files_under(root) == []


def test_file_without_checksum_line_is_refused(tmp_path, fake):
    mirror = make_mirror(tmp_path / "mirror", fake, sums={k: v for k, v in fake.items() if "train" in k})
    with pytest.raises(MnistUnavailableError, match="no line for t10k-images-idx3-ubyte"):
        ensure_mnist(tmp_path / "root", mirror=mirror)


def test_empty_mirror_says_sha256sums_is_missing(tmp_path):
    (tmp_path / "mirror").mkdir()
    with pytest.raises(MnistUnavailableError, match="has no SHA256SUMS"):
        ensure_mnist(tmp_path / "root", mirror=tmp_path / "mirror")
    assert files_under(tmp_path / "root") == []


def test_mirror_that_is_not_a_folder(tmp_path):
    with pytest.raises(MnistUnavailableError, match="is not a folder"):
        ensure_mnist(tmp_path / "root", mirror=tmp_path / "nowhere")


@pytest.mark.parametrize("fail_at", [0, 2], ids=["first-file", "third-file"])
def test_interrupted_copy_leaves_no_partial_file(tmp_path, fake, monkeypatch, fail_at):
    mirror = make_mirror(tmp_path / "mirror", fake)
    real_copy = data._copy
    seen = []

    def copy_then_die(inp, out, digest):
        seen.append(1)
        if len(seen) - 1 == fail_at:
            out.write(inp.read(100))  # half a file is on disk...
            out.flush()
            raise KeyboardInterrupt  # ...when the user presses Ctrl-C
        real_copy(inp, out, digest)

    monkeypatch.setattr(data, "_copy", copy_then_die)
    root = tmp_path / "root"
    with pytest.raises(KeyboardInterrupt):
        ensure_mnist(root, mirror=mirror)
    assert files_under(root) == []
    monkeypatch.setattr(data, "_copy", real_copy)  # the next run starts clean and succeeds
    ensure_mnist(root, mirror=mirror)
    assert [p.name for p in files_under(root)] == sorted(FILES)


def test_failed_write_is_reported_in_one_line(tmp_path, fake, monkeypatch):
    def disk_full(inp, out, digest):
        out.write(inp.read(10))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(data, "_copy", disk_full)
    root = tmp_path / "root"
    with pytest.raises(MnistUnavailableError, match="could not copy train-images-idx3-ubyte.gz .*No space left"):
        ensure_mnist(root, mirror=make_mirror(tmp_path / "mirror", fake))
    assert files_under(root) == []


# --- source 1: files already present ---------------------------------------------------------------


def test_files_already_present_are_used_as_they_are(tmp_path, fake, offline):
    raw = raw_of(tmp_path / "root")
    raw.mkdir(parents=True)
    for name, content in fake.items():
        (raw / name).write_bytes(content)
    stamps = {p: p.stat().st_mtime_ns for p in raw.iterdir()}
    # neither the (missing) mirror nor the network is consulted
    assert ensure_mnist(tmp_path / "root", mirror=tmp_path / "nowhere", download=True) == raw.resolve()
    assert {p: p.stat().st_mtime_ns for p in raw.iterdir()} == stamps
    assert offline == []


def test_truncated_present_file_is_fetched_again(tmp_path, fake):
    raw = raw_of(tmp_path / "root")
    raw.mkdir(parents=True)
    for name, content in fake.items():
        (raw / name).write_bytes(content)
    (raw / "train-images-idx3-ubyte").write_bytes(fake["train-images-idx3-ubyte"][:500])
    keep = (raw / "t10k-labels-idx1-ubyte").stat().st_mtime_ns
    raw_path, how = data._prepare(tmp_path / "root", make_mirror(tmp_path / "mirror", fake), download=False)
    assert how.startswith("copied 1 file(s)")
    assert (raw / "train-images-idx3-ubyte").read_bytes() == fake["train-images-idx3-ubyte"]
    assert (raw / "t10k-labels-idx1-ubyte").stat().st_mtime_ns == keep


def test_idx_check(tmp_path, fake):
    path = tmp_path / "f"
    path.write_bytes(fake["train-labels-idx1-ubyte"])
    assert data._idx_ok(path)
    path.write_bytes(fake["train-labels-idx1-ubyte"] + b"\x00")  # too long
    assert not data._idx_ok(path)
    path.write_bytes(b"\x00\x00\x0d\x01" + fake["train-labels-idx1-ubyte"][4:])  # float type code
    assert not data._idx_ok(path)
    path.write_bytes(b"\x00\x00")
    assert not data._idx_ok(path)
    assert not data._idx_ok(tmp_path / "missing")


# --- sources 3 and 4: download, or a clear error ----------------------------------------------------


def test_no_mirror_and_no_download_names_both_ways(tmp_path, offline):
    with pytest.raises(MnistUnavailableError) as info:
        ensure_mnist(tmp_path / "root", download=False)
    message = str(info.value)
    assert data.MIRROR_ENV in message and "SHA256SUMS" in message and "internet" in message
    assert "\n" not in message
    assert offline == []


def test_failed_download_is_caught_and_names_both_ways(tmp_path, offline):
    root = tmp_path / "root"
    with pytest.raises(MnistUnavailableError) as info:
        ensure_mnist(root, download=True)
    message = str(info.value)
    assert "(no network)" in message and data.MIRROR_ENV in message and "internet" in message
    assert len(offline) == 1 and Path(offline[0]).is_relative_to(root.resolve())  # downloads inside root
    assert files_under(root) == [] and list(root.iterdir()) == []  # scratch folder removed


def test_successful_download_lands_in_raw(tmp_path, fake, monkeypatch):
    def fake_download(self):
        Path(self.raw_folder).mkdir(parents=True, exist_ok=True)
        for name, content in fake.items():
            Path(self.raw_folder, f"{name}.gz").write_bytes(gzip.compress(content))  # torchvision keeps these
            Path(self.raw_folder, name).write_bytes(content)

    monkeypatch.setattr(datasets.MNIST, "download", fake_download)
    root = tmp_path / "root"
    raw, how = data._prepare(root, None, download=True)
    assert how == "downloaded 4 file(s) with torchvision"
    assert [p.relative_to(root) for p in files_under(root)] == [Path("MNIST/raw", n) for n in sorted(FILES)]


# --- load_mnist, defaults and the command line ---------------------------------------------------------


@pytest.mark.parametrize(("split", "n", "prefix"), [("train", N_TRAIN, "train"), ("test", N_TEST, "t10k")])
def test_load_mnist_shapes_and_dtypes(tmp_path, fake, split, n, prefix, monkeypatch):
    monkeypatch.setenv(data.MIRROR_ENV, str(make_mirror(tmp_path / "mirror", fake)))
    images, labels = load_mnist(split, root=tmp_path / "root", download=False)
    assert images.shape == (n, 28, 28) and images.dtype == torch.uint8
    assert labels.shape == (n,) and labels.dtype == torch.int64
    expected_labels = np.frombuffer(fake[f"{prefix}-labels-idx1-ubyte"][8:], dtype=np.uint8)
    assert labels.tolist() == expected_labels.tolist()
    expected_first = np.frombuffer(fake[f"{prefix}-images-idx3-ubyte"][16 : 16 + 784], dtype=np.uint8)
    assert images[0].flatten().tolist() == expected_first.tolist()


@pytest.mark.parametrize("split", ["validation", "Train", ""])
def test_load_mnist_rejects_unknown_split(tmp_path, split):
    with pytest.raises(ValueError, match="use 'train' or 'test'"):
        load_mnist(split, root=tmp_path / "root")
    assert not (tmp_path / "root").exists()


def test_default_root(tmp_path, monkeypatch):
    repo = Path(data.__file__).resolve().parent.parent
    assert data.default_root() == repo / "data"  # this checkout has notebooks/
    monkeypatch.setenv(data.ROOT_ENV, str(tmp_path / "elsewhere"))
    assert data.default_root() == (tmp_path / "elsewhere").resolve()


def test_command_line(tmp_path, fake, capsys):
    mirror = make_mirror(tmp_path / "mirror", fake)
    root = tmp_path / "root"
    assert data.main(["--root", str(root), "--no-download"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and data.MIRROR_ENV in err
    assert data.main(["--root", str(root), "--mirror", str(mirror)]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and "copied 4 file(s)" in out and err == ""
    assert data.main(["--root", str(root), "--no-download"]) == 0
    assert "already present" in capsys.readouterr().out


def test_read_idx_reads_what_torchvision_reads_and_refuses_a_broken_file(tmp_path):
    good = tmp_path / "x-idx3-ubyte"
    good.write_bytes(b"\x00\x00\x08\x03" + (2).to_bytes(4, "big") + (3).to_bytes(4, "big") * 2 + bytes(range(18)))
    assert data.read_idx(good).reshape(-1).tolist() == list(range(18))
    assert data.read_idx(good).shape == (2, 3, 3)
    short = tmp_path / "short-idx3-ubyte"
    short.write_bytes(good.read_bytes()[:-1])
    with pytest.raises(MnistUnavailableError, match="holds 17 bytes of data, its header says 18"):
        data.read_idx(short)
    floats = tmp_path / "floats-idx1-ubyte"
    floats.write_bytes(b"\x00\x00\x0d\x01" + (1).to_bytes(4, "big") + b"\x00\x00\x80\x3f")
    with pytest.raises(MnistUnavailableError, match="not an IDX file of unsigned bytes"):
        data.read_idx(floats)
