"""Parts of a template context that several kinds of document show: an action's table, KPI and activity rows.

Templates get plain strings (docxtpl escapes them) and ``ooxml.writer.Xml``
for prose; every wording that depends on the language comes from
``translation.words.Words``.
"""
from __future__ import annotations

from ..model.plan import Action
from ..model.progress import ActivityProgress, KpiProgress
from ..model.prose import ProseWriter
from ..translation.words import Words

CREATOR = "CLASI – EL PAcCTO"
NO_BREAK_HYPHEN = "\u2011"
# a fill colour for each status (its word and symbol come from ``Words.kpi_status``)
STATUS_FILLS = {"achieved": "C6EFCE", "on_track": "DDEBF7", "at_risk": "F8CBAD", "not_started": "EDEDED"}


def code(text: str) -> str:
    """A reference ("Nº 03/2023-TPM", "AO-1.1") as a page shows it: a line never ends at its hyphens.

    ``pao text`` shows the no-break hyphen as "-" (``ooxml.reader``): the text is the one written.
    """
    return text.replace("-", NO_BREAK_HYPHEN)


def action_context(action: Action, words: Words, text: ProseWriter) -> dict:
    """An operational action as the PAO's table and the fact sheet show it."""
    return {
        "id": action.id,
        "reference": code(action.reference),
        "lead": words.leads(action.lead),
        "lead_label": words.lead_label(action.lead),
        "co_leads": words.parties(action.co_leads),
        "participants": words.parties(action.participants),
        "participant_countries": words.countries(action.participants),
        "participant_organisations": words.partner_organisations(action.participants),
        "summary": text.paragraphs(action.summary, style="Table Text"),
        "kpis": [
            {"letter": kpi.letter, "text": text.runs(kpi.text), "target": words.target(kpi.target)}
            for kpi in action.kpis
        ],
        "activities": [
            {"number": activity.number, "text": text.runs(activity.text), "calendar": words.calendar(activity.calendar, activity.ongoing)}
            for activity in action.activities
        ],
        # one row per source of funding; a total (per currency) when there are several
        "budget": [{"source": line.source, "amount": words.amount(line.amount, line.currency)} for line in action.budget],
        "budget_total": words.budget(action.budget) if len(action.budget) > 1 else "",
    }


def kpi_row(state: KpiProgress, words: Words, text: ProseWriter, again: bool = False) -> dict:
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


def activity_row(state: ActivityProgress, words: Words, text: ProseWriter, again: bool = False) -> dict:
    """``again``: the activity's text is already in the document, with its footnotes."""
    activity = state.activity
    return {
        "number": activity.number,
        "text": text.runs(activity.text, footnotes=not again),
        "calendar": words.calendar(activity.calendar, activity.ongoing),
        "status": words.activity_status(state.status),
        "overdue": words.labels["overdue_mark"] if state.overdue else "",
    }
