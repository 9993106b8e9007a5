"""The copy of a .docx that LibreOffice converts: the table styles no table uses left out, nothing else touched;
and what pao tells LibreOffice's worker of it: its keywords, whether any field needs updating."""
from __future__ import annotations

import io
import zipfile

import pytest

from generator.ooxml.names import parse_xml, w
from generator.ooxml.pdf_copy import STYLES, field_names, for_pdf
from tests.conftest import PLAN_ID, ROOT

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
    copy = _parts(for_pdf(_docx(PARTS)).docx)
    assert _styles(copy[STYLES], "table") == ["TableNormal", "Indicators", "Banded", "Linked", "InHeader", "Grid", "Former"]
    assert _styles(copy[STYLES], "paragraph") == ["Normal", "UnusedParagraph"]
    assert _styles(copy[STYLES], "character") == ["UnusedCharacter"]


def test_every_other_part_goes_to_libreoffice_byte_for_byte_in_the_same_order():
    copy = _parts(for_pdf(_docx(PARTS)).docx)
    assert list(copy) == list(PARTS)
    assert {name: data for name, data in copy.items() if name != STYLES} == {name: data for name, data in PARTS.items() if name != STYLES}
    assert TEXT.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") in "".join(
        node.text or "" for node in parse_xml(copy["word/document.xml"]).iter(w("t"))
    )


@pytest.mark.parametrize(
    ("docx", "readable"),
    [
        (_docx({**PARTS, STYLES: STYLES_XML.replace(_style("table", "LightGrid", _based_on("TableNormal")).encode(), b"")
                .replace(_style("table", "BasedOnAUsedOne", _based_on("Indicators")).encode(), b"")}), True),
        (_docx({name: data for name, data in PARTS.items() if name not in (STYLES, "word/stylesWithEffects.xml")}), True),
        (b"PK\x03\x04 not a zip at all", False),
        (_docx({**PARTS, STYLES: b"<w:styles unclosed"}), False),
    ],
    ids=["nothing unused", "no styles part", "damaged package", "damaged styles"],
)
def test_a_package_with_nothing_to_leave_out_or_that_cannot_be_read_goes_as_it_is(docx, readable):
    copy = for_pdf(docx)
    assert copy.docx is docx  # LibreOffice says what is wrong with a damaged one
    assert (copy.known is not None) is readable  # else the worker reads the keywords and asks for the fields itself


def test_the_shipped_templates_lose_their_unused_table_styles_and_keep_the_ones_their_tables_use():
    for template in sorted((ROOT / "templates").glob("*/*.docx")):
        parts = _parts(template.read_bytes())
        used = {element.get(w("val")) for element in parse_xml(parts["word/document.xml"]).iter(w("tblStyle"))}
        kept = _styles(_parts(for_pdf(template.read_bytes()).docx)[STYLES], "table")
        assert used <= set(kept), template
        assert len(kept) < len(_styles(parts[STYLES], "table")) / 4, (template, kept)


def _field(instruction: str, *, split: bool = False) -> str:
    """A complex field, its instruction in one run or split over several as Word often writes it."""
    runs = [instruction[:2], instruction[2:]] if split else [instruction]
    texts = "".join(f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>' for text in runs)
    return f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>{texts}<w:r><w:fldChar w:fldCharType="separate"/></w:r>' \
        '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'


def _simple(instruction: str) -> str:
    return f'<w:fldSimple w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'


def _footer(*paragraphs: str) -> bytes:
    return f'<w:ftr {NAMESPACE}>{"".join(f"<w:p>{content}</w:p>" for content in paragraphs)}</w:ftr>'.encode()


def test_field_names_are_read_from_simple_and_complex_fields_split_runs_and_nested_ones_included():
    nested = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>'
        + _field(" numpages ")
        + '<w:r><w:instrText> &gt; 1 "more" "one"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    unended = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>REF _Ref1 \\h</w:instrText></w:r>'
    part = parse_xml(_footer(_simple(" PAGE  \\* MERGEFORMAT "), _field("PAGE", split=True), nested, _field("  "), unended))
    assert sorted(field_names(part)) == sorted(["PAGE", "PAGE", "IF", "NUMPAGES", "", "REF"])


@pytest.mark.parametrize(
    ("footer", "page_fields_only"),
    [
        (_footer("Página ", _field(" PAGE \\* Arabic ", split=True), " de ", _simple("NUMPAGES")), True),
        (_footer("no field at all"), True),
        (_footer(_field("PAGE"), _simple("DATE \\@ &quot;d MMMM yyyy&quot;")), False),  # a date is set when updated
        (_footer(_field("DOCPROPERTY Title")), False),
        (_footer(_field("TOC \\o &quot;1-3&quot;", split=True)), False),  # a table of contents: updated twice
        (_footer(_field(" ")), False),  # an empty instruction: updated, as LibreOffice may read something into it
        (_footer('<w:r><w:t>note</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r>'), False),  # a comment is a field
    ],
    ids=["page n of m", "none", "a date", "a property", "a table of contents", "empty", "a comment"],
)
def test_libreoffice_is_spared_the_field_update_only_when_page_numbers_and_counts_are_all_there_is(footer, page_fields_only):
    copy = for_pdf(_docx({**PARTS, "word/footer1.xml": footer}))
    assert copy.known is not None and copy.known.page_fields_only is page_fields_only


CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title>{}</cp:coreProperties>'
)


@pytest.mark.parametrize(
    ("core", "keywords"),
    [
        (CORE.format("<cp:keywords>PAO; Nº 06/2022/TID; tráfico &amp; &lt;cocaína&gt; 🚀</cp:keywords>"),
         ("PAO", "Nº 06/2022/TID", "tráfico & <cocaína> 🚀")),
        (CORE.format("<cp:keywords></cp:keywords>"), None),
        (CORE.format(""), None),
        (None, None),
    ],
    ids=["whole terms", "empty", "no keywords", "no core.xml"],
)
def test_the_keywords_go_to_libreoffice_as_whole_terms(core, keywords):
    parts = {**PARTS, "docProps/core.xml": core.encode()} if core else PARTS
    copy = for_pdf(_docx(parts))
    assert copy.known is not None and copy.known.keywords == keywords


def test_of_the_shipped_documents_only_the_pao_with_its_table_of_contents_has_fields_to_update(built):
    for docx in sorted((built / PLAN_ID).rglob("*.docx")):
        known = for_pdf(docx.read_bytes()).known
        assert known is not None and known.page_fields_only is (not docx.name.startswith("pao-")), docx.name
        assert known.keywords is not None and known.keywords[0] == "PAO" and len(known.keywords) >= 2, docx.name
