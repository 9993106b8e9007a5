"""The files of a build and the manifest that lists them, written so that a reader never sees half of one.

Every output is made in memory first; ``write`` then writes those whose bytes
changed (temporary file, then rename) and the manifest last, with each file's
kind, plan, language, format and sha256.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from pathlib import Path

from .files import write_atomically

MANIFEST = "manifest.json"


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


def write(outputs: list[Output], folder: Path) -> list[Output]:
    """Write outputs whose bytes changed, then the manifest; returns those written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for output in outputs:
        target = folder / output.path
        if target.is_file() and target.read_bytes() == output.data:
            continue
        write_atomically(target, output.data)
        written.append(output)
    entries = {entry["path"]: entry for entry in read_manifest(folder) if (folder / entry["path"]).is_file()}
    entries.update({output.path: output.entry() for output in outputs})
    manifest = json.dumps({"outputs": [entries[path] for path in sorted(entries)]}, indent=2, ensure_ascii=False) + "\n"
    write_atomically(folder / MANIFEST, manifest.encode("utf-8"))
    return written


def read_manifest(folder: Path) -> list[dict[str, str]]:
    try:
        outputs = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return []
    return outputs if isinstance(outputs, list) else []
