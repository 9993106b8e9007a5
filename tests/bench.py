"""``make bench``: how long pao takes, as ratios to a reference measured in the same run.

The reference is the bundled pandoc turning the seed's text (about 27 KB) into
a .docx: a fixed amount of comparable work on this very machine, so the ratios
mean something wherever they are run.  Nothing here passes or fails.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pypandoc

from generator.pdf import office as pdf
from generator.diagnostics import Diagnostics
from generator.pipeline import Selection, render_all
from generator.sources.load import load_sources
from tests.conftest import ROOT
from tests.seed import SEED

RUNS = 7
PAO_IN_SPANISH = Selection(only=("pao",), languages=("es",))
PDF_DOCUMENTS = 5


def median_seconds(action, runs: int = RUNS) -> float:
    action()  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    seed_text = SEED.read_text(encoding="utf-8")
    source = ROOT / "source"
    templates = ROOT / "templates"
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / "seed.docx")
        reference = median_seconds(lambda: pypandoc.convert_text(seed_text, "docx", format="markdown", outputfile=output))

    def validate():
        diagnostics = Diagnostics()
        return load_sources(source, diagnostics)

    sources = validate()
    everything = render_all(sources, templates)
    rows = [
        ("pandoc: seed text → .docx (reference)", reference),
        ("pao validate (all plans)", median_seconds(validate)),
        ("pao build: the PAO in Spanish, .docx", median_seconds(lambda: render_all(sources, templates, PAO_IN_SPANISH))),
        ("pao validate + build: the PAO in Spanish", median_seconds(lambda: render_all(validate(), templates, PAO_IN_SPANISH))),
        (f"pao build: all {len(everything)} .docx (3 languages)", median_seconds(lambda: render_all(sources, templates), runs=3)),
    ]
    rows += _pdf_rows(everything)
    print(f"pao bench — median of {RUNS} runs in one process (PDF rows: one run each)")
    for label, seconds in rows:
        print(f"  {label:<52} {seconds * 1000:8.1f} ms  {seconds / reference:6.2f} × reference")


def _pdf_rows(outputs) -> list[tuple[str, float]]:
    """N documents through one LibreOffice process, against one LibreOffice start per document."""
    try:
        office = pdf.Office.find()
    except pdf.OfficeMissing as exc:
        print(f"(no PDF figures: {exc})")
        return []
    document = outputs[0]
    jobs = [pdf.Job(f"copy-{n}", document.data, document.date) for n in range(PDF_DOCUMENTS)]
    one_process = median_seconds(lambda: pdf.convert(office, jobs, timeout=300), runs=1)
    one_start_each = median_seconds(lambda: [pdf.convert(office, [job], timeout=300) for job in jobs], runs=1)
    return [
        (f"PDF: {PDF_DOCUMENTS} documents, one LibreOffice process", one_process),
        (f"PDF: {PDF_DOCUMENTS} documents, one LibreOffice start each", one_start_each),
    ]


if __name__ == "__main__":
    main()
