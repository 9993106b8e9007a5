"""Footnotes are ``[^label]`` only: ``^[…]`` is text, kept as written.

Found by ``tests/properties/test_readers.py``: ``^[…]`` (pandoc's inline
footnote, which markdown-it's footnote plugin reads by default) stopped every
command with a KeyError, in a Markdown field as in a translation.
"""
from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics, Location
from generator.model.prose import Span
from generator.sources.markdown import _INERT, _MD, parse, parse_inline, tokens_of
from tests.properties.texts import ACCENTED, RARE, typed
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


# A plain line's tokens are made without markdown-it (most of a plan's fields; a tenth of validating a large
# plan): they must be the very tokens markdown-it makes, whatever people type.
_PLAIN = list(string.ascii_letters + string.digits + ACCENTED + " .,;:?()'\"%$@/^#=+-|") + [" "] * 10 + RARE


@settings(max_examples=400)
@given(st.one_of(
    st.lists(st.sampled_from(_PLAIN), min_size=1, max_size=60).map("".join),
    typed(),
    typed(lines=True, blocks=True),
), st.sampled_from(["", "\n", "\n\n", "  \n", "\u00a0\n"]))
def test_the_tokens_of_a_plain_line_are_those_markdown_it_makes(text, end):
    ours: dict = {}
    theirs: dict = {}
    assert tokens_of(text + end, ours) == _MD.parse(text + end, theirs)
    for env in (ours, theirs):  # markdown-it's footnote rules sometimes start empty lists: no footnote either way
        if env.get("footnotes") == {"refs": {}, "list": {}}:
            del env["footnotes"]
    assert ours == theirs


def test_plain_lines_are_read_without_markdown_it_and_others_with_it():
    for plain in ("Número de reuniones realizadas.", "Ñandú: 1.000 € (50 %)", "Reuniones ^ 2022 | a\n", "¿Hola? 👍🏽\n\n"):
        assert _INERT.fullmatch(plain), plain
    for markdown in ("  indented", "1. a list", "- a list", "# a heading", "> a quote", "a *word*", "a [link](x)", "a\nb", "x{#id}", "~~~"):
        assert not _INERT.fullmatch(markdown), markdown
