"""Progress reports: loading and checking ``source/<plan>/progress/*.yaml``.

A report is written by a person, so it is checked like the plan, with located
messages: its period lies within the plan's, every action, KPI and activity it
names exists, values fit their KPI, statuses come from the fixed set, and a
report does not contradict an earlier one.
"""
from __future__ import annotations

import difflib

from ..diagnostics import Diagnostics
from ..model import plan as resolve
from ..model.fields import Keys
from ..model.period import Period
from ..model.prose import EMPTY, Prose
from . import format as model
from .checks import check_characters, path_text, validated
from .limits import MAX_NUMBER, number_problem
from .markdown import parse
from .yamlfile import YamlFile, load_yaml

PROGRESS_FOLDER = "progress"
DONE = {"completed", "cancelled"}


def load_reports(plan: resolve.Plan, diagnostics: Diagnostics) -> tuple[resolve.Report, ...]:
    """The plan's reports in period order; problems go to ``diagnostics``."""
    folder = plan.folder / PROGRESS_FOLDER
    checked: list[tuple[resolve.Report, YamlFile]] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []:
        source = load_yaml(path, diagnostics, inside=plan.folder)
        if source is None:
            continue
        check_characters(source, diagnostics)
        report = validated(model.ProgressReport, source, diagnostics)
        if report is not None:
            resolved = _ReportChecker(plan, source, report, diagnostics).run()
            if resolved is not None:
                _check_same_period(resolved, source, checked, diagnostics)
                checked.append((resolved, source))
    checked.sort(key=lambda item: item[0].period)
    _check_history(plan, checked, diagnostics)
    return tuple(report for report, _ in checked)


class _ReportChecker:
    def __init__(self, plan: resolve.Plan, source: YamlFile, report: model.ProgressReport, diagnostics: Diagnostics) -> None:
        self.plan = plan
        self.source = source
        self.report = report
        self.diagnostics = diagnostics
        self.ok = True

    def error(self, path: tuple, message: str, code: str, key: bool = False) -> None:
        self.ok = False
        self.diagnostics.error(self.source.locate(path, key=key), f"{path_text(path)}: {message}", code)

    def warning(self, path: tuple, message: str, code: str) -> None:
        self.diagnostics.warning(self.source.locate(path), f"{path_text(path)}: {message}", code)

    def run(self) -> resolve.Report | None:
        report = self.report
        period = report.period
        if not period.is_semester:
            self.error(("period",), f"a reporting period is a semester (e.g. {period.year}-S1), not {period}", "progress.period")
        elif not self.plan.period.contains(period):
            self.error(("period",), f"{period} is outside the plan's period ({_span_text(self.plan.period)})", "progress.period")
        else:
            if self.source.path.stem != str(period):
                self.warning(("period",), f"the report of {period} is in '{self.source.path.name}': name it '{period}.yaml'", "progress.file-name")
            if report.date <= period.last_day:
                self.warning(("date",), f"dated {report.date}, before {period} has ended", "progress.date")
        actions = {}
        for action_id, action_report in report.actions.items():
            path = ("actions", action_id)
            action = next((a for a in self.plan.actions if a.id == action_id), None)
            if action is None:
                self.error(path, f"'{action_id}' is not an operational action of this plan{_hint(action_id, [a.id for a in self.plan.actions])}", "progress.unknown-action", key=True)
                continue
            actions[action_id] = self._action(path, action, action_report)
        if not self.ok:
            return None
        return resolve.Report(period=period, date=report.date, sample=report.sample, actions=actions)

    def _action(self, path: tuple, action: resolve.Action, report: model.ActionProgress) -> resolve.ActionReport:
        period = str(self.report.period)
        kpis = {}
        for kpi_id, progress in report.kpis.items():
            kpi = next((k for k in action.kpis if k.id == kpi_id), None)
            if kpi is None:
                self.error(path + ("kpis", kpi_id), f"'{kpi_id}' is not a KPI of {action.id}{_hint(kpi_id, [k.id for k in action.kpis])}", "progress.unknown-kpi", key=True)
                continue
            value = _yes_no(progress.value) if kpi.target.comparator == "achieved" else progress.value
            checked = self._checked_value(path + ("kpis", kpi_id), kpi, progress.model_copy(update={"value": value}))
            notes = self._notes(path + ("kpis", kpi_id, "notes"), Keys.progress(period, action.id, "kpis", kpi_id), progress.notes)
            if checked is not None:
                kpis[kpi_id] = resolve.KpiReport(checked, notes)
        activities = {}
        for activity_id, reported in report.activities.items():
            apath = path + ("activities", activity_id)
            if not any(a.id == activity_id for a in action.activities):
                self.error(apath, f"'{activity_id}' is not an activity of {action.id}{_hint(activity_id, [a.id for a in action.activities])}", "progress.unknown-activity", key=True)
                continue
            if reported.status == "completed" and reported.date is None:
                self.error(apath + ("status",), "a completed activity needs the day it was completed: add 'date: YYYY-MM-DD'", "progress.date")
            elif reported.status != "completed" and reported.date is not None:
                self.error(apath + ("date",), f"a date is the day an activity was completed, but its status is {reported.status}", "progress.date")
            elif reported.date is not None and reported.date > self.report.date:
                self.error(apath + ("date",), f"completed on {reported.date}, after the report's date ({self.report.date})", "progress.date")
            elif reported.date is not None and reported.date < self.plan.period.first_day:
                self.error(apath + ("date",), f"completed on {reported.date}, before the plan's period began", "progress.date")
            activities[activity_id] = resolve.ActivityReport(reported.status, reported.date, self._notes(apath + ("notes",), Keys.progress(period, action.id, "activities", activity_id), reported.notes))
        return resolve.ActionReport(self._notes(path + ("notes",), Keys.progress(period, action.id), report.notes), kpis, activities)

    def _checked_value(self, path: tuple, kpi: resolve.Kpi, progress: model.KpiProgress) -> bool | int | float | None:
        """The reported value if it fits its KPI (else None, with the problem reported)."""
        value, target = progress.value, kpi.target
        if target.comparator == "achieved":
            if not isinstance(value, bool):
                self.error(path + ("value",), f"KPI {kpi.id} is a yes/no target ({target.counted}): write true or false", "progress.value")
                return None
            return value
        if isinstance(value, str):
            self.error(path + ("value",), "must be a number", "schema.type")
            return None
        errors = len(self.diagnostics.errors)
        if isinstance(value, bool):
            self.error(path + ("value",), f"KPI {kpi.id} counts {target.counted}: write a number, not {str(value).lower()}", "progress.value")
        elif target.currency:
            if value < 0:
                self.error(path + ("value",), "an amount must not be negative", "progress.value")
            elif problem := number_problem(value, whole=False):
                self.error(path + ("value",), problem, "progress.value")
            if progress.currency != target.currency:
                found = f"'{progress.currency}'" if progress.currency else "no currency"
                self.error(path + ("currency",) if progress.currency else path, f"KPI {kpi.id} is an amount in {target.currency}: write 'currency: {target.currency}' ({found} given)", "progress.currency")
        elif target.kind == "level":  # 62.5 (%), 36 (h): decimals allowed wherever the target may have them
            if problem := number_problem(value, whole=False):
                self.error(path + ("value",), f"KPI {kpi.id} is a level ({target.counted}): {problem}", "progress.value")
            if progress.currency is not None:
                self.error(path + ("currency",), f"KPI {kpi.id} is a level, not an amount: remove the currency", "progress.currency")
        else:
            if (isinstance(value, float) and value <= MAX_NUMBER) or value < 0:  # 1.5, 2.0, -1; too large or .nan: below
                self.error(path + ("value",), f"KPI {kpi.id} is a count: write a whole number, 0 or more (not {value})", "progress.value")
            elif problem := number_problem(value, whole=True):
                self.error(path + ("value",), problem, "progress.value")
            if progress.currency is not None:
                self.error(path + ("currency",), f"KPI {kpi.id} is a count, not an amount: remove the currency", "progress.currency")
        return value if len(self.diagnostics.errors) == errors else None

    def _notes(self, path: tuple, ids: str, text: str) -> Prose:
        if not text:
            return EMPTY
        origin, block = self.source.text_origin(path)
        return parse(text, origin, self.diagnostics, ids=ids, block_scalar=block, headings=False)


def _check_same_period(report: resolve.Report, source: YamlFile, earlier: list, diagnostics: Diagnostics) -> None:
    for other, other_source in earlier:
        if other.period == report.period:
            diagnostics.error(
                source.locate(("period",)),
                f"period: a report for {report.period} already exists ({other_source.shown}): one report per period",
                "progress.duplicate-period",
            )


def _check_history(plan: resolve.Plan, checked: list[tuple[resolve.Report, YamlFile]], diagnostics: Diagnostics) -> None:
    """A later report must not undo what an earlier one said was done."""
    completed: dict[tuple[str, str], Period] = {}
    achieved: dict[tuple[str, str], Period] = {}
    for report, source in checked:
        for action_id, action in report.actions.items():
            for activity_id, activity in action.activities.items():
                key = (action_id, activity_id)
                where = source.locate(("actions", action_id, "activities", activity_id, "status"))
                if key in completed and activity.status not in DONE:
                    diagnostics.error(
                        where,
                        f"actions.{action_id}.activities.{activity_id}.status: {activity.status}, but the report of {completed[key]} says it was completed",
                        "progress.contradiction",
                    )
                if activity.status == "completed":
                    completed.setdefault(key, report.period)
            for kpi_id, kpi in action.kpis.items():
                key = (action_id, kpi_id)
                if kpi.value is False and key in achieved:
                    diagnostics.warning(
                        source.locate(("actions", action_id, "kpis", kpi_id, "value")),
                        f"actions.{action_id}.kpis.{kpi_id}.value: false, but the report of {achieved[key]} says it was achieved (it stays achieved)",
                        "progress.contradiction",
                    )
                if kpi.value is True:
                    achieved.setdefault(key, report.period)


def _yes_no(value):
    """A yes/no KPI may be written true/false or yes/no (YAML 1.2 reads yes and no as words)."""
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower() == "yes"
    return value


def _hint(word: str, known: list[str]) -> str:
    # 0.75: "AO-3.2" finds "AO-3.1"; "AO-9.9" is like every "AO-N.1" and finds none
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _span_text(period: Period) -> str:
    return f"{period.first_semester}–{period.last_semester}"
