"""A canonical plain-text rendering of a generated .docx, for people and ``git diff``.

Body paragraphs in order (headings as ``#``, list items as ``-``), tables row
by row as ``| cell | cell |``, footnote marks as ``[^N]`` and the footnotes at
the end.  Read from the XML, so text inside tracked changes is not lost.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from .ooxml import R, W, parse_xml, w


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        document = parse_xml(archive.read("word/document.xml"))
        footnotes = parse_xml(archive.read("word/footnotes.xml")) if "word/footnotes.xml" in names else None
        styles = parse_xml(archive.read("word/styles.xml")) if "word/styles.xml" in names else None
        rels = parse_xml(archive.read("word/_rels/document.xml.rels")) if "word/_rels/document.xml.rels" in names else None
    reader = _Reader(styles, rels)
    lines = []
    for element in document.find(w("body")):
        if element.tag == w("p"):
            lines.append(reader.paragraph(element, prefix=True))
        elif element.tag == w("tbl"):
            lines.extend(reader.table(element))
    if footnotes is not None:
        notes = [n for n in footnotes.findall(w("footnote")) if n.get(w("type")) in (None, "normal")]
        if notes:
            lines.append("")
            lines.append("---")
        for note in notes:
            paragraphs = [reader.paragraph(p) for p in note.iter(w("p"))]
            lines.append(f"[^{note.get(w('id'))}]: " + "\n    ".join(p for p in paragraphs))
    return "\n".join(line.rstrip() for line in lines).strip("\n") + "\n"


class _Reader:
    def __init__(self, styles, rels) -> None:
        self.heading_levels = {}
        self.list_styles = set()
        if styles is not None:
            for style in styles.iter(w("style")):
                name = style.find(w("name"))
                name = name.get(w("val")) if name is not None else ""
                style_id = style.get(w("styleId"))
                if style.get(w("type")) != "paragraph":
                    continue
                if name.lower().startswith("heading ") and name.split()[-1].isdigit():
                    self.heading_levels[style_id] = int(name.split()[-1])
                elif name == "Title":
                    self.heading_levels[style_id] = 0
                if name.startswith("List Bullet") or name.startswith("List Number") or style.find(f"{w('pPr')}/{w('numPr')}") is not None:
                    self.list_styles.add(style_id)
        self.links = {}
        if rels is not None:
            for rel in rels:
                self.links[rel.get("Id")] = rel.get("Target")

    def paragraph(self, p, prefix: bool = False) -> str:
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

    def runs(self, element) -> str:
        out = []
        for node in element.iter(w("t"), w("delText"), w("tab"), w("br"), w("footnoteReference"), w("hyperlink")):
            tag = etree.QName(node).localname
            if tag in ("t", "delText"):
                out.append(node.text or "")
            elif tag == "tab":
                out.append("\t")
            elif tag == "br":
                out.append("\n")
            elif tag == "footnoteReference":
                out.append(f"[^{node.get(w('id'))}]")
        return "".join(out)

    def table(self, table) -> list[str]:
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
