"""A form filled in and saved again by a real spreadsheet program (LibreOffice Calc, headless) still imports."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator.pdf.office import Office, OfficeMissing
from tests.conftest import PLAN_ID

from .conftest import REPORT_2023_S1, fill, make_form

REPORT_2023_S2 = f"source/{PLAN_ID}/progress/2023-S2.yaml"


def _through_calc(form: Path, folder: Path) -> Path:
    """``form`` opened and saved as .xlsx by LibreOffice Calc, into ``folder``."""
    try:
        soffice = Office.find().soffice
    except OfficeMissing as exc:
        pytest.skip(str(exc))
    folder.mkdir()
    profile = (folder / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir", str(folder), str(form)],
        capture_output=True, text=True, timeout=180,
    )
    saved = folder / form.name
    if not saved.is_file():
        if "could not be loaded" in done.stderr:  # LibreOffice without Calc (libreoffice-calc-nogui)
            pytest.skip(f"LibreOffice cannot open spreadsheets here: {done.stderr.strip()}")
        raise AssertionError(done.stdout + done.stderr)
    return saved


def test_a_form_filled_with_text_where_numbers_belong_and_saved_by_calc_gives_the_report_that_was_meant(project, tmp_path):
    form = fill(make_form(project, "2023-S2", "es"), {
        ("AO-1.1", "kpi:intelligence-meetings", "E"): "3",
        ("AO-2.1", "kpi:seized-assets", "E"): "12,5",
        ("AO-2.1", "kpi:seized-assets", "G"): "Operación «Río» & <Ecuador>\nsegunda línea",
        ("AO-5.1", "kpi:network-created", "E"): "Sí",
        ("AO-5.1", "activity:network-launch-meeting", "E"): "Completada",
        ("AO-5.1", "activity:network-launch-meeting", "F"): "15/08/2023",
    })
    saved = _through_calc(form, tmp_path / "calc")
    result = project.pao("progress", "import", str(saved), "--date", "2024-01-31")
    assert result.exit_code == 0, result.output
    assert project.path(REPORT_2023_S2).read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../docs/schema/progress.schema.json\n"
        "period: 2023-S2\n"
        "date: 2024-01-31\n"
        "actions:\n"
        "  AO-1.1:\n"
        "    kpis:\n"
        "      intelligence-meetings: {value: 3}\n"
        "  AO-2.1:\n"
        "    kpis:\n"
        "      seized-assets:\n"
        "        value: 12.5\n"
        "        currency: USD\n"
        "        notes: |\n"
        "          Operación «Río» & <Ecuador>\n"
        "          segunda línea\n"
        "  AO-5.1:\n"
        "    kpis:\n"
        "      network-created: {value: true}\n"
        "    activities:\n"
        "      network-launch-meeting: {status: completed, date: 2023-08-15}\n"
    )
    assert project.pao("validate").exit_code == 0


def test_the_shipped_report_through_calc_and_back_is_a_no_op(project, tmp_path):
    before = project.path(REPORT_2023_S1).read_bytes()
    saved = _through_calc(make_form(project, "2023-S1", "pt"), tmp_path / "calc")
    result = project.pao("progress", "import", str(saved))
    assert result.exit_code == 0, result.output
    assert result.output == "the forms say nothing the report does not already say: nothing to write\n"
    assert project.path(REPORT_2023_S1).read_bytes() == before
