"""A finished document: footnotes numbered in document order, links and images in the package,
lists restarting, properties written.  The writer's XML is pasted into a real template's body
as docxtpl would, then finished."""
from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from lxml import etree

from generator.diagnostics import Location
from generator.model.prose import Block, Footnote, FootnoteRef, Inline, Prose, Span
from generator.ooxml.finish import finish
from generator.ooxml.names import WP, A, R, W, w
from generator.ooxml.package import Package, Properties
from generator.ooxml.reader import docx_text
from generator.ooxml.writer import WordText
from tests.conftest import ROOT
from tests.ooxml.trees import one

HERE = Location("notes.md", 1, 1)
PROPERTIES = Properties("Título & <más>", "Asunto", "CLASI – EL PAcCTO", ("PAO", "2022"), "es-ES", datetime.date(2022, 6, 1))


def _paragraph(*inlines: Inline) -> Block:
    return Block("paragraph", "p", tuple(inlines), HERE)


def _item(text: str, list_id: str, start: int) -> Block:
    return Block("item", "i", (Span(text),), HERE, level=1, ordered=True, list_id=list_id, start=start)


NOTES = {
    "a": Footnote("a", (_paragraph(Span("Note A, see "), Span("the report", link="https://example.org/r?a=1&b=2")),), HERE),
    "b": Footnote("b", (_paragraph(Span("Note B.")), _paragraph(Span("Its second paragraph."))), HERE),
}


def _finished(build: Callable[[WordText], str]) -> bytes:
    """A document whose body is what ``build(text)`` writes, finished."""
    template = (ROOT / "templates" / "clasi" / "ficha.docx").read_bytes()
    package = Package(template)
    text = WordText(NOTES, package.style_ids())
    xml = build(text)
    document = _part(template, "word/document.xml")
    body = one(document, w("body"))
    section = one(body, w("sectPr"))
    for child in list(body):
        if child is not section:
            body.remove(child)
    for paragraph in etree.fromstring(f'<w:body xmlns:w="{W}" xmlns:r="{R}">{xml}</w:body>'.encode()):
        section.addprevious(paragraph)
    package.set_xml("word/document.xml", document)
    return finish(Package(package.to_bytes()), text, PROPERTIES)


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def test_footnotes_are_numbered_1_to_n_in_document_order_whatever_order_they_were_written_in():
    def build(text: WordText) -> str:
        later = text.runs(Prose((_paragraph(Span("Second"), FootnoteRef("b")),), NOTES))  # written first, shown second
        first = text.paragraphs(Prose((_paragraph(Span("First"), FootnoteRef("a")),), NOTES))
        return first + f"<w:p>{later}</w:p>"

    data = _finished(build)
    assert docx_text(data).split("\n") == [
        "First[^1]",
        "Second[^2]",
        "",
        "---",
        "[^1]: Note A, see the report <https://example.org/r?a=1&b=2>",
        "[^2]: Note B.",
        "    Its second paragraph.",
        "",
    ]
    notes = _part(data, "word/footnotes.xml").findall(w("footnote"))
    assert [n.get(w("id")) for n in notes] == ["-1", "0", "1", "2"]  # the separators, then the notes in order


def test_a_link_in_a_footnote_is_a_relationship_of_the_footnotes_part():
    data = _finished(lambda text: text.paragraphs(Prose((_paragraph(Span("See"), FootnoteRef("a")),), NOTES)))
    link = one(_part(data, "word/footnotes.xml"), f".//{w('hyperlink')}")
    relationships = _part(data, "word/_rels/footnotes.xml.rels")
    target = next(r for r in relationships if r.get("Id") == link.get(f"{{{R}}}id"))
    assert (target.get("Target"), target.get("TargetMode")) == ("https://example.org/r?a=1&b=2", "External")


def test_paragraphs_of_several_texts_start_each_with_its_prefix_and_restart_their_lists():
    general = Prose((_paragraph(Span("General note.")),), {})
    two = Prose((_paragraph(Span("On the first KPI:")), _item("first", "x", 1), _item("second", "x", 1)), {})
    three = Prose((_item("fifth", "x", 5),), {})
    data = _finished(lambda text: text.paragraphs_of([(general, ""), (two, "a) "), (three, "3. ")]))
    assert docx_text(data).split("\n")[:5] == ["General note.", "a) On the first KPI:", "- first", "- second", "- 3. fifth"]
    body = one(_part(data, "word/document.xml"), w("body"))
    num_ids = [n.get(w("val")) for n in body.iter(w("numId"))]
    assert num_ids[0] == num_ids[1] != num_ids[2]  # one list per text, even with the same list id
    numbering = _part(data, "word/numbering.xml")
    starts = {
        num.get(w("numId")): one(num, f"{w('lvlOverride')}/{w('startOverride')}").get(w("val"))
        for num in numbering.findall(w("num"))
        if num.find(w("lvlOverride")) is not None
    }
    assert (starts[num_ids[0]], starts[num_ids[2]]) == ("1", "5")


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_an_image_is_a_png_part_of_the_package_with_its_alt_text():
    png = _png(40, 20)
    data = _finished(lambda text: text.image(png, 10, "Bars & stripes: AO 1.1 30 %"))
    drawing = one(_part(data, "word/document.xml"), f".//{w('drawing')}")
    assert one(drawing, f".//{{{WP}}}docPr").get("descr") == "Bars & stripes: AO 1.1 30 %"
    extent = one(drawing, f".//{{{WP}}}extent")
    assert (extent.get("cx"), extent.get("cy")) == ("3600000", "1800000")  # 10 cm wide, as high as the PNG says
    relationships = _part(data, "word/_rels/document.xml.rels")
    embed = one(drawing, f".//{{{A}}}blip").get(f"{{{R}}}embed")
    target = next(r.get("Target") for r in relationships if r.get("Id") == embed)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read(f"word/{target}") == png
        types = etree.fromstring(archive.read("[Content_Types].xml"))
    assert any(t.get("Extension") == "png" and t.get("ContentType") == "image/png" for t in types)


def test_the_core_properties_keep_their_text_and_the_finished_bytes_are_reproducible():
    def build(text: WordText) -> str:
        return text.paragraphs(Prose((_paragraph(Span("Text"), FootnoteRef("b")),), NOTES))

    data = _finished(build)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml")
    assert core.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    root = etree.fromstring(core)
    values = {etree.QName(e).localname: e.text for e in root}
    assert values["title"] == "Título & <más>" and values["language"] == "es-ES" and values["revision"] == "1"
    assert values["keywords"] == "PAO; 2022"  # Word's separator of tags; the PDF step splits on it
    assert values["created"] == values["modified"] == "2022-06-01T00:00:00Z"
    assert data == _finished(build)


def test_the_finished_bytes_are_the_same_on_windows(monkeypatch):
    """zipfile records the system a zip was made on (Unix, or Windows when it runs there): the package says Unix
    wherever it is written, so a build on Windows gives the bytes of a build on Linux or macOS."""
    def build(text: WordText) -> str:
        return text.paragraphs(Prose((_paragraph(Span("Text")),), NOTES))

    here = _finished(build)
    monkeypatch.setattr("sys.platform", "win32")
    assert _finished(build) == here
    with zipfile.ZipFile(io.BytesIO(here)) as archive:
        assert {info.create_system for info in archive.infolist()} == {3}
