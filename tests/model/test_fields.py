"""The one walk over a plan's translatable texts: complete, in document order, and the same for every user."""
from __future__ import annotations

import dataclasses

import pytest

from generator import pipeline
from generator.model.fields import Field, Keys, fields, replaced
from generator.model.plan import Plan
from generator.model.prose import Block, Prose, Span
from generator.review.changes import compare
from generator.translation.catalogs import entries
from generator.translation.words import Words
from tests.conftest import PLAN_ID, ROOT


@pytest.fixture(scope="module")
def plan() -> Plan:
    return next(p for p in pipeline.load(ROOT / "source").plans if p.id == PLAN_ID)


def _same_block(field: Field) -> Block:
    """A block field's block, unchanged (the walk asks for blocks only of block fields)."""
    assert field.block is not None, field.key
    return field.block


def _reachable_prose(value, seen=None) -> list[Prose]:
    """Every Prose inside the plan, found by looking at every attribute: a new field cannot hide."""
    if isinstance(value, Prose):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [p for f in dataclasses.fields(value) for p in _reachable_prose(getattr(value, f.name))]
    if isinstance(value, dict):
        return [p for item in value.values() for p in _reachable_prose(item)]
    if isinstance(value, (list, tuple)):
        return [p for item in value for p in _reachable_prose(item)]
    return []


def test_every_block_of_every_text_of_the_plan_and_its_reports_is_a_field(plan):
    walked = {f.key for f in fields(plan) if f.block is not None}
    blocks = {b.id for prose in _reachable_prose(plan) for b in [*prose.blocks, *(b for n in prose.footnotes.values() for b in n.blocks)]}
    assert blocks and blocks == walked


def test_each_field_has_one_key_and_a_place_where_it_is_written(plan):
    found = fields(plan)
    keys = [f.key for f in found]
    assert len(keys) == len(set(keys))
    assert all(f.location.file and f.location.line for f in found)
    by_key = {f.key: f for f in found}
    assert by_key["plan.title"].text == plan.title and by_key["plan.title"].location.file.endswith("plan.yaml")
    action = plan.actions[0]
    target = by_key[Keys.target(action.id, action.kpis[0].id)]
    assert (target.owner, target.text) == ("kpi", action.kpis[0].target.counted)
    assert by_key[Keys.kpi(action.id, action.kpis[0].id)].block == action.kpis[0].text.blocks[0]


def test_fields_come_in_document_order(plan):
    keys = [f.key for f in fields(plan)]
    first_action = plan.actions[0]
    order = [
        "plan.title",
        plan.introduction.blocks[0].id,
        plan.objectives.blocks[0].id,
        Keys.objective(plan.strategic_objectives[0].id, "title"),
        plan.context.blocks[0].id,
        Keys.action(first_action.id, "reference"),
        first_action.summary.blocks[0].id,
        Keys.kpi(first_action.id, first_action.kpis[0].id),
        Keys.target(first_action.id, first_action.kpis[0].id),
        Keys.activity(first_action.id, first_action.activities[0].id),
    ]
    assert [keys.index(k) for k in order] == sorted(keys.index(k) for k in order)
    progress = [i for i, k in enumerate(keys) if k.startswith("progress.")]
    assert progress and min(progress) > keys.index(Keys.activity(plan.actions[-1].id, plan.actions[-1].activities[-1].id))


def test_catalog_messages_are_the_fields(plan):
    assert [e.context for e in entries(plan)] == [f.key for f in fields(plan)]


def test_replacing_nothing_gives_the_same_plan_and_replacing_everything_reaches_every_field(plan):
    assert replaced(plan, lambda f: f.text, _same_block) == plan

    def mark(field):
        return dataclasses.replace(field.block, inlines=(*field.block.inlines, Span("¶")))

    marked = replaced(plan, lambda f: f"«{f.text}»", mark)
    assert [f.key for f in fields(marked)] == [f.key for f in fields(plan)]
    for field in fields(marked):
        if field.block is None:
            assert field.text.startswith("«") and field.text.endswith("»"), field.key
        else:
            assert field.block.inlines[-1] == Span("¶"), field.key
    assert marked.actions[0].kpis[0].target.counted == f"«{plan.actions[0].kpis[0].target.counted}»"

def test_a_heading_that_repeats_its_title_follows_the_title_in_every_language(plan):
    objective = next(o for o in plan.strategic_objectives if o.heading == o.title)
    assert Keys.objective(objective.id, "heading") not in {f.key for f in fields(plan)}
    translated = replaced(plan, lambda f: f"«{f.text}»", _same_block)
    same = next(o for o in translated.strategic_objectives if o.id == objective.id)
    assert same.heading == same.title == f"«{objective.title}»"


def test_the_change_report_sees_a_changed_paragraph_through_the_walk(plan):
    block = plan.context.blocks[0]

    def edit(field):
        if field.key != block.id:
            return field.block
        return dataclasses.replace(field.block, inlines=(Span("Texto nuevo."),))

    changes = compare(plan, replaced(plan, lambda f: f.text, edit), Words(plan.language, {}))
    assert [(c.kind, c.id, c.change) for c in changes] == [("paragraph", block.id, "changed")]
