"""Each mistake a person can make in a budget, a finer calendar or a list of lead countries (issue 16 item 2):
located as file:line:col with its code, exit code 1, no traceback, nothing built; on the fixture plan armas-2024."""
from __future__ import annotations

import pytest

from tests.conftest import second_plan
from tests.documents.test_second_plan import PLAN
from tests.sources.test_validation import Mistake, assert_refused, at, build_then_break, errors, problems

WORKSHOP = "        calendar: 2024-03\n"
AO_1_1_BUDGET = "{amount: 150000, currency: EUR, source: EL PAcCTO}"


def case(id: str, old: str, new: str, needle: str, message: str, code: str, line: str | None = None):
    return pytest.param(Mistake(((PLAN, old, new),), PLAN, needle, message, code, line), id=id)


@pytest.mark.parametrize(
    "mistake",
    [
        case("a negative amount", AO_1_1_BUDGET, "{amount: -150000, currency: EUR, source: EL PAcCTO}", "-150000",
             "actions[0].budget[0].amount: must not be negative: a budget is what an action may spend", "plan.budget"),
        case("an amount written as text", AO_1_1_BUDGET, '{amount: "150.000,00", currency: EUR, source: EL PAcCTO}', '"150.000,00"',
             "actions[0].budget[0].amount: must be a number", "schema.type"),
        case("an amount with a thousands separator YAML reads as text", AO_1_1_BUDGET, "{amount: 150 000, currency: EUR, source: EL PAcCTO}",
             "150 000", "actions[0].budget[0].amount: must be a number", "schema.type"),
        case("more decimals than cents", AO_1_1_BUDGET, "{amount: 150000.125, currency: EUR, source: EL PAcCTO}", "150000.125",
             "actions[0].budget[0].amount: an amount has at most 2 decimals (not 150000.125)", "plan.budget"),
        case("an unknown currency", AO_1_1_BUDGET, "{amount: 150000, currency: EURO, source: EL PAcCTO}", "EURO",
             "actions[0].budget[0].currency: 'EURO' is not an ISO 4217 currency code (did you mean 'EUR'?)", "plan.budget"),
        case("a currency in lower case", AO_1_1_BUDGET, "{amount: 150000, currency: usd, source: EL PAcCTO}", "usd",
             "actions[0].budget[0].currency: 'usd' is not an ISO 4217 currency code (did you mean 'USD'?)", "plan.budget"),
        case("a missing source", AO_1_1_BUDGET, "{amount: 150000, currency: EUR}", "{amount: 150000",
             "actions[0].budget[0].source: is required but missing", "schema.missing"),
        case("an empty source", AO_1_1_BUDGET, '{amount: 150000, currency: EUR, source: ""}', '""',
             "actions[0].budget[0].source: is empty: write the source of funding (e.g. EL PAcCTO, national funds)", "plan.budget"),
        case("a month that does not exist", WORKSHOP, "        calendar: 2024-13\n", "2024-13",
             "actions[0].activities[0].calendar: '2024-13' is not a month: months go from 01 to 12", "schema.value"),
        case("a fifth quarter", WORKSHOP, "        calendar: [2024-Q5]\n", "2024-Q5",
             "actions[0].activities[0].calendar[0]: '2024-Q5' is not a period: write a month like 2023-03, a quarter like 2023-Q2, "
             "a semester like 2022-S2 or a year like 2023", "schema.value"),
        case("a keyword in Portuguese", WORKSHOP, "        calendar: permanente\n", "permanente",
             "actions[0].activities[0].calendar: 'permanente' is not a period nor a keyword: did you mean 'permanent'?", "schema.value"),
        case("a keyword with periods", WORKSHOP, "        calendar: [permanent, 2024-Q1]\n", "[permanent",
             "actions[0].activities[0].calendar: 'permanent' stands alone: an activity is either permanent (due in every period) or has "
             "its periods; write 'calendar: permanent' or remove it", "plan.calendar"),
        case("a month outside the plan's period", WORKSHOP, "        calendar: 2026-01\n", "2026-01",
             "actions[0].activities[0].calendar[0]: 2026-01 is outside the plan's period (2024–2025)", "plan.calendar-outside-period"),
        case("an unknown lead among two", "    lead: [BR, AR]\n", "    lead: [BR, ARG]\n", "ARG",
             "actions[0].lead[1]: 'ARG' is not an ISO 3166 country code (did you mean 'AR'?)", "plan.unknown-country"),
        case("a single unknown lead", "    lead: AR\n", "    lead: ARG\n", "ARG",
             "actions[2].lead: 'ARG' is not an ISO 3166 country code (did you mean 'AR'?)", "plan.unknown-country", line="    lead: ARG"),
        case("an organisation as lead", "lead: [BR, PY]\n", "lead: [BR, unodc]\n", "unodc",
             "lead[1]: 'unodc' is not an ISO 3166 country code", "plan.unknown-country", line="lead: [BR, unodc]"),
    ],
)
def test_each_budget_calendar_and_lead_mistake_is_located_and_nothing_is_built(tmp_path, mistake):
    project = second_plan(tmp_path)
    snapshot = build_then_break(project, *mistake.edits)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert (mistake.where(project), "ERROR", mistake.message, mistake.code) in errors(result), result.output


def test_a_lead_listed_twice_or_also_as_co_lead_is_a_warning_at_its_place(tmp_path):
    project = second_plan(tmp_path)
    project.edit(PLAN, "lead: [BR, PY]\nco_leads: [CL]", "lead: [BR, PY, BR]\nco_leads: [PY]")
    result = project.pao("validate", "--strict")
    assert result.exit_code == 1, result.output
    assert problems(result) == [
        (at(project, PLAN, "BR]", "lead: [BR, PY, BR]"), "WARNING", "lead[2]: 'BR' is listed twice", "consistency.repeated-party"),
        (at(project, PLAN, "PY", "co_leads: [PY]"), "WARNING", "co_leads[0]: 'PY' is also listed as lead", "consistency.double-role"),
    ]


def test_an_empty_list_of_leads_is_the_no_lead_warning(tmp_path):
    project = second_plan(tmp_path)
    project.edit(PLAN, "lead: [BR, PY]\n", "lead: []\n")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == [
        (f"{PLAN}:{project.line_of(PLAN, 'lead: []')}:1", "WARNING",
         "lead: the plan names no lead country: its header's lead cell will be empty", "consistency.no-lead"),
    ]
