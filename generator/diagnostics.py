"""Located errors and warnings: ``file:line:col: ERROR: message [code]``.

Every problem a person can make in a source is reported through this module,
never as a traceback.  Validation collects all problems first, then the CLI
prints them and aborts once (MkDocs' way).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import click


@dataclasses.dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}" if self.col else f"{self.file}:{self.line}"

    def shifted(self, lines: int, col: int) -> "Location":
        """The location ``lines`` lines further down, at column ``col``."""
        return Location(self.file, self.line + lines, col)


def display_path(path: Path | str) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    severity: str  # "ERROR" or "WARNING"
    location: Location
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"


class Diagnostics:
    """Collects every problem of a run, in the order found."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, location: Location, message: str, code: str) -> None:
        self.items.append(Diagnostic("ERROR", location, message, code))

    def warning(self, location: Location, message: str, code: str) -> None:
        self.items.append(Diagnostic("WARNING", location, message, code))

    def extend(self, other: "Diagnostics") -> None:
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
        return sorted(self.items, key=lambda d: (d.location.file, d.location.line, d.location.col))


class SourceError(click.ClickException):
    """A mistake in the sources (or templates) the user can fix; exits 1 without a traceback."""

    def __init__(self, diagnostics: Diagnostics | list[Diagnostic] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        elif isinstance(diagnostics, Diagnostics):
            diagnostics = diagnostics.sorted()
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # no "Error: " prefix: each line already says ERROR
        click.echo(self.format_message(), err=True, file=file)


def fail(location: Location, message: str, code: str) -> SourceError:
    """A single located error, ready to raise."""
    return SourceError(Diagnostic("ERROR", location, message, code))
