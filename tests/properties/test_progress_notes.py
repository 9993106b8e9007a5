"""Any note typed into a progress report shows verbatim in the progress annex, or is refused where it is written.

Each example types a note on an action, on one of its KPIs and on one of its
activities of the report 2023-S1 (Markdown, as ``texts.markdown`` says) and
builds that annex.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
def copy(tmp_path_factory) -> Copy:
    """The project; its charts are drawn once (``charts.Charts`` keeps them): notes are not charted."""
    return Copy(tmp_path_factory.mktemp("notes"))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.fixed_dictionaries({name: markdown(blocks=True) for name in NOTES}))
def test_a_note_typed_into_a_progress_report_shows_verbatim_in_the_annex_or_is_refused_where_it_is_written(copy: Copy, texts):
    report = read_yaml(copy.text(REPORT))
    check_texts(copy, yaml_writer(copy, REPORT, report, NOTES, texts), list(NOTES), lambda: copy.document("2023-S1", "es"))
