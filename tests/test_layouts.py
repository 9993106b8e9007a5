"""Layouts: the same plan made in another folder of templates (templates/<layout>/) gives the same words in another look.

A plan chooses its layout in plan.yaml (``layout:``, default clasi); ``pao build --layout`` previews another.
The shipped second layout, el-paccto, differs in everything a reader sees (fonts, colours, a title band, a logo
in the header, fact sheets in landscape) and in nothing a reader reads.
"""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PAO, PLAN_ID, ROOT, Project
from tests.docx_reader import W, attribute, body_paragraphs, child, document_body, footnotes, has_part, part, text_of

PLAN = f"source/{PLAN_ID}/plan.yaml"
LANGUAGES = ("es", "en", "pt")
SECOND = "precursores-2023"
SHEET = f"{PLAN_ID}/es/ficha-{PLAN_ID}-AO-1.1-es.docx"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _choose(project: Project, layout: str) -> None:
    project.edit(PLAN, "reference: Nº 06/2022/TID\n", f"reference: Nº 06/2022/TID\nlayout: {layout}\n")


@pytest.fixture(scope="module")
def el_paccto(tmp_path_factory) -> Path:
    """The build folder of the shipped plan made in el-paccto, chosen in its plan.yaml (Word documents)."""
    project = Project(tmp_path_factory.mktemp("el-paccto"))
    _choose(project, "el-paccto")
    result = project.pao("build", "-q", "--format", "docx")
    assert result.exit_code == 0, result.output
    return project.folder / "build"


def _in_el_paccto(path: str) -> str:
    plan, rest = path.split("/", 1)
    return f"{plan}/el-paccto/{rest}"


def _words(data: bytes) -> list[str]:
    """What a reader reads: every non-empty paragraph, in order (a title in a band of colour reads as a title)."""
    return [text for text in body_paragraphs(data, fields=False) if text.strip()]


def test_the_manifest_records_each_documents_layout_and_the_default_layouts_paths_are_as_before(built, el_paccto):
    clasi = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert {entry["layout"] for entry in clasi} == {"clasi"}
    assert PAO in {entry["path"] for entry in clasi}
    other = json.loads((el_paccto / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    assert {entry["layout"] for entry in other} == {"el-paccto"}
    # the .docx (the shared build folders have PDFs too once a PDF test has made them)
    other_docx = sorted(entry["path"] for entry in other if entry["format"] == "docx")
    assert other_docx == sorted(_in_el_paccto(entry["path"]) for entry in clasi if entry["format"] == "docx")
    assert sorted(p.relative_to(el_paccto).as_posix() for p in el_paccto.rglob("*.docx")) == other_docx


def test_the_second_layouts_documents_are_the_same_bytes_on_every_machine(el_paccto):
    from tests.golden import GOLDEN, SHA256_SECOND_LAYOUT, digests

    assert digests(el_paccto, "el-paccto") == json.loads((GOLDEN / SHA256_SECOND_LAYOUT).read_text(encoding="utf-8"))


def test_both_layouts_make_every_document_in_every_language_with_the_same_words_and_footnotes(built, el_paccto):
    documents = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.docx"))
    assert len(documents) == 24 and {path.split("/")[1] for path in documents} == set(LANGUAGES)
    for path in documents:
        clasi, other = (built / path).read_bytes(), (el_paccto / _in_el_paccto(path)).read_bytes()
        assert _words(other) == _words(clasi), path
        if has_part(clasi, "word/footnotes.xml"):
            assert footnotes(other) == footnotes(clasi), path


def _page(data: bytes) -> tuple[int, int, str | None]:
    size = document_body(data).find(f"{_w('sectPr')}/{_w('pgSz')}")
    assert size is not None
    return int(size.get(_w("w"), 0)), int(size.get(_w("h"), 0)), size.get(_w("orient"))


def test_el_paccto_puts_fact_sheets_on_landscape_pages_and_the_rest_on_portrait_ones(built, el_paccto):
    for path in (SHEET, PAO):
        width, height, orientation = _page((el_paccto / _in_el_paccto(path)).read_bytes())
        landscape = "/ficha-" in path
        assert (width > height, orientation == "landscape") == (landscape, landscape), path
        width, height, _ = _page((built / path).read_bytes())
        assert width < height, path


def _header_images(data: bytes) -> list[str]:
    """The images every header of the document shows (their part names)."""
    relationships = part(data, "word/_rels/header1.xml.rels")
    return [r.get("Target", "") for r in relationships if r.get("Type", "").endswith("/image")]


def test_el_paccto_shows_its_logo_in_the_header_of_every_document(built, el_paccto):
    logo = (ROOT / "templates" / "el-paccto" / "logo.png").read_bytes()
    for path in (PAO, SHEET, f"{PLAN_ID}/pt/anexo-{PLAN_ID}-2023-S1-pt.docx"):
        data = (el_paccto / _in_el_paccto(path)).read_bytes()
        images = _header_images(data)
        assert len(images) == 1, path
        assert _read(data, "word/" + images[0]) == logo
        header = part(data, "word/header1.xml")
        assert header.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip") is not None
        assert not has_part((built / path).read_bytes(), "word/_rels/header1.xml.rels") or not _header_images((built / path).read_bytes())


def _read(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _style(data: bytes, style_id: str) -> tuple[str | None, str | None]:
    """The font and colour of a style of the document."""
    style = next(s for s in part(data, "word/styles.xml").iter(_w("style")) if s.get(_w("styleId")) == style_id)
    fonts, colour = style.find(f"{_w('rPr')}/{_w('rFonts')}"), style.find(f"{_w('rPr')}/{_w('color')}")
    return (fonts.get(_w("ascii")) if fonts is not None else None, colour.get(_w("val")) if colour is not None else None)


def test_the_layouts_differ_in_fonts_colours_and_title(built, el_paccto):
    clasi, other = (built / PAO).read_bytes(), (el_paccto / _in_el_paccto(PAO)).read_bytes()
    assert (_style(clasi, "Normal")[0], _style(other, "Normal")[0]) == ("Arial", "Liberation Serif")
    assert (_style(clasi, "Heading1"), _style(other, "Heading1")) == (("Arial", "1F3A68"), ("DejaVu Sans", "005F5A"))
    # the title: a centred paragraph in clasi, a cell shaded in the layout's colour in el-paccto
    first = document_body(other)[0]
    assert first.tag == _w("tbl")
    assert attribute(child(first, f".//{_w('shd')}"), _w("fill")) == "005F5A"
    assert re.sub(r"\s+", " ", text_of(first)) == "Plan de acción operativo 2022-2024"
    assert document_body(clasi)[0].tag == _w("p")


# ---------------------------------------------------------------- choosing a layout, and mistakes


def test_a_layout_that_does_not_exist_is_an_error_at_plan_yaml_naming_those_that_do(project):
    _choose(project, "el-pacto")
    line = project.line_of(PLAN, "layout: el-pacto")
    for command in (("build", "--format", "docx"), ("validate",)):
        result = project.pao(*command)
        assert "Traceback" not in result.output
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0] == (
            f"source/{PLAN_ID}/plan.yaml:{line}:9: ERROR: layout: 'el-pacto' is not a layout: the layouts are clasi, el-paccto "
            "(folders of templates holding the Word templates); write one of them, or make the folder templates/el-pacto [plan.unknown-layout]"
        )
    assert not project.path("build").exists()


def test_a_layout_name_that_is_not_a_folder_name_is_refused_by_the_source_format(project):
    _choose(project, "../clasi")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"source/{PLAN_ID}/plan.yaml:{project.line_of(PLAN, 'layout:')}:9: ERROR: layout:")


def test_an_unknown_layout_on_the_command_line_is_named_with_those_that_exist(project):
    result = project.pao("build", "--layout", "EL-PACCTO", "--format", "docx")
    assert (result.exit_code, result.stderr) == (2, "Error: no layout named 'EL-PACCTO' in templates (the layouts are clasi, el-paccto)\n")
    assert not project.path("build").exists()


def test_a_preview_in_another_layout_keeps_the_documents_of_the_plans_own_until_a_build_without_it(project):
    build = ("build", "--format", "docx", "--lang", "es", "--only", "pao")
    assert project.pao(*build).exit_code == 0
    preview = project.pao(*build, "--layout", "el-paccto")
    assert preview.exit_code == 0, preview.output
    assert preview.stdout.splitlines()[0] == f"build/{_in_el_paccto(PAO)}  rebuilt: new"
    assert project.path(f"build/{PAO}").is_file() and project.path(f"build/{_in_el_paccto(PAO)}").is_file()
    again = project.pao(*build, "--layout", "el-paccto")
    assert again.stdout.splitlines()[0] == f"build/{_in_el_paccto(PAO)}  up to date"
    manifest = json.loads(project.path("build/manifest.json").read_text(encoding="utf-8"))
    assert sorted((entry["path"], entry["layout"]) for entry in manifest["outputs"]) == sorted([(PAO, "clasi"), (_in_el_paccto(PAO), "el-paccto")])
    back = project.pao(*build)
    assert back.stdout.splitlines() == [
        f"build/{PAO}  up to date",
        f"build/{_in_el_paccto(PAO)}  removed: the sources no longer make it",
        "1 up to date, 0 rebuilt, 1 removed",
    ]
    assert not project.path(f"build/{PLAN_ID}/el-paccto").exists()


def test_changing_a_template_of_one_layout_rebuilds_only_the_documents_made_with_it(project):
    shutil.copytree(ROOT / "tests" / "fixtures" / "plans" / SECOND, project.path(f"source/{SECOND}"))
    project.edit(f"source/{SECOND}/plan.yaml", "reference: Nº 03/2023-TPM\n", "reference: Nº 03/2023-TPM\nlayout: el-paccto\n")
    first = project.pao("build", "--format", "docx", "--lang", "es")
    assert first.exit_code == 0, first.output
    template = project.path("templates/el-paccto/ficha.docx")
    with zipfile.ZipFile(io.BytesIO(template.read_bytes())) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"{{ l.sheet_title }}", b"{{ l.sheet_title }} ", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    template.write_bytes(buffer.getvalue())
    second = project.pao("build", "--format", "docx", "--lang", "es")
    assert second.exit_code == 0, second.output
    rebuilt = sorted(line.split("  ")[0] for line in second.stdout.splitlines() if "  rebuilt" in line)
    assert rebuilt == [f"build/{SECOND}/el-paccto/es/ficha-{SECOND}-AO-{n}-es.docx" for n in ("1.1", "1.2", "2.1")]
    assert f"build/{SHEET}  up to date" in second.stdout.splitlines()


def test_templates_left_at_the_top_of_the_folder_by_an_older_project_are_told_where_to_go(project):
    for path in sorted(project.path("templates/clasi").iterdir()):
        path.rename(project.path("templates") / path.name)
    project.path("templates/clasi").rmdir()
    result = project.pao("build", "--format", "docx", "--plan", PLAN_ID)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "ERROR: layout: 'clasi' is not a layout: the layouts are el-paccto (folders of templates holding the Word templates); "
        "write one of them, or make the folder templates/clasi (move the templates at its top into templates/clasi) [plan.unknown-layout]"
    )
    assert result.stderr.startswith(f"source/{PLAN_ID}/plan.yaml:")
