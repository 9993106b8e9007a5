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

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Callable
from pathlib import Path, PurePath

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
    data: bytes = dataclasses.field(repr=False, default=b"")
    date: datetime.date | None = None  # the sources' date, stamped into PDFs
    action: str | None = None  # for a fact sheet: the AO it is about
    period: str | None = None  # for a progress annex: the period it covers
    source_sha256: str | None = None  # for a PDF: the .docx it was converted from

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def entry(self) -> dict[str, str]:
        entry = {
            "path": self.path,
            "kind": self.kind,
            "plan": self.plan,
            "language": self.language,
            "format": self.format,
            "sha256": self.sha256,
        }
        if self.action:
            entry["action"] = self.action
        if self.period:
            entry["period"] = self.period
        if self.source_sha256:
            entry["source_sha256"] = self.source_sha256
        return entry

    def as_pdf(self, data: bytes) -> Output:
        return dataclasses.replace(self, path=self.path.removesuffix(".docx") + ".pdf", format="pdf", data=data, source_sha256=self.sha256)


def write(outputs: list[Output], folder: Path, timeout: float = LOCK_TIMEOUT, waiting: Callable[[], None] = lambda: None) -> list[Output]:
    """Write outputs whose bytes changed, then the manifest; returns those written.

    Under the folder's lock: another build writing there is waited for (``waiting`` is told, ``TimeoutError``
    after ``timeout`` seconds).
    """
    assert len({output.path for output in outputs}) == len(outputs), "two outputs for one path"  # pipeline.check_file_names
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder / LOCK, timeout, waiting):
        recorded = read_manifest(folder)  # now, not before rendering: another build may have written since
        paths = [*(entry["path"] for entry in recorded), *(output.path for output in outputs)]
        remove_leftovers(sorted({folder, *((folder / path).parent for path in paths)}))  # a killed build's temporary files
        changed = [output for output in outputs if not _holds(folder / output.path, output.data)]
        rewritten = {output.path for output in changed}
        entries = {entry["path"]: entry for entry in recorded if entry["path"] not in rewritten and _holds_recorded(folder, entry)}
        if changed:  # until they are written, the files being rewritten are not vouched for
            _write_manifest(folder, entries)
        for output in changed:
            write_atomically(folder / output.path, output.data)
        entries.update({output.path: output.entry() for output in outputs})
        _write_manifest(folder, entries)
    return changed


def _holds(target: Path, data: bytes) -> bool:
    return target.is_file() and target.read_bytes() == data


def _holds_recorded(folder: Path, entry: dict[str, str]) -> bool:
    """The entry's file is in the build folder with the bytes the entry records (not removed, changed by hand or half-rewritten)."""
    target = folder / entry["path"]
    return target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == entry.get("sha256")


def _write_manifest(folder: Path, entries: dict[str, dict[str, str]]) -> None:
    data = (json.dumps({"outputs": [entries[path] for path in sorted(entries)]}, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if not _holds(folder / MANIFEST, data):
        write_atomically(folder / MANIFEST, data)


def read_manifest(folder: Path) -> list[dict[str, str]]:
    """The manifest's entries; an entry that does not name a file inside the build folder (edited by hand) is left out."""
    try:
        outputs = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(outputs, list):
        return []
    return [entry for entry in outputs if isinstance(entry, dict) and _inside(entry.get("path"))]


def _inside(path: object) -> bool:
    return isinstance(path, str) and bool(path) and not PurePath(path).is_absolute() and ".." not in PurePath(path).parts
