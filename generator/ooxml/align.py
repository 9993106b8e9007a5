"""Which parts of two versions of a document pair up: blocks, table rows, words.

Both versions are rendered from the same template, so their bodies line up.
Each alignment is a list of ``(old, new)`` pairs in the order of the merged
document: both set for what the versions share (to compare further), only
``old`` for what was deleted, only ``new`` for what was inserted.  Nothing
here writes XML: ``redline`` marks the changes.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from lxml import etree

from .names import r, w

T = TypeVar("T")
Pairs = list[tuple[T | None, T | None]]

SIMILAR = 0.5  # how alike two blocks must be to be compared rather than deleted and inserted


# ---------------------------------------------------------------- blocks


def blocks(old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Pairs[etree._Element]:
    """Block elements (paragraphs, tables, content controls) aligned by their text; of a
    stretch that differs, similar blocks of the same kind pair in order."""
    out: Pairs[etree._Element] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new, _block_key):
        if tag == "equal":
            out += zip(old[i1:i2], new[j1:j2], strict=True)
        elif tag == "replace":
            out += _similar(old[i1:i2], new[j1:j2])
        else:
            out += [(b, None) for b in old[i1:i2]] + [(None, b) for b in new[j1:j2]]
    return out


def _similar(old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Pairs[etree._Element]:
    out: Pairs[etree._Element] = []
    start = 0
    for block in new:
        match = next(
            (i for i in range(start, len(old)) if old[i].tag == block.tag and _similarity(old[i], block) >= SIMILAR),
            None,
        )
        if match is None:
            out.append((None, block))
            continue
        out += [(b, None) for b in old[start:match]]
        out.append((old[match], block))
        start = match + 1
    return out + [(b, None) for b in old[start:]]


def rows(old: Sequence[etree._Element], new: Sequence[etree._Element]) -> Pairs[etree._Element]:
    """Table rows aligned by their text: a stretch of changed rows pairs row by row when the
    rows have as many cells on both sides, else is deleted then inserted."""
    out: Pairs[etree._Element] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new, text):
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))  # a stretch may differ in length
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1 and all(_cells(a) == _cells(b) for a, b in pairs):
            out += pairs
        else:
            out += [(row, None) for row in old[i1:i2]] + [(None, row) for row in new[j1:j2]]
    return out


def _cells(row: etree._Element) -> int:
    return len(row.findall(w("tc")))


# ---------------------------------------------------------------- words


@dataclasses.dataclass
class Token:
    """A word, a space, a punctuation mark, a tab, a line break, a footnote mark or other run content."""

    kind: str  # text | tab | br | fn | other
    text: str = ""
    rpr: etree._Element | None = None
    link: str | None = None  # hyperlink relationship id (new document only)
    element: etree._Element | None = None  # footnoteReference, br or other run content

    def key(self) -> tuple[Hashable, ...]:
        if self.kind == "fn":
            return ("fn",)  # marks pair by position; their bodies are compared apart
        return (self.kind, self.text, formatting(self.rpr))


def tokens(paragraph: etree._Element, from_old: bool) -> list[Token]:
    """A paragraph's content, word by word with each word's formatting. Links are kept from
    the new version only (the old one's relationships are not in the merged package); a run
    the new version already deletes is not part of its text."""
    out = []
    for run in paragraph.iter(w("r")):
        if any(a.tag == w("del") for a in run.iterancestors()) and not from_old:
            continue
        rpr = run.find(w("rPr"))
        link = None
        parent = run.getparent()
        if parent is not None and parent.tag == w("hyperlink") and not from_old:
            link = parent.get(r("id"))
        for child in run:
            tag = etree.QName(child).localname
            if tag in ("t", "delText"):
                for piece in re.findall(r"\w+|\s+|[^\w\s]", child.text or ""):
                    out.append(Token("text", piece, rpr, link))
            elif tag == "tab":
                out.append(Token("tab", rpr=rpr, link=link))
            elif tag == "br":
                out.append(Token("br", rpr=rpr, link=link, element=child))
            elif tag == "footnoteReference":
                out.append(Token("fn", rpr=rpr, element=child))
            elif tag != "rPr":
                out.append(Token("other", etree.tostring(child).decode(), rpr, link, child))
    return out


def words(old: Sequence[Token], new: Sequence[Token]) -> Pairs[Token]:
    """Two paragraphs' tokens aligned; of a stretch that differs, the old tokens come first."""
    out: Pairs[Token] = []
    for tag, i1, i2, j1, j2 in _opcodes(old, new, Token.key):
        if tag == "equal":
            out += zip(old[i1:i2], new[j1:j2], strict=True)
        else:
            out += [(t, None) for t in old[i1:i2]] + [(None, t) for t in new[j1:j2]]
    return out


def formatting(rpr: etree._Element | None) -> tuple[Hashable, ...]:
    """Run formatting as plain data (serialised XML would differ in namespace declarations)."""
    if rpr is None:
        return ()
    return tuple(
        (etree.QName(child).localname, tuple(sorted((etree.QName(k).localname, v) for k, v in child.attrib.items())))
        for child in rpr
    )


# ---------------------------------------------------------------- text


def text(element: etree._Element) -> str:
    """The words of an element, deleted ones included."""
    return "".join(t.text or "" for t in element.iter(w("t"), w("delText")))


def _block_key(block: etree._Element) -> tuple[Hashable, ...]:
    if block.tag == w("tbl"):
        table_rows = block.findall(w("tr"))
        return ("tbl", text(table_rows[0]) if table_rows else "")
    marks = len(list(block.iter(w("footnoteReference"))))
    return (etree.QName(block).localname, text(block), marks)


def _similarity(a: etree._Element, b: etree._Element) -> float:
    """How alike two blocks are: their text (a table with the same first row is the same table)."""
    if a.tag == w("tbl") and _block_key(a) == _block_key(b):
        return 1.0
    limit = 2000 if a.tag == w("tbl") else None  # a whole table's text is long; its beginning tells
    return difflib.SequenceMatcher(None, text(a)[:limit], text(b)[:limit], autojunk=a.tag == w("tbl")).ratio()


def _opcodes(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]) -> Sequence[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False).get_opcodes()
