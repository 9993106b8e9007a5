"""The copy of a .docx that LibreOffice converts to PDF: the same document, less the table styles no table uses.

Word's templates define a hundred table styles ("Light Grid Accent 4"…): 310 KB of the 350 KB of a
template's ``styles.xml``, which the .docx keeps for whoever edits it in Word.  LibreOffice imports every
one of them for each document it opens, about a third of its CPU for a 2-page fact sheet; a style no table
uses cannot show in the PDF.  Everything else, text included, goes to LibreOffice byte for byte.
"""
from __future__ import annotations

import functools
import io
import zipfile

from lxml import etree

from .names import parse_xml, serialize, w
from .package import DAMAGED

STYLES = "word/styles.xml"
# parts that define styles rather than use them (Word 2010's copy of styles.xml, which LibreOffice does not read)
_DEFINITIONS = {STYLES, "word/stylesWithEffects.xml"}
_REFERENCES = ("basedOn", "next", "link")  # how a style names another


def for_pdf(docx: bytes) -> bytes:
    """The .docx without the table styles that no table (nor a style a table uses) refers to; the same bytes when
    there are none, or when the package cannot be read (LibreOffice then says what is wrong with it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            infos = archive.infolist()
            if STYLES not in archive.namelist():
                return docx
            styles = _without(archive.read(STYLES), frozenset(_table_styles_used(archive, infos)))
            if styles is None:
                return docx
            out = io.BytesIO()
            # stored, not deflated: the copy lives a moment in LibreOffice's folder, and deflating it again would
            # cost pao more than LibreOffice gains from a smaller file
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                for info in infos:
                    data = styles if info.filename == STYLES else archive.read(info)
                    copy.writestr(zipfile.ZipInfo(info.filename, info.date_time), data)
            return out.getvalue()
    except (etree.XMLSyntaxError, *DAMAGED):
        return docx


@functools.lru_cache(maxsize=8)
def _without(styles_xml: bytes, used: frozenset[str]) -> bytes | None:
    """``styles.xml`` without the table styles it defines that ``used`` does not need, or None if there are none;
    remembered, as the documents of a template in one language share their styles and mostly their tables'."""
    styles = parse_xml(styles_xml)
    unused = _unused_table_styles(styles, used)
    if not unused:
        return None
    for style in unused:
        styles.remove(style)
    return serialize(styles)


def _table_styles_used(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The table styles the tables of every part name (body, headers, footers, notes, comments)."""
    used: set[str] = set()
    for info in infos:
        if not info.filename.endswith(".xml") or info.filename in _DEFINITIONS:
            continue
        data = archive.read(info)
        if b"tblStyle" in data:  # most parts have no table: not parsed
            used.update(element.get(w("val"), "") for element in parse_xml(data).iter(w("tblStyle")))
    return used


def _unused_table_styles(styles: etree._Element, used: frozenset[str]) -> list[etree._Element]:
    """The table styles of ``styles`` that neither ``used`` nor the default table style needs, directly or through
    the styles they are based on or link to."""
    by_id = {style.get(w("styleId"), ""): style for style in styles.iter(w("style"))}
    needed = set(used) | {
        name for name, style in by_id.items() if style.get(w("type")) == "table" and style.get(w("default")) in ("1", "true", "on")
    }
    todo = list(needed)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        named = [element.get(w("val"), "") for tag in _REFERENCES if (element := style.find(w(tag))) is not None]
        named += [element.get(w("val"), "") for element in style.iter(w("tblStyle"))]
        for name in named:
            if name not in needed:
                needed.add(name)
                todo.append(name)
    return [
        style for name, style in by_id.items()
        if style.get(w("type")) == "table" and name not in needed and style.getparent() is styles
    ]
