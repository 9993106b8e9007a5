"""Loading ``source/``: every plan, its organisations and progress reports, checked and resolved.

Every problem is collected (never the first only) and located; a plan with an
error resolves to nothing.  Schema checks come from the pydantic models
(``format``), a plan's cross-checks from ``plan``, reports' from ``reports``.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..diagnostics import Diagnostics, Location, display_path
from ..model import plan as resolve
from . import format as model
from .checks import check_characters, check_text_characters, validated
from .limits import regular_file_problem
from .markdown import parse
from .parties import ORGANISATIONS_FILE, check_language
from .plan import PLAN_FILE, PlanChecker
from .reports import load_reports
from .yamlfile import YamlFile, load_yaml, read_text


def load_sources(folder: Path, diagnostics: Diagnostics) -> resolve.Sources | None:
    """Every plan under ``folder``, checked; None when there was an error."""
    if not folder.is_dir():
        diagnostics.error(Location(display_path(folder)), "the source folder does not exist", "source.missing-folder")
        return None
    organisations = _load_organisations(folder / ORGANISATIONS_FILE, diagnostics)
    plan_files = sorted(folder.glob(f"*/{PLAN_FILE}"))
    if not plan_files:
        diagnostics.error(Location(display_path(folder)), f"no plan found: each plan is a folder holding a {PLAN_FILE}", "source.no-plan")
    plans = [plan for path in plan_files if (plan := _load_plan(path, organisations or {}, diagnostics)) is not None]
    if diagnostics.errors or organisations is None:
        return None
    return resolve.Sources(folder, organisations, tuple(plans))


def _load_organisations(path: Path, diagnostics: Diagnostics) -> dict[str, resolve.Organisation] | None:
    if not path.exists():
        return {}
    source = load_yaml(path, diagnostics, inside=path.parent)
    if source is None:
        return None
    check_characters(source, diagnostics)
    parsed = validated(model.Organisations, source, diagnostics)
    if parsed is None:
        return None
    organisations = {}
    for key, organisation in parsed.root.items():
        for language in organisation.name:
            check_language(language, source.locate((key, "name", language), key=True), diagnostics)
        organisations[key] = resolve.Organisation(key, dict(organisation.name), written_at={"name": source.locate((key, "name"), key=True)})
    return organisations


def _load_plan(path: Path, organisations: dict[str, resolve.Organisation], diagnostics: Diagnostics) -> resolve.Plan | None:
    source = load_yaml(path, diagnostics, inside=path.parent)
    if source is None:
        return None
    errors_before = len(diagnostics.errors)
    check_characters(source, diagnostics)
    plan = validated(model.Plan, source, diagnostics)
    if plan is None:
        _check_prose_files(path.parent, source, diagnostics)  # their mistakes too, in this same run
        return None
    first = len(diagnostics.items)
    checker = PlanChecker(path.parent, source, plan, organisations, diagnostics)
    resolved = checker.run()
    _suppress(diagnostics, first, set(plan.suppress_warnings))
    if len(diagnostics.errors) > errors_before:
        return None
    first = len(diagnostics.items)
    reports = load_reports(resolved, diagnostics)
    _suppress(diagnostics, first, set(plan.suppress_warnings))
    return dataclasses.replace(resolved, reports=reports) if len(diagnostics.errors) == errors_before else None


def _suppress(diagnostics: Diagnostics, first: int, codes: set[str]) -> None:
    """Drop the warnings a plan says were looked at and accepted (never errors)."""
    diagnostics.items[first:] = [d for d in diagnostics.items[first:] if not (d.severity == "WARNING" and d.code in codes)]


def _check_prose_files(folder: Path, source: YamlFile, diagnostics: Diagnostics) -> None:
    """The Markdown files a plan names, checked even when plan.yaml itself has errors."""
    data = source.data if isinstance(source.data, dict) else {}
    for key in ("introduction", "objectives", "context"):
        name = data.get(key)
        path = folder / name if isinstance(name, str) else None
        if path is not None and regular_file_problem(path, folder) is None:  # the others once plan.yaml is right
            text = read_text(path, diagnostics, inside=folder)
            if text is not None:
                origin = Location(display_path(path), 1, 1)
                check_text_characters(text, origin, diagnostics)
                parse(text, origin, diagnostics)
