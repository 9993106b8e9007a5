"""Any note typed into a form reaches the report's YAML as typed (the blank space around it aside), or is
refused at its cell: the round-trip writer never alters a text on the way."""
from __future__ import annotations

import datetime
import functools

import yaml
from hypothesis import HealthCheck, given, settings

from generator import pipeline
from generator.diagnostics import Diagnostics, Location
from generator.forms.reading import Entry
from generator.forms.report import apply
from generator.model.period import Period
from generator.model.plan import Plan
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
