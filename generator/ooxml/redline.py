"""A Word document with native tracked changes between two renderings of a document.

``align`` says what pairs up; this module writes the result: what only the
old version has becomes a deletion (``w:del``), what only the new one has an
insertion (``w:ins``), both authored "pao diff" and dated from the sources,
and matched paragraphs are merged word by word, keeping each word's
formatting.  A paragraph, table row or table that moved (``align.moved``) is
written with Word's move marks: at its old place its words are moved away
(``w:moveFrom``, words the new version dropped ``w:del``), at its new place
moved in (``w:moveTo``, words it added ``w:ins``), the two places named as
one move (``w:moveFromRangeStart``/``w:moveToRangeStart`` of the same
``w:name``); a moved row is a deleted row at its old place and an inserted
one at its new place (Word has no move mark for rows).  A number that
changed only because items moved ("1." → "2.") is the one edit of its
paragraph.  Accepting every change gives the new document's text, rejecting
every change the old one's (``tracked.resolve_all``).  Footnotes follow their
marks: a footnote of both versions is compared paragraph by paragraph, an
added or removed one is inserted or deleted whole.
"""
from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable, Sequence

from lxml import etree

from . import align
from . import footnotes as notes
from .align import Token
from .names import XML, R, W, r, remove, unwrap, w
from .package import Package

AUTHOR = "pao diff"
# a temporary attribute of footnote marks: where their body comes from ("old:3", "new:4",
# or "pair:old:3:new:4" for a mark of both versions)
ORIGIN = "paoOrigin"
_ORIGINS = re.compile(rb' paoOrigin="[^"]*"')


def redline(old_docx: bytes, new_docx: bytes, date: datetime.date) -> bytes:
    """The new document with every difference from the old one as a tracked change."""
    old, new = Package(old_docx), Package(new_docx)
    old_document, new_document = old.xml("word/document.xml"), new.xml("word/document.xml")
    assert old_document is not None and new_document is not None
    for document, side in ((old_document, "old"), (new_document, "new")):
        for mark in document.iter(w("footnoteReference")):
            mark.set(ORIGIN, f"{side}:{mark.get(w('id'))}")
    changes = _Changes(date)
    old_body, new_body = old_document.find(w("body")), new_document.find(w("body"))
    assert old_body is not None and new_body is not None
    section = new_body.find(w("sectPr"))
    merged = changes.blocks([b for b in old_body if b.tag != w("sectPr")], [b for b in new_body if b.tag != w("sectPr")])
    for child in list(new_body):
        new_body.remove(child)
    new_body.extend(merged)
    if section is not None:
        new_body.append(section)
    new_notes = new.xml(notes.PART)
    if new_notes is not None:
        _footnotes(changes, new_document, notes.notes_by_id(old.xml(notes.PART)), new_notes)
        new.set_xml(notes.PART, new_notes)
    new.set_xml("word/document.xml", new_document)
    return new.to_bytes()


def _footnotes(changes: _Changes, document: etree._Element, old_notes: dict[str, etree._Element], new_notes: etree._Element) -> None:
    """Footnote bodies follow their marks, numbered 1…N in document order (deleted marks included)."""
    bodies = {"old": {i: list(n) for i, n in old_notes.items()}, "new": {i: list(n) for i, n in notes.notes_by_id(new_notes).items()}}

    def body_of(mark: etree._Element, old_id: str) -> list[etree._Element]:
        origin = (mark.get(ORIGIN) or f"new:{old_id}").split(":")
        etree.strip_attributes(mark, ORIGIN)
        if origin[0] == "pair":
            return changes.blocks(bodies["old"].get(origin[2], []), bodies["new"].get(origin[4], []))
        if origin[0] == "old":
            return [changes.deleted(p) for p in bodies["old"].get(origin[1], [])]
        blocks = bodies["new"].get(origin[1], [])
        if any(a.tag in (w("ins"), w("moveTo")) for a in mark.iterancestors()):
            return [changes.inserted(p) for p in blocks]
        return [copy.deepcopy(p) for p in blocks]

    notes.renumber(document, new_notes, body_of)


class _Changes:
    """Writes the merged blocks of two versions, numbering its tracked changes."""

    def __init__(self, date: datetime.date) -> None:
        self.stamp = f"{date.isoformat()}T00:00:00Z"
        self.next_id = 1
        # keyed by the elements themselves, which keeps them alive (an id() could be reused by another)
        self.moves: dict[etree._Element, str] = {}  # a moved old block → the name of its move
        # a moved old block → a copy of its new version as it was: the end written first takes footnote
        # marks and other run content out of the new version, the other end still compares with it
        self.pristine: dict[etree._Element, etree._Element] = {}

    def mark(self, tag: str) -> etree._Element:
        """A new ``w:ins``, ``w:del``, ``w:moveFrom`` or ``w:moveTo`` (or a move range's start)."""
        element = _element(tag)
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), AUTHOR)
        element.set(w("date"), self.stamp)
        self.next_id += 1
        return element

    # ---------------------------------------------------------------- blocks

    def blocks(self, old: Sequence[etree._Element], new: Sequence[etree._Element]) -> list[etree._Element]:
        """Two sequences of block elements (paragraphs, tables, content controls), merged."""
        pairs, partner = align.moved(align.blocks(old, new))
        return [self._merged(a, b, partner) for a, b in pairs]

    def _merged(self, old: etree._Element | None, new: etree._Element | None, partner: dict[etree._Element, etree._Element]) -> etree._Element:
        if new is None:
            assert old is not None
            return self._end_of_move(old, partner[old], "from") if old in partner else self.deleted(old)
        if old is None:
            return self._end_of_move(partner[new], new, "to") if new in partner else self.inserted(new)
        if _same(old, new):
            return _kept(old, new)
        if new.tag == w("p"):
            return self.paragraph(old, new)
        if new.tag == w("tbl"):
            return self.table(old, new)
        return new  # a content control (the table of contents): the new one, refreshed when fields update

    def deleted(self, block: etree._Element) -> etree._Element:
        return self._whole(_from_old(block), "del")

    def inserted(self, block: etree._Element) -> etree._Element:
        return self._whole(copy.deepcopy(block), "ins")

    def _whole(self, block: etree._Element, tag: str) -> etree._Element:
        """A whole block inserted or deleted (a content control is kept as it is)."""
        if block.tag == w("p"):
            return self._whole_paragraph(block, tag)
        for row in block.findall(w("tr")) if block.tag == w("tbl") else []:
            self._whole_row(row, tag)
        return block

    # ---------------------------------------------------------------- tables

    def table(self, old: etree._Element, new: etree._Element) -> etree._Element:
        result = copy.deepcopy(new)
        for row in result.findall(w("tr")):
            result.remove(row)
        pairs, partner = align.moved(align.rows(old.findall(w("tr")), new.findall(w("tr"))))
        for old_row, new_row in pairs:
            if old_row is not None and new_row is not None:
                result.append(_kept(old_row, new_row) if _same(old_row, new_row) else self.row(old_row, new_row))
            elif old_row is not None:
                result.append(self._end_of_move(old_row, partner[old_row], "from") if old_row in partner else self._whole_row(_from_old(old_row), "del"))
            elif new_row is not None:
                result.append(self._end_of_move(partner[new_row], new_row, "to") if new_row in partner else self._whole_row(copy.deepcopy(new_row), "ins"))
        return result

    def row(self, old: etree._Element, new: etree._Element) -> etree._Element:
        result = copy.deepcopy(new)
        for old_cell, cell in zip(old.findall(w("tc")), result.findall(w("tc")), strict=True):
            new_blocks = [c for c in cell if c.tag in (w("p"), w("tbl"))]
            old_blocks = [c for c in old_cell if c.tag in (w("p"), w("tbl"))]
            for block in new_blocks:
                cell.remove(block)
            cell.extend(self.blocks(old_blocks, new_blocks))
        return result

    def _whole_row(self, row: etree._Element, tag: str) -> etree._Element:
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.SubElement(row, w("trPr"))
            row.insert(0, properties)
        properties.append(self.mark(tag))
        for paragraph in row.iter(w("p")):
            self._whole_paragraph(paragraph, tag)
        return row

    # ---------------------------------------------------------------- moves

    def _end_of_move(self, old: etree._Element, new: etree._Element, side: str) -> etree._Element:
        """One end of a moved block or row; the old end compares with the new version as it was."""
        pristine = self.pristine.setdefault(old, copy.deepcopy(new))
        if side == "from":
            new = pristine
        return self._moved_row(old, new, side) if new.tag == w("tr") else self.moved(old, new, side)

    def moved(self, old: etree._Element, new: etree._Element, side: str) -> etree._Element:
        """One side of a moved block: its old place (``side`` "from") or its new one ("to"), within one named move."""
        if new.tag == w("p"):
            block = self._moved_paragraph(old, new, side)
        elif new.tag == w("tbl"):
            block = copy.deepcopy(old if side == "from" else new)
            for row in block.findall(w("tr")):
                block.remove(row)
            for old_row, new_row in align.rows(old.findall(w("tr")), new.findall(w("tr"))):
                if old_row is not None and new_row is not None:
                    block.append(self._moved_row(old_row, new_row, side, ranged=False))
                elif old_row is not None and side == "from":
                    block.append(self._whole_row(_from_old(old_row), "del"))
                elif new_row is not None and side == "to":
                    block.append(self._whole_row(copy.deepcopy(new_row), "ins"))
            if block.find(w("tr")) is None:
                return self.deleted(old) if side == "from" else self.inserted(new)
        else:
            return self.deleted(old) if side == "from" else self.inserted(new)
        return self._ranged(block, old, side)

    def _moved_row(self, old: etree._Element, new: etree._Element, side: str, ranged: bool = True) -> etree._Element:
        """A moved row: deleted at its old place, inserted at its new one, its words moved (and edited)."""
        row = copy.deepcopy(old if side == "from" else new)
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.Element(w("trPr"))
            row.insert(0, properties)
        properties.append(self.mark("del" if side == "from" else "ins"))
        for old_cell, new_cell, target in zip(old.findall(w("tc")), new.findall(w("tc")), row.findall(w("tc")), strict=True):
            for block in [c for c in target if c.tag in (w("p"), w("tbl"))]:
                target.remove(block)
            old_blocks = [c for c in old_cell if c.tag in (w("p"), w("tbl"))]
            for a, b in align.blocks(old_blocks, [c for c in new_cell if c.tag in (w("p"), w("tbl"))]):
                if a is not None and b is not None:
                    target.append(self._moved_paragraph(a, b, side) if b.tag == w("p") else self.moved(a, b, side))
                elif a is not None and side == "from":
                    target.append(self.deleted(a))
                elif b is not None and side == "to":
                    target.append(self.inserted(b))
        return self._ranged(row, old, side) if ranged else row

    def _moved_paragraph(self, old: etree._Element, new: etree._Element, side: str) -> etree._Element:
        """A paragraph at one end of a move: the words both versions have as moved, the others deleted (at
        the old place) or inserted (at the new one)."""
        moving = "moveFrom" if side == "from" else "moveTo"
        source = _from_old(old)
        result = _element("p")
        properties = (source if side == "from" else new).find(w("pPr"))
        properties = copy.deepcopy(properties) if properties is not None else etree.Element(w("pPr"))
        mark_properties = properties.find(w("rPr"))
        if mark_properties is None:
            mark_properties = etree.SubElement(properties, w("rPr"))
        mark_properties.insert(0, self.mark(moving))  # the schema wants it first
        result.append(properties)
        pieces: list[tuple[str, Token]] = []
        for x, y in align.words(align.tokens(source, from_old=True), align.tokens(new, from_old=False)):
            if x is not None and y is not None:
                pieces.append((moving, x if side == "from" else y))
            elif x is not None and side == "from":
                pieces.append(("del", x))
            elif y is not None and side == "to":
                pieces.append(("ins", y))
        self._runs(result, pieces)
        return result

    def _ranged(self, block: etree._Element, old: etree._Element, side: str) -> etree._Element:
        """The block between the start and end of its move's range (in its first and last paragraph)."""
        name = self.moves.setdefault(old, f"move{len(self.moves) + 1}")
        kind = "moveFrom" if side == "from" else "moveTo"
        paragraphs = [block] if block.tag == w("p") else list(block.iter(w("p")))
        start = self.mark(kind + "RangeStart")
        start.set(w("name"), name)
        end = _element(kind + "RangeEnd")
        end.set(w("id"), start.get(w("id")) or "")
        first, last = paragraphs[0], paragraphs[-1]
        properties = first.find(w("pPr"))
        first.insert(first.index(properties) + 1 if properties is not None else 0, start)
        last.append(end)
        return block

    # ---------------------------------------------------------------- paragraphs

    def paragraph(self, old: etree._Element, new: etree._Element) -> etree._Element:
        result = _element("p")
        properties = new.find(w("pPr"))
        if properties is not None:
            result.append(copy.deepcopy(properties))
        pieces: list[tuple[str, Token]] = []
        for x, y in align.words(align.tokens(old, from_old=True), align.tokens(new, from_old=False)):
            if x is not None and y is not None:
                if y.kind == "fn" and x.element is not None and y.element is not None:
                    y.element.set(ORIGIN, f"pair:{x.element.get(ORIGIN)}:{y.element.get(ORIGIN)}")
                pieces.append(("", y))
            elif x is not None:
                pieces.append(("del", x))
            elif y is not None:
                pieces.append(("ins", y))
        self._runs(result, pieces)
        return result

    def _whole_paragraph(self, paragraph: etree._Element, tag: str) -> etree._Element:
        tokens = align.tokens(paragraph, from_old=(tag == "del"))
        properties = paragraph.find(w("pPr"))
        for child in list(paragraph):
            if child is not properties:
                paragraph.remove(child)
        if properties is None:
            properties = etree.SubElement(paragraph, w("pPr"))
        mark_properties = properties.find(w("rPr"))
        if mark_properties is None:
            mark_properties = etree.SubElement(properties, w("rPr"))
        mark_properties.append(self.mark(tag))
        self._runs(paragraph, [(tag, t) for t in tokens])
        return paragraph

    def _runs(self, paragraph: etree._Element, pieces: Iterable[tuple[str, Token]]) -> None:
        """Runs for the tokens (state "", "ins" or "del"), consecutive ones of the same change,
        format and link merged."""
        container = paragraph
        previous = None
        for state, token in pieces:
            group = (state, token.link if state in ("", "moveTo") else None)
            if group != previous:
                previous = group
                container = paragraph
                if state:
                    container = self.mark(state)
                    paragraph.append(container)
                if group[1]:
                    link = etree.SubElement(container, w("hyperlink"))
                    link.set(r("id"), group[1])
                    container = link
            _append_token(_run_for(container, token), token, deleted=state in ("del", "moveFrom"))


def _same(old: etree._Element, new: etree._Element) -> bool:
    """Whether a block (or row) is the same in both versions, to the byte (where its footnote marks come from
    aside): kept as it is, not merged word by word."""
    return _ORIGINS.sub(b"", etree.tostring(old)) == _ORIGINS.sub(b"", etree.tostring(new))


def _kept(old: etree._Element, new: etree._Element) -> etree._Element:
    """A block the same in both versions, its footnote marks paired (their bodies are compared apart)."""
    for x, y in zip(old.iter(w("footnoteReference")), new.iter(w("footnoteReference")), strict=True):
        y.set(ORIGIN, f"pair:{x.get(ORIGIN)}:{y.get(ORIGIN)}")
    return new


def _from_old(block: etree._Element) -> etree._Element:
    """A copy of an old block that holds nothing pointing into the old package."""
    block = copy.deepcopy(block)
    for link in list(block.iter(w("hyperlink"))):
        unwrap(link)
    for drawing in list(block.iter(w("drawing"))):
        remove(drawing)
    return block


def _run_for(container: etree._Element, token: Token) -> etree._Element:
    """The container's last run if the token's text can go on in it, else a new run."""
    last = container[-1] if len(container) else None
    if (
        token.kind == "text"
        and last is not None
        and last.tag == w("r")
        and align.formatting(last.find(w("rPr"))) == align.formatting(token.rpr)
        and len(last)
        and etree.QName(last[-1]).localname in ("t", "delText")
    ):
        return last
    run = etree.SubElement(container, w("r"))
    if token.rpr is not None:
        run.append(copy.deepcopy(token.rpr))
    return run


def _append_token(run: etree._Element, token: Token, deleted: bool) -> None:
    if token.kind == "text":
        last = run[-1] if len(run) else None
        tag = w("delText") if deleted else w("t")
        if last is not None and last.tag == tag:
            last.text = (last.text or "") + token.text
        else:
            text = etree.SubElement(run, tag)
            text.set(f"{{{XML}}}space", "preserve")
            text.text = token.text
    elif token.kind == "tab":
        etree.SubElement(run, w("tab"))
    elif token.kind == "br":
        etree.SubElement(run, w("br"))
    elif token.element is not None:
        run.append(copy.deepcopy(token.element) if token.kind == "other" else token.element)


def _element(tag: str) -> etree._Element:
    return etree.Element(w(tag), nsmap={"w": W, "r": R})
