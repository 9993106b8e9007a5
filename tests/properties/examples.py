"""Writing a typed text where a person writes it, running the real pipeline, and judging the outcome.

A property types several texts at once, one per kind of field that one
document shows, into a copy of the shipped project (``Copy``): a YAML value
(``yaml_values``), a paragraph of a prose file, a catalog's msgstr
(``with_msgstr``).  ``check_texts`` then holds each of them to the bar: the
document shows it verbatim, or the pipeline refuses it with errors located
on the lines where it is written.  A text that is refused is put back as it
was and the others are tried again, so that every text is judged.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import escape
from hypothesis import event

from generator import pipeline
from generator.diagnostics import Diagnostic, SourceError
from generator.ooxml import template
from generator.ooxml.reader import docx_text
from generator.ooxml.template import Template
from tests.conftest import ROOT
from tests.docx_reader import part
from tests.properties.texts import Typed, appears_in_order, shown

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Copy:
    """The shipped sources and templates in a folder of their own; ``write`` replaces a file until ``restore``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(ROOT / "source", folder / "source")
        shutil.copytree(ROOT / "templates", folder / "templates", ignore=shutil.ignore_patterns("*.py"))
        self._originals: dict[Path, bytes] = {}
        self._templates: dict[Path, Template] = {}

    def _opened(self, path: Path, require_styles: bool = True, **options: Any) -> Template:
        if path not in self._templates:  # the class itself, imported before ``document`` stands in for it
            self._templates[path] = Template(path, require_styles=require_styles, **options)
        return self._templates[path]

    def path(self, relative: str) -> Path:
        return self.folder / relative

    def text(self, relative: str) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def write(self, relative: str, text: str) -> None:
        target = self.path(relative)
        self._originals.setdefault(target, target.read_bytes())
        target.write_text(text, encoding="utf-8", newline="\n")

    def restore(self) -> None:
        for target, data in self._originals.items():
            target.write_bytes(data)
        self._originals.clear()

    def document(self, only: str, language: str) -> bytes | SourceError:
        """The one document ``only`` names, in ``language``, as ``pao build`` makes it; or what refused it.

        Each template is opened once for every example, as a build opens it once for all its documents
        (the templates never change here): that is a third of the time of a document.
        """
        selection = pipeline.Selection(only=(only,), languages=(language,))
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(template, "Template", self._opened)
                sources = pipeline.load(self.folder / "source")
                editions = pipeline.localize(sources, selection)
                outputs = pipeline.render(editions, self.folder / "templates", selection.only)
        except SourceError as error:
            return error
        assert len(outputs) == 1, [o.path for o in outputs]
        return outputs[0].data


# ---------------------------------------------------------------- where texts are written


@dataclasses.dataclass(frozen=True)
class Written:
    """A text as written in a file: the lines it takes, and what a reader must then see, in order."""

    name: str
    file: Path
    lines: range
    shows: list[str]


class _Dumper(yaml.SafeDumper):
    """YAML as people write it: a text of several lines as a block scalar (``|``) whenever YAML can hold it so
    (PyYAML itself would quote one whose lines end in spaces, as a Markdown line break does)."""

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        scalar = self.event
        assert isinstance(scalar, yaml.ScalarEvent)  # PyYAML chooses a style for scalars only
        if scalar.style == "|" and not self.flow_level and not self.simple_key_context and _printable(scalar.value):
            return "|"
        return style


def _printable(text: str) -> bool:
    """Whether a block scalar can hold ``text`` as is: YAML's printable characters, no line break but LF, no
    line that starts with a tab (libyaml reads it as indentation)."""
    return not re.search("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff|^\t", text, re.MULTILINE)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # PyYAML would write a next-line character (U+0085) raw between single quotes, where it reads as a space
    style = '"' if not _printable(value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def read_yaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def yaml_values(data: Any, values: dict[tuple, str]) -> tuple[str, dict[tuple, range]]:
    """The YAML text of ``data`` with the value at each path replaced, and the lines each value takes."""
    changed = _copied(data)
    for path, value in values.items():
        parent = changed
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = value
    text = yaml.dump(changed, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9)
    assert read_yaml(text) == changed, "the YAML written holds the texts typed"
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    return text, {path: _lines(_node(root, path)) for path in values}


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _node(root: yaml.Node, path: tuple) -> yaml.Node:
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next(value for key, value in node.value if key.value == str(step))
        else:
            assert isinstance(node, yaml.SequenceNode)
            node = node.value[step]
    return node


def _lines(node: yaml.Node) -> range:
    """The lines (from 1) of a value: a block scalar ends where the next key starts, at column 0 of its line."""
    last = node.end_mark.line if node.end_mark.column == 0 and node.end_mark.line > node.start_mark.line else node.end_mark.line + 1
    return range(node.start_mark.line + 1, last + 1)


def yaml_writer(copy: Copy, relative: str, data: Any, paths: dict[str, tuple], texts: dict[str, Typed]) -> Callable[[Sequence[str]], list[Written]]:
    """Writes the named texts at their paths of a YAML file (the others as they were)."""

    def write(names: Sequence[str]) -> list[Written]:
        text, lines = yaml_values(data, {paths[name]: texts[name].written for name in names})
        copy.write(relative, text)
        return [Written(name, copy.path(relative), lines[paths[name]], texts[name].shows) for name in names]

    return write


def with_msgstr(catalog: str, context: str, text: str) -> tuple[str, range]:
    """The catalog with the msgstr of the message ``context`` replaced (one quoted line), and the lines of that message."""
    lines = catalog.split("\n")
    first = lines.index(f'msgctxt "{context}"')
    start = next(i for i in range(first, len(lines)) if lines[i].startswith("msgstr "))
    end = start + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[start:end] = [f"msgstr {escape(text)}"]
    return "\n".join(lines), range(first + 1, start + 2)


# ---------------------------------------------------------------- the bar


def check_texts(copy: Copy, write: Callable[[Sequence[str]], list[Written]], names: Sequence[str], make: Callable[[], bytes | SourceError]) -> None:
    """Every text ``write`` puts in place shows verbatim in the document ``make`` makes, or is refused with errors
    on its own lines; refused texts are put back as they were, and the others tried again."""
    pending = list(names)
    while pending:
        copy.restore()
        written = write(pending)
        outcome = make()
        if not isinstance(outcome, SourceError):
            check_document(outcome, written)
            return
        for diagnostic in outcome.diagnostics:
            assert diagnostic.location.line > 0, f"not located: {diagnostic}"
        refused = {refused_text(diagnostic, written).name for diagnostic in outcome.diagnostics if diagnostic.severity == "ERROR"}
        assert refused, outcome
        for name in refused:
            event(f"refused: {name}")  # how often, in --hypothesis-show-statistics
        pending = [name for name in pending if name not in refused]
    copy.restore()


def refused_text(diagnostic: Diagnostic, written: list[Written]) -> Written:
    """The text an error is about, found by where the error points."""
    location = diagnostic.location
    for text in written:
        if Path(location.file).resolve() == text.file.resolve() and location.line in text.lines:
            return text
    where = ", ".join(f"{t.name} at {t.file.name}:{t.lines.start}-{t.lines.stop - 1}" for t in written)
    raise AssertionError(f"an error that points at none of the texts written ({where}): {diagnostic}")


def check_document(data: bytes, written: list[Written]) -> None:
    text = shown(docx_text(data))
    for item in written:
        assert appears_in_order(item.shows, text), f"{item.name}: {item.shows!r} is not in the document:\n{text}"
    _check_as_word_shows_it(data)


def _check_as_word_shows_it(data: bytes) -> None:
    """Word shows a tab or a line break only as w:tab and w:br, and keeps a text's outer spaces only with xml:space."""
    for t in part(data, "word/document.xml").iter(f"{W}t"):
        value = t.text or ""
        assert not any(c in value for c in "\n\r\t"), f"a raw line break or tab Word does not show: {value!r}"
        if value != value.strip(" "):
            assert t.get(XML_SPACE) == "preserve", f"spaces Word drops: {value!r}"
