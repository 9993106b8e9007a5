"""Progress: computed by hand from the sample reports, and shown in the annexes and sheets.

The sample data (source/cocaina-2022/progress/) is illustrative. Windows, from
the activities' calendars: AO-1.1 2022-S2..2023-S2 (3 semesters), AO-2.1
2022-S1..2023-S2 (4: one activity runs through 2022 and 2023), AO-4.1
2023-S1..2023-S2 (2).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.documents import charts
from generator.model.period import Period
from generator.model.progress import as_of, window
from generator.sources.load import load_sources
from generator.translation.words import Words
from tests.conftest import PLAN_ID, ROOT
from tests.docx_reader import attribute, body_paragraphs, child, document_body, part, tables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ANNEX = PLAN_ID + "/es/anexo-" + PLAN_ID + "-{period}-es.docx"


@pytest.fixture(scope="module")
def plan():
    sources = load_sources(ROOT / "source", Diagnostics())
    assert sources is not None, "the shipped sources do not load"
    return sources.plans[0]


def kpi(state, action_id, kpi_id):
    action = next(a for a in state.actions if a.action.id == action_id)
    return next(k for k in action.kpis if k.kpi.id == kpi_id)


def activity(state, action_id, activity_id):
    action = next(a for a in state.actions if a.action.id == action_id)
    return next(a for a in action.activities if a.activity.id == activity_id)


def test_the_windows_come_from_the_activities_calendars(plan):
    assert [f"{w.first_semester}..{w.last_semester}" for w in (window(plan, plan.action(a)) for a in ("AO-1.1", "AO-2.1", "AO-4.1"))] == [
        "2022-S2..2023-S2",
        "2022-S1..2023-S2",
        "2023-S1..2023-S2",
    ]


@pytest.mark.parametrize(
    "period, action_id, kpi_id, this_period, cumulative, attainment, status",
    [
        # 1 of at least 2 meetings; 1 semester of 3 elapsed: due (1-1)/3 = 0 % → on track
        ("2022-S2", "AO-1.1", "intelligence-meetings", 1, 1, 50.0, "on_track"),
        # 1 + 1 = 2 of 2 → achieved
        ("2023-S1", "AO-1.1", "intelligence-meetings", 1, 2, 100.0, "achieved"),
        # 2 + 1 = 3 of 5 = 60 %; 2 of 3 semesters elapsed: due (2-1)/3 = 33.3 % → on track
        ("2023-S1", "AO-1.1", "intelligence-exchanges", 1, 3, 60.0, "on_track"),
        # nothing yet, window not ended → not started
        ("2023-S1", "AO-1.1", "joint-intelligence-products", 0, 0, 0.0, "not_started"),
        # 1 + 0 = 1 of 2 = 50 %; 3 of 4 semesters elapsed: due (3-1)/4 = 50 % → on track
        ("2023-S1", "AO-2.1", "coordination-meetings", 0, 1, 50.0, "on_track"),
        # exactly 2 targets: 1 + 1 → achieved
        ("2023-S1", "AO-2.1", "high-value-targets", 1, 2, 100.0, "achieved"),
        # 750,000 of 2,000,000 USD = 37.5 % < 50 % due → at risk
        ("2023-S1", "AO-2.1", "seized-assets", 750000, 750000, 37.5, "at_risk"),
        # not reported at all this period
        ("2023-S1", "AO-2.1", "successful-operations", None, 0, 0.0, "not_started"),
        # 1 of at least 3 = 33.3 %; 1 of 2 semesters elapsed: due 0 % → on track
        ("2023-S1", "AO-4.1", "coordination-meetings", 1, 1, 100 / 3, "on_track"),
        # a yes/no KPI reported false
        ("2023-S1", "AO-5.1", "network-created", False, False, 0.0, "not_started"),
    ],
)
def test_kpi_values_attainment_and_status_as_computed_by_hand(plan, period, action_id, kpi_id, this_period, cumulative, attainment, status):
    state = kpi(as_of(plan, Period.parse(period)), action_id, kpi_id)
    assert (state.this_period, state.cumulative, state.status) == (this_period, cumulative, status)
    assert state.attainment == pytest.approx(attainment)


def test_a_kpi_is_at_risk_when_its_window_has_ended_without_reaching_the_target(plan):
    # AO-2.1's activities end in 2023-S2: a report for 2023-S2 with the same figures
    from generator.model.progress import _kpi

    action = plan.action("AO-2.1")
    reports = list(plan.reports)
    state = _kpi(action, action.kpis[0], reports, None, before=18, length=24, ended=True)
    assert (state.attainment, state.status) == (50.0, "at_risk")


def test_an_activity_due_in_2022_s2_still_in_progress_in_2023_s1_is_overdue_then_not_before(plan):
    before = activity(as_of(plan, Period.parse("2022-S2")), "AO-2.1", "working-group-webinars")
    after = activity(as_of(plan, Period.parse("2023-S1")), "AO-2.1", "working-group-webinars")
    assert (before.status, before.overdue) == ("in_progress", False)
    assert (after.status, after.overdue) == ("in_progress", True)
    # completed activities are never overdue; an activity running through 2023 is not yet
    assert activity(as_of(plan, Period.parse("2023-S1")), "AO-2.1", "working-group-launch").overdue is False
    assert activity(as_of(plan, Period.parse("2023-S1")), "AO-2.1", "operational-support").overdue is False


def test_an_activity_keeps_its_last_reported_status(plan):
    # air-meeting was completed in 2022-S2 and not mentioned in 2023-S1
    state = activity(as_of(plan, Period.parse("2023-S1")), "AO-1.1", "air-meeting")
    assert (state.status, str(state.date)) == ("completed", "2022-11-22")


def test_summaries_per_action_objective_and_plan(plan):
    state = as_of(plan, Period.parse("2023-S1"))
    by_action = {a.action.id: a.summary for a in state.actions}
    assert (by_action["AO-2.1"].kpis_achieved, by_action["AO-2.1"].kpis_total) == (1, 5)
    assert (by_action["AO-2.1"].activities_completed, by_action["AO-2.1"].activities_overdue, by_action["AO-2.1"].status) == (1, 2, "at_risk")
    assert by_action["AO-1.1"].status == "on_track"
    assert by_action["AO-3.1"].status == "not_started"
    assert [o.summary.status for o in state.objectives] == ["on_track", "at_risk", "not_started", "on_track", "not_started"]
    total = state.summary
    assert (total.kpis_achieved, total.kpis_total, total.activities_completed, total.activities_total, total.activities_overdue, total.status) == (
        2, 19, 5, 21, 2, "at_risk",
    )
    assert [(a.action.id, x.activity.id) for a, x in state.overdue] == [
        ("AO-2.1", "working-group-webinars"),
        ("AO-2.1", "joint-operational-plans"),
    ]


def annex(built, period: str) -> bytes:
    return (built / ANNEX.format(period=period)).read_bytes()


def test_the_annex_cover_marks_the_sample_data(built):
    paragraphs = body_paragraphs(annex(built, "2023-S1"))
    assert paragraphs[0] == "Anexo de seguimiento S1/2023"
    assert paragraphs[1] == "DATOS ILUSTRATIVOS: Este anexo presenta datos de ejemplo: no son los datos reales de seguimiento del plan."
    assert tables(annex(built, "2023-S1"))[0] == [
        ["Plan", "Plan de acción operativo 2022-2024"],
        ["Referencia", "Nº 06/2022/TID"],
        ["Periodo cubierto", "S1/2023"],
        ["Fecha del informe", "31/07/2023"],
    ]


def test_the_annex_summary_table_holds_the_computed_numbers_with_a_status_word_and_colour(built):
    data = annex(built, "2023-S1")
    assert tables(data)[1] == [
        ["Acción operativa", "KPI logrados", "Actividades completadas", "Retrasadas", "Estado"],
        ["AO 1.1", "1/3", "2/4", "0", "● En buen camino"],
        ["AO 2.1", "1/5", "1/4", "2", "▲ En riesgo"],
        ["AO 3.1", "0/5", "0/5", "0", "○ No iniciado"],
        ["AO 4.1", "0/3", "2/4", "0", "● En buen camino"],
        ["AO 5.1", "0/3", "0/4", "0", "○ No iniciado"],
        ["Total", "2/19", "5/21", "2", "▲ En riesgo"],
    ]
    summary = document_body(data).findall(f"{W}tbl")[1]
    fills = [child(row.findall(f"{W}tc")[4], f"{W}tcPr/{W}shd").get(f"{W}fill") for row in summary.findall(f"{W}tr")[1:]]
    assert fills == ["DDEBF7", "F8CBAD", "EDEDED", "DDEBF7", "EDEDED", "F8CBAD"]


def test_the_annex_details_each_kpi_and_activity_of_an_action(built):
    all_tables = tables(annex(built, "2023-S1"))
    kpis = next(t for t in all_tables if t[0][0] == "" and len(t[0]) == 7 and "Cantidad de bienes incautados" in " ".join(t[-1]))
    assert [cell.replace("\u00a0", " ") for cell in kpis[-1]] == [
        "e)",
        "Cantidad de bienes incautados por la Fuerza Tarea regional.",
        "Al menos 2 M USD incautados por operación",
        "750.000 USD",
        "750.000 USD",
        "37,5 %",
        "▲ En riesgo",
    ]
    assert kpis[4][3] == "—"  # d) not reported this period
    paragraphs = body_paragraphs(annex(built, "2023-S1"))
    assert "e) Incautación en una operación coordinada por Ecuador." in paragraphs


def test_the_annex_lists_the_overdue_activities(built):
    overdue = tables(annex(built, "2023-S1"))[-1]
    assert overdue == [
        ["Acción operativa", "", "Actividad", "Calendario", "Estado", "Retraso"],
        ["AO 2.1", "2.", "Webinars de trabajo de la Grupo de Trabajo", "S2/2022", "En curso", "Retrasada"],
        ["AO 2.1", "3.", "Desarrollo de planes operacionales conjuntos.", "S2/2022", "Aplazada", "Retrasada"],
    ]
    assert "Ninguna actividad está retrasada." in body_paragraphs(annex(built, "2022-S2"))


def test_the_charts_are_in_the_annex_with_alt_text(built):
    data = annex(built, "2023-S1")
    document = part(data, "word/document.xml")
    described = [attribute(d, "descr").replace("\u00a0", " ") for d in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert described == [
        "Gráfico de barras del logro medio de los KPI por acción operativa: AO 1.1 53,3 %; AO 2.1 37,5 %; AO 3.1 0 %; AO 4.1 27,8 %; AO 5.1 0 %.",
        "Gráfico de barras apiladas del número de actividades por estado y acción operativa: AO 1.1 (completada: 2, en curso: 2); "
        "AO 2.1 (completada: 1, en curso: 2, aplazada: 1); AO 3.1 (no iniciada: 5); AO 4.1 (completada: 2, en curso: 1, no iniciada: 1); "
        "AO 5.1 (no iniciada: 4).",
    ]
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        images = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        assert images == ["word/media/pao-chart-1.png", "word/media/pao-chart-2.png"]
        assert all(archive.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in images)


def test_the_same_data_gives_the_same_chart_bytes(plan):
    state = as_of(plan, Period.parse("2023-S1"))
    words = Words("es", {})
    assert charts.Charts().kpi_attainment(state, words).png() == charts.Charts().kpi_attainment(state, words).png()
    assert charts.Charts().activities_by_status(state, words).png() == charts.Charts().activities_by_status(state, words).png()
    earlier = charts.Charts().kpi_attainment(as_of(plan, Period.parse("2022-S2")), words)
    assert charts.Charts().kpi_attainment(state, words).png() != earlier.png()


def test_the_manifest_lists_each_annex_with_its_period(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    annexes = [(e["path"], e["period"]) for e in manifest["outputs"] if e["kind"] == "annex" and e["format"] == "docx" and e["language"] == "es"]
    assert annexes == [(ANNEX.format(period=p), p) for p in ("2022-S2", "2023-S1")]


def test_a_fact_sheet_shows_the_latest_status_and_leaves_it_out_without_progress_data(built, project):
    sheet = (built / f"{PLAN_ID}/es/ficha-{PLAN_ID}-AO-2.1-es.docx").read_bytes()
    assert "Situación a S1/2023 (DATOS ILUSTRATIVOS)" in body_paragraphs(sheet)
    status = tables(sheet)[3]
    assert status[0] == ["", "Indicador", "Objetivo", "Acumulado", "Logro", "Estado"]
    assert [row[-1] for row in status[1:]] == ["● En buen camino", "✔ Logrado", "○ No iniciado", "○ No iniciado", "▲ En riesgo"]
    assert [row[-2:] for row in tables(sheet)[4][1:]] == [["Completada", ""], ["En curso", "Retrasada"], ["Aplazada", "Retrasada"], ["En curso", ""]]

    shutil.rmtree(project.plan / "progress")
    assert project.pao("build", "--format", "docx", "--only", "AO-2.1", "--lang", "es", "-q").exit_code == 0
    without = project.path(f"build/{PLAN_ID}/es/ficha-{PLAN_ID}-AO-2.1-es.docx").read_bytes()
    assert not [p for p in body_paragraphs(without) if p.startswith("Situación a")]
    assert len(tables(without)) == 3
    assert not list(Path(project.path("build")).rglob("anexo-*"))
