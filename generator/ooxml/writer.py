"""Prose → WordprocessingML: real runs, lists, tables, hyperlinks, footnote marks and images.

The XML goes into docxtpl templates through ``{{p x }}`` (paragraphs) and
``{{r x }}`` (runs).  Footnotes, hyperlinks, images and restarted numbered
lists need parts and relationships that only exist once the whole document is
rendered: the writer leaves placeholders (``_placeholders``) and keeps what
they stand for, which ``finish`` resolves.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypedDict

from lxml import etree

from ..model.prose import Block, Footnote, FootnoteRef, Inline, LineBreak, Picture, Prose, Span, Table, grouped, picture
from . import _placeholders as placeholder
from . import elements

EMU_PER_CM = 360000
_SHAPE_IDS = 9000  # ids of the drawings (docxtpl renumbers those of the document, not of the picture)

# lists of names by nesting depth; the heading's name has its level in {level}
_StyleNames = TypedDict(
    "_StyleNames",
    {
        "heading": str, "bullet": list[str], "number": list[str], "continue": list[str],
        "footnote_text": str, "footnote_reference": str, "hyperlink": str,
    },
)


# Word style names the templates must define (``template`` checks them before rendering)
STYLES: _StyleNames = {
    "heading": "Heading {level}",
    "bullet": ["List Bullet", "List Bullet 2", "List Bullet 3"],
    "number": ["List Number", "List Number 2", "List Number 3"],
    "continue": ["List Continue", "List Continue 2", "List Continue 3"],
    "footnote_text": "Footnote Text",
    "footnote_reference": "Footnote Reference",
    "hyperlink": "Hyperlink",
}


# styles a template may define for tables in prose, the first it has is used: else Word's defaults
TABLE_STYLES = ("Prose Table", "Table Grid")  # table styles
TABLE_TEXT_STYLES = ("Table Text",)  # the paragraphs of its cells
TEXT_WIDTH = 9072  # twips (16 cm): an A4 page's width less 2.5 cm margins, when a template does not say
# a column's share of a table's width goes with its longest text, within these bounds (in characters):
# a column of short numbers is not squeezed under its header, a long sentence does not starve the others
_COLUMN_SHARE = (6, 40)


def required_styles() -> list[str]:
    """Every style name of ``STYLES``: headings of levels 1 to 3, each list level."""
    names: list[str] = []
    for value in STYLES.values():
        if isinstance(value, list):
            names.extend(value)
        elif isinstance(value, str) and "{level}" in value:
            names.extend(value.format(level=level) for level in (1, 2, 3))
        elif isinstance(value, str):
            names.append(value)
    return names


class Xml(str):
    """WordprocessingML that docxtpl inserts as is (autoescape leaves ``__html__`` alone)."""

    def __html__(self) -> str:
        return str(self)


class WordText:
    """Writes the prose of one document and remembers the footnotes, links, lists and images it used."""

    def __init__(self, footnotes: dict[str, Footnote], style_ids: dict[str, str], text_width: int = TEXT_WIDTH) -> None:
        self.footnotes = footnotes
        self.style_ids = style_ids  # style name in lower case → style id in the template
        self.text_width = text_width  # twips between the page's margins: a table's width
        # what the placeholders stand for, by their index
        self.footnote_bodies: list[list[etree._Element]] = []
        self.links: list[str] = []  # URLs
        self.list_starts: list[int] = []  # first numbers
        self.images: list[Picture] = []  # PNGs, made when the document is finished

    # ------------------------------------------------------------- public

    def paragraphs(self, prose: Prose, style: str | None = None, prefix: str = "") -> Xml:
        """Every block of ``prose`` as paragraphs; ``style`` for plain paragraphs (else Normal);
        ``prefix`` (e.g. "a) ") starts the first paragraph."""
        return Xml(elements.fragment(self._paragraphs(prose, style, prefix)))

    def paragraphs_of(self, parts: Sequence[tuple[Prose, str]]) -> Xml:
        """The paragraphs of several proses in order, the first of each starting with its prefix."""
        return Xml(elements.fragment(p for prose, prefix in parts for p in self._paragraphs(prose, None, prefix)))

    def runs(self, prose: Prose, footnotes: bool = True) -> Xml:
        """The runs of a one-paragraph text, for a ``{{r x }}`` tag.

        ``footnotes=False`` leaves out footnote marks: for a text shown a second
        time in the same document, whose footnote the first mention carries.
        """
        inlines = prose.blocks[0].inlines if prose.blocks else ()
        if not footnotes:
            inlines = tuple(i for i in inlines if not isinstance(i, FootnoteRef))
        return Xml(elements.fragment(self._runs(inlines)))

    def image(self, image: bytes | Picture, width_cm: float, description: str) -> Xml:
        """A paragraph holding a PNG at ``width_cm``, with ``description`` as its alt text: as high as the PNG
        says once it is made (``finish``: a chart is drawn only for a document that is rendered)."""
        self.images.append(picture(image))
        index = len(self.images) - 1
        embed = placeholder.IMAGE(index)
        drawing = elements.image(embed, _SHAPE_IDS + index, embed, f"chart-{index + 1}.png", int(width_cm * EMU_PER_CM), 0, description)
        return Xml(elements.fragment([drawing]))

    # ------------------------------------------------------------- blocks

    def _paragraphs(self, prose: Prose, style: str | None, prefix: str) -> list[etree._Element]:
        numbering: dict[str, str] = {}  # list id → numId placeholder: each list of this prose restarts
        out: list[etree._Element] = []
        for n, part in enumerate(grouped(prose.blocks)):
            if isinstance(part, list):
                # the paragraph after a table keeps the next table apart (Word would join them) and ends a cell
                # that holds this prose (a cell must end with a paragraph)
                out += [self._table(part), elements.paragraph([])]
            else:
                out.append(self._paragraph(dataclasses.replace(part, inlines=(Span(prefix),) + part.inlines) if prefix and n == 0 else part, style, numbering))
        return out

    def _table(self, rows: Table) -> etree._Element:
        """A table of prose: as wide as the text, each column's share of it as long as its longest text."""
        columns = max(len(row) for row in rows)
        low, high = _COLUMN_SHARE
        longest = [min(max([len(row[c].text) for row in rows if c < len(row)] + [low]), high) for c in range(columns)]
        widths = [self.text_width * length // sum(longest) for length in longest]
        widths[0] += self.text_width - sum(widths)  # the table is as wide as the text, to the twip
        text_style = self._first_style(TABLE_TEXT_STYLES)
        cells = [
            [elements.paragraph(self._runs(cell.inlines), style=text_style, align=cell.align) for cell in row] for row in rows
        ]
        return elements.table(cells, widths, self._first_style(TABLE_STYLES))

    def _first_style(self, names: Sequence[str]) -> str | None:
        """The id of the first of ``names`` the template defines."""
        return next((self.style_ids[name.lower()] for name in names if name.lower() in self.style_ids), None)

    def _paragraph(self, block: Block, style: str | None, numbering: dict[str, str]) -> etree._Element:
        depth = min(max(block.level, 1), 3) - 1
        style_name, num_id = None, None
        if block.kind == "heading":
            style_name = STYLES["heading"].format(level=block.level)
        elif block.kind == "item" and block.ordered:
            if block.list_id not in numbering:
                self.list_starts.append(block.start)
                numbering[block.list_id] = placeholder.LIST(len(self.list_starts) - 1)
            style_name, num_id = STYLES["number"][depth], numbering[block.list_id]
        elif block.kind == "item":
            style_name = STYLES["bullet"][depth]
        elif block.level:
            style_name = STYLES["continue"][depth]
        elif style and style.lower() in self.style_ids:  # a template may lack the style: Normal then
            style_name = style
        return elements.paragraph(
            self._runs(block.inlines),
            style=self._style(style_name) if style_name else None,
            numbering=elements.list_numbering(num_id) if num_id else None,
        )

    def _style(self, name: str) -> str:
        return self.style_ids[name.lower()]

    # ------------------------------------------------------------- inlines

    def _runs(self, inlines: Sequence[Inline]) -> list[etree._Element]:
        out = []
        for inline in inlines:
            if isinstance(inline, Span):
                out.append(self._span(inline))
            elif isinstance(inline, FootnoteRef):
                out.append(self._footnote_reference(inline.label))
            elif isinstance(inline, LineBreak):
                out.append(elements.line_break())
        return out

    def _span(self, span: Span) -> etree._Element:
        if span.link is None:
            return elements.run(span.text, bold=span.bold, italic=span.italic)
        self.links.append(span.link)
        run = elements.run(span.text, style=self._style(STYLES["hyperlink"]), bold=span.bold, italic=span.italic)
        return elements.hyperlink(placeholder.LINK(len(self.links) - 1), [run])

    def _footnote_reference(self, label: str) -> etree._Element:
        body = elements.footnote_body(
            [self._runs(block.inlines) for block in self.footnotes[label].blocks],
            text_style=self._style(STYLES["footnote_text"]),
            mark_style=self._style(STYLES["footnote_reference"]),
        )
        self.footnote_bodies.append(body)
        return elements.footnote_reference(placeholder.FOOTNOTE(len(self.footnote_bodies) - 1), self._style(STYLES["footnote_reference"]))
