"""``pao.toml``: what it may hold, read and checked, every mistake located as ``pao.toml:line:col``.

Only a project that has a ``pao.toml`` pays for reading it (pydantic takes a
third of a second to import): ``project`` imports this module then alone.
"""
from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from .diagnostics import Diagnostics, Location, SourceError, display_path, fail

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]  # installed on Python 3.10 only


def _inside_the_project(value: str) -> str:
    """A folder written relative to the project root, which it may not leave (in POSIX or Windows spelling)."""
    if not value.strip():
        raise ValueError("must name a folder")
    if re.match(r"[\\/]|[A-Za-z]:", value):
        raise PydanticCustomError("outside", "'{value}' must be written relative to the project folder", {"value": value})
    depth = 0
    for part in re.split(r"[\\/]+", value):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            message = "'{value}' is outside the project folder: name a folder inside it"
            raise PydanticCustomError("outside", message, {"value": value})
    return value


Folder = Annotated[str, AfterValidator(_inside_the_project)]
Language = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]+)*$")]
Format = Literal["docx", "pdf"]


class _Table(BaseModel):
    # strict: 1 is not a folder name; extra="forbid": a misspelt key is an error, not ignored
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Paths(_Table):
    source: Folder = "source"
    """Folder of the plans."""
    templates: Folder = "templates"
    """Folder of the layouts, one folder of Word templates each."""
    build: Folder = "build"
    """Folder the documents go to."""


class BuildDefaults(_Table):
    languages: Annotated[list[Language], Field(min_length=1)] | None = None
    """Languages ``pao build`` makes without ``--lang`` (default: every language of each plan)."""
    formats: Annotated[list[Format], Field(min_length=1)] = ["docx", "pdf"]
    """Formats ``pao build`` makes without ``--format``."""
    layout: str | None = None
    """Reserved, accepted and not used: a plan chooses its layout in plan.yaml (``layout:``), and
    ``pao build --layout`` previews another."""


class Settings(_Table):
    """What ``pao.toml`` may hold."""

    paths: Paths = Paths()
    build: BuildDefaults = BuildDefaults()


def read_settings(path: Path) -> Settings:
    """The settings of ``path`` (a pao.toml); SourceError with every mistake, located."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(Location(name), f"cannot read: {exc.strerror}", "project.unreadable") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(Location(name, line, column), "is not UTF-8 text (save it as UTF-8)", "project.encoding") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line, column = _syntax_error(str(exc), text)
        raise fail(Location(name, line, column), f"not valid TOML: {message}", "project.syntax") from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SourceError(_located(exc, _KeyPlaces(text), name)) from None


def _syntax_error(message: str, text: str) -> tuple[str, int, int]:
    """The parser's message without its position, and the position: "(at line 3, column 9)" or "(at end of document)"."""
    if at := re.search(r"\s*\(at line (\d+), column (\d+)\)$", message):
        return message[: at.start()], int(at[1]), int(at[2])
    lines = text.split("\n")
    return re.sub(r"\s*\(at end of document\)$", "", message), len(lines), len(lines[-1]) + 1


def _located(exc: ValidationError, places: _KeyPlaces, name: str) -> Diagnostics:
    diagnostics = Diagnostics()
    for error in exc.errors():
        keys = tuple(step for step in error["loc"] if isinstance(step, str))
        unknown = error["type"] == "extra_forbidden"
        line, column = places.find(keys, at_value=not unknown)
        message, code = _message(error, keys)
        diagnostics.error(Location(name, line, column), f"{'.'.join(keys)}: {message}", code)
    return diagnostics


_LIST_EXAMPLES = {"languages": '["es", "en"]', "formats": '["docx", "pdf"]'}


def _message(error: Any, keys: tuple[str, ...]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(keys[:-1])
        close = difflib.get_close_matches(keys[-1], known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
        return f"unknown {'table' if isinstance(error['input'], dict) else 'key'} ({hint})", "project.unknown-key"
    if kind == "string_type":
        return "must be text, in quotes", "project.type"
    if kind == "list_type":
        return f"must be a list, like {_LIST_EXAMPLES.get(keys[-1], '[...]')}", "project.type"
    if kind == "model_type":
        return f"must be a table: [{keys[-1]}], then its keys on the lines below", "project.type"
    if kind == "literal_error":
        return f"must be {error['ctx']['expected']}, not '{error['input']}'", "project.value"
    if kind == "string_pattern_mismatch":
        return f"'{error['input']}' is not a language code (e.g. es, en, pt, fr)", "project.value"
    if kind == "too_short":
        return "must not be empty", "project.value"
    if kind == "outside":
        return error["msg"], "project.outside"
    return error["msg"].removeprefix("Value error, "), "project.value"


def _known_keys(table: tuple[str, ...]) -> list[str]:
    model: Any = Settings
    for key in table:
        model = model.model_fields[key].annotation
    return list(model.model_fields)


# TOML parsers give values, not places: the key's line is found in the text itself
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(rf"\s*({_DOTTED})\s*=[ \t]*")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_DOTTED})\s*=[ \t]*")


def _split(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(rf"\s*({_BARE_OR_QUOTED})\s*", dotted))


class _KeyPlaces:
    """Where each key of a TOML text is written: line, column of the key, column of its value."""

    def __init__(self, text: str) -> None:
        self.places: dict[tuple[str, ...], tuple[int, int, int]] = {}
        table: tuple[str, ...] = ()
        open_string = ""  # the quotes of a multi-line string the line is inside
        for number, line in enumerate(text.split("\n"), start=1):
            if open_string:
                if line.count(open_string) % 2:
                    open_string = ""
                continue
            if header := _HEADER.match(line):
                table = _split(header[1])
                self.places.setdefault(table, (number, header.start(1) + 1, header.start(1) + 1))
            elif key := _KEY.match(line):
                keys = table + _split(key[1])
                self.places.setdefault(keys, (number, key.start(1) + 1, key.end() + 1))
                if line.startswith("{", key.end()):  # paths = { source = "plans" }
                    for inline in _INLINE_KEY.finditer(line, key.end()):
                        self.places.setdefault(keys + _split(inline[1]), (number, inline.start(1) + 1, inline.end() + 1))
                open_string = next((q for q in ('"""', "'''") if line.count(q, key.end()) % 2), "")

    def find(self, keys: tuple[str, ...], at_value: bool) -> tuple[int, int]:
        """The line and column of the key (or of its value), else of the nearest table written; (0, 0) if none is."""
        for length in range(len(keys), 0, -1):
            if place := self.places.get(keys[:length]):
                line, key_column, value_column = place
                return line, value_column if at_value and length == len(keys) else key_column
        return 0, 0
