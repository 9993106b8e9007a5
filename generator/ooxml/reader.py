"""Reading the text of a .docx.

``docx_text`` is a canonical plain-text rendering of a generated .docx, for
people and ``git diff``: body paragraphs in order (headings as ``#``, list
items as ``-``), tables row by row as ``| cell | cell |``, footnote marks as
``[^N]``, a link's target after its text when they differ (``text <url>``),
and the footnotes at the end.  Read from the XML, so text inside tracked
changes is not lost.  ``paragraph_texts`` reads a template as its author typed it.
"""
from __future__ import annotations

from lxml import etree

from . import footnotes as notes
from .names import W, r, w
from .package import Package


def docx_text(data: bytes) -> str:
    package = Package(data)
    document = package.xml("word/document.xml")
    assert document is not None, "a .docx has a document part"
    footnotes = package.xml(notes.PART)
    reader = _Reader(package.xml("word/styles.xml"), package.external_targets("word/document.xml"))
    body = document.find(w("body"))
    assert body is not None, "a document has a body"
    lines = []
    for element in body:
        if element.tag == w("p"):
            lines.append(reader.paragraph(element, prefix=True))
        elif element.tag == w("tbl"):
            lines.extend(reader.table(element))
    reader.links = package.external_targets(notes.PART)
    found = notes.notes(footnotes) if footnotes is not None else []
    if found:
        lines.append("")
        lines.append("---")
    for note in found:
        paragraphs = [reader.paragraph(p).strip() for p in note.iter(w("p"))]
        lines.append(f"[^{note.get(w('id'))}]: " + "\n    ".join(paragraphs))
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


def paragraph_texts(data: bytes) -> list[str]:
    """The text of every paragraph of every WordprocessingML part (body, headers, footers, notes), as typed:
    where a template's tags can be read, whatever runs Word split them into."""
    package = Package(data)
    texts = []
    for name in package.parts:
        root = package.xml(name) if name.startswith("word/") and name.endswith(".xml") else None
        if root is not None and etree.QName(root).namespace == W:
            texts += ["".join(t.text or "" for t in p.iter(w("t"))) for p in root.iter(w("p"))]
    return texts


class _Reader:
    def __init__(self, styles: etree._Element | None, links: dict[str, str]) -> None:
        self.links = links
        self.heading_levels: dict[str, int] = {}  # style id → outline level (0 = title)
        self.list_styles: set[str] = set()
        if styles is not None:
            by_id = {s.get(w("styleId"), ""): s for s in styles.iter(w("style")) if s.get(w("type")) == "paragraph"}
            for style_id in by_id:
                level, numbered = _inherited(by_id, style_id)
                if level is not None:
                    self.heading_levels[style_id] = level + 1
                elif numbered:
                    self.list_styles.add(style_id)
            for style_id, style in by_id.items():
                name = style.find(w("name"))
                if name is not None and name.get(w("val")) == "Title":
                    self.heading_levels[style_id] = 0

    def paragraph(self, p: etree._Element, prefix: bool = False) -> str:
        text = self.runs(p)
        if not prefix:
            return text
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        style_id = style.get(w("val")) if style is not None else ""
        if style_id in self.heading_levels:
            return f"{'#' * (self.heading_levels[style_id] + 1)} {text}"
        if style_id in self.list_styles or p.find(f"{w('pPr')}/{w('numPr')}") is not None:
            return f"- {text}"
        return text

    def runs(self, element: etree._Element) -> str:
        out = []
        for node in element:
            tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if tag in ("t", "delText"):
                out.append(node.text or "")
            elif tag == "tab":
                out.append("\t")
            elif tag == "br":
                out.append("\n")
            elif tag == "footnoteReference":
                out.append(f"[^{node.get(w('id'))}]")
            elif tag == "hyperlink":
                text = self.runs(node)
                url = self.links.get(node.get(r("id")) or "")
                out.append(f"{text} <{url}>" if url and url != text else text)
            elif tag not in ("pPr", "rPr"):
                out.append(self.runs(node))
        return "".join(out)

    def table(self, table: etree._Element) -> list[str]:
        rows = []
        for row in table.findall(w("tr")):
            cells = []
            for cell in row.findall(w("tc")):
                merge = cell.find(f"{w('tcPr')}/{w('vMerge')}")
                if merge is not None and merge.get(w("val"), "continue") == "continue":
                    cells.append("")
                    continue
                cells.append(" ¶ ".join(self.paragraph(p, prefix=True) for p in cell.findall(w("p")) if self.runs(p).strip()))
            rows.append("| " + " | ".join(cells) + " |")
        return ["", *rows, ""]


def _inherited(by_id: dict[str, etree._Element], style_id: str | None) -> tuple[int | None, bool]:
    """A paragraph style's outline level and whether it is numbered, following basedOn."""
    level, numbered, seen = None, False, set()
    while style_id in by_id and style_id not in seen:
        seen.add(style_id)
        style = by_id[style_id]
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        if outline is not None and level is None:
            level = int(outline.get(w("val"), "0"))
        numbered = numbered or style.find(f"{w('pPr')}/{w('numPr')}") is not None
        based = style.find(w("basedOn"))
        style_id = based.get(w("val")) if based is not None else None
    return level, numbered
