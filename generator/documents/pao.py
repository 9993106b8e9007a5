"""The PAO itself: what ``pao.docx`` receives (header block, objectives, context, one table per action)."""
from __future__ import annotations

from ..model.prose import ProseWriter
from ..ooxml.package import Properties
from .edition import Edition
from .parts import CREATOR, action_context, code


def context(edition: Edition, _: None, text: ProseWriter) -> dict:
    plan, words = edition.plan, edition.words
    return {
        "l": words.labels,
        "plan": {
            "title": plan.title,
            "origin": plan.origin,
            "recipients": plan.recipients,
            "reference": code(plan.reference),
            "subject": plan.subject,
            "lead": words.leads(plan.lead),
            "lead_label": words.lead_label(plan.lead),
            "co_leads": words.parties(plan.co_leads),
            "participants": words.countries(plan.participants),
            "partner_organisations": words.partner_organisations(plan.participants),
            "budget": words.budget(plan.budget),  # the total of each currency, one line each; "" without budgets
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
                "budget": words.budget(objective.budget),
                "actions": [action_context(action, words, text) for action in objective.actions],
            }
            for objective in plan.strategic_objectives
        ],
    }


def properties(edition: Edition, _: None) -> Properties:
    plan = edition.plan
    return Properties(
        title=plan.title,
        subject=plan.subject,
        creator=CREATOR,
        keywords=("PAO", plan.reference),
        language=edition.words.tag,
        date=plan.date,
    )
