"""Reading source files while remembering where everything came from.

Only this module and ``validate`` see raw YAML.  Every value keeps the YAML node
it came from, so that any later problem can be reported as ``file:line:col``.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Location, display_path
from .limits import MAX_YAML_DEPTH, regular_file_problem

try:  # the C parser is 2-4x faster; the pure-Python one gives the same nodes
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc, assignment]  # the same interface, in Python


class _Loader(_BaseLoader):
    """YAML 1.1 reads ``NO`` (Norway), ``yes`` and ``on`` as booleans, and ``10:30`` as the number 630; people mean text.

    Only ``true`` and ``false`` are booleans here, and there are no base-60
    numbers, as in YAML 1.2.
    """

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        value = str(node.value)
        if ":" in value:  # base 60, only with an explicit !!int: its big numbers take minutes
            return self.construct_scalar(node)
        if re.fullmatch(r"\s*[-+]?[0-9_]{4300,}\s*", value):  # more digits than Python reads: beyond any bound, as 1e400 is
            return -math.inf if value.lstrip().startswith("-") else math.inf
        return self._explicit(node, super().construct_yaml_int, "a whole number")

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        return self._explicit(node, super().construct_yaml_float, "a number")

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> Any:
        return self._explicit(node, super().construct_yaml_bool, "true or false")

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError):  # 2023-02-30, !!timestamp x: the text, for the field's own check to say what is wrong
            return self.construct_scalar(node)

    def _explicit(self, node: yaml.ScalarNode, construct: Any, what: str) -> Any:
        """What only a tag (``!!int``, ``!!float``, ``!!bool``) makes of a scalar that is none (PyYAML would fail on ``!!int ""``)."""
        try:
            return construct(node)
        except (ValueError, IndexError, KeyError):
            raise yaml.constructor.ConstructorError(None, None, f"'{node.value}' is not {what}", node.start_mark) from None


_RESOLVED_HERE = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _RESOLVED_HERE]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# PyYAML's own patterns less their base-60 branches
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def read_text(path: Path, diagnostics: Diagnostics, *, inside: Path, shown_as: str | None = None) -> str | None:
    """The text of a source file that belongs in the folder ``inside``, or None with a located error.

    UTF-8, with or without a byte-order mark, lines ending in LF or CRLF (as editors write them).
    """
    shown = shown_as or display_path(path)
    problem = regular_file_problem(path, inside)
    if problem:
        diagnostics.error(Location(shown), *problem)
        return None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        diagnostics.error(Location(shown), "file not found", "source.missing-file")
        return None
    except OSError as exc:
        diagnostics.error(Location(shown), f"cannot read the file: {exc.strerror}", "source.unreadable")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        diagnostics.error(
            Location(shown, line, col),
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}): save it as UTF-8",
            "source.encoding",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


class YamlFile:
    """A parsed YAML file: its Python data and the node tree that says where each value is."""

    def __init__(self, path: Path, shown: str, text: str, root: yaml.Node | None, data: Any) -> None:
        self.path = path
        self.shown = shown
        self.text = text
        self.root = root
        self.data = data
        self._keys: dict[int, dict[str, yaml.Node]] = {}  # a mapping node's values by key, made when first asked

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def node(self, path: tuple) -> tuple[yaml.Node | None, bool]:
        """The node at ``path`` (keys and indexes), or its nearest existing parent and False."""
        node = self.root
        for step in path:
            child = self._child(node, step)
            if child is None:
                return node, False
            node = child
        return node, True

    def _child(self, node: yaml.Node | None, step: Any) -> yaml.Node | None:
        """A mapping's value by its key, a sequence's item by its index: found through an index of each mapping,
        so that locating every field of a plan of 800 actions stays linear."""
        if isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    keys.setdefault(key_node.value, value_node)  # the first, as a linear search finds it
            return keys.get(str(step))
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return node.value[step]
        return None

    def locate(self, path: tuple = (), key: bool = False) -> Location:
        """Where the value at ``path`` is written (with ``key``, where its key is)."""
        if key and path:
            parent, found = self.node(path[:-1])
            if found and isinstance(parent, yaml.MappingNode):
                for key_node, _ in parent.value:
                    if key_node.value == str(path[-1]):
                        return self.at(key_node)
        node, _ = self.node(path)
        return self.at(node) if node is not None else Location(self.shown, 1, 1)

    def at(self, node: yaml.Node) -> Location:
        return Location(self.shown, node.start_mark.line + 1, node.start_mark.column + 1)

    def text_origin(self, path: tuple) -> tuple[Location, bool]:
        """Where the text of a scalar starts, and whether it is a block scalar (``|``/``>``).

        For a block scalar that is the line below the ``|`` (the text's first line, even
        when blank: the text keeps it), at the indentation of its content, so that
        line N of the text is N-1 lines below.
        """
        node, found = self.node(path)
        if node is None or not found:
            return self.locate(path), False
        if getattr(node, "style", None) in ("|", ">"):
            lines = self.lines
            first = content = node.start_mark.line + 1
            while content < len(lines) and not lines[content].strip():
                content += 1
            indent = len(lines[content]) - len(lines[content].lstrip(" ")) if content < len(lines) else 0
            return Location(self.shown, first + 1, indent + 1), True
        quoted = 1 if getattr(node, "style", None) in ("'", '"') else 0
        return Location(self.shown, node.start_mark.line + 1, node.start_mark.column + 1 + quoted), False


def load_yaml(path: Path, diagnostics: Diagnostics, *, inside: Path) -> YamlFile | None:
    """Parse a YAML file that belongs in the folder ``inside``, reporting syntax errors, repeated keys and limits with their position."""
    shown = display_path(path)
    text = read_text(path, diagnostics, inside=inside, shown_as=shown)
    if text is None:
        return None
    loader = _Loader(text)
    try:
        if not _check_structure(text, shown, diagnostics):
            return None
        root = loader.get_single_node()
        if root is None:
            return YamlFile(path, shown, text, None, None)
        errors_before = len(diagnostics.errors)
        _check_repeated_keys(root, shown, diagnostics)
        if len(diagnostics.errors) > errors_before:
            return None
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        where, problem = _syntax_error(exc, shown)
        if exc.problem_mark and _character_at(text, exc.problem_mark) == "\t":
            where = Location(shown, exc.problem_mark.line + 1, exc.problem_mark.column + 1)
            problem = "a tab cannot indent YAML: use spaces"
        diagnostics.error(where, f"YAML syntax error: {problem}", "yaml.syntax")
        return None
    except yaml.YAMLError as exc:  # a reader error (forbidden character) carries its position
        line, col = getattr(exc, "line", None), getattr(exc, "column", None)
        position = getattr(exc, "position", None)
        if line is None and position is not None:
            if _BaseLoader is not yaml.SafeLoader:  # libyaml counts bytes of UTF-8, not characters
                position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
            line = text.count("\n", 0, position)
            col = position - (text.rfind("\n", 0, position) + 1)
        where = Location(shown, (line or 0) + 1, (col or 0) + 1)
        diagnostics.error(where, f"YAML syntax error: {_reader_problem(exc)}", "yaml.syntax")
        return None
    finally:
        loader.dispose()
    return YamlFile(path, shown, text, root, data)


def _check_structure(text: str, shown: str, diagnostics: Diagnostics) -> bool:
    """No anchors or aliases, no nesting deeper than ``MAX_YAML_DEPTH``: checked on the parser's events, before
    anything is built, so that a dozen lines of aliases ("billion laughs") or a deep nest cannot take minutes."""
    errors_before = len(diagnostics.errors)
    depth = 0

    def where(event: yaml.Event) -> Location:  # only for a mistake: a plan of 800 actions has 95,000 events
        mark = event.start_mark
        return Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)

    parser = _Loader(text)
    try:
        while parser.check_event():  # the events one by one, by their type: most are scalars without an anchor
            event: Any = parser.get_event()  # typed loosely by the stubs: never None after check_event
            kind = type(event)
            if kind is yaml.AliasEvent:
                diagnostics.error(
                    where(event), f"YAML alias '*{event.anchor}': source files do not use aliases, write the value out in full here", "yaml.alias"
                )
            elif kind in _NODE_EVENTS and event.anchor is not None:
                diagnostics.error(
                    where(event), f"YAML anchor '&{event.anchor}': source files do not use anchors, remove it (and write out in full "
                    "what its aliases repeat)", "yaml.alias",
                )
            if kind in _OPENING_EVENTS:
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    diagnostics.error(
                        where(event), f"values nested more than {MAX_YAML_DEPTH} levels deep: a source file needs far fewer "
                        "(is a bracket left open?)", "yaml.too-deep",
                    )
                    return False
            elif kind in _CLOSING_EVENTS:
                depth -= 1
    finally:
        parser.dispose()
    return len(diagnostics.errors) == errors_before


_OPENING_EVENTS = {yaml.MappingStartEvent, yaml.SequenceStartEvent}
_CLOSING_EVENTS = {yaml.MappingEndEvent, yaml.SequenceEndEvent}
_NODE_EVENTS = {yaml.ScalarEvent, *_OPENING_EVENTS}  # the events that may carry an anchor (an alias's is what it names)


# what is noticed far from where it went wrong: an unclosed bracket or quote, pointed at where it opened
_OPENED = ("flow", "quoted scalar", "block scalar", "a directive", "a tag", "an anchor", "an alias", "a simple key")


def _syntax_error(exc: yaml.MarkedYAMLError, shown: str) -> tuple[Location, str]:
    """Where a YAML syntax error is and what to say: a block's wrong indentation at the line that breaks it."""
    opened = bool(exc.context and any(word in exc.context for word in _OPENED))
    mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
    where = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.context}, {exc.problem}"
        other = exc.problem_mark if opened else exc.context_mark
        if other and mark and other.line != mark.line:
            problem += f" ({'noticed at' if opened else 'the block starts at'} line {other.line + 1}, column {other.column + 1})"
    return where, problem


def _character_at(text: str, mark) -> str:
    lines = text.split("\n")
    return lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""


def _reader_problem(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if character is not None:
        code = ord(character) if isinstance(character, str) else character
        return f"character U+{code:04X} is not allowed in YAML text (remove it or write it as an escape)"
    return str(exc).splitlines()[0]


def _check_repeated_keys(node: yaml.Node, shown: str, diagnostics: Diagnostics) -> None:
    """PyYAML keeps the last of two equal keys without a word; a person meant something else."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in seen:
                        first = seen[key_node.value].start_mark.line + 1
                        diagnostics.error(
                            Location(shown, key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                            f"key '{key_node.value}' is written twice in this mapping (first on line {first})",
                            "yaml.duplicate-key",
                        )
                    seen[key_node.value] = key_node
                stack.append(value_node)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
