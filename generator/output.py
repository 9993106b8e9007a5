"""The files of a build and the manifest that lists them, written so that a reader never sees half of one.

A build writes each output as soon as it is made, into its ``Staging``: a
private folder inside the build folder, so that memory does not grow with the
plan and a build that fails half-way leaves the build folder as it was.
``write`` then moves those whose bytes changed into place (a rename on the same
file system; outputs made in memory are written to a temporary file, then
renamed) and writes the manifest last, with each file's kind, plan, language,
format and sha256.

Several builds may share one build folder (two ``--lang`` at once): ``write``
holds the folder's lock (``.pao.lock``) while it writes, and merges the
manifest from what is on disk under that lock.  The manifest only ever lists
a file with the sha256 it has on disk: a build killed at any moment leaves a
manifest that is true (files it was rewriting are left out of it until
written), and temporary files that the next build removes.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import Any

from .files import locked, remove_leftovers, sync_folder, write_atomically, write_flushed

MANIFEST = "manifest.json"
LOCK = ".pao.lock"  # held by the build writing to the folder
LOCK_TIMEOUT = 120.0  # seconds a build waits for another one to finish writing
STAGING_PREFIX = ".pao-staging-"  # in the build folder: the outputs a running build has made, not yet in place
_STAGING_LOCK = ".lock"  # in a staging folder: held by its build as long as it runs


@dataclasses.dataclass(frozen=True)
class Output:
    """One file of build/: ``path`` is relative to the build folder."""

    path: str
    kind: str  # a document kind's name: pao | sheet | annex
    plan: str
    language: str
    format: str  # docx | pdf
    layout: str | None = None  # the folder of templates/ it was made with
    data: bytes = dataclasses.field(repr=False, default=b"")  # its bytes when made in memory, else b"" and ``file``
    date: datetime.date | None = None  # the sources' date, stamped into PDFs
    action: str | None = None  # for a fact sheet: the AO it is about
    period: str | None = None  # for a progress annex: the period it covers
    source_sha256: str | None = None  # for a PDF: the .docx it was converted from
    inputs: str | None = None  # the digest of every input of the build that made it (``freshness``)
    content: str | None = None  # for a .docx: the digest of what its template received (``pipeline.render``)
    file: Path | None = dataclasses.field(default=None, compare=False)  # the file that holds its bytes (staged, or in place)
    checksum: str | None = None  # with ``file``: the sha256 of its bytes

    @property
    def sha256(self) -> str:
        return self.checksum if self.checksum is not None else hashlib.sha256(self.data).hexdigest()

    def read(self) -> bytes:
        """Its bytes, from memory or from its file."""
        return self.data if self.file is None else self.file.read_bytes()

    def entry(self) -> dict[str, str]:
        entry = {
            "path": self.path,
            "kind": self.kind,
            "plan": self.plan,
            "language": self.language,
            **({"layout": self.layout} if self.layout else {}),
            "format": self.format,
            "sha256": self.sha256,
        }
        if self.action:
            entry["action"] = self.action
        if self.period:
            entry["period"] = self.period
        if self.source_sha256:
            entry["source_sha256"] = self.source_sha256
        if self.inputs:
            entry["inputs"] = self.inputs
        if self.content:
            entry["content"] = self.content
        return entry

    def as_pdf(self, data: bytes = b"", file: Path | None = None, checksum: str | None = None) -> Output:
        return dataclasses.replace(
            self, path=self.path.removesuffix(".docx") + ".pdf", format="pdf", data=data, file=file, checksum=checksum,
            source_sha256=self.sha256, content=None,
        )

    def kept(self, file: Path, checksum: str) -> Output:
        """The same output, its bytes in ``file`` (with that sha256) instead of in memory."""
        return dataclasses.replace(self, data=b"", file=file, checksum=checksum)


class Staging:
    """Where a build puts each output as soon as it is made (``put``), until ``write`` moves them into place:
    a folder of its own inside the build folder (the same file system, so a move is a rename), locked while
    the build runs and removed when it ends, however it ends; a killed build's folder is removed by the next
    build that writes there (``write``, ``tidy``), once nobody holds its lock."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = folder / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"

    @contextlib.contextmanager
    def held(self) -> Iterator[Staging]:
        # made under another name and locked before it is renamed: no build ever sees it unlocked (Windows cannot
        # rename a folder holding an open file: there it is locked as soon as it is made)
        starting = self.root if os.name == "nt" else self.folder / f".pao-starting-{self.root.name}"
        made = [folder for folder in (self.folder, *self.folder.parents) if not folder.exists()]
        starting.mkdir(parents=True)
        try:
            with locked(starting / _STAGING_LOCK, timeout=0):
                if starting != self.root:
                    starting.rename(self.root)
                try:
                    yield self
                finally:
                    shutil.rmtree(self.root, ignore_errors=True)
        finally:
            for folder in (starting, self.root):  # what outlived the lock (Windows cannot remove an open file)
                shutil.rmtree(folder, ignore_errors=True)
            for folder in made:  # a build folder made for it and left empty (the build failed): gone too
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def put(self, path: str, data: bytes) -> tuple[Path, str]:
        """Write the bytes of the output ``path`` (flushed to the disk, as ``write_atomically`` would); its
        staged file and sha256.  Safe from several processes at once (each writes other paths)."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_flushed(target, data)
        return target, hashlib.sha256(data).hexdigest()


@dataclasses.dataclass(frozen=True)
class Record:
    """What the manifest records of the sources a build read: the digest of its inputs (``freshness``),
    every document they make (as manifest entries without format and sha256) and the warnings they gave
    (``diagnostics.Diagnostic.as_json``): those of reading them under "", those of each edition under
    "<plan>/<language>"."""

    inputs: str
    documents: list[dict[str, str]]
    warnings: dict[str, list[dict[str, Any]]]

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Written:
    changed: list[Output]  # written because their bytes changed
    removed: list[str]  # paths of outputs the sources no longer make, removed


def write(
    outputs: list[Output],
    folder: Path,
    timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[], None] = lambda: None,
    record: Record | None = None,
) -> Written:
    """Write outputs whose bytes changed, then the manifest; with the ``record`` of the sources, remove the
    outputs they no longer make (a plan, language, action or period removed) and record it.

    Under the folder's lock: another build writing there is waited for (``waiting`` is told, ``TimeoutError``
    after ``timeout`` seconds).  Only files the manifest lists, with the bytes it records, are ever removed.
    """
    assert len({output.path for output in outputs}) == len(outputs), "two outputs for one path"  # pipeline.check_file_names
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder / LOCK, timeout, waiting):
        recorded = read_manifest(folder)  # now, not before rendering: another build may have written since
        paths = [*(entry["path"] for entry in recorded), *(output.path for output in outputs)]
        remove_leftovers(sorted({folder, *((folder / path).parent for path in paths)}))  # a killed build's temporary files
        remove_stale_staging(folder)
        held = {output.path for output in outputs if _holds(folder / output.path, output.sha256)}  # each file hashed once
        # an up-to-date output whose file another build has rewritten since: that build's entry stays
        lost = {output.path for output in outputs if output.file == folder / output.path and output.path not in held}
        changed = [output for output in outputs if output.path not in held | lost]
        rewritten = {output.path for output in changed}
        entries = {entry["path"]: entry for entry in recorded if entry["path"] not in rewritten and intact(folder, entry)}
        made = _made(record) if record is not None else set(entries)
        stale = sorted(path for path in entries if path not in made)
        kept = read_record(folder) if record is None else record
        if changed or stale:  # until they are written or removed, those files are not vouched for
            _write_manifest(folder, {path: entry for path, entry in entries.items() if path not in stale}, kept)
        for output in changed:
            _put_in_place(folder / output.path, output)
        for path in stale:
            _remove(folder, path)
        entries = {path: entry for path, entry in entries.items() if path not in stale}
        entries.update({output.path: output.entry() for output in outputs if output.path not in lost})
        _write_manifest(folder, entries, kept)
    return Written(changed, stale)


def tidy(folder: Path, paths: list[str]) -> None:
    """Remove the temporary files a killed build left beside the outputs ``paths`` (a build with nothing to
    write does it too), unless another build is writing to the folder: it will."""
    with contextlib.suppress(TimeoutError, OSError), locked(folder / LOCK, timeout=0):
        remove_leftovers(sorted({folder, *((folder / path).parent for path in paths)}))
        remove_stale_staging(folder)


def remove_stale_staging(folder: Path) -> None:
    """Remove the staging folders of builds that no longer run (killed): those whose lock nobody holds."""
    for staging in folder.glob(f"{STAGING_PREFIX}*"):
        try:
            with locked(staging / _STAGING_LOCK, timeout=0):
                shutil.rmtree(staging, ignore_errors=True)
        except (TimeoutError, OSError):  # its build still runs, or it is gone already
            continue


def _put_in_place(target: Path, output: Output) -> None:
    """Move a staged output into place (its bytes are on the disk already), or write one made in memory."""
    if output.file is None:
        write_atomically(target, output.data)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(output.file, target)
    sync_folder(target.parent)  # the rename survives a power loss


def _made(record: Record) -> set[str]:
    """The paths of every output the recorded sources make, in each format."""
    return {document["path"].removesuffix(".docx") + suffix for document in record.documents for suffix in (".docx", ".pdf")}


def _remove(folder: Path, path: str) -> None:
    """Remove an output, then the folders it leaves empty (a language or a plan no longer built)."""
    target = folder / path
    target.unlink(missing_ok=True)
    for parent in target.parents:
        if parent == folder or not parent.is_relative_to(folder):
            break
        with contextlib.suppress(OSError):  # not empty: something else is there
            parent.rmdir()


def _holds(target: Path, sha256: str) -> bool:
    try:
        return hashlib.sha256(target.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def recorded(folder: Path, entry: dict[str, str]) -> bytes | None:
    """The bytes of the entry's file, when it is in the build folder as the entry records it (not removed, changed
    by hand or half-rewritten); else None."""
    target = folder / entry["path"]
    if not target.is_file():
        return None
    data = target.read_bytes()
    return data if hashlib.sha256(data).hexdigest() == entry.get("sha256") else None


def intact(folder: Path, entry: dict[str, str]) -> bool:
    """The entry's file is in the build folder with the bytes the entry records."""
    return recorded(folder, entry) is not None


def _write_manifest(folder: Path, entries: dict[str, dict[str, str]], record: Record | None) -> None:
    manifest: dict[str, Any] = {"outputs": [entries[path] for path in sorted(entries)]}
    if record is not None:
        manifest["sources"] = record.as_json()
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if not _holds(folder / MANIFEST, hashlib.sha256(data).hexdigest()):
        write_atomically(folder / MANIFEST, data)


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def read_manifest(folder: Path) -> list[dict[str, str]]:
    """The manifest's entries; an entry that does not name a file inside the build folder (edited by hand) is left out."""
    outputs = _manifest(folder).get("outputs", [])
    if not isinstance(outputs, list):
        return []
    return [entry for entry in outputs if _is_entry(entry)]


def read_record(folder: Path) -> Record | None:
    """What the manifest records of the sources of the last build; None if nothing, or if anything in the
    manifest is not as a build writes it (edited by hand: the next build rewrites it)."""
    manifest = _manifest(folder)
    outputs = manifest.get("outputs")
    if set(manifest) != {"outputs", "sources"} or not isinstance(outputs, list) or not all(map(_is_entry, outputs)):
        return None
    sources = manifest["sources"]
    try:
        record = Record(**sources) if isinstance(sources, dict) else None
    except TypeError:
        return None
    if record is None:
        return None
    valid = (
        isinstance(record.inputs, str)
        and isinstance(record.documents, list)
        and all(_is_entry(document) for document in record.documents)
        and isinstance(record.warnings, dict)
        and all(isinstance(found, list) for found in record.warnings.values())
    )
    return record if valid else None


def _is_entry(entry: object) -> bool:
    return isinstance(entry, dict) and all(isinstance(v, str) for v in entry.values()) and _inside(entry.get("path"))


def _inside(path: object) -> bool:
    return isinstance(path, str) and bool(path) and not PurePath(path).is_absolute() and ".." not in PurePath(path).parts
