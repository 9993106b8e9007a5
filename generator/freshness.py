"""Whether a build has anything to do, told before the sources are read or any heavy library imported.

Every output of a build records in the manifest the digest of everything it was made from (``inputs``):
every file of the source and template folders, ``pao.toml``, pao's own code and its layout catalogs,
and the versions of the libraries that shape a document.  The manifest also records, for the sources
of that digest, every document they make and the warnings they gave.  When the digest is unchanged,
every selected output is recorded with it and every file still has the bytes the manifest records,
there is nothing to do: ``pao build`` says so and repeats the warnings, in a few hundredths of a second.

Otherwise the pipeline loads the sources and skips, document by document, what it need not render
(``pipeline.render``, by the digest of what each template receives).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .output import intact, read_manifest, read_record
from .selection import Selection

PACKAGE = Path(__file__).parent
# the libraries whose version can change the bytes of a document
LIBRARIES = ("docxtpl", "python-docx", "lxml", "jinja2", "babel", "matplotlib", "markdown-it-py", "mdit-py-plugins", "pyyaml", "pydantic")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """pao's code and layout catalogs, and the versions of the libraries it writes documents with."""
    digest = hashlib.sha256()
    for name in LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\n".encode())
    _add_folder(digest, PACKAGE, suffixes=(".py", ".po"))
    return digest.hexdigest()


def inputs_digest(folders: Sequence[Path], files: Sequence[Path] = (), extra: str = "", layout: str | None = None) -> str | None:
    """The digest of every file of ``folders`` (each folder with its files' relative paths), of ``files``
    that exist, of pao itself, of ``extra`` (the working folder: messages name files relative to it) and of
    the ``layout`` a build is told (``--layout``: a preview records other documents than a build without it);
    None when one cannot be read (the build then finds out why)."""
    told = f"\0layout={layout}" if layout else ""
    digest = hashlib.sha256((code_digest() + "\0" + extra + told).encode("utf-8", "surrogateescape"))
    try:
        for folder in folders:
            digest.update(b"\0folder\0")
            _add_folder(digest, folder)
        for file in files:
            if file.is_file():
                digest.update(b"\0file\0" + hashlib.sha256(file.read_bytes()).digest())
    except OSError:
        return None
    return digest.hexdigest()


def _add_folder(digest: Any, folder: Path, suffixes: tuple[str, ...] = ()) -> None:
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        found += [Path(root, name) for name in names if not suffixes or name.endswith(suffixes)]
    for path in sorted(found, key=lambda p: p.relative_to(folder).as_posix()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@dataclasses.dataclass(frozen=True)
class UpToDate:
    entries: list[dict[str, str]]  # the manifest's entries of the selected outputs
    warnings: list[Diagnostic]  # what the build that made them warned of, for these outputs


def up_to_date(out: Path, inputs: str | None, selection: Selection, strict: bool) -> UpToDate | None:
    """The selected outputs, when every one is up to date; None when the build has something to do (or
    cannot tell without reading the sources)."""
    record = read_record(out)
    if inputs is None or record is None or record.inputs != inputs:
        return None
    documents = [document for document in record.documents if selection.chooses(document)]
    if not documents or not _all_named(selection, documents):
        return None  # a plan, language or --only that the sources do not have: the build says so
    editions = ["", *dict.fromkeys(f"{document['plan']}/{document['language']}" for document in documents)]
    if any(edition not in record.warnings for edition in editions):
        return None  # an edition the recorded builds did not localize
    try:
        warnings = [Diagnostic.from_json(found) for edition in editions for found in record.warnings[edition]]
    except (KeyError, TypeError, ValueError):  # edited by hand
        return None
    if strict and warnings:
        return None  # the build stops on them, and says so
    entries = {entry["path"]: entry for entry in read_manifest(out)}
    chosen = []
    for document in documents:
        for form in selection.formats:
            entry = entries.get(document["path"].removesuffix(".docx") + "." + form)
            if entry is None or entry.get("inputs") != inputs or not intact(out, entry):
                return None
            chosen.append(entry)
    return UpToDate(chosen, warnings)


def _all_named(selection: Selection, documents: list[dict[str, str]]) -> bool:
    """Every plan, language and --only item of the selection names at least one selected document."""
    named = {(key, value) for document in documents for key, value in document.items()}
    subjects = {value for key, value in named if key in ("kind", "action", "period")}
    return (
        all(("plan", plan) in named for plan in selection.plans)
        and all(("language", language) in named for language in selection.languages)
        and all(item in subjects for item in selection.only)
    )
