"""The phases of a build, in one place: load → validate → resolve → localize → render → convert → write.

``pao build``, ``pao validate`` and ``pao diff`` run these same functions, and
so can any other front end (a preview, a form generator):

* ``load``: every plan of a source folder, read, checked and resolved
  (``sources``); any error stops here, before anything is rendered;
* ``localize``: each selected plan in each of its languages (``Edition``);
* ``render``: the Word documents of the editions, in memory, one per
  ``documents.kinds.Document``;
* ``convert``: their PDFs, through one LibreOffice process, reusing a PDF
  whose .docx did not change;
* ``write`` (``output.write``): files whose bytes changed, then the manifest,
  one build at a time per build folder (the others wait).

Before anything is rendered, ``check_file_names`` makes sure no two plans or
documents would be written to the same file.

Errors are raised as ``SourceError`` once every problem of a phase is known;
warnings go to the caller's ``warn`` as soon as a phase has them.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Diagnostics, Location, SelectionError, SourceError, display_path, fail
from .documents import kinds
from .documents.edition import Edition
from .documents.kinds import Document
from .model.plan import Action, Sources
from .output import LOCK_TIMEOUT, Output, read_manifest, write
from .sources.load import load_sources
from .translation.localize import localize as translate

if TYPE_CHECKING:  # docxtpl and the PDF machinery are imported only by the phases that use them
    from .ooxml.template import Template
    from .pdf.office import Job

Warn = Callable[[Diagnostic], None]
Progress = Callable[[int], Callable[["Job"], None]]  # given the number of PDFs, what to call after each
FORMATS = ("docx", "pdf")


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclasses.dataclass(frozen=True)
class Selection:
    """What to build: every plan, document, language and format unless narrowed."""

    plans: tuple[str, ...] = ()
    only: tuple[str, ...] = ()  # kinds (pao, sheet, annex), action ids, periods
    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS


def _checked(diagnostics: Diagnostics, strict: bool, warn: Warn) -> None:
    if diagnostics.failed(strict):
        raise SourceError(diagnostics)
    for warning in diagnostics.sorted():
        warn(warning)


def load(source: Path, strict: bool = False, warn: Warn = lambda d: None) -> Sources:
    """Every plan of ``source``, checked and resolved; SourceError with every problem otherwise."""
    diagnostics = Diagnostics()
    sources = load_sources(source, diagnostics)
    _checked(diagnostics, strict, warn)
    assert sources is not None  # no error means the sources resolved
    return sources


def localize(
    sources: Sources, selection: Selection = Selection(), strict: bool = False, warn: Warn = lambda d: None
) -> list[Edition]:
    """Each selected plan in each of its languages (its own first, then its translations)."""
    diagnostics = Diagnostics()
    result = []
    for plan in sources.plans:
        if selection.plans and plan.id not in selection.plans:
            continue
        for language in (plan.language, *(language for language, _ in plan.translations)):
            if selection.languages and language not in selection.languages:
                continue
            localized = plan if language == plan.language else translate(plan, language, diagnostics)
            result.append(Edition(localized, language, sources.organisations))
    _checked(diagnostics, strict, warn)
    return result


def check_selection(sources: Sources, selection: Selection) -> None:
    """SelectionError when a chosen plan, document or language is not in the sources."""
    plan_ids = {p.id for p in sources.plans}
    unknown = [plan for plan in selection.plans if plan not in plan_ids]
    if unknown:
        raise SelectionError(f"no plan named {', '.join(unknown)} (plans: {', '.join(sorted(plan_ids))})")
    selected = [p for p in sources.plans if not selection.plans or p.id in selection.plans]
    names = tuple(k.name for k in kinds.KINDS)
    subjects = {subject: k.about for p in selected for k in kinds.KINDS for s in k.subjects(p) if k.about and (subject := k.subject_id(s))}
    unknown = [item for item in selection.only if item not in names and item not in subjects]
    if unknown:
        actions = sorted(s for s, about in subjects.items() if about == "action")
        periods = sorted(s for s, about in subjects.items() if about == "period")
        raise SelectionError(
            f"--only {', '.join(unknown)}: not a kind of document ({', '.join(names)}), an operational action "
            f"({', '.join(actions)}) nor a reported period ({', '.join(periods) or 'none'})"
        )
    known = {language for p in selected for language in (p.language, *(t for t, _ in p.translations))}
    if any(language not in known for language in selection.languages):
        raise SelectionError(f"--lang: the plans are in {', '.join(sorted(known))}")


def check_file_names(sources: Sources) -> None:
    """SourceError when two plans, or two subjects of one plan, would be written to the same file of build/.

    File names are made safe for every file system (``kinds.safe_name``), so different folder names or ids can
    give the same one (``x y`` and ``x_y``), and Windows and macOS do not tell ``AO-1`` from ``ao-1``: one
    document would silently replace the other.  Every plan counts, whatever the selection: they share build/.
    """
    diagnostics = Diagnostics()
    first: dict[str, Document] = {}
    told: set[tuple[int, int]] = set()
    for plan in sources.plans:
        for language in (plan.language, *(language for language, _ in plan.translations)):
            for document in kinds.documents(Edition(plan, language, sources.organisations)):
                earlier = first.setdefault(document.path.casefold(), document)
                if earlier is document:
                    continue
                same_plan = earlier.edition.plan is plan
                pair = (id(earlier.subject), id(document.subject)) if same_plan else (id(earlier.edition.plan), id(plan))
                if pair not in told:
                    told.add(pair)
                    _same_file_name(diagnostics, earlier, document, same_plan)
    if diagnostics.errors:
        raise SourceError(diagnostics)


def _same_file_name(diagnostics: Diagnostics, earlier: Document, document: Document, same_plan: bool) -> None:
    case = " (Windows and macOS do not tell upper from lower case)" if earlier.path != document.path else ""
    if not same_plan:
        folder, other = document.edition.plan.folder, earlier.edition.plan.folder
        message = (
            f"the plan folders '{other.name}' ({display_path(other)}) and '{folder.name}' would both be built into "
            f"the build folder's {document.path.split('/')[0]}/{case}: rename one of them"
        )
        diagnostics.error(Location(display_path(folder)), message, "build.same-file-name")
        return
    what = "operational actions" if isinstance(document.subject, Action) else f"{document.kind.about or document.kind.name}s"
    message = (
        f"{what} '{document.kind.subject_id(document.subject)}' and '{earlier.kind.subject_id(earlier.subject)}' "
        f"({_where(earlier)}) would both be built as {document.path.rsplit('/', 1)[-1]}{case}: change one of the ids"
    )
    diagnostics.error(_where(document), message, "build.same-file-name")


def _where(document: Document) -> Location:
    """Where a document's subject is written: an action's id in plan.yaml; else its plan's folder."""
    subject = document.subject
    if isinstance(subject, Action) and "id" in subject.written_at:
        return subject.written_at["id"]
    return Location(display_path(document.edition.plan.folder))


def render(editions: Sequence[Edition], templates: Path, only: Sequence[str] = ()) -> list[Output]:
    """The Word documents of the editions, in memory; a template mistake raises SourceError."""
    from .ooxml.template import Template

    opened: dict[str, Template] = {}
    outputs = []
    for edition in editions:
        for document in kinds.documents(edition, only):
            name = document.kind.template
            if name not in opened:
                opened[name] = Template(templates / name)
            data = opened[name].render(edition.footnotes, document.context, document.properties())
            outputs.append(_output(document, data))
    return outputs


def _output(document: Document, data: bytes) -> Output:
    about = {document.kind.about: document.kind.subject_id(document.subject)} if document.kind.about else {}
    plan = document.edition.plan
    return Output(document.path, document.kind.name, plan.id, document.edition.language, "docx", data, document.date, **about)


def convert(
    word: Sequence[Output],
    folder: Path,
    diagnostics: Diagnostics,
    timeout: float,
    progress: Progress | None = None,
) -> list[Output]:
    """The PDF of each .docx: reused when its .docx is unchanged, else converted; failures go to ``diagnostics``."""
    from .pdf import office as pdf

    previous = {entry["path"]: entry for entry in read_manifest(folder)}
    pdfs, todo = [], []
    for document in word:
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
        diagnostics.error(Location(display_path(folder / todo[0].as_pdf(b"").path)), str(exc), "pdf.no-libreoffice")
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
            diagnostics.error(Location(display_path(folder / document.path)), f"no PDF: {result}{kept}", "pdf.failed")
    return pdfs


def _unchanged_pdf(document: Output, previous: dict[str, dict[str, str]], folder: Path) -> Output | None:
    candidate = document.as_pdf(b"")
    entry = previous.get(candidate.path)
    target = folder / candidate.path
    if not entry or entry.get("source_sha256") != document.sha256 or not target.is_file():
        return None
    data = target.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return None  # changed by hand: convert again
    return document.as_pdf(data)


@dataclasses.dataclass(frozen=True)
class Built:
    outputs: list[Output]
    written: list[Output]
    problems: Diagnostics  # documents that could not be converted: the rest is written


def build(
    source: Path,
    templates: Path,
    out: Path,
    selection: Selection = Selection(),
    strict: bool = False,
    pdf_timeout: float = 180.0,
    warn: Warn = lambda d: None,
    progress: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    waiting: Callable[[str], None] = _to_stderr,
) -> Built:
    """Every phase for the selected documents; nothing is written when a source or template has an error.

    Builds into one folder at a time: while another build writes to ``out``, this one waits (saying so through
    ``waiting``, on stderr unless told otherwise) up to ``lock_timeout`` seconds.
    """
    sources = load(source, strict, warn)
    check_selection(sources, selection)
    check_file_names(sources)
    editions = localize(sources, selection, strict, warn)
    word = render(editions, templates, selection.only)
    problems = Diagnostics()
    outputs = list(word) if "docx" in selection.formats else []
    if "pdf" in selection.formats:
        outputs += convert(word, out, problems, pdf_timeout, progress)
    written = _write(outputs, out, lock_timeout, waiting)
    return Built(outputs, written, problems)


def _write(outputs: list[Output], out: Path, lock_timeout: float, waiting: Callable[[str], None]) -> list[Output]:
    where = Location(display_path(out))

    def wait() -> None:
        waiting(f"{where}: waiting for another build to finish writing to this folder (at most {lock_timeout:g} s)")

    try:
        return write(outputs, out, lock_timeout, wait)
    except TimeoutError:
        raise fail(where, f"another build has been writing to this folder for more than {lock_timeout:g} s: let it finish (or end it), then build again", "build.busy") from None
    except OSError as exc:
        raise fail(where, f"cannot write {display_path(exc.filename or out)}: {exc.strerror}", "build.unwritable") from None




def validate(source: Path, strict: bool = False, warn: Warn = lambda d: None) -> tuple[Sources, int]:
    """The checks of a build without rendering: the sources and every translation; the number of warnings."""
    warnings: list[Diagnostic] = []

    def count(diagnostic: Diagnostic) -> None:
        warnings.append(diagnostic)
        warn(diagnostic)

    sources = load(source, strict, count)
    check_file_names(sources)
    localize(sources, strict=strict, warn=count)
    return sources, len(warnings)


def render_all(sources: Sources, templates: Path, selection: Selection = Selection()) -> list[Output]:
    """The Word documents of the selected plans in memory (translation warnings not repeated): for tools and benchmarks."""
    return render(localize(sources, selection), templates, selection.only)
