"""A fact sheet: what ``ficha.docx`` receives about one operational action, and where it stands."""
from __future__ import annotations

from ..model.plan import Action
from ..model.progress import PlanProgress
from ..model.prose import ProseWriter
from ..ooxml.package import Properties
from ..translation.words import Words
from .edition import Edition
from .parts import CREATOR, action_context, activity_row, code, kpi_row


def context(edition: Edition, action: Action, text: ProseWriter) -> dict:
    """One action, with what it belongs to and, given the plan's latest progress, where it stands."""
    plan, words = edition.plan, edition.words
    objective = next(o for o in plan.strategic_objectives if o.id == action.objective_id)
    return {
        "l": words.labels,
        "plan": {"title": plan.title, "reference": code(plan.reference), "period": words.span(plan.period)},
        "objective": {"number": objective.number, "title": objective.title, "heading": objective.heading},
        "ao": action_context(action, words, text),
        "status": _latest_status(edition.latest, action, words, text),
    }


def _latest_status(progress: PlanProgress | None, action: Action, words: Words, text: ProseWriter) -> dict | None:
    """The sheet's "latest status" part; None (the part is left out) without progress data."""
    if progress is None:
        return None
    state = next(a for a in progress.actions if a.action.id == action.id)
    return {
        "period": progress.period.label(),
        "sample": progress.report.sample,
        "kpis": [kpi_row(k, words, text, again=True) for k in state.kpis],
        "activities": [activity_row(a, words, text, again=True) for a in state.activities],
    }


def properties(edition: Edition, action: Action) -> Properties:
    plan, words = edition.plan, edition.words
    return Properties(
        title=f"{words.labels['sheet_title']}: {action.reference}",
        subject=plan.title,
        creator=CREATOR,
        keywords=("PAO", plan.reference, action.reference),
        language=words.tag,
        date=plan.date,
    )
