"""Any note typed into a form reaches the report's YAML as typed (the blank space around it aside), or is
refused at its cell: the round-trip writer never alters a text on the way; any number typed the form
language's way reads back as it."""
from __future__ import annotations

import datetime
import functools

import yaml
from babel.numbers import format_decimal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.diagnostics import Diagnostics, Location
from generator.forms.layout import FORM_LANGUAGES
from generator.forms.reading import Entry, typed_date, typed_number
from generator.forms.report import apply
from generator.model.period import Period
from generator.model.plan import Plan
from generator.translation.words import Words
from tests.conftest import ROOT
from tests.properties.texts import typed

CELL = Location.cell("form.xlsx", "AO-1.1", "G4")


@functools.cache
def _plan() -> Plan:
    return pipeline.load(ROOT / "source").plans[0]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(typed(lines=True))
def test_a_typed_note_reads_back_from_the_yaml_as_typed_or_is_refused_at_its_cell(text):
    plan = _plan()
    note = text.replace("\r\n", "\n").strip()
    if not note:
        return
    diagnostics = Diagnostics()
    path = ("AO-1.1", "notes")
    imported = apply(plan, Period.parse("2023-S2"), {path: Entry(path, note, CELL)}, datetime.date(2024, 1, 31), False, diagnostics)
    if diagnostics.errors:
        assert [(d.location, d.code) for d in diagnostics.errors] == [(CELL, "form.text")]
        return
    assert imported is not None
    assert yaml.safe_load(imported.after)["actions"]["AO-1.1"]["notes"].rstrip("\n") == note


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORM_LANGUAGES), st.integers(0, 10**15))
def test_a_count_typed_the_form_language_s_way_reads_back_as_it(language, number):
    written = format_decimal(number, locale=language)
    assert typed_number(written, language) == number
    assert typed_number(written.replace("\u202f", " ").replace("\u00a0", " "), language) == number  # typed with a plain space
    assert typed_number(str(number), language) == number


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORM_LANGUAGES), st.decimals(0, 10**12, places=2, allow_nan=False, allow_infinity=False))
def test_an_amount_typed_with_the_form_language_s_grouping_and_decimal_sign_reads_back_as_it(language, amount):
    assert typed_number(format_decimal(amount, format="#,##0.00", locale=language), language) == float(amount)


@given(st.sampled_from(FORM_LANGUAGES), typed())
def test_any_text_in_a_number_cell_is_a_number_or_nothing(language, text):
    assert typed_number(text, language) is None or isinstance(typed_number(text, language), (int, float))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORM_LANGUAGES), st.dates(datetime.date(1900, 1, 1), datetime.date(9999, 12, 31)))
def test_a_date_typed_as_the_form_language_prints_it_or_as_iso_reads_back_as_it(language, day):
    assert typed_date(Words(language, {}).date(day, "day"), language) == day  # 15/08/2023, 08/15/2023 in English
    assert typed_date(day.isoformat(), language) == day
