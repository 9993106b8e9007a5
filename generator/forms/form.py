"""Making a progress form: one workbook for a plan, a period and a language (or one operational action),
from the resolved, localized plan, with what is already reported for the period filled in.

The same plan, period and language give the same bytes every time: the workbook's dates are the period's,
and its zip entries carry a fixed date.
"""
from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..diagnostics import Diagnostic, SelectionError
from ..documents.kinds import safe_name
from ..model.period import Period
from ..model.plan import Action, Kpi, Plan, Report, Sources
from ..model.progress import standing
from ..model.prose import Prose
from ..translation.words import Words
from .layout import (
    ABOUT_ROWS,
    ABOUT_SHEET,
    ACTION_KEY,
    ACTIVITY,
    BEFORE,
    DATE,
    FORM_LANGUAGES,
    FORM_VERSION,
    GIVEN,
    HEADER_KEY,
    ID,
    KPI,
    NOTES,
    SHEET_NAME_LENGTH,
    STATUS_LIST_COLUMN,
    TEXT,
    VALUE,
    YES_NO_COLUMN,
    FormWords,
    row_key,
    sheet_names,
)
from .report import Written, written_report

FOLDER = "forms"
PREFIX = "formulario"
TO_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")  # light yellow: the cells a person writes in
HEADING = PatternFill("solid", start_color="D9E2F3", end_color="D9E2F3")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_WIDTHS = {ID: 18, TEXT: 60, GIVEN: 24, BEFORE: 18, VALUE: 18, DATE: 16, NOTES: 50}


def file_name(plan: Plan, period: Period, language: str, action: Action | None) -> str:
    """``forms/<plan>/<period>/formulario-<plan>-<period>[-<action>]-<language>.xlsx``, safe on every file system."""
    middle = f"{safe_name(plan.id)}-{period}" + (f"-{safe_name(action.id)}" if action else "")
    return f"{FOLDER}/{safe_name(plan.id)}/{period}/{PREFIX}-{middle}-{language}.xlsx"


def make_form(plan: Plan, original: Plan, period: Period, words: Words, actions: tuple[Action, ...], written: Written) -> bytes:
    """The workbook's bytes: ``plan`` as the form's language shows it, ``original`` (the plan as written) for its
    ids and reports, the ``actions`` to report on."""
    form = FormWords(words.language)
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    _instructions(instructions, plan, period, words, form)
    names = sheet_names(actions)
    for action in actions:
        _action_sheet(book.create_sheet(names[action.id]), plan.action(action.id), original, period, words, form, written)
    _about(book.create_sheet(ABOUT_SHEET), plan, period, form)
    book.security = WorkbookProtection(lockStructure=True)  # sheets cannot be added, renamed or deleted by accident
    moment = datetime.datetime.combine(period.first_day, datetime.time())
    book.properties.creator = book.properties.lastModifiedBy = "pao"
    book.properties.title = f"{form.labels['form_title']} — {plan.title} — {period.label()}"
    book.properties.language = words.tag
    book.properties.created = book.properties.modified = moment
    for sheet in book.worksheets:  # a form holds no formula: a text that starts with "=" ("=2 reuniones") is text
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return _saved(book)


def _saved(book: Workbook) -> bytes:
    """openpyxl's writer without ``save_workbook``'s clock (it stamps the time of saving), then every zip
    entry re-dated: same workbook, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            entry = zipfile.ZipInfo(name, _FIXED_ZIP_DATE)
            entry.create_system = 3  # "made on Unix", which zipfile says only off Windows: the same bytes everywhere
            target.writestr(entry, source.read(name), zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


def _instructions(sheet: Worksheet, plan: Plan, period: Period, words: Words, form: FormWords) -> None:
    labels = form.labels
    sheet.title = labels["form_instructions"][:SHEET_NAME_LENGTH]
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90
    sheet["A1"] = labels["form_title"]
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        (labels["plan"], plan.title),
        (labels["reference"], plan.reference),
        (labels["period"], period.label()),
        (labels["form_language"], words.language_names((words.language,))),
    ]
    for row, (label, value) in enumerate(facts, start=3):
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, value).alignment = WRAP
    sheet.cell(8, 2, labels["form_intro"]).alignment = WRAP
    steps = ("form_step_cells", "form_step_value", "form_step_status", "form_step_notes", "form_step_keep")
    for number, key in enumerate(steps, start=1):
        sheet.cell(9 + number, 1, number).alignment = Alignment(horizontal="right", vertical="top")
        sheet.cell(9 + number, 2, labels[key]).alignment = WRAP
    _printed_across_one_page(sheet)
    sheet.protection.sheet = True


def _about(sheet: Worksheet, plan: Plan, period: Period, form: FormWords) -> None:
    for row, (key, value) in enumerate(zip(ABOUT_ROWS, (FORM_VERSION, plan.id, str(period), form.language)), start=1):
        sheet.cell(row, 1, key)
        sheet.cell(row, 2, value)
    for row, word in enumerate(form.statuses.values(), start=1):
        sheet[f"{STATUS_LIST_COLUMN}{row}"] = word
    for row, word in enumerate(form.yes_no, start=1):
        sheet[f"{YES_NO_COLUMN}{row}"] = word
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


class _Validations:
    """The drop-downs and checks of one sheet, each made once and given its cells."""

    def __init__(self, sheet: Worksheet, form: FormWords, period: Period) -> None:
        labels = form.labels
        statuses = f"{ABOUT_SHEET}!${STATUS_LIST_COLUMN}$1:${STATUS_LIST_COLUMN}${len(form.statuses)}"
        self.count = DataValidation("whole", operator="greaterThanOrEqual", formula1="0", error=labels["form_invalid_count"])
        self.amount = DataValidation("decimal", operator="greaterThanOrEqual", formula1="0", error=labels["form_invalid_amount"])
        self.yes_no = DataValidation("list", formula1=f"{ABOUT_SHEET}!${YES_NO_COLUMN}$1:${YES_NO_COLUMN}$2", error=labels["form_invalid_choice"])
        self.status = DataValidation("list", formula1=statuses, error=labels["form_invalid_choice"])
        first, last = (str(int(to_excel(day))) for day in (period.first_day, period.last_day))
        self.date = DataValidation("date", operator="between", formula1=first, formula2=last, error=labels["form_invalid_date"])
        for validation in (self.count, self.amount, self.yes_no, self.status, self.date):
            validation.allow_blank = True
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)

    def prune(self, sheet: Worksheet) -> None:
        """A validation without cells is invalid XML for Excel: drop those not used."""
        sheet.data_validations.dataValidation = [v for v in sheet.data_validations.dataValidation if v.sqref]


def _action_sheet(sheet: Worksheet, action: Action, original: Plan, period: Period, words: Words, form: FormWords, written: Written) -> None:
    labels = form.labels
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions[ID].hidden = True
    sheet[f"{ID}1"] = action.id
    sheet[f"{TEXT}1"] = action.reference
    sheet[f"{TEXT}1"].font = Font(bold=True, size=13)
    lead = f"{words.lead_label(action.lead)}{labels['colon']}{words.leads(action.lead)}" if action.lead else ""
    sheet[f"{TEXT}2"] = f"{labels['period']}{labels['colon']}{period.label()}" + (f" · {lead}" if lead else "")
    checks = _Validations(sheet, form, period)
    row = 4
    sheet[f"{ID}{row}"] = ACTION_KEY
    sheet[f"{TEXT}{row}"] = labels["form_action_notes"]
    sheet[f"{TEXT}{row}"].font = Font(bold=True)
    sheet[f"{TEXT}{row}"].alignment = WRAP
    _to_fill(sheet[f"{NOTES}{row}"], written.notes.get((action.id,)))
    row = 6
    _header(sheet, row, [labels["kpi"], labels["target"], labels["form_cumulative_before"], labels["form_value"], "", labels["notes"]])
    earlier = [r for r in original.reports if r.period < period]
    for kpi in action.kpis:
        row += 1
        sheet[f"{ID}{row}"] = row_key(KPI, kpi.id)
        _given(sheet, row, [_text(kpi.text), words.target(kpi.target), _cumulative(action.id, kpi, earlier, form)])
        value = written.values.get((action.id, kpi.id))
        cell = sheet[f"{VALUE}{row}"]
        if kpi.target.comparator == "achieved":
            _to_fill(cell, None if value is None else form.yes_no[0] if value else form.yes_no[1])
            checks.yes_no.add(cell)
        else:
            _to_fill(cell, value)
            (checks.amount if kpi.target.decimal else checks.count).add(cell)
            if kpi.target.currency:
                cell.number_format = "#,##0.00"
        _to_fill(sheet[f"{NOTES}{row}"], written.notes.get((action.id, "kpis", kpi.id)))
    row += 2
    _header(sheet, row, [labels["activity"], labels["calendar"], labels["form_status_before"], labels["form_status"], labels["form_completed_on"], labels["notes"]])
    for activity in action.activities:
        row += 1
        sheet[f"{ID}{row}"] = row_key(ACTIVITY, activity.id)
        status, date = _status_before(action.id, activity.id, earlier)
        before = form.statuses[status] + (f" ({words.date(date, 'day')})" if date else "")
        _given(sheet, row, [_text(activity.text), words.calendar(activity.calendar, activity.ongoing), before])
        now, when = written.statuses.get((action.id, activity.id), (None, None))
        _to_fill(sheet[f"{VALUE}{row}"], form.statuses[now] if now else None)
        checks.status.add(sheet[f"{VALUE}{row}"])
        _to_fill(sheet[f"{DATE}{row}"], when)
        sheet[f"{DATE}{row}"].number_format = "yyyy-mm-dd"
        checks.date.add(sheet[f"{DATE}{row}"])
        _to_fill(sheet[f"{NOTES}{row}"], written.notes.get((action.id, "activities", activity.id)))
    checks.prune(sheet)
    _printed_across_one_page(sheet)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widening a column or a row is no accident


def _printed_across_one_page(sheet: Worksheet) -> None:
    """Landscape, every column on the page's width: a printed form keeps each row whole; rows as high as
    their wrapped texts (a spreadsheet program does not measure rows it did not write)."""
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        lines = max((_lines(cell.value, sheet.column_dimensions[get_column_letter(column)].width) for column, cell in enumerate(cells, start=1)), default=1)
        if lines > 1:
            sheet.row_dimensions[number].height = 15 * lines
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _lines(value: Any, width: float) -> int:
    """About how many lines a text takes in a column ``width`` characters wide."""
    if not isinstance(value, str):
        return 1
    per_line = max(int(width) - 2, 1)
    return sum(max(-(-len(part) // per_line), 1) for part in value.split("\n"))


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    sheet[f"{ID}{row}"] = HEADER_KEY
    for column, title in zip((TEXT, GIVEN, BEFORE, VALUE, DATE, NOTES), titles):
        cell = sheet[f"{column}{row}"]
        cell.value = title or None
        cell.font = Font(bold=True)
        cell.fill = HEADING
        cell.alignment = WRAP


def _given(sheet: Worksheet, row: int, values: list[Any]) -> None:
    for column, value in zip((TEXT, GIVEN, BEFORE), values):
        sheet[f"{column}{row}"] = value
        sheet[f"{column}{row}"].alignment = WRAP


def _to_fill(cell: Cell, value: Any) -> None:
    cell.value = value
    cell.fill = TO_FILL
    cell.protection = UNLOCKED
    cell.alignment = WRAP


def _text(prose: Prose) -> str:
    """A text as its words, one paragraph after another (a cell has no formatting)."""
    return "\n".join(block.text for block in prose.blocks)


def _cumulative(action_id: str, kpi: Kpi, earlier: list[Report], form: FormWords) -> bool | int | float | str:
    values = [r.actions[action_id].kpis[kpi.id].value for r in earlier if action_id in r.actions and kpi.id in r.actions[action_id].kpis]
    if kpi.target.comparator == "achieved":
        return form.yes_no[0] if any(v is True for v in values) else form.yes_no[1]
    value = standing(kpi.target, values)
    return "" if value is None else value


def _status_before(action_id: str, activity_id: str, earlier: list[Report]) -> tuple[str, datetime.date | None]:
    status, date = "not_started", None
    for report in earlier:
        reported = report.actions.get(action_id)
        if reported and activity_id in reported.activities:
            status, date = reported.activities[activity_id].status, reported.activities[activity_id].date
    return status, date


def make_forms(
    sources: Sources, period: Period, plans: tuple[str, ...], languages: tuple[str, ...], action_ids: tuple[str, ...],
    warn: Callable[[Diagnostic], None],
) -> dict[str, bytes]:
    """Every form asked for, by its path under the build folder: for each selected plan and language (every
    language of the plan unless told), one workbook, or one per action of ``action_ids``."""
    from .. import pipeline
    _check_selection(sources, period, plans, languages, action_ids)
    forms: dict[str, bytes] = {}
    for original in sources.plans:
        if plans and original.id not in plans:
            continue
        written = written_report(original, period)
        built_in = (original.language, *(language for language, _ in original.translations))
        for language in languages or built_in:
            if language in built_in:
                selection = pipeline.Selection(plans=(original.id,), languages=(language,))
                plan = pipeline.localize(sources, selection, warn=warn)[0].plan
            else:  # a language of pao's own words only: the plan's texts as written
                plan = original
            words = Words(language, sources.organisations)
            chosen = tuple(a for a in original.actions if a.id in action_ids) if action_ids else None
            for subject in chosen or (None,):
                actions = (subject,) if subject else original.actions
                forms[file_name(original, period, language, subject)] = make_form(plan, original, period, words, actions, written)
    return forms


def _check_selection(sources: Sources, period: Period, plans: tuple[str, ...], languages: tuple[str, ...], action_ids: tuple[str, ...]) -> None:
    known = {p.id for p in sources.plans}
    if unknown := [plan for plan in plans if plan not in known]:
        raise SelectionError(f"no plan named {', '.join(unknown)} (plans: {', '.join(sorted(known))})")
    selected = [p for p in sources.plans if not plans or p.id in plans]
    for plan in selected:
        if not period.is_semester or not plan.period.contains(period):
            raise SelectionError(f"{period} is not a semester of the plan {plan.id} ({plan.period.first_semester}–{plan.period.last_semester}): a form is for one semester, like {plan.period.first_semester}")
    if unknown := [language for language in languages if language not in FORM_LANGUAGES]:
        raise SelectionError(f"--lang {', '.join(unknown)}: pao's forms are in {', '.join(FORM_LANGUAGES)}")
    actions = {a.id for p in selected for a in p.actions}
    if unknown := [action for action in action_ids if action not in actions]:
        raise SelectionError(f"--action {', '.join(unknown)}: not an operational action of {', '.join(p.id for p in selected)} ({', '.join(sorted(actions))})")
