"""Tables in prose (issue 16): a GFM pipe table in a plan's Markdown file is a real Word table, translated cell
by cell, shown by pao text, the change report, the redline and pao serve; every mistake in one is located.

The second fixture plan (tests/fixtures/plans/armas-2024) has one in its context.md (Portuguese original) with
its Spanish translation in locale/es.po.
"""
from __future__ import annotations

import shutil

import pytest
from lxml import etree

from generator import pipeline
from generator.documents.kinds import documents
from generator.html.pages import document_page
from generator.ooxml.reader import docx_text
from generator.ooxml.tracked import resolve_all
from tests.conftest import Project, second_plan
from tests.documents.test_second_plan import PLAN
from tests.docx_reader import attribute, child, document_body, footnotes, part, text_of
from tests.sources.test_validation import errors

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTEXT = "source/armas-2024/context.md"
CATALOG = "source/armas-2024/locale/es.po"
TABLE_ROWS = {
    "pt": [
        ["País", "Armas apreendidas", "Variação", "Fonte"],
        ["Brasil", "12.430", "+8 %", "Polícia Federal"],
        ["Paraguai & Uruguai", "1.215[^2]", "−3 %", 'Relatórios <nacionais> "2023" 🔫'],
        ["Argentina", "3.080", "0 %", "Registro interinstitucionalmente consolidado"],
    ],
    "es": [
        ["País", "Armas incautadas", "Variación", "Fuente"],
        ["Brasil", "12.430", "+8 %", "Policía Federal"],
        ["Paraguay & Uruguay", "1.215[^2]", "−3 %", 'Informes <nacionales> "2023" 🔫'],
        ["Argentina", "3.080", "0 %", "Registro interinstitucionalmente consolidado"],
    ],
}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def armas(tmp_path_factory) -> Project:
    project = second_plan(tmp_path_factory.mktemp("tables"))
    result = project.pao("build", "-q", "--format", "docx", "--only", "pao")
    assert result.exit_code == 0, result.output
    return project


def pao(project: Project, language: str) -> bytes:
    return project.path(f"build/armas-2024/{language}/pao-armas-2024-{language}.docx").read_bytes()


def prose_table(data: bytes) -> etree._Element:
    """The table of the context: the one whose first cell says País."""
    found = [t for t in document_body(data).iter(q("tbl")) if text_of(child(t, f"{q('tr')}/{q('tc')}")).strip() == "País"]
    assert len(found) == 1
    return found[0]


def rows(table: etree._Element) -> list[list[etree._Element]]:
    return [row.findall(q("tc")) for row in table.findall(q("tr"))]


def alignment(cell: etree._Element) -> str:
    jc = cell.find(f"{q('p')}/{q('pPr')}/{q('jc')}")
    return jc.get(q("val"), "") if jc is not None else ""


# ---------------------------------------------------------------- the Word table


@pytest.mark.parametrize("language", ["pt", "es"])
def test_the_table_is_a_word_table_holding_every_cell_as_written(armas, language):
    table = prose_table(pao(armas, language))
    assert [[text_of(cell).strip() for cell in row] for row in rows(table)] == TABLE_ROWS[language]
    # the footnote of a cell is a real footnote, numbered after the context's first one
    assert footnotes(pao(armas, language))[2] == {"pt": "Soma dos dois países, dados provisórios.", "es": "Suma de los dos países, datos provisionales."}[language]


def test_the_header_row_repeats_on_each_page_and_no_row_splits(armas):
    table = prose_table(pao(armas, "pt"))
    headers = [row.find(f"{q('trPr')}/{q('tblHeader')}") is not None for row in table.findall(q("tr"))]
    assert headers == [True, False, False, False]
    assert all(row.find(f"{q('trPr')}/{q('cantSplit')}") is not None for row in table.findall(q("tr")))


def test_the_table_is_in_the_layouts_table_style_as_wide_as_the_text(armas):
    data = pao(armas, "pt")
    table = prose_table(data)
    style = attribute(child(table, f"{q('tblPr')}/{q('tblStyle')}"), q("val"))
    names = {s.get(q("styleId")): attribute(child(s, q("name")), q("val")) for s in part(data, "word/styles.xml").iter(q("style"))}
    assert names[style] == "Prose Table"
    widths = [int(attribute(c, q("w"))) for c in table.iter(q("gridCol"))]
    assert sum(widths) == 9072  # 16 cm: the page less its margins
    assert widths[3] == max(widths)  # the column of long texts gets the most room


def test_numbers_are_right_aligned_and_columns_keep_their_written_alignment(armas):
    table = rows(prose_table(pao(armas, "pt")))
    # "---:" right, ":---:" centred, a column of numbers right (its header too), text left
    assert [[alignment(cell) for cell in row] for row in table] == [
        ["", "right", "center", ""],
        ["", "right", "center", ""],
        ["", "right", "center", ""],
        ["", "right", "center", ""],
    ]


def test_numbers_in_a_column_without_alignment_are_right_aligned(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "| --- | ---: | :---: | --- |", "| --- | --- | --- | --- |")
    result = project.pao("build", "-q", "--format", "docx", "--only", "pao", "--lang", "pt")
    assert result.exit_code == 0, result.output
    table = rows(prose_table(pao(project, "pt")))
    assert [[alignment(cell) for cell in row] for row in table] == [
        ["", "right", "right", ""],  # the header of a column of numbers sits over them
        ["", "right", "right", ""],
        ["", "right", "right", ""],
        ["", "right", "right", ""],
    ]


def test_cells_keep_bold_italic_links_and_footnote_marks(armas):
    data = pao(armas, "pt")
    table = rows(prose_table(data))
    bold = [t.text for r in table[1][0].iter(q("r")) if r.find(f"{q('rPr')}/{q('b')}") is not None for t in r.iter(q("t"))]
    assert bold == ["Brasil"]
    italic = [t.text for r in table[2][3].iter(q("r")) if r.find(f"{q('rPr')}/{q('i')}") is not None for t in r.iter(q("t"))]
    assert italic == ["Relatórios"]
    link = child(table[1][3], f"{q('p')}/{q('hyperlink')}")
    relationships = part(data, "word/_rels/document.xml.rels")
    target = {r.get("Id"): r.get("Target") for r in relationships}[attribute(link, f"{{{R}}}id")]
    assert (text_of(link), target) == ("Polícia Federal", "https://www.gov.br/pf")
    marks = [m.get(q("id")) for m in table[2][1].iter(q("footnoteReference"))]
    assert marks == ["2"]


def test_pao_text_shows_the_table_row_by_row(armas):
    text = docx_text(pao(armas, "es"))
    block = text[text.index("Las incautaciones de 2023, por país:"):]
    assert block.split("\n")[:6] == [
        "Las incautaciones de 2023, por país:",
        "",
        "| País | Armas incautadas | Variación | Fuente |",
        "| Brasil | 12.430 | +8 % | Policía Federal <https://www.gov.br/pf> |",
        '| Paraguay & Uruguay | 1.215[^2] | −3 % | Informes <nacionales> "2023" 🔫 |',
        "| Argentina | 3.080 | 0 % | Registro interinstitucionalmente consolidado |",
    ]


def test_the_preview_page_shows_the_table_as_an_html_table(armas):
    editions = pipeline.localize(pipeline.load(armas.path("source")))
    page = next(document_page(d) for e in editions for d in documents(e) if d.path == "armas-2024/pt/pao-armas-2024-pt.docx")
    table = page[page.index('<table class="prose">'):]
    table = table[: table.index("</table>")]
    assert '<th scope="col">País</th><th scope="col" style="text-align:right">Armas apreendidas</th>' in table
    assert '<td><strong>Brasil</strong></td><td style="text-align:right">12.430</td>' in table
    assert "<td>Paraguai &amp; Uruguai</td>" in table and "&lt;nacionais&gt;" in table and "🔫" in table
    assert '<td style="text-align:right">1.215<sup class="note-ref"><a id="mark-2" href="#note-2"' in table  # numbered as in Word


# ---------------------------------------------------------------- translation


def test_each_cell_is_a_message_of_the_catalog_with_a_stable_id(armas):
    catalog = armas.path(CATALOG).read_text(encoding="utf-8")
    assert 'msgctxt "ctx-seizures.r3.c2"\nmsgid "1.215[^py-uy]"\nmsgstr "1.215[^py-uy]"' in catalog
    assert 'msgctxt "ctx-seizures.r1.c2"\nmsgid "Armas apreendidas"\nmsgstr "Armas incautadas"' in catalog
    assert "#: source/armas-2024/context.md:8\nmsgctxt \"ctx-seizures.r3.c1\"" in catalog
    # the catalog is up to date: updating it changes nothing
    result = armas.pao("translations", "update")
    assert result.exit_code == 0, result.output
    assert armas.path(CATALOG).read_text(encoding="utf-8") == catalog


def catalog_after(project: Project, old: str, new: str) -> str:
    """The Spanish catalog once the context is edited and the catalogs are brought up to date."""
    project.edit(CONTEXT, old, new)
    result = project.pao("translations", "update")
    assert result.exit_code == 0, result.output
    return project.path(CATALOG).read_text(encoding="utf-8")


def test_editing_a_row_keeps_the_ids_and_translations_of_the_others(tmp_path):
    project = second_plan(tmp_path)
    catalog = catalog_after(project, "| Argentina | 3.080 |", "| Argentina | 3.150 |")
    assert '#, fuzzy\n#| msgid "3.080"\nmsgctxt "ctx-seizures.r4.c2"\nmsgid "3.150"\nmsgstr "3.080"' in catalog
    assert 'msgctxt "ctx-seizures.r4.c1"\nmsgid "Argentina"\nmsgstr "Argentina"' in catalog
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert "the Spanish translation of 'ctx-seizures.r4.c2' is fuzzy" in result.output


def test_an_empty_cell_has_no_message_and_stays_empty(tmp_path):
    project = second_plan(tmp_path)
    catalog = catalog_after(project, "| Argentina | 3.080 | 0 % |", "| Argentina | 3.080 |  |")
    assert 'msgctxt "ctx-seizures.r4.c3"\nmsgid' not in catalog.split("#~")[0]  # only an obsolete entry keeps "0 %"
    result = project.pao("build", "-q", "--format", "docx", "--only", "pao", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert [text_of(cell) for cell in rows(prose_table(pao(project, "es")))[3]] == ["Argentina", "3.080", "", "Registro interinstitucionalmente consolidado"]


@pytest.mark.parametrize(
    "translation, problem",
    [
        ("Brasil | BR", "holds a '|', which would start another cell (a bar in the text is written \\|)"),
        ("Brasil\\n(BR)", "holds a line break, which would start another row"),
    ],
)
def test_a_translation_that_would_add_a_cell_or_a_row_is_a_located_error(tmp_path, translation, problem):
    project = second_plan(tmp_path)
    project.edit(CATALOG, 'msgid "**Brasil**"\nmsgstr "**Brasil**"', f'msgid "**Brasil**"\nmsgstr "{translation}"')
    line = project.line_of(CATALOG, f'msgstr "{translation}"') - 1  # a message is located at its msgid
    result = project.pao("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert errors(result) == [
        (f"{CATALOG}:{line}", "ERROR", f"the translation of the table cell 'ctx-seizures.r2.c1' {problem}: keep the original's rows and cells", "i18n.table")
    ]


def test_a_bar_escaped_in_a_translation_stays_in_its_cell(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CATALOG, 'msgid "**Brasil**"\nmsgstr "**Brasil**"', 'msgid "**Brasil**"\nmsgstr "**Brasil** \\\\| BR"')
    result = project.pao("build", "-q", "--format", "docx", "--only", "pao", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert text_of(rows(prose_table(pao(project, "es")))[1][0]) == "Brasil | BR"
    assert "| Brasil \\| BR | 12.430 | +8 % |" in docx_text(pao(project, "es"))  # pao text keeps the row's cells apart


# ---------------------------------------------------------------- change report and redline


@pytest.fixture(scope="module")
def edited_cell(tmp_path_factory) -> Project:
    project = second_plan(tmp_path_factory.mktemp("diff"))
    shutil.copytree(project.path("source"), project.path("old"))
    project.edit(CONTEXT, "| **Brasil** | 12.430 |", "| **Brasil** | 12.910 |")
    result = project.pao("diff", "old", "source", "--out", "changes", "-q")
    assert result.exit_code == 0, result.output
    return project


def test_the_change_report_names_the_changed_cell(edited_cell):
    report = edited_cell.path("changes/armas-2024/changes-armas-2024.md").read_text(encoding="utf-8")
    assert "## Table cells\n\n- **ctx-seizures.r2.c2** text: [-12.430-]{+12.910+}\n" in report
    assert "1 change(s)." in report


def test_the_redline_shows_the_change_in_that_cell_only(edited_cell):
    redline = edited_cell.path("changes/armas-2024/redline-pao-armas-2024-pt.docx").read_bytes()
    table = rows(prose_table(redline))
    changed = [
        (r, c) for r, row in enumerate(table) for c, cell in enumerate(row) if cell.find(f".//{q('ins')}") is not None or cell.find(f".//{q('del')}") is not None
    ]
    assert changed == [(1, 1)]
    cell = table[1][1]
    # word by word, as in paragraphs: "12." is kept
    assert ["".join(t.text or "" for t in d.iter(q("delText"))) for d in cell.iter(q("del"))] == ["430"]
    assert ["".join(t.text or "" for t in i.iter(q("t"))) for i in cell.iter(q("ins"))] == ["910"]
    accepted, rejected = docx_text(resolve_all(redline, accept=True)), docx_text(resolve_all(redline, accept=False))
    assert "| Brasil | 12.910 | +8 % |" in accepted and "12.430" not in accepted
    assert "| Brasil | 12.430 | +8 % |" in rejected and "12.910" not in rejected


# ---------------------------------------------------------------- mistakes


def problem(project: Project, edit: tuple[str, str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """The errors ``pao validate`` reports after the edit; it must exit 1 without a traceback."""
    if edit:
        project.edit(*edit)
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return errors(result)


def line_of(project: Project, needle: str) -> int:
    return project.line_of(CONTEXT, needle)


def test_a_table_without_an_id_is_told_that_a_table_needs_one(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "consolidado |\n{#ctx-seizures}\n", "consolidado |\n")
    line = line_of(project, "| Argentina |")
    end = len(project.path(CONTEXT).read_text(encoding="utf-8").split("\n")[line - 1]) + 1
    assert problem(project) == [
        (f"{CONTEXT}:{line}:{end}", "ERROR",
         "this table has no id: a table needs an {#id} (a new, unique id) on the line right after its last row", "prose.missing-id")
    ]


def test_an_id_at_the_end_of_the_last_row_is_told_to_go_on_its_own_line(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "consolidado |\n{#ctx-seizures}\n", "consolidado | {#ctx-seizures}\n")
    row = line_of(project, "| Argentina |")
    column = project.path(CONTEXT).read_text(encoding="utf-8").split("\n")[row - 1].index("{#") + 1
    assert problem(project) == [
        (f"{CONTEXT}:{row}:{column}", "ERROR",
         "a table's {#id} goes on a line of its own, right after its last row (here it makes one cell too many)", "prose.missing-id")
    ]


@pytest.mark.parametrize("row, cells", [("| Argentina | 3.080 | 0 % |", 3), ("| Argentina | 3.080 | 0 % | RENAR | extra |", 5)])
def test_a_row_with_another_number_of_cells_than_the_header_is_located(tmp_path, row, cells):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "| Argentina | 3.080 | 0 % | Registro interinstitucionalmente consolidado |", row)
    assert problem(project) == [
        (f"{CONTEXT}:{line_of(project, '| Argentina |')}:1", "ERROR",
         f"this row has {cells} cell(s), the table's header row has 4: give every row as many cells "
         "(leave a cell empty with '|  |'; a '|' in a cell's text is written \\|)", "prose.table-cells")
    ]


def test_a_delimiter_row_with_too_few_cells_is_located(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "| --- | ---: | :---: | --- |", "| --- | ---: | --- |")
    found = problem(project)
    assert found[0] == (
        f"{CONTEXT}:{line_of(project, '| --- | ---: | --- |')}:1", "ERROR",
        "this table's delimiter row has 3 cell(s), its header row 4: give it one '---' per column "
        "(':---:' centres a column, '---:' aligns it right)", "prose.table-cells",
    )


def test_a_table_without_a_delimiter_row_is_located(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "| --- | ---: | :---: | --- |\n", "")
    assert problem(project) == [
        (f"{CONTEXT}:{line_of(project, '| **Brasil** |')}:1", "ERROR",
         "this looks like a table, but its second line is not a delimiter row: write '| --- | --- |' (one '---' per column) under the header row",
         "prose.table-delimiter")
    ]


def test_text_right_after_a_table_is_located_as_a_row_without_bars(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "{#ctx-seizures}\n", "{#ctx-seizures}\nFim da tabela. {#ctx-end}\n")
    row = line_of(project, "| Argentina |")
    end = len(project.path(CONTEXT).read_text(encoding="utf-8").split("\n")[row - 1]) + 1
    read_as_a_row = (
        "this line is read as a row of the table above it (it has no '|'): leave a blank line between a table and the text after it; "
        "the table's {#id} is its last line"
    )
    assert problem(project) == [
        (f"{CONTEXT}:{row}:{end}", "ERROR",
         "this table has no id: a table needs an {#id} (a new, unique id) on the line right after its last row", "prose.missing-id"),
        (f"{CONTEXT}:{row + 1}:1", "ERROR", read_as_a_row, "prose.table-row"),
        (f"{CONTEXT}:{row + 2}:1", "ERROR", read_as_a_row, "prose.table-row"),
    ]


def test_a_table_id_already_used_by_a_paragraph_is_located(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "{#ctx-seizures}\n", "{#ctx-violence}\n")
    first = f"{CONTEXT}:1:1"
    assert problem(project) == [
        (f"{CONTEXT}:{line_of(project, '| País |')}:3", "ERROR", f"table id 'ctx-violence' is already used at {first}", "plan.duplicate-id")
    ]


def test_a_bad_table_id_is_located(tmp_path):
    project = second_plan(tmp_path)
    project.edit(CONTEXT, "{#ctx-seizures}\n", "{#tabela/1}\n")
    assert problem(project) == [
        (f"{CONTEXT}:{line_of(project, '{#tabela/1}')}:1", "ERROR", "'tabela/1' is not a valid id: use letters, digits, '.', '-', '_'", "prose.bad-id")
    ]


TABLE = "| País | Armas apreendidas | Variação | Fonte |"
IN_A_LIST = [(CONTEXT, "As apreensões de 2023, por país:", "- As apreensões de 2023, por país:")] + [
    (CONTEXT, f"\n{line}", f"\n  {line}") for line in (TABLE, "| --- |", "| **Brasil**", "| Paraguai", "| Argentina", "{#ctx-seizures}")
]
IN_A_FIELD = [(PLAN, "      Apreender armas nas fronteiras.\n", "      Apreender armas nas fronteiras.\n\n      | País | Armas |\n      | --- | --- |\n      | Brasil | 10 |\n")]
IN_A_FOOTNOTE = [(CONTEXT, "[^py-uy]: Soma dos dois países, dados provisórios.\n", "[^py-uy]: Soma.\n\n    | a | b |\n    | - | - |\n    | 1 | 2 |\n")]


@pytest.mark.parametrize(
    "edits, file, row, where",
    [
        (IN_A_LIST, CONTEXT, TABLE, "in a list item: end the list with a blank line and write the table without indentation"),
        (IN_A_FIELD, PLAN, "| País | Armas |", "in this text: tables go in the plan's Markdown files (introduction, objectives, context)"),
        (IN_A_FOOTNOTE, CONTEXT, "| a | b |", "in a footnote"),
    ],
)
def test_a_table_where_documents_cannot_hold_one_is_refused_at_its_first_bar(tmp_path, edits, file, row, where):
    project = second_plan(tmp_path)
    for edit in edits:
        project.edit(*edit)
    line = project.line_of(file, row)
    column = project.path(file).read_text(encoding="utf-8").split("\n")[line - 1].index("|") + 1
    assert problem(project) == [(f"{file}:{line}:{column}", "ERROR", f"a table is not supported {where}", "prose.unsupported")]
