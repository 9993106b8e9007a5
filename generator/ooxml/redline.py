"""A Word document with native tracked changes between two renderings of a document.

Both versions are rendered from the same template, so their bodies line up:
blocks (paragraphs, tables, rows) are aligned by their text, and matched
paragraphs are compared word by word, keeping each word's formatting.  What
only the old version has becomes a deletion (``w:del``), what only the new one
has an insertion (``w:ins``), both authored "pao diff" and dated from the
sources: accepting every change gives the new document's text, rejecting every
change the old one's.  Footnotes follow their marks: a footnote of both
versions is compared paragraph by paragraph, an added or removed one is
inserted or deleted whole.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime
import difflib
import re

from lxml import etree

from .package import R, W, Package, w

AUTHOR = "pao diff"
ORIGIN = "paoOrigin"  # temporary attribute on footnote references: where their body comes from
SIMILAR = 0.5


@dataclasses.dataclass
class _Token:
    kind: str  # text | tab | br | fn | other
    text: str = ""
    rpr: etree._Element | None = None
    link: str | None = None  # hyperlink relationship id (new document only)
    element: etree._Element | None = None  # footnoteReference or other run content

    def key(self) -> tuple:
        if self.kind == "fn":
            return ("fn",)  # marks pair by position; their bodies are compared apart
        return (self.kind, self.text, _rpr_key(self.rpr))


class _Redline:
    def __init__(self, date: datetime.date) -> None:
        self.stamp = f"{date.isoformat()}T00:00:00Z"
        self.next_id = 1

    def mark(self, tag: str) -> etree._Element:
        element = _element(tag)
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), AUTHOR)
        element.set(w("date"), self.stamp)
        self.next_id += 1
        return element

    # ---------------------------------------------------------------- blocks

    def blocks(self, old: list, new: list) -> list:
        """Merge two sequences of block elements (paragraphs, tables, content controls)."""
        matcher = difflib.SequenceMatcher(None, [_block_key(b) for b in old], [_block_key(b) for b in new], autojunk=False)
        out = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out += [self.pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2])]
            elif tag == "delete":
                out += [self.deleted(b) for b in old[i1:i2]]
            elif tag == "insert":
                out += [self.inserted(b) for b in new[j1:j2]]
            else:
                out += self.replaced(old[i1:i2], new[j1:j2])
        return out

    def replaced(self, old: list, new: list) -> list:
        """Pair similar blocks in order; what is left is deleted or inserted."""
        out, start = [], 0
        for block in new:
            match = next(
                (i for i in range(start, len(old)) if old[i].tag == block.tag and _similarity(old[i], block) >= SIMILAR),
                None,
            )
            if match is None:
                out.append(self.inserted(block))
                continue
            out += [self.deleted(b) for b in old[start:match]]
            out.append(self.pair(old[match], block))
            start = match + 1
        return out + [self.deleted(b) for b in old[start:]]

    def pair(self, old, new):
        if new.tag == w("p"):
            return self.paragraph(old, new)
        if new.tag == w("tbl"):
            return self.table(old, new)
        return new  # a content control (the table of contents): the new one, refreshed when fields update

    def deleted(self, block):
        return self._whole(_from_old(block), "del")

    def inserted(self, block):
        return self._whole(copy.deepcopy(block), "ins")

    def _whole(self, block, tag: str):
        """A whole block inserted or deleted (a content control is kept as it is)."""
        if block.tag == w("p"):
            return self._whole_paragraph(block, tag)
        for row in block.findall(w("tr")) if block.tag == w("tbl") else []:
            self._whole_row(row, tag)
        return block

    # ---------------------------------------------------------------- tables

    def table(self, old, new):
        result = copy.deepcopy(new)
        for row in result.findall(w("tr")):
            result.remove(row)
        old_rows, new_rows = old.findall(w("tr")), new.findall(w("tr"))
        matcher = difflib.SequenceMatcher(None, [_text(r) for r in old_rows], [_text(r) for r in new_rows], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            pairs = list(zip(old_rows[i1:i2], new_rows[j1:j2])) if tag in ("equal", "replace") else []
            paired = [(a, b) for a, b in pairs if len(a.findall(w("tc"))) == len(b.findall(w("tc")))]
            if tag in ("equal", "replace") and len(paired) == len(pairs) and i2 - i1 == j2 - j1:
                for a, b in paired:
                    result.append(self.row(a, b))
                continue
            for row in old_rows[i1:i2]:
                result.append(self._whole_row(_from_old(row), "del"))
            for row in new_rows[j1:j2]:
                result.append(self._whole_row(copy.deepcopy(row), "ins"))
        return result

    def row(self, old, new):
        result = copy.deepcopy(new)
        for old_cell, cell in zip(old.findall(w("tc")), result.findall(w("tc"))):
            new_blocks = [c for c in cell if c.tag in (w("p"), w("tbl"))]
            old_blocks = [c for c in old_cell if c.tag in (w("p"), w("tbl"))]
            for block in new_blocks:
                cell.remove(block)
            cell.extend(self.blocks(old_blocks, new_blocks))
        return result

    def _whole_row(self, row, tag: str):
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.SubElement(row, w("trPr"))
            row.insert(0, properties)
        properties.append(self.mark(tag))
        for paragraph in row.iter(w("p")):
            self._whole_paragraph(paragraph, tag)
        return row

    # ---------------------------------------------------------------- paragraphs

    def paragraph(self, old, new):
        result = _element("p")
        if new.find(w("pPr")) is not None:
            result.append(copy.deepcopy(new.find(w("pPr"))))
        a, b = _tokens(old, from_old=True), _tokens(new, from_old=False)
        matcher = difflib.SequenceMatcher(None, [t.key() for t in a], [t.key() for t in b], autojunk=False)
        pieces: list[tuple[str, _Token]] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for x, y in zip(a[i1:i2], b[j1:j2]):
                    if y.kind == "fn":
                        y.element.set(ORIGIN, f"pair:{x.element.get(ORIGIN)}:{y.element.get(ORIGIN)}")
                    pieces.append(("", y))
                continue
            pieces += [("del", t) for t in a[i1:i2]]
            pieces += [("ins", t) for t in b[j1:j2]]
        self._runs(result, pieces)
        return result

    def _whole_paragraph(self, paragraph, tag: str):
        tokens = _tokens(paragraph, from_old=(tag == "del"))
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

    def _runs(self, paragraph, pieces: list[tuple[str, _Token]]) -> None:
        """Runs for the tokens, consecutive ones of the same change, format and link merged."""
        container = None
        previous = None
        for state, token in pieces:
            group = (state, token.link if state == "" else None)
            if group != previous:
                previous = group
                container = paragraph
                if state:
                    container = self.mark(state)
                    paragraph.append(container)
                if group[1]:
                    link = etree.SubElement(container, w("hyperlink"))
                    link.set(f"{{{R}}}id", group[1])
                    container = link
            run = _run_for(container, token)
            _append_token(run, token, deleted=(state == "del"))


# -------------------------------------------------------------------- tokens


def _from_old(block):
    """A copy of an old block that holds nothing pointing into the old package."""
    block = copy.deepcopy(block)
    for link in list(block.iter(w("hyperlink"))):
        parent = link.getparent()
        index = parent.index(link)
        for child in reversed(list(link)):
            parent.insert(index, child)
        parent.remove(link)
    for drawing in list(block.iter(w("drawing"))):
        drawing.getparent().remove(drawing)
    return block


def _tokens(paragraph, from_old: bool) -> list[_Token]:
    tokens = []
    for run in paragraph.iter(w("r")):
        if any(a.tag == w("del") for a in run.iterancestors()) and not from_old:
            continue
        rpr = run.find(w("rPr"))
        link = None
        parent = run.getparent()
        if parent is not None and parent.tag == w("hyperlink") and not from_old:
            link = parent.get(f"{{{R}}}id")
        for child in run:
            tag = etree.QName(child).localname
            if tag in ("t", "delText"):
                for piece in re.findall(r"\w+|\s+|[^\w\s]", child.text or ""):
                    tokens.append(_Token("text", piece, rpr, link))
            elif tag == "tab":
                tokens.append(_Token("tab", rpr=rpr, link=link))
            elif tag == "br":
                tokens.append(_Token("br", rpr=rpr, link=link, element=child))
            elif tag == "footnoteReference":
                side = "old" if from_old else "new"
                if child.get(ORIGIN) is None:
                    child.set(ORIGIN, f"{side}:{child.get(w('id'))}")
                tokens.append(_Token("fn", rpr=rpr, element=child))
            elif tag != "rPr":
                tokens.append(_Token("other", etree.tostring(child).decode(), rpr, link, child))
    return tokens


def _run_for(container, token: _Token):
    last = container[-1] if len(container) else None
    same = last is not None and last.tag == w("r") and _rpr_key(last.find(w("rPr"))) == _rpr_key(token.rpr) and token.kind == "text"
    if same and len(last) and etree.QName(last[-1]).localname in ("t", "delText"):
        return last
    run = etree.SubElement(container, w("r"))
    if token.rpr is not None:
        run.append(copy.deepcopy(token.rpr))
    return run


def _append_token(run, token: _Token, deleted: bool) -> None:
    if token.kind == "text":
        last = run[-1] if len(run) else None
        tag = w("delText") if deleted else w("t")
        if last is not None and last.tag == tag:
            last.text = (last.text or "") + token.text
        else:
            text = etree.SubElement(run, tag)
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = token.text
    elif token.kind == "tab":
        etree.SubElement(run, w("tab"))
    elif token.kind == "br":
        etree.SubElement(run, w("br"))
    else:
        run.append(copy.deepcopy(token.element) if token.kind == "other" else token.element)


def _rpr_key(rpr) -> tuple:
    """Run formatting as plain data (serialised XML would differ in namespace declarations)."""
    if rpr is None:
        return ()
    return tuple(
        (etree.QName(child).localname, tuple(sorted((etree.QName(k).localname, v) for k, v in child.attrib.items())))
        for child in rpr
    )


def _element(tag: str) -> etree._Element:
    return etree.Element(w(tag), nsmap={"w": W, "r": R})


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t"), w("delText")))


def _block_key(block) -> tuple:
    if block.tag == w("tbl"):
        rows = block.findall(w("tr"))
        return ("tbl", _text(rows[0]) if rows else "")
    marks = len(list(block.iter(w("footnoteReference"))))
    return (etree.QName(block).localname, _text(block), marks)


def _similarity(a, b) -> float:
    """How alike two blocks are: their text (a table with the same first row is the same table)."""
    if a.tag == w("tbl") and _block_key(a) == _block_key(b):
        return 1.0
    limit = 2000 if a.tag == w("tbl") else None  # a whole table's text is long; its beginning tells
    return difflib.SequenceMatcher(None, _text(a)[:limit], _text(b)[:limit], autojunk=a.tag == w("tbl")).ratio()


# -------------------------------------------------------------------- the document


def redline(old_docx: bytes, new_docx: bytes, date: datetime.date) -> bytes:
    """The new document with every difference from the old one as a tracked change."""
    old, new = Package(old_docx), Package(new_docx)
    old_document, new_document = old.xml("word/document.xml"), new.xml("word/document.xml")
    changes = _Redline(date)
    old_body, new_body = old_document.find(w("body")), new_document.find(w("body"))
    section = new_body.find(w("sectPr"))
    merged = changes.blocks([b for b in old_body if b.tag != w("sectPr")], [b for b in new_body if b.tag != w("sectPr")])
    for child in list(new_body):
        new_body.remove(child)
    new_body.extend(merged)
    if section is not None:
        new_body.append(section)
    _footnotes(changes, new_document, old.xml("word/footnotes.xml"), new, new.xml("word/footnotes.xml"))
    new.set_xml("word/document.xml", new_document)
    return new.to_bytes()


def _footnotes(changes: _Redline, document, old_notes, package: Package, new_notes) -> None:
    """Footnote bodies follow their marks, numbered 1…N in document order (deleted marks included)."""
    if new_notes is None:
        return
    bodies = {
        "old": _bodies(old_notes),
        "new": _bodies(new_notes),
    }
    for note in [n for n in new_notes.findall(w("footnote")) if n.get(w("type")) in (None, "normal")]:
        new_notes.remove(note)
    for number, reference in enumerate(document.iter(w("footnoteReference")), start=1):
        origin = (reference.attrib.pop(ORIGIN, None) or f"new:{reference.get(w('id'))}").split(":")
        reference.set(w("id"), str(number))
        note = etree.SubElement(new_notes, w("footnote"))
        note.set(w("id"), str(number))
        if origin[0] == "pair":
            old_body, new_body = bodies["old"].get(origin[2], []), bodies["new"].get(origin[4], [])
            note.extend(changes.blocks(old_body, new_body))
        elif origin[0] == "old":
            note.extend(changes.deleted(p) for p in bodies["old"].get(origin[1], []))
        else:
            inside_insertion = any(a.tag == w("ins") for a in reference.iterancestors())
            blocks = bodies["new"].get(origin[1], [])
            note.extend(changes.inserted(p) for p in blocks) if inside_insertion else note.extend(copy.deepcopy(p) for p in blocks)
    package.set_xml("word/footnotes.xml", new_notes)


def _bodies(notes) -> dict[str, list]:
    if notes is None:
        return {}
    return {n.get(w("id")): list(n) for n in notes.findall(w("footnote")) if n.get(w("type")) in (None, "normal")}


# -------------------------------------------------------------------- accepting and rejecting


def resolve_all(docx: bytes, accept: bool) -> bytes:
    """The document with every tracked change accepted (or rejected), as Word would leave it."""
    package = Package(docx)
    for name in ("word/document.xml", "word/footnotes.xml"):
        root = package.xml(name)
        if root is None:
            continue
        keep, drop = ("ins", "del") if accept else ("del", "ins")
        for mark in list(root.iter(w("trPr"))):
            if mark.find(w(drop)) is not None:
                row = mark.getparent()
                row.getparent().remove(row)
        for paragraph in list(root.iter(w("p"))):
            mark = paragraph.find(f"{w('pPr')}/{w('rPr')}/{w(drop)}")
            if mark is not None and paragraph.getparent() is not None:
                paragraph.getparent().remove(paragraph)
        for element in list(root.iter(w(drop))):
            if element.getparent() is not None and element.getparent().tag != w("rPr") and element.getparent().tag != w("trPr"):
                element.getparent().remove(element)
        for element in list(root.iter(w(keep))):
            parent = element.getparent()
            if parent.tag in (w("rPr"), w("trPr")):
                parent.remove(element)
                continue
            index = parent.index(element)
            for child in reversed(list(element)):
                parent.insert(index, child)
            parent.remove(element)
        for text in list(root.iter(w("delText"))):
            text.tag = w("t")
        if name == "word/document.xml":
            _renumber_after_resolving(package, root)
        package.set_xml(name, root)
    return package.to_bytes()


def _renumber_after_resolving(package: Package, document) -> None:
    """Keep only the footnotes whose marks remain, renumbered in order."""
    notes = package.xml("word/footnotes.xml")
    if notes is None:
        return
    bodies = {n.get(w("id")): n for n in notes.findall(w("footnote")) if n.get(w("type")) in (None, "normal")}
    for body in bodies.values():
        notes.remove(body)
    for number, reference in enumerate(document.iter(w("footnoteReference")), start=1):
        body = bodies.get(reference.get(w("id")))
        reference.set(w("id"), str(number))
        if body is not None:
            body.set(w("id"), str(number))
            notes.append(body)
    package.set_xml("word/footnotes.xml", notes)

