"""The copy of a .docx that LibreOffice converts: the table styles no table uses left out, nothing else touched."""
from __future__ import annotations

import io
import zipfile

import pytest

from generator.ooxml.names import parse_xml, w
from generator.ooxml.pdf_copy import STYLES, for_pdf
from tests.conftest import ROOT

NAMESPACE = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _table(style: str | None, text: str) -> str:
    properties = f'<w:tblPr><w:tblStyle w:val="{style}"/></w:tblPr>' if style else "<w:tblPr/>"
    return f"<w:tbl>{properties}<w:tr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"


def _style(kind: str, name: str, *inner: str, default: bool = False) -> str:
    flag = ' w:default="1"' if default else ""
    return f'<w:style w:type="{kind}"{flag} w:styleId="{name}"><w:name w:val="{name}"/>{"".join(inner)}</w:style>'


def _based_on(name: str) -> str:
    return f'<w:basedOn w:val="{name}"/>'


TEXT = "Déjà &amp; &lt;vu&gt; «quoted» 🚀 Donaudampfschifffahrtsgesellschaftskapitän"
DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NAMESPACE}><w:body>'
    f'<w:p><w:r><w:t>{TEXT}</w:t></w:r></w:p>{_table("Indicators", "a)")}{_table(None, "b)")}'
    # a table style named only in a tracked change still shows in LibreOffice's redlines
    f'<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblPrChange w:id="1" w:author="A"><w:tblPr><w:tblStyle w:val="Former"/>'
    f"</w:tblPr></w:tblPrChange></w:tblPr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
    "<w:sectPr/></w:body></w:document>"
).encode()
HEADER = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NAMESPACE}>{_table("InHeader", "h")}<w:p/></w:hdr>'.encode()
STYLES_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {NAMESPACE}>'
    + _style("paragraph", "Normal", default=True)
    + _style("paragraph", "UnusedParagraph", _based_on("Normal"))  # only table styles are left out
    + _style("character", "UnusedCharacter")
    + _style("table", "TableNormal", default=True)  # what a table without a style of its own looks like
    + _style("table", "Indicators", _based_on("Banded"), '<w:link w:val="Linked"/>')
    + _style("table", "Banded", _based_on("TableNormal"))
    + _style("table", "Linked")
    + _style("table", "InHeader")
    + _style("table", "Grid")
    + _style("table", "Former")
    + _style("table", "LightGrid", _based_on("TableNormal"))
    + _style("table", "BasedOnAUsedOne", _based_on("Indicators"))  # its base is used, it is not
    + "</w:styles>"
).encode()


def _docx(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "word/document.xml": DOCUMENT,
    "word/header1.xml": HEADER,
    STYLES: STYLES_XML,
    "word/stylesWithEffects.xml": STYLES_XML,  # Word 2010's copy: defines, does not use
    "docProps/thumbnail.jpeg": bytes(range(256)),
}


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _styles(data: bytes, kind: str) -> list[str]:
    return [style.get(w("styleId"), "") for style in parse_xml(data).iter(w("style")) if style.get(w("type")) == kind]


def test_the_table_styles_no_table_uses_are_left_out_and_those_a_table_needs_are_kept():
    copy = _parts(for_pdf(_docx(PARTS)))
    assert _styles(copy[STYLES], "table") == ["TableNormal", "Indicators", "Banded", "Linked", "InHeader", "Grid", "Former"]
    assert _styles(copy[STYLES], "paragraph") == ["Normal", "UnusedParagraph"]
    assert _styles(copy[STYLES], "character") == ["UnusedCharacter"]


def test_every_other_part_goes_to_libreoffice_byte_for_byte_in_the_same_order():
    copy = _parts(for_pdf(_docx(PARTS)))
    assert list(copy) == list(PARTS)
    assert {name: data for name, data in copy.items() if name != STYLES} == {name: data for name, data in PARTS.items() if name != STYLES}
    assert TEXT.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") in "".join(
        node.text or "" for node in parse_xml(copy["word/document.xml"]).iter(w("t"))
    )


@pytest.mark.parametrize(
    "docx",
    [
        _docx({**PARTS, STYLES: STYLES_XML.replace(_style("table", "LightGrid", _based_on("TableNormal")).encode(), b"")
               .replace(_style("table", "BasedOnAUsedOne", _based_on("Indicators")).encode(), b"")}),
        _docx({name: data for name, data in PARTS.items() if name not in (STYLES, "word/stylesWithEffects.xml")}),
        b"PK\x03\x04 not a zip at all",
        _docx({**PARTS, STYLES: b"<w:styles unclosed"}),
    ],
    ids=["nothing unused", "no styles part", "damaged package", "damaged styles"],
)
def test_a_package_with_nothing_to_leave_out_or_that_cannot_be_read_goes_as_it_is(docx):
    assert for_pdf(docx) is docx  # LibreOffice says what is wrong with a damaged one


def test_the_shipped_templates_lose_their_unused_table_styles_and_keep_the_ones_their_tables_use():
    for template in sorted((ROOT / "templates").glob("*/*.docx")):
        parts = _parts(template.read_bytes())
        used = {element.get(w("val")) for element in parse_xml(parts["word/document.xml"]).iter(w("tblStyle"))}
        kept = _styles(_parts(for_pdf(template.read_bytes()))[STYLES], "table")
        assert used <= set(kept), template
        assert len(kept) < len(_styles(parts[STYLES], "table")) / 4, (template, kept)
