"""Prose as a small tree that every writer reads: blocks of inlines, footnotes apart.

A ``Prose`` is one text (a Markdown file, a Markdown field of plan.yaml, a note
of a progress report): its blocks in order (headings, paragraphs, list items,
table cells) and the footnotes it defines.  A block holds inlines: spans of
text with their formatting and link, footnote references and line breaks.
Lists are runs of items sharing a ``list_id``, nested by ``level``; tables are
runs of cells sharing a ``table`` id, row by row (``grouped`` gives them back
as rows).  Nothing here knows Markdown
or WordprocessingML: ``sources.markdown`` builds the tree, ``ooxml.writer``
writes it into Word, and another writer (HTML) can read it the same way.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Sequence
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
    """A heading, a paragraph, a list item or a table cell.

    ``level`` is the heading level, or for a list item its nesting depth (1, 2…);
    ``list_id`` groups the items of one list (numbering restarts per list) and
    ``start`` is the number of a numbered list's first item.  A paragraph that
    continues a list item has kind ``paragraph`` and the item's ``level``.
    A cell is at ``row`` and ``column`` (from 1; row 1 is the header row) of
    the table ``table`` (its id), aligned ``align`` ("left", "center",
    "right", or "" for the writer's default).
    """

    kind: str  # "heading" | "paragraph" | "item" | "cell"
    id: str
    inlines: tuple[Inline, ...]
    location: Location
    level: int = 0
    ordered: bool = False
    list_id: str = ""
    start: int = 1
    table: str = ""
    row: int = 0
    column: int = 0
    align: str = ""

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

Table = list[list[Block]]
"""A table's cells, row by row; its first row is its header."""


def grouped(blocks: Sequence[Block]) -> Iterator[Block | Table]:
    """The blocks in order, each table's cells gathered into one ``Table``."""
    table: Table = []
    for block in blocks:
        if table and (block.kind != "cell" or block.table != table[0][0].table):
            yield table
            table = []
        if block.kind != "cell":
            yield block
        elif table and block.row == table[-1][0].row:
            table[-1].append(block)
        else:
            table.append([block])
    if table:
        yield table


class Picture(Protocol):
    """An image whose bytes may be made only when a document needs them (a chart drawn on demand)."""

    @property
    def key(self) -> str:  # what decides its bytes: the same key, the same PNG
        ...

    def png(self) -> bytes: ...


@dataclasses.dataclass(frozen=True)
class Png:
    """A PNG at hand."""

    data: bytes

    @property
    def key(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def png(self) -> bytes:
        return self.data


def picture(image: bytes | Picture) -> Picture:
    return Png(image) if isinstance(image, bytes) else image


class ProseWriter(Protocol):
    """What a document's context calls to put prose into its format (Word: ``ooxml.writer.WordText``,
    HTML: ``html.prose.HtmlText``); each returns markup that its templates insert as is."""

    def paragraphs(self, prose: Prose, style: str | None = None, prefix: str = "") -> str: ...

    def paragraphs_of(self, parts: Sequence[tuple[Prose, str]]) -> str: ...

    def runs(self, prose: Prose, footnotes: bool = True) -> str: ...

    def image(self, image: bytes | Picture, width_cm: float, description: str) -> str: ...
