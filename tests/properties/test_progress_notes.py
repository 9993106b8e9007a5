"""Any note typed into a progress report shows verbatim in the progress annex, or is refused where it is written.

Each example types a note on an action, on one of its KPIs and on one of its
activities of the report 2023-S1 (Markdown, as ``texts.markdown`` says) and
builds that annex.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.documents import charts
from tests.conftest import PLAN_ID
from tests.properties.examples import Copy, check_texts, read_yaml, yaml_writer
from tests.properties.texts import markdown

REPORT = f"source/{PLAN_ID}/progress/2023-S1.yaml"
NOTES = {
    "action notes": ("actions", "AO-1.1", "notes"),
    "KPI notes": ("actions", "AO-1.1", "kpis", "intelligence-meetings", "notes"),
    "activity notes": ("actions", "AO-1.1", "activities", "maritime-meeting", "notes"),
}


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Iterator[Copy]:
    """The project, its charts drawn once: notes are not charted, and drawing them takes two seconds an annex."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("kpi_attainment", "activities_by_status"):
            patch.setattr(charts, name, _drawn_once(getattr(charts, name)))
        yield Copy(tmp_path_factory.mktemp("notes"))


def _drawn_once(draw: Callable) -> Callable:
    drawn: dict[tuple, bytes] = {}

    def chart(progress, words) -> bytes:
        key = (words.language, repr([(a.action.reference, a.mean_attainment, [x.status for x in a.activities]) for a in progress.actions]))
        if key not in drawn:
            drawn[key] = draw(progress, words)
        return drawn[key]

    return chart


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({name: markdown(blocks=True) for name in NOTES}))
def test_a_note_typed_into_a_progress_report_shows_verbatim_in_the_annex_or_is_refused_where_it_is_written(copy: Copy, texts):
    report = read_yaml(copy.text(REPORT))
    check_texts(copy, yaml_writer(copy, REPORT, report, NOTES, texts), list(NOTES), lambda: copy.document("2023-S1", "es"))
