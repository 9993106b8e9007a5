"""Builds that redo only what changed: each input rebuilds exactly the documents that show it.

What matters is that skipping is right, so these tests assert on the set of
documents a build says it rebuilt (and on the files), never on time.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import freshness
from generator.ooxml.package import Package
from tests.conftest import PAO, PLAN_ID, ROOT, Project

PLAN = f"source/{PLAN_ID}/plan.yaml"
REPORT = f"source/{PLAN_ID}/progress/2023-S1.yaml"
LANGUAGES = ("es", "en", "pt")


def _lines(result, what: str) -> set[str]:
    """The build folder's paths that the build's output says were ``what`` (rebuilt, up to date, removed)."""
    found = set()
    for line in result.stdout.splitlines():
        path, _, said = line.partition("  ")
        if said.startswith(what):
            found.add(path.removeprefix("build/"))
    return found


def _docx(kind: str, subject: str = "", languages: tuple[str, ...] = LANGUAGES) -> set[str]:
    middle = f"{PLAN_ID}-{subject}" if subject else PLAN_ID
    return {f"{PLAN_ID}/{language}/{kind}-{middle}-{language}.docx" for language in languages}


def _built(project: Project, *args: str):
    result = project.pao("build", "--format", "docx", *args)
    assert result.exit_code == 0, result.output
    return result


def _edit_action(project: Project, action: str, old: str, new: str) -> None:
    """Replace ``old`` in the block of one operational action of plan.yaml (texts repeat across actions)."""
    text = project.path(PLAN).read_text(encoding="utf-8")
    start = text.index(f"  - id: {action}\n")
    assert old in text[start:], f"{old!r} not in {action}"
    project.path(PLAN).write_text(text[:start] + text[start:].replace(old, new, 1), encoding="utf-8")


def test_a_build_with_nothing_changed_rebuilds_nothing_and_says_so(project):
    first = _built(project)
    assert len(_lines(first, "rebuilt: new")) == 24
    again = _built(project)
    assert len(_lines(again, "up to date")) == 24
    assert again.stdout.endswith("24 up to date, 0 rebuilt\n")
    assert _built(project, "-q").stdout == ""


def test_a_build_with_nothing_to_do_reads_no_source_and_imports_no_heavy_library(project):
    _built(project)
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(['build', '--format', 'docx'])\n"
        "except SystemExit as end:\n"
        "    print('exit', end.code)\n"
        "heavy = ('docxtpl', 'docx', 'lxml', 'matplotlib', 'babel', 'pydantic', 'yaml', 'markdown_it', 'generator.sources', 'generator.pipeline')\n"
        "print('imported:', sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project.folder, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
    )
    assert "24 up to date, 0 rebuilt" in done.stdout, done.stdout + done.stderr
    assert "exit 0" in done.stdout
    assert "imported: []" in done.stdout


def test_editing_one_kpi_of_one_action_rebuilds_the_documents_that_show_it(project):
    _built(project)
    _edit_action(project, "AO-3.1", "Número de operaciones realizadas con éxito.", "Número de operaciones conjuntas realizadas con éxito.")
    result = _built(project)
    # the PAO, AO-3.1's fact sheet and the annexes list the KPI; the translations are now outdated, so English and
    # Portuguese show the new original (with a warning) until translated
    expected = _docx("pao") | _docx("ficha", "AO-3.1") | _docx("anexo", "2022-S2") | _docx("anexo", "2023-S1")
    assert _lines(result, "rebuilt: what it shows changed") == expected
    assert len(_lines(result, "up to date")) == 24 - len(expected)
    assert "i18n.outdated" in result.stderr


def test_a_new_translation_of_one_kpi_rebuilds_only_that_language_s_documents_that_show_it(project):
    _built(project)
    entry = 'msgctxt "AO-3.1.kpis.successful-operations"\nmsgid "Número de operaciones realizadas con éxito."\nmsgstr "Number of operations '
    project.edit(f"source/{PLAN_ID}/locale/en.po", entry + 'successfully carried out."', entry + 'carried out successfully."')
    result = _built(project)
    expected = _docx("pao", languages=("en",)) | _docx("ficha", "AO-3.1", ("en",))
    expected |= _docx("anexo", "2022-S2", ("en",)) | _docx("anexo", "2023-S1", ("en",))
    assert _lines(result, "rebuilt") == expected


def test_a_progress_value_rebuilds_the_annexes_and_fact_sheets_that_count_it(project):
    _built(project)
    project.edit(REPORT, "intelligence-meetings: {value: 1}", "intelligence-meetings: {value: 2}")
    result = _built(project)
    # the annex of the period, and AO-1.1's fact sheet (it shows the latest progress); the 2022-S2 annex does not count it
    assert _lines(result, "rebuilt") == _docx("anexo", "2023-S1") | _docx("ficha", "AO-1.1")


def test_an_organisation_renamed_rebuilds_the_documents_that_name_it_and_no_other(project):
    _edit_action(project, "AO-4.1", "participants: []", "participants: [europol]")
    _built(project)
    project.edit("source/organisations.yaml", "wco:\n  name: {es: Organización Mundial de Aduanas", "wco:\n  name: {es: Organización Mundial de las Aduanas")
    assert _lines(_built(project), "rebuilt") == set()  # no plan names the WCO
    project.edit("source/organisations.yaml", "en: Europol,", "en: EUROPOL,")
    assert _lines(_built(project), "rebuilt") == _docx("pao", languages=("en",)) | _docx("ficha", "AO-4.1", ("en",))


def test_a_template_changed_rebuilds_every_document_made_from_it(project):
    _built(project)
    template = project.path("templates/clasi/ficha.docx")
    package = Package(template.read_bytes())
    document = package.parts["word/document.xml"]
    assert b"{{ l.sheet_title }}" in document
    package.parts["word/document.xml"] = document.replace(b"{{ l.sheet_title }}", b"{{ l.sheet_title }} ", 1)
    template.write_bytes(package.to_bytes())
    result = _built(project)
    sheets = {path for path in _lines(result, "") if "/ficha-" in path}
    assert len(sheets) == 15
    assert _lines(result, "rebuilt: what it shows changed") == sheets


def test_templates_are_checked_again_only_when_they_or_what_they_receive_change(project, monkeypatch):
    from generator.ooxml import template_check

    checked: list[str] = []
    real = template_check.check

    def counted(template, variables):
        checked.append(template.path.name)
        return real(template, variables)

    monkeypatch.setattr(template_check, "check", counted)
    _built(project)
    assert sorted(checked) == ["anexo.docx", "ficha.docx", "pao.docx"]
    checked.clear()
    _edit_action(project, "AO-3.1", "Número de operaciones realizadas con éxito.", "Número de operaciones conjuntas realizadas con éxito.")
    _built(project)
    assert checked == []  # the same templates receiving variables of the same names and types
    template = project.path("templates/clasi/ficha.docx")
    package = Package(template.read_bytes())
    package.parts["word/document.xml"] = package.parts["word/document.xml"].replace(b"{{ l.sheet_title }}", b"{{ l.sheet_titel }}", 1)
    template.write_bytes(package.to_bytes())
    result = project.pao("build", "--format", "docx")
    assert checked == ["ficha.docx"]
    assert result.exit_code == 1
    assert "templates/clasi/ficha.docx" in result.stderr and "sheet_titel" in result.stderr


def test_a_new_version_of_pao_rebuilds_everything(project, monkeypatch):
    _built(project)
    monkeypatch.setattr(freshness, "code_digest", lambda: "another pao")
    result = _built(project)
    assert len(_lines(result, "rebuilt: what it shows changed")) == 24


def test_a_removed_or_damaged_output_is_rebuilt_and_force_rebuilds_all(project):
    _built(project)
    sheet = project.path(f"build/{PLAN_ID}/es/ficha-{PLAN_ID}-AO-1.1-es.docx")
    sheet.unlink()
    project.path(f"build/{PAO}").write_bytes(b"damaged")
    result = _built(project)
    assert _lines(result, "rebuilt: missing") == {f"{PLAN_ID}/es/ficha-{PLAN_ID}-AO-1.1-es.docx"}
    assert _lines(result, "rebuilt: changed since it was built") == {PAO}
    assert project.path(f"build/{PAO}").read_bytes()[:2] == b"PK"
    forced = _built(project, "--force")
    assert len(_lines(forced, "rebuilt: --force")) == 24


def test_outputs_the_sources_no_longer_make_are_removed_from_the_folder_and_the_manifest(project):
    _built(project)
    project.path(f"source/{PLAN_ID}/progress/2022-S2.yaml").unlink()
    result = _built(project)
    gone = _docx("anexo", "2022-S2")
    assert _lines(result, "removed") == gone
    assert not any(project.path(f"build/{path}").exists() for path in gone)
    manifest = json.loads(project.path("build/manifest.json").read_text(encoding="utf-8"))
    assert not gone & {entry["path"] for entry in manifest["outputs"]}
    assert len(manifest["outputs"]) == 21


def test_a_language_dropped_from_a_plan_leaves_no_folder_behind(project):
    _built(project)
    project.edit(PLAN, "translations: {en: published, pt: published}", "translations: {en: published}")
    result = _built(project)
    assert len(_lines(result, "removed")) == 8
    assert not project.path(f"build/{PLAN_ID}/pt").exists()


def test_the_warnings_of_the_sources_are_repeated_when_nothing_is_rebuilt_and_strict_still_fails(project):
    _edit_action(project, "AO-3.1", "Número de operaciones realizadas con éxito.", "Número de operaciones conjuntas realizadas con éxito.")
    first = _built(project)
    again = _built(project)
    assert len(_lines(again, "up to date")) == 24
    assert again.stderr == first.stderr and "2 warnings" in again.stderr
    strict = project.pao("build", "--format", "docx", "--strict")
    assert strict.exit_code == 1
    assert "i18n.outdated" in strict.stderr


def test_a_mistyped_selection_is_refused_even_when_everything_is_up_to_date(project):
    _built(project)
    result = project.pao("build", "--format", "docx", "--only", "AO-9.9")
    assert result.exit_code == 2
    assert "--only AO-9.9" in result.output


def test_charts_are_drawn_once_per_distinct_data(project):
    _built(project, "--lang", "es")
    charts = project.path("build/.pao-charts")
    drawn = {path.name: path.stat().st_mtime_ns for path in charts.iterdir()}
    assert len(drawn) == 4  # two charts of each of the two annexes
    _edit_action(project, "AO-3.1", "Número de operaciones realizadas con éxito.", "Número de operaciones conjuntas realizadas con éxito.")
    _built(project, "--lang", "es")  # the annexes are rebuilt, their charts are not drawn again
    assert {path.name: path.stat().st_mtime_ns for path in charts.iterdir()} == drawn
    project.edit(REPORT, "joint-intelligence-products: {value: 0}", "joint-intelligence-products: {value: 1}")
    _built(project, "--lang", "es")
    now = {path.name for path in charts.iterdir()}
    assert len(now - set(drawn)) == 1  # 2023-S1's attainment chart
    _built(project)  # every document: the charts no document shows any more go
    final = {path.name for path in charts.iterdir()}
    assert len(final) == 12  # two charts of each of the two annexes, in three languages
    assert len(set(drawn) - final) == 1  # the Spanish attainment chart of 2023-S1 before the edit


def test_an_annex_that_is_up_to_date_needs_no_chart_drawn(project):
    """Its digest holds what each chart shows, not the picture: with the kept charts gone and only the PAO's text
    changed, no chart is drawn (a chart drawn would be kept in the folder)."""
    _built(project, "--lang", "es")
    charts = project.path("build/.pao-charts")
    for chart in charts.iterdir():
        chart.unlink()
    project.edit(f"source/{PLAN_ID}/introduction.md", "Las delegaciones encontrarán", "Las delegaciones hallarán")
    result = _built(project, "--lang", "es")
    assert _lines(result, "rebuilt") == _docx("pao", languages=("es",))
    assert _lines(result, "up to date") >= _docx("anexo", "2023-S1", ("es",)) | _docx("anexo", "2022-S2", ("es",))
    assert list(charts.iterdir()) == []
    project.path(f"build/{PLAN_ID}/es/anexo-{PLAN_ID}-2023-S1-es.docx").unlink()
    _built(project, "--lang", "es")  # that annex is made again: its two charts are drawn
    assert len(list(charts.iterdir())) == 2


def _compiled(project: Project) -> dict[str, bytes]:
    """Jinja's code of the template parts that builds keep, by file name."""
    return {path.name: path.read_bytes() for path in project.path("build/.pao-compiled").rglob("*.jinja")}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_template_parts_compiled_once_give_the_same_documents(project, jobs):
    """Jinja's code of each template part is kept (by every process of the build) and read by the next build:
    the same bytes as a build that compiles them; a file damaged by hand is compiled again."""
    _built(project, "--lang", "es", "-j", jobs)
    documents = _files(project.path("build"))
    shutil.rmtree(project.path("build/.pao-compiled"))
    _built(project, "--lang", "es", "-j", jobs, "--force")  # the templates' check found nothing before: only rendering compiles
    kept = _compiled(project)
    assert len(kept) >= 3 * 3  # the body, a header and a footer of each of the three templates, at least
    assert _files(project.path("build")) == documents
    for path in project.path("build/.pao-compiled").rglob("*.jinja"):
        path.write_bytes(b"not Jinja's code")
    _built(project, "--lang", "es", "-j", jobs, "--force")
    assert _files(project.path("build")) == documents
    assert _compiled(project) == kept


def test_a_template_edited_is_compiled_again(project):
    _built(project, "--lang", "es", "--only", "pao")
    kept = _compiled(project)
    template = project.path("templates/clasi/pao.docx")
    package = Package(template.read_bytes())
    body = package.parts["word/document.xml"].decode("utf-8")
    package.parts["word/document.xml"] = body.replace("{{ plan.title }}", "{{ plan.title }} (borrador)", 1).encode("utf-8")
    template.write_bytes(package.to_bytes())
    _built(project, "--lang", "es", "--only", "pao")
    assert "(borrador)" in Package(project.path(f"build/{PAO}").read_bytes()).parts["word/document.xml"].decode("utf-8")
    changed = {name for name, data in _compiled(project).items() if kept.get(name) != data}
    assert len(changed) == 1 and changed <= set(kept)  # the body's code, in place of its old code


def test_documents_made_in_parallel_are_the_bytes_of_a_serial_build(tmp_path):
    serial, parallel = Project(tmp_path / "serial"), Project(tmp_path / "parallel")
    formats = ("--format", "docx", "--format", "pdf") if _has_libreoffice() else ("--format", "docx")
    assert serial.pao("build", "-q", "-j", "1", "--lang", "es", *formats).exit_code == 0
    assert parallel.pao("build", "-q", "-j", "3", "--lang", "es", *formats).exit_code == 0
    assert _files(serial.path("build")) == _files(parallel.path("build"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("after", [0.3, 1.2, 2.5])
def test_a_build_killed_at_any_moment_is_never_taken_as_up_to_date(project, tmp_path, after):
    """Killed ``after`` seconds into a build that has everything to rebuild: the next build makes exactly what a
    build from scratch makes."""
    _built(project, "--lang", "es")
    project.edit(PLAN, "Plan de acción operativo", "Plan de acción operativo revisado")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "-q", "--format", "docx", "--lang", "es"],
        cwd=project.folder, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    _built(project, "--lang", "es")
    fresh = Project(tmp_path / "fresh")
    fresh.edit(PLAN, "Plan de acción operativo", "Plan de acción operativo revisado")
    _built(fresh, "--lang", "es")
    assert _files(project.path("build")) == _files(fresh.path("build"))


def _files(build: Path) -> dict[str, bytes]:
    """The documents and the manifest's list of them (the digest of the inputs names the folder they came from)."""
    files = {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*.*")) if p.suffix in (".docx", ".pdf")}
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    files["manifest"] = json.dumps([{k: v for k, v in e.items() if k != "inputs"} for e in manifest["outputs"]]).encode()
    return files


def _has_libreoffice() -> bool:
    from generator.pdf.office import Office, OfficeMissing

    try:
        Office.find()
    except OfficeMissing:
        return False
    return True
