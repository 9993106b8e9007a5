"""Every translatable text of a plan, once: the walk that catalogs, localizing and change reports share.

A *field* is a one-line text (a title, an action's reference, a target's
wording) or a block of prose (a heading, paragraph, list item, table cell or
footnote paragraph).  Its *key* is stable across versions and languages: the message
context of the translation catalogs and the id in change reports.  Keys are
spelled here and nowhere else (``Keys``); the sources use them to name the
blocks of Markdown fields.

``fields(plan)`` lists them in document order; ``replaced(plan, …)`` rebuilds
the plan with other texts (a translation), walking the same way.  A field
added to the plan is added to ``_Walk`` once and every user sees it.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Literal

from ..diagnostics import Location
from .plan import Action, ActionReport, Kpi, Plan, Report, StrategicObjective
from .prose import Block, Prose

Owner = Literal["plan", "objective", "action", "kpi", "activity", "progress"]


class Keys:
    """The stable key of each field, and the prefix of each Markdown field's block ids."""

    @staticmethod
    def plan(name: str) -> str:
        return f"plan.{name}"  # title, origin, recipients, subject

    @staticmethod
    def objective(objective_id: str, name: str) -> str:
        return f"{objective_id}.{name}"  # title, heading

    @staticmethod
    def action(action_id: str, name: str) -> str:
        return f"{action_id}.{name}"  # reference, summary

    @staticmethod
    def kpi(action_id: str, kpi_id: str) -> str:
        return f"{action_id}.kpis.{kpi_id}"

    @staticmethod
    def target(action_id: str, kpi_id: str) -> str:
        return f"{Keys.kpi(action_id, kpi_id)}.target"

    @staticmethod
    def funding_source(action_id: str, line: int) -> str:
        """The source of funding of an action's budget line, by its number (1, 2…) in the action's budget."""
        return f"{action_id}.budget.{line}"

    @staticmethod
    def activity(action_id: str, activity_id: str) -> str:
        return f"{action_id}.activities.{activity_id}"

    @staticmethod
    def progress(period: str, action_id: str, *item: str) -> str:
        """Notes of a progress report: the action's (``notes``), a KPI's (``kpis``, id) or an activity's."""
        return ".".join(("progress", period, action_id, *(item or ("notes",))))


@dataclasses.dataclass(frozen=True)
class Field:
    """One translatable text: a one-line ``text`` or a prose ``block``."""

    key: str
    owner: Owner  # what it belongs to: the plan, an objective, an action, a KPI, an activity or a progress report
    location: Location
    text: str = ""
    block: Block | None = None


TextFunction = Callable[[Field], str]
BlockFunction = Callable[[Field], Block]


def fields(plan: Plan) -> list[Field]:
    """Every translatable text of the plan and its progress reports, in document order."""
    found: list[Field] = []

    def text(field: Field) -> str:
        found.append(field)
        return field.text

    def block(field: Field) -> Block:
        found.append(field)
        assert field.block is not None
        return field.block

    _Walk(text, block).plan(plan)
    return found


def replaced(plan: Plan, text: TextFunction, block: BlockFunction) -> Plan:
    """The plan with each one-line text replaced by ``text(field)`` and each block by ``block(field)``."""
    return _Walk(text, block).plan(plan)


class _Walk:
    """Visits every field in document order and rebuilds the plan from what the visitors return."""

    def __init__(self, text: TextFunction, block: BlockFunction) -> None:
        self.text = text
        self.block = block

    def one_line(self, key: str, owner: Owner, value: str, where: Location) -> str:
        return self.text(Field(key, owner, where, text=value)) if value else value

    def prose(self, prose: Prose, owner: Owner) -> Prose:
        # an empty table cell has nothing to translate or compare
        blocks = tuple(self.block(Field(b.id, owner, b.location, block=b)) if b.inlines else b for b in prose.blocks)
        footnotes = {
            label: dataclasses.replace(note, blocks=tuple(self.block(Field(b.id, owner, b.location, block=b)) for b in note.blocks))
            for label, note in prose.footnotes.items()
        }
        return Prose(blocks, footnotes)

    def plan(self, plan: Plan) -> Plan:
        def header(name: str) -> str:
            return self.one_line(Keys.plan(name), "plan", getattr(plan, name), plan.written_at[name])

        title, origin, recipients, subject = (header(name) for name in ("title", "origin", "recipients", "subject"))
        introduction = self.prose(plan.introduction, "plan")
        objectives_text = self.prose(plan.objectives, "plan")
        titles = [self.one_line(Keys.objective(o.id, "title"), "objective", o.title, o.written_at["title"]) for o in plan.strategic_objectives]
        context = self.prose(plan.context, "plan")
        objectives = tuple(self.objective(o, title) for o, title in zip(plan.strategic_objectives, titles))
        reports = tuple(self.report(r) for r in plan.reports)
        return dataclasses.replace(
            plan, title=title, origin=origin, recipients=recipients, subject=subject, introduction=introduction,
            objectives=objectives_text, context=context, strategic_objectives=objectives, reports=reports,
        )

    def objective(self, objective: StrategicObjective, title: str) -> StrategicObjective:
        # a heading that repeats the title is the title, in every language
        if objective.heading == objective.title:
            heading = title
        else:
            heading = self.one_line(Keys.objective(objective.id, "heading"), "objective", objective.heading, objective.written_at["heading"])
        actions = tuple(self.action(a) for a in objective.actions)
        return dataclasses.replace(objective, title=title, heading=heading, actions=actions)

    def action(self, action: Action) -> Action:
        reference = self.one_line(Keys.action(action.id, "reference"), "action", action.reference, action.written_at["reference"])
        summary = self.prose(action.summary, "action")
        kpis = tuple(self.kpi(action, k) for k in action.kpis)
        activities = tuple(dataclasses.replace(x, text=self.prose(x.text, "activity")) for x in action.activities)
        budget = tuple(
            dataclasses.replace(line, source=self.one_line(Keys.funding_source(action.id, n), "action", line.source, line.written_at["source"]))
            for n, line in enumerate(action.budget, start=1)
        )
        return dataclasses.replace(action, reference=reference, summary=summary, kpis=kpis, activities=activities, budget=budget)

    def kpi(self, action: Action, kpi: Kpi) -> Kpi:
        text = self.prose(kpi.text, "kpi")
        target = kpi.target
        counted = self.one_line(Keys.target(action.id, kpi.id), "kpi", target.counted, target.written_at["counted"])
        return dataclasses.replace(kpi, text=text, target=dataclasses.replace(target, counted=counted))

    def report(self, report: Report) -> Report:
        return dataclasses.replace(report, actions={key: self.action_report(value) for key, value in report.actions.items()})

    def action_report(self, report: ActionReport) -> ActionReport:
        return dataclasses.replace(
            report,
            notes=self.prose(report.notes, "progress"),
            kpis={k: dataclasses.replace(v, notes=self.prose(v.notes, "progress")) for k, v in report.kpis.items()},
            activities={k: dataclasses.replace(v, notes=self.prose(v.notes, "progress")) for k, v in report.activities.items()},
        )

