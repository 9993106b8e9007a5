"""The source format, as pydantic models: what a person writes in ``source/``.

These models are the single statement of the format: validation, the JSON
Schema editors use (``pao schema``) and ``docs/source-format.md`` follow them.
Cross-checks that need more than one field (countries, ids, calendars) live in
``validate``; the resolved, render-ready plan lives in ``resolve``.
"""
from __future__ import annotations

import calendar
import datetime
import difflib
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, RootModel, StringConstraints, WithJsonSchema

from ..model.period import Period
from ..model.plan import DEFAULT_LAYOUT

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
"""A stable identifier: letters, digits, '.', '-' and '_', starting with a letter or digit."""

_PERIOD_SCHEMA = {
    "anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999}, {"type": "string", "pattern": r"^\d{4}(-S[12])?$"}],
    "description": "A semester like 2022-S2 or a year like 2023.",
}

def _plan_period(value: object) -> Period:
    return Period.parse(value)  # a semester or a year: a plan's start and end


PeriodField = Annotated[Period, PlainValidator(_plan_period), WithJsonSchema(_PERIOD_SCHEMA)]


def _as_list(value: object) -> object:
    return value if isinstance(value, list) else [value]


ONGOING = ("permanent", "continuous")
"""The keywords of an activity with no calendar of its own: due in every period."""

_CALENDAR_ITEM_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string", "pattern": r"^\d{4}(-S[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$"},
        {"enum": list(ONGOING)},
    ],
    "description": "A month like 2023-03, a quarter like 2023-Q2, a semester like 2022-S2, a year like 2023, or permanent / continuous.",
}


def _calendar_item(value: object) -> Period | str:
    if isinstance(value, str) and value.strip() in ONGOING:
        return value.strip()
    if isinstance(value, str) and not any(character.isdigit() for character in value):  # a word: a keyword misspelt?
        close = difflib.get_close_matches(value.strip().lower(), ONGOING, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "write permanent or continuous, or a period like 2023-03, 2023-Q2, 2022-S2 or 2023"
        raise ValueError(f"'{value}' is not a period nor a keyword: {hint}")
    return Period.parse(value, finer=True)


Calendar = Annotated[
    list[Annotated[Period | str, PlainValidator(_calendar_item), WithJsonSchema(_CALENDAR_ITEM_SCHEMA)]],
    BeforeValidator(_as_list),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [_CALENDAR_ITEM_SCHEMA, {"type": "array", "items": _CALENDAR_ITEM_SCHEMA, "minItems": 1}],
            "description": "One period or a list of periods (2023-03, 2023-Q2, 2022-S2, 2023: [2022-S2, 2023-Q1]), or permanent / continuous alone.",
        }
    ),
]


def _leads(value: object) -> object:
    """One lead country (a code), several (a list) or none (empty): always a list."""
    return [] if value is None else _as_list(value)


Leads = Annotated[
    list[str],
    BeforeValidator(_leads),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}],
            "description": "ISO 3166 code of the lead country, or a list of them when several lead together: BR or [BR, PY].",
        }
    ),
]


def _no_such_day(value: object) -> str | None:
    """Why a date written in the right shape is not in the calendar (2023-02-30, 2023-13), or None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if year < 1:
        return f"'{value}' is not a date: there is no year 0000"
    if not 1 <= month <= 12:
        return f"'{value}' is not a date: months go from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    if match[3] is not None and not 1 <= int(match[3]) <= days:
        return f"'{value}' is not a date: {year:04d}-{month:02d} has {days} days"
    return None


def _parse_plan_date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        for pattern in ("%Y-%m", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                pass
    raise ValueError(_no_such_day(value) or f"'{value}' is not a date: write the month as 2022-06 or the day as 2022-06-15")


PlanDate = Annotated[
    datetime.date,
    PlainValidator(_parse_plan_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$", "description": "YYYY-MM or YYYY-MM-DD."}),
]

Markdown = Annotated[str, Field(description="Markdown text: emphasis, links, lists, footnotes [^label].")]


class _Source(BaseModel):
    # strict: "2" is not a number and 2022 is not a title; extra="forbid": typos are errors.  The docstring under a
    # field describes it in the JSON Schema: read by ``schema`` only (reading them costs every command 70 ms)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PlanPeriod(_Source):
    start: PeriodField
    """First semester or year of the plan."""
    end: PeriodField
    """Last semester or year of the plan."""


class StrategicObjective(_Source):
    id: Id
    """Stable id, e.g. OE-1."""
    number: Annotated[int, Field(ge=1)]
    """The number printed in "Objetivo estratégico N"."""
    title: str
    """The objective as the OE table of section 1 shows it."""
    heading: str | None = None
    """The wording of its section-3 heading, when it differs from the title."""


class Target(_Source):
    comparator: Literal["at_least", "at_most", "exactly", "between", "achieved", "to_be_determined"]
    """at_least ("Al menos 2 reuniones"), at_most (a reduction, for a level: "Como máximo 48 h"), exactly
    ("2 productos"), between (a range, for a level: value to up_to), achieved (yes/no: "Red creada") or
    to_be_determined (no value yet)."""
    kind: Literal["count", "level"] = "count"
    """count: the reports add up (meetings held); level: the latest report counts (a percentage, a rate, a duration)."""
    value: int | float | None = None
    """The number to reach (for between: the range's low end; not for achieved or to_be_determined)."""
    up_to: int | float | None = None
    """For between: the range's high end."""
    currency: str | None = None
    """ISO 4217 code when the number is an amount, e.g. USD."""
    counted: str
    """The words after the number, as they must read; for achieved, the whole phrase."""


class Kpi(_Source):
    id: Id
    """Stable id, unique within its action."""
    text: Markdown
    """What is measured."""
    target: Target


class Activity(_Source):
    id: Id
    """Stable id, unique within its action."""
    text: Markdown
    """The activity, without its number."""
    calendar: Calendar
    """When it happens: months (2023-03), quarters (2023-Q2), semesters (2022-S2), years (2023), or permanent / continuous."""


class BudgetLine(_Source):
    amount: int | float
    """The amount, a number ≥ 0 (up to 2 decimals): 250000 or 12500.50."""
    currency: str
    """ISO 4217 code, e.g. EUR, USD, BRL."""
    source: str
    """The source of funding, as it must read: "EL PAcCTO", "Fondos nacionales"."""


class Action(_Source):
    id: Id
    """Stable id, e.g. AO-1.1."""
    objective: Id
    """Id of the strategic objective it serves."""
    reference: str
    """As printed in the "Referencia" cell, e.g. AO 1.1."""
    lead: Leads = []
    """ISO 3166 code of the lead country, or a list when several lead together (may be empty)."""
    co_leads: list[str] = []
    """Country codes of the co-leads."""
    participants: list[str] = []
    """Country codes and organisation ids."""
    summary: Markdown = ""
    """Summary of the action's objectives."""
    kpis: list[Kpi] = []
    activities: list[Activity] = []
    budget: list[BudgetLine] = []
    """The action's budget: one line per source of funding (amounts in different currencies are never added together)."""


class Plan(_Source):
    """An operational action plan (PAO): ``source/<plan-id>/plan.yaml``."""

    title: str
    """The document's title."""
    language: str
    """Language the plan is written in (e.g. es)."""
    languages: Annotated[list[str], Field(min_length=1)]
    """Languages listed in the header block ("Idioma(s)")."""
    suppress_warnings: list[str] = []
    """Codes of warnings that were looked at and accepted for this plan, e.g. consistency.title-period."""
    translations: dict[str, Literal["published", "draft"]] = {}
    """Languages the plan is translated into (catalogs in locale/<language>.po): published ones must be complete."""
    layout: Id = DEFAULT_LAYOUT
    """The layout its documents are made in: a folder of templates/ (clasi, el-paccto)."""
    reference: str
    """E.g. Nº 06/2022/TID."""
    date: PlanDate
    """Date of the plan ("Fecha")."""
    period: PlanPeriod
    origin: str = ""
    """"Origen" of the header block."""
    recipients: str = ""
    """"Destinatario(s)" of the header block."""
    subject: str
    """"Objeto" of the header block."""
    lead: Leads = []
    """ISO 3166 code of the lead country, or a list when several lead together."""
    co_leads: list[str] = []
    participants: list[str] = []
    introduction: str
    """Markdown file with the paragraphs before section 1."""
    objectives: str
    """Markdown file with the prose of section 1."""
    context: str
    """Markdown file with section 2 and its subsections."""
    strategic_objectives: Annotated[list[StrategicObjective], Field(min_length=1)]
    actions: list[Action] = []


class Organisation(_Source):
    name: Annotated[dict[str, str], Field(min_length=1)]
    """The organisation's name per language code."""


class Organisations(RootModel[dict[Id, Organisation]]):
    """Organisations that can take part in plans: ``source/organisations.yaml``."""

    model_config = ConfigDict(strict=True, frozen=True)


ActivityStatus = Literal["not_started", "in_progress", "completed", "postponed", "cancelled"]


def _parse_semester(value: object) -> Period:
    try:
        return Period.parse(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a period: write a semester like 2023-S1") from None


def _parse_day(value: object) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            pass
    raise ValueError(_no_such_day(value) or f"'{value}' is not a day: write it as 2023-04-18")


Semester = Annotated[Period, PlainValidator(_parse_semester), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-S[12]$", "description": "A semester like 2023-S1."})]
Day = Annotated[datetime.date, PlainValidator(_parse_day), WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD."})]


class KpiProgress(_Source):
    value: Annotated[
        bool | int | float | str,  # a word is reported by the check that knows the KPI
        WithJsonSchema({"anyOf": [{"type": "boolean"}, {"type": "number", "minimum": 0}]}),
    ]
    """This period's value: a count (whole number ≥ 0), a level (a number ≥ 0, decimals allowed), an amount (with currency) or true/false for a yes/no KPI."""
    currency: str | None = None
    """For an amount: the KPI's currency (ISO 4217)."""
    notes: Markdown = ""


class ActivityProgress(_Source):
    status: ActivityStatus
    """not_started, in_progress, completed, postponed or cancelled."""
    date: Day | None = None
    """The day it was completed (required for completed)."""
    notes: Markdown = ""


class ActionProgress(_Source):
    notes: Markdown = ""
    """Notes on the action as a whole."""
    kpis: dict[Id, KpiProgress] = {}
    """By KPI id."""
    activities: dict[Id, ActivityProgress] = {}
    """By activity id."""


class ProgressReport(_Source):
    """What the lead countries reported for one period: ``source/<plan>/progress/<period>.yaml``."""

    period: Semester
    """The reporting period: a semester like 2023-S1."""
    date: Day
    """Date of the report."""
    sample: bool = False
    """true for illustrative data: the annex says so on every page."""
    actions: dict[Id, ActionProgress] = {}
    """By operational action id (AO-1.1)."""
