"""Reading generated .docx files the way a checker would: straight from the XML.

Independent of ``generator.text`` on purpose, so that tests do not trust the
code they test.
"""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def document_body(data: bytes) -> etree._Element:
    """The ``w:body`` of the main document part."""
    return child(part(data, "word/document.xml"), _q("body"))


def child(element: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` (``find`` syntax) under ``element``, which must be there."""
    found = element.find(path)
    assert found is not None, f"{etree.QName(element).localname} has no {path}"
    return found


def attribute(element: etree._Element, name: str) -> str:
    """The value of the attribute ``name`` (Clark notation), which must be there."""
    value = element.get(name)
    assert value is not None, f"{etree.QName(element).localname} has no {name}"
    return value


def has_part(data: bytes, name: str) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return name in archive.namelist()


def text_of(element: etree._Element) -> str:
    """Text of a paragraph (or any element), footnote marks as [^N]."""
    out = []
    for node in element.iter(_q("t"), _q("tab"), _q("br"), _q("footnoteReference")):
        tag = etree.QName(node).localname
        if tag == "t":
            out.append(node.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "br":
            out.append("\n")
        else:
            out.append(f"[^{node.get(_q('id'))}]")
    return "".join(out)


def body_paragraphs(data: bytes, fields: bool = True) -> list[str]:
    """Every paragraph of the body in document order, table cells included.

    ``fields=False`` leaves out content controls (the table of contents, whose
    text is only a placeholder until it is updated).
    """
    return [text_of(p) for p in document_body(data).iter(_q("p")) if fields or not any(a.tag == _q("sdt") for a in p.iterancestors())]


def body_text(data: bytes) -> str:
    return normalise(" ".join(body_paragraphs(data)))


def footnotes(data: bytes) -> dict[int, str]:
    """Footnote number → its text (paragraphs joined by a space)."""
    root = part(data, "word/footnotes.xml")
    result = {}
    for note in root.findall(_q("footnote")):
        if note.get(_q("type")) in (None, "normal"):
            result[int(attribute(note, _q("id")))] = normalise(" ".join(text_of(p) for p in note.iter(_q("p"))))
    return result


def tables(data: bytes) -> list[list[list[str]]]:
    """Top-level tables as rows of cell texts (a cell's paragraphs joined by newlines)."""
    result = []
    for table in document_body(data).findall(_q("tbl")):
        rows = []
        for row in table.findall(_q("tr")):
            rows.append(["\n".join(text_of(p) for p in cell.findall(_q("p"))).strip() for cell in row.findall(_q("tc"))])
        result.append(rows)
    return result


def normalise(text: str) -> str:
    """One space between words, none before closing punctuation."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([.,;:)])", r"\1", text)
