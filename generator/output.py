"""The files of a build and the manifest that lists them, written so that a reader never sees half of one.

Every output is made in memory first; ``write`` then writes those whose bytes
changed (temporary file, then rename) and the manifest last, with each file's
kind, plan, language, format and sha256.

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
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from .files import locked, remove_leftovers, write_atomically

MANIFEST = "manifest.json"
LOCK = ".pao.lock"  # held by the build writing to the folder
LOCK_TIMEOUT = 120.0  # seconds a build waits for another one to finish writing


@dataclasses.dataclass(frozen=True)
class Output:
    """One file of build/: ``path`` is relative to the build folder."""

    path: str
    kind: str  # a document kind's name: pao | sheet | annex
    plan: str
    language: str
    format: str  # docx | pdf
    layout: str | None = None  # the folder of templates/ it was made with
    data: bytes = dataclasses.field(repr=False, default=b"")
    date: datetime.date | None = None  # the sources' date, stamped into PDFs
    action: str | None = None  # for a fact sheet: the AO it is about
    period: str | None = None  # for a progress annex: the period it covers
    source_sha256: str | None = None  # for a PDF: the .docx it was converted from
    inputs: str | None = None  # the digest of every input of the build that made it (``freshness``)
    content: str | None = None  # for a .docx: the digest of what its template received (``pipeline.render``)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

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

    def as_pdf(self, data: bytes) -> Output:
        return dataclasses.replace(self, path=self.path.removesuffix(".docx") + ".pdf", format="pdf", data=data, source_sha256=self.sha256, content=None)


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
        changed = [output for output in outputs if not _holds(folder / output.path, output.data)]
        rewritten = {output.path for output in changed}
        entries = {entry["path"]: entry for entry in recorded if entry["path"] not in rewritten and intact(folder, entry)}
        made = _made(record) if record is not None else set(entries)
        stale = sorted(path for path in entries if path not in made)
        kept = read_record(folder) if record is None else record
        if changed or stale:  # until they are written or removed, those files are not vouched for
            _write_manifest(folder, {path: entry for path, entry in entries.items() if path not in stale}, kept)
        for output in changed:
            write_atomically(folder / output.path, output.data)
        for path in stale:
            _remove(folder, path)
        entries = {path: entry for path, entry in entries.items() if path not in stale}
        entries.update({output.path: output.entry() for output in outputs})
        _write_manifest(folder, entries, kept)
    return Written(changed, stale)


def tidy(folder: Path, paths: list[str]) -> None:
    """Remove the temporary files a killed build left beside the outputs ``paths`` (a build with nothing to
    write does it too), unless another build is writing to the folder: it will."""
    with contextlib.suppress(TimeoutError, OSError), locked(folder / LOCK, timeout=0):
        remove_leftovers(sorted({folder, *((folder / path).parent for path in paths)}))


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


def _holds(target: Path, data: bytes) -> bool:
    return target.is_file() and target.read_bytes() == data


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
    if not _holds(folder / MANIFEST, data):
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
