"""A second plan, shaped unlike the shipped one (issue 16): a Portuguese original with a Spanish translation,
Brazil as lead, several actions per objective, organisations as participants, level KPIs, a reduction, a range,
a target still to be determined and an amount in reais (tests/fixtures/plans/)."""
from __future__ import annotations

import shutil

import pytest

from generator.diagnostics import Diagnostics
from generator.model.period import Period
from generator.model.progress import as_of
from generator.ooxml.reader import docx_text
from generator.sources.load import load_sources
from tests.conftest import second_plan
from tests.docx_reader import footnotes, tables

PLAN = "source/armas-2024/plan.yaml"
S2 = "source/armas-2024/progress/2024-S2.yaml"


def kpi_rows(data: bytes, reference: str) -> list[list[str]]:
    """The KPI rows of an action's detail in an annex (the table after its heading)."""
    text = docx_text(data)
    section = text[text.index(f"### {reference} "):]
    lines = section.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("|  | "))
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("| "):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_the_second_plan_validates_strictly(armas):
    result = armas.pao("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert "1 plan(s), 3 operational action(s): no errors" in result.output


@pytest.mark.parametrize("language", ["pt", "es"])
def test_the_second_plan_builds_every_document_in_each_of_its_languages(armas_built, language):
    names = sorted(p.name for p in (armas_built / language).glob("*.docx"))
    assert names == [
        f"anexo-armas-2024-2024-S1-{language}.docx",
        f"anexo-armas-2024-2024-S2-{language}.docx",
        f"ficha-armas-2024-AO-1.1-{language}.docx",
        f"ficha-armas-2024-AO-1.2-{language}.docx",
        f"ficha-armas-2024-AO-2.1-{language}.docx",
        f"pao-armas-2024-{language}.docx",
    ]


@pytest.mark.parametrize(
    "language, leads, countries, organisations, languages, targets",
    [
        ("pt", ["Países líderes", "Brasil e Paraguai"], ["Países participantes", "Argentina, Uruguai."],
         ["Organizações parceiras", "Ameripol, Escritório das Nações Unidas sobre Drogas e Crime."], "Português e espanhol.",
         ["a.1) Meta. Pelo menos 80% das armas apreendidas.", "b.1) Meta. No máximo 48 h por pedido.",
          "a.1) Meta. Pelo menos R$\u00a012,5\u00a0mi em armas apreendidas.", "b.1) Meta. Entre 40 e 60% das apreensões.",
          "a.1) Meta. Taxa de pedidos respondidos (a determinar)."]),
        ("es", ["Países líderes", "Brasil y Paraguay"], ["Países participantes", "Argentina, Uruguay."],
         ["Organizaciones socias", "Ameripol, Oficina de las Naciones Unidas contra la Droga y el Delito."], "Portugués y español.",
         ["a.1) Objetivo. Al menos 80\u00a0% de las armas incautadas.", "b.1) Objetivo. Como máximo 48 h por solicitud.",
          "a.1) Objetivo. Al menos 12,5\u00a0M\u00a0BRL en armas incautadas.", "b.1) Objetivo. Entre 40 y 60\u00a0% de las incautaciones.",
          "a.1) Objetivo. Tasa de solicitudes respondidas (por determinar)."]),
    ],
)
def test_the_pao_reads_in_each_language_with_its_names_amounts_and_targets(armas_built, language, leads, countries, organisations, languages, targets):
    # two lead countries listed the language's way; the partner organisations on a line of their own, apart from the countries
    data = (armas_built / language / f"pao-armas-2024-{language}.docx").read_bytes()
    header = tables(data)[0]
    assert header[4] == leads
    assert header[6] == countries
    assert header[7] == organisations
    assert header[9][1] == languages
    written = [line for table in tables(data) for row in table for cell in row for line in cell.split("\n")]
    for target in targets:
        assert target in written, (target, [line for line in written if ".1) " in line])
    assert list(footnotes(data).values())[0].startswith("UNODC, Estud")


@pytest.mark.parametrize(
    "reference, rows",
    [
        # a level: the latest report counts (62,5, not 45 + 62,5); 62,5 / 80 = 78,125 % → 78,1 %;
        # the window (2024-S1..2025-S2, 4 semesters) is half elapsed: due (2 − 1) / 4 = 25 % → on track
        # a reduction: 40 h is at most 48 h → achieved (it read 96 h before: 50 %)
        ("AO 1.1", [
            ["a)", "Porcentagem de armas apreendidas rastreadas.", "Pelo menos 80% das armas apreendidas", "62,5", "62,5", "78,1%", "● Dentro do previsto"],
            ["b)", "Tempo de resposta a um pedido de rastreamento.", "No máximo 48 h por pedido", "40", "40", "100%", "✔ Alcançado"],
        ]),
        # an amount adds up, with cents, in the language's own currency; a range overshot: 60 / 75 = 80 %;
        # the window (2024) has ended without reaching either → at risk
        ("AO 1.2", [
            ["a)", "Valor das armas apreendidas.", "Pelo menos R$\u00a012,5\u00a0mi em armas apreendidas", "R$\u00a02.000.000",
             "R$\u00a05.000.000,50", "40%", "▲ Em risco"],
            ["b)", "Porcentagem de apreensões cruzadas com os registros nacionais.", "Entre 40 e 60% das apreensões", "75", "75", "80%", "▲ Em risco"],
        ]),
        # a target to be determined has no attainment ("—"); reported, it is on track
        ("AO 2.1", [
            ["a)", "Taxa de pedidos respondidos.", "Taxa de pedidos respondidos (a determinar)", "12,25", "12,25", "—", "● Dentro do previsto"],
            ["b)", "Criação da rede de procuradores.", "Rede criada", "Sim", "Sim", "100%", "✔ Alcançado"],
        ]),
    ],
)
def test_the_annex_measures_levels_reductions_ranges_and_open_targets(armas_built, reference, rows):
    data = (armas_built / "pt" / "anexo-armas-2024-2024-S2-pt.docx").read_bytes()
    assert kpi_rows(data, reference) == rows


def test_before_the_latest_report_a_level_stands_at_its_first_value(armas):
    sources = load_sources(armas.path("source"), Diagnostics())
    assert sources is not None
    state = as_of(sources.plans[0], Period.parse("2024-S1"))
    kpis = {k.kpi.id: k for a in state.actions for k in a.kpis}
    assert (kpis["traced-share"].cumulative, kpis["traced-share"].attainment, kpis["traced-share"].status) == (45, 56.25, "on_track")
    # 96 h against at most 48 h: 50 %; one semester of four elapsed, nothing due yet → on track
    assert (kpis["response-time"].cumulative, kpis["response-time"].attainment, kpis["response-time"].status) == (96, 50.0, "on_track")
    # nothing reported yet for a target to be determined: not started, no attainment
    assert (kpis["answered-share"].cumulative, kpis["answered-share"].attainment, kpis["answered-share"].status) == (None, None, "not_started")


def test_a_form_takes_a_decimal_level_and_shows_its_latest_value_before_the_period(tmp_path):
    from openpyxl import load_workbook

    from tests.forms.conftest import fill, row

    project = second_plan(tmp_path)
    result = project.pao("progress", "form", "2025-S1", "--lang", "pt", "--plan", "armas-2024", "--action", "AO-1.1")
    assert result.exit_code == 0, result.output
    form = next(project.path("build/forms/armas-2024/2025-S1").glob("*.xlsx"))
    sheet = load_workbook(form)["AO-1.1"]
    given = [cell.value for cell in sheet[row(sheet, "kpi:traced-share")]]
    assert 62.5 in given and 107.5 not in given  # the latest report, not 45 + 62,5
    fill(form, {("AO-1.1", "kpi:traced-share", "E"): "81,25"})
    result = project.pao("progress", "import", str(form), "--date", "2025-07-10")
    assert result.exit_code == 0, result.output
    report = project.path("source/armas-2024/progress/2025-S1.yaml").read_text(encoding="utf-8")
    assert "traced-share: {value: 81.25}" in report, report


def test_the_change_report_of_a_portuguese_original_shows_a_changed_reduction_in_its_words(tmp_path):
    project = second_plan(tmp_path)
    shutil.copytree(project.path("source"), project.path("old"))
    project.edit(PLAN, "{comparator: at_most, value: 48,", "{comparator: at_most, value: 36,")
    result = project.pao("diff", "old", "source", "--out", "changes", "-q")
    assert result.exit_code == 0, result.output
    report = project.path("changes/armas-2024/changes-armas-2024.md").read_text(encoding="utf-8")
    assert "- **AO-1.1/response-time** target: No máximo [-48-]{+36+} h por pedido" in report.split("\n"), report
    assert project.path("changes/armas-2024/redline-pao-armas-2024-pt.docx").is_file()
