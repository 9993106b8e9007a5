"""``make bench``: how long a person waits for pao, as ratios to references measured in the same run.

Each figure is the median wall-clock time of several whole processes, from the
shell prompt back to the shell prompt (``subprocess.run`` timed with
``time.perf_counter``): interpreter start, imports, the work, the files
written.  That is what a person waits for; an in-process timing leaves out the
start-up, which for a command-line tool is often most of the wait.

Seconds alone mean little from one machine to the next, so each figure is also
printed as a ratio to references run in the same benchmark, on the same machine:

* ``python -c 'import docxtpl'``: the least any Python tool that fills Word
  templates costs;
* the bundled pandoc turning the seed's text (the 2022 PAO, about 27 KB of
  Markdown) into a .docx: comparable work by a compiled program;
* one cold LibreOffice conversion of that .docx to PDF with a fresh profile:
  the least a PDF costs, for the build that makes PDFs.

Each pao figure runs in its own fresh copy of the project's ``source/`` and
``templates/`` in a temporary folder; a build "from empty" removes the build
folder before each run (untimed).  Python caches its bytecode as on a person's
machine (``PYTHONDONTWRITEBYTECODE`` is dropped), in a temporary
``PYTHONPYCACHEPREFIX`` filled by one untimed build first.  Nothing here
passes or fails, and nothing is left behind.  Options: ``--runs N`` (default
5), ``--quick`` (one run each).
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pypandoc

from generator.ooxml.pdf_copy import for_pdf
from generator.pdf import office as pdf
from tests.conftest import ROOT, Project
from tests.seed import SEED
from tests.synthetic import synthetic_project

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # PYTHONPYCACHEPREFIX is set in main()
PAO = [sys.executable, "-m", "generator.cli"]
PDF_RUNS = 3  # a build with PDFs takes seconds: fewer runs
IN_PROCESS_PDF_DOCUMENTS = 5
WORKER_CPU_DOCUMENTS = 20
REFERENCES = ("import", "pandoc", "office")  # the columns of ratios
AGAINST_PYTHON = ("import", "pandoc")


@dataclasses.dataclass
class Row:
    label: str
    seconds: float | str  # the median, or why the command failed
    runs: int
    against: tuple[str, ...] = ()  # the references it is compared with
    reference: str = ""  # for a reference: its column


def timed(command: list[str], runs: int, cwd: Path | None = None, before: Callable[[], object] = lambda: None) -> float | str:
    """Median wall-clock seconds of ``runs`` runs of ``command`` as a new process; ``before`` (untimed) resets the state."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode:
            return f"exit {result.returncode}: {((result.stderr or result.stdout).strip().splitlines() or [''])[-1]}"
    return statistics.median(times)


def emptied(*folders: Path) -> Callable[[], None]:
    def empty() -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    return empty


@contextlib.contextmanager
def scratch_folder():
    with tempfile.TemporaryDirectory(prefix="pao-bench-", ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def pao(
    label: str,
    arguments: list[str],
    runs: int,
    against=AGAINST_PYTHON,
    from_empty: bool = True,
    again: bool = False,
    edit: Callable[[Project, int], None] | None = None,
    actions: int = 0,
    per_document: bool = False,
) -> list[Row]:
    """``pao ARGUMENTS`` in a fresh copy of the project; ``{n}`` in the label becomes the number of documents built.

    ``from_empty``: the build folder is removed before each run; ``again``: one untimed run first, then reruns;
    ``edit``: called (untimed) before each rerun with the run's number; ``actions``: a synthetic plan of that many
    operational actions instead of the shipped one; ``per_document``: also the time per document.
    """
    with scratch_folder() as folder:
        project = synthetic_project(folder, actions) if actions else Project(folder)
        build = project.path("build")
        if again or edit:
            timed(PAO + arguments, 1, folder)
        count = iter(range(runs))
        before = emptied(build) if from_empty else (lambda: edit(project, next(count))) if edit else lambda: None
        seconds = timed(PAO + arguments, runs, folder, before)
        documents = len(list(build.rglob("*.docx")))
        rows = [Row(label.format(n=documents), seconds, runs, against)]
        if per_document and isinstance(seconds, float) and documents:
            rows.append(Row(f"  the same, per document ({documents})", seconds / documents, runs, against))
        return rows


def edit_kpi(project: Project, run: int) -> None:
    """One KPI of one action reworded, differently at each run."""
    plan = project.path("source/cocaina-2022/plan.yaml")
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - id: AO-3.1\n")
    kpi = re.compile(r"Número de operaciones (?:\(\d+\) )?realizadas con éxito\.")
    plan.write_text(text[:start] + kpi.sub(f"Número de operaciones ({run}) realizadas con éxito.", text[start:], count=1), encoding="utf-8")


def swap_activities(project: Project) -> None:
    """AO-3.1's second and third activities swapped: a move, and a renumbering, for pao diff."""
    plan = project.path("source/cocaina-2022/plan.yaml")
    text = plan.read_text(encoding="utf-8")
    start = text.index("  - id: AO-3.1\n")
    a = text.index("      - id: cyber-patrolling-osint", start)
    b = text.index("      - id: darkweb-investigation", a)
    c = text.index("      - id: cyber-patrolling-week", b)
    plan.write_text(text[:a] + text[b:c] + text[a:b] + text[c:], encoding="utf-8")


def diff(actions: int, runs: int) -> list[Row]:
    """``pao diff`` of two versions of a synthetic plan (the report and the PAO's redline): one KPI reworded and
    two activities swapped."""
    with scratch_folder() as folder:
        project = synthetic_project(folder, actions)
        shutil.copytree(project.path("source"), folder / "old")
        edit_kpi(project, 1)
        swap_activities(project)
        seconds = timed(PAO + ["diff", "old", "-q"], runs, folder)
        return [Row(f"synthetic plan of {actions} actions: pao diff (an edit, a move)", seconds, runs, AGAINST_PYTHON)]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs per figure (default 5; PDF: at most 3)")
    parser.add_argument("--quick", action="store_true", help="one run per figure")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    pdf_runs = min(runs, PDF_RUNS)
    try:
        office, no_office = pdf.Office.find(), None
    except pdf.OfficeMissing as exc:
        office, no_office = None, str(exc).splitlines()[0]

    with scratch_folder() as scratch:
        seed_docx, profile, out = scratch / "seed.docx", scratch / "profile", scratch / "pdf"
        ENV["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
        pao("warm-up: fills the bytecode cache", ["build", "--only", "pao", "--lang", "es"] + ([] if office else ["--format", "docx"]), 1)
        every_format = [] if office else ["--format", "docx"]
        formats = "docx + PDF" if office else "docx"
        rows = [
            Row("reference: python -c 'import docxtpl'", timed([sys.executable, "-c", "import docxtpl"], runs), runs, reference="import"),
            Row("reference: pandoc, seed text (Markdown) → .docx",
                timed([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "docx", "-o", str(seed_docx), str(SEED)], runs), runs, reference="pandoc"),
        ]
        if office:
            command = [office.soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                       "--convert-to", "pdf", "--outdir", str(out), str(seed_docx)]
            rows.append(Row("reference: LibreOffice, cold, seed .docx → PDF", timed(command, pdf_runs, before=emptied(profile, out)),
                            pdf_runs, reference="office"))
        rows += [
            *pao("pao validate", ["validate"], runs, from_empty=False),
            *pao("pao build --only pao --lang es --format docx ({n} doc.)", ["build", "--only", "pao", "--lang", "es", "--format", "docx"], runs),
            *pao("pao build --lang es --format docx ({n} documents)", ["build", "--lang", "es", "--format", "docx"], runs, per_document=True),
            *pao("pao build --format docx ({n} documents)", ["build", "--format", "docx"], runs),
            *pao(f"pao build, nothing changed ({{n}} doc., {formats})", ["build", *every_format], runs, from_empty=False, again=True),
            *pao(f"pao build, one KPI of AO-3.1 edited ({{n}} doc., {formats})", ["build", *every_format], runs, from_empty=False,
                 edit=edit_kpi, against=("import", "office")),
            # the same, Word files only: issue 12's target leaves out the PDF time of the documents it touches
            *pao("pao build --format docx, one KPI of AO-3.1 edited ({n} doc.)", ["build", "--format", "docx"], runs, from_empty=False,
                 edit=edit_kpi),
        ]
        if office:
            rows += pao("pao build --lang es, docx + PDF ({n} documents)", ["build", "--lang", "es"], pdf_runs, against=("office",))
            rows += pao("pao build, docx + PDF, from empty ({n} documents)", ["build"], pdf_runs, against=("office",))
        for actions in (200, 800):
            rows += pao(f"synthetic plan of {actions} actions: pao validate", ["validate"], pdf_runs, from_empty=False, actions=actions)
            rows += pao(f"synthetic plan of {actions} actions: the PAO .docx", ["build", "--only", "pao", "--format", "docx"], pdf_runs, actions=actions)
        rows += pao("synthetic plan of 200 actions: every .docx ({n})", ["build", "--format", "docx"], 1, actions=200)
        rows += diff(800, pdf_runs)
        rows += pao("pao --help (start-up)", ["--help"], runs, from_empty=False)
        if office and seed_docx.is_file():
            rows += in_process_pdf(office, seed_docx.read_bytes())
            rows += worker_cpu(office, {"2-page fact sheet": fact_sheet(scratch / "sheet"), "seed .docx": seed_docx.read_bytes()})
    print_table(rows, runs, no_office)


def in_process_pdf(office: pdf.Office, docx: bytes) -> list[Row]:
    """The seed .docx N times through pao's PDF module, in this process: one LibreOffice for all, or one start each."""
    n = IN_PROCESS_PDF_DOCUMENTS
    jobs = [pdf.Job(f"copy-{i}", docx, datetime.date(2022, 1, 1)) for i in range(n)]

    def seconds(action: Callable[[], object]) -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    return [
        Row(f"in-process: {n}× seed .docx → PDF, one LibreOffice", seconds(lambda: pdf.convert(office, jobs, timeout=300)), 1, ("office",)),
        Row(f"in-process: {n}× seed .docx → PDF, one start each",
            seconds(lambda: [pdf.convert(office, [job], timeout=300) for job in jobs]), 1, ("office",)),
    ]


def fact_sheet(folder: Path) -> bytes:
    """The Spanish fact sheet of the shipped plan's first action, built by pao."""
    project = Project(folder)
    subprocess.run(PAO + ["build", "--only", "AO-1.1", "--lang", "es", "--format", "docx", "-q"], cwd=folder, env=ENV, check=True)
    return next(project.path("build").rglob("ficha-*.docx")).read_bytes()


def worker_cpu(office: pdf.Office, documents: dict[str, bytes]) -> list[Row]:
    """CPU seconds LibreOffice and pao's worker spend on each document once started: one worker converts N + 1
    copies, and the CPU of every process under this one is read as the first and the last is done (a start's
    CPU varies by seconds from one to the next, which a difference of two workers would count).  LibreOffice
    reads what ``pao build`` gives it (``ooxml.pdf_copy.for_pdf``; its own few milliseconds in pao are not
    counted here)."""
    n = WORKER_CPU_DOCUMENTS

    def cpu(docx: bytes) -> float:
        readings: list[float] = []

        def read(job: pdf.Job) -> None:  # called as each document is done
            total = 0.0
            for child in psutil.Process().children(recursive=True):
                with contextlib.suppress(psutil.Error):  # one that ended meanwhile
                    times = child.cpu_times()
                    total += times.user + times.system
            readings.append(total)

        pdf.convert(office, [pdf.Job(f"copy-{i}", docx, datetime.date(2022, 1, 1)) for i in range(n + 1)], 300,
                    progress=read, prepare=for_pdf)
        return (readings[-1] - readings[0]) / n

    return [Row(f"in-process: CPU s in LibreOffice per {label}", cpu(docx), 1) for label, docx in documents.items()]


def print_table(rows: list[Row], runs: int, no_office: str | None) -> None:
    def git(*arguments: str) -> str:
        return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    # the references that were measured (a failed one has no ratio)
    reference = {row.reference: row.seconds for row in rows if row.reference and isinstance(row.seconds, float)}
    dirty = " + uncommitted changes" if git("status", "--porcelain", "--", "generator", "templates", "source") else ""
    print(f"pao {git('rev-parse', '--short', 'HEAD') or '?'}{dirty} — {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}")
    print(f"Whole process, prompt to prompt: median seconds of {runs} run(s) (PDF: at most {PDF_RUNS}), "
          "and ratios to the references of this run.")
    print(f"  {'':<58} {'seconds':>8} {'runs':>4}  {'× import':>8} {'× pandoc':>8} {'× office':>8}")
    for row in rows:
        if isinstance(row.seconds, str):
            print(f"  {row.label:<58} failed, {row.seconds}")
            continue
        ratios = [
            f"{row.seconds / reference[key]:8.2f}" if key in row.against and key in reference else " " * 8
            for key in REFERENCES
        ]
        print(f"  {row.label:<58} {row.seconds:8.3f} {row.runs:>4}  {' '.join(ratios)}".rstrip())
    if no_office:
        print(f"(no LibreOffice figures: {no_office})")


if __name__ == "__main__":
    main()
