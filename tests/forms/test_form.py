"""pao progress form: what a lead country receives, read back as Excel or Calc would show it."""
from __future__ import annotations

import datetime
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import PLAN_ID

from .conftest import REPORT_2023_S1, form_path, make_form, row


def test_a_form_has_its_instructions_one_protected_sheet_per_action_and_a_hidden_sheet_saying_what_it_is(project):
    book = load_workbook(make_form(project, "2023-S1", "es"))
    assert book.sheetnames == ["Instrucciones", "AO-1.1", "AO-2.1", "AO-3.1", "AO-4.1", "AO-5.1", "pao"]
    assert [s.sheet_state for s in book.worksheets] == ["visible"] * 6 + ["hidden"]
    assert all(sheet.protection.sheet for sheet in book.worksheets)
    about = book["pao"]
    assert [[c.value for c in r] for r in about.iter_rows(max_col=2, max_row=4)] == [
        ["form", "1"], ["plan", PLAN_ID], ["period", "2023-S1"], ["language", "es"]
    ]
    instructions = book["Instrucciones"]
    assert instructions["A1"].value == "Formulario de seguimiento"
    assert instructions["B5"].value == "S1/2023"
    assert instructions["B6"].value == "Español"
    assert instructions["B10"].value == "Rellene solo las celdas sombreadas; las demás están protegidas para evitar cambios por error."


def test_an_action_sheet_lists_kpis_and_activities_with_ids_in_a_hidden_column_and_only_the_cells_to_fill_unlocked(project):
    sheet = load_workbook(make_form(project, "2023-S1", "es"))["AO-2.1"]
    assert sheet.column_dimensions["A"].hidden
    assert sheet["A1"].value == "AO-2.1"
    assert sheet["B2"].value == "Periodo: S1/2023 · País líder: Ecuador"
    kpi = row(sheet, "kpi:coordination-meetings")
    assert [sheet.cell(kpi - 1, c).value for c in range(2, 8)] == [
        "Indicador", "Objetivo", "Acumulado antes de este periodo", "Valor en este periodo", None, "Notas"
    ]
    assert [sheet.cell(kpi, c).value for c in range(2, 5)] == [
        "Número de reuniones de coordinación e intercambio de información operacional.",
        "Al menos 2 reuniones con la presencia de los países participantes",
        1,  # reported in 2022-S2
    ]
    activity = row(sheet, "activity:working-group-launch")
    assert [sheet.cell(activity - 1, c).value for c in range(2, 8)] == [
        "Actividad", "Calendario", "Estado antes de este periodo", "Estado en este periodo", "Fecha de finalización", "Notas"
    ]
    assert sheet[f"D{activity}"].value == "Completada (14/10/2022)"
    to_fill = {f"G{row(sheet, 'action')}"} | {f"{c}{kpi}" for c in "EG"} | {f"{c}{activity}" for c in "EFG"}
    for coordinate in to_fill:
        assert sheet[coordinate].protection.locked is False, coordinate
        assert sheet[coordinate].fill.start_color.rgb == "00FFF2CC", coordinate
    for coordinate in (f"B{kpi}", f"C{kpi}", f"D{kpi}", f"F{kpi}", f"D{activity}", "A1", "B1"):
        assert sheet[coordinate].protection.locked is True, coordinate


def test_the_period_s_report_is_filled_in_so_that_a_form_can_be_sent_again(project):
    sheet = load_workbook(make_form(project, "2023-S1", "es"))["AO-2.1"]
    seized = row(sheet, "kpi:seized-assets")
    assert (sheet[f"E{seized}"].value, sheet[f"G{seized}"].value) == (750000, "Incautación en una operación coordinada por Ecuador.")
    assert sheet[f"E{row(sheet, 'kpi:successful-operations')}"].value is None  # not reported
    assert sheet[f"G{row(sheet, 'action')}"].value == (
        "El Grupo de Trabajo mantiene su ritmo de reuniones; la elaboración de los planes\n"
        "operacionales conjuntos se retomará en el segundo semestre."
    )
    assert sheet[f"E{row(sheet, 'activity:joint-operational-plans')}"].value == "Aplazada"
    done = load_workbook(form_path(project, "2023-S1", "es"))["AO-1.1"]
    meeting = row(done, "activity:maritime-meeting")
    assert (done[f"E{meeting}"].value, done[f"F{meeting}"].value) == ("Completada", datetime.datetime(2023, 4, 18))
    assert done[f"F{meeting}"].number_format == "yyyy-mm-dd"
    network = load_workbook(form_path(project, "2023-S1", "es"))["AO-5.1"]
    assert network[f"E{row(network, 'kpi:network-created')}"].value == "No"


def test_drop_downs_offer_the_statuses_and_yes_no_in_the_form_s_language_and_dates_within_the_period(project):
    book = load_workbook(make_form(project, "2023-S2", "pt"))
    assert [book["pao"][f"D{n}"].value for n in range(1, 6)] == ["Não iniciada", "Em andamento", "Concluída", "Adiada", "Cancelada"]
    assert [book["pao"][f"E{n}"].value for n in range(1, 3)] == ["Sim", "Não"]
    sheet = book["AO-5.1"]
    validations = {v.type: v for v in sheet.data_validations.dataValidation}
    activities = [c.row for c in sheet["A"] if str(c.value).startswith("activity:")]
    assert len(activities) == 4
    assert validations["list"].formula1 == "pao!$D$1:$D$5" or validations["list"].formula1 == "pao!$E$1:$E$2"
    lists = {v.formula1: str(v.sqref) for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists["pao!$D$1:$D$5"] == " ".join(f"E{n}" for n in activities)
    assert lists["pao!$E$1:$E$2"] == f"E{row(sheet, 'kpi:network-created')}"
    date = validations["date"]
    assert (date.operator, date.formula1, date.formula2) == ("between", "45108", "45291")  # 2023-07-01, 2023-12-31
    assert str(date.sqref) == " ".join(f"F{n}" for n in activities)
    assert date.error == "Escreva uma data dentro do período."
    counts = [v for v in sheet.data_validations.dataValidation if v.type == "whole"][0]
    assert (counts.operator, counts.formula1, str(counts.sqref)) == (
        "greaterThanOrEqual", "0", " ".join(f"E{row(sheet, f'kpi:{k}')}" for k in ("coordination-meetings", "operational-actions"))
    )


@pytest.mark.parametrize(("language", "title", "status", "kpi_text"), [
    ("es", "Instrucciones", "Estado en este periodo", "Número de reuniones de intercambio de inteligencia criminal."),
    ("en", "Instructions", "Status in this period", "Number of criminal intelligence exchange meetings."),
    ("pt", "Instruções", "Situação neste período", "Número de reuniões de intercâmbio de inteligência criminal."),
    # the plan is not translated into French: pao's own words are, the plan's texts stay as written
    ("fr", "Instructions", "État pour cette période", "Número de reuniones de intercambio de inteligencia criminal."),
])
def test_forms_are_in_es_en_pt_and_fr(project, language, title, status, kpi_text):
    book = load_workbook(make_form(project, "2023-S1", language))
    assert book.sheetnames[0] == title
    sheet = book["AO-1.1"]
    header = [c.row for c in sheet["A"] if c.value == "id"][1]  # the activities' header
    assert sheet[f"E{header}"].value == status
    assert sheet[f"B{row(sheet, 'kpi:intelligence-meetings')}"].value == kpi_text


def test_texts_come_out_verbatim_accents_ampersands_angle_brackets_quotes_emoji_and_a_leading_equals_sign(project):
    text = 'Reuniones «bilaterales» & <multilaterales> "de enlace" — año 2023 🚔 Überprüfung'
    project.edit(f"source/{PLAN_ID}/plan.yaml", "text: Número de reuniones de intercambio de inteligencia criminal.", f"text: '{text}'")
    project.edit(f"source/{PLAN_ID}/plan.yaml", "text: Número de intercambios de inteligencia criminal realizados.", "text: '=2 intercambios, no una fórmula'")
    project.edit(REPORT_2023_S1, "      intelligence-exchanges: {value: 1}", "      intelligence-exchanges: {value: 1, notes: '=SUMA(A1:A3) es texto'}")
    sheet = load_workbook(make_form(project, "2023-S1", "es"))["AO-1.1"]
    assert sheet[f"B{row(sheet, 'kpi:intelligence-meetings')}"].value == text
    exchanges = row(sheet, "kpi:intelligence-exchanges")
    assert (sheet[f"B{exchanges}"].value, sheet[f"B{exchanges}"].data_type) == ("=2 intercambios, no una fórmula", "s")
    assert (sheet[f"G{exchanges}"].value, sheet[f"G{exchanges}"].data_type) == ("=SUMA(A1:A3) es texto", "s")
    again = project.pao("progress", "import", str(form_path(project, "2023-S1", "es")))
    assert (again.exit_code, again.output) == (0, "the forms say nothing the report does not already say: nothing to write\n")


def test_one_workbook_per_action_for_its_lead_country(project):
    result = project.pao("progress", "form", "2023-S2", "--lang", "en", "--action", "AO-2.1", "--action", "AO-4.1")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"build/forms/{PLAN_ID}/2023-S2/formulario-{PLAN_ID}-2023-S2-AO-2.1-en.xlsx  (written)",
        f"build/forms/{PLAN_ID}/2023-S2/formulario-{PLAN_ID}-2023-S2-AO-4.1-en.xlsx  (written)",
    ]
    assert load_workbook(form_path(project, "2023-S2", "en", "AO-2.1")).sheetnames == ["Instructions", "AO-2.1", "pao"]


def test_every_language_of_the_plan_by_default_and_the_same_bytes_every_time(project):
    first = project.pao("progress", "form", "2023-S1")
    assert first.exit_code == 0, first.output
    assert [line.rsplit("-", 1)[1] for line in first.output.splitlines()] == ["es.xlsx  (written)", "en.xlsx  (written)", "pt.xlsx  (written)"]
    before = {language: form_path(project, "2023-S1", language).read_bytes() for language in ("es", "en", "pt")}
    for language in ("es", "en", "pt"):
        form_path(project, "2023-S1", language).unlink()
    again = project.pao("progress", "form", "2023-S1")
    assert again.exit_code == 0
    assert {language: form_path(project, "2023-S1", language).read_bytes() for language in ("es", "en", "pt")} == before
    third = project.pao("progress", "form", "2023-S1")
    assert third.output.count("(unchanged)") == 3
    with zipfile.ZipFile(form_path(project, "2023-S1", "es")) as archive:  # "made on Unix" on every system, Windows too
        assert {entry.create_system for entry in archive.infolist()} == {3}
    core = load_workbook(form_path(project, "2023-S1", "es")).properties
    assert (core.creator, core.created, core.modified) == ("pao", datetime.datetime(2023, 1, 1), datetime.datetime(2023, 1, 1))


@pytest.mark.parametrize(("args", "message"), [
    (["2023-S3"], "'2023-S3' is not a period: write a semester like 2022-S2 or a year like 2023"),
    (["2021-S1"], f"2021-S1 is not a semester of the plan {PLAN_ID} (2022-S1–2023-S2): a form is for one semester, like 2022-S1"),
    (["2023"], f"2023 is not a semester of the plan {PLAN_ID} (2022-S1–2023-S2): a form is for one semester, like 2022-S1"),
    (["2023-S1", "--lang", "de"], "--lang de: pao's forms are in es, en, pt, fr"),
    (["2023-S1", "--action", "AO-9.9"], f"--action AO-9.9: not an operational action of {PLAN_ID} (AO-1.1, AO-2.1, AO-3.1, AO-4.1, AO-5.1)"),
    (["2023-S1", "--plan", "otro"], f"no plan named otro (plans: {PLAN_ID})"),
])
def test_a_choice_the_sources_do_not_have_is_a_usage_error_and_writes_nothing(project, args, message):
    result = project.pao("progress", "form", *args)
    assert result.exit_code == 2
    assert f"Error: {message}" in result.output
    assert not project.path("build/forms").exists()


def test_a_long_action_id_names_its_sheet_cut_to_excel_s_31_characters_and_cuts_that_meet_are_numbered():
    from types import SimpleNamespace

    from generator.forms.layout import sheet_names

    ids = ["AO-1.1", "a-very-long-operational-action-id-one", "a-very-long-operational-action-id-two", "A-VERY-LONG-operational-action-id-3"]
    names = sheet_names(tuple(SimpleNamespace(id=i) for i in ids))  # type: ignore[misc]
    assert names == {
        "AO-1.1": "AO-1.1",
        "a-very-long-operational-action-id-one": "a-very-long-operational-action-",
        "a-very-long-operational-action-id-two": "a-very-long-operational-actio~2",
        "A-VERY-LONG-operational-action-id-3": "A-VERY-LONG-operational-actio~3",
    }
    assert all(len(name) <= 31 for name in names.values())
