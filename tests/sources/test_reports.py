"""Every mistake a person can make in a progress report is reported as ``file:line:col``, never as a traceback.

A progress report (``source/<plan>/progress/<period>.yaml``) is written by a
person, like the plan.  Each test breaks a copy of the shipped sample reports
the way a person would, then checks the one message that names the mistake:
where it is, what it says, its code.  Where a mistake must stop ``pao build``,
the test first builds the intact plan, and afterwards checks that the failed
build left ``build/`` as it was.
"""
from __future__ import annotations

import shutil

import pytest

from tests.sources.test_validation import (
    Mistake,
    assert_refused,
    at,
    build_then_break,
    case,
    check_mistake,
    errors,
    problems,
)

PROGRESS = "source/cocaina-2022/progress"
S2 = f"{PROGRESS}/2022-S2.yaml"  # the first report
S1 = f"{PROGRESS}/2023-S1.yaml"  # the second report


def in_file(result, relative: str) -> list[tuple[str, str, str, str]]:
    """The problems (errors and warnings) the run located in ``relative``."""
    return [problem for problem in problems(result) if problem[0].startswith(f"{relative}:")]


# ---------------------------------------------------------------- the intact reports


def test_the_shipped_reports_validate_without_any_problem_of_their_own(project):
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == []


# ---------------------------------------------------------------- 1. YAML syntax


def test_an_unclosed_flow_mapping_in_a_report_is_reported_where_it_opens(project):
    snapshot = build_then_break(project, (S1, "intelligence-exchanges: {value: 1}", "intelligence-exchanges: {value: 1"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, S1, "{value: 1", line="intelligence-exchanges: {value: 1"), "yaml.syntax")
    assert message.startswith("YAML syntax error: ")
    assert "flow mapping" in message


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a colon inside plain notes",
            (S1, "notes: Los preparativos de la guía", "notes: Los preparativos: de la guía"),
            file=S1, needle=": de la guía",
            message="YAML syntax error: mapping values are not allowed in this context", code="yaml.syntax",
        ),
    ],
)
def test_a_yaml_syntax_error_in_a_report_is_reported_at_the_offending_character(project, mistake):
    check_mistake(project, mistake)


TAB = (S2, "      air-meeting: {status: completed", "\tair-meeting: {status: completed")


def test_a_tab_as_indentation_is_reported_at_the_tab(project):
    snapshot = build_then_break(project, TAB)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, S2, "\t"), "yaml.syntax")
    assert message.startswith("YAML syntax error: "), message


def test_a_tab_as_indentation_is_named_in_the_message(project):
    """A tab is invisible: 'found character that cannot start any token' does not say which character."""
    project.edit(*TAB)
    result = project.pao("validate")
    assert result.exit_code == 1
    [(_, _, message, _)] = errors(result)
    assert "tab" in message.lower() or "'\\t'" in message, message


# ---------------------------------------------------------------- 2. unknown keys


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "activity status",
            (S1, "new-routes-report: {status: in_progress}", "new-routes-report: {stauts: in_progress}"),
            file=S1, needle="stauts",
            message="actions.AO-1.1.activities.new-routes-report.stauts: unknown key (did you mean 'status'?)",
            code="schema.unknown-key",
        ),
        case(
            "kpi value",
            (S1, "network-created: {value: false}", "network-created: {valeu: false}"),
            file=S1, needle="valeu",
            message="actions.AO-5.1.kpis.network-created.valeu: unknown key (did you mean 'value'?)",
            code="schema.unknown-key",
        ),
        case(
            "action notes",
            (S1, "  AO-3.1:\n    notes:", "  AO-3.1:\n    nots:"),
            file=S1, needle="nots",
            message="actions.AO-3.1.nots: unknown key (did you mean 'notes'?)",
            code="schema.unknown-key",
        ),
        case(
            "report header",
            (S1, "sample: true", "smaple: true"),
            file=S1, needle="smaple",
            message="smaple: unknown key (did you mean 'sample'?)",
            code="schema.unknown-key",
        ),
    ],
)
def test_an_unknown_key_in_a_report_is_reported_at_the_key_with_a_suggestion(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 3. missing fields


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "period",
            (S1, "period: 2023-S1\n", ""),
            file=S1, needle="date: 2023-07-31",
            message="period: is required but missing", code="schema.missing",
        ),
        case(
            "date",
            (S1, "date: 2023-07-31\n", ""),
            file=S1, needle="period: 2023-S1",
            message="date: is required but missing", code="schema.missing",
        ),
        case(
            "activity status",
            (S1, "new-routes-report: {status: in_progress}", "new-routes-report: {}"),
            file=S1, needle="{}",
            message="actions.AO-1.1.activities.new-routes-report.status: is required but missing", code="schema.missing",
        ),
        case(
            "kpi value",
            (S1, "network-created: {value: false}", "network-created: {notes: pendiente}"),
            file=S1, needle="{notes: pendiente}",
            message="actions.AO-5.1.kpis.network-created.value: is required but missing", code="schema.missing",
        ),
    ],
)
def test_a_missing_required_field_of_a_report_is_reported_with_its_path(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 4. periods


def test_a_period_that_is_not_a_period_is_reported_at_the_value(project):
    snapshot = build_then_break(project, (S1, "period: 2023-S1", "period: 2023-S3"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, S1, "2023-S3"), "schema.value")
    assert message.startswith("period: '2023-S3' is not a period: write a semester like "), message


def test_the_hint_for_a_wrong_report_period_does_not_suggest_a_year(project):
    """A report's period must be a semester: advising 'a year like 2023' leads straight to another error."""
    project.edit(S1, "period: 2023-S1", "period: 2023-S3")
    result = project.pao("validate")
    assert result.exit_code == 1
    [(_, _, message, _)] = errors(result)
    assert "year" not in message, message


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a year",
            (S1, "period: 2023-S1", "period: 2023"),
            file=S1, needle="2023", line="period: 2023",
            message="period: a reporting period is a semester (e.g. 2023-S1), not 2023", code="progress.period",
        ),
        case(
            "after the plan",
            (S1, "period: 2023-S1", "period: 2024-S1"),
            file=S1, needle="2024-S1",
            message="period: 2024-S1 is outside the plan's period (2022-S1–2023-S2)", code="progress.period",
        ),
        case(
            "before the plan",
            (S2, "period: 2022-S2", "period: 2021-S2"),
            file=S2, needle="2021-S2",
            message="period: 2021-S2 is outside the plan's period (2022-S1–2023-S2)", code="progress.period",
        ),
    ],
)
def test_a_period_that_is_no_semester_of_the_plan_is_reported_at_the_value(project, mistake):
    check_mistake(project, mistake)


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param((S1, "period: 2023-S1", "period: 2023"), id="a year"),
        pytest.param((S1, "period: 2023-S1", "period: 2024-S1"), id="after the plan"),
    ],
)
def test_a_wrong_period_is_reported_once_without_advice_to_rename_the_file(project, edit):
    """One mistake, one message: no file-name warning telling to rename 2023-S1.yaml after a period that is refused."""
    project.edit(*edit)
    result = project.pao("validate")
    assert result.exit_code == 1
    assert [code for _, _, _, code in in_file(result, S1)] == ["progress.period"], result.output


# ---------------------------------------------------------------- 5. two reports for one period


@pytest.mark.parametrize(
    "copy, second, first",
    [
        pytest.param("2023-S1-bis.yaml", "2023-S1.yaml", "2023-S1-bis.yaml", id="copy sorted first"),
        pytest.param("copia.yaml", "copia.yaml", "2023-S1.yaml", id="copy sorted last"),
    ],
)
def test_two_reports_for_one_period_are_reported_on_the_second_file(project, copy, second, first):
    snapshot = build_then_break(project)
    shutil.copy(project.path(S1), project.path(f"{PROGRESS}/{copy}"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert errors(result) == [
        (
            at(project, f"{PROGRESS}/{second}", "2023-S1", line="period:"),
            "ERROR",
            f"period: a report for 2023-S1 already exists ({PROGRESS}/{first}): one report per period",
            "progress.duplicate-period",
        )
    ]
    assert (
        at(project, f"{PROGRESS}/{copy}", "2023-S1", line="period:"),
        "WARNING",
        f"period: the report of 2023-S1 is in '{copy}': name it '2023-S1.yaml'",
        "progress.file-name",
    ) in problems(result, "WARNING")


# ---------------------------------------------------------------- 6. unknown actions, KPIs and activities


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a misspelt action",
            (S1, "  AO-3.1:\n", "  AO-3.2:\n"),
            file=S1, needle="AO-3.2",
            message="actions.AO-3.2: 'AO-3.2' is not an operational action of this plan (did you mean 'AO-3.1'?)",
            code="progress.unknown-action",
        ),
        case(
            "a misspelt KPI",
            (S1, "      intelligence-exchanges: {value: 1}", "      inteligence-exchanges: {value: 1}"),
            file=S1, needle="inteligence-exchanges",
            message="actions.AO-1.1.kpis.inteligence-exchanges: 'inteligence-exchanges' is not a KPI of AO-1.1 "
            "(did you mean 'intelligence-exchanges'?)",
            code="progress.unknown-kpi",
        ),
        case(
            "a KPI of another action",
            (S1, "      intelligence-exchanges: {value: 1}", "      seized-assets: {value: 1, currency: USD}"),
            file=S1, needle="seized-assets", line="seized-assets: {value: 1",
            message="actions.AO-1.1.kpis.seized-assets: 'seized-assets' is not a KPI of AO-1.1",
            code="progress.unknown-kpi",
        ),
        case(
            "a misspelt activity",
            (S1, "      new-routes-report: {status", "      new-route-report: {status"),
            file=S1, needle="new-route-report",
            message="actions.AO-1.1.activities.new-route-report: 'new-route-report' is not an activity of AO-1.1 "
            "(did you mean 'new-routes-report'?)",
            code="progress.unknown-activity",
        ),
    ],
)
def test_an_unknown_id_in_a_report_is_reported_at_its_key(project, mistake):
    check_mistake(project, mistake)


def test_an_action_that_does_not_exist_is_reported_at_its_key_without_an_arbitrary_suggestion(project):
    """AO-9.9 is as far from AO-1.1 as from AO-5.1: suggesting one of them would mislead."""
    project.edit(S1, "  AO-3.1:\n", "  AO-9.9:\n")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, S1, "AO-9.9"), "progress.unknown-action")
    assert message.startswith("actions.AO-9.9: 'AO-9.9' is not an operational action of this plan"), message
    assert "did you mean" not in message, message


# ---------------------------------------------------------------- 7. values that do not fit their KPI


EXCHANGES = "intelligence-exchanges: {value: 1}"


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a negative count",
            (S1, EXCHANGES, "intelligence-exchanges: {value: -1}"),
            file=S1, needle="-1", line="intelligence-exchanges: {value: -1}",
            message="actions.AO-1.1.kpis.intelligence-exchanges.value: KPI intelligence-exchanges is a count: "
            "write a whole number, 0 or more (not -1)",
            code="progress.value",
        ),
        case(
            "a fractional count",
            (S1, EXCHANGES, "intelligence-exchanges: {value: 1.5}"),
            file=S1, needle="1.5",
            message="actions.AO-1.1.kpis.intelligence-exchanges.value: KPI intelligence-exchanges is a count: "
            "write a whole number, 0 or more (not 1.5)",
            code="progress.value",
        ),
        case(
            "a count given as true",
            (S1, EXCHANGES, "intelligence-exchanges: {value: true}"),
            file=S1, needle="true", line="intelligence-exchanges: {value: true}",
            message="actions.AO-1.1.kpis.intelligence-exchanges.value: KPI intelligence-exchanges counts intercambios: "
            "write a number, not true",
            code="progress.value",
        ),
        case(
            "a word for a count",
            (S1, EXCHANGES, "intelligence-exchanges: {value: dos}"),
            file=S1, needle="dos",
            message="actions.AO-1.1.kpis.intelligence-exchanges.value: must be a number",
            code="schema.type",
        ),
        case(
            "a negative amount",
            (S1, "value: 750000", "value: -750000"),
            file=S1, needle="-750000",
            message="actions.AO-2.1.kpis.seized-assets.value: an amount must not be negative",
            code="progress.value",
        ),
        case(
            "an amount without currency",
            (S1, "        currency: USD\n", ""),
            file=S1, needle="value: 750000",
            message="actions.AO-2.1.kpis.seized-assets: KPI seized-assets is an amount in USD: "
            "write 'currency: USD' (no currency given)",
            code="progress.currency",
        ),
        case(
            "an amount in another currency",
            (S1, "currency: USD", "currency: EUR"),
            file=S1, needle="EUR",
            message="actions.AO-2.1.kpis.seized-assets.currency: KPI seized-assets is an amount in USD: "
            "write 'currency: USD' ('EUR' given)",
            code="progress.currency",
        ),
        case(
            "a currency on a count",
            (S1, "coordination-meetings: {value: 0}", "coordination-meetings: {value: 0, currency: USD}"),
            file=S1, needle="USD", line="coordination-meetings: {value: 0, currency: USD}",
            message="actions.AO-2.1.kpis.coordination-meetings.currency: KPI coordination-meetings is a count, "
            "not an amount: remove the currency",
            code="progress.currency",
        ),
        case(
            "a number for a yes/no KPI",
            (S1, "network-created: {value: false}", "network-created: {value: 1}"),
            file=S1, needle="1}", line="network-created: {value: 1}",
            message="actions.AO-5.1.kpis.network-created.value: KPI network-created is a yes/no target (Red creada): "
            "write true or false",
            code="progress.value",
        ),
    ],
)
def test_a_value_that_does_not_fit_its_kpi_is_reported_at_the_value(project, mistake):
    check_mistake(project, mistake)


def test_a_word_for_a_count_is_reported_once(project):
    """One mistake, one message: not also 'must be true or false' for a KPI that counts."""
    project.edit(S1, EXCHANGES, "intelligence-exchanges: {value: dos}")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [
        (at(project, S1, "dos"), "ERROR", "actions.AO-1.1.kpis.intelligence-exchanges.value: must be a number", "schema.type")
    ]


# ---------------------------------------------------------------- 8. activity statuses and dates


ROUTES = "new-routes-report: {status: in_progress}"


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a status not in the set",
            (S1, ROUTES, "new-routes-report: {status: done}"),
            file=S1, needle="done",
            message="actions.AO-1.1.activities.new-routes-report.status: must be one of 'not_started', 'in_progress', "
            "'completed', 'postponed' or 'cancelled', not 'done'",
            code="schema.value",
        ),
        case(
            "completed without a date",
            (S1, ROUTES, "new-routes-report: {status: completed}"),
            file=S1, needle="completed", line="new-routes-report: {status: completed}",
            message="actions.AO-1.1.activities.new-routes-report.status: a completed activity needs the day it was "
            "completed: add 'date: YYYY-MM-DD'",
            code="progress.date",
        ),
        case(
            "a date on an activity in progress",
            (S1, ROUTES, "new-routes-report: {status: in_progress, date: 2023-05-02}"),
            file=S1, needle="2023-05-02",
            message="actions.AO-1.1.activities.new-routes-report.date: a date is the day an activity was completed, "
            "but its status is in_progress",
            code="progress.date",
        ),
        case(
            "completed after the report's date",
            (S1, "date: 2023-04-18", "date: 2023-08-18"),
            file=S1, needle="2023-08-18",
            message="actions.AO-1.1.activities.maritime-meeting.date: completed on 2023-08-18, "
            "after the report's date (2023-07-31)",
            code="progress.date",
        ),
    ],
)
def test_a_wrong_activity_status_or_date_is_reported_where_it_is_written(project, mistake):
    check_mistake(project, mistake)


@pytest.mark.parametrize(
    "written, expected_code",
    [
        pytest.param("2023-04", "schema.value", id="a month, not a day"),
        pytest.param("2021-04-18", "progress.date", id="before the plan's period"),
    ],
)
def test_a_completion_date_that_cannot_be_right_is_reported_at_the_date(project, written, expected_code):
    """The completion date is a day ('date: YYYY-MM-DD'), within the plan's period."""
    project.edit(S1, "date: 2023-04-18", f"date: {written}")
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, S1, written, line="maritime-meeting:"), expected_code)
    assert message.startswith("actions.AO-1.1.activities.maritime-meeting.date: "), message
    assert written in message, message


# ---------------------------------------------------------------- 9. contradictions between reports


def test_an_activity_undone_after_its_completion_is_an_error_at_its_status(project):
    check_mistake(
        project,
        Mistake(
            (
                (
                    S1,
                    "      maritime-meeting: {status: completed",
                    "      air-meeting: {status: in_progress}\n      maritime-meeting: {status: completed",
                ),
            ),
            S1, "in_progress", "actions.AO-1.1.activities.air-meeting.status: in_progress, "
            "but the report of 2022-S2 says it was completed",
            "progress.contradiction",
            line="air-meeting: {status: in_progress}",
        ),
    )


ACHIEVED_IN_2022_S2 = (
    S2,
    "      operational-support: {status: in_progress}\n",
    "      operational-support: {status: in_progress}\n  AO-5.1:\n    kpis:\n      network-created: {value: true}\n",
)


def unachieved_warning(project) -> tuple[str, str, str, str]:
    return (
        at(project, S1, "false", line="network-created: {value: false}"),
        "WARNING",
        "actions.AO-5.1.kpis.network-created.value: false, but the report of 2022-S2 says it was achieved "
        "(it stays achieved)",
        "progress.contradiction",
    )


def test_a_yes_no_kpi_unachieved_after_being_achieved_is_only_a_warning(project):
    project.edit(*ACHIEVED_IN_2022_S2)
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert problems(result) == [unachieved_warning(project)]


def test_a_yes_no_kpi_unachieved_after_being_achieved_fails_a_strict_build(project):
    snapshot = build_then_break(project, ACHIEVED_IN_2022_S2)
    strict = project.pao("validate", "--strict")
    assert strict.exit_code == 1, strict.output
    assert unachieved_warning(project) in problems(strict)
    result = project.pao("build", "--format", "docx", "--strict")
    assert_refused(project, result, snapshot)
    assert unachieved_warning(project) in problems(result)


# ---------------------------------------------------------------- 10. Markdown in notes


UNDEFINED = "footnote reference [^nope] has no footnote: add a line '[^nope]: text' to this text"


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "in a KPI's notes",
            (S1, "notes: Incautación en", "notes: Incautación[^nope] en"),
            file=S1, needle="[^nope]", message=UNDEFINED, code="footnote.undefined",
        ),
        case(
            "on the second line of an action's block notes",
            (S1, "operacionales conjuntos se retomará", "operacionales conjuntos[^nope] se retomará"),
            file=S1, needle="[^nope]", message=UNDEFINED, code="footnote.undefined",
        ),
        case(
            "in an activity's notes",
            (S2, "Dos de los cuatro webinars", "Dos[^nope] de los cuatro webinars"),
            file=S2, needle="[^nope]", message=UNDEFINED, code="footnote.undefined",
        ),
    ],
)
def test_a_markdown_mistake_in_notes_is_reported_at_its_place(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 11. characters XML cannot carry


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "action notes",
            (
                S2,
                "notes: Primera reunión del grupo de expertos celebrada en formato virtual.",
                'notes: "Primera\\x01 reunión del grupo de expertos celebrada en formato virtual."',
            ),
            file=S2, needle="\\x01",
            message="actions.AO-1.1.notes: character U+0001 cannot be stored in a Word document: delete it",
            code="text.forbidden-character",
        ),
        case(
            "KPI notes after accented letters",
            (
                S1,
                "notes: Incautación en una operación coordinada por Ecuador.",
                'notes: "Incautación en una operación\\x0b coordinada por Ecuador."',
            ),
            file=S1, needle="\\x0b",
            message="actions.AO-2.1.kpis.seized-assets.notes: character U+000B cannot be stored in a Word document: "
            "delete it",
            code="text.forbidden-character",
        ),
    ],
)
def test_a_control_character_written_as_an_escape_in_notes_is_reported_at_the_escape(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 12. file names


RENAMED = f"{PROGRESS}/informe.yaml"


def file_name_warning(project) -> tuple[str, str, str, str]:
    return (
        at(project, RENAMED, "2022-S2", line="period:"),
        "WARNING",
        "period: the report of 2022-S2 is in 'informe.yaml': name it '2022-S2.yaml'",
        "progress.file-name",
    )


def test_a_report_named_differently_from_its_period_is_only_a_warning(project):
    project.path(S2).rename(project.path(RENAMED))
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert problems(result) == [file_name_warning(project)]


def test_a_report_named_differently_from_its_period_fails_a_strict_build(project):
    snapshot = build_then_break(project)
    project.path(S2).rename(project.path(RENAMED))
    result = project.pao("build", "--format", "docx", "--strict")
    assert_refused(project, result, snapshot)
    assert file_name_warning(project) in problems(result)


# ---------------------------------------------------------------- 13. encoding


def test_a_report_that_is_not_utf8_is_reported_at_the_first_bad_byte(project):
    snapshot = build_then_break(project)
    report = project.path(S2)
    text = report.read_text(encoding="utf-8").replace("\u2014", "-")
    report.write_bytes(text.encode("latin-1"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    first = next(index for index, char in enumerate(text) if ord(char) > 127)
    line = text.count("\n", 0, first) + 1
    col = first - (text.rfind("\n", 0, first) + 1) + 1
    assert errors(result) == [
        (
            f"{S2}:{line}:{col}",
            "ERROR",
            f"the file is not UTF-8 text (byte 0x{ord(text[first]):02x}): save it as UTF-8",
            "source.encoding",
        )
    ]


def test_a_stray_non_utf8_file_in_the_progress_folder_is_reported(project):
    snapshot = build_then_break(project)
    project.path(f"{PROGRESS}/2023-S2.yaml").write_bytes("period: 2023-S2\ndate: 2024-01-31\n# año\n".encode("cp1252"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert errors(result) == [
        (f"{PROGRESS}/2023-S2.yaml:3:4", "ERROR", "the file is not UTF-8 text (byte 0xf1): save it as UTF-8", "source.encoding")
    ]


def test_a_yes_no_kpi_may_be_written_yes_or_no(project):
    project.edit(S1, "network-created: {value: false}", "network-created: {value: yes}")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    from generator.diagnostics import Diagnostics
    from generator.model.period import Period
    from generator.model.progress import as_of
    from generator.sources.load import load_sources

    sources = load_sources(project.path("source"), Diagnostics())
    assert sources is not None
    plan = sources.plans[0]
    state = as_of(plan, Period.parse("2023-S1"))
    network = next(k for a in state.actions for k in a.kpis if k.kpi.id == "network-created")
    assert (network.cumulative, network.status) == (True, "achieved")
