"""Checks shared by plans and progress reports: schema errors and text, located.

pydantic's errors become ``file:line:col`` messages in the users' words; text
that a Word document cannot carry is reported where it is written.
"""
from __future__ import annotations

import difflib
import re
import typing
from typing import Any

import pydantic
from pydantic_core import ErrorDetails

from ..diagnostics import Diagnostics, Location
from .yamlfile import YamlFile

_ONE_LINE_FIELDS = {"title", "reference", "subject", "origin", "recipients", "heading", "counted", "currency", "language"}
# characters XML 1.0 cannot carry; docxtpl would silently drop text after one of them
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def validated(model_class: type[pydantic.BaseModel], source: YamlFile, diagnostics: Diagnostics):
    try:
        return model_class.model_validate(source.data if source.data is not None else {})
    except pydantic.ValidationError as exc:
        seen = set()
        for error in exc.errors():
            path = _data_path(source.data, error)
            message, code = _schema_message(error, path, model_class)
            location = source.locate(path, key=error["type"] == "extra_forbidden")
            if (location, message) not in seen:
                seen.add((location, message))
                diagnostics.error(location, f"{path_text(path)}: {message}" if path else message, code)
        return None


def _child(value: Any, step: int | str) -> tuple[bool, Any]:
    """Whether ``value`` (a mapping or a list) has ``step``, and what is there."""
    if isinstance(value, dict) and step in value:
        return True, value[step]
    if isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
        return True, value[step]
    return False, None


def _data_path(data: Any, error: ErrorDetails) -> tuple:
    """The error's location as keys and indexes into the data (pydantic adds union branch names)."""
    path: list = []
    current = data
    loc = error["loc"]
    for index, step in enumerate(loc):
        last = index == len(loc) - 1
        found, child = _child(current, step)
        if found:
            current = child
            path.append(step)
        elif last and error["type"] in ("missing", "extra_forbidden"):
            path.append(step)
        elif isinstance(current, dict) and not isinstance(step, int) and error["type"] == "missing":
            path.append(step)
            break
    return tuple(path)


def path_value(data: Any, path: tuple) -> Any:
    """What the YAML data holds at ``path`` (None where it holds nothing)."""
    for step in path:
        found, data = _child(data, step)
        if not found:
            return None
    return data


def path_text(path: tuple) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


_TYPE_WORDS = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be a list ([a, b] or one '- item' per line)",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
}


def _schema_message(error: ErrorDetails, path: tuple, model_class: type) -> tuple[str, str]:
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "is required but missing", "schema.missing"
    if kind == "extra_forbidden":
        known = _known_keys(model_class, path[:-1])
        close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else (f" (known keys: {', '.join(known)})" if known else "")
        return f"unknown key{hint}", "schema.unknown-key"
    # an int|float field gives both errors: one message for both
    if kind == "float_type" or (kind == "int_type" and isinstance(error.get("input"), (str, bool))):
        return "must be a number", "schema.type"
    if kind in _TYPE_WORDS:
        return _TYPE_WORDS[kind], "schema.type"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}, not '{error.get('input')}'", "schema.value"
    if kind == "string_pattern_mismatch":
        return f"'{error.get('input')}' is not a valid id: use letters, digits, '.', '-', '_'", "schema.value"
    if kind == "too_short":
        return "must not be empty", "schema.value"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}", "schema.value"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])), "schema.value"
    return error["msg"], "schema.value"


def _known_keys(model_class: Any, path: tuple) -> list[str]:
    """The keys allowed in the mapping at ``path``, for 'did you mean'."""
    current = model_class
    for step in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, pydantic.RootModel):
            current = _unwrap(current.model_fields["root"].annotation)
        origin = typing.get_origin(current)
        if origin is list or origin is dict:  # a list item, or a value of a mapping keyed by ids
            current = typing.get_args(current)[-1]
        elif isinstance(current, type) and issubclass(current, pydantic.BaseModel) and not isinstance(step, int):
            field = current.model_fields.get(step)
            current = field.annotation if field else None
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, pydantic.BaseModel) and not issubclass(current, pydantic.RootModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union:
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation




def check_characters(source: YamlFile, diagnostics: Diagnostics) -> None:
    """Text XML cannot carry, and line breaks where the layout has one line."""

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, path + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, path + (index,))
        elif isinstance(value, str):
            forbidden = list(XML_FORBIDDEN.finditer(value))
            multiline = bool(path) and path[-1] in _ONE_LINE_FIELDS and ("\n" in value.rstrip("\n") or "\t" in value)
            if not forbidden and not multiline:
                return  # located only when wrong: finding a text's place costs more than checking it
            origin, block = source.text_origin(path)
            for match in forbidden:
                diagnostics.error(
                    _offset(origin, value, match.start(), block),
                    f"{path_text(path)}: character U+{ord(match[0]):04X} cannot be stored in a Word document: delete it",
                    "text.forbidden-character",
                )
            if multiline:
                diagnostics.error(origin, f"{path_text(path)}: must be one line (no line breaks or tabs)", "text.multiline")

    walk(source.data, ())


def check_text_characters(text: str, origin: Location, diagnostics: Diagnostics) -> None:
    for match in XML_FORBIDDEN.finditer(text):
        diagnostics.error(
            _offset(origin, text, match.start(), True),
            f"character U+{ord(match[0]):04X} cannot be stored in a Word document: delete it",
            "text.forbidden-character",
        )


def _offset(origin: Location, text: str, index: int, block: bool) -> Location:
    line = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1)
    if line == 0:
        return Location(origin.file, origin.line, origin.col + col)
    # a quoted or plain value's lines are not the file's ("\n" escapes, folded lines): where the value starts
    return origin.shifted(line, origin.col + col) if block else origin


