"""What a build produces, where it goes, and writing it safely.

Every Word document of a build is rendered in memory first; a mistake in a
source or template stops the build before anything is written.  PDFs are then
converted from those very .docx bytes (``pdf``), skipping the ones whose .docx
did not change; a PDF that fails is reported and the previous one kept.  Files
are written to a temporary name and renamed, then the manifest.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Callable

from .documents import contexts as documents

from .pdf import office as pdf

from .model import progress
from .diagnostics import Diagnostics, Location
from .files import write_atomically
from .translation.words import Words
from .translation.localize import localize
from .ooxml.template import Template
from .model.period import Period
from .model.plan import Action, Plan, Sources

MANIFEST = "manifest.json"


@dataclasses.dataclass(frozen=True)
class Output:
    """One file of build/: ``path`` is relative to the build folder."""

    path: str
    kind: str  # pao | sheet | annex
    plan: str
    language: str
    format: str  # docx | pdf
    data: bytes = dataclasses.field(repr=False, default=b"")
    date: datetime.date | None = None  # the sources' date, stamped into PDFs
    action: str | None = None  # for a fact sheet: the AO it is about
    period: str | None = None  # for a progress annex: the period it covers
    source_sha256: str | None = None  # for a PDF: the .docx it was converted from

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def entry(self) -> dict:
        entry = {
            "path": self.path,
            "kind": self.kind,
            "plan": self.plan,
            "language": self.language,
            "format": self.format,
            "sha256": self.sha256,
        }
        if self.action:
            entry["action"] = self.action
        if self.period:
            entry["period"] = self.period
        if self.source_sha256:
            entry["source_sha256"] = self.source_sha256
        return entry

    def as_pdf(self, data: bytes) -> "Output":
        return dataclasses.replace(self, path=self.path.removesuffix(".docx") + ".pdf", format="pdf", data=data, source_sha256=self.sha256)


KINDS = ("pao", "sheet", "annex")


def pao_path(plan: Plan, language: str) -> str:
    """``<plan>/<language>/pao-<plan>-<language>.docx``."""
    name = safe_name(plan.id)
    return f"{name}/{language}/pao-{name}-{language}.docx"


def annex_path(plan: Plan, period: Period, language: str) -> str:
    """``<plan>/<language>/anexo-<plan>-<period>-<language>.docx``."""
    name = safe_name(plan.id)
    return f"{name}/{language}/anexo-{name}-{period}-{language}.docx"


def sheet_path(plan: Plan, action: Action, language: str) -> str:
    """``<plan>/<language>/ficha-<plan>-<AO id>-<language>.docx``."""
    name = safe_name(plan.id)
    return f"{name}/{language}/ficha-{name}-{safe_name(action.id)}-{language}.docx"


def safe_name(text: str) -> str:
    """A file-name part safe on every file system, whatever an id contains."""
    name = re.sub(r"[^A-Za-z0-9._-]|\.{2,}", "_", text)  # no separators, no ".."
    name = re.sub(r"_+", "_", name).strip(".") or "_"
    return name[:80]


def selection_problem(sources: Sources, plans: tuple[str, ...], only: tuple[str, ...], languages: tuple[str, ...]) -> str | None:
    """What is wrong with a choice of plans, documents and languages, if anything."""
    names = {p.id for p in sources.plans}
    unknown = [plan for plan in plans if plan not in names]
    if unknown:
        return f"no plan named {', '.join(unknown)} (plans: {', '.join(sorted(names))})"
    selected = [p for p in sources.plans if not plans or p.id in plans]
    actions = {a.id for p in selected for a in p.actions}
    periods = {str(r.period) for p in selected for r in p.reports}
    unknown = [item for item in only if item not in KINDS and item not in actions and item not in periods]
    if unknown:
        return (
            f"--only {', '.join(unknown)}: not a kind of document ({', '.join(KINDS)}), an operational action "
            f"({', '.join(sorted(actions))}) nor a reported period ({', '.join(sorted(periods)) or 'none'})"
        )
    known = {language for p in selected for language in (p.language, *(t for t, _ in p.translations))}
    if any(language not in known for language in languages):
        return f"--lang: the plans are in {', '.join(sorted(known))}"
    return None


def editions(
    sources: Sources, diagnostics: Diagnostics, plan_ids: tuple[str, ...] = (), languages: tuple[str, ...] = ()
) -> list[tuple[Plan, str]]:
    """Each selected plan in each of its languages (its own and its translations), localized."""
    result = []
    for plan in sources.plans:
        if plan_ids and plan.id not in plan_ids:
            continue
        for language in (plan.language, *(language for language, _ in plan.translations)):
            if languages and language not in languages:
                continue
            result.append((plan if language == plan.language else localize(plan, language, diagnostics), language))
    return result


def render_all(
    sources: Sources, templates: Path, plan_ids: tuple[str, ...] = (), only: tuple[str, ...] = (), languages: tuple[str, ...] = ()
) -> list[Output]:
    """The Word documents of the selected plans (all when none are named), in memory, in every language.

    ``only`` narrows the documents to kinds (pao, sheet, annex), fact sheets of named
    AOs and annexes of named periods.  Translation warnings are for the caller to
    have checked (``editions``) before; here they are not repeated.
    """
    return render_editions(editions(sources, Diagnostics(), plan_ids, languages), sources.organisations, templates, only)


def render_editions(plans: list[tuple[Plan, str]], organisations, templates: Path, only: tuple[str, ...] = ()) -> list[Output]:
    """The Word documents of each (plan, language)."""

    def wanted(kind: str, action: str | None = None) -> bool:
        return not only or kind in only or (action is not None and action in only)

    templates_by_kind: dict[str, Template] = {}

    def template(kind: str) -> Template:
        if kind not in templates_by_kind:
            templates_by_kind[kind] = Template(templates / TEMPLATE_FILES[kind])
        return templates_by_kind[kind]

    outputs = []
    for plan, language in plans:
        words = Words(language, organisations)
        footnotes = plan.footnotes()
        if wanted("pao"):
            data = template("pao").render(
                footnotes,
                lambda text, plan=plan, words=words: documents.pao_context(plan, words, text),
                documents.pao_properties(plan, words),
            )
            outputs.append(Output(pao_path(plan, language), "pao", plan.id, language, "docx", data, plan.date))
        latest = progress.latest(plan) if any(wanted("sheet", a.id) for a in plan.actions) else None  # once for all sheets
        for action in plan.actions:
            if wanted("sheet", action.id):
                data = template("sheet").render(
                    footnotes,
                    lambda text, plan=plan, action=action, latest=latest, words=words: documents.sheet_context(plan, action, latest, words, text),
                    documents.sheet_properties(plan, action, words),
                )
                outputs.append(Output(sheet_path(plan, action, language), "sheet", plan.id, language, "docx", data, plan.date, action.id))
        for report in plan.reports:
            if wanted("annex", str(report.period)):
                state = progress.as_of(plan, report.period)
                data = template("annex").render(
                    footnotes,
                    lambda text, plan=plan, state=state, words=words: documents.annex_context(plan, state, words, text),
                    documents.annex_properties(plan, state, words),
                )
                path = annex_path(plan, report.period, language)
                outputs.append(Output(path, "annex", plan.id, language, "docx", data, report.date, period=str(report.period)))
    return outputs


TEMPLATE_FILES = {"pao": "pao.docx", "sheet": "ficha.docx", "annex": "anexo.docx"}


def add_pdfs(
    documents_docx: list[Output],
    folder: Path,
    diagnostics: Diagnostics,
    timeout: float,
    progress: Callable[[int], Callable[[pdf.Job], None]] | None = None,
) -> list[Output]:
    """The PDF of each .docx: reused when its .docx is unchanged, else converted; failures reported."""
    previous = {entry["path"]: entry for entry in read_manifest(folder)}
    pdfs, todo = [], []
    for document in documents_docx:
        reused = _unchanged_pdf(document, previous, folder)
        if reused is not None:
            pdfs.append(reused)
        else:
            todo.append(document)
    if not todo:
        return pdfs
    try:
        office = pdf.Office.find()
    except pdf.OfficeMissing as exc:
        diagnostics.error(Location(str(folder / todo[0].as_pdf(b"").path)), str(exc), "pdf.no-libreoffice")
        return pdfs
    jobs = [pdf.Job(document.path, document.data, document.date or datetime.date(1980, 1, 1)) for document in todo]
    results = pdf.convert(office, jobs, timeout, progress(len(jobs)) if progress else lambda job: None)
    for document in todo:
        result = results[document.path]
        if isinstance(result, bytes):
            pdfs.append(document.as_pdf(result))
        else:
            target = folder / document.as_pdf(b"").path
            kept = "; the previous PDF is kept" if target.is_file() else ""
            diagnostics.error(Location(str(folder / document.path)), f"no PDF: {result}{kept}", "pdf.failed")
    return pdfs


def _unchanged_pdf(document: Output, previous: dict, folder: Path) -> Output | None:
    candidate = document.as_pdf(b"")
    entry = previous.get(candidate.path)
    target = folder / candidate.path
    if not entry or entry.get("source_sha256") != document.sha256 or not target.is_file():
        return None
    data = target.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return None  # changed by hand: convert again
    return document.as_pdf(data)


def write(outputs: list[Output], folder: Path) -> list[Output]:
    """Write outputs whose bytes changed, then the manifest; returns those written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for output in outputs:
        target = folder / output.path
        if target.is_file() and target.read_bytes() == output.data:
            continue
        write_atomically(target, output.data)
        written.append(output)
    entries = {entry["path"]: entry for entry in read_manifest(folder) if (folder / entry["path"]).is_file()}
    entries.update({output.path: output.entry() for output in outputs})
    manifest = json.dumps({"outputs": [entries[path] for path in sorted(entries)]}, indent=2, ensure_ascii=False) + "\n"
    write_atomically(folder / MANIFEST, manifest.encode("utf-8"))
    return written


def read_manifest(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return []
