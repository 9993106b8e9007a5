"""Reading filled progress forms: every cell a person wrote, checked and located (``form.xlsx:AO-1.1!E7``).

A form comes back from Excel or LibreOffice Calc: a number may arrive as text ("12,5" with the form
language's decimal comma), a date as text ("15/03/2023", "2023-03-15") or as a day number.  What cannot be
read is reported at its cell; an empty cell says nothing (the report keeps what it had).
"""
from __future__ import annotations

import dataclasses
import datetime
import decimal
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from babel.dates import parse_date
from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..diagnostics import Diagnostics, Location, display_path
from ..model.period import Period
from ..model.plan import Action, Kpi, Plan, Sources
from ..sources.limits import number_problem
from .layout import (
    ABOUT_ROWS,
    ABOUT_SHEET,
    ACTION_KEY,
    ACTIVITY,
    DATE,
    FORM_LANGUAGES,
    FORM_VERSION,
    HEADER_KEY,
    ID,
    KPI,
    NOTES,
    SHEET_NAME_LENGTH,
    VALUE,
    FormWords,
    language_of,
    sheet_names,
)

Value = bool | int | float | str | datetime.date


@dataclasses.dataclass(frozen=True)
class Entry:
    """One thing a form says: where it goes in the report (``("AO-1.1", "kpis", "meetings", "value")``) and the cell."""

    path: tuple[str, ...]
    value: Value
    where: Location


@dataclasses.dataclass(frozen=True)
class Form:
    """A filled form: its plan, period and language, and what its cells say."""

    shown: str
    plan: Plan
    period: Period
    language: str
    entries: tuple[Entry, ...]
    where: Location  # the cell naming its plan


def read_form(path: Path, sources: Sources, diagnostics: Diagnostics) -> Form | None:
    """The form in ``path``, or None with its problems in ``diagnostics``."""
    shown = display_path(path)
    try:
        with warnings.catch_warnings():  # openpyxl's notes on parts it drops (Excel's extensions) say nothing to the user
            warnings.simplefilter("ignore")
            book = load_workbook(path, data_only=True)  # a formula counts as the value it shows
    except FileNotFoundError:
        diagnostics.error(Location(shown), "file not found", "form.unreadable")
        return None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        detail = f": {exc.strerror}" if isinstance(exc, OSError) and exc.strerror else ""
        diagnostics.error(Location(shown), f"not a workbook that pao can read (.xlsx){detail}: save it from Excel or LibreOffice Calc as .xlsx", "form.unreadable")
        return None
    about = _about(book, shown, sources, diagnostics)
    if about is None:
        return None
    plan, period, language = about
    reader = _Reader(shown, plan, period, FormWords(language), diagnostics)
    for sheet in book.worksheets:
        reader.sheet(sheet)
    return Form(shown, plan, period, language, tuple(reader.entries), Location.cell(shown, ABOUT_SHEET, "B2"))


def _about(book: Workbook, shown: str, sources: Sources, diagnostics: Diagnostics) -> tuple[Plan, Period, str] | None:
    if ABOUT_SHEET not in book.sheetnames:
        diagnostics.error(Location(shown), f"not a pao progress form (it has no hidden sheet '{ABOUT_SHEET}'): make forms with 'pao progress form'", "form.not-a-form")
        return None
    sheet = book[ABOUT_SHEET]
    about = {str(sheet.cell(row, 1).value): sheet.cell(row, 2).value for row in range(1, len(ABOUT_ROWS) + 1)}
    if set(about) != set(ABOUT_ROWS):
        diagnostics.error(Location.cell(shown, ABOUT_SHEET, "A1"), "the form's hidden sheet was changed: make the form again with 'pao progress form'", "form.not-a-form")
        return None
    if str(about["form"]) != FORM_VERSION:
        diagnostics.error(Location.cell(shown, ABOUT_SHEET, "B1"), f"a form of another version of pao ({about['form']}; this one reads {FORM_VERSION}): "
                          "copy the figures into a new form from 'pao progress form'", "form.not-a-form")
        return None
    ok = True
    plan = next((p for p in sources.plans if p.id == str(about["plan"])), None)
    if plan is None:
        plans = ", ".join(p.id for p in sources.plans)
        diagnostics.error(Location.cell(shown, ABOUT_SHEET, "B2"), f"a form of the plan '{about['plan']}', which is not in the sources (plans: {plans})", "form.plan")
        ok = False
    try:
        period = Period.parse(about["period"])
    except ValueError as exc:
        diagnostics.error(Location.cell(shown, ABOUT_SHEET, "B3"), str(exc), "form.period")
        return None
    if plan is not None and not (period.is_semester and plan.period.contains(period)):
        diagnostics.error(Location.cell(shown, ABOUT_SHEET, "B3"), f"a form of {period}, which is not a semester of the plan '{plan.id}'", "form.period")
        ok = False
    language = str(about["language"])
    if language not in FORM_LANGUAGES:
        diagnostics.error(Location.cell(shown, ABOUT_SHEET, "B4"), f"a form in '{language}', a language pao has no words for (forms: {', '.join(FORM_LANGUAGES)})", "form.language")
        ok = False
    return (plan, period, language) if ok and plan is not None else None


class _Reader:
    def __init__(self, shown: str, plan: Plan, period: Period, words: FormWords, diagnostics: Diagnostics) -> None:
        self.shown = shown
        self.plan = plan
        self.period = period
        self.words = words
        self.diagnostics = diagnostics
        self.entries: list[Entry] = []
        self.sheet_names = {name: action_id for action_id, name in sheet_names(plan.actions).items()}

    def at(self, sheet: Worksheet, cell: str) -> Location:
        return Location.cell(self.shown, sheet.title, cell)

    def error(self, sheet: Worksheet, cell: str, message: str, code: str) -> None:
        self.diagnostics.error(self.at(sheet, cell), message, code)

    def sheet(self, sheet: Worksheet) -> None:
        if sheet.title in (ABOUT_SHEET, self.words.labels["form_instructions"][:SHEET_NAME_LENGTH]):
            return
        marker = _text(sheet[f"{ID}1"].value)
        action = next((a for a in self.plan.actions if a.id == marker), None)
        if action is None:
            if sheet.title in self.sheet_names:
                self.error(sheet, f"{ID}1", "the hidden column A, which holds the rows' ids, is missing (deleted?): "
                           "copy the figures into a new form from 'pao progress form'", "form.id-column")
            else:
                actions = ", ".join(self.sheet_names)
                self.error(sheet, f"{ID}1", f"the sheet '{sheet.title}' is not part of this form (its actions: {actions}): "
                           "remove it, or copy what it says into its action's sheet", "form.unknown-sheet")
            return
        seen: dict[str, int] = {}
        for row in range(2, sheet.max_row + 1):
            key = _text(sheet[f"{ID}{row}"].value)
            if not key:
                written = next((c for c in (VALUE, DATE, NOTES) if _text(sheet[f"{c}{row}"].value)), None)
                if written:
                    self.error(sheet, f"{written}{row}", f"row {row} has no id (its hidden cell A{row} is empty: a row added or its id cleared?): "
                               "write this in a row of the form", "form.unknown-row")
                continue
            if key == HEADER_KEY:
                continue
            if key in seen:
                self.error(sheet, f"{ID}{row}", f"'{key}' is also row {seen[key]}: each row once (copy what this row says into row {seen[key]})", "form.duplicate")
                continue
            seen[key] = row
            self.row(sheet, row, action, key)

    def row(self, sheet: Worksheet, row: int, action: Action, key: str) -> None:
        kind, _, item = key.partition(":")
        if key == ACTION_KEY:
            self.notes(sheet, row, (action.id, "notes"))
            return
        if kind == KPI and (kpi := next((k for k in action.kpis if k.id == item), None)) is not None:
            value = self.kpi_value(sheet, f"{VALUE}{row}", kpi)
            if value is not None:
                self.add((action.id, "kpis", kpi.id, "value"), value, sheet, f"{VALUE}{row}")
            self.notes(sheet, row, (action.id, "kpis", kpi.id, "notes"))
            return
        if kind == ACTIVITY and any(a.id == item for a in action.activities):
            self.activity(sheet, row, (action.id, "activities", item))
            self.notes(sheet, row, (action.id, "activities", item, "notes"))
            return
        what = {KPI: "a KPI", ACTIVITY: "an activity"}.get(kind)
        message = f"'{item}' is not {what} of {action.id}" if what else f"'{key}' is not the id of a row of this form"
        self.error(sheet, f"{ID}{row}", f"{message}: was the hidden id changed? Make the form again with 'pao progress form'", "form.unknown-row")

    def add(self, path: tuple[str, ...], value: Value, sheet: Worksheet, cell: str) -> None:
        self.entries.append(Entry(path, value, self.at(sheet, cell)))

    def notes(self, sheet: Worksheet, row: int, path: tuple[str, ...]) -> None:
        value = sheet[f"{NOTES}{row}"].value
        text = _text(value).replace("\r\n", "\n").replace("\r", "\n").strip()
        if text:
            self.add(path, text, sheet, f"{NOTES}{row}")

    def kpi_value(self, sheet: Worksheet, cell: str, kpi: Kpi) -> bool | int | float | None:
        value = sheet[cell].value
        if value is None or _text(value) == "":
            return None
        if kpi.target.comparator == "achieved":
            answer = value if isinstance(value, bool) else self.words.yes_or_no(_text(value))
            if answer is None:
                yes, no = self.words.yes_no
                self.error(sheet, cell, f"'{_text(value)}': KPI {kpi.id} is a yes/no target: choose {yes} or {no}{self.other_language(value, 'yes_no')}", "form.value")
            return answer
        number = typed_number(value, self.words.language)
        whole = not kpi.target.decimal
        what = ("an amount in " + kpi.target.currency if kpi.target.currency
                else "a level: a number, 0 or more" if kpi.target.kind == "level" else "a count: a whole number, 0 or more")
        if number is None:
            self.error(sheet, cell, f"'{_text(value)}' is not a number: KPI {kpi.id} is {what}", "form.value")
            return None
        if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
            number = int(number)  # 3.0: a count that a spreadsheet kept as a decimal
        if problem := number_problem(number, whole=whole):
            self.error(sheet, cell, f"{number} {problem}: KPI {kpi.id} is {what}", "form.value")
            return None
        return number

    def activity(self, sheet: Worksheet, row: int, path: tuple[str, ...]) -> None:
        status_cell, date_cell = f"{VALUE}{row}", f"{DATE}{row}"
        written, day = sheet[status_cell].value, sheet[date_cell].value
        status = None
        if _text(written):
            status = self.words.status(_text(written))
            if status is None:
                choices = ", ".join(self.words.statuses.values())
                self.error(sheet, status_cell, f"'{_text(written)}' is not a status: choose one of the list ({choices}){self.other_language(written, 'status')}", "form.status")
                return
            self.add(path + ("status",), status, sheet, status_cell)
        date = self.date(sheet, date_cell, day)
        completed = self.words.statuses["completed"]
        if date is not None:
            if status != "completed":
                self.error(sheet, date_cell, f"a completion date needs the status '{completed}' (in {status_cell})", "form.date")
            else:
                self.add(path + ("date",), date, sheet, date_cell)
        elif status == "completed" and not _text(day):
            self.error(sheet, date_cell, f"'{completed}' needs the day it was completed: write it here", "form.date")

    def date(self, sheet: Worksheet, cell: str, value: object) -> datetime.date | None:
        if value is None or _text(value) == "":
            return None
        day: datetime.date | None = None
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 2_958_466:
            day = from_excel(value).date()  # a day number: the cell lost its date format
        else:
            day = typed_date(_text(value), self.words.language)
        first, last = self.period.first_day, self.period.last_day
        if day is None:
            example = first.replace(day=15)
            self.error(sheet, cell, f"'{_text(value)}' is not a date: write it as {example.isoformat()} (year-month-day)", "form.date")
            return None
        if not first <= day <= last:
            self.error(sheet, cell, f"{day.isoformat()} is outside {self.period} ({first.isoformat()} to {last.isoformat()}): "
                       "a completion date reported now falls within the period", "form.date")
            return None
        return day

    def other_language(self, value: object, kind: str) -> str:
        language = language_of(_text(value), kind, self.words.language)
        return f" ('{_text(value)}' is the word of a form in '{language}'; this form is in '{self.words.language}')" if language else ""


def typed_number(value: object, language: str) -> int | float | None:
    """A number as a spreadsheet gives it, or typed as text the form language's way ("1.250.000,5" in Spanish,
    "1,250,000.5" in English; "12.5" in any), or None."""
    if isinstance(value, (bool, datetime.date, datetime.time)):
        return None
    if isinstance(value, (int, float)):
        return value
    text = _text(value).strip()
    group = get_group_symbol(language)
    if group.isspace():  # French groups with a narrow no-break space; a person types an ordinary one
        text = re.sub(r"[ \u00a0\u202f]", group, text)
    try:
        parsed = parse_decimal(text, locale=language, strict=True)
    except NumberFormatError:
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):  # "12.5" typed in a form whose decimals take a comma
            return None
        parsed = decimal.Decimal(text)
    return int(parsed) if parsed.is_finite() and parsed == parsed.to_integral_value() else float(parsed)


def typed_date(text: str, language: str) -> datetime.date | None:
    """A date typed as text: ISO (2023-03-15), or day, month and year in the language's order (15/03/2023)."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
        if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", text):
            return parse_date(text, locale=language)
    except ValueError:
        return None
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else str(value)
