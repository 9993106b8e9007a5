"""``pao text`` reads any .docx it can, and says in one located line why it cannot read the others.

Found by ``tests/properties/test_readers.py``: a .docx missing its first byte
stopped ``pao text`` with a traceback (zipfile's "negative seek value -1"), as
did anything but a zip without a document part, and a style whose outline
level is not a number.
"""
from __future__ import annotations

import io
import zipfile

import pytest

from generator.diagnostics import SourceError
from generator.ooxml.reader import docx_text
from tests.conftest import ROOT

WORD = (ROOT / "templates" / "clasi" / "ficha.docx").read_bytes()
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def with_part(name: str, content: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(WORD))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, content.encode() if info.filename == name else source.read(info))
    return buffer.getvalue()


DAMAGED = [
    ("no-first-byte.docx", WORD[1:], "the file is damaged (negative seek value -1): restore a copy or make it again [docx.damaged]"),
    ("text.docx", b"hello", "not a Word document (.docx) [docx.invalid]"),
    ("half.docx", WORD[: len(WORD) // 2], "not a Word document (.docx) [docx.invalid]"),
    ("spreadsheet.docx", with_part("word/document.xml", "x").replace(b"word/document.xml", b"xl/workbook.xml!!"),
     "not a Word document (.docx): it has no word/document.xml [docx.invalid]"),
    ("broken.docx", with_part("word/document.xml", "<w:document"),
     "the file is damaged: its part word/document.xml is not well-formed XML (Namespace prefix w on document is not defined, line 1, column 12): "
     "restore a copy or make it again [docx.damaged]"),
]


@pytest.mark.parametrize(("name", "data", "message"), DAMAGED, ids=[name for name, _, _ in DAMAGED])
def test_pao_text_says_in_one_located_line_why_it_cannot_read_a_file(project, name: str, data: bytes, message: str):
    project.path(name).write_bytes(data)
    result = project.pao("text", name)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr == f"{name}: ERROR: {message}\n1 error\n"
    assert result.stdout == ""


def test_reading_a_damaged_document_in_process_raises_a_located_error():
    with pytest.raises(SourceError) as raised:
        docx_text(WORD[1:], "ficha.docx")
    assert [str(d) for d in raised.value.diagnostics] == [f"ficha.docx: ERROR: {DAMAGED[0][2]}"]


def test_a_style_whose_outline_level_is_not_a_number_is_no_heading():
    styles = f'<w:styles {NS}><w:style w:type="paragraph" w:styleId="H"><w:pPr><w:outlineLvl w:val="x"/></w:pPr></w:style></w:styles>'
    document = f'<w:document {NS}><w:body><w:p><w:pPr><w:pStyle w:val="H"/></w:pPr><w:r><w:t>Texto</w:t></w:r></w:p></w:body></w:document>'
    data = with_part("word/styles.xml", styles)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, document.encode() if info.filename == "word/document.xml" else source.read(info))
    assert docx_text(buffer.getvalue()) == "Texto\n"


def test_a_no_break_hyphen_reads_as_the_hyphen_it_stands_for():
    """pao keeps a reference on one line with U+2011; Word writes its own as w:noBreakHyphen: both read as "-"."""
    document = (
        f'<w:document {NS}><w:body><w:p><w:r><w:t>AO\u20111.1\u2011TPM, Nº\u00a003/2023</w:t></w:r>'
        "<w:r><w:t>-TPM, 2022</w:t><w:noBreakHyphen/><w:t>2024</w:t></w:r></w:p></w:body></w:document>"
    )
    assert docx_text(with_part("word/document.xml", document)) == "AO-1.1-TPM, Nº\u00a003/2023-TPM, 2022-2024\n"
