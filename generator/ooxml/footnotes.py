"""The footnotes part: its notes apart from the separators, and numbering the notes in document order.

Word numbers footnotes by where their marks are, whatever their ids, but
LibreOffice pairs marks with bodies by sorted id: so whoever changes a
document's marks numbers them again, 1…N in document order, each note at its
mark's number.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

from .names import E, R, W, w

PART = "word/footnotes.xml"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
RELATIONSHIP = f"{R}/footnotes"


def empty_part() -> etree._Element:
    """A footnotes part with only the two separators Word puts above the notes of a page."""
    return E(
        "w:footnotes",
        _separator("separator", "-1"),
        _separator("continuationSeparator", "0"),
        nsmap={"w": W, "r": R},
    )


def _separator(kind: str, note_id: str) -> etree._Element:
    spacing = E("w:spacing", {"w:after": "0", "w:line": "240", "w:lineRule": "auto"})
    return E("w:footnote", {"w:type": kind, "w:id": note_id}, E("w:p", E("w:pPr", spacing), E("w:r", E(f"w:{kind}"))))


def notes(part: etree._Element) -> list[etree._Element]:
    """The part's footnotes that hold notes, in order (not the separators)."""
    return [note for note in part.findall(w("footnote")) if note.get(w("type")) in (None, "normal")]


def notes_by_id(part: etree._Element | None) -> dict[str, etree._Element]:
    return {note.get(w("id")) or "": note for note in notes(part)} if part is not None else {}


Body = Callable[[etree._Element, str], Iterable[etree._Element] | None]


def renumber(document: etree._Element, part: etree._Element, body_of: Body) -> None:
    """Number the marks of ``document`` 1…N in order and give ``part`` the notes again, in that order.

    ``body_of(mark, old_id)`` gives the content of the mark's note (taken from
    wherever it is), or None for a mark that has no note.
    """
    for note in notes(part):
        part.remove(note)
    for number, mark in enumerate(document.iter(w("footnoteReference")), start=1):
        old_id = mark.get(w("id")) or ""
        mark.set(w("id"), str(number))
        body = body_of(mark, old_id)
        if body is not None:
            part.append(E("w:footnote", {"w:id": str(number)}, *body))
