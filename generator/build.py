"""What a build produces, where it goes, and writing it safely.

Every document of a build is rendered in memory first; only when all of them
succeeded are they written, each to a temporary file renamed over the old one,
then the manifest.  A failed build leaves ``build/`` as it was.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import documents
from .i18n import Words
from .render import Template
from .resolve import Plan, Sources

MANIFEST = "manifest.json"


@dataclasses.dataclass(frozen=True)
class Output:
    """One file of build/: ``path`` is relative to the build folder."""

    path: str
    kind: str  # pao | sheet | annex
    plan: str
    language: str
    format: str  # docx | pdf
    data: bytes = dataclasses.field(repr=False, default=b"")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def entry(self) -> dict:
        return {
            "path": self.path,
            "kind": self.kind,
            "plan": self.plan,
            "language": self.language,
            "format": self.format,
            "sha256": self.sha256,
        }


def pao_path(plan: Plan, language: str, fmt: str) -> str:
    """``<plan>/<language>/pao-<plan>-<language>.<fmt>``: plan ids are folder names, safe as they are."""
    return f"{plan.id}/{language}/pao-{plan.id}-{language}.{fmt}"


def render_all(sources: Sources, templates: Path, plan_ids: tuple[str, ...] = ()) -> list[Output]:
    """Every document of the selected plans (all when none are named), in memory."""
    pao = Template(templates / "pao.docx")
    outputs = []
    for plan in sources.plans:
        if plan_ids and plan.id not in plan_ids:
            continue
        language = plan.language
        words = Words(language, sources.organisations)
        data = pao.render(
            plan.footnotes(),
            lambda text, plan=plan, words=words: documents.pao_context(plan, words, text),
            documents.pao_properties(plan, words),
        )
        outputs.append(Output(pao_path(plan, language, "docx"), "pao", plan.id, language, "docx", data))
    return outputs


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


def read_manifest(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return []


def write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
