"""Fact sheets: one per operational action, holding that action and nothing of another."""
from __future__ import annotations

import io
import json

import docx
import pytest
from pypdf import PdfReader

from generator.documents.kinds import safe_name
from tests.conftest import PLAN_ID
from tests.documents.test_reference_plan import ACTIONS
from tests.docx_reader import body_paragraphs, footnotes, normalise, tables

SHEET = PLAN_ID + "/es/ficha-" + PLAN_ID + "-{id}-es.docx"
IDS = {reference: reference.replace(" ", "-") for reference in ACTIONS}  # "AO 1.1" → "AO-1.1"


def sheet(built, reference: str) -> bytes:
    return (built / SHEET.format(id=IDS[reference])).read_bytes()


@pytest.mark.parametrize("reference", list(ACTIONS))
def test_each_sheet_holds_exactly_its_action_in_order(built, reference):
    lead, co_leads, participants, summary, kpis, activities = ACTIONS[reference]
    data = sheet(built, reference)
    paragraphs = body_paragraphs(data)
    assert paragraphs[0] == f"Ficha de acción operativa: {reference}"
    assert paragraphs[1] == "Plan de acción operativo 2022-2024 · Nº 06/2022/TID · Periodo 2022–2023"
    who, kpi_table, activity_table = tables(data)[:3]
    assert who == [
        ["Referencia", reference],
        ["País líder", lead],
        ["País(es) colíder(es)", co_leads],
        ["Países participantes", participants],
        ["Organismos participantes", ""],
    ]
    summary_paragraphs = paragraphs[paragraphs.index("Resumen de los objetivos de la acción operativa") + 1 : paragraphs.index("Indicadores principales de rendimiento")]
    assert [p[: len(start)] for p, start in zip(summary_paragraphs, summary)] == summary
    assert len(summary_paragraphs) == len(summary)
    assert [[normalise(cell) for cell in row] for row in kpi_table[1:]] == [
        [f"{'abcde'[n]})", text, target.removesuffix(".")] for n, (text, target) in enumerate(kpis)
    ]
    assert activity_table[1:] == [[f"{n}.", text.replace("[^17]", "[^2]"), calendar] for n, (text, calendar) in enumerate(activities, start=1)]


@pytest.mark.parametrize("reference", list(ACTIONS))
def test_a_sheet_holds_nothing_of_another_action(built, reference):
    everything = " ".join(body_paragraphs(sheet(built, reference)))
    for other, (_, _, _, summary, _, activities) in ACTIONS.items():
        if other == reference:
            continue
        assert other not in everything
        for start in summary:
            assert start not in everything
        for text, _ in activities:
            assert text.replace("[^17]", "") not in everything.replace("[^2]", "")


def test_the_sheet_of_ao_3_1_has_its_two_footnotes_numbered_from_1(built):
    notes = footnotes(sheet(built, "AO 3.1"))
    assert sorted(notes) == [1, 2]
    assert notes[1].startswith("European Monitoring Centre for Drugs and Drug Addiction and Europol (2017)")
    assert notes[2].startswith("Sería recomendable que incluya, entre otros")
    for other in ("AO 1.1", "AO 2.1", "AO 4.1", "AO 5.1"):
        assert footnotes(sheet(built, other)) == {}


def test_empty_lead_and_co_leads_render_empty_not_none(built):
    data = sheet(built, "AO 1.1")
    assert "None" not in " ".join(body_paragraphs(data))
    assert tables(data)[0][1] == ["País líder", ""]


def test_organisations_are_listed_apart_from_countries_with_their_names(project):
    project.edit("source/cocaina-2022/plan.yaml", "participants: [CL, DO]", "participants: [CL, europol, DO, wco]")
    assert project.pao("build", "--format", "docx", "--only", "AO-2.1", "-q").exit_code == 0
    data = project.path("build/" + SHEET.format(id="AO-2.1")).read_bytes()
    who = tables(data)[0]
    assert who[3] == ["Países participantes", "Chile, República Dominicana"]
    assert who[4] == ["Organismos participantes", "Europol, Organización Mundial de Aduanas"]


def test_the_sheet_properties_name_the_action(built):
    properties = docx.Document(io.BytesIO(sheet(built, "AO 2.1"))).core_properties
    assert properties.title == "Ficha de acción operativa: AO 2.1"
    assert properties.subject == "Plan de acción operativo 2022-2024"
    assert properties.language == "es-ES"


def test_the_manifest_lists_each_sheet_with_its_action(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    sheets = [e for e in manifest["outputs"] if e["kind"] == "sheet" and e["format"] == "docx" and e["language"] == "es"]
    assert [(e["path"], e["action"]) for e in sheets] == [(SHEET.format(id=IDS[r]), IDS[r]) for r in ACTIONS]


def test_only_builds_the_named_sheet(project):
    result = project.pao("build", "--format", "docx", "--only", "AO-2.1", "--lang", "es")
    assert result.exit_code == 0, result.output
    produced = sorted(str(p.relative_to(project.path("build"))) for p in project.path("build").rglob("*.docx"))
    assert produced == [SHEET.format(id="AO-2.1")]
    result = project.pao("build", "--format", "docx", "--only", "AO-9.9")
    assert result.exit_code == 2
    assert "--only AO-9.9: not a kind of document (pao, sheet, annex), an operational action (AO-1.1, AO-2.1" in result.output


@pytest.mark.parametrize(
    "identifier, name",
    [("AO-2.1", "AO-2.1"), ("../../etc/passwd", "_etc_passwd"), ("a/b\\c:d", "a_b_c_d"), ("..", "_"), ("AO 1.1", "AO_1.1")],
)
def test_file_names_are_safe_whatever_the_id_contains(identifier, name):
    assert safe_name(identifier) == name


def test_each_sheet_is_one_or_two_pages_in_pdf(built_pdf):
    for reference in ACTIONS:
        pdf_path = built_pdf / SHEET.format(id=IDS[reference]).replace(".docx", ".pdf")
        assert 1 <= len(PdfReader(pdf_path).pages) <= 2, reference


def test_a_plan_folder_with_spaces_gives_safe_file_names(project):
    import shutil

    shutil.move(project.plan, project.path("source/plan de prueba"))
    result = project.pao("build", "--format", "docx", "--only", "pao", "--lang", "es", "-q")
    assert result.exit_code == 0, result.output
    assert project.path("build/plan_de_prueba/es/pao-plan_de_prueba-es.docx").is_file()
