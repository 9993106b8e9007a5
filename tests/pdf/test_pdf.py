"""PDF: the same layout as the Word document, converted by LibreOffice, reproducible."""
from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject, StreamObject

from generator.pdf import office as pdf
from tests.conftest import PAO, PLAN_ID, Project
from tests.docx_reader import body_paragraphs, footnotes

PDF = PAO.removesuffix(".docx") + ".pdf"
ARTEFACTS = Path(__file__).parent.parent / "artefacts"


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if value is not None else None


def _dictionary(value: PdfObject | None) -> DictionaryObject:
    """``value`` (an indirect reference followed) as the PDF dictionary the test expects there."""
    resolved = _resolved(value)
    assert isinstance(resolved, DictionaryObject), f"expected a dictionary, found {type(resolved).__name__}"
    return resolved


def _array(value: PdfObject | None) -> ArrayObject:
    resolved = _resolved(value)
    assert isinstance(resolved, ArrayObject), f"expected an array, found {type(resolved).__name__}"
    return resolved


def _stream_data(value: PdfObject | None) -> bytes:
    """The decoded bytes of the stream ``value`` refers to."""
    resolved = _resolved(value)
    assert isinstance(resolved, StreamObject), f"expected a stream, found {type(resolved).__name__}"
    return resolved.get_data()


def pages(path: Path) -> list[str]:
    """Each page's text in the order LibreOffice wrote it (-raw: document order, table rows whole)."""
    count = len(PdfReader(path).pages)
    return [
        subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True, check=True).stdout
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module", params=["clasi", "el-paccto"])
def shipped_pao(request) -> tuple[str, Path]:
    """The layout and the PDF of the shipped plan's Spanish PAO made in it (its .docx beside it): each check of a
    PDF's pages holds in every layout."""
    if request.param == "clasi":
        return request.param, request.getfixturevalue("built_pdf") / PDF
    return request.param, request.getfixturevalue("el_paccto_pdf") / PDF.split("/", 1)[1]


@pytest.fixture(scope="module")
def pdf_pages(shipped_pao) -> list[str]:
    return pages(shipped_pao[1])


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _split_page(text: str, notes: dict[int, str]) -> tuple[str, list[str]]:
    """A page's body text and its footnote-area lines, without header and footer."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    lines = [line for line in lines if line != "Nº 06/2022/TID" and not re.fullmatch(r"Página \d+ de \d+", line)]
    all_notes = _flat(" ".join(notes.values()))
    first_note = len(lines)
    while first_note > 0 and (lines[first_note - 1].isdigit() or (len(lines[first_note - 1]) > 3 and _flat(lines[first_note - 1]) in all_notes)):
        first_note -= 1
    return "\n".join(lines[:first_note]), lines[first_note:]


def test_every_page_has_the_reference_in_its_header_and_page_n_of_m_in_its_footer(pdf_pages):
    total = len(pdf_pages)
    assert 8 <= total <= 12
    for number, text in enumerate(pdf_pages, start=1):
        lines = [line.strip() for line in text.split("\n")]
        assert lines.count("Nº 06/2022/TID") == 1, f"page {number}"
        assert [line for line in lines if line.startswith("Página ")] == [f"Página {number} de {total}"]


def test_documents_without_a_table_of_contents_have_their_page_numbers_right_too(built_pdf):
    # their fields are not refreshed (page numbers and counts are all they have): the layout sets them
    for document in sorted(built_pdf.rglob("*-es.pdf")):
        if "/pao-" in document.as_posix():
            continue
        numbered = pages(document)
        for number, text in enumerate(numbered, start=1):
            footer = [line.strip() for line in text.split("\n") if line.strip().startswith("Página ")]
            assert footer == [f"Página {number} de {len(numbered)}"], f"{document.name}, page {number}"


def test_the_pdf_text_is_the_word_text_in_the_same_order(pdf_pages, shipped_pao):
    docx = shipped_pao[1].with_suffix(".docx").read_bytes()
    notes = footnotes(docx)
    body = "".join(_flat(_split_page(page, notes)[0]) for page in pdf_pages)
    position, missing = 0, []
    for paragraph in body_paragraphs(docx, fields=False):
        words = _flat(re.sub(r"\[\^(\d+)\]", r"\1", paragraph))
        found = body.find(words, position)
        if words and found < 0:
            missing.append(paragraph)
        elif words:
            position = found + len(words)
    assert missing == []


def test_the_17_footnotes_are_at_the_foot_of_the_page_of_their_mark_numbered_as_in_word(pdf_pages, shipped_pao):
    docx = shipped_pao[1].with_suffix(".docx").read_bytes()
    notes = footnotes(docx)
    numbers_in_order = []
    for page_number, page in enumerate(pdf_pages, start=1):
        body, note_lines = _split_page(page, notes)
        flat_body = _flat(body)
        for index, line in enumerate(note_lines):
            if line.isdigit():
                number = int(line)
                numbers_in_order.append(number)
                rest = note_lines[index + 1 :]
                text_lines = rest[: next((i for i, line in enumerate(rest) if line.isdigit()), len(rest))]
                following = _flat(" ".join(text_lines))
                assert _flat(notes[number]).startswith(following[:25]), f"footnote {number} text"
                mark = _flat(_words_before_mark(docx, number)) + str(number)
                assert mark in flat_body, f"footnote {number} is not on the page of its mark (page {page_number})"
    assert numbers_in_order == list(range(1, 18))


def _words_before_mark(docx: bytes, number: int) -> str:
    text = " ".join(body_paragraphs(docx, fields=False))
    before = re.sub(r"\[\^\d+\]", "", text[: text.index(f"[^{number}]")])
    return before[-20:]


def test_the_table_of_contents_lists_the_headings_with_their_page_numbers(pdf_pages):
    toc = {}
    for line in pdf_pages[0].split("\n"):
        match = re.match(r"^\s*(.+?)\.{4,}\s*(\d+)$", line)
        if match:
            toc[match[1].strip()] = int(match[2])
    headings = ["1. Objetivos", "2. Contexto", "Cocaína", "Cannabis", "Principales amenazas:", "3. Prioridades de trabajo"]
    for heading in headings:
        assert heading in toc, f"{heading} missing from the table of contents"
        on_page = next(n for n, page in enumerate(pdf_pages, start=1) if n > 1 and heading in page.split("\n"))
        assert toc[heading] == on_page, heading


FONTS = {"clasi": ("LiberationSans",), "el-paccto": ("LiberationSerif", "DejaVuSans")}  # the text's and the headings' fonts


def test_all_fonts_are_embedded(shipped_pao):
    layout, path = shipped_pao
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.split("\n")[2:]
    fonts = [row for row in rows if row.strip()]
    assert fonts and all(re.search(r"\s+yes\s+yes\s+yes\s+\d+\s+\d+$", row) for row in fonts), listing
    for font in FONTS[layout]:
        assert any(font in row for row in fonts), (font, listing)


def test_the_pdf_is_pdf_a_2b_and_tagged(shipped_pao):
    reader = PdfReader(shipped_pao[1])
    root = _dictionary(reader.trailer["/Root"])
    xmp = _stream_data(root["/Metadata"]).decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    mark_info = _dictionary(root["/MarkInfo"])
    assert mark_info["/Marked"] is True or mark_info["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "es-ES"
    assert reader.metadata is not None, "the PDF has no document information dictionary"
    assert reader.metadata["/CreationDate"] == "D:20220601000000Z"
    assert "<xmp:CreateDate>2022-06-01T00:00:00Z</xmp:CreateDate>" in xmp


def test_two_builds_give_identical_pdf_bytes(built_pdf, tmp_path):
    again = Project(tmp_path)
    result = again.pao("build", "-q", "--only", "pao", "--only", "2023-S1")
    assert result.exit_code == 0, result.output
    annex = f"{PLAN_ID}/es/anexo-{PLAN_ID}-2023-S1-es.pdf"
    for path in (PDF, annex):
        assert again.path(f"build/{path}").read_bytes() == (built_pdf / path).read_bytes(), path


def test_the_same_document_converted_in_two_time_zones_gives_identical_pdf_bytes(built_pdf, monkeypatch):
    office = pdf.Office.find()
    ficha = next(built_pdf.glob(f"{PLAN_ID}/es/ficha-*.docx"))
    job = pdf.Job(ficha.name, ficha.read_bytes(), datetime.date(2022, 6, 1))
    monkeypatch.setenv("TZ", "America/Bogota")  # LibreOffice stamps local time: -05:00, longer than Z
    in_bogota = pdf.convert(office, [job], timeout=120)[job.name]
    monkeypatch.setenv("TZ", "UTC")
    in_utc = pdf.convert(office, [job], timeout=120)[job.name]
    assert isinstance(in_bogota, bytes) and in_bogota == in_utc
    assert ficha.with_suffix(".pdf").read_bytes() == in_utc


def test_the_first_page_is_rendered_to_png_for_a_person_to_look_at(built_pdf):
    ARTEFACTS.mkdir(exist_ok=True)
    prefix = ARTEFACTS / "pao-cocaina-2022-es-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(built_pdf / PDF), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"first page: {png}")


def test_an_unchanged_document_is_not_converted_again(built_pdf, reference_project, monkeypatch):
    monkeypatch.setenv("PAO_SOFFICE", "/nonexistent/soffice")  # any conversion would now fail
    result = reference_project.pao("build")
    assert result.exit_code == 0, result.output
    assert f"build/{PDF}  up to date" in result.stdout


def test_without_libreoffice_the_word_files_are_built_the_pdf_is_kept_and_the_user_told(built_pdf, tmp_path, monkeypatch):
    project = Project(tmp_path)
    assert project.pao("build", "-q", "--only", "pao").exit_code == 0
    old_pdf = project.path(f"build/{PDF}").read_bytes()
    project.edit("source/cocaina-2022/introduction.md", "Las delegaciones encontrarán", "Las delegaciones hallarán")
    monkeypatch.setenv("PAO_SOFFICE", "/nonexistent/soffice")
    result = project.pao("build", "--only", "pao")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "LibreOffice is needed for PDF: install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui" in result.stderr
    assert "[pdf.no-libreoffice]" in result.stderr
    assert "hallarán" in " ".join(body_paragraphs(project.path(f"build/{PAO}").read_bytes()))
    assert project.path(f"build/{PDF}").read_bytes() == old_pdf
    assert project.pao("build", "--format", "docx", "-q").exit_code == 0


FAKE_WORKER = '''
import json, os, sys, time
from pypdf import PdfWriter
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    content = open(job["docx"], "rb").read()
    if content == b"hang":
        time.sleep(60)
    if content == b"crash":
        os._exit(3)
    if content == b"refused":
        print(json.dumps({"ok": False, "error": "type detection failed"}), flush=True)
        continue
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    if content != b"no id":
        writer.generate_file_identifiers()
    with open(job["pdf"], "wb") as out:
        writer.write(out)
    print(json.dumps({"ok": True, "pages": 1}), flush=True)
'''


def test_a_document_that_hangs_crashes_or_fails_is_named_and_the_others_still_convert(tmp_path, monkeypatch):
    worker = tmp_path / "worker.py"
    worker.write_text(FAKE_WORKER, encoding="utf-8")
    monkeypatch.setattr(pdf, "WORKER", worker)
    office = pdf.Office(soffice="soffice", python=sys.executable)
    day = datetime.date(2022, 6, 1)
    contents = [("a", b"ok"), ("b", b"hang"), ("c", b"ok"), ("d", b"crash"), ("e", b"refused"), ("f", b"ok"), ("g", b"no id")]
    jobs = [pdf.Job(name, content, day) for name, content in contents]
    seen = []
    results = pdf.convert(office, jobs, timeout=2, progress=lambda job: seen.append(job.name))
    assert {name: r[:4] if isinstance(r, bytes) else r for name, r in results.items()} == {
        "a": b"%PDF",
        "b": "LibreOffice did not finish within 2 s (stopped)",
        "c": b"%PDF",
        "d": "LibreOffice crashed while converting this document",
        "e": "type detection failed",
        "f": b"%PDF",
        "g": "the PDF LibreOffice wrote cannot be made reproducible: its trailer has no document id (/ID)",
    }
    assert seen == ["a", "b", "c", "d", "e", "f", "g"]


def test_a_failed_conversion_is_reported_with_the_document_and_the_previous_pdf_kept(built_pdf, tmp_path, monkeypatch):
    project = Project(tmp_path)
    assert project.pao("build", "-q", "--only", "pao").exit_code == 0
    old_pdf = project.path(f"build/{PDF}").read_bytes()
    project.edit("source/cocaina-2022/introduction.md", "Las delegaciones encontrarán", "Las delegaciones hallarán")
    monkeypatch.setattr(pdf, "convert", lambda office, jobs, timeout, progress, workers=1, prepare=None: {job.name: "LibreOffice crashed while converting this document" for job in jobs})
    result = project.pao("build", "--only", "pao")
    assert result.exit_code == 1
    assert (
        f"build/{PAO}: ERROR: no PDF: LibreOffice crashed while converting this document; the previous PDF is kept [pdf.failed]"
        in result.stderr
    )
    assert project.path(f"build/{PDF}").read_bytes() == old_pdf


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_shows_on_a_terminal_and_nothing_elsewhere(monkeypatch):
    from generator import cli

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    advance = cli._progress("PDF", 2)
    advance(None)
    advance(None)
    assert "PDF" in terminal.getvalue() and "2/2" in terminal.getvalue()
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    cli._progress("PDF", 2)(None)
    assert pipe.getvalue() == ""


def test_the_cross_reference_table_points_at_every_object_after_normalisation(built_pdf):
    data = (built_pdf / PDF).read_bytes()
    table = re.search(rb"\nxref\r?\n0 (\d+)\r?\n", data)
    assert table is not None, "no cross-reference table"
    count = int(table[1])
    rows = data[table.end() : table.end() + 20 * count]
    for number in range(count):
        row = rows[20 * number : 20 * number + 20]
        if row[17:18] == b"n":
            assert data[int(row[:10]) :].startswith(b"%d 0 obj" % number), number
    startxref = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    assert startxref is not None, "no startxref at the end"
    start = int(startxref[1])
    assert data[start:].startswith(b"xref")
    reader = PdfReader(built_pdf / PDF, strict=True)
    intent = _dictionary(_array(_dictionary(reader.trailer["/Root"])["/OutputIntents"])[0])
    profile = _stream_data(intent["/DestOutputProfile"])
    assert profile[24:30] == bytes([0x07, 0xE6, 0, 6, 0, 1])  # the ICC profile dated 2022-06-01, the plan's date
