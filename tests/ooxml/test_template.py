"""A template's mistakes are named as its author typed them, where Word shows them; a template cannot run code."""
from __future__ import annotations

import datetime
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from generator import pipeline
from generator.diagnostics import SourceError
from generator.documents import kinds
from generator.ooxml.names import w
from generator.ooxml.package import Package, Properties
from generator.ooxml.reader import template_paragraphs
from generator.ooxml.template import Template
from generator.selection import Selection
from tests.conftest import ROOT, Project
from tests.ooxml.trees import one

PROPERTIES = Properties("Title", "Subject", "Author", (), "en-GB", datetime.date(2022, 6, 1))
# Word often splits what one types into several runs: here a tag of the page header
SPLIT_TAG = "{{ plan.</w:t></w:r><w:r><w:t>referense }}</w:t></w:r>"


def _template(folder: Path) -> Path:
    """The fact-sheet template with one plain paragraph as its body and a mistyped tag in its header."""
    package = Package((ROOT / "templates" / "clasi" / "ficha.docx").read_bytes())
    header = package.parts["word/header1.xml"].decode()
    package.parts["word/header1.xml"] = header.replace("{{ plan.reference }} · {{ ao.reference }}</w:t></w:r>", SPLIT_TAG).encode()
    document = package.xml("word/document.xml")
    assert document is not None
    body = one(document, w("body"))
    for child in list(body)[1:]:
        if child.tag != w("sectPr"):
            body.remove(child)
    for run in body[0].findall(w("r")):
        body[0].remove(run)
    package.set_xml("word/document.xml", document)
    path = folder / "ficha.docx"
    path.write_bytes(package.to_bytes())
    return path


def test_the_text_of_a_template_joins_the_runs_of_each_paragraph_and_says_where_each_is(tmp_path):
    data = _template(tmp_path).read_bytes()
    assert b"{{ plan.referense }}" not in Package(data).parts["word/header1.xml"]
    places = {p.text: (p.where, p.number) for p in template_paragraphs(data)}
    assert places["{{ plan.referense }}"] == ("header", 1)
    pao = {p.text: (p.where, p.number) for p in template_paragraphs((ROOT / "templates" / "clasi" / "pao.docx").read_bytes())}
    assert pao["{{ plan.title }}"] == ("", 1)
    assert pao["{{ l.contents }}"] == ("", 3)
    assert pao["{{ plan.subject }}"] == ("table 1, row 4, cell 2", 1)
    assert pao["{{ kpi.letter }}) {{r kpi.text }}"] == ("table 3, row 7, cell 1", 2)
    assert pao["{{ l.page }} 1 {{ l.of }} 1"] == ("footer", 1)


def _render(template: Template, context_for) -> bytes:
    return template.render(template.prepare({}, context_for, PROPERTIES))


def test_an_undefined_name_in_a_header_split_across_runs_is_named_whole_at_its_paragraph(tmp_path):
    context = {"plan": {"title": "T", "reference": "R"}, "l": {"page": "Page", "of": "of"}}
    path = _template(tmp_path)
    with pytest.raises(SourceError) as raised:
        _render(Template(path), lambda text: context)
    assert str(raised.value) == (
        f"{path}:header, paragraph 1: ERROR: the template uses '{{{{ plan.referense }}}}', but 'referense' does not exist "
        "(available: reference, title) [template.undefined]"
    )


def test_one_template_renders_many_documents_each_as_a_fresh_template_would(tmp_path):
    """Compiled once and reused: nothing of one document leaks into the next."""
    path = _template(tmp_path)
    package = Package(path.read_bytes())
    package.parts["word/header1.xml"] = package.parts["word/header1.xml"].replace(b"referense }}", b"reference }}")
    path.write_bytes(package.to_bytes())

    def context(reference: str) -> dict:
        return {"plan": {"title": "T", "reference": reference}, "l": {"page": "Page", "of": "of"}}

    shared = Template(path)
    first = _render(shared, lambda text: context("PAO-1"))
    second = _render(shared, lambda text: context("PAO-2"))
    assert first == _render(Template(path), lambda text: context("PAO-1"))
    assert second == _render(Template(path), lambda text: context("PAO-2"))
    assert first != second


def _table_template(folder: Path) -> Path:
    """The fact-sheet template whose body is one table of two columns, its row's cells made by a ``{%tc %}`` loop."""
    path = _template(folder)
    package = Package(path.read_bytes())
    package.parts["word/header1.xml"] = package.parts["word/header1.xml"].replace(b"referense }}", b"reference }}")

    def cell(text: str) -> str:
        return f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>'

    table = (  # docxtpl makes each cell holding a {%tc %} tag the tag alone
        '<w:tbl><w:tblPr><w:tblW w:w="4000" w:type="dxa"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
        f"<w:tr>{cell('{%tc for value in values %}')}{cell('{{ value }}')}{cell('{%tc endfor %}')}</w:tr></w:tbl>"
    )
    body = package.parts["word/document.xml"].decode()
    package.parts["word/document.xml"] = body.replace("<w:body>", "<w:body>" + table, 1).encode()
    path.write_bytes(package.to_bytes())
    return path


@pytest.mark.parametrize("values", [["a", "b", "c"], ["a", "b"], ["a"]])
def test_a_row_of_cells_made_by_a_loop_gets_a_grid_of_as_many_columns(tmp_path, values):
    """docxtpl repairs the grid of a table whose row has more or fewer cells than it has columns; a table that
    needs no repair keeps its grid."""
    context = {"values": values, "plan": {"title": "T", "reference": "R"}, "l": {"page": "Page", "of": "of"}}
    document = Package(_render(Template(_table_template(tmp_path)), lambda text: context)).xml("word/document.xml")
    assert document is not None
    grid = [int(column.get(w("w"), "")) for column in document.iter(w("gridCol"))]
    assert len(grid) == len(values)
    assert [t.text for t in document.iter(w("t")) if t.text in values] == values


def test_the_check_of_a_build_leaves_every_part_compiled_as_the_render_needs_it(reference_project: Project):
    """The rendering processes of a build inherit what the check compiled: none compiles a part again."""
    sources = pipeline.load(reference_project.path("source"))
    documents = [d for edition in pipeline.localize(sources, Selection(languages=("es",))) for d in kinds.documents(edition)]
    prepared: dict = {}
    opened = pipeline.check_templates(documents, reference_project.path("templates"), prepared=prepared)
    compiled = {name: set(template._environment._compiled) for name, template in opened.items()}
    assert sorted(file for _, file in compiled) == ["anexo.docx", "ficha.docx", "pao.docx"]
    assert all(compiled.values())
    for document in documents:
        template = opened[document.layout, document.kind.template]
        if document.charts():
            continue  # its charts would be drawn here: the annex template's parts are checked by the first annex all the same
        template.render(prepared.get(id(document)) or template.prepare(document.edition.footnotes, document.context, document.properties()))
    for name, template in opened.items():  # the document properties (a title, a keyword) are compiled as they come
        assert not [source[:40] for source in set(template._environment._compiled) - compiled[name] if source.startswith("<")], name


# Broken templates, through `pao build`: a located message, exit code 1, no traceback, build/ as it was.


@pytest.fixture
def project_with_build(project: Project, built: Path) -> Project:
    """A project whose build/ holds the documents of an earlier, successful build."""
    shutil.copytree(built, project.path("build"))
    return project


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write(path: Path, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _type_into(path: Path, old: str, new: str, part: str = "word/document.xml") -> None:
    """Edit what a paragraph of the template says, as its author would in Word."""
    parts = _parts(path)
    xml = parts[part].decode("utf-8")
    assert xml.count(old) == 1, f"{old!r} is not once in {part}"
    parts[part] = xml.replace(old, new).encode("utf-8")
    _write(path, parts)


def _fails_with(project: Project, message: str) -> None:
    before = project.build_snapshot()
    assert before, "the earlier build is there"
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message
    assert "Traceback" not in result.output
    assert project.build_snapshot() == before


def test_a_template_without_its_body_is_not_a_word_document(project_with_build):
    template = project_with_build.path("templates/clasi/pao.docx")
    parts = _parts(template)
    del parts["word/document.xml"]
    _write(template, parts)
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx: ERROR: not a Word document (.docx): it has no word/document.xml; open it in Word and save it as .docx "
        "[template.invalid]",
    )


def test_a_template_damaged_on_disk_is_reported_as_damaged(project_with_build):
    template = project_with_build.path("templates/clasi/pao.docx")
    _write(template, _parts(template), zipfile.ZIP_STORED)  # stored, so that the typed text is in the file's bytes
    data = bytearray(template.read_bytes())
    data[data.index(b"{{ plan.title }}") + 3] ^= 0x01  # one bit flipped: the part no longer matches its CRC-32
    template.write_bytes(bytes(data))
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx: ERROR: the file is damaged (Bad CRC-32 for file 'word/document.xml'): open it in Word and save it again, "
        "or restore a copy [template.damaged]",
    )


def test_a_tag_that_cannot_be_computed_is_named_at_its_table_cell(project_with_build):
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ plan.subject }}", "{{ plan.subject }} ({{ 1/0 }})")
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1: ERROR: '{{ 1/0 }}' cannot be computed: division by zero "
        '(ZeroDivisionError), near "{{ plan.subject }} ({{ 1/0 }})" [template.error]',
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_tag_that_fails_for_one_late_document_leaves_the_build_folder_as_it_was(project_with_build, jobs):
    """Documents are written to a staging folder as they are rendered: the fact sheet of the last action fails
    after the others were made, and nothing of them reaches build/ (nor is anything of the staging left)."""
    last = project_with_build.build_snapshot()
    _type_into(
        project_with_build.path("templates/clasi/ficha.docx"), "{{ plan.title }}",
        "{{ plan.title }}{% if ao.reference == 'AO 5.1' %}{{ 1/0 }}{% endif %}",
    )
    result = project_with_build.pao("build", "--format", "docx", "--lang", "es", "-j", jobs)
    assert result.exit_code == 1 and "'{{ 1/0 }}' cannot be computed: division by zero" in result.stderr
    assert "Traceback" not in result.output
    assert project_with_build.build_snapshot() == last


def test_a_filter_given_the_wrong_type_is_named_in_the_page_header(project_with_build):
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ plan.reference }}", "{{ plan.reference|round }}", "word/header1.xml")
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx:header, paragraph 1: ERROR: '{{ plan.reference|round }}' cannot be computed: "
        "type str doesn't define __round__ method (TypeError) [template.error]",
    )


def test_a_template_cannot_run_a_command(project_with_build):
    evidence = project_with_build.path("the-command-ran")  # pao runs in the project's folder
    tag = "{{ cycler.__init__.__globals__.os.popen('touch the-command-ran').read() }}"
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ l.contents }}", "{{ l.contents }} " + tag)
    _fails_with(
        project_with_build,
        f"templates/clasi/pao.docx:paragraph 3: ERROR: '{tag}' reaches into Python itself (access to attribute '__init__' of 'type' "
        f"object is unsafe): a template may use only the document's variables, near \"{{{{ l.contents }}}} {tag}\" [template.unsafe]",
    )
    assert not evidence.exists()


def test_a_name_that_does_not_exist_is_named_at_its_paragraph(project_with_build):
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ plan.subject }}", "{{ plan.subjet }}")
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1: ERROR: the template uses '{{ plan.subjet }}', but 'subjet' does not exist "
        "(available: budget, co_leads, date, languages, lead, lead_label, origin, participants, partner_organisations, recipients, reference, subject, title) [template.undefined]",
    )


def test_a_tag_left_open_is_named_at_its_paragraph(project_with_build):
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ l.contents }}", "{{ l.contents")
    _fails_with(project_with_build, "templates/clasi/pao.docx:paragraph 3: ERROR: '{{ l.contents' is not closed: end it with '}}' [template.syntax]")


def test_a_block_never_ended_is_named_where_it_begins(project_with_build):
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ l.contents }}", "{% if l.contents %}{{ l.contents }}")
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx:paragraph 3: ERROR: template syntax error: Unexpected end of template. Jinja was looking for the following "
        "tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if', "
        'near "{% if l.contents %}{{ l.contents }}" [template.syntax]',
    )


def test_a_syntax_error_in_a_tag_is_named_at_its_paragraph(project_with_build):
    _type_into(project_with_build.path("templates/clasi/pao.docx"), "{{ l.update_contents }}", "{{ l.update_contents + }}")
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx:paragraph 4: ERROR: template syntax error: unexpected 'end of print statement', near \"{{ l.update_contents + }}\" [template.syntax]",
    )


def test_a_template_part_that_is_not_well_formed_xml_is_reported_as_damaged(project_with_build):
    template = project_with_build.path("templates/clasi/pao.docx")
    lines = _parts(template)["word/document.xml"].decode("utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, start=1) if "{{ l.contents }}" in text)
    column = lines[line - 1].index("{{ l.contents }}") + len("{{ l.contents }} <") + 1  # the name that should follow '<'
    _type_into(template, "{{ l.contents }}", "{{ l.contents }} <")
    _fails_with(
        project_with_build,
        "templates/clasi/pao.docx: ERROR: the file is damaged: its part word/document.xml is not well-formed XML "
        f"(StartTag: invalid element name, line {line}, column {column}): open it in Word and save it again, or restore a copy "
        "[template.damaged]",
    )
