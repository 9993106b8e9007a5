"""What LibreOffice converts to PDF: the same document, less the table styles no table uses, and what pao knows of it.

Word's templates define a hundred table styles ("Light Grid Accent 4"…): 310 KB of the 350 KB of a
template's ``styles.xml``, which the .docx keeps for whoever edits it in Word.  LibreOffice imports every
one of them for each document it opens, about a third of its CPU for a 2-page fact sheet; a style no table
uses cannot show in the PDF.  Everything else, text included, goes to LibreOffice byte for byte.

pao also tells LibreOffice's worker (``pdf/worker.py``) what it would otherwise read from the document or ask
LibreOffice: the keywords, and whether any field needs updating (asking LibreOffice to list a document's
fields costs about a tenth of what the conversion of a fact sheet does).
"""
from __future__ import annotations

import dataclasses
import functools
import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from .names import CP, parse_xml, serialize, w
from .package import DAMAGED, KEYWORD_SEPARATOR

STYLES = "word/styles.xml"
CORE = "docProps/core.xml"
# parts that define styles rather than use them (Word 2010's copy of styles.xml, which LibreOffice does not read)
_DEFINITIONS = {STYLES, "word/stylesWithEffects.xml"}
_REFERENCES = ("basedOn", "next", "link")  # how a style names another
# the fields LibreOffice sets as it lays the pages out for the PDF: nothing to update before
PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES"})


@dataclasses.dataclass(frozen=True)
class Known:
    """What the worker would otherwise read from the document or ask LibreOffice."""

    keywords: tuple[str, ...] | None  # as whole terms (LibreOffice splits them at spaces); None: core.xml has none
    page_fields_only: bool  # no field but page numbers and counts (no date, reference, table of contents, comment)


@dataclasses.dataclass(frozen=True)
class PdfCopy:
    docx: bytes  # what LibreOffice reads
    known: Known | None  # None: a package pao cannot read (LibreOffice then says what is wrong with it)


def for_pdf(docx: bytes) -> PdfCopy:
    """The .docx without the table styles that no table (nor a style a table uses) refers to (the same bytes when
    there are none), and what is known of it; the same bytes and nothing known when the package cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            infos = archive.infolist()
            parts = _Parts(archive, infos)
            known = Known(_keywords(archive), parts.page_fields_only)
            if STYLES not in archive.namelist():
                return PdfCopy(docx, known)
            styles = _without(archive.read(STYLES), frozenset(parts.table_styles))
            if styles is None:
                return PdfCopy(docx, known)
            out = io.BytesIO()
            # stored, not deflated: the copy lives a moment in LibreOffice's folder, and deflating it again would
            # cost pao more than LibreOffice gains from a smaller file
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                for info in infos:
                    data = styles if info.filename == STYLES else archive.read(info)
                    copy.writestr(zipfile.ZipInfo(info.filename, info.date_time), data)
            return PdfCopy(out.getvalue(), known)
    except (etree.XMLSyntaxError, *DAMAGED):
        return PdfCopy(docx, None)


def _keywords(archive: zipfile.ZipFile) -> tuple[str, ...] | None:
    """The keywords of core.xml as whole terms, as pao writes them (``package.KEYWORD_SEPARATOR``)."""
    if CORE not in archive.namelist():
        return None
    found = parse_xml(archive.read(CORE)).find(f"{{{CP}}}keywords")
    if found is None or not found.text:
        return None
    return tuple(term.strip() for term in found.text.split(KEYWORD_SEPARATOR.strip()) if term.strip())


class _Parts:
    """What the parts that hold text (body, headers, footers, notes, comments) use: table styles, fields."""

    def __init__(self, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
        self.table_styles: set[str] = set()
        self.page_fields_only = True
        for info in infos:
            if not info.filename.endswith(".xml") or info.filename in _DEFINITIONS:
                continue
            data = archive.read(info)
            # most parts have neither a table nor a field: not parsed
            tables, fields = b"tblStyle" in data, b"fldChar" in data or b"instr" in data or b"commentReference" in data
            if not (tables or fields):
                continue
            part = parse_xml(data)
            self.table_styles.update(element.get(w("val"), "") for element in part.iter(w("tblStyle")))
            if fields and self.page_fields_only:
                self.page_fields_only = part.find(f".//{w('commentReference')}") is None and all(
                    name in PAGE_FIELDS for name in field_names(part)
                )


def field_names(part: etree._Element) -> Iterator[str]:
    """The name of each field of a part (PAGE, DATE, TOC…, upper case; "" for an empty instruction), nested ones
    included: a simple field's, and a complex field's from its instruction text, which may span several runs."""
    for simple in part.iter(w("fldSimple")):
        yield _name(simple.get(w("instr"), ""))
    begun: list[list[str] | None] = []  # the instruction of each complex field begun and not ended; None once named
    for element in part.iter(w("fldChar"), w("instrText"), w("delInstrText")):
        if element.tag != w("fldChar"):
            if begun and begun[-1] is not None:
                begun[-1].append(element.text or "")
            continue
        kind = element.get(w("fldCharType"))
        if kind == "begin":
            begun.append([])
        elif kind in ("separate", "end") and begun:
            instruction = begun[-1]
            if instruction is not None:
                yield _name("".join(instruction))
                begun[-1] = None
            if kind == "end":
                begun.pop()
    for instruction in begun:  # begun and never ended: a damaged field, which LibreOffice reads as it can
        if instruction is not None:
            yield _name("".join(instruction))


def _name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


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
