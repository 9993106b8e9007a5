"""What each kind of document shows: the variables its template receives.

Templates get plain strings (escaped by docxtpl) and ``richtext.Xml`` for
prose; all wording and formatting decisions that depend on the language come
from ``i18n.Words``.
"""
from __future__ import annotations

from . import ooxml
from .i18n import Words
from .resolve import Action, Plan
from .richtext import WordText

CREATOR = "CLASI – EL PAcCTO"


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


def sheet_context(plan: Plan, action: Action, words: Words, text: WordText) -> dict:
    """Variables of ``templates/ficha.docx``: one action, with what it belongs to."""
    objective = next(o for o in plan.strategic_objectives if o.id == action.objective_id)
    return {
        "l": words.labels,
        "plan": {"title": plan.title, "reference": plan.reference, "period": words.span(plan.period)},
        "objective": {"number": objective.number, "title": objective.title, "heading": objective.heading},
        "ao": action_context(action, words, text),
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
