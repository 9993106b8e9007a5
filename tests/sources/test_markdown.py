"""Footnotes are ``[^label]`` only: ``^[…]`` is text, kept as written.

Found by ``tests/properties/test_readers.py``: ``^[…]`` (pandoc's inline
footnote, which markdown-it's footnote plugin reads by default) stopped every
command with a KeyError, in a Markdown field as in a translation.
"""
from __future__ import annotations

from generator.diagnostics import Diagnostics, Location
from generator.model.prose import Span
from generator.sources.markdown import parse, parse_inline
from tests.sources.test_validation import PLAN

KPI_TEXT = "text: Número de reuniones de intercambio de inteligencia criminal."


def test_a_caret_before_brackets_is_text_in_a_markdown_field():
    diagnostics = Diagnostics()
    prose = parse("Reuniones ^[en 2022] realizadas.", Location("plan.yaml", 3, 9), diagnostics, ids="AO-1.1.kpis.x", single_paragraph=True)
    assert prose.blocks[0].inlines == (Span("Reuniones ^[en 2022] realizadas."),)
    assert not prose.footnotes and not diagnostics.items


def test_a_caret_before_brackets_is_text_in_a_translation():
    diagnostics = Diagnostics()
    assert parse_inline("Meetings ^[in 2022] held.", Location("en.po", 7), diagnostics, set()) == (Span("Meetings ^[in 2022] held."),)
    assert not diagnostics.items


def test_a_sheet_shows_a_caret_before_brackets_as_written(project):
    project.edit(PLAN, KPI_TEXT, "text: Número de reuniones ^[en 2022] de intercambio.")
    assert project.pao("build", "--format", "docx", "--only", "AO-1.1", "--lang", "es", "-q").exit_code == 0
    shown = project.pao("text", "build/cocaina-2022/es/ficha-cocaina-2022-AO-1.1-es.docx").output
    assert "| a) | Número de reuniones ^[en 2022] de intercambio. | Al menos 2 reuniones |" in shown
