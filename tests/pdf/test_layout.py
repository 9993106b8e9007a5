"""Pages a person would sign: every PDF of two plans, in every language, looked at page by page.

No word, number or amount cut across two lines, no table row cut across two
pages, no heading, label or table header row left at a page's foot, no
character of the sources without a glyph.  The shipped plan's PDFs come from
the session's build; the second plan (``tests/fixtures/plans/precursores-2023``:
written in Portuguese, amounts in BRL and EUR, codes with hyphens, an emoji,
long tables) and the documents that show the checks can fail are converted
together, by one LibreOffice.  Page images go to ``build/layout/`` for a
person to look at.
"""
from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.shared import Cm, Pt
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.ooxml.reader import docx_text
from generator.pdf import office as pdf
from tests.conftest import PLAN_ID, ROOT, Project
from tests.docx_reader import part
from tests.ooxml.trees import words
from tests.pdf.layout import LaidOut, Problem, problems

SECOND = "precursores-2023"
SECOND_SOURCE = ROOT / "tests" / "fixtures" / "plans" / SECOND
LANGUAGES = {PLAN_ID: ("es", "en", "pt"), SECOND: ("pt", "es", "en")}
IMAGES = ROOT / "build" / "layout"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _office() -> pdf.Office:
    try:
        return pdf.Office.find()
    except pdf.OfficeMissing as exc:
        pytest.skip(str(exc))


# ---------------------------------------------------------------- documents that break every rule


def _bad_documents() -> dict[str, bytes]:
    """Small .docx files, each with one thing the checks must name."""
    made = {}

    def save(name: str, document) -> None:
        buffer = io.BytesIO()
        document.save(buffer)
        made[name] = buffer.getvalue()

    narrow = docx.Document()
    table = narrow.add_table(rows=2, cols=2)
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, (Cm(1.3), Cm(12))):
        column.w = width
    table.rows[0].cells[0].paragraphs[0].add_run("Acumulado").bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("750.000\u00a0USD")
    table.rows[0].cells[1].paragraphs[0].add_run("A wide column")
    save("narrow-column.docx", narrow)

    tall = docx.Document()
    for _ in range(30):
        tall.add_paragraph("A paragraph before the table.")
    table = tall.add_table(rows=1, cols=1)
    for number in range(40):
        table.rows[0].cells[0].add_paragraph(f"Line {number + 1} of one long row.")
    save("row-across-pages.docx", tall)

    foot = docx.Document()
    lines = 0
    while lines < 37:  # the page fills up to its foot, where the heading comes
        foot.add_paragraph(f"Paragraph {lines + 1}.").paragraph_format.space_after = Pt(0)
        lines += 1
    heading = foot.add_paragraph("A heading left alone", style="Heading 1")
    heading.paragraph_format.keep_with_next = False
    foot.add_paragraph("What it heads.").paragraph_format.page_break_before = True
    save("heading-at-the-foot.docx", foot)

    header = docx.Document()
    for _ in range(32):
        header.add_paragraph("A paragraph before the table.")
    table = header.add_table(rows=2, cols=2)
    table.rows[0].cells[0].paragraphs[0].add_run("Column title").bold = True
    for number in range(20):
        table.rows[1].cells[0].add_paragraph(f"Line {number + 1} of a row that cannot split.")
    table.rows[1]._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {W}/>"))
    save("header-row-at-the-foot.docx", header)

    box = docx.Document()
    box.add_paragraph("A character no font has: \U0010fffd.")
    save("no-glyph.docx", box)
    return made


def _first_row_titles(data: bytes) -> bytes:
    """The document with its table's first row marked as column titles (``w:tblHeader``)."""
    document = docx.Document(io.BytesIO(data))
    document.tables[0].rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- one conversion for all


@pytest.fixture(scope="module")
def second_plan(tmp_path_factory) -> Path:
    """The build folder of the second plan's Word documents."""
    project = Project(tmp_path_factory.mktemp("second-plan"))
    shutil.copytree(SECOND_SOURCE, project.plan.parent / SECOND)
    result = project.pao("build", "-q", "--format", "docx", "--plan", SECOND)
    assert result.exit_code == 0, result.output
    return project.folder / "build" / SECOND


@pytest.fixture(scope="module")
def converted(second_plan, tmp_path_factory) -> dict[str, tuple[Path, bytes]]:
    """The second plan's documents and the bad documents as PDF: name → (PDF, the .docx it came from)."""
    office = _office()
    sources = {path.name: path.read_bytes() for path in sorted(second_plan.rglob("*.docx"))}
    sources.update(_bad_documents())
    jobs = [pdf.Job(name, data, datetime.date(2023, 3, 1)) for name, data in sources.items()]
    results = pdf.convert(office, jobs, timeout=120)
    folder = tmp_path_factory.mktemp("pdf")
    found = {}
    for name, outcome in results.items():
        assert isinstance(outcome, bytes), f"{name}: {outcome}"
        target = folder / name.replace(".docx", ".pdf")
        target.write_bytes(outcome)
        found[name.removesuffix(".docx")] = (target, sources[name])
    return found


def _edition(folder: Path, plan: str, language: str) -> list[tuple[Path, bytes]]:
    pdfs = sorted((folder / plan / language).glob("*.pdf"))
    assert pdfs, f"no PDF of {plan} in {language}"
    return [(path, path.with_suffix(".docx").read_bytes()) for path in pdfs]


def _report(found: list[Problem]) -> str:
    return "\n".join(str(problem) for problem in found)


# ---------------------------------------------------------------- the plans


@pytest.mark.parametrize("layout", ["clasi", "el-paccto"])
@pytest.mark.parametrize("language", LANGUAGES[PLAN_ID])
def test_every_page_of_the_shipped_plan_is_one_a_person_would_sign(request, layout, language):
    folder = request.getfixturevalue("built_pdf") / PLAN_ID if layout == "clasi" else request.getfixturevalue("el_paccto_pdf")
    found = [p for path, docx in _edition(folder.parent, folder.name, language) for p in problems(path, path.name, docx)]
    assert not found, _report(found)


@pytest.mark.parametrize("language", LANGUAGES[SECOND])
def test_every_page_of_a_plan_with_amounts_codes_and_an_emoji_is_one_a_person_would_sign(converted, language):
    documents = {name: value for name, value in converted.items() if name.startswith(("pao-", "ficha-", "anexo-")) and name.endswith(f"-{language}")}
    assert len(documents) == 1 + 3 + 1  # the PAO, a fact sheet per action, an annex for the reported period
    found = [p for name, (path, docx) in sorted(documents.items()) for p in problems(path, name, docx)]
    assert not found, _report(found)


def test_the_emoji_of_a_summary_is_drawn_with_a_font_that_has_it(converted):
    path, docx = converted[f"ficha-{SECOND}-AO-1.1-pt"]
    text = docx_text(docx)
    assert "📱" in text
    laid = LaidOut(path, path.name, text)
    assert laid.glyphless == []
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Symbola" in fonts  # the fallback font make system installs, embedded


def test_a_reference_is_kept_on_one_line_by_no_break_hyphens_and_reads_as_written(second_plan, converted):
    document = (second_plan / "pt" / f"ficha-{SECOND}-AO-1.1-pt.docx").read_bytes()
    shown = words(part(document, "word/document.xml"))
    assert "AO\u20111.1\u2011TPM" in shown and "Nº 03/2023\u2011TPM" in shown
    text = docx_text(converted[f"ficha-{SECOND}-AO-1.1-pt"][1])
    assert "AO-1.1-TPM" in text and "\u2011" not in text  # pao text: the text as written


def test_amounts_and_long_words_of_narrow_columns_stay_whole(converted):
    """The annex's 7-column table: "R$ 12.500.000" (reais in a Portuguese document: CLDR's symbol) and "Cumprimento" each on one line."""
    path, docx = converted[f"anexo-{SECOND}-2023-S2-pt"]
    laid = LaidOut(path, path.name, docx_text(docx))
    lines = {line.text for block in laid.tree.walk() for line in laid.lines(block) if block.kind != "Document"}
    assert "R$ 12.500.000" in lines and "800.000 EUR" in lines
    assert "Cumprimento" in lines and "Acumulado" in lines


TITLE = "Plano de ação operacional 2023-2024 sobre precursores químicos"  # draft translations: the original's
SUBJECT = "Plano de ação operacional (PAO) – 3. Tráfico de precursores químicos."


@pytest.mark.parametrize(
    ("document", "keywords", "title", "subject"),
    [
        ("pao", ["PAO", "Nº 03/2023-TPM"], rf"^{re.escape(TITLE)}$", rf"^{re.escape(SUBJECT)}$"),
        ("ficha-AO-1.1", ["PAO", "Nº 03/2023-TPM", "AO-1.1-TPM"], r": AO-1\.1-TPM$", rf"^{re.escape(TITLE)}$"),
        ("anexo-2023-S2", ["PAO", "Nº 03/2023-TPM", "2023-S2"], r" S2/2023$", rf"^{re.escape(TITLE)}$"),
    ],
)
def test_the_pdf_has_the_title_subject_whole_keywords_and_language_of_its_edition(converted, document, keywords, title, subject):
    kind, _, about = document.partition("-")
    for language, tag in (("pt", "pt-BR"), ("es", "es-ES"), ("en", "en-US")):
        path, _ = converted[f"{kind}-{SECOND}{'-' + about if about else ''}-{language}"]
        reader = PdfReader(path)
        info = reader.metadata
        assert info is not None
        assert info["/Keywords"] == ", ".join(keywords)  # LibreOffice alone would give "PAO, Nº, 03/2023-TPM"
        assert re.search(title, str(info["/Title"])) and re.search(subject, str(info["/Subject"])), info
        catalog = reader.trailer["/Root"]
        assert isinstance(catalog, DictionaryObject)
        assert catalog["/Lang"] == tag


# ---------------------------------------------------------------- the checks can fail


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("narrow-column", [r"page 1: 'Acu\|mul' is a word cut across two lines", r"page 1: '000\|USD' is cut at a no-break space"]),
        ("row-across-pages", [r"page (\d+): a table row runs on to page (?!\1)\d+: 'Line 1 of one long row\."]),
        ("heading-at-the-foot", [r"page 1: the page ends with the h1 'A heading left alone'"]),
        ("header-row-at-the-foot", [r"page \d+: the page ends with a table's header row 'Column title'"]),
        ("no-glyph", [r"page 1: .* \(U\+10FFFD\) is drawn with [\w-]+, which has no glyph for it"]),
    ],
)
def test_each_check_names_the_document_the_page_and_the_text(converted, document, expected):
    path, docx = converted[document]
    if document == "header-row-at-the-foot":  # converted as a plain row (LibreOffice keeps a row of titles with
        docx = _first_row_titles(docx)  # the next one), checked as the row of titles its text says it is
    report = _report(problems(path, f"{document}.pdf", docx))
    for pattern in expected:
        assert re.search(pattern, report), report
    assert all(line.startswith(f"{document}.pdf, page ") for line in report.split("\n")), report


# ---------------------------------------------------------------- for a person to look at


def _render(path: Path, page: int, name: str) -> Path:
    IMAGES.mkdir(parents=True, exist_ok=True)
    prefix = IMAGES / name
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile", str(path), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def _first_table_page(path: Path, docx: bytes) -> int:
    """The first page after the first one where an action's table (a table of more than five rows) starts."""
    laid = LaidOut(path, path.name, docx_text(docx))
    for table in (t for t in laid.tree.walk() if t.kind == "Table"):
        rows = [r for r in table.walk() if r.kind == "TR"]
        pages = sorted({page + 1 for page, _ in table.marks()})
        if len(rows) > 5 and pages and pages[0] > 1:
            return pages[0]
    raise AssertionError(f"{path.name} has no table after its first page")


def test_the_first_page_and_a_table_page_of_each_pao_are_saved_as_images(built_pdf, converted):
    shipped = built_pdf / PLAN_ID / "es" / f"pao-{PLAN_ID}-es.pdf"
    second, second_docx = converted[f"pao-{SECOND}-pt"]
    saved = [
        _render(shipped, 1, f"pao-{PLAN_ID}-es-page-1"),
        _render(shipped, _first_table_page(shipped, shipped.with_suffix(".docx").read_bytes()), f"pao-{PLAN_ID}-es-table"),
        _render(second, 1, f"pao-{SECOND}-pt-page-1"),
        _render(second, _first_table_page(second, second_docx), f"pao-{SECOND}-pt-table"),
    ]
    print("\n".join(f"page image: {png}" for png in saved))
