"""pao progress import: filled forms in, the period's YAML report out, every mistake at its cell."""
from __future__ import annotations

import datetime

import pytest
from openpyxl import load_workbook

from tests.conftest import PLAN_ID

from .conftest import REPORT_2023_S1, fill, make_form, row

REPORT_2023_S2 = f"source/{PLAN_ID}/progress/2023-S2.yaml"


def test_the_shipped_report_sent_out_and_imported_unchanged_is_a_no_op(project):
    before = project.path(REPORT_2023_S1).read_bytes()
    forms = [str(make_form(project, "2023-S1", language)) for language in ("es", "en", "pt", "fr")]
    result = project.pao("progress", "import", *forms)
    assert result.exit_code == 0, result.output
    assert result.output == "the forms say nothing the report does not already say: nothing to write\n"
    assert project.path(REPORT_2023_S1).read_bytes() == before


def test_a_new_period_s_forms_give_its_report_in_the_plan_s_order(project):
    form = make_form(project, "2023-S2", "es")
    fill(form, {
        ("AO-5.1", "kpi:network-created", "E"): "Sí",
        ("AO-5.1", "kpi:coordination-meetings", "E"): 2,
        ("AO-5.1", "activity:network-launch-meeting", "E"): "Completada",
        ("AO-5.1", "activity:network-launch-meeting", "F"): datetime.datetime(2023, 9, 14),
        ("AO-5.1", "activity:network-launch-meeting", "G"): "Reunión en Lima: 12 países & 3 organismos <CLASI>.",
        ("AO-1.1", "kpi:intelligence-meetings", "E"): "1",  # a number typed as text
        ("AO-1.1", "action", "G"): "Primera línea.\nSegunda línea, con «comillas».",
        ("AO-2.1", "kpi:seized-assets", "E"): "1.250.000,5",  # Spanish grouping and decimal comma
        ("AO-2.1", "activity:operational-support", "E"): "en curso",
    })
    result = project.pao("progress", "import", str(form), "--date", "2024-01-20")
    assert result.exit_code == 0, result.output
    assert project.path(REPORT_2023_S2).read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../../docs/schema/progress.schema.json\n"
        "period: 2023-S2\n"
        "date: 2024-01-20\n"
        "actions:\n"
        "  AO-1.1:\n"
        "    notes: |\n"
        "      Primera línea.\n"
        "      Segunda línea, con «comillas».\n"
        "    kpis:\n"
        "      intelligence-meetings: {value: 1}\n"
        "  AO-2.1:\n"
        "    kpis:\n"
        "      seized-assets: {value: 1250000.5, currency: USD}\n"
        "    activities:\n"
        "      operational-support: {status: in_progress}\n"
        "  AO-5.1:\n"
        "    kpis:\n"
        "      network-created: {value: true}\n"
        "      coordination-meetings: {value: 2}\n"
        "    activities:\n"
        "      network-launch-meeting:\n"
        "        status: completed\n"
        "        date: 2023-09-14\n"
        "        notes: 'Reunión en Lima: 12 países & 3 organismos <CLASI>.'\n"
    )
    assert result.output.endswith(f"{REPORT_2023_S2}  (written)\n")
    validated = project.pao("validate")
    assert validated.exit_code == 0, validated.output
    built = project.pao("build", "--only", "2023-S2", "--lang", "es", "--format", "docx")
    assert built.exit_code == 0, built.output
    assert project.path(f"build/{PLAN_ID}/es/anexo-{PLAN_ID}-2023-S2-es.docx").is_file()


def test_an_update_changes_only_its_lines_and_keeps_comments_and_every_other_byte(project):
    before = project.path(REPORT_2023_S1).read_text(encoding="utf-8")
    form = make_form(project, "2023-S1", "en")
    fill(form, {
        ("AO-2.1", "kpi:successful-operations", "E"): 2,
        ("AO-1.1", "activity:ideal-2-contributions", "E"): "Completed",
        ("AO-1.1", "activity:ideal-2-contributions", "F"): "2023-06-02",  # a date typed as text
        ("AO-4.1", "activity:financial-crime-trends", "G"): "Draft sent to the countries.",
    })
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 0, result.output
    after = project.path(REPORT_2023_S1).read_text(encoding="utf-8")
    expected = before.replace(
        "      new-routes-report: {status: in_progress}\n",
        "      new-routes-report: {status: in_progress}\n      ideal-2-contributions: {status: completed, date: 2023-06-02}\n",
    ).replace(
        "      operational-plans: {value: 0}\n", "      operational-plans: {value: 0}\n      successful-operations: {value: 2}\n"
    ).replace(
        "      financial-crime-trends: {status: in_progress}\n",
        "      financial-crime-trends:\n        status: in_progress\n        notes: Draft sent to the countries.\n",
    )
    assert after == expected
    assert after.startswith(before.split("period:")[0])  # the comments at the top, byte for byte


def test_dry_run_prints_the_change_as_a_unified_diff_and_writes_nothing(project):
    before = project.path(REPORT_2023_S1).read_bytes()
    form = fill(make_form(project, "2023-S1", "es"), {("AO-2.1", "kpi:successful-operations", "E"): 3})
    result = project.pao("progress", "import", str(form), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"--- a/{REPORT_2023_S1}\n"
        f"+++ b/{REPORT_2023_S1}\n"
        "@@ -21,6 +21,7 @@\n"
        "       coordination-meetings: {value: 0}\n"
        "       high-value-targets: {value: 1}\n"
        "       operational-plans: {value: 0}\n"
        "+      successful-operations: {value: 3}\n"
        "       seized-assets:\n"
        "         value: 750000\n"
        "         currency: USD\n"
    )
    assert project.path(REPORT_2023_S1).read_bytes() == before


def test_a_value_that_differs_from_the_report_is_a_conflict_shown_side_by_side_unless_overwrite(project):
    before = project.path(REPORT_2023_S1).read_bytes()
    form = fill(make_form(project, "2023-S1", "es"), {
        ("AO-1.1", "kpi:intelligence-meetings", "E"): 3,
        ("AO-1.1", "activity:maritime-meeting", "E"): "En curso",
        ("AO-1.1", "activity:maritime-meeting", "F"): None,
    })
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 1
    report = REPORT_2023_S1
    assert result.output.splitlines() == [
        f"{form.relative_to(project.folder)}:AO-1.1!E7: ERROR: actions.AO-1.1.kpis.intelligence-meetings.value: the form says 3, "
        f"the report says 1 ({report}:10:38): clear the cell to keep the report's value, or import with --overwrite [form.conflict]",
        f"{form.relative_to(project.folder)}:AO-1.1!E13: ERROR: actions.AO-1.1.activities.maritime-meeting.status: the form says "
        f"'in_progress', the report says 'completed' ({report}:14:34): clear the cell to keep the report's value, or import with --overwrite [form.conflict]",
        "2 errors",
    ]
    assert project.path(REPORT_2023_S1).read_bytes() == before
    forced = project.pao("progress", "import", str(form), "--overwrite")
    assert forced.exit_code == 0, forced.output
    after = project.path(REPORT_2023_S1).read_text(encoding="utf-8")
    assert "      intelligence-meetings: {value: 3}\n" in after
    assert "      maritime-meeting: {status: in_progress}\n" in after  # no completion date without completed


def test_partial_workbooks_one_per_action_merge_into_one_report(project):
    first = fill(make_form(project, "2023-S2", "es", "AO-1.1"), {("AO-1.1", "kpi:intelligence-exchanges", "E"): 4})
    second = fill(make_form(project, "2023-S2", "pt", "AO-4.1"), {
        ("AO-4.1", "kpi:coordination-meetings", "E"): 1,
        ("AO-4.1", "kpi:coordination-meetings", "G"): "Reunião em Brasília.",
    })
    result = project.pao("progress", "import", str(second), str(first), "--date", "2024-01-31")
    assert result.exit_code == 0, result.output
    assert project.path(REPORT_2023_S2).read_text(encoding="utf-8").split("actions:\n")[1] == (
        "  AO-1.1:\n"
        "    kpis:\n"
        "      intelligence-exchanges: {value: 4}\n"
        "  AO-4.1:\n"
        "    kpis:\n"
        "      coordination-meetings:\n"
        "        value: 1\n"
        "        notes: Reunião em Brasília.\n"
    )


def test_two_forms_that_disagree_on_a_cell_are_both_named(project):
    first = fill(make_form(project, "2023-S2", "es", "AO-1.1"), {("AO-1.1", "kpi:intelligence-exchanges", "E"): 4})
    second = fill(make_form(project, "2023-S2", "es"), {("AO-1.1", "kpi:intelligence-exchanges", "E"): 5})
    result = project.pao("progress", "import", str(first), str(second))
    assert result.exit_code == 1
    one, two = first.relative_to(project.folder), second.relative_to(project.folder)
    assert result.output.splitlines()[0] == (
        f"{two}:AO-1.1!E8: ERROR: actions.AO-1.1.kpis.intelligence-exchanges.value: 5 here, but 4 in {one}:AO-1.1!E8: "
        "the forms must agree [form.conflict]"
    )
    assert not project.path(REPORT_2023_S2).exists()


def _mistake(project, cells, language="es", period="2023-S2"):
    form = fill(make_form(project, period, language), cells)
    result = project.pao("progress", "import", str(form), "--date", "2024-01-31")
    assert result.exit_code == 1
    assert not project.path(REPORT_2023_S2).exists()
    shown = str(form.relative_to(project.folder))
    return [line.replace(shown, "FORM") for line in result.output.splitlines()]


@pytest.mark.parametrize(("cells", "message"), [
    ({("AO-1.1", "kpi:intelligence-meetings", "E"): "dos"},
     "FORM:AO-1.1!E7: ERROR: 'dos' is not a number: KPI intelligence-meetings is a count: a whole number, 0 or more [form.value]"),
    ({("AO-1.1", "kpi:intelligence-meetings", "E"): -1},
     "FORM:AO-1.1!E7: ERROR: -1 must not be negative: KPI intelligence-meetings is a count: a whole number, 0 or more [form.value]"),
    ({("AO-1.1", "kpi:intelligence-meetings", "E"): "2,5"},
     "FORM:AO-1.1!E7: ERROR: 2.5 must be a whole number, not 2.5 (a count; an amount has a currency): KPI intelligence-meetings is a count: a whole number, 0 or more [form.value]"),
    ({("AO-2.1", "kpi:seized-assets", "E"): "mucho"},
     "FORM:AO-2.1!E11: ERROR: 'mucho' is not a number: KPI seized-assets is an amount in USD [form.value]"),
    ({("AO-5.1", "kpi:network-created", "E"): "Quizás"},
     "FORM:AO-5.1!E7: ERROR: 'Quizás': KPI network-created is a yes/no target: choose Sí or No [form.value]"),
    ({("AO-5.1", "kpi:network-created", "E"): "Sim"},
     "FORM:AO-5.1!E7: ERROR: 'Sim': KPI network-created is a yes/no target: choose Sí or No ('Sim' is the word of a form in 'pt'; this form is in 'es') [form.value]"),
    ({("AO-1.1", "activity:maritime-meeting", "E"): "Terminada"},
     "FORM:AO-1.1!E13: ERROR: 'Terminada' is not a status: choose one of the list (No iniciada, En curso, Completada, Aplazada, Cancelada) [form.status]"),
    ({("AO-1.1", "activity:maritime-meeting", "E"): "In progress"},
     "FORM:AO-1.1!E13: ERROR: 'In progress' is not a status: choose one of the list (No iniciada, En curso, Completada, Aplazada, Cancelada) "
     "('In progress' is the word of a form in 'en'; this form is in 'es') [form.status]"),
    ({("AO-1.1", "activity:maritime-meeting", "E"): "Completada", ("AO-1.1", "activity:maritime-meeting", "F"): datetime.datetime(2023, 3, 15)},
     "FORM:AO-1.1!F13: ERROR: 2023-03-15 is outside 2023-S2 (2023-07-01 to 2023-12-31): a completion date reported now falls within the period [form.date]"),
    ({("AO-1.1", "activity:maritime-meeting", "E"): "Completada", ("AO-1.1", "activity:maritime-meeting", "F"): "31/02/2023"},
     "FORM:AO-1.1!F13: ERROR: '31/02/2023' is not a date: write it as 2023-07-15 (year-month-day) [form.date]"),
    ({("AO-1.1", "activity:maritime-meeting", "E"): "Completada"},
     "FORM:AO-1.1!F13: ERROR: 'Completada' needs the day it was completed: write it here [form.date]"),
    ({("AO-1.1", "activity:maritime-meeting", "F"): "15/08/2023"},
     "FORM:AO-1.1!F13: ERROR: a completion date needs the status 'Completada' (in E13) [form.date]"),
])
def test_each_mistake_in_a_cell_is_located_at_it_and_nothing_is_written(project, cells, message):
    assert _mistake(project, cells) == [message, "1 error"]


def test_dates_typed_as_text_in_the_form_s_order_or_iso_and_day_numbers_are_read(project):
    form = fill(make_form(project, "2023-S2", "fr"), {
        ("AO-5.1", "activity:network-launch-preparation", "E"): "Terminée",
        ("AO-5.1", "activity:network-launch-preparation", "F"): "15/08/2023",
        ("AO-5.1", "activity:network-launch-meeting", "E"): "Terminée",
        ("AO-5.1", "activity:network-launch-meeting", "F"): "2023-09-01",
        ("AO-5.1", "activity:network-meetings", "E"): "Terminée",
        ("AO-5.1", "activity:network-meetings", "F"): 45260,  # 2023-11-30, a cell that lost its date format
        ("AO-5.1", "kpi:coordination-meetings", "E"): 3.0,
    })
    result = project.pao("progress", "import", str(form), "--date", "2024-01-31")
    assert result.exit_code == 0, result.output
    text = project.path(REPORT_2023_S2).read_text(encoding="utf-8")
    assert "      coordination-meetings: {value: 3}\n" in text
    assert "      network-launch-preparation: {status: completed, date: 2023-08-15}\n" in text
    assert "      network-launch-meeting: {status: completed, date: 2023-09-01}\n" in text
    assert "      network-meetings: {status: completed, date: 2023-11-30}\n" in text


def test_a_deleted_id_column_an_unknown_sheet_and_a_row_without_id_are_located(project):
    form = make_form(project, "2023-S2", "es")
    book = load_workbook(form)
    book["AO-3.1"].delete_cols(1)
    book.create_sheet("Hoja1")["B2"] = "otras cifras"
    sheet = book["AO-1.1"]
    sheet.insert_rows(9)
    sheet["E9"] = 4
    book.save(form)
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 1
    shown = form.relative_to(project.folder)
    assert result.output.splitlines() == [
        f"{shown}:AO-1.1!E9: ERROR: row 9 has no id (its hidden cell A9 is empty: a row added or its id cleared?): write this in a row of the form [form.unknown-row]",
        f"{shown}:AO-3.1!A1: ERROR: the hidden column A, which holds the rows' ids, is missing (deleted?): "
        "copy the figures into a new form from 'pao progress form' [form.id-column]",
        f"{shown}:Hoja1!A1: ERROR: the sheet 'Hoja1' is not part of this form (its actions: AO-1.1, AO-2.1, AO-3.1, AO-4.1, AO-5.1): "
        "remove it, or copy what it says into its action's sheet [form.unknown-sheet]",
        "3 errors",
    ]


def test_rows_moved_or_renamed_still_import_by_their_hidden_ids(project):
    form = make_form(project, "2023-S2", "es")
    book = load_workbook(form)
    sheet = book["AO-1.1"]
    first, second = row(sheet, "kpi:intelligence-meetings"), row(sheet, "kpi:intelligence-exchanges")
    for column in "ABCDEFG":  # swap the two rows, as a person sorting them would
        sheet[f"{column}{first}"].value, sheet[f"{column}{second}"].value = sheet[f"{column}{second}"].value, sheet[f"{column}{first}"].value
    sheet[f"B{first}"] = "renamed by a person"
    sheet[f"E{first}"], sheet[f"E{second}"] = 7, 2
    book.save(form)
    result = project.pao("progress", "import", str(form), "--date", "2024-01-31")
    assert result.exit_code == 0, result.output
    text = project.path(REPORT_2023_S2).read_text(encoding="utf-8")
    assert "      intelligence-meetings: {value: 2}\n      intelligence-exchanges: {value: 7}\n" in text


@pytest.mark.parametrize(("cell", "value", "message"), [
    ("B2", "otro-plan", "FORM:pao!B2: ERROR: a form of the plan 'otro-plan', which is not in the sources (plans: cocaina-2022) [form.plan]"),
    ("B3", "2030-S1", "FORM:pao!B3: ERROR: a form of 2030-S1, which is not a semester of the plan 'cocaina-2022' [form.period]"),
    ("B3", "primavera", "FORM:pao!B3: ERROR: 'primavera' is not a period: write a semester like 2022-S2 or a year like 2023 [form.period]"),
    ("B4", "de", "FORM:pao!B4: ERROR: a form in 'de', a language pao has no words for (forms: es, en, pt, fr) [form.language]"),
    ("B1", "2", "FORM:pao!B1: ERROR: a form of another version of pao (2; this one reads 1): copy the figures into a new form from 'pao progress form' [form.not-a-form]"),
])
def test_a_workbook_of_another_plan_period_or_language_is_refused(project, cell, value, message):
    form = make_form(project, "2023-S2", "es")
    book = load_workbook(form)
    book["pao"][cell] = value
    book.save(form)
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 1
    assert result.output.replace(str(form.relative_to(project.folder)), "FORM").splitlines() == [message, "1 error"]


def test_forms_of_two_periods_are_not_imported_together(project):
    first, second = make_form(project, "2023-S1", "es"), make_form(project, "2023-S2", "es")
    result = project.pao("progress", "import", str(first), str(second))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{second.relative_to(project.folder)}:pao!B2: ERROR: a form of {PLAN_ID} 2023-S2, but "
        f"{first.relative_to(project.folder)} is of {PLAN_ID} 2023-S1: import the forms of one report at a time [form.mixed]"
    )


def test_a_file_that_is_not_a_form_is_named(project):
    project.path("notas.xlsx").write_text("una lista de cifras", encoding="utf-8")
    result = project.pao("progress", "import", "notas.xlsx", "falta.xlsx")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "falta.xlsx: ERROR: file not found [form.unreadable]",
        "notas.xlsx: ERROR: not a workbook that pao can read (.xlsx): save it from Excel or LibreOffice Calc as .xlsx [form.unreadable]",
        "2 errors",
    ]


def test_a_report_the_checks_of_pao_validate_refuse_is_not_written_and_the_problem_is_shown_at_its_cell(project):
    before = project.path(REPORT_2023_S1).read_bytes()
    # completed in 2022-S2, and now said to be in progress: a later report must not undo an earlier one
    form = fill(make_form(project, "2023-S1", "es"), {("AO-2.1", "activity:working-group-launch", "E"): "En curso"})
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 1
    # shown at the cell that says it, not at a line of a report that was not written
    assert result.output.splitlines() == [
        f"{form.relative_to(project.folder)}:AO-2.1!E14: ERROR: actions.AO-2.1.activities.working-group-launch.status: in_progress, "
        "but the report of 2022-S2 says it was completed [progress.contradiction]",
        "1 error",
    ]
    assert project.path(REPORT_2023_S1).read_bytes() == before


def test_comments_blank_lines_and_quoting_next_to_a_change_stay_as_written(project):
    project.edit(REPORT_2023_S1, "      intelligence-exchanges: {value: 1}\n", "      intelligence-exchanges: {value: 1}   # confirmed by Colombia, 2023-07-02\n")
    project.edit(REPORT_2023_S1, "  AO-2.1:\n", "\n  # Ecuador's figures, sent by e-mail\n  AO-2.1:\n")
    project.edit(REPORT_2023_S1, "      high-value-targets: {value: 1}\n", "      high-value-targets: {value: 1}  # one target, see notes\n")
    project.edit(REPORT_2023_S1, "notes: Los preparativos de la guía regional empiezan en el segundo semestre.", "notes: 'Los preparativos de la guía regional empiezan en el segundo semestre.'")
    before = project.path(REPORT_2023_S1).read_text(encoding="utf-8")
    form = fill(make_form(project, "2023-S1", "es"), {
        ("AO-1.1", "kpi:intelligence-exchanges", "G"): "Dos intercambios con Perú.",
        ("AO-2.1", "kpi:successful-operations", "E"): 1,
    })
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 0, result.output
    assert project.path(REPORT_2023_S1).read_text(encoding="utf-8") == before.replace(
        "      intelligence-exchanges: {value: 1}   # confirmed by Colombia, 2023-07-02\n",
        # a one-line entry that gets notes opens into lines; its comment stays at its column
        "      intelligence-exchanges:              # confirmed by Colombia, 2023-07-02\n        value: 1\n        notes: Dos intercambios con Perú.\n",
    ).replace(
        "      operational-plans: {value: 0}\n", "      operational-plans: {value: 0}\n      successful-operations: {value: 1}\n"
    )


def test_a_report_under_another_name_is_the_one_filled_in_and_updated(project):
    other = project.path(f"source/{PLAN_ID}/progress/primer-semestre-2023.yaml")
    project.path(REPORT_2023_S1).rename(other)
    form = make_form(project, "2023-S1", "es")
    assert load_workbook(form)["AO-2.1"][f"E{row(load_workbook(form)['AO-2.1'], 'kpi:seized-assets')}"].value == 750000
    fill(form, {("AO-2.1", "kpi:successful-operations", "E"): 1})
    result = project.pao("progress", "import", str(form))
    assert result.exit_code == 0, result.output
    assert "      successful-operations: {value: 1}\n" in other.read_text(encoding="utf-8")
    assert not project.path(REPORT_2023_S1).exists()


def test_a_report_changed_while_the_forms_were_read_is_not_overwritten(project):
    from generator.diagnostics import SourceError
    from generator.forms.report import import_forms, write
    from generator.pipeline import load

    form = fill(make_form(project, "2023-S1", "es"), {("AO-2.1", "kpi:successful-operations", "E"): 1})
    imported = import_forms(load(project.path("source")), [form], datetime.date(2024, 1, 31), False, lambda d: None)
    assert imported is not None
    project.edit(REPORT_2023_S1, "sample: true", "sample: false")  # someone saves the report meanwhile
    edited = project.path(REPORT_2023_S1).read_bytes()
    with pytest.raises(SourceError) as error:
        write(imported)
    assert str(error.value) == f"{project.path(REPORT_2023_S1)}: ERROR: changed while the forms were imported: import them again [form.report-changed]"
    assert project.path(REPORT_2023_S1).read_bytes() == edited
