"""Targets of levels, reductions, ranges and open targets: each mistake a located message (issue 16, item 1)."""
from __future__ import annotations

import pytest

from generator.model.plan import Target
from generator.translation.words import Words
from tests.conftest import second_plan
from tests.documents.test_second_plan import PLAN, S2

from .test_validation import at, errors

TRACED = '{comparator: at_least, value: 80, kind: level, counted: "% das armas apreendidas"}'
RESPONSE = "{comparator: at_most, value: 48, kind: level, counted: h por pedido}"
MATCHED = '{comparator: between, value: 40, up_to: 60, kind: level, counted: "% das apreensões"}'
OPEN = "{comparator: to_be_determined, kind: level, counted: Taxa de pedidos respondidos}"


@pytest.fixture
def armas(tmp_path):
    return second_plan(tmp_path)


@pytest.mark.parametrize(
    "old, new, needle, message",
    [
        (RESPONSE, "{comparator: at_most, value: 48, counted: h por pedido}", "at_most",
         "actions[0].kpis[1].target.comparator: 'at_most' is for a level (the latest report counts): add 'kind: level'"),
        (MATCHED, '{comparator: between, value: 40, kind: level, counted: "% das apreensões"}', "{comparator: between",
         "actions[1].kpis[1].target: a target 'between' needs 'up_to': the range's high end"),
        (MATCHED, '{comparator: between, value: 40, up_to: 40, kind: level, counted: "% das apreensões"}', "40, kind",
         "actions[1].kpis[1].target.up_to: the range's high end (40) must be above its low end (40)"),
        (TRACED, '{comparator: at_least, value: 80, up_to: 90, kind: level, counted: "% das armas apreendidas"}', "90",
         "actions[0].kpis[0].target.up_to: only a target 'between' takes up_to (this one is 'at_least'): remove it"),
        (OPEN, "{comparator: to_be_determined, value: 70, kind: level, counted: Taxa de pedidos respondidos}", "70",
         "actions[2].kpis[0].target.value: a target to be determined takes no value: remove it"),
        (TRACED, '{comparator: at_least, value: 80, kind: level, currency: BRL, counted: "% das armas apreendidas"}', "BRL",
         "actions[0].kpis[0].target.currency: a level is no amount: remove the currency (write the unit in 'counted')"),
        (TRACED, '{comparator: at_least, value: 80.5, counted: "% das armas apreendidas"}', "80.5",
         "actions[0].kpis[0].target.value: must be a whole number, not 80.5 (a count; an amount has a currency)"),
        (TRACED, '{comparator: at_least, value: 80.125, kind: level, counted: "% das armas apreendidas"}', "80.125",
         "actions[0].kpis[0].target.value: an amount has at most 2 decimals (not 80.125)"),
    ],
)
def test_a_target_mistake_is_reported_where_it_is_written(armas, old, new, needle, message):
    armas.edit(PLAN, old, new)
    result = armas.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [(at(armas, PLAN, needle, line=new), "ERROR", message, "plan.target")], result.output


def test_a_level_takes_a_decimal_report_and_a_count_does_not(armas):
    armas.edit(PLAN, TRACED, '{comparator: at_least, value: 80.5, kind: level, counted: "% das armas apreendidas"}')
    assert armas.pao("validate", "--strict").exit_code == 0
    armas.edit(S2, "traced-share: {value: 62.5}", "traced-share: {value: 62.75}")
    assert armas.pao("validate", "--strict").exit_code == 0
    armas.edit(PLAN, RESPONSE, "{comparator: at_least, value: 48, counted: h por pedido}")  # now a count: 96, 40 are whole
    assert armas.pao("validate", "--strict").exit_code == 0
    armas.edit(S2, "response-time: {value: 40}", "response-time: {value: 40.5}")
    result = armas.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [(
        at(armas, S2, "40.5"), "ERROR",
        "actions.AO-1.1.kpis.response-time.value: KPI response-time is a count: write a whole number, 0 or more (not 40.5)",
        "progress.value",
    )]


def test_a_level_report_with_a_currency_is_an_error(armas):
    armas.edit(S2, "traced-share: {value: 62.5}", "traced-share: {value: 62.5, currency: BRL}")
    result = armas.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [(
        at(armas, S2, "BRL", line="traced-share"), "ERROR",
        "actions.AO-1.1.kpis.traced-share.currency: KPI traced-share is a level, not an amount: remove the currency",
        "progress.currency",
    )]


@pytest.mark.parametrize(
    "value, shown",
    [(6.25, "6,3\u00a0%"), (6.24, "6,2\u00a0%"), (6.35, "6,4\u00a0%"), (37.5, "37,5\u00a0%"), (200 / 3, "66,7\u00a0%"),
     (100.0, "100\u00a0%"), (0.05, "0,1\u00a0%"), (None, "—")],
)
def test_percentages_round_half_up_to_one_decimal(value, shown):
    assert Words("es", {}).percent(value) == shown


def test_targets_of_each_comparator_read_in_words():
    es, en = Words("es", {}), Words("en", {})
    assert es.target(Target("at_most", 48, None, "h de respuesta", "level")) == "Como máximo 48 h de respuesta"
    assert en.target(Target("at_most", 48, None, "h response time", "level")) == "At most 48 h response time"
    assert es.target(Target("between", 40, None, "% de casos", "level", 60)) == "Entre 40 y 60\u00a0% de casos"
    assert en.target(Target("between", 40.5, None, "% of cases", "level", 60)) == "Between 40.5 and 60% of cases"
    assert es.target(Target("to_be_determined", None, None, "Tasa de resolución", "level")) == "Tasa de resolución (por determinar)"
