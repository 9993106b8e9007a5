"""The ``pao`` command."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostics, SourceError

SOURCE = click.option("--source", "source", type=click.Path(path_type=Path), default=Path("source"), show_default=True, help="Folder of the plans.")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print only problems.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pao")
def main() -> None:
    """Generate the official documents of CLASI / EL PAcCTO operational action plans."""


def _load(source: Path, strict: bool, quiet: bool):
    from .validate import load_sources

    diagnostics = Diagnostics()
    sources = load_sources(source, diagnostics)
    if diagnostics.failed(strict):
        raise SourceError(diagnostics)
    for warning in diagnostics.sorted():
        click.echo(str(warning), err=True)
    return sources, diagnostics


@main.command()
@SOURCE
@STRICT
@QUIET
def validate(source: Path, strict: bool, quiet: bool) -> None:
    """Check every plan and print every problem at once (file:line:col)."""
    sources, diagnostics = _load(source, strict, quiet)
    if not quiet:
        actions = sum(len(plan.actions) for plan in sources.plans)
        warnings = len(diagnostics.warnings)
        click.echo(
            f"{len(sources.plans)} plan(s), {actions} operational action(s): no errors"
            + (f", {warnings} warning(s)" if warnings else "")
        )


@main.command()
@SOURCE
@click.option("--templates", type=click.Path(path_type=Path), default=Path("templates"), show_default=True, help="Folder of the Word templates.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("build"), show_default=True, help="Folder the documents go to.")
@click.option("--plan", "plans", multiple=True, metavar="ID", help="Build only this plan (repeatable).")
@click.option(
    "--only", "only", multiple=True, metavar="WHAT",
    help="Build only these documents (repeatable): a kind (pao, sheet, annex), an operational action's id "
    "for its fact sheet (AO-2.1), or a period for its progress annex (2023-S1).",
)
@click.option(
    "--format", "formats", multiple=True, type=click.Choice(["docx", "pdf"]),
    help="Build only these formats (repeatable; default: docx and pdf). PDF needs LibreOffice.",
)
@click.option("--pdf-timeout", type=float, default=180.0, show_default=True, help="Seconds LibreOffice may take for one document.")
@STRICT
@QUIET
def build(
    source: Path, templates: Path, out: Path, plans: tuple[str, ...], only: tuple[str, ...], formats: tuple[str, ...],
    pdf_timeout: float, strict: bool, quiet: bool,
) -> None:
    """Build every document of every plan into the build folder (.docx and PDF):
    the PAO and one fact sheet per operational action."""
    from .build import KINDS, add_pdfs, render_all, write

    formats = formats or ("docx", "pdf")
    sources, _ = _load(source, strict, quiet)
    unknown = [plan for plan in plans if plan not in {p.id for p in sources.plans}]
    if unknown:
        raise click.UsageError(f"no plan named {', '.join(unknown)} in {source} (plans: {', '.join(p.id for p in sources.plans)})")
    selected = [p for p in sources.plans if not plans or p.id in plans]
    actions = {a.id for p in selected for a in p.actions}
    periods = {str(r.period) for p in selected for r in p.reports}
    unknown = [item for item in only if item not in KINDS and item not in actions and item not in periods]
    if unknown:
        raise click.UsageError(
            f"--only {', '.join(unknown)}: not a kind of document ({', '.join(KINDS)}), an operational action "
            f"({', '.join(sorted(actions))}) nor a reported period ({', '.join(sorted(periods)) or 'none'})"
        )
    word = render_all(sources, templates, plans, only)
    problems = Diagnostics()
    outputs = list(word) if "docx" in formats else []
    if "pdf" in formats:
        outputs += add_pdfs(word, out, problems, pdf_timeout, None if quiet else _progress)
    written = write(outputs, out)
    if not quiet:
        for output in outputs:
            click.echo(f"{out / output.path}  ({'written' if output in written else 'unchanged'})")
    if problems.items:
        raise SourceError(problems)


def _progress(total: int):
    """A progress bar on a terminal; nothing when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        return lambda job: None
    bar = click.progressbar(length=total, label="PDF", file=sys.stderr, show_pos=True)
    bar.render_progress()

    def advance(job) -> None:
        bar.update(1)
        if bar.pos >= total:
            bar.render_finish()

    return advance


@main.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def text(document: Path) -> None:
    """Print a canonical plain-text rendering of a .docx (for git diff)."""
    import zipfile

    from .text import docx_text

    try:
        click.echo(docx_text(document.read_bytes()), nl=False)
    except (zipfile.BadZipFile, KeyError):
        raise click.ClickException(f"{document}: not a Word document (.docx)") from None


@main.command()
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("docs/schema"), show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 if the files are not up to date (for CI).")
def schema(out: Path, check: bool) -> None:
    """Write the JSON Schemas of the source format (for editors' completion)."""
    from .schema import schemas

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
