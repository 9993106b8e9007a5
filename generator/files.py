"""Writing files so that no reader sees half of one, a kill leaves nothing a later run cannot clean,
and a power loss cannot leave an empty file under a good name; a lock for a folder that several
processes write to.

The lock is the operating system's own (``flock`` on POSIX, ``msvcrt.locking`` on Windows): it is
released when its process ends, however it ends, so a killed build never leaves a folder locked.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

_TEMPORARY_SUFFIX = ".tmp"  # a temporary file is ".<target name>.<random>.tmp", next to its target


def write_atomically(target: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file next to ``target``, flush it to the disk, rename it over ``target``,
    then flush the folder, so that ``target`` holds either its old bytes or ``data``, even after a power loss.
    Not ``durable`` (a cache whose reader checks what it reads): nothing flushed, a reader still never sees half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=_TEMPORARY_SUFFIX)
    os.close(handle)
    try:
        if durable:
            write_flushed(Path(temporary), data)  # the bytes reach the disk before the name points at them
        else:
            Path(temporary).write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        sync_folder(target.parent)  # the rename itself survives a power loss


def write_flushed(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and flush it to the disk, readable by all (a file only its writer may see until
    it is renamed: a temporary file, a build's staged output)."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to the disk."""
    if sys.platform == "win32":  # a folder cannot be opened to flush it; NTFS journals the rename
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):  # file systems that cannot flush a folder
            raise
    finally:
        os.close(handle)


def remove_leftovers(folders: Iterable[Path]) -> list[Path]:
    """Remove the temporary files that a killed writer left in ``folders``; returns them.

    Only for folders whose writers hold a lock (``locked``): a live writer's temporary file would go too.
    """
    removed = []
    for folder in folders:
        for leftover in sorted(folder.glob(f".*.*{_TEMPORARY_SUFFIX}")):
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed


@contextlib.contextmanager
def locked(path: Path, timeout: float, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the lock of the file ``path`` (made if missing): another process holding it is waited for,
    ``waiting`` is called once when that happens, and ``TimeoutError`` raised after ``timeout`` seconds."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        told = False
        while not _try_lock(handle, path):
            if not told:
                waiting()
                told = True
            if time.monotonic() >= deadline:
                raise TimeoutError(errno.ETIMEDOUT, f"still locked after {timeout:g} s", str(path))
            time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        os.close(handle)  # the lock file stays: removing it would let a waiter lock a file no longer in the folder


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int, path: Path) -> bool:
        os.lseek(handle, 0, os.SEEK_SET)  # the lock is on the file's first byte
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):  # another process holds it
                return False
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        return True

    def _unlock(handle: int) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int, path: Path) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):  # another process holds it
                return False
            raise OSError(exc.errno, exc.strerror, str(path)) from None  # e.g. a file system without locks
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
