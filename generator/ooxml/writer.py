"""Prose → WordprocessingML: real runs, lists, hyperlinks and footnote marks.

The XML goes into docxtpl templates through ``{{p x }}`` (paragraphs) and
``{{r x }}`` (runs).  Footnotes, hyperlinks and restarted numbered lists need
parts and relationships that only exist once the whole document is rendered,
so this module writes placeholders and records what they stand for; ``ooxml``
resolves them when it finishes the package.
"""
from __future__ import annotations

import dataclasses
from xml.sax.saxutils import escape

from ..model.prose import Block, Footnote, FootnoteRef, Inline, LineBreak, Prose, Span

FOOTNOTE_BASE = 1_000_000  # placeholder footnote ids; real ids are 1…N in document order
LINK_PREFIX = "paoLink"
LIST_PREFIX = "paoList"
IMAGE_PREFIX = "paoImage"
EMU_PER_CM = 360000

# Word style names the templates must define (ooxml checks them before rendering)
STYLES = {
    "heading": "Heading {level}",
    "bullet": ["List Bullet", "List Bullet 2", "List Bullet 3"],
    "number": ["List Number", "List Number 2", "List Number 3"],
    "continue": ["List Continue", "List Continue 2", "List Continue 3"],
    "footnote_text": "Footnote Text",
    "footnote_reference": "Footnote Reference",
    "hyperlink": "Hyperlink",
}


class Xml(str):
    """WordprocessingML that docxtpl inserts as is (autoescape leaves ``__html__`` alone)."""

    def __html__(self) -> str:
        return str(self)


class WordText:
    """Writes the prose of one document and remembers the footnotes, links and lists it used."""

    def __init__(self, footnotes: dict[str, Footnote], style_ids: dict[str, str]) -> None:
        self.footnotes = footnotes
        self.style_ids = style_ids  # style name in lower case → style id in the template
        self.footnote_bodies: dict[int, str] = {}  # placeholder id → body paragraphs
        self.links: list[str] = []  # placeholder index → URL
        self.list_starts: list[int] = []  # placeholder index → first number
        self.images: list[bytes] = []  # placeholder index → PNG bytes

    # ------------------------------------------------------------- public

    def paragraphs(self, prose: Prose, style: str | None = None, prefix: str = "") -> Xml:
        """Every block of ``prose`` as paragraphs; ``style`` for plain paragraphs (else Normal);
        ``prefix`` (e.g. "a) ") starts the first paragraph."""
        numbering: dict[str, str] = {}
        return Xml(
            "".join(
                self._paragraph(dataclasses.replace(block, inlines=(Span(prefix),) + block.inlines) if prefix and n == 0 else block, style, numbering)
                for n, block in enumerate(prose.blocks)
            )
        )

    def runs(self, prose: Prose, footnotes: bool = True) -> Xml:
        """The runs of a one-paragraph text, for a ``{{r x }}`` tag.

        ``footnotes=False`` leaves out footnote marks: for a text shown a second
        time in the same document, whose footnote the first mention carries.
        """
        inlines = [block.inlines for block in prose.blocks[:1]]
        if not footnotes:
            inlines = [tuple(i for i in group if not isinstance(i, FootnoteRef)) for group in inlines]
        return Xml("".join(self._runs(group) for group in inlines))

    def image(self, png: bytes, width_cm: float, description: str) -> Xml:
        """A paragraph holding a PNG at ``width_cm``, with ``description`` as its alt text."""
        self.images.append(png)
        index = len(self.images) - 1
        pixels_wide = int.from_bytes(png[16:20], "big")
        pixels_high = int.from_bytes(png[20:24], "big")
        cx = int(width_cm * EMU_PER_CM)
        cy = int(cx * pixels_high / pixels_wide)
        alt = escape(description, {'"': "&quot;"})
        return Xml(
            '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
            '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{9000 + index}" name="{IMAGE_PREFIX}{index}" descr="{alt}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="{9000 + index}" name="chart-{index + 1}.png" descr="{alt}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{IMAGE_PREFIX}{index}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        )

    # ------------------------------------------------------------- blocks

    def _paragraph(self, block: Block, style: str | None, numbering: dict[str, str]) -> str:
        properties = ""
        depth = min(max(block.level, 1), 3) - 1
        if block.kind == "heading":
            properties = self._style(STYLES["heading"].format(level=block.level))
        elif block.kind == "item" and block.ordered:
            if block.list_id not in numbering:
                self.list_starts.append(block.start)
                numbering[block.list_id] = f"{LIST_PREFIX}{len(self.list_starts) - 1}"
            properties = self._style(STYLES["number"][depth]) + (
                f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{numbering[block.list_id]}"/></w:numPr>'
            )
        elif block.kind == "item":
            properties = self._style(STYLES["bullet"][depth])
        elif block.level:
            properties = self._style(STYLES["continue"][depth])
        elif style and style.lower() in self.style_ids:  # a template may lack the style: Normal then
            properties = self._style(style)
        return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{self._runs(block.inlines)}</w:p>"

    def _style(self, name: str) -> str:
        return f'<w:pStyle w:val="{self.style_ids[name.lower()]}"/>'

    # ------------------------------------------------------------- inlines

    def _runs(self, inlines: tuple[Inline, ...]) -> str:
        out = []
        for inline in inlines:
            if isinstance(inline, Span):
                out.append(self._span(inline))
            elif isinstance(inline, FootnoteRef):
                out.append(self._footnote_reference(inline.label))
            elif isinstance(inline, LineBreak):
                out.append("<w:r><w:br/></w:r>")
        return "".join(out)

    def _span(self, span: Span, extra_properties: str = "") -> str:
        properties = extra_properties
        if span.link is not None:
            properties = f'<w:rStyle w:val="{self.style_ids[STYLES["hyperlink"].lower()]}"/>' + properties
        if span.bold:
            properties += "<w:b/><w:bCs/>"
        if span.italic:
            properties += "<w:i/><w:iCs/>"
        rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
        # a tab or line break inside text must be its own element; docxtpl would
        # otherwise reinterpret the raw characters
        pieces = []
        for line_index, line in enumerate(span.text.split("\n")):
            if line_index:
                pieces.append("<w:br/>")
            for tab_index, chunk in enumerate(line.split("\t")):
                if tab_index:
                    pieces.append("<w:tab/>")
                if chunk:
                    pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
        run = f"<w:r>{rpr}{''.join(pieces)}</w:r>"
        if span.link is None:
            return run
        self.links.append(span.link)
        return f'<w:hyperlink r:id="{LINK_PREFIX}{len(self.links) - 1}" w:history="1">{run}</w:hyperlink>'

    def _footnote_reference(self, label: str) -> str:
        placeholder = FOOTNOTE_BASE + len(self.footnote_bodies)
        self.footnote_bodies[placeholder] = self._footnote_body(self.footnotes[label])
        style = self.style_ids[STYLES["footnote_reference"].lower()]
        return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:footnoteReference w:id="{placeholder}"/></w:r>'

    def _footnote_body(self, footnote: Footnote) -> str:
        text_style = self.style_ids[STYLES["footnote_text"].lower()]
        mark_style = self.style_ids[STYLES["footnote_reference"].lower()]
        paragraphs = []
        for index, block in enumerate(footnote.blocks):
            mark = (
                f'<w:r><w:rPr><w:rStyle w:val="{mark_style}"/></w:rPr><w:footnoteRef/></w:r>'
                '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
                if index == 0
                else ""
            )
            paragraphs.append(f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr>{mark}{self._runs(block.inlines)}</w:p>')
        return "".join(paragraphs)
