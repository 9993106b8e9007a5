"""What each kind of document shows: the variables its template receives.

Templates get plain strings (escaped by docxtpl) and ``richtext.Xml`` for
prose; all wording and formatting decisions that depend on the language come
from ``i18n.Words``.
"""
from __future__ import annotations

from ..ooxml import package as ooxml
from ..translation.words import Words
from ..model.progress import ActionProgress, PlanProgress
from ..model.plan import Action, Plan
from ..ooxml.writer import WordText

CREATOR = "CLASI – EL PAcCTO"
# a fill colour for each status (its word and symbol come from ``Words.kpi_status``)
STATUS_FILLS = {"achieved": "C6EFCE", "on_track": "DDEBF7", "at_risk": "F8CBAD", "not_started": "EDEDED"}


def pao_context(plan: Plan, words: Words, text: WordText) -> dict:
    """Variables of ``templates/pao.docx``."""
    return {
        "l": words.labels,
        "plan": {
            "title": plan.title,
            "origin": plan.origin,
            "recipients": plan.recipients,
            "reference": plan.reference,
            "subject": plan.subject,
            "lead": words.party(plan.lead) if plan.lead else "",
            "co_leads": words.parties(plan.co_leads),
            "participants": words.parties(plan.participants),
            "date": words.date(plan.date, plan.date_precision),
            "languages": words.language_names(plan.languages),
        },
        "introduction": text.paragraphs(plan.introduction),
        "objectives_text": text.paragraphs(plan.objectives),
        "context": text.paragraphs(plan.context),
        "strategic_objectives": [
            {
                "number": objective.number,
                "title": objective.title,
                "heading": objective.heading,
                "actions": [action_context(action, words, text) for action in objective.actions],
            }
            for objective in plan.strategic_objectives
        ],
    }


def sheet_context(plan: Plan, action: Action, state: PlanProgress | None, words: Words, text: WordText) -> dict:
    """Variables of ``templates/ficha.docx``: one action, with what it belongs to and,
    given the plan's latest progress (``state``), where it stands."""
    objective = next(o for o in plan.strategic_objectives if o.id == action.objective_id)
    return {
        "l": words.labels,
        "plan": {"title": plan.title, "reference": plan.reference, "period": words.span(plan.period)},
        "objective": {"number": objective.number, "title": objective.title, "heading": objective.heading},
        "ao": action_context(action, words, text),
        "status": _latest_status(state, action, words, text),
    }


def _latest_status(progress: PlanProgress | None, action: Action, words: Words, text: WordText) -> dict | None:
    """The sheet's "latest status" part; None (the part is left out) without progress data."""
    if progress is None:
        return None
    state = next(a for a in progress.actions if a.action.id == action.id)
    return {
        "period": progress.period.label(),
        "sample": progress.report.sample,
        "kpis": [_kpi_row(k, words, text, again=True) for k in state.kpis],
        "activities": [_activity_row(a, words, text, again=True) for a in state.activities],
    }


def action_context(action: Action, words: Words, text: WordText) -> dict:
    return {
        "id": action.id,
        "reference": action.reference,
        "lead": words.party(action.lead) if action.lead else "",
        "co_leads": words.parties(action.co_leads),
        "participants": words.parties(action.participants),
        "participant_countries": words.parties([p for p in action.participants if not words.is_organisation(p)]),
        "participant_organisations": words.parties([p for p in action.participants if words.is_organisation(p)]),
        "summary": text.paragraphs(action.summary, style="Table Text"),
        "kpis": [
            {"letter": kpi.letter, "text": text.runs(kpi.text), "target": words.target(kpi.target)}
            for kpi in action.kpis
        ],
        "activities": [
            {"number": activity.number, "text": text.runs(activity.text), "calendar": words.calendar(activity.calendar)}
            for activity in action.activities
        ],
    }


def pao_properties(plan: Plan, words: Words) -> ooxml.Properties:
    return ooxml.Properties(
        title=plan.title,
        subject=plan.subject,
        creator=CREATOR,
        keywords=f"PAO, {plan.reference}",
        language=words.tag,
        date=plan.date,
    )


def sheet_properties(plan: Plan, action: Action, words: Words) -> ooxml.Properties:
    return ooxml.Properties(
        title=f"{words.labels['sheet_title']}: {action.reference}",
        subject=plan.title,
        creator=CREATOR,
        keywords=f"PAO, {plan.reference}, {action.reference}",
        language=words.tag,
        date=plan.date,
    )


def annex_context(plan: Plan, progress: PlanProgress, words: Words, text: WordText) -> dict:
    """Variables of ``templates/anexo.docx``: the progress of a plan as of one period."""
    from . import charts  # matplotlib takes a second to import: only for annexes

    report = progress.report
    attainment = charts.kpi_attainment(progress, words)
    activities = charts.activities_by_status(progress, words)
    return {
        "l": words.labels,
        "plan": {"title": plan.title, "reference": plan.reference},
        "report": {"period": report.period.label(), "date": words.date(report.date, "day"), "sample": report.sample},
        "summary": [_summary_row(a.action.reference, a.summary, words) for a in progress.actions],
        "total": _summary_row(words.labels["total"], progress.summary, words),
        "charts": [
            text.image(attainment, 15.5, words.labels["chart_attainment_alt"].format(values=_attainment_values(progress, words))),
            text.image(activities, 15.5, words.labels["chart_activities_alt"].format(values=_activity_values(progress, words))),
        ],
        "actions": [_action_detail(a, words, text) for a in progress.actions],
        "overdue": [
            {"action": a.action.reference, **_activity_row(activity, words, text, again=True)} for a, activity in progress.overdue
        ],
        "overdue_count": words.plural("overdue_count", len(progress.overdue)),
    }


def annex_properties(plan: Plan, progress: PlanProgress, words: Words) -> ooxml.Properties:
    return ooxml.Properties(
        title=f"{words.labels['annex_title']} {progress.period.label()}",
        subject=plan.title,
        creator=CREATOR,
        keywords=f"PAO, {plan.reference}, {progress.period}",
        language=words.tag,
        date=progress.report.date,
    )


def _summary_row(label: str, summary, words: Words) -> dict:
    return {
        "label": label,
        "kpis": f"{summary.kpis_achieved}/{summary.kpis_total}",
        "activities": f"{summary.activities_completed}/{summary.activities_total}",
        "overdue": str(summary.activities_overdue),
        "status": words.kpi_status(summary.status),
        "fill": STATUS_FILLS[summary.status],
    }


def _kpi_row(state, words: Words, text: WordText, again: bool = False) -> dict:
    """``again``: the KPI's text is already in the document, with its footnotes."""
    kpi = state.kpi
    return {
        "letter": kpi.letter,
        "text": text.runs(kpi.text, footnotes=not again),
        "target": words.target(kpi.target),
        "this_period": words.progress_value(state.this_period, kpi.target.currency),
        "cumulative": words.progress_value(state.cumulative, kpi.target.currency),
        "attainment": words.percent(state.attainment),
        "status": words.kpi_status(state.status),
        "fill": STATUS_FILLS[state.status],
    }


def _activity_row(state, words: Words, text: WordText, again: bool = False) -> dict:
    """``again``: the activity's text is already in the document, with its footnotes."""
    activity = state.activity
    return {
        "number": activity.number,
        "text": text.runs(activity.text, footnotes=not again),
        "calendar": words.calendar(activity.calendar),
        "status": words.activity_status(state.status),
        "overdue": words.labels["overdue_mark"] if state.overdue else "",
    }


def _action_detail(state: ActionProgress, words: Words, text: WordText) -> dict:
    notes = text.paragraphs_of(
        [(state.notes, "")]
        + [(k.notes, f"{k.kpi.letter}) ") for k in state.kpis]
        + [(a.notes, f"{a.activity.number}. ") for a in state.activities]
    )
    return {
        "reference": state.action.reference,
        "status": words.kpi_status(state.summary.status),
        "kpis": [_kpi_row(k, words, text) for k in state.kpis],
        "activities": [_activity_row(a, words, text) for a in state.activities],
        "notes": notes,
    }


def _attainment_values(progress: PlanProgress, words: Words) -> str:
    return "; ".join(f"{state.action.reference} {words.percent(state.mean_attainment)}" for state in progress.actions)


def _activity_values(progress: PlanProgress, words: Words) -> str:
    parts = []
    for state in progress.actions:
        counts = {}
        for activity in state.activities:
            counts[activity.status] = counts.get(activity.status, 0) + 1
        described = ", ".join(f"{words.activity_status(s).lower()}{words.labels['colon']}{n}" for s, n in counts.items())
        parts.append(f"{state.action.reference} ({described})")
    return "; ".join(parts)
