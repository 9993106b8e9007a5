"""Reviewing a change: two versions of the plans compared, for people and tools.

``review`` loads both versions (``versions``), lists what changed in each plan
(``changes``: a Markdown and a JSON report) and renders both versions' PAO
(and fact sheets, progress annexes) through the same pipeline as a build, to write the new one
with every difference as a Word tracked change (``ooxml.redline``).
``compare_versions`` and ``redlines`` are the same steps for a front end that
shows them (``pao serve``'s review page) instead of writing files.
May import: ``generator.pipeline`` and what lies below it (not ``cli``).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from .. import pipeline
from ..files import write_atomically
from ..model.plan import Plan, Sources
from ..ooxml.redline import redline
from ..translation.words import Words
from .changes import Change, compare, earlier_ids, report_json, report_markdown
from .versions import Version


@dataclasses.dataclass(frozen=True)
class PlanChanges:
    """What changed in one plan between two versions (``plan``: the new one)."""

    plan: Plan
    changes: list[Change]
    old_label: str
    new_label: str


@dataclasses.dataclass(frozen=True)
class Compared:
    old: Sources
    new: Sources
    plans: list[PlanChanges]  # the plans both versions have, in the new version's order
    notes: list[str]  # plans only one version has


def compare_versions(before: Version, after: Version) -> Compared:
    """Both versions loaded (SourceError naming the version otherwise) and each plan they share compared."""
    old_sources, new_sources = before.load(), after.load()
    old_plans = {p.id: p for p in old_sources.plans}
    plans, notes = [], []
    for plan in new_sources.plans:
        previous = old_plans.pop(plan.id, None)
        if previous is None:
            notes.append(f"{plan.id}: new plan in {after.spec}")
            continue
        plans.append(PlanChanges(plan, compare(previous, plan, Words(plan.language, new_sources.organisations)), before.spec, after.spec))
    notes += [f"{plan_id}: removed in {after.spec}" for plan_id in old_plans]
    return Compared(old_sources, new_sources, plans, notes)


def redlines(compared: Compared, plan: Plan, templates: Path, language: str | None, sheets: bool, annexes: bool = False) -> list[tuple[str, bytes]]:
    """(file name, .docx) of the new version's PAO (and fact sheets, progress annexes of the periods both versions
    report) with every difference as a tracked change."""
    # each version's translation warnings belong to its own build: not repeated here
    only = ("pao",) + (("sheet",) if sheets else ()) + (("annex",) if annexes else ())
    selection = pipeline.Selection(plans=(plan.id,), only=only, languages=(language or plan.language,))
    # a fact sheet is compared with the old one of its action, whose id may have changed with its number
    earlier = earlier_ids(next(r.changes for r in compared.plans if r.plan.id == plan.id), "action")

    def subject(document: pipeline.Output, ids: Mapping[str, str]) -> tuple[str, str | None, str | None]:
        return document.kind, ids.get(document.action or "", document.action), document.period

    old_documents = {subject(d, {}): d for d in pipeline.render(pipeline.localize(compared.old, selection), templates, selection.only)}
    return [
        ("redline-" + document.path.rsplit("/", 1)[-1], redline(old_documents[subject(document, earlier)].data, document.data, plan.date))
        for document in pipeline.render(pipeline.localize(compared.new, selection), templates, selection.only)
        if subject(document, earlier) in old_documents  # both rendered with the new version's templates, so they align
    ]


def review(before: Version, after: Version, out: Path, language: str | None, sheets: bool, annexes: bool = False) -> tuple[list[str], list[Path], Compared]:
    """Compare two versions: write each plan's reports and redlines under ``out``.

    Returns the Markdown reports, the paths written and what was compared.
    """
    compared = compare_versions(before, after)
    reports: list[str] = []
    written: list[Path] = []
    for reviewed in compared.plans:
        plan, changes = reviewed.plan, reviewed.changes
        stem = out / plan.id / f"changes-{plan.id}"
        reports.append(report_markdown(changes, before.spec, after.spec, plan.id))
        write_atomically(stem.with_suffix(".md"), reports[-1].encode())
        write_atomically(stem.with_suffix(".json"), report_json(changes, before.spec, after.spec, plan.id).encode())
        written += [stem.with_suffix(".md"), stem.with_suffix(".json")]
        for name, data in redlines(compared, plan, after.templates, language, sheets, annexes):
            write_atomically(out / plan.id / name, data)
            written.append(out / plan.id / name)
    return reports + compared.notes, written, compared
