"""The phases of a build, in one place: load → validate → resolve → localize → render → convert → write.

``pao build``, ``pao validate`` and ``pao diff`` run these same functions, and
so can any other front end (a preview, a form generator):

* ``load``: every plan of a source folder, read, checked and resolved
  (``sources``); any error stops here, before anything is rendered;
* ``localize``: each selected plan in each of its languages (``Edition``);
* ``render``: the Word documents of the editions, one per
  ``documents.kinds.Document``: in memory, or (``pao build``) each written to
  the build's staging folder (``output.Staging``) as soon as it is made;
* ``convert``: their PDFs, through one LibreOffice process per job, reusing a
  PDF whose .docx did not change (in ``build``, LibreOffice starts first and
  each .docx goes to it as soon as it is made);
* ``write`` (``output.write``): files whose bytes changed moved into place, then
  the manifest, one build at a time per build folder (the others wait).

Before anything is rendered, ``check_file_names`` makes sure no two plans or
documents would be written to the same file.

Errors are raised as ``SourceError`` once every problem of a phase is known;
warnings go to the caller's ``warn`` as soon as a phase has them.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import hashlib
import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import freshness
from .diagnostics import Diagnostic, Diagnostics, Location, SelectionError, SourceError, display_path, fail
from .documents import kinds
from .documents.charts import Charts, share
from .documents.edition import Edition
from .documents.kinds import Document
from .files import write_atomically
from .model.plan import DEFAULT_LAYOUT, Action, Sources
from .output import LOCK_TIMEOUT, Output, Record, Staging, Written, intact, read_manifest, read_record, write
from .processes import CHARTS, Drawer, can_fork, end_with_parent
from .selection import FORMATS, Selection
from .sources.load import load_sources
from .translation.localize import localize as translate

if TYPE_CHECKING:  # docxtpl and the PDF machinery are imported only by the phases that use them
    from .ooxml.template import CompiledParts, Prepared, Template
    from .pdf.office import Converting, Job

__all__ = ["FORMATS", "Selection", "build", "load", "localize", "render", "render_all", "validate"]

Warn = Callable[[Diagnostic], None]
Progress = Callable[[str, int], Callable[[object], None]]  # given what is made (Word, PDF) and how many, what to call after each
CHECKED = ".pao-templates-checked"  # in the build folder: the digests of template checks that found nothing
COMPILED = ".pao-compiled"  # in the build folder: Jinja's code of each template part, by pao's code digest
_MOST_PASSED = 256
UP_TO_DATE = "up to date"


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _checked(diagnostics: Diagnostics, strict: bool, warn: Warn) -> None:
    if diagnostics.failed(strict):
        raise SourceError(diagnostics)
    for warning in diagnostics.sorted():
        warn(warning)


def load(source: Path, strict: bool = False, warn: Warn = lambda d: None) -> Sources:
    """Every plan of ``source``, checked and resolved; SourceError with every problem otherwise."""
    diagnostics = Diagnostics()
    collecting = gc.isenabled()
    gc.disable()  # reading makes many objects and no garbage: the collector would scan them again and again
    try:
        sources = load_sources(source, diagnostics)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()  # what was read lives as long as the build: later collections need not scan it
    _checked(diagnostics, strict, warn)
    assert sources is not None  # no error means the sources resolved
    return sources


def localize(
    sources: Sources,
    selection: Selection = Selection(),
    strict: bool = False,
    warn: Warn = lambda d: None,
    charts: Charts | None = None,
    heard: dict[str, list[Diagnostic]] | None = None,
) -> list[Edition]:
    """Each selected plan in each of its languages (its own first, then its translations); their charts kept
    by ``charts``; each edition's warnings also put in ``heard``, under ``<plan>/<language>``."""
    diagnostics = Diagnostics()
    result = []
    charts = charts or Charts()
    for plan in sources.plans:
        if selection.plans and plan.id not in selection.plans:
            continue
        for language in (plan.language, *(language for language, _ in plan.translations)):
            if selection.languages and language not in selection.languages:
                continue
            own = Diagnostics()
            localized = plan if language == plan.language else translate(plan, language, own)
            diagnostics.extend(own)
            if heard is not None:
                heard[f"{plan.id}/{language}"] = own.warnings
            result.append(Edition(localized, language, sources.organisations, charts, selection.layout or ""))
    _checked(diagnostics, strict, warn)
    return result


def layouts(templates: Path) -> list[str]:
    """The layouts of a templates folder: its folders that hold Word templates."""
    if not templates.is_dir():
        return []
    return sorted(folder.name for folder in templates.iterdir() if folder.is_dir() and any(folder.glob("*.docx")))


def check_layouts(sources: Sources, templates: Path, layout: str | None = None) -> None:
    """SelectionError when ``layout`` (``--layout``) is not a layout of ``templates``; SourceError, at each plan's
    ``layout:``, when a plan chooses one that is not."""
    known = layouts(templates)
    where = f"the layouts are {', '.join(known)}" if known else "there is none"
    if layout is not None and layout not in known:
        raise SelectionError(f"no layout named '{layout}' in {display_path(templates)} ({where})")
    # templates of a project made before layouts, at the folder's top: they belong in the default layout's folder
    loose = f" (move the templates at its top into {display_path(templates / DEFAULT_LAYOUT)})" if any(templates.glob("*.docx")) else ""
    diagnostics = Diagnostics()
    for plan in sources.plans:
        if plan.layout not in known and layout is None:
            message = (
                f"layout: '{plan.layout}' is not a layout: {where} (folders of {display_path(templates)} holding "
                f"the Word templates); write one of them, or make the folder {display_path(templates / plan.layout)}{loose}"
            )
            diagnostics.error(plan.written_at.get("layout", Location(display_path(plan.folder))), message, "plan.unknown-layout")
    if diagnostics.errors:
        raise SourceError(diagnostics)


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
            f"({_some(actions, unknown)}) nor a reported period ({_some(periods, unknown) or 'none'})"
        )
    known = {language for p in selected for language in (p.language, *(t for t, _ in p.translations))}
    if any(language not in known for language in selection.languages):
        raise SelectionError(f"--lang: the plans are in {', '.join(sorted(known))}")


def _some(ids: list[str], asked: list[str], shown: int = 10) -> str:
    """At most ``shown`` of ``ids``, those closest to what was asked first: a plan of 800 actions lists no 10 KB."""
    if len(ids) <= shown:
        return ", ".join(ids)
    import difflib

    close = [i for word in asked for i in difflib.get_close_matches(word, ids, n=3, cutoff=0.5)]
    first = list(dict.fromkeys(close + ids))[:shown]
    return ", ".join(first) + f"… and {len(ids) - shown:,} more"


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
    return [made.output for made in make(editions, templates, only)]


@dataclasses.dataclass(frozen=True)
class Made:
    output: Output
    why: str  # "up to date", or why it was rendered


def check_templates(
    documents: Sequence[Document],
    templates: Path,
    every_kind_of: Sequence[str] = (),
    passed: set[str] | None = None,
    prepared: dict[int, Prepared] | None = None,
    compiled: CompiledParts | None = None,
) -> dict[tuple[str, str], Template]:
    """The templates of the documents' layouts and kinds (of every kind, in the layouts ``every_kind_of``), by
    layout and file name, opened and checked against what their kind gives them (the variables of its first
    document in that layout); SourceError with every mistake of every one.  ``passed``: the digests of checks
    that found nothing, not made again, and of templates that opened, not checked again for well-formed XML
    (those that find nothing, and those that open, are added).  ``prepared``: where to keep what
    each kind's first document receives (by ``id``), worked out for the check, so that it is not worked out twice.
    ``compiled``: Jinja's code of each template part, kept from one build to the next."""
    from .ooxml.template import Template
    from .ooxml.template_check import check, check_digest, shape_of, variables_of

    found = Diagnostics()
    opened: dict[tuple[str, str], Template] = {}
    def sound(sha256: str) -> bool:  # a template of these bytes opened in an earlier build
        return passed is not None and _opens(sha256) in passed

    first: dict[tuple[str, str], Document | None] = {(layout, kind.name): None for layout in every_kind_of for kind in kinds.KINDS}
    for document in documents:
        if first.get((document.layout, document.kind.name)) is None:
            first[document.layout, document.kind.name] = document
    for (layout, name), example in first.items():
        kind = kinds.kind(name)
        if (layout, kind.template) in opened:
            continue
        try:
            template = opened[layout, kind.template] = Template(templates / layout / kind.template, require_styles=False, sound=sound, compiled=compiled)
        except SourceError as error:
            found.items.extend(error.diagnostics)
            continue
        if passed is not None:
            passed.add(_opens(template.sha256))
        if example is None:
            variables = None
        elif prepared is not None and not template.missing_styles:
            ready = prepared[id(example)] = template.prepare(example.edition.footnotes, example.context, example.properties())
            shape = shape_of(ready.context)
            assert isinstance(shape, dict)  # a context is a dict
            variables = shape
        else:
            variables = variables_of(template, example.edition.footnotes, example.context)
        key = hashlib.sha256((freshness.code_digest() + check_digest(template, variables)).encode()).hexdigest()
        if passed is not None and key in passed:
            continue
        problems = check(template, variables)
        found.items.extend(problems)
        if passed is not None and not problems:
            passed.add(key)
    if found.errors:
        raise SourceError(found)
    return opened


def _opens(sha256: str) -> str:
    """The digest ``passed`` holds for a template of these bytes (their sha256) that opened: well-formed XML, a
    package docxtpl can read."""
    return hashlib.sha256(f"{freshness.code_digest()} opens {sha256}".encode()).hexdigest()


def check_project_templates(source: Path, templates: Path, layout: str | None = None, warn: Warn = lambda d: None) -> list[str]:
    """``pao templates check``: every template of ``layout`` (of every layout), against the variables each kind
    gives for the sources' plans (each in its own language); the templates checked, as ``<layout>/<file>``."""
    sources = load(source, warn=warn)
    chosen = [layout] if layout is not None else layouts(templates)
    if layout is not None:
        check_layouts(sources, templates, layout)
    if not chosen:
        raise fail(Location(display_path(templates)), "no layout here: a layout is a folder holding the Word templates (pao.docx, ficha.docx, anexo.docx)", "template.no-layout")
    editions = [Edition(plan, plan.language, sources.organisations, layout=name) for name in chosen for plan in sources.plans]
    documents = [document for edition in editions for document in kinds.documents(edition)]
    return sorted(f"{name}/{file}" for name, file in check_templates(documents, templates, every_kind_of=chosen))


def make(
    editions: Sequence[Edition],
    templates: Path,
    only: Sequence[str] = (),
    out: Path | None = None,
    force: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    passed: set[str] | None = None,
    staging: Staging | None = None,
    each: Callable[[Output], None] = lambda output: None,
    drawer: Drawer | None = None,
    compiled: CompiledParts | None = None,
) -> list[Made]:
    """The Word documents of the editions: those already in ``out`` as the manifest records them, with the
    same content digest, are left there (their outputs name their files); the others are rendered, by ``jobs``
    processes where the system can fork, each put in ``staging`` as soon as it is made (else kept in memory).
    A template mistake raises SourceError (the first document's, whatever the number of jobs).
    ``passed``: as for ``check_templates``; ``each`` is given each document made, as soon as it is made.
    ``drawer``: a chart drawer started before (stopped when no chart is to be drawn).  ``compiled``: Jinja's
    code of the template parts from earlier builds, and what this one compiles (by every process)."""
    documents = [document for edition in editions for document in kinds.documents(edition, only)]
    forking = jobs > 1 and len(documents) > 1 and can_fork()
    previous = {entry["path"]: entry for entry in read_manifest(out)} if out is not None else {}
    # the charts no build has drawn, of the documents sure to be rendered (new, missing, edited, forced), are drawn
    # by a process of their own, from now on (or since the build began), while the templates are checked and the
    # other documents rendered; a document that may be up to date draws its own, only if it is rendered after all
    shown = [document.charts() if forking else () for document in documents]
    undrawn = [
        chart
        for document, charts in zip(documents, shown)
        if charts and (force or _why(previous.get(document.path), out, "edited", None) != UP_TO_DATE)
        for chart in charts
        if not chart.drawn
    ]
    with contextlib.ExitStack() as stack:
        if undrawn and drawer is None:
            drawer = stack.enter_context(Drawer())
        elif not undrawn and drawer is not None:
            drawer.stop()
            drawer = None
        if drawer is not None:
            drawer.draw(undrawn)
        return _make(documents, templates, previous, out, force, jobs, progress, passed, staging, each, forking, drawer, compiled)


def _make(
    documents: list[Document],
    templates: Path,
    previous: dict[str, dict[str, str]],
    out: Path | None,
    force: bool,
    jobs: int,
    progress: Progress | None,
    passed: set[str] | None,
    staging: Staging | None,
    each: Callable[[Output], None],
    forking: bool,
    drawer: Drawer | None,
    compiled: CompiledParts | None,
) -> list[Made]:
    prepared: dict[int, Prepared] = {}
    opened = check_templates(documents, templates, passed=passed, prepared=prepared, compiled=compiled)
    work = [(document, opened[document.layout, document.kind.template]) for document in documents]
    global _WORK
    _WORK = [
        (document, template, None if force else previous.get(document.path), out, prepared.get(id(document)), staging)
        for document, template in work
    ]
    done = progress("Word", len(_WORK)) if progress else lambda result: None
    made: list[Made | None] = [None] * len(_WORK)
    problems: dict[int, list[Diagnostic]] = {}

    def arrived(index: int, result: _Result) -> None:  # in this process, as each document is made
        done(result)
        if result.problems:
            problems[index] = result.problems
            return
        document = documents[index]
        document.edition.charts.new.update(result.drawn)
        document.edition.charts.used.update(result.used)
        if compiled is not None:
            compiled.made.update(result.compiled)
        why = "rebuilt: --force" if force and result.why != UP_TO_DATE else result.why
        output = _output(document, result.data, result.content)
        made[index] = one = Made(output.kept(result.file, result.checksum) if result.file is not None else output, why)
        if not problems:  # after a mistake, the build stops: nothing more to convert
            each(one.output)

    try:
        if forking:
            # what the check compiled stays here: each process sends back only what it compiles itself
            checked = compiled.take() if compiled is not None else {}
            _render_forked(documents, jobs, drawer, arrived)
            if compiled is not None:
                compiled.made.update(checked)
        else:
            for index in range(len(_WORK)):
                arrived(index, _make_one(index))
    finally:
        _WORK = []
    if problems:
        raise SourceError(problems[min(problems)])  # the first document's, whatever the order they were made in
    return [result for result in made if result is not None]


def _compiled(out: Path) -> CompiledParts:
    """Jinja's code of the template parts, as earlier builds into ``out`` with this pao kept it."""
    from .ooxml.template import CompiledParts

    return CompiledParts(out / COMPILED / freshness.code_digest()[:16])


def _keep_compiled(compiled: CompiledParts) -> None:
    """What the build compiled, for the next (the code of another pao removed); a file that cannot be written
    is compiled again next time, and one a power loss cut short too (Jinja checks what it reads): not flushed."""
    if not compiled.made:
        return
    with contextlib.suppress(OSError):
        for other in compiled.folder.parent.iterdir():
            if other != compiled.folder:
                shutil.rmtree(other, ignore_errors=True)
    for key, data in compiled.made.items():
        with contextlib.suppress(OSError):
            write_atomically(compiled.file(key), data, durable=False)


def _render_forked(documents: list[Document], jobs: int, drawer: Drawer | None, arrived: Callable[[int, _Result], None]) -> None:
    """``_WORK`` made by ``jobs`` forked processes, each document given to ``arrived`` as soon as it is made (the
    first made goes on first, to LibreOffice); a document whose charts ``drawer`` draws waits for them."""
    gc.freeze()  # the children share what is loaded instead of copying it when their collector runs
    context = multiprocessing.get_context("fork")  # the children inherit the sources, templates and imports
    drawing = {future: key for key, future in drawer.drawn.items()} if drawer else {}
    shows = [{chart.key for chart in document.charts()} for document in documents]
    waits = {index: keys & set(drawer.drawn) for index, keys in enumerate(shows)} if drawer else {}
    with ProcessPoolExecutor(min(jobs, len(documents)), mp_context=context, initializer=end_with_parent) as pool:
        rendering: dict[Future[_Result], int] = {}

        def render(index: int) -> Future[_Result]:
            future = pool.submit(_make_one, index, drawer.pngs(shows[index]) if drawer else None)
            rendering[future] = index
            return future

        # those that draw charts first (the longest), so that no process is left with one at the end
        for index in sorted(range(len(documents)), key=lambda index: not shows[index]):
            if not waits.get(index):
                render(index)
        pending: set[Future[Any]] = {*rendering, *drawing}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if future in rendering:
                    arrived(rendering[future], future.result())
                    continue
                for index, keys in waits.items():
                    if drawing[future] in keys:
                        keys.discard(drawing[future])
                        if not keys:  # every chart it shows is drawn
                            pending.add(render(index))


# the documents a ``make`` is working on, for its worker processes (inherited when they fork)
_WORK: list[tuple[Document, Template, dict[str, str] | None, Path | None, Prepared | None, Staging | None]] = []
_PARENT = os.getpid()


@dataclasses.dataclass(frozen=True)
class _Result:
    """What ``_make_one`` gives back (from a worker process too)."""

    why: str  # UP_TO_DATE, or why it was rendered
    data: bytes = b""  # the document rendered, when there is no staging
    file: Path | None = None  # else where it is: staged, or in the build folder when up to date
    checksum: str = ""  # with ``file``: its sha256
    content: str = ""  # its content digest
    problems: list[Diagnostic] = dataclasses.field(default_factory=list)  # its template's mistakes
    drawn: dict[str, bytes] = dataclasses.field(default_factory=dict)  # in a worker: the charts drawn, for the build to keep
    used: set[str] = dataclasses.field(default_factory=set)  # in a worker: the keys of the charts it shows
    compiled: dict[str, bytes] = dataclasses.field(default_factory=dict)  # in a worker: the template parts it compiled


def _make_one(index: int, drawn: dict[str, bytes] | None = None) -> _Result:
    """The document ``_WORK[index]``: left in the build folder when its content digest is as recorded, else
    rendered and staged; ``drawn``: charts it shows, drawn by another process."""
    document, template, entry, out, ready, staging = _WORK[index]
    if drawn:
        share(drawn)
    charts = document.edition.charts
    try:
        prepared = ready or template.prepare(document.edition.footnotes, document.context, document.properties())
    except SourceError as error:
        return _Result("", problems=error.diagnostics)
    content = hashlib.sha256((freshness.code_digest() + template.digest(prepared)).encode()).hexdigest()
    changed = "rebuilt: what it shows changed" if entry is not None and entry.get("content") != content else None
    why = _why(entry, out, "rebuilt: changed since it was built", changed)
    if why == UP_TO_DATE:
        assert entry is not None and out is not None
        result = _Result(why, file=out / entry["path"], checksum=entry["sha256"], content=content)
    else:
        try:
            data = template.render(prepared)
        except SourceError as error:
            return _Result("", problems=error.diagnostics)
        if staging is None:
            result = _Result(why, data, content=content)
        else:
            file, checksum = staging.put(document.path, data)
            result = _Result(why, file=file, checksum=checksum, content=content)
    if os.getpid() == _PARENT:
        return result
    # a worker process: its charts and compiled template parts go back to the build, which keeps them
    drawn, charts.new, used, charts.used = charts.new, {}, charts.used, set()
    return dataclasses.replace(result, drawn=drawn, used=used, compiled=template.compiled.take() if template.compiled else {})


def _why(entry: dict[str, str] | None, folder: Path | None, edited: str, changed: str | None) -> str:
    """Why an output must be made again, given what the manifest records of it (``edited``: the reason when its
    file is not as recorded; ``changed``: when what it is made from changed); or UP_TO_DATE."""
    if entry is None or folder is None:
        return "rebuilt: new"
    if not intact(folder, entry):
        return "rebuilt: missing" if not (folder / entry["path"]).is_file() else edited
    return changed if changed is not None else UP_TO_DATE


def _output(document: Document, data: bytes, content: str | None = None) -> Output:
    about: dict[str, Any] = {document.kind.about: document.kind.subject_id(document.subject)} if document.kind.about else {}
    plan = document.edition.plan
    return Output(
        document.path, document.kind.name, plan.id, document.edition.language, "docx", document.layout, data, document.date,
        content=content, **about,
    )


def convert(
    word: Sequence[Output],
    folder: Path,
    diagnostics: Diagnostics,
    timeout: float,
    progress: Progress | None = None,
    force: bool = False,
    jobs: int = 1,
) -> list[Made]:
    """The PDF of each .docx (in memory): reused from ``folder`` when its .docx is unchanged, else converted by
    ``jobs`` LibreOffice processes at once; failures go to ``diagnostics``."""
    with _Pdfs(folder, timeout, progress, force, jobs, warm=len(word)) as pdfs:
        for document in word:
            pdfs.add(document)
        return pdfs.made(word, diagnostics)


class _Pdfs:
    """The PDF phase of a build, begun before its .docx are made: LibreOffice starts at once (its start takes
    seconds), and each .docx whose PDF must be made again is given to it as soon as the .docx is made (``add``);
    ``made`` then gives every PDF.  A PDF whose .docx is unchanged is left in ``folder``; one converted is put in
    ``staging`` as soon as it is made (else kept in memory).  Leaving the ``with`` block ends LibreOffice."""

    def __init__(
        self, folder: Path, timeout: float, progress: Progress | None, force: bool, jobs: int, staging: Staging | None = None,
        warm: int = 1,
    ) -> None:
        self.folder, self.timeout, self.force, self.jobs, self.staging, self.warm = folder, timeout, force, jobs, staging, warm
        self.previous = {entry["path"]: entry for entry in read_manifest(folder)}
        self.todo: dict[str, str] = {}  # the .docx whose PDF is made again → why
        self.kept: dict[str, Made] = {}  # the .docx whose PDF is up to date → it
        self.staged: dict[str, tuple[Path, str]] = {}
        self.bar = _LateBar(progress, "PDF")
        self.missing: str | None = None  # why LibreOffice cannot be used
        self.converting: Converting | None = None
        self.stack = contextlib.ExitStack()

    def __enter__(self) -> _Pdfs:
        from .ooxml.pdf_copy import for_pdf
        from .pdf import office as pdf

        try:
            office = pdf.Office.find()
        except pdf.OfficeMissing as exc:
            self.missing = str(exc)
            return self
        # LibreOffice reads each .docx less the table styles no table uses: the same PDF, a third less CPU for a fact sheet
        self.converting = self.stack.enter_context(
            pdf.Converting(office, self.timeout, self.bar, self.jobs, self._keep, self.warm, prepare=for_pdf)
        )
        return self

    def __exit__(self, *exc: Any) -> bool | None:
        return self.stack.__exit__(*exc)

    def expect(self, documents: int) -> None:
        """``documents`` .docx will come: as many LibreOffice processes as they would keep busy start now."""
        if self.converting is not None:
            self.converting.expect(documents)

    def stop(self) -> None:
        if self.converting is not None:
            self.converting.stop()

    def add(self, document: Output) -> None:
        from .pdf import office as pdf

        entry = self.previous.get(document.as_pdf().path)
        changed = "rebuilt: its .docx changed" if entry is not None and entry.get("source_sha256") != document.sha256 else None
        # by hand, or damaged: convert again
        why = "rebuilt: --force" if self.force else _why(entry, self.folder, "rebuilt: changed since it was converted", changed)
        if why == UP_TO_DATE:
            assert entry is not None
            self.kept[document.path] = Made(document.as_pdf(file=self.folder / entry["path"], checksum=entry["sha256"]), why)
            return
        self.todo[document.path] = why
        if self.converting is not None:
            self.converting.add(pdf.Job(document.path, document.file or document.data, document.date or datetime.date(1980, 1, 1)))

    def _keep(self, job: Job, data: bytes) -> bytes:  # each PDF staged as soon as it is made
        if self.staging is None:
            return data
        self.staged[job.name] = self.staging.put(job.name.removesuffix(".docx") + ".pdf", data)
        return b""

    def made(self, word: Sequence[Output], diagnostics: Diagnostics) -> list[Made]:
        """Every PDF of ``word`` (the .docx given to ``add``), once the last is converted; failures go to ``diagnostics``."""
        made = dict(self.kept)
        if self.todo and self.converting is None:
            first = next(document for document in word if document.path in self.todo)
            diagnostics.error(Location(display_path(self.folder / first.as_pdf().path)), str(self.missing), "pdf.no-libreoffice")
        elif self.todo and self.converting is not None:
            self.bar.show(len(self.todo))
            results = self.converting.results()
            for document in word:
                if document.path not in self.todo:
                    continue
                result = results[document.path]
                if isinstance(result, bytes):
                    made[document.path] = Made(document.as_pdf(result, *self.staged.get(document.path, (None, None))), self.todo[document.path])
                else:
                    target = self.folder / document.as_pdf().path
                    kept = "; the previous PDF is kept" if target.is_file() else ""
                    diagnostics.error(Location(display_path(self.folder / document.path)), f"no PDF: {result}{kept}", "pdf.failed")
        return [made[document.path] for document in word if document.path in made]


class _LateBar:
    """A progress bar for work that starts before it can be shown (PDFs converted while the .docx are still being
    made, under the Word bar): what is done meanwhile is counted, and shown once ``show`` is called."""

    def __init__(self, progress: Progress | None, label: str) -> None:
        self.progress, self.label = progress, label
        self.lock = threading.Lock()
        self.done = 0
        self.advance: Callable[[object], None] | None = None

    def __call__(self, job: object) -> None:
        with self.lock:
            if self.advance is None:
                self.done += 1
            else:
                self.advance(job)

    def show(self, total: int) -> None:
        if self.progress is None:
            return
        with self.lock:
            self.advance = self.progress(self.label, total)
            for _ in range(self.done):
                self.advance(None)


@dataclasses.dataclass(frozen=True)
class Built:
    made: list[Made]  # every selected output, and why it was made or that it was up to date
    written: list[Output]  # the outputs whose bytes changed on disk
    removed: list[str]  # outputs the sources no longer make, removed from the build folder
    problems: Diagnostics  # documents that could not be converted: the rest is written

    @property
    def outputs(self) -> list[Output]:
        return [made.output for made in self.made]


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
    inputs: str | None = None,
    force: bool = False,
    jobs: int = 1,
    drawer: Drawer | None = None,
) -> Built:
    """Every phase for the selected documents; nothing is written when a source or template has an error.

    ``inputs`` is the digest of every input (``freshness``, computed here when not given), recorded with each
    output.  A document whose content is as recorded is not rendered again, nor its PDF converted, unless
    ``force``; ``jobs`` processes render and convert at once (``drawer``: one drawing charts, started before).
    Outputs the sources no longer make are removed.

    Builds into one folder at a time: while another build writes to ``out``, this one waits (saying so through
    ``waiting``, on stderr unless told otherwise) up to ``lock_timeout`` seconds.
    """
    if inputs is None:
        inputs = freshness.inputs_digest([source, templates], extra=os.getcwd(), layout=selection.layout)
    heard: dict[str, list[Diagnostic]] = {"": []}  # the warnings of the sources (""), then of each edition

    def hear(diagnostic: Diagnostic) -> None:
        heard[""].append(diagnostic)
        warn(diagnostic)

    with contextlib.ExitStack() as stack:
        # a PDF build starts LibreOffice at once: it starts while the sources are read and the .docx made
        pdfs = stack.enter_context(_Pdfs(out, pdf_timeout, progress, force, jobs)) if "pdf" in selection.formats else None
        sources = load(source, strict, hear)
        check_selection(sources, selection)
        check_layouts(sources, templates, selection.layout)
        check_file_names(sources)
        charts = Charts(out / CHARTS)
        editions = localize(sources, selection, strict, warn, charts, heard)
        before = _passed(out)
        passed = set(before)
        compiled = _compiled(out)
        staging = stack.enter_context(_staging(out))
        if pdfs is not None:
            stack.callback(pdfs.stop)  # however the build ends, no PDF comes after its staging folder is gone
            pdfs.staging = staging
            pdfs.expect(sum(len(kinds.documents(edition, selection.only)) for edition in editions))
        word = make(
            editions, templates, selection.only, out, force, jobs, progress, passed, staging, pdfs.add if pdfs else lambda o: None, drawer,
            compiled,
        )
        problems = Diagnostics()
        made = word if "docx" in selection.formats else []
        if pdfs is not None:
            made += pdfs.made([m.output for m in word], problems)
        stamped = [dataclasses.replace(m.output, inputs=inputs) for m in made] if inputs else [m.output for m in made]
        record = _record(sources, out, inputs, heard, selection.layout) if inputs else None
        written = _write(stamped, out, lock_timeout, waiting, record)
    # from now on each output's bytes are in its place in the build folder
    stamped = [_in_place(o, out) for o in stamped]
    # for the next build: the charts drawn by this one, which has written its documents (after a build of every
    # document, only the charts they show)
    charts.keep(only_used=not (selection.plans or selection.only or selection.languages))
    _keep_passed(out, before, passed)
    _keep_compiled(compiled)
    changed = [_in_place(o, out) for o in written.changed]
    return Built([dataclasses.replace(m, output=o) for m, o in zip(made, stamped)], changed, written.removed, problems)


def _in_place(output: Output, out: Path) -> Output:
    return output if output.file is None else dataclasses.replace(output, file=out / output.path)


@contextlib.contextmanager
def _staging(out: Path) -> Iterator[Staging]:
    """The build's staging folder in ``out``, as long as the build runs; an unwritable ``out`` is a located error."""
    stack = contextlib.ExitStack()
    try:
        staging = stack.enter_context(Staging(out).held())
    except OSError as exc:
        raise fail(Location(display_path(out)), f"cannot write {display_path(exc.filename or out)}: {exc.strerror}", "build.unwritable") from None
    with stack:
        yield staging


def _passed(out: Path) -> set[str]:
    """The template checks that found nothing in earlier builds into ``out`` (none when it cannot be read)."""
    try:
        return set((out / CHECKED).read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _keep_passed(out: Path, before: set[str], passed: set[str]) -> None:
    if passed == before:
        return
    if len(passed) > _MOST_PASSED:  # many templates changed since: keep those of this build
        passed = passed - before
    write_atomically(out / CHECKED, "".join(f"{key}\n" for key in sorted(passed)).encode("ascii"))


def _record(sources: Sources, out: Path, inputs: str, heard: dict[str, list[Diagnostic]], layout: str | None = None) -> Record:
    """What the manifest records of the sources: every document they make (in each plan's layout, and in
    ``layout`` too for a build told one: a preview is kept until a build without it), and the warnings of each
    edition (those this build did not localize kept from a build of the same sources)."""
    documents = []
    for plan in sources.plans:
        for language in (plan.language, *(language for language, _ in plan.translations)):
            for chosen in dict.fromkeys((plan.layout, layout or plan.layout)):
                for document in kinds.documents(Edition(plan, language, sources.organisations, layout=chosen)):
                    documents.append({k: v for k, v in _output(document, b"").entry().items() if k not in ("format", "sha256")})
    previous = read_record(out)
    warnings = dict(previous.warnings) if previous is not None and previous.inputs == inputs else {}
    warnings.update({key: [d.as_json() for d in found] for key, found in heard.items()})
    return Record(inputs, documents, warnings)


def _write(outputs: list[Output], out: Path, lock_timeout: float, waiting: Callable[[str], None], record: Record | None) -> Written:
    where = Location(display_path(out))

    def wait() -> None:
        waiting(f"{where}: waiting for another build to finish writing to this folder (at most {lock_timeout:g} s)")

    try:
        return write(outputs, out, lock_timeout, wait, record)
    except TimeoutError:
        raise fail(where, f"another build has been writing to this folder for more than {lock_timeout:g} s: let it finish (or end it), then build again", "build.busy") from None
    except OSError as exc:
        raise fail(where, f"cannot write {display_path(exc.filename or out)}: {exc.strerror}", "build.unwritable") from None


def validate(source: Path, strict: bool = False, warn: Warn = lambda d: None, templates: Path | None = None) -> tuple[Sources, int]:
    """The checks of a build without rendering: the sources, every translation and, given the ``templates``
    folder, the plans' layouts; the number of warnings."""
    warnings: list[Diagnostic] = []

    def count(diagnostic: Diagnostic) -> None:
        warnings.append(diagnostic)
        warn(diagnostic)

    sources = load(source, strict, count)
    if templates is not None:
        check_layouts(sources, templates)
    check_file_names(sources)
    localize(sources, strict=strict, warn=count)
    return sources, len(warnings)


def render_all(sources: Sources, templates: Path, selection: Selection = Selection()) -> list[Output]:
    """The Word documents of the selected plans in memory (translation warnings not repeated): for tools and benchmarks."""
    return render(localize(sources, selection), templates, selection.only)
