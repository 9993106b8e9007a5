"""Helpers for the progress-form tests: make a form with ``pao progress form``, fill it as a person would."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.conftest import PLAN_ID, Project

REPORT_2023_S1 = f"source/{PLAN_ID}/progress/2023-S1.yaml"


def form_path(project: Project, period: str, language: str, action: str = "") -> Path:
    middle = f"{PLAN_ID}-{period}" + (f"-{action}" if action else "")
    return project.path(f"build/forms/{PLAN_ID}/{period}/formulario-{middle}-{language}.xlsx")


def make_form(project: Project, period: str, language: str = "es", action: str = "") -> Path:
    result = project.pao("progress", "form", period, "--lang", language, *(["--action", action] if action else []))
    assert result.exit_code == 0, result.output
    return form_path(project, period, language, action)


def row(sheet: Worksheet, key: str) -> int:
    """The row whose hidden id (column A) is ``key`` (``kpi:…``, ``activity:…``, ``action``)."""
    return next(cell.row for cell in sheet["A"] if cell.value == key)


def fill(path: Path, cells: dict[tuple[str, str, str], Any], target: Path | None = None) -> Path:
    """Write values into a form: {(sheet, row key, column): value}; saved over it (or to ``target``)."""
    book = load_workbook(path)
    for (sheet, key, column), value in cells.items():
        book[sheet][f"{column}{row(book[sheet], key)}"] = value
    book.save(target or path)
    return target or path
