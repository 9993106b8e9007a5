"""The template reference of ``docs/templates.md``: every variable each kind of document gives its template.

It is written from the contexts the kinds really build (``kinds.KINDS``), for
every document of a plan, with a writer of prose that describes instead of
formatting: a variable added to a context is in the reference the next time it
is written, and ``pao templates reference --check`` fails until it is.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ..model.prose import Picture, Prose
from ..ooxml.writer import TABLE_STYLES, TABLE_TEXT_STYLES, required_styles
from .edition import Edition
from .kinds import KINDS, Document

BEGIN = "<!-- reference: written by `pao templates reference` from the code that builds the contexts; do not edit by hand -->"
END = "<!-- end of reference -->"
_EXAMPLE = 70  # characters of an example shown


class _Described(str):
    """Prose as the reference shows it: its words, and how a template takes it."""

    kind: str
    style: str | None

    def __new__(cls, text: str, kind: str, style: str | None = None) -> _Described:
        described = super().__new__(cls, text)
        described.kind, described.style = kind, style
        return described


class _Describer:
    """A ``ProseWriter`` that gives each prose's words and kind (paragraphs, runs, image) instead of markup."""

    def paragraphs(self, prose: Prose, style: str | None = None, prefix: str = "") -> str:
        return _Described(prefix + _words(prose), "paragraphs", style)

    def paragraphs_of(self, parts: Sequence[tuple[Prose, str]]) -> str:
        return _Described(" ".join(prefix + _words(prose) for prose, prefix in parts).strip(), "paragraphs")

    def runs(self, prose: Prose, footnotes: bool = True) -> str:
        return _Described(_words(prose), "runs")

    def image(self, image: bytes | Picture, width_cm: float, description: str) -> str:
        return _Described(description, "image")


def _words(prose: Prose) -> str:
    return " ".join(block.text for block in prose.blocks)


_TYPES = {
    "paragraphs": "paragraphs of prose: `{{p NAME }}` alone in its paragraph",
    "runs": "a line of prose: `{{r NAME }}`",
    "image": "a chart (a paragraph): `{{p NAME }}`",
}


@dataclasses.dataclass
class _Entry:
    """What one variable was over the documents of a kind: its types, an example, its names, its items'."""

    types: list[str] = dataclasses.field(default_factory=list)
    example: str = ""
    count: int = -1  # a list's length in the first document
    fields: dict[str, _Entry] = dataclasses.field(default_factory=dict)
    item: _Entry | None = None
    named_styles: set[str] = dataclasses.field(default_factory=set)

    def styles(self) -> set[str]:
        """The styles prose is given here and beneath."""
        found = set(self.named_styles)
        for entry in [*self.fields.values(), *([self.item] if self.item else [])]:
            found |= entry.styles()
        return found

    def add(self, value: object) -> None:
        if isinstance(value, _Described) and value.style:
            self.named_styles.add(value.style)
        kind, example = _kind(value)
        if kind not in self.types:
            self.types.append(kind)
        if example and not self.example:
            self.example = example
        if isinstance(value, dict):
            for name, item in value.items():
                self.fields.setdefault(str(name), _Entry()).add(item)
        elif isinstance(value, (list, tuple)):
            if self.count < 0:
                self.count = len(value)
            self.item = self.item or _Entry()
            for item in value:
                self.item.add(item)


def _kind(value: object) -> tuple[str, str]:
    if isinstance(value, _Described):
        style = f" (style {value.style!r})" if value.style else ""
        return _TYPES[value.kind] + style, str(value)
    if isinstance(value, dict):
        return "group", ""
    if isinstance(value, (list, tuple)):
        return "list", ""
    if value is None:
        return "nothing (the part is left out: test it with `{% if NAME %}`)", ""
    if isinstance(value, bool):
        return "yes/no", str(value).lower()
    if isinstance(value, (int, float)):
        return "number", str(value)
    return "text", str(value)


def reference(editions: Sequence[Edition]) -> str:
    """The generated part of ``docs/templates.md``, from every document of ``editions`` (the first names the examples)."""
    lines = [BEGIN, ""]
    labels: dict[str, str] = {}
    entries = []
    for kind in KINDS:
        entry = _Entry()
        entries.append(entry)
        made = [Document(kind, edition, subject) for edition in editions for subject in kind.subjects(edition.plan)]
        # and as a plan without progress reports gives them: what is then left out (None) is said so
        unreported = [Edition(dataclasses.replace(e.plan, reports=()), e.language, e.organisations) for e in editions]
        for document in made + [Document(kind, edition, subject) for edition in unreported for subject in kind.subjects(edition.plan)]:
            entry.add(document.context(_Describer()))
        first = made[0] if made else None
        about = f"one per {kind.about}" if kind.about else "one per plan and language"
        lines += [f"### `{kind.template}`: kind `{kind.name}` ({about})", ""]
        if first is not None:
            lines += [f"Examples from the plan `{first.edition.plan.id}` in `{first.edition.language}` ({first.path}).", ""]
        lines += ["| variable | type | example |", "| --- | --- | --- |"]
        for name, field in entry.fields.items():
            if name == "l":
                labels.update({key: value.example for key, value in field.fields.items()})
                lines.append("| `l` | the layout's labels in the document's language | see [Labels](#labels-l) |")
                continue
            lines += _rows(name, field)
        lines.append("")
    lines += ["### Labels (`l`)", "", "Every document receives them: `{{ l.NAME }}`.", "", "| variable | example |", "| --- | --- |"]
    lines += [f"| `l.{name}` | {_cell(example)} |" for name, example in sorted(labels.items())]
    lines += ["", "### Styles prose needs", "", "Every template must define these paragraph and character styles (by their English name, as Word "
              "shows the built-in ones); `pao templates check` reports those it lacks.", ""]
    lines += [f"- `{name}`" for name in required_styles()]
    optional = sorted({style for entry in entries for style in entry.styles()} - set(required_styles()))
    if optional:
        lines += ["", "Used when the template has them (the paragraphs take Normal otherwise): "
                  + ", ".join(f"`{name}`" for name in optional) + "."]
    lines += ["", "A table written in prose takes the first of these table styles the template has (else Word's plain table): "
              + ", ".join(f"`{name}`" for name in TABLE_STYLES) + "; the paragraphs of its cells "
              + ", ".join(f"`{name}`" for name in TABLE_TEXT_STYLES) + " (else Normal)."]
    lines += ["", END]
    return "\n".join(lines) + "\n"


def _rows(path: str, entry: _Entry, access: str = "") -> list[str]:
    """The rows of a variable and of what it holds; ``path`` names it in the table (``x[].y``: ``y`` of each item
    of the list ``x``), ``access`` as a tag writes it (``x_item.y`` in ``{% for x_item in x %}``)."""
    access = access or path
    kinds = [kind.replace("NAME", access) for kind in entry.types]
    loop = f"{path.rsplit('.', 1)[-1].rstrip('[]')}_item"
    if entry.item is not None:
        items = " or ".join(kind.replace("NAME", loop) for kind in entry.item.types) or "never filled in the examples"
        kinds = [f"list of: {items}; a loop: `{{% for {loop} in {access} %}}`"]
        example = f"{entry.count} item(s) in the first document"
    else:
        example = "" if entry.fields else _cell(entry.example)
    rows = [f"| `{path}` | {' or '.join(kinds)} | {example} |"]
    for name, field in entry.fields.items():
        rows += _rows(f"{path}.{name}", field, f"{access}.{name}")
    if entry.item is not None:
        for name, field in entry.item.fields.items():
            rows += _rows(f"{path}[].{name}", field, f"{loop}.{name}")
    return rows


def _cell(text: str) -> str:
    """An example as a Markdown table cell: one line, short, its bars escaped."""
    text = " ".join(text.split())
    if len(text) > _EXAMPLE:
        text = text[: _EXAMPLE - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;") or "(empty)"


def updated(page: str, generated: str) -> str:
    """``page`` with its reference replaced by ``generated`` (added at its end when it has none)."""
    if BEGIN in page and END in page:
        return page[: page.index(BEGIN)] + generated + page[page.index(END) + len(END) + 1 :]
    return page.rstrip("\n") + "\n\n" + generated
