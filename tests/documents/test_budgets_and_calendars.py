"""Budgets, calendars by month and quarter, permanent and continuous activities, several lead countries and
partner organisations (issue 16 item 2), as a reader finds them in the documents of the fixture plan armas-2024
(Portuguese original, Spanish translation): budgets in EUR, BRL and USD from several sources, AO-1.1 led by two
countries, the plan led by two, organisations taking part."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.diagnostics import Diagnostics
from generator.model.period import Period
from generator.model.progress import _activity, window
from generator.ooxml.reader import docx_text
from generator.sources.load import load_sources
from generator.translation.words import Words
from tests.conftest import ROOT, second_plan
from tests.documents.test_second_plan import PLAN
from tests.docx_reader import body_paragraphs, tables


@pytest.fixture(scope="module")
def built(armas_built) -> Path:
    return armas_built


def document(built: Path, language: str, name: str) -> bytes:
    return (built / language / f"{name}-{language}.docx").read_bytes()


def action_table(data: bytes, reference: str) -> list[list[str]]:
    """The PAO's table of one action (its first cell names it)."""
    return next(t for t in tables(data) if t[0][0].endswith(reference))


def rows_from(table: list[list[str]], first: str) -> list[list[str]]:
    """The rows from the one whose first cell is ``first`` to the table's end."""
    start = next(i for i, row in enumerate(table) if row[0] == first)
    return table[start:]


@pytest.mark.parametrize(
    "language, row",
    [
        ("pt", ["Orçamento total", "490.000\u00a0EUR\nR$\u00a01.200.000,50\n50.000\u00a0USD"]),
        ("es", ["Presupuesto total", "490.000\u00a0€\n1.200.000,50\u00a0BRL\n50.000\u00a0USD"]),
    ],
)
def test_the_pao_header_gives_the_plans_total_budget_per_currency_never_adding_currencies(built, language, row):
    # EUR: 150.000 + 250.000 + 90.000; BRL and USD alone; each currency in the language's own way (R$ in Portuguese, € in Spanish)
    header = tables(document(built, language, "pao-armas-2024"))[0]
    assert header[-1] == row


@pytest.mark.parametrize(
    "language, reference, rows",
    [
        ("pt", "AO 1.2", [["Orçamento", "Montante"], ["EL PAcCTO", "250.000\u00a0EUR"], ["Fundos nacionais", "R$\u00a01.200.000,50"],
                          ["Total", "250.000\u00a0EUR\nR$\u00a01.200.000,50"]]),
        ("es", "AO 1.2", [["Presupuesto", "Importe"], ["EL PAcCTO", "250.000\u00a0€"], ["Fondos nacionales", "1.200.000,50\u00a0BRL"],
                          ["Total", "250.000\u00a0€\n1.200.000,50\u00a0BRL"]]),
        # a text with & survives; two currencies, two lines of total
        ("es", "AO 2.1", [["Presupuesto", "Importe"], ["EL PAcCTO", "90.000\u00a0€"], ["Programa de cooperación & justicia", "50.000\u00a0USD"],
                          ["Total", "90.000\u00a0€\n50.000\u00a0USD"]]),
        # one line: no total
        ("pt", "AO 1.1", [["Orçamento", "Montante"], ["EL PAcCTO", "150.000\u00a0EUR"]]),
    ],
)
def test_each_action_of_the_pao_ends_with_its_budget_lines_and_a_total_per_currency(built, language, reference, rows):
    table = action_table(document(built, language, "pao-armas-2024"), reference)
    assert rows_from(table, rows[0][0]) == rows


@pytest.mark.parametrize(
    "language, lines",
    [
        ("pt", ["Orçamento do objetivo estratégico 1: 400.000\u00a0EUR\nR$\u00a01.200.000,50",
                "Orçamento do objetivo estratégico 2: 90.000\u00a0EUR\n50.000\u00a0USD"]),
        ("es", ["Presupuesto del objetivo estratégico 1: 400.000\u00a0€\n1.200.000,50\u00a0BRL",
                "Presupuesto del objetivo estratégico 2: 90.000\u00a0€\n50.000\u00a0USD"]),
    ],
)
def test_each_strategic_objective_is_followed_by_its_budget_per_currency(built, language, lines):
    paragraphs = body_paragraphs(document(built, language, "pao-armas-2024"))
    assert [p for p in paragraphs if p.startswith(lines[0].split(" 1:")[0])] == lines


@pytest.mark.parametrize(
    "language, expected",
    [
        ("pt", {"AO 1.1": ("Países líderes: Brasil e Argentina", [["1. Oficina regional de rastreamento.", "Março de 2024"],
                                                                   ["2. Guia de rastreamento.", "T3 de 2024 e 2025"],
                                                                   ["3. Intercâmbio de dados de rastreamento.", "Permanente"]]),
                "AO 2.1": ("País líder: Argentina", [["1. Reunião de procuradores.", "Abril de 2025"],
                                                     ["2. Acompanhamento dos pedidos de cooperação.", "Contínua"]])}),
        ("es", {"AO 1.1": ("Países líderes: Brasil y Argentina", [["1. Taller regional de rastreo.", "Marzo de 2024"],
                                                                  ["2. Guía de rastreo.", "T3 2024 y 2025"],
                                                                  ["3. Intercambio de datos de rastreo.", "Permanente"]]),
                "AO 2.1": ("País líder: Argentina", [["1. Reunión de fiscales.", "Abril de 2025"],
                                                     ["2. Seguimiento de las solicitudes de cooperación.", "Continua"]])}),
    ],
)
def test_the_pao_prints_leads_as_a_list_and_calendars_by_month_quarter_and_permanent_in_the_language(built, language, expected):
    data = document(built, language, "pao-armas-2024")
    for reference, (lead, activities) in expected.items():
        table = action_table(data, reference)
        assert table[0][1] == lead
        calendar_title = "Cronograma" if language == "pt" else "Calendario"
        rows = rows_from(table, "Atividades" if language == "pt" else "Actividades")
        assert rows[0][1] == calendar_title
        assert rows[1:1 + len(activities)] == activities


@pytest.mark.parametrize(
    "language, lead, budget",
    [
        ("pt", ["Países líderes", "Brasil e Argentina"], [["Fonte de financiamento", "Montante"], ["EL PAcCTO", "150.000\u00a0EUR"]]),
        ("es", ["Países líderes", "Brasil y Argentina"], [["Fuente de financiación", "Importe"], ["EL PAcCTO", "150.000\u00a0€"]]),
    ],
)
def test_the_fact_sheet_shows_the_leads_and_the_budget(built, language, lead, budget):
    data = document(built, language, "ficha-armas-2024-AO-1.1")
    assert tables(data)[0][1] == lead
    assert budget in tables(data)
    assert ("### Orçamento" if language == "pt" else "### Presupuesto") in docx_text(data).split("\n")


def test_a_fact_sheets_budget_of_several_currencies_has_a_total_per_currency(built):
    data = document(built, "es", "ficha-armas-2024-AO-2.1")
    assert [["Fuente de financiación", "Importe"], ["EL PAcCTO", "90.000\u00a0€"], ["Programa de cooperación & justicia", "50.000\u00a0USD"],
            ["Total", "90.000\u00a0€\n50.000\u00a0USD"]] in tables(data)


@pytest.mark.parametrize("language, permanent, status", [("pt", "Permanente", "Em andamento"), ("es", "Permanente", "En curso")])
def test_the_annex_shows_a_permanent_activity_in_progress_and_never_overdue(built, language, permanent, status):
    data = document(built, language, "anexo-armas-2024-2024-S2")
    rows = [row for table in tables(data) for row in table if len(row) == 5 and row[0] == "3."]
    assert rows and all(row[2:] == [permanent, status, ""] for row in rows), rows


def test_a_month_is_due_in_its_semester_and_overdue_after_it_a_permanent_activity_never(armas):
    sources = load_sources(armas.path("source"), Diagnostics())
    assert sources is not None
    plan = sources.plans[0]
    action = plan.action("AO-1.1")
    workshop, exchange = action.activities[0], action.activities[2]
    assert (workshop.calendar, exchange.calendar, exchange.ongoing) == ((Period.parse("2024-03", finer=True),), (), "permanent")
    # not reported at all: the March workshop is not overdue during 2024-S1, overdue from 2024-S2; the permanent one never is
    assert _activity(action, workshop, [], None, Period.parse("2024-S1")).overdue is False
    assert _activity(action, workshop, [], None, Period.parse("2024-S2")).overdue is True
    for period in ("2024-S1", "2024-S2", "2025-S2"):
        assert _activity(action, exchange, [], None, Period.parse(period)).overdue is False
    # a permanent or continuous activity stretches its action's window over the plan's whole period
    assert window(plan, action) == plan.period
    assert window(plan, plan.action("AO-2.1")) == plan.period
    assert window(plan, plan.action("AO-1.2")) == Period.parse("2024")


@pytest.mark.parametrize(
    "language, line, cells",
    [
        ("pt", "Período: S1/2025 · Países líderes: Brasil e Argentina", {"activity:tracing-exchange": "Permanente", "activity:tracing-guide": "T3 de 2024 e 2025"}),
        ("es", "Periodo: S1/2025 · Países líderes: Brasil y Argentina", {"activity:tracing-exchange": "Permanente", "activity:tracing-workshop": "Marzo de 2024"}),
    ],
)
def test_a_progress_form_shows_the_leads_and_the_calendars_in_its_language(tmp_path, language, line, cells):
    from openpyxl import load_workbook

    from tests.forms.conftest import row

    project = second_plan(tmp_path)
    result = project.pao("progress", "form", "2025-S1", "--lang", language, "--plan", "armas-2024", "--action", "AO-1.1")
    assert result.exit_code == 0, result.output
    sheet = load_workbook(next(project.path("build/forms/armas-2024/2025-S1").glob("*.xlsx")))["AO-1.1"]
    assert sheet["B2"].value == line
    for key, calendar in cells.items():
        assert sheet[f"C{row(sheet, key)}"].value == calendar


def test_the_change_report_shows_a_changed_budget_line(tmp_path):
    project = second_plan(tmp_path)
    shutil.copytree(project.path("source"), project.path("old"))
    project.edit(PLAN, "{amount: 250000, currency: EUR, source: EL PAcCTO}", "{amount: 275000, currency: EUR, source: EL PAcCTO}")
    result = project.pao("diff", "old", "source", "--out", "changes", "-q")
    assert result.exit_code == 0, result.output
    report = json.loads(project.path("changes/armas-2024/changes-armas-2024.json").read_text(encoding="utf-8"))
    budget = [c for c in report["changes"] if c.get("field") == "budget"]
    assert budget == [{
        "kind": "action", "id": "AO-1.2", "change": "changed", "field": "budget",
        "old": ["EL PAcCTO: 250.000\u00a0EUR", "Fundos nacionais: R$\u00a01.200.000,50"],
        "new": ["EL PAcCTO: 275.000\u00a0EUR", "Fundos nacionais: R$\u00a01.200.000,50"],
    }]


def _fixture_plan() -> dict:
    plan = yaml.safe_load((ROOT / "tests/fixtures/plans/armas-2024/plan.yaml").read_text(encoding="utf-8"))
    plan["date"] = plan["date"].isoformat()  # as an editor's YAML 1.2 reads it: a text
    return plan


def test_the_fixture_plan_with_budgets_and_finer_calendars_is_valid_against_the_json_schema():
    schema = json.loads((ROOT / "docs/schema/plan.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_fixture_plan(), schema)
    for mistake in ({"amount": "doze mil"}, {"source": None}, {"currency": 978}):
        broken = _fixture_plan()
        line = broken["actions"][0]["budget"][0]
        for field, value in mistake.items():
            if value is None:
                del line[field]
            else:
                line[field] = value
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)
    for calendar in ("2024-13", "2024-Q5", "permanente"):
        broken = _fixture_plan()
        broken["actions"][0]["activities"][0]["calendar"] = calendar
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


@pytest.mark.parametrize(
    "language, month, quarter, permanent, continuous, leads, lead_label, partners",
    [
        ("es", "Marzo de 2023", "T2 2023", "Permanente", "Continua", "Brasil y Paraguay", "Países líderes", "Organizaciones socias"),
        ("en", "March 2023", "Q2 2023", "Permanent", "Continuous", "Brazil and Paraguay", "Lead countries", "Partner organisations"),
        ("pt", "Março de 2023", "T2 de 2023", "Permanente", "Contínua", "Brasil e Paraguai", "Países líderes", "Organizações parceiras"),
        ("fr", "Mars 2023", "T2 2023", "Permanente", "Continue", "Brésil et Paraguay", "Pays chefs de file", "Organisations partenaires"),
    ],
)
def test_every_layout_language_has_its_month_and_quarter_names_keywords_lists_and_labels(language, month, quarter, permanent, continuous, leads,
                                                                                           lead_label, partners):
    words = Words(language, {})
    assert words.calendar((Period.parse("2023-03", finer=True),)) == month
    assert words.calendar((Period.parse("2023-Q2", finer=True),)) == quarter
    assert words.calendar((), "permanent") == permanent
    assert words.calendar((), "continuous") == continuous
    assert words.leads(("BR", "PY")) == leads
    assert words.lead_label(("BR", "PY")) == lead_label
    assert words.lead_label(("BR",)) == words.labels["lead"]
    assert words.labels["partner_organisations"] == partners
    # semesters and years print as CLASI documents always did
    assert words.calendar((Period.parse("2022-S2"), Period.parse("2023"))).startswith("S2/2022")


def test_periods_are_spans_of_months():
    assert [Period.parse(text, finer=True).key() for text in ("2023-03", "2023-Q2", "2022-S2", "2023", 2023)] == ["2023-03", "2023-Q2", "2022-S2", "2023", "2023"]
    assert Period.parse("2023-Q2", finer=True) == Period.of(2023, 3, 3)
    assert Period.parse("2023").contains(Period.parse("2023-12", finer=True))
    assert not Period.parse("2023-S1").contains(Period.parse("2023-Q3", finer=True))
    assert (Period.parse("2024-02", finer=True).first_day, Period.parse("2024-02", finer=True).last_day) == (
        Period.parse("2024-02", finer=True).first_day.replace(day=1), Period.parse("2024-02", finer=True).first_day.replace(day=29))
    with pytest.raises(ValueError, match="months go from 01 to 12"):
        Period.parse("2023-13", finer=True)
    with pytest.raises(ValueError, match="write a semester like 2022-S2 or a year like 2023"):
        Period.parse("2023-03")  # a plan's period and a report's are semesters or years


def test_the_pages_of_pao_serve_say_what_the_pao_and_fact_sheets_say(armas, built):
    from generator import pipeline
    from generator.documents.kinds import documents
    from generator.html.pages import document_page
    from tests.html.reading import page_text, sentences

    editions = pipeline.localize(pipeline.load(armas.path("source")))
    shown = [d for e in editions for d in documents(e) if d.kind.name in ("pao", "sheet")]
    assert len(shown) == 8
    for made in shown:
        text = page_text(document_page(made))
        # a link reads "text <url>" in the Word text, and shows its text in the page
        lines = [re.sub(r" <[a-z]+:[^>]*>", "", line) for line in sentences(docx_text((built.parent / made.path).read_bytes()))]
        assert [line for line in lines if line not in text] == [], made.path
        assert "EL PAcCTO" in text


@pytest.mark.parametrize("name, titles", [("pao-armas-2024", "PresupuestoImporte"), ("ficha-armas-2024-AO-1.2", "Fuente de financiaciónImporte")])
def test_the_budgets_titles_stay_on_the_page_of_its_first_line_and_its_lines_do_not(built, name, titles):
    from generator.ooxml.names import w
    from tests.docx_reader import part

    def text(element) -> str:
        return "".join(t.text or "" for t in element.iter(w("t")))

    rows = list(part(document(built, "es", name), "word/document.xml").iter(w("tr")))
    kept = {text(row) for row in rows if all(p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in row.iter(w("p")) if text(p).strip())}
    assert titles in kept
    assert not any(label.startswith("EL PAcCTO") for label in kept)
    assert all(row.find(f"{w('trPr')}/{w('cantSplit')}") is not None for row in rows)
