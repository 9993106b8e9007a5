"""Any text a person types into plan.yaml or a prose file shows verbatim in the document, or is refused where it is written.

Each example types one text into each kind of field a document shows (the
fact sheet of AO-1.1 shows most of them, the PAO the header block and the
prose files) and builds that one document in-process (``examples``).  A
one-line text must show exactly as typed; a Markdown text, typed either as
plain words escaped or as raw Markdown, must show as ``texts.markdown`` says.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PLAN_ID
from tests.properties.examples import Copy, Written, check_texts, read_yaml, yaml_values, yaml_writer
from tests.properties.texts import Typed, escaped, literal, markdown, one_line, typed, visible

PLAN = f"source/{PLAN_ID}/plan.yaml"
INTRODUCTION = f"source/{PLAN_ID}/introduction.md"

# what the fact sheet of AO-1.1 shows (OE-1 has no heading of its own: its title is its heading)
SHEET = {
    "plan title": ("title",),
    "objective title": ("strategic_objectives", 0, "title"),
    "action reference": ("actions", 0, "reference"),
    "counted words": ("actions", 0, "kpis", 0, "target", "counted"),
    "action summary": ("actions", 0, "summary"),
    "KPI text": ("actions", 0, "kpis", 0, "text"),
    "activity text": ("actions", 0, "activities", 0, "text"),
}
HEADER = {"subject": ("subject",), "origin": ("origin",), "recipients": ("recipients",)}

SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Copy:
    return Copy(tmp_path_factory.mktemp("typed"))


@pytest.fixture(scope="module")
def plan_data(copy: Copy) -> object:
    return read_yaml(copy.text(PLAN))


def test_the_plan_written_back_as_yaml_gives_the_same_sheet(copy: Copy, plan_data: object):
    """What the properties rely on: plan.yaml written out again (without its comments) is the same plan."""
    shipped = copy.document("AO-1.1", "es")
    text, _ = yaml_values(plan_data, {})
    copy.write(PLAN, text)
    try:
        assert copy.document("AO-1.1", "es") == shipped
    finally:
        copy.restore()


@SLOW
@given(
    st.fixed_dictionaries(
        {
            **{name: one_line(n) for n, name in enumerate(["plan title", "objective title", "action reference", "counted words"])},
            "action summary": markdown(blocks=True),
            "KPI text": markdown(blocks=False),
            "activity text": markdown(blocks=False),
        }
    )
)
def test_what_is_typed_in_the_fields_a_fact_sheet_shows_shows_verbatim_or_is_refused_where_it_is_written(copy, plan_data, texts):
    check_texts(copy, yaml_writer(copy, PLAN, plan_data, SHEET, texts), list(SHEET), lambda: copy.document("AO-1.1", "es"))


def prose_paragraph() -> st.SearchStrategy[Typed]:
    """A paragraph added to a prose file with its id: it shows without the id.  (Raw Markdown of several blocks
    leaves all but the last without an id, which is refused: one block in two is typed on lines of one block.)"""

    def raw(text: str) -> Typed:
        written = f"{text} {{#typed-paragraph}}"
        return Typed(written, [_without_id(block) for block in visible(written)])

    return st.one_of(
        literal().map(lambda text: Typed(f"{escaped(text)} {{#typed-paragraph}}", [text])),
        typed(lines=True).map(raw),
        typed(lines=True, blocks=True).map(raw),
    )


def _without_id(block: str) -> str:
    return re.sub(r"\s*\{#[^{}\s]*\}\s*$", "", block)


@SLOW
@given(st.fixed_dictionaries({name: one_line(n) for n, name in enumerate(HEADER)}), prose_paragraph())
def test_what_is_typed_in_the_header_block_or_a_prose_file_shows_verbatim_in_the_pao_or_is_refused_where_it_is_written(copy, plan_data, texts, paragraph):
    introduction = copy.text(INTRODUCTION)
    header = yaml_writer(copy, PLAN, plan_data, HEADER, texts)

    def write(names: Sequence[str]) -> list[Written]:
        done = header([name for name in names if name in HEADER])
        if "prose paragraph" in names:
            copy.write(INTRODUCTION, f"{introduction}\n{paragraph.written}\n")
            first = introduction.count("\n") + 2
            lines = range(first, first + paragraph.written.count("\n") + 1)
            done.append(Written("prose paragraph", copy.path(INTRODUCTION), lines, paragraph.shows))
        return done

    check_texts(copy, write, [*HEADER, "prose paragraph"], lambda: copy.document("pao", "es"))
