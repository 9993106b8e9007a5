"""The ``pao`` command: options in, located messages and exit codes out.

The work is done by ``pipeline`` (build, validate), ``translation``,
``review`` and ``ooxml``; this module only reads the command line, prints
what they report, and turns ``SourceError`` into exit code 1 (a usage
mistake into 2), never a traceback.  Each command imports what it needs when
it runs, so that ``pao --help`` starts fast.
"""
from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .diagnostics import Diagnostic, SelectionError, SourceError, count

if TYPE_CHECKING:
    from .model.plan import Plan
    from .project import Project

SOURCE = click.option("--source", "source", type=click.Path(path_type=Path), help="Folder of the plans (default: the project's, see pao.toml).")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print only problems.")


@dataclasses.dataclass
class _Console:
    """The warnings of a run, kept to be shown after its errors, with the run's count."""

    warnings: list[Diagnostic] = dataclasses.field(default_factory=list)


class _Problems(click.ClickException):
    """Located problems, one per line: errors first, then warnings, then the count ("2 errors, 58 warnings").
    Each line already says ERROR or WARNING, so no "Error:" prefix."""

    exit_code = 1

    def __init__(self, error: SourceError, earlier: list[Diagnostic]) -> None:
        errors = [d for d in error.diagnostics if d.severity == "ERROR"]
        warnings = earlier + [d for d in error.diagnostics if d.severity == "WARNING"]
        super().__init__("\n".join([*map(str, errors + warnings), count(len(errors), len(warnings))]))

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True, file=file)


class _Pao(click.Group):
    """Turns the core's exceptions into click's: exit 1 for problems in the user's files, 2 for a bad choice;
    a run's warnings come at its end (after any error), with their count."""

    def invoke(self, ctx: click.Context) -> Any:
        console = ctx.ensure_object(_Console)
        try:
            result = super().invoke(ctx)
        except SourceError as error:
            raise _Problems(error, console.warnings) from None
        except SelectionError as error:
            raise click.UsageError(str(error)) from None
        if console.warnings:
            click.echo("\n".join([*map(str, console.warnings), count(0, len(console.warnings))]), err=True)
        return result


@click.group(cls=_Pao, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pao")
def main() -> None:
    """Generate the official documents of CLASI / EL PAcCTO operational action plans."""


def _warn(diagnostic: Diagnostic) -> None:
    click.get_current_context().ensure_object(_Console).warnings.append(diagnostic)


def _project(required: bool = True) -> Project | None:
    """The project the command runs in, found from the working folder upwards (as git finds .git);
    None outside a project when ``required`` is false (every folder was given on the command line)."""
    from .project import NOT_FOUND, find_project

    try:
        return find_project(Path.cwd())
    except SourceError as error:
        if required or error.diagnostics[0].code != NOT_FOUND:
            raise
        return None


def _source(source: Path | None) -> Path:
    if source is not None:
        return source
    project = _project()
    assert project is not None
    return project.source


@main.command()
@SOURCE
@STRICT
@QUIET
def validate(source: Path, strict: bool, quiet: bool) -> None:
    """Check every plan, its progress reports, its translation catalogs and its layout; print every problem at once (file:line:col)."""
    from . import pipeline

    project = _project(required=source is None)
    sources, warnings = pipeline.validate(_source(source), strict, _warn, project.templates if project is not None else None)
    if not quiet:
        actions = sum(len(plan.actions) for plan in sources.plans)
        click.echo(
            f"{len(sources.plans)} plan(s), {actions} operational action(s): no errors"
            + (f", {warnings} warning(s)" if warnings else "")
        )


@main.command()
@SOURCE
@click.option("--templates", type=click.Path(path_type=Path), help="Folder of the layouts, one folder of Word templates each (default: the project's).")
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder the documents go to (default: the project's build/).")
@click.option(
    "--layout", metavar="LAYOUT",
    help="Make every plan's documents in this layout (a folder of the templates: clasi, el-paccto) instead of the one its "
    "plan.yaml chooses (a layout other than clasi into build/<plan>/<layout>/): a preview, kept until a build without --layout.",
)
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Build only this plan (repeatable).")
@click.option(
    "--only", "only", multiple=True, metavar="WHAT",
    help="Build only these documents (repeatable): a kind (pao, sheet, annex), an operational action's id "
    "for its fact sheet (AO-2.1), or a period for its progress annex (2023-S1).",
)
@click.option(
    "--format", "formats", multiple=True, type=click.Choice(["docx", "pdf"]),
    help="Build only these formats (repeatable; default: docx and pdf, or pao.toml's). PDF needs LibreOffice.",
)
@click.option("--lang", "languages", multiple=True, metavar="LANGUAGE", help="Build only this language (repeatable; default: every language of each plan, or pao.toml's).")
@click.option("--pdf-timeout", type=click.IntRange(1, 86_400), default=180, show_default=True, help="Seconds LibreOffice may take for one document (whole seconds, at most a day).")
@click.option("--force", is_flag=True, help="Make every selected document again, even those that are up to date.")
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 256), default=None, metavar="N",
    help="Documents made at once: processes rendering, LibreOffice converting (default: the number of CPUs).",
)
@STRICT
@QUIET
def build(
    source: Path | None, templates: Path | None, out: Path | None, layout: str | None, plans: tuple[str, ...], only: tuple[str, ...],
    formats: tuple[str, ...], languages: tuple[str, ...], pdf_timeout: float, force: bool, jobs: int | None,
    strict: bool, quiet: bool,
) -> None:
    """Build every document of every plan, in every language, into the build folder (.docx and PDF):
    the PAO, one fact sheet per operational action, one progress annex per reported period.

    Only what changed is made again: a document whose sources, template and pao are as when it was made,
    and whose file is as pao wrote it, is left as it is (up to date)."""
    import os

    from .project import CONFIG

    project = _project(required=None in (source, templates, out))
    if project is not None:  # what the command line does not say, the project does
        source, templates, out = source or project.source, templates or project.templates, out or project.build
        languages, formats = languages or project.languages, formats or project.formats
    assert source is not None and templates is not None and out is not None
    jobs = jobs or _cpus()
    with _terminated_like_interrupted(), contextlib.ExitStack() as stack:
        from .output import MANIFEST, tidy

        drawer = None
        if not (out / MANIFEST).is_file():
            # a first build into its folder draws every chart: the process that draws them starts before anything
            # else, and imports matplotlib while the sources are read (as LibreOffice starts)
            from .processes import Drawer

            drawer = Drawer.early(jobs, annexes=not only or "annex" in only)
            if drawer is not None:
                stack.enter_context(drawer)
        from . import freshness
        from .diagnostics import display_path
        from .selection import FORMATS, Selection

        selection = Selection(plans, only, languages, formats or FORMATS, layout)
        settings = [project.root / CONFIG] if project is not None else []
        inputs = freshness.inputs_digest([source, templates], settings, os.getcwd(), layout)
        fresh = None if force else freshness.up_to_date(out, inputs, selection, strict)
        if fresh is not None:  # nothing to do: said before the sources are read or docxtpl is imported
            tidy(out, [entry["path"] for entry in fresh.entries])
            for warning in fresh.warnings:
                _warn(warning)
            if not quiet:
                for entry in fresh.entries:
                    click.echo(f"{display_path(out / entry['path'])}  up to date")
                click.echo(_summary(len(fresh.entries), 0, 0))
            return
        from . import pipeline

        built = pipeline.build(
            source, templates, out, selection, strict, pdf_timeout, _warn, None if quiet else _progress,
            inputs=inputs, force=force, jobs=jobs, drawer=drawer,
        )
    if not quiet:
        for made in built.made:
            click.echo(f"{display_path(out / made.output.path)}  {made.why}")
        for path in built.removed:
            click.echo(f"{display_path(out / path)}  removed: the sources no longer make it")
        rebuilt = sum(made.why != pipeline.UP_TO_DATE for made in built.made)
        click.echo(_summary(len(built.made) - rebuilt, rebuilt, len(built.removed)))
    if built.problems.items:
        raise SourceError(built.problems)


class _Terminated(BaseException):
    """SIGTERM during a build."""


@contextlib.contextmanager
def _terminated_like_interrupted() -> Iterator[None]:
    """SIGTERM (``kill``, a service manager, a CI timeout) unwinds a build as Ctrl-C does, so that it removes its
    staging folder and ends LibreOffice, then ends pao as terminated (exit status -SIGTERM) as it would have."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    signal.signal(signal.SIGTERM, stop)
    terminated = False
    try:
        yield
    except _Terminated:
        terminated = True
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if terminated:
        signal.raise_signal(signal.SIGTERM)


def _cpus() -> int:
    """The CPUs this process may use (a container or ``taskset`` may allow fewer than the machine has)."""
    import os

    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        return os.cpu_count() or 1


def _summary(up_to_date: int, rebuilt: int, removed: int) -> str:
    parts = [f"{up_to_date:,} up to date", f"{rebuilt:,} rebuilt"] + ([f"{removed:,} removed"] if removed else [])
    return ", ".join(parts)


def _progress(label: str, total: int) -> Callable[[object], None]:
    """A progress bar on a terminal; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return lambda job: None
    bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
    bar.render_progress()

    def advance(job: object) -> None:
        bar.update(1)
        if bar.pos >= total:
            bar.render_finish()

    return advance


@main.group()
def templates() -> None:
    """The Word templates of the documents (templates/<layout>/): check them before a build."""


@templates.command("check")
@click.argument("layout", required=False)
@click.option("--templates", "folder", type=click.Path(path_type=Path), help="Folder of the layouts (default: the project's templates).")
@SOURCE
@QUIET
def templates_check(layout: str | None, folder: Path | None, source: Path | None, quiet: bool) -> None:
    """Check each template of LAYOUT (default: of every layout, each a folder of the templates) against what its
    kind of document receives from the plans of the sources: tags, names, filters, loops, styles; exit 1 on an
    error (file:paragraph)."""
    from . import pipeline

    project = _project(required=None in (folder, source))
    if project is not None:
        folder, source = folder or project.templates, source or project.source
    assert folder is not None and source is not None
    checked = pipeline.check_project_templates(source, folder, layout, _warn)
    if not quiet:
        layouts = sorted({name.split("/")[0] for name in checked})
        click.echo(f"{len(checked)} template(s) checked ({', '.join(layouts)}): no errors")


@templates.command("reference")
@SOURCE
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("docs/templates.md"), show_default=True, help="The page whose reference part is written.")
@click.option("--check", is_flag=True, help="Exit 1 if the reference is not up to date (for CI).")
def templates_reference(source: Path | None, out: Path, check: bool) -> None:
    """Write the reference part of docs/templates.md: every variable each kind of document gives its template, with its
    type and an example from the plans of the sources (each in its own language)."""
    from . import pipeline
    from .documents.edition import Edition
    from .documents.reference import reference, updated
    from .files import write_atomically

    sources = pipeline.load(_source(source), warn=_warn)
    generated = reference([Edition(plan, plan.language, sources.organisations) for plan in sources.plans])
    page = out.read_text(encoding="utf-8") if out.is_file() else ""
    if updated(page, generated) == page:
        return
    if check:
        raise click.ClickException(f"out of date: {out}; run 'pao templates reference'")
    write_atomically(out, updated(page, generated).encode("utf-8"))
    click.echo(f"{out}  (written)")


@main.group()
def translations() -> None:
    """Translation catalogs: one PO file per plan and language (source/<plan>/locale/<language>.po)."""


def _languages_of(plan: Plan, languages: tuple[str, ...]) -> list[str]:
    return [language for language, _ in plan.translations if not languages or language in languages]


@translations.command("update")
@SOURCE
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Only this plan (repeatable).")
@click.option("--lang", "languages", multiple=True, metavar="LANGUAGE", help="Only this language (repeatable).")
@click.option("--layout", is_flag=True, help="Update pao's own catalogs of layout labels (generator/translation/locale/), for pao's maintainers.")
@QUIET
def translations_update(source: Path, plans: tuple[str, ...], languages: tuple[str, ...], layout: bool, quiet: bool) -> None:
    """Add new messages to the catalogs; keep changed ones fuzzy with their previous original; never lose a translation."""
    from .diagnostics import Diagnostics, display_path
    from .pipeline import load
    from .translation.catalogs import catalog_path, update

    diagnostics = Diagnostics()
    if layout:
        from .translation.labels import update_layout_catalogs

        updated = update_layout_catalogs(diagnostics)
        if diagnostics.errors:
            raise SourceError(diagnostics)
        for path in updated:
            click.echo(f"{display_path(path)}  (updated)")
        return
    sources = load(_source(source), warn=_warn)
    for plan in sources.plans:
        if plans and plan.id not in plans:
            continue
        for language in _languages_of(plan, languages):
            changed = update(plan, language, diagnostics)
            if not quiet:
                click.echo(f"{display_path(catalog_path(plan, language))}  ({'updated' if changed else 'unchanged'})")
    if diagnostics.errors:
        raise SourceError(diagnostics)


@translations.command("status")
@SOURCE
@click.option("--check", is_flag=True, help="Exit 1 when a language listed as published is not complete (for CI).")
def translations_status(source: Path, check: bool) -> None:
    """Translated, fuzzy and untranslated messages (and words) per plan and language."""
    from .diagnostics import Diagnostics
    from .pipeline import load
    from .translation.catalogs import counts

    sources = load(_source(source), warn=_warn)
    diagnostics = Diagnostics()
    incomplete = []
    click.echo(f"{'plan':<20} {'language':<9} {'state':<10} {'translated':>12} {'fuzzy':>12} {'untranslated':>14}")
    for plan in sources.plans:
        for language, state in plan.translations:
            c = counts(plan, language, diagnostics)
            click.echo(
                f"{plan.id:<20} {language:<9} {state:<10} {c.translated:>5} ({c.translated_words:>5} w) "
                f"{c.fuzzy:>4} ({c.fuzzy_words:>4} w) {c.untranslated:>5} ({c.untranslated_words:>5} w)"
            )
            if state == "published" and not c.complete:
                incomplete.append(f"{plan.id}/{language}")
    if diagnostics.errors:
        raise SourceError(diagnostics)
    if check and incomplete:
        raise click.ClickException(f"published but not complete: {', '.join(incomplete)}: run 'pao translations update' and translate the new or fuzzy messages")


@main.group()
def progress() -> None:
    """Progress forms: spreadsheets out to the countries, their reports in (source/<plan>/progress/<period>.yaml)."""


@progress.command("form")
@click.argument("period")
@SOURCE
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder the forms go to, under forms/ (default: the project's build/).")
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Only this plan (repeatable).")
@click.option("--lang", "languages", multiple=True, metavar="LANGUAGE", help="Only this language (repeatable; default: every language of each plan; es, en, pt, fr).")
@click.option("--action", "actions", multiple=True, metavar="AO", help="One workbook for this operational action alone (repeatable), to send to its lead country.")
@QUIET
def progress_form(period: str, source: Path | None, out: Path | None, plans: tuple[str, ...], languages: tuple[str, ...], actions: tuple[str, ...], quiet: bool) -> None:
    """Write the spreadsheet forms of a semester.

    PERIOD is the semester (2023-S1) the countries report in the forms (.xlsx), written with what is already
    reported filled in into build/forms/<plan>/<period>/."""
    from .diagnostics import display_path
    from .files import write_atomically
    from .forms.form import make_forms
    from .model.period import Period
    from .pipeline import load

    project = _project(required=None in (source, out))
    try:
        semester = Period.parse(period)
    except ValueError as exc:
        raise SelectionError(str(exc)) from None
    source = source or (project.source if project else None)
    out = out or (project.build if project else None)
    assert source is not None and out is not None
    forms = make_forms(load(source, warn=_warn), semester, plans, languages, actions, _warn)
    for name, data in forms.items():
        target = out / name
        unchanged = target.is_file() and target.read_bytes() == data
        if not unchanged:
            try:
                write_atomically(target, data)
            except OSError as exc:
                raise click.ClickException(f"cannot write {display_path(exc.filename or target)}: {exc.strerror}") from None
        if not quiet:
            click.echo(f"{display_path(target)}  ({'unchanged' if unchanged else 'written'})")


@progress.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@SOURCE
@click.option("--dry-run", is_flag=True, help="Print the change to the report as a diff; write nothing.")
@click.option("--overwrite", is_flag=True, help="Let the forms replace values the report already has (otherwise a difference is refused).")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="The date of a new report (default: today).")
@QUIET
def progress_import(files: tuple[Path, ...], source: Path | None, dry_run: bool, overwrite: bool, date: Any, quiet: bool) -> None:
    """Read filled forms into their period's report.

    FILES are the forms (.xlsx) of one report: one or several, e.g. one per action, which merge. Every problem
    is shown at its cell (FILE.xlsx:Sheet!E7), and then nothing is written."""
    import datetime

    from .diagnostics import display_path
    from .forms.report import import_forms, write
    from .pipeline import load

    sources = load(_source(source), warn=_warn)
    day = date.date() if date else datetime.date.today()
    imported = import_forms(sources, list(files), day, overwrite, _warn)
    if imported is None:
        if not quiet:
            click.echo("the forms say nothing the report does not already say: nothing to write")
        return
    if dry_run:
        click.echo(imported.diff(), nl=False)
        return
    try:
        write(imported)
    except OSError as exc:
        raise click.ClickException(f"cannot write {display_path(exc.filename or imported.path)}: {exc.strerror}") from None
    if not quiet:
        click.echo(imported.diff(), nl=False)
        click.echo(f"{display_path(imported.path)}  ({'updated' if imported.before is not None else 'written'})")


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--out", "out", type=click.Path(path_type=Path), help="Folder for the report and the redlines (default: diff/ in the build folder).")
@click.option("--lang", "language", metavar="LANGUAGE", help="Language of the redlines (default: each plan's own).")
@click.option("--sheets", is_flag=True, help="Also make redlines of the fact sheets.")
@click.option("--annexes", is_flag=True, help="Also make redlines of the progress annexes (of the periods both versions report).")
@click.option("--html", "html", is_flag=True, help="Also write the report as a page for a browser (changes-<plan>.html), words inserted and deleted highlighted.")
@QUIET
def diff(old: str, new: str | None, out: Path | None, language: str | None, sheets: bool, annexes: bool, html: bool, quiet: bool) -> None:
    """Compare two versions of the plans: OLD and NEW are git revisions (tag, commit, HEAD) or source folders;
    NEW defaults to the working tree. Writes a change report (Markdown and JSON) and the PAO with tracked changes."""
    import tempfile

    from .diagnostics import display_path
    from .files import write_atomically
    from .review import review
    from .review.versions import Version

    project = _project()
    assert project is not None
    out = out or project.build / "diff"
    with tempfile.TemporaryDirectory(prefix="pao-diff-") as folder:
        before, after = Version(old, Path(folder), project), Version(new, Path(folder), project)
        reports, written, compared = review(before, after, out, language, sheets, annexes)
    if html:
        from .html.changes import changes_page

        for reviewed in compared.plans:
            folder_of_plan = out / reviewed.plan.id
            redlines = {reviewed.plan.id: [(p.name, p.name) for p in written if p.parent == folder_of_plan and p.suffix == ".docx"]}
            target = folder_of_plan / f"changes-{reviewed.plan.id}.html"
            write_atomically(target, changes_page([reviewed], [], redlines).encode())
            written.append(target)
    if not quiet:
        for report in reports:
            click.echo(report)
        for path in written:
            click.echo(f"{display_path(path)}  (written)", err=True)


@main.command()
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Show only this plan (repeatable).")
@click.option("--lang", "languages", multiple=True, metavar="LANGUAGE", help="Show only this language (repeatable; default: every language of each plan, or pao.toml's).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1 (0: any free one).")
@click.option("--pdf-timeout", type=click.IntRange(1, 86_400), default=180, show_default=True, help="Seconds LibreOffice may take for a PDF download.")
def serve(plans: tuple[str, ...], languages: tuple[str, ...], port: int, pdf_timeout: int) -> None:
    """Show every plan and document as web pages on this computer (127.0.0.1), updated when a source is saved;
    located problems instead while the sources have errors; /diff shows the changes since the last commit."""
    from . import pipeline
    from .server import Broken, Preview, listening_socket, server

    project = _project()
    assert project is not None
    languages = languages or project.languages  # what the command line does not say, pao.toml does
    preview = Preview(project, pipeline.Selection(plans=plans, languages=languages), pdf_timeout)
    if preview.refused is not None:
        raise preview.refused
    sock = listening_socket(port)

    def told(state: object) -> None:
        if isinstance(state, Broken):
            click.echo("\n".join(state.lines), err=True)
        else:
            click.echo("sources reloaded: no errors", err=True)

    click.echo(f"pao: serving the plans at http://127.0.0.1:{sock.getsockname()[1]}/ (Ctrl-C to stop)", err=True)
    if isinstance(preview.state, Broken):
        told(preview.state)
    server(preview, told).run(sockets=[sock])


@main.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def text(document: Path) -> None:
    """Print a canonical plain-text rendering of a .docx (for git diff)."""
    from .diagnostics import display_path
    from .ooxml.reader import docx_text

    click.echo(docx_text(document.read_bytes(), display_path(document)), nl=False)


@main.command()
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("docs/schema"), show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 if the files are not up to date (for CI).")
def schema(out: Path, check: bool) -> None:
    """Write the JSON Schemas of the source format (for editors' completion)."""
    from .sources.schema import schemas

    stale = []
    for name, content in schemas().items():
        target = out / name
        if target.is_file() and target.read_text(encoding="utf-8") == content:
            continue
        stale.append(target)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            click.echo(f"{target}  (written)")
    if check and stale:
        raise click.ClickException(f"out of date: {', '.join(map(str, stale))}; run 'pao schema'")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
