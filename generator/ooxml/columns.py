"""Table columns as wide as their longest unbreakable word, so that only prose wraps.

A template gives each column a width; what fills it depends on the plan and
the language ("12.500.000 BRL", "Cumprimento").  A word wider than its column
is cut anywhere by Word and LibreOffice ("Acumulad|o"), so after rendering
each table's columns are widened to their longest word (an amount or code
joined by no-break spaces counts as one) at the font, size and weight it is
set in, taken from the columns that hold prose; the table keeps its width.

Widths are measured with the Adobe metrics of Helvetica, Times and Courier that
matplotlib ships: Arial, Liberation Sans and Helvetica share one set of widths
(so do Times New Roman and Liberation Serif, Courier New and Liberation Mono),
and the same metrics on every machine keep a document's bytes the same
wherever it is built.  A character they lack counts as one em, wider than most.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from fontTools import afmLib, agl
from lxml import etree

from .names import w

TWIPS_PER_POINT = 20
_DEFAULT_MARGIN = 108  # twips: Word's cell margin, left and right, when the table style says none
_NARROW_MARGIN = 57  # twips (1 mm): a table whose words do not fit otherwise gets these margins
_SLACK = 1.04  # a little room: the renderers' rounding and kerning
# where a line may break: white space other than the no-break ones
_BREAKABLE = re.compile(r"[^\S\u00a0\u202f\u2007]+")
_FAMILIES = {  # the metrics a font family is measured with
    "times": "Times", "liberation serif": "Times", "cambria": "Times", "georgia": "Times",
    "courier": "Courier", "liberation mono": "Courier", "consolas": "Courier",
}


class _Look(NamedTuple):  # a tuple: hashed in C, for the caches of widths keyed by it
    font: str
    size: float  # points
    bold: bool


class _Styles:
    """What a run looks like: its own properties, its paragraph style's, the document's defaults."""

    def __init__(self, styles: etree._Element | None) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.chains: dict[str | None, list[etree._Element]] = {}  # by style id: every run of a style asks
        self._style_looks: dict[tuple[str | None, etree._Element | None], _Look] = {}
        self.default: etree._Element | None = None
        self.defaults: etree._Element | None = None
        if styles is None:
            return
        for style in styles.iter(w("style")):
            self.by_id[style.get(w("styleId"), "")] = style
            if style.get(w("type")) == "paragraph" and style.get(w("default")) == "1":
                self.default = style
        self.defaults = styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The run properties that apply, nearest first: the style, the styles it is based on, the defaults."""
        if style_id in self.chains:
            return self.chains[style_id]
        found: list[etree._Element] = []
        self.chains[style_id] = found
        style = self.by_id.get(style_id or "") if style_id else self.default
        seen: set[str] = set()
        while style is not None and style.get(w("styleId")) not in seen:
            seen.add(style.get(w("styleId"), ""))
            properties = style.find(w("rPr"))
            if properties is not None:
                found.append(properties)
            based = style.find(w("basedOn"))
            style = self.by_id.get(based.get(w("val"), "")) if based is not None else None
        if self.defaults is not None:
            found.append(self.defaults)
        return found

    def look(self, run_properties: etree._Element | None, style_id: str | None, table: etree._Element | None = None) -> _Look:
        """``table``: the run properties the table's style gives the row (its header's bold), which the
        paragraph's style and the run's own override."""
        look = self._style_looks.get((style_id, table))
        if look is None:
            chain = self.chain(style_id)
            if table is not None:
                chain = [p for p in chain if p is not self.defaults] + [table] + ([self.defaults] if self.defaults is not None else [])
            look = _Look("Arial", 10.0, False)
            for properties in reversed(chain):  # the nearest wins: applied last
                look = _applied(properties, look)
            self._style_looks[(style_id, table)] = look  # the key keeps ``table``'s element alive: its identity stays its own
        if run_properties is None:
            return look
        look = _applied(run_properties, look)
        if run_properties.find(_VERT_ALIGN) is not None:
            look = look._replace(size=look.size * 0.65)  # a footnote mark
        return look

    def first_row(self, table: etree._Element) -> etree._Element | None:
        """The run properties the table's style gives its first row, when the table shows it so (tblLook)."""
        look = table.find(f"{w('tblPr')}/{w('tblLook')}")
        value = look.get(w("val"), "") if look is not None else ""
        shown = look is not None and (look.get(w("firstRow")) == "1" or (re.fullmatch("[0-9A-Fa-f]{1,4}", value) and int(value, 16) & 0x20))
        if not shown:
            return None
        style = table.find(f"{w('tblPr')}/{w('tblStyle')}")
        defined = self.by_id.get(style.get(w("val"), "")) if style is not None else None
        seen: set[str] = set()
        while defined is not None and defined.get(w("styleId")) not in seen:  # a style, then the one it is based on
            seen.add(defined.get(w("styleId"), ""))
            for conditional in defined.findall(w("tblStylePr")):
                if conditional.get(w("type")) == "firstRow" and conditional.find(w("rPr")) is not None:
                    return conditional.find(w("rPr"))
            based = defined.find(w("basedOn"))
            defined = self.by_id.get(based.get(w("val"), "")) if based is not None else None
        return None


def _applied(properties: etree._Element, look: _Look) -> _Look:
    """``look`` with what the run properties ``properties`` say of its font, size and weight."""
    font, size, bold = look.font, look.size, look.bold
    fonts = properties.find(_FONTS)
    if fonts is not None and fonts.get(_ASCII):
        font = fonts.get(_ASCII, font)
    sz = properties.find(_SIZE)
    if sz is not None and (sz.get(_VAL) or "").isdigit():
        size = int(sz.get(_VAL, "20")) / 2
    b = properties.find(_BOLD)
    if b is not None:
        bold = b.get(_VAL, "true") not in ("0", "false", "off")
    return look if (font, size, bold) == (look.font, look.size, look.bold) else _Look(font, size, bold)


# the names looked up for every run of every table
_FONTS, _ASCII, _SIZE, _VAL, _BOLD, _VERT_ALIGN = (w(name) for name in ("rFonts", "ascii", "sz", "val", "b", "vertAlign"))
_P, _PPR, _PSTYLE, _IND, _R, _RPR, _T, _TAB, _BR = (w(name) for name in ("p", "pPr", "pStyle", "ind", "r", "rPr", "t", "tab", "br"))
_TR, _TC, _GRID_BEFORE, _GRID_SPAN = w("tr"), w("tc"), f"{w('trPr')}/{w('gridBefore')}", f"{w('tcPr')}/{w('gridSpan')}"


@cache
def _metrics(family: str, bold: bool) -> afmLib.AFM:
    spec = importlib.util.find_spec("matplotlib")  # its folder, without importing it (a second)
    assert spec is not None and spec.origin is not None, "matplotlib is a dependency of pao"
    name = f"{family}-Bold" if bold else (family if family != "Times" else "Times-Roman")
    return afmLib.AFM(str(Path(spec.origin).parent / "mpl-data" / "fonts" / "pdfcorefonts" / f"{name}.afm"))


@functools.lru_cache(maxsize=1 << 16)  # the same words, amounts and labels come back in every table
def _width(text: str, look: _Look) -> float:
    """The width of ``text`` in points."""
    metrics = _metrics(_FAMILIES.get(look.font.lower(), "Helvetica"), look.bold)
    units = 0
    for character in text:
        name = agl.UV2AGL.get(ord(character), "")
        if character in "\u00a0\u202f\u2007":
            name = "space"
        elif character == "\u2011":
            name = "hyphen"
        units += metrics[name][1] if name and metrics.has_char(name) else 1000
    return units * look.size / 1000


@functools.lru_cache(maxsize=1 << 16)
def _pieces(text: str, look: _Look) -> tuple[float, ...]:
    """The widths of the pieces of ``text`` between the places a line may break."""
    return tuple(_width(part, look) for part in _BREAKABLE.split(text))


def _twips(element: etree._Element | None, attribute: str = "w") -> int:
    value = element.get(w(attribute), "") if element is not None else ""
    return int(value) if value.lstrip("-").isdigit() else 0


def _longest_word(cell: etree._Element, styles: _Styles, table: etree._Element | None = None) -> float:
    """In twips: the widest unbreakable piece of the cell's text, with its paragraph's indents."""
    widest = 0.0
    for paragraph in cell.iter(_P):
        properties = paragraph.find(_PPR)
        style = properties.find(_PSTYLE) if properties is not None else None
        style_id = style.get(_VAL) if style is not None else None
        indent = properties.find(_IND) if properties is not None else None
        indents = _twips(indent, "left") + _twips(indent, "start") + _twips(indent, "right") + _twips(indent, "end") if indent is not None else 0
        pieces: list[tuple[str, _Look]] = []
        for run in paragraph.iter(_R):
            look = styles.look(run.find(_RPR), style_id, table)
            for node in run:
                if node.tag == _T and node.text:
                    pieces.append((node.text, look))
                elif node.tag == _TAB or node.tag == _BR:
                    pieces.append((" ", look))
        word = 0.0  # the width of the word being read, across runs
        for text, look in pieces:
            first, *after = _pieces(text, look)
            word += first
            for width in after:  # a break before each: the word before it ends
                widest, word = max(widest, word + indents / TWIPS_PER_POINT), width
        widest = max(widest, word + indents / TWIPS_PER_POINT)
    return widest * TWIPS_PER_POINT * _SLACK


def _margins(table: etree._Element, styles: _Styles) -> int:
    """Left plus right cell margins of a table: its own, else its style's, else Word's."""
    properties = table.find(w("tblPr"))
    places: list[etree._Element | None] = [properties]
    style = properties.find(w("tblStyle")) if properties is not None else None
    if style is not None and (defined := styles.by_id.get(style.get(w("val"), ""))) is not None:
        places.append(defined.find(w("tblPr")))
    for place in places:
        margins = place.find(w("tblCellMar")) if place is not None else None
        if margins is not None:
            left = margins.find(w("left")) if margins.find(w("left")) is not None else margins.find(w("start"))
            right = margins.find(w("right")) if margins.find(w("right")) is not None else margins.find(w("end"))
            return _twips(left) + _twips(right)
    return 2 * _DEFAULT_MARGIN


def fit_columns(document: etree._Element, styles_part: etree._Element | None) -> None:
    """Widen every table's columns of ``document`` to their longest word, taking the room from columns
    that have more than their longest word needs; a table whose words cannot all fit shares its width
    in proportion to them."""
    styles = _styles(styles_part)
    for table in document.iter(w("tbl")):
        _fit(table, styles)


@functools.lru_cache(maxsize=8)  # a template's styles part is read once a build (``finish``), and only read
def _styles(styles_part: etree._Element | None) -> _Styles:
    return _Styles(styles_part)


def _cells(table: etree._Element) -> list[tuple[int, int, etree._Element]]:
    """(first grid column, columns spanned, cell) of the table's own cells."""
    found = []
    for row in table.findall(_TR):
        column = _twips(row.find(_GRID_BEFORE), "val")
        for cell in row.findall(_TC):
            span = _twips(cell.find(_GRID_SPAN), "val") or 1
            found.append((column, span, cell))
            column += span
    return found


def _fit(table: etree._Element, styles: _Styles) -> None:
    grid = table.findall(f"{w('tblGrid')}/{w('gridCol')}")
    widths = [_twips(column) for column in grid]
    if not widths or not all(widths):
        return
    cells = _cells(table)
    margins = _margins(table, styles)
    words = [0] * len(widths)
    first_row, header = table.find(w("tr")), styles.first_row(table)
    for column, span, cell in cells:
        if span == 1 and column < len(widths):
            words[column] = max(words[column], round(_longest_word(cell, styles, header if cell.getparent() is first_row else None)))
    needed = [word + margins for word in words]
    if all(n <= width for n, width in zip(needed, widths)):
        return
    total = sum(widths)
    if sum(needed) > total and margins > 2 * _NARROW_MARGIN:  # narrower margins, rather than cut words
        _set_margins(table, _NARROW_MARGIN)
        needed = [word + 2 * _NARROW_MARGIN for word in words]
    if sum(needed) >= total:  # not every word fits: each column in proportion to its longest
        new = [n * total // sum(needed) for n in needed]
    else:
        missing = sum(max(0, n - width) for n, width in zip(needed, widths))
        room = [max(0, width - n) for n, width in zip(needed, widths)]
        spare = sum(room)
        new = [max(n, width - missing * extra // spare) for n, width, extra in zip(needed, widths, room)]
    new[new.index(max(new))] += total - sum(new)  # the table keeps its width to the twip
    for grid_column, width in zip(grid, new):
        grid_column.set(w("w"), str(width))
    for column, span, cell in cells:
        cell_width = cell.find(f"{w('tcPr')}/{w('tcW')}")
        if cell_width is not None and cell_width.get(w("type"), "dxa") == "dxa":
            cell_width.set(w("w"), str(sum(new[column : column + span])))


# the children of w:tblPr that come after w:tblCellMar, in the schema's order
_AFTER_MARGINS = ("tblLook", "tblCaption", "tblDescription")


def _set_margins(table: etree._Element, twips: int) -> None:
    properties = table.find(w("tblPr"))
    if properties is None:
        return
    old = properties.find(w("tblCellMar"))
    if old is not None:
        properties.remove(old)
    margins = etree.Element(w("tblCellMar"))
    for side in ("left", "right"):
        etree.SubElement(margins, w(side), {w("w"): str(twips), w("type"): "dxa"})
    after = next((child for child in properties if etree.QName(child).localname in _AFTER_MARGINS), None)
    if after is not None:
        after.addprevious(margins)
    else:
        properties.append(margins)
