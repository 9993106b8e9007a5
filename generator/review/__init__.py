"""Reviewing a change: two versions of the plans compared, for people and tools.

``review`` loads both versions (``versions``), lists what changed in each plan
(``changes``: a Markdown and a JSON report) and renders both versions' PAO
(and fact sheets) through the same pipeline as a build, to write the new one
with every difference as a Word tracked change (``ooxml.redline``).
May import: ``generator.pipeline`` and what lies below it (not ``cli``).
"""
from __future__ import annotations

from pathlib import Path

from .. import pipeline
from ..files import write_atomically
from ..ooxml.redline import redline
from ..translation.words import Words
from .changes import compare, report_json, report_markdown
from .versions import Version


def review(before: Version, after: Version, out: Path, language: str | None, sheets: bool) -> tuple[list[str], list[Path]]:
    """Compare two versions: write each plan's reports and redlines under ``out``.

    Returns the Markdown reports and the paths written.
    """
    old_sources, new_sources = before.load(), after.load()
    templates = after.templates
    old_plans = {p.id: p for p in old_sources.plans}
    reports: list[str] = []
    written: list[Path] = []
    for plan in new_sources.plans:
        previous = old_plans.pop(plan.id, None)
        if previous is None:
            reports.append(f"{plan.id}: new plan in {after.spec}")
            continue
        changes = compare(previous, plan, Words(plan.language, new_sources.organisations))
        stem = out / plan.id / f"changes-{plan.id}"
        reports.append(report_markdown(changes, before.spec, after.spec, plan.id))
        write_atomically(stem.with_suffix(".md"), reports[-1].encode())
        write_atomically(stem.with_suffix(".json"), report_json(changes, before.spec, after.spec, plan.id).encode())
        written += [stem.with_suffix(".md"), stem.with_suffix(".json")]
        # each version's translation warnings belong to its own build: not repeated here
        selection = pipeline.Selection(plans=(plan.id,), only=("pao", "sheet") if sheets else ("pao",), languages=(language or plan.language,))
        old_documents = {d.path: d for d in pipeline.render(pipeline.localize(old_sources, selection), templates, selection.only)}
        for document in pipeline.render(pipeline.localize(new_sources, selection), templates, selection.only):
            if document.path in old_documents:  # both rendered with the new version's templates, so they align
                target = out / plan.id / ("redline-" + document.path.rsplit("/", 1)[-1])
                write_atomically(target, redline(old_documents[document.path].data, document.data, plan.date))
                written.append(target)
    reports += [f"{plan_id}: removed in {after.spec}" for plan_id in old_plans]
    return reports, written
