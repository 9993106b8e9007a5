"""`pao templates check` and the same check at the start of `pao build`: each mistake of a template, located."""
from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Project


def _type_into(path: Path, old: str, new: str, part: str = "word/document.xml") -> None:
    """Edit a template's part as its author would in Word (at the first place ``old`` is)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts[part].decode("utf-8")
    assert old in xml, f"{old!r} is not in {part}"
    parts[part] = xml.replace(old, new, 1).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _check(project: Project) -> tuple[int, list[str]]:
    result = project.pao("templates", "check")
    assert "Traceback" not in result.output
    return result.exit_code, (result.stderr if result.exit_code else result.stdout).splitlines()


def test_the_shipped_templates_of_every_layout_pass(project):
    assert _check(project) == (0, ["6 template(s) checked (clasi, el-paccto): no errors"])


@pytest.mark.parametrize("layout", ["clasi", "el-paccto"])
def test_one_layout_is_checked_when_named(project, layout):
    _type_into(project.path("templates/clasi/pao.docx"), "{{ plan.subject }}", "{{ plan.subjet }}")  # not checked for el-paccto
    result = project.pao("templates", "check", layout)
    if layout == "el-paccto":
        assert (result.exit_code, result.stdout) == (0, "3 template(s) checked (el-paccto): no errors\n")
    else:
        assert result.exit_code == 1
        assert result.stderr.startswith("templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1: ERROR: the template uses '{{ plan.subjet }}'")


def test_a_layout_that_does_not_exist_is_named_with_those_that_do(project):
    result = project.pao("templates", "check", "el-pacto")
    assert result.exit_code == 2
    assert result.stderr == "Error: no layout named 'el-pacto' in templates (the layouts are clasi, el-paccto)\n"


def test_a_mistake_in_the_second_layout_is_reported_in_its_folder(project):
    _type_into(project.path("templates/el-paccto/ficha.docx"), "{{ plan.period }}", "{{ plan.periodo }}")
    code, lines = _check(project)
    assert code == 1
    assert lines[0].startswith("templates/el-paccto/ficha.docx:paragraph ")
    assert "the template uses '{{ plan.periodo }}', but 'periodo' does not exist" in lines[0]


RUN_BREAK = "</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">"
PARAGRAPH_BREAK = "</w:t></w:r></w:p><w:p><w:r><w:t xml:space=\"preserve\">"


@pytest.mark.parametrize(
    "template, old, new, part, message",
    [
        (
            "pao.docx", "{{ plan.subject }}", "{{ plan.subjet }}", "word/document.xml",
            "templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1: ERROR: the template uses '{{ plan.subjet }}', but 'subjet' does not exist "
            "(available: budget, co_leads, date, languages, lead, lead_label, origin, participants, partner_organisations, recipients, reference, subject, title) [template.undefined]",
        ),
        (
            "pao.docx", "{{ l.contents }}", "{{ l.contents }} {{ plann.title }}", "word/document.xml",
            "templates/clasi/pao.docx:paragraph 3: ERROR: the template uses '{{ plann.title }}', but 'plann' does not exist "
            "(available: context, introduction, l, objectives_text, plan, strategic_objectives), near \"{{ l.contents }} {{ plann.title }}\" "
            "[template.undefined]",
        ),
        (  # inside a loop of a table, in a branch a build of the shipped plan never takes
            "ficha.docx", "{{ kpi.target }}", "{% if false %}{{ kpi.targe }}{% endif %}", "word/document.xml",
            "templates/clasi/ficha.docx:table 2, row 3, cell 3, paragraph 1: ERROR: the template uses '{{ kpi.targe }}', but 'targe' does not exist "
            "(available: letter, target, text), near \"{% if false %}{{ kpi.targe }}{% endif %}\" [template.undefined]",
        ),
        (
            "pao.docx", "{{ plan.reference }}", "{{ plan.referense }}", "word/header1.xml",
            "templates/clasi/pao.docx:header, paragraph 1: ERROR: the template uses '{{ plan.referense }}', but 'referense' does not exist "
            "(available: budget, co_leads, date, languages, lead, lead_label, origin, participants, partner_organisations, recipients, reference, subject, title) [template.undefined]",
        ),
        (
            "pao.docx", "{{ l.contents }}", "{% if l.contents %}{{ l.contents }}", "word/document.xml",
            "templates/clasi/pao.docx:paragraph 3: ERROR: template syntax error: Unexpected end of template. Jinja was looking for the following "
            "tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if', "
            'near "{% if l.contents %}{{ l.contents }}" [template.syntax]',
        ),
        (
            "pao.docx", "{{ plan.reference }}", "{{ plan.reference|shout }}", "word/header1.xml",
            "templates/clasi/pao.docx:header, paragraph 1: ERROR: template syntax error: No filter named 'shout', near \"{{ plan.reference|shout }}\" [template.syntax]",
        ),
        (
            "ficha.docx", "{{ kpi.target }}", "{% for c in ao.reference %}{{ c }}{% endfor %}", "word/document.xml",
            "templates/clasi/ficha.docx:table 2, row 3, cell 3, paragraph 1: ERROR: '{% for … in ao.reference %}' loops over 'ao.reference', "
            "which is a text, not a list, near \"{% for c in ao.reference %}{{ c }}{% endfor %}\" [template.not-a-list]",
        ),
        (
            "pao.docx", "{{ plan.subject }}", "{{ plan." + PARAGRAPH_BREAK + "subject }}", "word/document.xml",
            "templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1: ERROR: the tag '{{ plan.' starts in this paragraph and ends in the next one "
            "('subject }}'): Word split it; type it again within one paragraph [template.split-tag]",
        ),
        (
            "anexo.docx", 'w:val="Footnote Text"', 'w:val="Nota al pie"', "word/styles.xml",
            "templates/clasi/anexo.docx: ERROR: the template lacks the style(s) 'Footnote Text': add them in Word (Styles pane) [template.missing-style]",
        ),
        (
            "ficha.docx", "{{ kpi.target }}", "{% for c in ao %}{{ c }}{% endfor %}", "word/document.xml",
            "templates/clasi/ficha.docx:table 2, row 3, cell 3, paragraph 1: ERROR: '{% for … in ao %}' loops over 'ao', "
            "which is a group of values, not a list, near \"{% for c in ao %}{{ c }}{% endfor %}\" [template.not-a-list]",
        ),
    ],
    ids=["attribute", "name", "in-a-loop", "in-the-header", "if-never-ended", "filter", "loop-over-text", "split-across-paragraphs", "style", "loop-over-a-group"],
)
def test_each_mistake_is_reported_at_its_place(project, template, old, new, part, message):
    _type_into(project.path(f"templates/clasi/{template}"), old, new, part)
    assert _check(project) == (1, [message, "1 error"])


def test_every_mistake_of_every_template_is_reported_at_once(project):
    _type_into(project.path("templates/clasi/pao.docx"), "{{ plan.subject }}", "{{ plan.subjet }}")
    _type_into(project.path("templates/clasi/ficha.docx"), "{{ objective.heading }}", "{{ objective.headin }}")
    _type_into(project.path("templates/clasi/ficha.docx"), "{{ plan.period }}", "{{ plan.periodo }}")
    code, lines = _check(project)
    assert code == 1
    assert lines[-1] == "3 errors"
    assert [line.split(": ERROR")[0] for line in lines[:-1]] == [
        "templates/clasi/ficha.docx:paragraph 2",
        "templates/clasi/ficha.docx:paragraph 3",
        "templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1",
    ]


def test_a_tag_split_across_runs_is_read_whole(project):
    """Word splits a tag into runs when part of it is formatted apart: docxtpl joins them, so it is no mistake."""
    _type_into(project.path("templates/clasi/pao.docx"), "{{ plan.subject }}", "{{ plan." + RUN_BREAK + "subject }}")
    assert _check(project) == (0, ["6 template(s) checked (clasi, el-paccto): no errors"])
    _type_into(project.path("templates/clasi/pao.docx"), "{{ plan." + RUN_BREAK + "subject }}", "{{ plan." + RUN_BREAK + "subjet }}")
    code, lines = _check(project)
    assert code == 1
    assert lines[0].startswith("templates/clasi/pao.docx:table 1, row 4, cell 2, paragraph 1: ERROR: the template uses '{{ plan.subjet }}'")


def test_the_build_checks_the_templates_before_writing_anything(project):
    """A mistake in a branch the shipped plan never takes stops the build too: the check reads every tag."""
    _type_into(project.path("templates/clasi/ficha.docx"), "{{ kpi.target }}", "{% if false %}{{ kpi.targe }}{% endif %}")
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("templates/clasi/ficha.docx:table 2, row 3, cell 3, paragraph 1: ERROR: the template uses '{{ kpi.targe }}'")
    assert not project.path("build").exists()


def test_the_folder_given_is_checked(project):
    folder = project.path("elsewhere/mine")
    folder.mkdir(parents=True)
    for name in ("pao.docx", "ficha.docx"):
        (folder / name).write_bytes(project.path(f"templates/clasi/{name}").read_bytes())
    result = project.pao("templates", "check", "--templates", "elsewhere")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "elsewhere/mine/anexo.docx: ERROR: template not found [template.missing]"


def test_a_template_no_document_of_the_plans_uses_is_still_read(project):
    """Without progress reports no annex is made, and nothing says what one would receive: its tags are still read."""
    shutil.rmtree(project.path("source/cocaina-2022/progress"))
    _type_into(project.path("templates/clasi/anexo.docx"), "{{ overdue_count }}", "{{ overdue_count }")
    code, lines = _check(project)
    assert code == 1
    assert lines[0].endswith("ERROR: '{{ overdue_count }' is not closed: end it with '}}' [template.syntax]")
    assert lines[0].startswith("templates/clasi/anexo.docx:paragraph ")


def test_a_folder_without_layouts_is_said_to_have_none(project):
    project.path("empty").mkdir()
    result = project.pao("templates", "check", "--templates", "empty")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "empty: ERROR: no layout here: a layout is a folder holding the Word templates (pao.docx, ficha.docx, anexo.docx) [template.no-layout]"
    )


def test_a_template_that_opened_before_is_still_checked_against_what_it_receives(project):
    """A template whose bytes opened in an earlier build is not parsed again for well-formed XML, but the check of
    its tags against the variables, when those changed since, still reads its parts."""
    from generator import pipeline
    from generator.diagnostics import SourceError
    from generator.documents import kinds

    template = project.path("templates/clasi/pao.docx")
    _type_into(template, "{{ plan.subject }}", "{{ plan.subjet }}")
    passed = {pipeline._opens(hashlib.sha256(template.read_bytes()).hexdigest())}
    editions = pipeline.localize(pipeline.load(project.path("source")), pipeline.Selection(languages=("es",)))
    documents = [document for edition in editions for document in kinds.documents(edition, ("pao",))]
    with pytest.raises(SourceError) as raised:
        pipeline.check_templates(documents, project.path("templates"), passed=passed)
    assert [d.message for d in raised.value.diagnostics][0].startswith("the template uses '{{ plan.subjet }}', but 'subjet' does not exist")
