"""Reading a PDF's pages as a person looks at them: paragraphs as lines, table rows, headings, glyphs.

LibreOffice's PDFs are tagged: their structure tree says which marked content
(page, MCID) belongs to which paragraph, heading, table row or footnote, and
each character drawn carries its MCID and its paragraph style's name
(read with pdfium, which reads a page in milliseconds).  ``problems`` compares that with the text of the .docx the PDF
came from (``pao text``) and names what a person would not sign: a word,
number or amount cut across two lines, a table row cut across two pages, a
heading, label or table header left as the last line of a page, a character
drawn with a font that has no glyph for it.  Which table rows are titles or
labels that must not end a page comes from the .docx (``w:tblHeader``,
``w:keepNext``): the PDF's tables and rows are the .docx's, in order.
"""
from __future__ import annotations

import ctypes
import dataclasses
import functools
import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from generator.ooxml.names import w as _w
from generator.ooxml.reader import docx_text

Mark = tuple[int, int]  # (page index, MCID)

# paragraph styles a page must not end with: headings and the labels that name what follows
KEEP_WITH_NEXT = re.compile(r"^(Title|H\d|Heading \d|Arrow Label|Arrow Heading|Contents Heading|TOC Heading)$")
_FOOTNOTE_MARK = re.compile(r"\[\^\d+\]")
_NO_BREAK = "\u00a0\u202f\u2007"
_BREAKS_AFTER = "-–—/"  # a line may end after these without a space


@dataclasses.dataclass
class Element:
    """A node of the structure tree: its type (P, H1, TR, Table, Footnote, or a style's role name)."""

    kind: str
    content: list[Element | Mark] = dataclasses.field(default_factory=list)

    def marks(self) -> Iterator[Mark]:
        """Its marked content and its descendants', in reading order."""
        for item in self.content:
            if isinstance(item, Element):
                yield from item.marks()
            else:
                yield item

    def walk(self) -> Iterator[Element]:
        yield self
        for item in self.content:
            if isinstance(item, Element):
                yield from item.walk()


@dataclasses.dataclass(frozen=True)
class Line:
    page: int  # 1-based, as a person counts
    text: str
    style: str  # the paragraph style LibreOffice names the marked content with
    top: float


@dataclasses.dataclass(frozen=True)
class Problem:
    document: str
    page: int
    what: str

    def __str__(self) -> str:
        return f"{self.document}, page {self.page}: {self.what}"


def _tree(reader: PdfReader) -> Element:
    pages = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages) if page.indirect_reference}
    catalog = reader.trailer["/Root"]
    assert isinstance(catalog, DictionaryObject) and "/StructTreeRoot" in catalog, "the PDF is not tagged"
    root = catalog["/StructTreeRoot"]
    assert isinstance(root, DictionaryObject)

    def page_of(node: DictionaryObject, default: int) -> int:
        reference = node.raw_get("/Pg") if "/Pg" in node else None
        return pages.get(reference.idnum, default) if reference is not None else default

    def element(node: DictionaryObject, page: int) -> Element:
        page = page_of(node, page)
        found = Element(str(node.get("/S", "")).lstrip("/"))
        kids = node.get("/K")
        if kids is None:
            return found
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            value = kid.get_object()
            if isinstance(value, int):
                found.content.append((page, int(value)))
            elif isinstance(value, DictionaryObject) and value.get("/Type") == "/MCR":
                found.content.append((page_of(value, page), int(value["/MCID"])))  # type: ignore[call-overload]
            elif isinstance(value, DictionaryObject) and "/S" in value:
                found.content.append(element(value, page))
        return found

    return element(root, 0)


@functools.cache
def _cmap(postscript_name: str) -> frozenset[int] | None:
    """The characters the installed font of that PostScript name has glyphs for (fontconfig finds it)."""
    try:
        found = subprocess.run(["fc-list", f":postscriptname={postscript_name}", "file"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        raise AssertionError("the glyph check finds fonts with fontconfig's fc-list (Debian: fontconfig)") from None
    files = [line.rstrip(": ").strip() for line in found.splitlines() if line.strip()]
    if not files:
        return None
    with TTFont(files[0], fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


@dataclasses.dataclass(frozen=True)
class _Char:
    text: str
    left: float
    top: float  # from the page's top, as a person reads
    size: float
    style: str


def _mark_name(item: object) -> str:
    """The name of a page object's first mark: the paragraph style LibreOffice tags its text with."""
    mark = raw.FPDFPageObj_GetMark(item, 0)
    length = ctypes.c_ulong()
    if not mark or not raw.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(length)) or length.value < 2:
        return ""
    buffer = (ctypes.c_ushort * (length.value // 2))()
    raw.FPDFPageObjMark_GetName(mark, buffer, length.value, ctypes.byref(length))
    return bytes(buffer).decode("utf-16-le").rstrip("\0")


class LaidOut:
    """One PDF, read once (pdfium): its structure and the characters of each marked content."""

    def __init__(self, path: Path, name: str, written: str) -> None:
        self.name = name
        self.written = set(written)  # the characters of the sources: each must have a glyph
        self.tree = _tree(PdfReader(path))
        self.chars: dict[Mark, list[_Char]] = {}
        self.glyphless: list[Problem] = []
        self.lowest_figure: dict[int, float] = {}  # page (1-based) → top of its lowest figure (a chart)
        pdf = pdfium.PdfDocument(path)
        try:
            self.pages = len(pdf)
            for index in range(self.pages):
                self._read_page(pdf[index], index)
        finally:
            pdf.close()

    def _read_page(self, page: pdfium.PdfPage, index: int) -> None:
        height = page.get_height()
        # LibreOffice tags a chart as an artifact: any image counts as content
        tops = [height - image.get_bounds()[3] for image in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,))]
        if tops:
            self.lowest_figure[index + 1] = max(tops)
        text = page.get_textpage()
        font = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        last: list[_Char] | None = None
        styles: dict[int, tuple[int, str]] = {}  # text object → (MCID, style)
        count = text.count_chars()
        for number in range(count):
            code = raw.FPDFText_GetUnicode(text, number)
            if 0xDC00 <= code < 0xE000:  # the second half of a character beyond U+FFFF: read with the first
                continue
            if 0xD800 <= code < 0xDC00 and number + 1 < count:  # pdfium gives those as UTF-16 pairs
                code = 0x10000 + ((code - 0xD800) << 10) + (raw.FPDFText_GetUnicode(text, number + 1) - 0xDC00)
            character = chr(code)
            item = raw.FPDFText_GetTextObject(text, number)
            if not item:  # a space or line end pdfium adds between words
                if last is not None and character == " ":
                    last.append(dataclasses.replace(last[-1], text=" "))
                continue
            address = ctypes.cast(item, ctypes.c_void_p).value or 0
            if address not in styles:
                styles[address] = (raw.FPDFPageObj_GetMarkedContentID(item), _mark_name(item))
            mcid, style = styles[address]
            left, bottom, right, top = text.get_charbox(number)
            char = _Char(character, left, height - top, raw.FPDFText_GetFontSize(text, number), style)
            if mcid >= 0:
                last = self.chars.setdefault((index, mcid), [])
                last.append(char)
            if character.strip() and character in self.written:
                raw.FPDFText_GetFontInfo(text, number, font, len(font), ctypes.byref(flags))
                self._check_glyph(index, character, font.value.decode("latin-1"))
        text.close()
        page.close()

    def _check_glyph(self, index: int, character: str, font: str) -> None:
        has = _cmap(font.split("+")[-1])
        if has is not None and ord(character) not in has:
            # (LibreOffice's PDF may read the box as another character of its line: the font is what counts)
            what = f"{character!r} (U+{ord(character):04X}) is drawn with {font}, which has no glyph for it: it prints as an empty box"
            self.glyphless.append(Problem(self.name, index + 1, what))

    def lines(self, element: Element) -> list[Line]:
        """The lines an element's text is laid out on, in reading order; footnote marks left out."""
        lines: list[Line] = []
        current: list[tuple[int, _Char]] = []

        def close() -> None:
            if current:
                size = max(c.size for _, c in current)
                text = "".join(c.text for _, c in current if c.size > 0.8 * size)
                lines.append(Line(current[0][0] + 1, " ".join(text.split()), current[0][1].style, current[0][1].top))
                current.clear()

        for page, mcid in element.marks():
            for char in self.chars.get((page, mcid), []):
                if current:
                    last_page, last = current[-1]
                    if page != last_page or (char.left < last.left - 1 and char.top > last.top + 0.5 * last.size):
                        close()
                current.append((page, char))
        close()
        return [line for line in lines if line.text]


def _blocks(tree: Element) -> Iterator[Element]:
    """The elements that hold text of their own: paragraphs, headings, list labels and bodies, footnotes."""
    for element in tree.walk():
        if any(not isinstance(item, Element) for item in element.content):
            yield element


def problems(pdf: Path, name: str, docx: bytes) -> list[Problem]:
    """Everything on the pages of ``pdf`` a person would not sign; ``docx`` is the .docx it was converted from."""
    source_text = docx_text(docx)
    laid = LaidOut(pdf, name, source_text)
    source = _FOOTNOTE_MARK.sub("", re.sub(r"[ \t\n|]+", " ", source_text))
    found = list(laid.glyphless)
    found += _cut_words(laid, source)
    found += _cut_rows(laid)
    found += _left_at_the_foot(laid, _kept_rows(docx))
    return found


def _kept_rows(docx: bytes) -> list[list[bool]]:
    """For each table of the .docx, in order, which rows must stay on the page of the next one: a row of column
    titles (``w:tblHeader``), or a row of labels (each of its paragraphs keeps with the next, ``w:keepNext``)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        body, styles = (etree.fromstring(package.read(part)) for part in ("word/document.xml", "word/styles.xml"))
    kept_styles = {
        style.get(_w("styleId")) for style in styles.iter(_w("style")) if style.find(f"{_w('pPr')}/{_w('keepNext')}") is not None
    }

    def keeps(paragraph: etree._Element) -> bool:
        properties = paragraph.find(_w("pPr"))
        style = properties.find(_w("pStyle")) if properties is not None else None
        direct = properties.find(_w("keepNext")) if properties is not None else None
        if direct is not None:
            return direct.get(_w("val"), "true") not in ("0", "false")
        return style is not None and style.get(_w("val")) in kept_styles

    tables: list[list[bool]] = []
    for table in body.iter(_w("tbl")):
        previous = table.getprevious()
        rows: list[bool] = []
        if previous is not None and previous.tag == _w("tbl"):  # LibreOffice joins tables that touch, as Word shows them
            rows = tables.pop()
        for row in table.findall(_w("tr")):
            paragraphs = [p for p in row.iter(_w("p")) if "".join(t.text or "" for t in p.iter(_w("t"))).strip()]
            header = row.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None
            rows.append(header or (bool(paragraphs) and all(keeps(p) for p in paragraphs)))
        tables.append(rows)
    return tables


def _cut_words(laid: LaidOut, source: str) -> list[Problem]:
    """A line that ends inside a word, number or amount of the sources (where the .docx has no plain space)."""
    found = []
    for block in _blocks(laid.tree):
        lines = laid.lines(block)
        for before, after in zip(lines, lines[1:]):
            tail, head = before.text[-14:], after.text[:14]
            if f"{tail} {head}" in source:
                continue
            cut = f"{before.text.rsplit(' ', 1)[-1]}|{after.text.split(' ', 1)[0]}"
            if any(f"{tail}{space}{head}" in source for space in _NO_BREAK):
                found.append(Problem(laid.name, before.page, f"{cut!r} is cut at a no-break space"))
            elif f"{tail}{head}" in source and tail[-1] not in _BREAKS_AFTER:
                found.append(Problem(laid.name, before.page, f"{cut!r} is a word cut across two lines"))
    return found


def _pages_of(element: Element) -> list[int]:
    return sorted({page + 1 for page, _ in element.marks()})


def _row_text(laid: LaidOut, row: Element) -> str:
    text = " ".join(line.text for line in laid.lines(row))
    return text[:60] + "…" * (len(text) > 60)


def _cut_rows(laid: LaidOut) -> list[Problem]:
    found = []
    for row in laid.tree.walk():
        pages = _pages_of(row) if row.kind == "TR" else []
        if len(pages) > 1:
            found.append(Problem(laid.name, pages[0], f"a table row runs on to page {pages[-1]}: {_row_text(laid, row)!r}"))
    return found


def _left_at_the_foot(laid: LaidOut, kept: list[list[bool]]) -> list[Problem]:
    """A heading or label whose page ends with it, or a table row of titles or labels (``kept``) that ends a page
    the table goes on from."""
    found = []
    body = [b for b in _blocks(laid.tree) if b.kind not in ("Footnote", "Note") and not b.kind.startswith("Contents ")]
    last: dict[int, Line] = {}
    for block in body:
        for line in laid.lines(block):
            if line.page not in last or line.top >= last[line.page].top:
                last[line.page] = line
    for page, line in sorted(last.items()):
        if page < laid.pages and KEEP_WITH_NEXT.match(line.style) and laid.lowest_figure.get(page, 0) < line.top:
            found.append(Problem(laid.name, page, f"the page ends with the {line.style.lower()} {line.text!r}"))
    tables = [t for t in laid.tree.walk() if t.kind == "Table"]
    assert len(tables) == len(kept), f"{laid.name}: {len(tables)} tables in the PDF, {len(kept)} in the .docx"
    for table, kept_rows in zip(tables, kept):
        rows = [r for r in table.walk() if r.kind == "TR"]
        assert len(rows) == len(kept_rows), f"{laid.name}: a table of {len(rows)} rows in the PDF, {len(kept_rows)} in the .docx"
        for number, (row, after) in enumerate(zip(rows, rows[1:])):
            row_pages, next_pages = _pages_of(row), _pages_of(after)
            if kept_rows[number] and row_pages and next_pages and row_pages[-1] < next_pages[0]:
                what = "header row" if number == 0 else "row of labels"
                found.append(Problem(laid.name, row_pages[-1], f"the page ends with a table's {what} {_row_text(laid, row)!r}"))
    return found
