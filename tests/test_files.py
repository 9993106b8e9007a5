"""Files that survive kills and power losses, and the lock of a folder several processes write to."""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import files
from generator.files import locked, remove_leftovers, write_atomically
from tests.conftest import ROOT


def test_a_file_reaches_the_disk_before_its_name_points_at_it_and_the_rename_is_flushed_after(tmp_path, monkeypatch):
    """A power loss cannot leave an empty file under a good name: fsync of the data, rename, fsync of the folder."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else f"fsync {os.fstat(handle).st_size} bytes")
        real_fsync(handle)

    def replace(source: str, target: Path) -> None:
        name = Path(source).name
        events.append(f"rename {'.pao.docx.*.tmp' if name.startswith('.pao.docx.') and name.endswith('.tmp') else name} to {Path(target).name}")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    folder = tmp_path / "build"
    write_atomically(folder / "pao.docx", b"data")
    assert (folder / "pao.docx").read_bytes() == b"data"
    flushed = ["fsync folder"] if sys.platform != "win32" else []  # Windows cannot open a folder to flush it
    assert events == ["fsync 4 bytes", "rename .pao.docx.*.tmp to pao.docx", *flushed]
    assert [p.name for p in folder.iterdir()] == ["pao.docx"]


def test_a_cache_file_is_renamed_into_place_unflushed(tmp_path, monkeypatch):
    """A file whose reader checks it (Jinja's compiled code) is written whole under its name, without the cost of
    flushing it: a reader never sees half of it."""
    events: list[str] = []
    monkeypatch.setattr(os, "fsync", lambda handle: events.append("fsync"))
    target = tmp_path / "cache" / "part.jinja"
    write_atomically(target, b"old", durable=False)
    write_atomically(target, b"code", durable=False)
    assert target.read_bytes() == b"code"
    assert events == []
    assert [p.name for p in target.parent.iterdir()] == ["part.jinja"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "pao.docx"
    target.write_bytes(b"old")

    def full_disk(handle: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["pao.docx"]
    assert target.read_bytes() == b"old"


def test_the_temporary_files_of_a_killed_writer_are_removed_and_nothing_else(tmp_path):
    leftovers = [tmp_path / ".x.docx.123.tmp", tmp_path / ".manifest.json.k2_9ab7z.tmp", tmp_path / "es" / ".pao-p-es.docx.abcdefgh.tmp"]
    kept = [tmp_path / "x.docx", tmp_path / "notes.tmp", tmp_path / ".pao.lock", tmp_path / "es" / "pao-p-es.docx"]
    for path in leftovers + kept:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x")
    assert remove_leftovers([tmp_path, tmp_path / "es", tmp_path / "missing"]) == sorted(leftovers[:2]) + leftovers[2:]
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == sorted(kept)


def test_a_locked_folder_is_waited_for_then_given_up_with_a_timeout(tmp_path):
    lock = tmp_path / ".pao.lock"
    told: list[str] = []
    with locked(lock, timeout=1):
        started = time.monotonic()
        with pytest.raises(TimeoutError), locked(lock, timeout=0.3, waiting=lambda: told.append("waiting")):
            pytest.fail("the lock was taken twice")
        assert time.monotonic() - started >= 0.3
    assert told == ["waiting"]  # told once, not at every try
    with locked(lock, timeout=0, waiting=lambda: told.append("again")):
        pass
    assert told == ["waiting"]  # free again: taken without waiting


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_holder_leaves_the_lock_free(tmp_path):
    lock = tmp_path / ".pao.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from generator.files import locked\n"
         "with locked(Path(sys.argv[1]), 5):\n    print('locked', flush=True); time.sleep(60)", str(lock)],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, text=True,
    )
    with holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            with pytest.raises(TimeoutError), locked(lock, timeout=0.2):
                pass
            holder.send_signal(signal.SIGKILL)
            holder.wait(10)
            told: list[str] = []
            with locked(lock, timeout=5, waiting=lambda: told.append("waiting")):
                assert told == []
        finally:
            holder.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_a_file_system_without_locks_is_an_error_naming_the_lock_file(tmp_path, monkeypatch):
    def no_locks(handle: int, operation: int) -> None:
        raise OSError(37, "No locks available")

    monkeypatch.setattr(files.fcntl, "flock", no_locks)
    with pytest.raises(OSError) as error, locked(tmp_path / ".pao.lock", timeout=1):
        pass
    assert (error.value.strerror, error.value.filename) == ("No locks available", str(tmp_path / ".pao.lock"))
