"""Progress as of a reporting period, computed from the reports (never in templates).

Rules, for a KPI as of period P (see docs/progress.md):

* its cumulative value adds up the values reported for P and before; for a
  level (``kind: level``) it is the latest of them; a yes/no KPI is achieved
  once a report says so; attainment compares it with the target (``attainment``:
  at_most and between above the range count as limit / value; a target to be
  determined has none, and is not started or on track);
* the action's *window* runs from the first to the last month of its
  activities' calendars (months, quarters, semesters or years; the plan's
  whole period for a permanent or continuous activity, and when it has no
  activity); *before* counts the window's months before P begins;
* status, the first rule that applies:
  1. achieved — attainment reaches 100 %;
  2. at risk — the window has ended (P reaches its last month or later);
  3. not started — nothing achieved yet (cumulative 0);
  4. on track — attainment ≥ before / window length (in months): the share of
     the target due for the time elapsed before P, P itself being the grace;
  5. at risk — otherwise.

An activity's status is the latest reported at or before P (not started when
none); it is *overdue* when its calendar ended before P began and it is
neither completed nor cancelled (a permanent or continuous activity is due
in every period and never overdue).  An action is achieved when all its KPIs are achieved
and all its activities completed or cancelled, at risk when a KPI is at risk or
an activity overdue, not started when nothing has started, on track otherwise.
"""
from __future__ import annotations

import dataclasses
import datetime

from .period import Period
from .plan import Action, Activity, Kpi, Plan, Report, StrategicObjective, Target
from .prose import EMPTY, Prose

ACTIVITY_STATUSES = ("not_started", "in_progress", "completed", "postponed", "cancelled")
DONE = ("completed", "cancelled")


@dataclasses.dataclass(frozen=True)
class KpiProgress:
    kpi: Kpi
    this_period: bool | int | float | None  # None: not reported for this period
    cumulative: bool | int | float | None  # a level: the latest value (None before any report)
    attainment: float | None  # percent of the target; None while the target is to be determined
    status: str
    notes: Prose


@dataclasses.dataclass(frozen=True)
class ActivityProgress:
    activity: Activity
    status: str
    date: datetime.date | None
    overdue: bool
    notes: Prose


@dataclasses.dataclass(frozen=True)
class Summary:
    kpis_achieved: int
    kpis_total: int
    activities_completed: int
    activities_total: int
    activities_overdue: int
    status: str


@dataclasses.dataclass(frozen=True)
class ActionProgress:
    action: Action
    kpis: tuple[KpiProgress, ...]
    activities: tuple[ActivityProgress, ...]
    notes: Prose
    summary: Summary

    @property
    def mean_attainment(self) -> float:
        """Mean attainment of the action's KPIs, each counted up to 100 % (a target still to be determined: not counted)."""
        reached = [min(k.attainment, 100.0) for k in self.kpis if k.attainment is not None]
        return sum(reached) / len(reached) if reached else 0.0


@dataclasses.dataclass(frozen=True)
class ObjectiveProgress:
    objective: StrategicObjective
    actions: tuple[ActionProgress, ...]
    summary: Summary


@dataclasses.dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    report: Report  # the report of the period
    objectives: tuple[ObjectiveProgress, ...]
    summary: Summary

    @property
    def period(self) -> Period:
        return self.report.period

    @property
    def actions(self) -> tuple[ActionProgress, ...]:
        return tuple(a for o in self.objectives for a in o.actions)

    @property
    def overdue(self) -> list[tuple[ActionProgress, ActivityProgress]]:
        return [(a, activity) for a in self.actions for activity in a.activities if activity.overdue]


def as_of(plan: Plan, period: Period) -> PlanProgress:
    """The plan's progress as of ``period``, which must have a report."""
    report = next(r for r in plan.reports if r.period == period)
    reports = [r for r in plan.reports if r.period <= period]
    objectives = []
    for objective in plan.strategic_objectives:
        actions = tuple(_action(plan, action, reports, report) for action in objective.actions)
        objectives.append(ObjectiveProgress(objective, actions, _combine([a.summary for a in actions])))
    return PlanProgress(plan, report, tuple(objectives), _combine([o.summary for o in objectives]))


def latest(plan: Plan) -> PlanProgress | None:
    """Progress as of the latest reported period, or None without reports."""
    return as_of(plan, plan.reports[-1].period) if plan.reports else None


def window(plan: Plan, action: Action) -> Period:
    """From the first to the last month of the action's activities (the plan's period for an ongoing one)."""
    calendars = [period for activity in action.activities for period in activity.calendar]
    if not calendars or any(activity.ongoing for activity in action.activities):
        calendars.append(plan.period)
    return Period(min(p.first for p in calendars), max(p.last for p in calendars))


def _action(plan: Plan, action: Action, reports: list[Report], report: Report) -> ActionProgress:
    span = window(plan, action)
    period = report.period
    length = span.last - span.first + 1
    before = min(max(period.first - span.first, 0), length)  # the window's months before the period
    ended = period.last >= span.last
    this = report.actions.get(action.id)
    kpis = tuple(_kpi(action, kpi, reports, this, before, length, ended) for kpi in action.kpis)
    activities = tuple(_activity(action, activity, reports, this, period) for activity in action.activities)
    return ActionProgress(action, kpis, activities, this.notes if this else EMPTY, _summary(kpis, activities))


def standing(target: Target, values: list) -> bool | int | float | None:
    """What a KPI stands at after ``values`` (its reports, oldest first): a count or amount adds them up, a level
    is the latest (None before any report), a yes/no KPI is achieved once a report says so."""
    if target.comparator == "achieved":
        return any(v is True for v in values)
    numbers = [v for v in values if not isinstance(v, bool)]
    if target.kind == "level":
        return numbers[-1] if numbers else None
    return sum(numbers)


def attainment(target: Target, value: bool | int | float | None) -> float | None:
    """Percent of the target reached (None for a target still to be determined); 100 means met."""
    if target.comparator == "to_be_determined":
        return None
    if target.comparator == "achieved":
        return 100.0 if value else 0.0
    if value is None or isinstance(value, bool):
        return 0.0
    low = target.value or 0
    if target.comparator == "at_most" or (target.comparator == "between" and value > (target.up_to or 0)):
        # a reduction: met at or below the limit; above it, the limit's share of the value (96 h for 48 h: 50 %)
        limit = low if target.comparator == "at_most" else (target.up_to or 0)
        return 100.0 if value <= limit else 100.0 * limit / value
    return 100.0 * value / low if low else 100.0


def _kpi(action, kpi: Kpi, reports, this, before: int, length: int, ended: bool) -> KpiProgress:
    values = [r.actions[action.id].kpis[kpi.id].value for r in reports if action.id in r.actions and kpi.id in r.actions[action.id].kpis]
    value = standing(kpi.target, values)
    reached = attainment(kpi.target, value)
    if reached is None:  # nothing to reach yet: started or not, never achieved nor at risk
        status = "on_track" if values else "not_started"
    elif reached >= 100:
        status = "achieved"
    elif ended:
        status = "at_risk"
    elif not value:
        status = "not_started"
    elif reached >= 100.0 * before / length:
        status = "on_track"
    else:
        status = "at_risk"
    reported = this.kpis.get(kpi.id) if this else None
    return KpiProgress(kpi, reported.value if reported else None, value, reached, status, reported.notes if reported else EMPTY)


def _activity(action, activity: Activity, reports, this, period: Period) -> ActivityProgress:
    status, date = "not_started", None
    for report in reports:
        reported = report.actions.get(action.id)
        if reported and activity.id in reported.activities:
            status, date = reported.activities[activity.id].status, reported.activities[activity.id].date
    # an ongoing activity is due in every period: never behind its calendar
    overdue = not activity.ongoing and max(p.last for p in activity.calendar) < period.first and status not in DONE
    notes = this.activities[activity.id].notes if this and activity.id in this.activities else EMPTY
    return ActivityProgress(activity, status, date, overdue, notes)


def _summary(kpis: tuple[KpiProgress, ...], activities: tuple[ActivityProgress, ...]) -> Summary:
    statuses = [k.status for k in kpis]
    if (kpis or activities) and all(s == "achieved" for s in statuses) and all(a.status in DONE for a in activities):
        overall = "achieved"
    elif "at_risk" in statuses or any(a.overdue for a in activities):
        overall = "at_risk"
    elif all(s == "not_started" for s in statuses) and all(a.status == "not_started" for a in activities):
        overall = "not_started"
    else:
        overall = "on_track"
    return Summary(
        kpis_achieved=statuses.count("achieved"),
        kpis_total=len(kpis),
        activities_completed=sum(a.status == "completed" for a in activities),
        activities_total=len(activities),
        activities_overdue=sum(a.overdue for a in activities),
        status=overall,
    )


def _combine(parts: list[Summary]) -> Summary:
    """A summary of summaries: counts add up; the status follows the same precedence."""
    statuses = [p.status for p in parts]
    if parts and all(s == "achieved" for s in statuses):
        overall = "achieved"
    elif "at_risk" in statuses:
        overall = "at_risk"
    elif all(s == "not_started" for s in statuses):
        overall = "not_started"
    else:
        overall = "on_track"
    return Summary(
        kpis_achieved=sum(p.kpis_achieved for p in parts),
        kpis_total=sum(p.kpis_total for p in parts),
        activities_completed=sum(p.activities_completed for p in parts),
        activities_total=sum(p.activities_total for p in parts),
        activities_overdue=sum(p.activities_overdue for p in parts),
        status=overall,
    )
