"""WordprocessingML elements, built with lxml: paragraphs, runs, hyperlinks, footnotes, tables, images.

Each builder is named for what a reader of the document sees and knows
nothing of prose or placeholders: ``writer`` decides what goes in them.
``fragment`` turns built elements into the text docxtpl pastes into a
template body.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree

from .names import E, R, W

# every template body declares these on its root: the fragments docxtpl pastes do not repeat them
_BODY_NAMESPACES = {"w": W, "r": R}


def fragment(elements: Iterable[etree._Element]) -> str:
    """The elements as XML text for docxtpl, without the declarations the template body makes."""
    holder = E("w:body", *elements, nsmap=_BODY_NAMESPACES)
    if not len(holder):
        return ""
    text = etree.tostring(holder, encoding="unicode")
    # the holder's own tags: it only ever carries namespace declarations, which hold no ">"
    return text[text.index(">") + 1 : text.rindex("</")]


# ---------------------------------------------------------------- paragraphs and runs


def paragraph(
    content: Iterable[etree._Element], style: str | None = None, numbering: etree._Element | None = None, align: str = ""
) -> etree._Element:
    """A paragraph of runs (and hyperlinks): ``style`` is a style id, ``numbering`` from ``list_numbering``,
    ``align`` "center" or "right" (else the style's)."""
    properties = [
        E("w:pStyle", {"w:val": style}) if style else None,
        numbering,
        E("w:jc", {"w:val": align}) if align in ("center", "right") else None,
    ]
    shown = [p for p in properties if p is not None]
    return E("w:p", E("w:pPr", *shown) if shown else None, *content)


def list_numbering(num_id: str) -> etree._Element:
    """What makes a paragraph an item of the numbered list ``num_id`` (its nesting comes from its style)."""
    return E("w:numPr", E("w:ilvl", {"w:val": "0"}), E("w:numId", {"w:val": num_id}))


def run(text: str, style: str | None = None, bold: bool = False, italic: bool = False) -> etree._Element:
    """A run of text; its tabs and line breaks become ``w:tab`` and ``w:br``, as Word writes them
    (docxtpl would otherwise rewrite the raw characters)."""
    properties = [
        E("w:rStyle", {"w:val": style}) if style else None,
        *((E("w:b"), E("w:bCs")) if bold else ()),
        *((E("w:i"), E("w:iCs")) if italic else ()),
    ]
    shown = [p for p in properties if p is not None]
    pieces: list[etree._Element] = []
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            pieces.append(E("w:br"))
        for tab_index, chunk in enumerate(line.split("\t")):
            if tab_index:
                pieces.append(E("w:tab"))
            if chunk:
                pieces.append(E("w:t", {"xml:space": "preserve"}, chunk))
    return E("w:r", E("w:rPr", *shown) if shown else None, *pieces)


def line_break() -> etree._Element:
    return E("w:r", E("w:br"))


def hyperlink(relationship: str, runs: Iterable[etree._Element]) -> etree._Element:
    """Runs that link to the target of ``relationship`` (an external relationship of the part)."""
    return E("w:hyperlink", {"r:id": relationship, "w:history": "1"}, *runs)


# ---------------------------------------------------------------- tables


def table(rows: Sequence[Sequence[etree._Element]], widths: Sequence[int], style: str | None) -> etree._Element:
    """A centred table of cells, each given as its paragraph, its columns ``widths`` twips wide, in the table
    style ``style`` (a style id).  Its first row is a header row: formatted as the style's first row and
    repeated at the top of each page the table runs onto; no row is split across two pages."""
    properties = E(
        "w:tblPr",
        E("w:tblStyle", {"w:val": style}) if style else None,
        E("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}),
        E("w:jc", {"w:val": "center"}),
        E("w:tblLayout", {"w:type": "fixed"}),
        # the style's first-row look, without banded rows or columns
        E("w:tblLook", {"w:val": "0620", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "0", "w:lastColumn": "0",
                        "w:noHBand": "1", "w:noVBand": "1"}),
    )
    grid = E("w:tblGrid", *(E("w:gridCol", {"w:w": str(width)}) for width in widths))
    return E(
        "w:tbl",
        properties,
        grid,
        *(
            E(
                "w:tr",
                E("w:trPr", E("w:cantSplit"), E("w:tblHeader") if number == 0 else None),
                *(E("w:tc", E("w:tcPr", E("w:tcW", {"w:w": str(width), "w:type": "dxa"})), cell) for cell, width in zip(row, widths)),
            )
            for number, row in enumerate(rows)
        ),
    )


# ---------------------------------------------------------------- footnotes


def footnote_reference(note_id: str, style: str) -> etree._Element:
    """The mark, in the text, of footnote ``note_id``."""
    return E("w:r", E("w:rPr", E("w:rStyle", {"w:val": style})), E("w:footnoteReference", {"w:id": note_id}))


def footnote_body(paragraphs: Iterable[Iterable[etree._Element]], text_style: str, mark_style: str) -> list[etree._Element]:
    """The paragraphs of a footnote, each given as its runs: the first starts with the note's number and a space."""
    body = []
    for index, runs in enumerate(paragraphs):
        mark = [E("w:r", E("w:rPr", E("w:rStyle", {"w:val": mark_style})), E("w:footnoteRef")), run(" ")] if index == 0 else []
        body.append(paragraph([*mark, *runs], style=text_style))
    return body


# ---------------------------------------------------------------- images


def image(embed: str, shape_id: int, name: str, file_name: str, width: int, height: int, description: str) -> etree._Element:
    """A centred paragraph holding the picture of relationship ``embed``, ``width`` × ``height`` EMU,
    with ``description`` as its alt text (what screen readers say)."""
    size = {"cx": str(width), "cy": str(height)}
    picture = E(
        "pic:pic",
        E("pic:nvPicPr", E("pic:cNvPr", {"id": str(shape_id), "name": file_name, "descr": description}), E("pic:cNvPicPr")),
        E("pic:blipFill", E("a:blip", {"r:embed": embed}), E("a:stretch", E("a:fillRect"))),
        E(
            "pic:spPr",
            E("a:xfrm", E("a:off", {"x": "0", "y": "0"}), E("a:ext", size)),
            E("a:prstGeom", {"prst": "rect"}, E("a:avLst")),
        ),
    )
    inline = E(
        "wp:inline",
        {"distT": "0", "distB": "0", "distL": "0", "distR": "0"},
        E("wp:extent", size),
        E("wp:docPr", {"id": str(shape_id), "name": name, "descr": description}),
        E("wp:cNvGraphicFramePr", E("a:graphicFrameLocks", {"noChangeAspect": "1"})),
        E("a:graphic", E("a:graphicData", {"uri": "http://schemas.openxmlformats.org/drawingml/2006/picture"}, picture)),
    )
    return paragraph([E("w:r", E("w:drawing", inline))], align="center")
