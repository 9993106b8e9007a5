"""Any text a translator types as a msgstr shows verbatim in the translated document, or is refused where it is written.

Each example types one msgstr for each kind of message the English fact
sheet of AO-1.1 shows: one-line texts (the plan's title, an objective's
title, the action's reference, a target's counted words), which must show as
typed, and blocks of prose (a paragraph of the summary, a KPI, an activity),
whose msgstr is inline Markdown (``texts.markdown(inline=True)``).
"""
from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PLAN_ID
from tests.properties.examples import Copy, Written, check_texts, with_msgstr
from tests.properties.texts import Typed, markdown, one_line

CATALOG = f"source/{PLAN_ID}/locale/en.po"
ONE_LINE = ["plan.title", "OE-1.title", "AO-1.1.reference", "AO-1.1.kpis.intelligence-meetings.target"]
PROSE = ["AO-1.1.summary.1", "AO-1.1.kpis.intelligence-meetings", "AO-1.1.activities.air-meeting"]

# an empty msgstr is an untranslated message: the original shows (tests/translation cover that)
TRANSLATED = markdown(blocks=False, inline=True).filter(lambda typed: typed.written != "")


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Copy:
    return Copy(tmp_path_factory.mktemp("translated"))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({**{key: one_line(n) for n, key in enumerate(ONE_LINE)}, **{key: TRANSLATED for key in PROSE}}))
def test_what_is_typed_as_a_translation_shows_verbatim_in_the_translated_sheet_or_is_refused_where_it_is_written(copy: Copy, texts: dict[str, Typed]):
    catalog = copy.text(CATALOG)

    def write(keys: Sequence[str]) -> list[Written]:
        text, written = catalog, []
        for key in keys:
            text, lines = with_msgstr(text, key, texts[key].written)
            written.append(Written(key, copy.path(CATALOG), lines, texts[key].shows))
        copy.write(CATALOG, text)
        return written

    check_texts(copy, write, [*ONE_LINE, *PROSE], lambda: copy.document("AO-1.1", "en"))
