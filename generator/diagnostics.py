"""Located errors and warnings: ``file:line:col: ERROR: message [code]``.

Every problem a person can make in a source, a catalog, a spreadsheet or a
template is reported through this module, never as a traceback.  Phases
collect all problems first, then raise ``SourceError`` once (MkDocs' way); a
front end (the CLI) prints them and chooses the exit code.  Nothing here knows
the front end.
"""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Literal


@dataclasses.dataclass(frozen=True, order=True)
class Location:
    """A place in a file: a line and column (from 1) in a text file, or a named
    ``place`` in one that has no lines (a spreadsheet cell, a template paragraph)."""

    file: str
    line: int = 0
    col: int = 0
    place: str = ""

    @classmethod
    def cell(cls, file: str, sheet: str, cell: str) -> Location:
        """A spreadsheet cell: ``form.xlsx:AO-1.1!C7``."""
        return cls(file, place=f"{sheet}!{cell}")

    @classmethod
    def paragraph(cls, file: str, number: int, where: str = "") -> Location:
        """A template's paragraph, counted from 1 in reading order: ``pao.docx:paragraph 12`` or ``…:table 2, paragraph 3``."""
        return cls(file, place=f"{where}, paragraph {number}" if where else f"paragraph {number}")

    def __str__(self) -> str:
        if self.place:
            return f"{self.file}:{self.place}"
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}" if self.col else f"{self.file}:{self.line}"

    def shifted(self, lines: int, col: int) -> Location:
        """The location ``lines`` lines further down, at column ``col``."""
        return Location(self.file, self.line + lines, col)


def display_path(path: Path | str) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


Severity = Literal["ERROR", "WARNING"]


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    location: Location
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    def as_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Diagnostic:
        """The diagnostic ``as_json`` gave (KeyError, TypeError or ValueError when it is not one)."""
        severity = data["severity"]
        if severity not in ("ERROR", "WARNING"):
            raise ValueError(severity)
        return cls(severity, Location(**data["location"]), str(data["message"]), str(data["code"]))


class Diagnostics:
    """Collects every problem of a run, in the order found."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, location: Location, message: str, code: str) -> None:
        self.items.append(Diagnostic("ERROR", location, message, code))

    def warning(self, location: Location, message: str, code: str) -> None:
        self.items.append(Diagnostic("WARNING", location, message, code))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "ERROR"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "WARNING"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Problems grouped by file, in line order, so the output reads top to bottom."""
        return sorted(self.items, key=lambda d: (d.location.file, d.location.line, d.location.col, _reading_order(d.location.place)))


def _reading_order(place: str) -> tuple[str, int, str]:
    """A spreadsheet cell by sheet, then row, then column (``S!E7`` before ``S!E13`` and ``S!A8``);
    another place as it is written."""
    match = re.fullmatch(r"(.*)!([A-Z]+)(\d+)", place)
    return (match[1], int(match[3]), match[2].rjust(3)) if match else (place, 0, "")


class SourceError(Exception):
    """Mistakes the user can fix (in sources, catalogs, templates…), each located; a front end shows them.

    Errors come first, each file's in reading order, then any warnings: an error is never buried among them.
    """

    def __init__(self, diagnostics: Diagnostics | list[Diagnostic] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        elif isinstance(diagnostics, Diagnostics):
            diagnostics = diagnostics.sorted()
        found = list(diagnostics)
        self.diagnostics = [d for d in found if d.severity == "ERROR"] + [d for d in found if d.severity == "WARNING"]
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def errors(self) -> int:
        return sum(d.severity == "ERROR" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors


def count(errors: int, warnings: int) -> str:
    """``2 errors, 58 warnings``: the closing line of a run that had problems."""
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
    return ", ".join(parts)


def fail(location: Location, message: str, code: str) -> SourceError:
    """A single located error, ready to raise."""
    return SourceError(Diagnostic("ERROR", location, message, code))


class SelectionError(Exception):
    """A choice on the command line (a plan, a document, a language) that the sources do not have."""
