"""Accepting or rejecting every tracked change of a document, as Word's "Accept All" does.

What checks a redline: accepting all must give the new version's text,
rejecting all the old one's.
"""
from __future__ import annotations

from lxml import etree

from . import footnotes as notes
from .names import remove, unwrap, w
from .package import Package


def resolve_all(docx: bytes, accept: bool) -> bytes:
    """The document with every tracked change accepted (or rejected), as Word would leave it."""
    package = Package(docx)
    for name in ("word/document.xml", notes.PART):
        root = package.xml(name)
        if root is None:
            continue
        _resolve(root, keep=("ins", "moveTo") if accept else ("del", "moveFrom"), drop=("del", "moveFrom") if accept else ("ins", "moveTo"))
        if name == "word/document.xml":
            _renumber_notes(package, root)
        package.set_xml(name, root)
    return package.to_bytes()


def _resolve(root: etree._Element, keep: tuple[str, ...], drop: tuple[str, ...]) -> None:
    """Remove what the ``drop`` marks hold (whole rows and paragraphs too) and unwrap what the ``keep`` marks hold;
    the start and end of moves go."""
    for properties in list(root.iter(w("trPr"))):
        row = properties.getparent()
        if any(properties.find(w(tag)) is not None for tag in drop) and row is not None:
            remove(row)
    for table in list(root.iter(w("tbl"))):
        if table.find(w("tr")) is None:  # every row of it was inserted (or deleted)
            remove(table)
    for paragraph in list(root.iter(w("p"))):
        if any(paragraph.find(f"{w('pPr')}/{w('rPr')}/{w(tag)}") is not None for tag in drop):
            remove(paragraph)
    marks_of_properties = (w("rPr"), w("trPr"))  # a mark there stands for its paragraph or row, handled above
    ranges = [w(f"{kind}Range{end}") for kind in ("moveFrom", "moveTo") for end in ("Start", "End")]
    for element in list(root.iter(*(w(tag) for tag in drop), *ranges)):
        parent = element.getparent()
        if parent is not None and parent.tag not in marks_of_properties:
            parent.remove(element)
    for element in list(root.iter(*(w(tag) for tag in keep))):
        parent = element.getparent()
        if parent is not None and parent.tag in marks_of_properties:
            parent.remove(element)
        else:
            unwrap(element)
    for text in list(root.iter(w("delText"))):
        text.tag = w("t")


def _renumber_notes(package: Package, document: etree._Element) -> None:
    """Keep only the footnotes whose marks remain, renumbered in order."""
    part = package.xml(notes.PART)
    if part is None:
        return
    bodies = notes.notes_by_id(part)
    notes.renumber(document, part, lambda mark, old_id: list(bodies[old_id]) if old_id in bodies else None)
    package.set_xml(notes.PART, part)
