"""Prose as a small tree that every writer reads: blocks of inlines, footnotes apart.

A ``Prose`` is one text (a Markdown file, a Markdown field of plan.yaml, a note
of a progress report): its blocks in order (headings, paragraphs, list items)
and the footnotes it defines.  A block holds inlines: spans of text with their
formatting and link, footnote references and line breaks.  Lists are runs of
items sharing a ``list_id``, nested by ``level``.  Nothing here knows Markdown
or WordprocessingML: ``sources.markdown`` builds the tree, ``ooxml.writer``
writes it into Word, and another writer (HTML) can read it the same way.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Protocol

from ..diagnostics import Location


@dataclasses.dataclass(frozen=True)
class Span:
    """Text with its character formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


@dataclasses.dataclass(frozen=True)
class FootnoteRef:
    label: str


@dataclasses.dataclass(frozen=True)
class LineBreak:
    pass


Inline = Span | FootnoteRef | LineBreak


@dataclasses.dataclass(frozen=True)
class Block:
    """A heading, a paragraph or a list item.

    ``level`` is the heading level, or for a list item its nesting depth (1, 2…);
    ``list_id`` groups the items of one list (numbering restarts per list) and
    ``start`` is the number of a numbered list's first item.  A paragraph that
    continues a list item has kind ``paragraph`` and the item's ``level``.
    """

    kind: str  # "heading" | "paragraph" | "item"
    id: str
    inlines: tuple[Inline, ...]
    location: Location
    level: int = 0
    ordered: bool = False
    list_id: str = ""
    start: int = 1

    @property
    def text(self) -> str:
        """The block's words, without formatting (footnote marks as ``[^label]``)."""
        return "".join(
            i.text if isinstance(i, Span) else "\n" if isinstance(i, LineBreak) else f"[^{i.label}]"
            for i in self.inlines
        )


@dataclasses.dataclass(frozen=True)
class Footnote:
    label: str
    blocks: tuple[Block, ...]
    location: Location


@dataclasses.dataclass(frozen=True)
class Prose:
    """One Markdown text: its blocks in order and the footnotes it defines."""

    blocks: tuple[Block, ...]
    footnotes: dict[str, Footnote]


EMPTY = Prose((), {})


class ProseWriter(Protocol):
    """What a document's context calls to put prose into its format (Word: ``ooxml.writer.WordText``,
    HTML: ``html.prose.HtmlText``); each returns markup that its templates insert as is."""

    def paragraphs(self, prose: Prose, style: str | None = None, prefix: str = "") -> str: ...

    def paragraphs_of(self, parts: Sequence[tuple[Prose, str]]) -> str: ...

    def runs(self, prose: Prose, footnotes: bool = True) -> str: ...

    def image(self, png: bytes, width_cm: float, description: str) -> str: ...
