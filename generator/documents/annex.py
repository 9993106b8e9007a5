"""A progress annex: what ``anexo.docx`` receives about a plan's progress as of one period."""
from __future__ import annotations

from ..model.plan import Report
from ..model.progress import ActionProgress, PlanProgress, Summary
from ..model.prose import ProseWriter
from ..ooxml.package import Properties
from ..translation.words import Words
from .charts import Chart
from .edition import Edition
from .parts import CREATOR, STATUS_FILLS, activity_row, code, kpi_row


def context(edition: Edition, report: Report, text: ProseWriter) -> dict:
    """The progress of the plan as of the report's period: summary, charts, details, overdue activities."""
    plan, words = edition.plan, edition.words
    progress = edition.progress(report.period)
    attainment, activities = charts(edition, report)
    return {
        "l": words.labels,
        "plan": {"title": plan.title, "reference": code(plan.reference)},
        "report": {"period": report.period.label(), "date": words.date(report.date, "day"), "sample": report.sample},
        "summary": [_summary_row(code(a.action.reference), a.summary, words) for a in progress.actions],
        "total": _summary_row(words.labels["total"], progress.summary, words),
        "charts": [
            text.image(attainment, 15.5, words.labels["chart_attainment_alt"].format(values=_attainment_values(progress, words))),
            text.image(activities, 15.5, words.labels["chart_activities_alt"].format(values=_activity_values(progress, words))),
        ],
        "actions": [_action_detail(a, words, text) for a in progress.actions],
        "overdue": [
            {"action": code(a.action.reference), **activity_row(activity, words, text, again=True)} for a, activity in progress.overdue
        ],
        "overdue_count": words.plural("overdue_count", len(progress.overdue)),
    }


def charts(edition: Edition, report: Report) -> tuple[Chart, Chart]:
    """Its two charts, to draw: mean KPI attainment per action, and activities by status."""
    progress = edition.progress(report.period)
    return edition.charts.kpi_attainment(progress, edition.words), edition.charts.activities_by_status(progress, edition.words)


def properties(edition: Edition, report: Report) -> Properties:
    plan, words = edition.plan, edition.words
    progress = edition.progress(report.period)
    return Properties(
        title=f"{words.labels['annex_title']} {progress.period.label()}",
        subject=plan.title,
        creator=CREATOR,
        keywords=("PAO", plan.reference, str(progress.period)),
        language=words.tag,
        date=progress.report.date,
    )


def _summary_row(label: str, summary: Summary, words: Words) -> dict:
    return {
        "label": label,
        "kpis": f"{summary.kpis_achieved}/{summary.kpis_total}",
        "activities": f"{summary.activities_completed}/{summary.activities_total}",
        "overdue": str(summary.activities_overdue),
        "status": words.kpi_status(summary.status),
        "fill": STATUS_FILLS[summary.status],
    }


def _action_detail(state: ActionProgress, words: Words, text: ProseWriter) -> dict:
    notes = text.paragraphs_of(
        [(state.notes, "")]
        + [(k.notes, f"{k.kpi.letter}) ") for k in state.kpis]
        + [(a.notes, f"{a.activity.number}. ") for a in state.activities]
    )
    return {
        "reference": code(state.action.reference),
        "status": words.kpi_status(state.summary.status),
        "kpis": [kpi_row(k, words, text) for k in state.kpis],
        "activities": [activity_row(a, words, text) for a in state.activities],
        "notes": notes,
    }


def _attainment_values(progress: PlanProgress, words: Words) -> str:
    return "; ".join(f"{state.action.reference} {words.percent(state.mean_attainment)}" for state in progress.actions)


def _activity_values(progress: PlanProgress, words: Words) -> str:
    parts = []
    for state in progress.actions:
        counts: dict[str, int] = {}
        for activity in state.activities:
            counts[activity.status] = counts.get(activity.status, 0) + 1
        described = ", ".join(f"{words.activity_status(s).lower()}{words.labels['colon']}{n}" for s, n in counts.items())
        parts.append(f"{state.action.reference} ({described})")
    return "; ".join(parts)
