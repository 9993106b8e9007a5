"""The resolved plan: one frozen, render-ready model per plan.

Built by ``sources`` from files that passed every check; every later phase
(localizing, documents, change reports) reads it, never the YAML, so no text
exists twice.  ``written_at`` says where each one-line text of an object is
written (for translation catalogs); prose blocks carry their own location.
"""
from __future__ import annotations

import dataclasses
import datetime
import decimal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Location
from .period import Period
from .prose import Footnote, Prose


def _written_at() -> Any:
    """Field name → where its text is written; not part of what an object *is* (equality ignores it)."""
    return dataclasses.field(default_factory=dict, compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class Target:
    comparator: str  # at_least | at_most | exactly | between | achieved | to_be_determined
    value: float | int | None  # for between: the range's low end
    currency: str | None
    counted: str
    kind: str = "count"  # count (reports add up) | level (the latest report counts: a percentage, a rate, a duration)
    up_to: float | int | None = None  # for between: the range's high end
    written_at: Mapping[str, Location] = _written_at()

    @property
    def decimal(self) -> bool:
        """Whether the target and its reports may have decimals (an amount or a level; a count is whole)."""
        return self.currency is not None or self.kind == "level"


@dataclasses.dataclass(frozen=True)
class Kpi:
    id: str
    letter: str  # a, b, c… in the action's order
    text: Prose
    target: Target


@dataclasses.dataclass(frozen=True)
class Activity:
    id: str
    number: int  # 1, 2, 3… in the action's order
    text: Prose
    calendar: tuple[Period, ...]  # empty for an ongoing activity
    ongoing: str | None = None  # permanent | continuous: due in every period, never overdue


@dataclasses.dataclass(frozen=True)
class BudgetLine:
    """One line of an action's budget: an amount in a currency, from a source of funding."""

    amount: int | float
    currency: str  # ISO 4217
    source: str  # the source of funding, as written (translatable)
    written_at: Mapping[str, Location] = _written_at()


def budget_totals(lines: tuple[BudgetLine, ...]) -> tuple[tuple[str, decimal.Decimal], ...]:
    """The sum of each currency, in the order the currencies first appear: amounts in different
    currencies are never added together (there is no rate to convert them at).  Exact: each amount
    as written (``Decimal(repr(…))``), not as its binary float."""
    sums: dict[str, decimal.Decimal] = {}
    for line in lines:
        sums[line.currency] = sums.get(line.currency, decimal.Decimal(0)) + decimal.Decimal(repr(line.amount))
    return tuple(sums.items())


@dataclasses.dataclass(frozen=True)
class Action:
    id: str
    reference: str
    objective_id: str
    lead: tuple[str, ...]  # one lead country, several, or none
    co_leads: tuple[str, ...]
    participants: tuple[str, ...]
    summary: Prose
    kpis: tuple[Kpi, ...]
    activities: tuple[Activity, ...]
    budget: tuple[BudgetLine, ...] = ()
    written_at: Mapping[str, Location] = _written_at()


@dataclasses.dataclass(frozen=True)
class StrategicObjective:
    id: str
    number: int
    title: str
    heading: str  # the section-3 heading's wording (the title unless told otherwise)
    actions: tuple[Action, ...]
    written_at: Mapping[str, Location] = _written_at()

    @property
    def budget(self) -> tuple[BudgetLine, ...]:
        return tuple(line for action in self.actions for line in action.budget)


@dataclasses.dataclass(frozen=True)
class Plan:
    id: str
    folder: Path
    title: str
    language: str
    languages: tuple[str, ...]
    reference: str
    date: datetime.date
    date_precision: str  # "month" or "day": how the date was written
    period: Period
    origin: str
    recipients: str
    subject: str
    lead: tuple[str, ...]  # one lead country, several, or none
    co_leads: tuple[str, ...]
    participants: tuple[str, ...]
    introduction: Prose
    objectives: Prose
    context: Prose
    strategic_objectives: tuple[StrategicObjective, ...]
    reports: tuple[Report, ...] = ()  # progress reports, in period order
    translations: tuple[tuple[str, str], ...] = ()  # (language, published | draft)
    written_at: Mapping[str, Location] = _written_at()

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(action for objective in self.strategic_objectives for action in objective.actions)

    @property
    def budget(self) -> tuple[BudgetLine, ...]:
        return tuple(line for action in self.actions for line in action.budget)

    def footnotes(self) -> dict[str, Footnote]:
        """Every footnote of the plan by label, whichever text defines it."""
        result: dict[str, Footnote] = {}
        for prose in self.all_prose():
            result.update(prose.footnotes)
        return result

    def all_prose(self) -> list[Prose]:
        """Every Markdown text of the plan and its progress reports, in document order."""
        texts = [self.introduction, self.objectives, self.context]
        for action in self.actions:
            texts.append(action.summary)
            texts.extend(kpi.text for kpi in action.kpis)
            texts.extend(activity.text for activity in action.activities)
        for report in self.reports:
            for action_report in report.actions.values():
                texts.append(action_report.notes)
                texts.extend(k.notes for k in action_report.kpis.values())
                texts.extend(a.notes for a in action_report.activities.values())
        return texts

    def action(self, action_id: str) -> Action:
        return next(a for a in self.actions if a.id == action_id)


@dataclasses.dataclass(frozen=True)
class Organisation:
    id: str
    names: dict[str, str]
    written_at: Mapping[str, Location] = _written_at()  # "name": where its names are written

    def name(self, language: str, fallback: str) -> str:
        return self.names.get(language) or self.names.get(fallback) or next(iter(self.names.values()))


@dataclasses.dataclass(frozen=True)
class Sources:
    """Everything in ``source/``: the organisations and the plans."""

    folder: Path
    organisations: dict[str, Organisation]
    plans: tuple[Plan, ...]


@dataclasses.dataclass(frozen=True)
class KpiReport:
    value: bool | int | float
    notes: Prose


@dataclasses.dataclass(frozen=True)
class ActivityReport:
    status: str  # not_started | in_progress | completed | postponed | cancelled
    date: datetime.date | None
    notes: Prose


@dataclasses.dataclass(frozen=True)
class ActionReport:
    notes: Prose
    kpis: dict[str, KpiReport]
    activities: dict[str, ActivityReport]


@dataclasses.dataclass(frozen=True)
class Report:
    """A progress report of one semester, checked against its plan."""

    period: Period
    date: datetime.date
    sample: bool
    actions: dict[str, ActionReport]
