"""Reading the text of a .docx.

``docx_text`` is a canonical plain-text rendering of a generated .docx, for
people and ``git diff``: body paragraphs in order (headings as ``#``, list
items as ``-``), tables row by row as ``| cell | cell |`` (a ``|`` in a cell as ``\\|``), footnote marks as
``[^N]``, a link's target after its text when they differ (``text <url>``),
a no-break hyphen as ``-``, and the footnotes at the end.  Read from the XML, so text inside tracked
changes is not lost.  ``template_paragraphs`` reads a template as its author
typed it, each paragraph with the place a person finds it in Word.
"""
from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator

from lxml import etree

from ..diagnostics import Location, fail
from . import footnotes as notes
from .names import r, w
from .package import Package, read


def docx_text(data: bytes, shown: str = "the document") -> str:
    """The text of a .docx (``shown`` as the person names it); SourceError when the file cannot be read."""
    package = read(data, shown)
    try:
        return _text(package)
    except etree.XMLSyntaxError:
        name, problem = package.malformed() or ("?", "")  # which part: looked for only when one is
        message = f"the file is damaged: its part {name} is not well-formed XML ({problem}): restore a copy or make it again"
        raise fail(Location(shown), message, "docx.damaged") from None


def _text(package: Package) -> str:
    document = package.xml("word/document.xml")
    assert document is not None, "read() makes sure a .docx has a document part"
    footnotes = package.xml(notes.PART)
    reader = _Reader(package.xml("word/styles.xml"), package.external_targets("word/document.xml"))
    body = document.find(w("body"))
    if body is None:
        return ""
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


@dataclasses.dataclass(frozen=True)
class TemplateParagraph:
    """A paragraph of a template as typed, whatever runs Word split it into, and where it is."""

    part: str  # the part it is in: word/document.xml, word/header1.xml…
    kind: str  # what that part is: document, hdr, ftr or footnotes
    where: str  # "" in the body, "table 2, row 3, cell 1", "header", "footer", "footnote 1"…
    number: int  # counted from 1 in reading order, within ``where``
    text: str


# the parts docxtpl renders, as Word names them
_PART_NAMES = {"hdr": "header", "ftr": "footer"}


def template_paragraphs(data: bytes) -> list[TemplateParagraph]:
    """Every paragraph of a template's body, headers, footers and footnotes, in reading order."""
    package = Package(data)
    roots = {}
    for name in sorted(package.parts, key=_natural):
        # only the parts that hold what the author typed are read whole (not the styles, a third of a megabyte)
        if name.startswith("word/") and name.endswith(".xml") and _root_tag(package.parts[name]) in _TYPED:
            root = package.xml(name)
            assert root is not None
            roots[name] = root
    found = []
    for kind in ("document", "hdr", "ftr", "footnotes"):
        parts = [(name, root) for name, root in roots.items() if etree.QName(root).localname == kind]
        for index, (name, root) in enumerate(parts, start=1):
            if kind == "document":
                body = root.find(w("body"))
                blocks = _blocks(body, "") if body is not None else iter(())
            elif kind == "footnotes":
                typed = [n for n in root.findall(w("footnote")) if n.get(w("type"), "normal") == "normal"]  # not separators
                blocks = (block for number, note in enumerate(typed, start=1) for block in _blocks(note, f"footnote {number}"))
            else:
                blocks = _blocks(root, _PART_NAMES[kind] + (f" {index}" if len(parts) > 1 else ""))
            found += [TemplateParagraph(name, kind, where, number, _typed(p)) for where, number, p in blocks]
    return found


_TYPED = {w(kind) for kind in ("document", "hdr", "ftr", "footnotes")}


def _root_tag(data: bytes) -> str | None:
    """The tag of a part's root element, read from its first bytes."""
    for _, element in etree.iterparse(io.BytesIO(data), events=("start",)):
        return str(element.tag)
    return None


def _blocks(container: etree._Element, where: str) -> Iterator[tuple[str, int, etree._Element]]:
    """The paragraphs of a body, a cell, a header…: their place and number; a table's cells have their own."""
    paragraphs = tables = 0
    pending = list(container)
    while pending:
        element = pending.pop(0)
        if element.tag == w("p"):
            paragraphs += 1
            yield where, paragraphs, element
        elif element.tag == w("tbl"):
            tables += 1
            rows = [row for row in element.iter(w("tr")) if _enclosing(row, "tbl") is element]  # not a nested table's
            for row_number, row in enumerate(rows, start=1):
                cells = [cell for cell in row.iter(w("tc")) if _enclosing(cell, "tr") is row]
                for cell_number, cell in enumerate(cells, start=1):
                    yield from _blocks(cell, f"{where + ', ' if where else ''}table {tables}, row {row_number}, cell {cell_number}")
        elif element.tag in (w("sdt"), w("sdtContent"), w("customXml")):  # wrappers: their paragraphs are the container's
            pending[:0] = list(element)


def _enclosing(element: etree._Element, tag: str) -> etree._Element | None:
    """The nearest ancestor named ``tag``: rows and cells may sit in content controls (w:sdt)."""
    parent = element.getparent()
    while parent is not None and parent.tag != w(tag):
        parent = parent.getparent()
    return parent


def _typed(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


def _natural(name: str) -> tuple[str, int]:
    """word/header2.xml before word/header10.xml."""
    stem = name.removesuffix(".xml")
    digits = len(stem) - len(stem.rstrip("0123456789"))
    return (stem[: len(stem) - digits], int(stem[len(stem) - digits :] or 0))


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
                # a no-break hyphen is a hyphen that keeps a code on one line: the text is the one written
                out.append((node.text or "").replace("\u2011", "-"))
            elif tag == "noBreakHyphen":
                out.append("-")
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
                # a bar written in a cell is no cell's end
                text = " ¶ ".join(self.paragraph(p, prefix=True) for p in cell.findall(w("p")) if self.runs(p).strip())
                cells.append(text.replace("|", "\\|"))
            rows.append("| " + " | ".join(cells) + " |")
        return ["", *rows, ""]


def _inherited(by_id: dict[str, etree._Element], style_id: str | None) -> tuple[int | None, bool]:
    """A paragraph style's outline level and whether it is numbered, following basedOn."""
    level, numbered, seen = None, False, set()
    while style_id in by_id and style_id not in seen:
        seen.add(style_id)
        style = by_id[style_id]
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        value = outline.get(w("val"), "0") if outline is not None else ""
        if level is None and value.isdigit():  # Word writes 0-9; anything else is no outline level
            level = int(value)
        numbered = numbered or style.find(f"{w('pPr')}/{w('numPr')}") is not None
        based = style.find(w("basedOn"))
        style_id = based.get(w("val")) if based is not None else None
    return level, numbered
