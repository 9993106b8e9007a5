"""Every mistake a person can make in ``source/`` is reported as ``file:line:col``, never as a traceback.

Each test breaks a copy of the shipped plan the way a person would, then checks
the one message that names the mistake: where it is, what it says, its code.
Where a mistake must stop ``pao build``, the test first builds the intact
plan, and afterwards checks that the failed build left ``build/`` as it was.
"""
from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

PLAN = "source/cocaina-2022/plan.yaml"
CONTEXT = "source/cocaina-2022/context.md"
INTRODUCTION = "source/cocaina-2022/introduction.md"
ORGANISATIONS = "source/organisations.yaml"
DOCX = "build/cocaina-2022/es/pao-cocaina-2022-es.docx"

PROBLEM = re.compile(r"^(?P<where>\S+): (?P<severity>ERROR|WARNING): (?P<message>.*) \[(?P<code>[a-z0-9.-]+)\]$")
TITLE_WARNING = (
    f"{PLAN}:2:8",
    "WARNING",
    "title: the title says 2022-2024 but the plan's period is 2022–2023",
    "consistency.title-period",
)


# ---------------------------------------------------------------- helpers


def problems(result, severity: str | None = None) -> list[tuple[str, str, str, str]]:
    """The ``(where, severity, message, code)`` of every problem line the run printed, in order."""
    found = []
    for line in result.output.splitlines():
        match = PROBLEM.match(line)
        if match and (severity is None or match["severity"] == severity):
            found.append((match["where"], match["severity"], match["message"], match["code"]))
    return found


def errors(result) -> list[tuple[str, str, str, str]]:
    return problems(result, "ERROR")


def at(project, relative: str, needle: str, line: str | None = None) -> str:
    """``file:line:col`` of the first ``needle`` on the first line containing ``line`` (default: ``needle``)."""
    number = project.line_of(relative, line or needle)
    text = project.path(relative).read_text(encoding="utf-8").split("\n")[number - 1]
    assert needle in text, f"{needle!r} not on line {number} of {relative}"
    return f"{relative}:{number}:{text.index(needle) + 1}"


def build_then_break(project, *edits: tuple[str, str, str]) -> dict[str, str]:
    """Build the intact plan, then make the mistake; returns the snapshot of build/ before it."""
    first = project.pao("build", "--format", "docx", "--only", "pao", "-q")
    assert first.exit_code == 0, first.output
    snapshot = project.build_snapshot()
    assert snapshot, "the intact plan built nothing"
    for relative, old, new in edits:
        project.edit(relative, old, new)
    return snapshot


def assert_refused(project, result, snapshot: dict[str, str]) -> None:
    """The run failed cleanly: exit code 1, no traceback, build/ untouched."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert project.build_snapshot() == snapshot


@dataclasses.dataclass(frozen=True)
class Mistake:
    """A mistake (text replaced in source files) and the message that must name it.

    The message is expected in ``file`` on the line holding ``line`` (default:
    ``needle``), at the column of ``needle`` in it, once the edits are made.
    """

    edits: tuple[tuple[str, str, str], ...]
    file: str
    needle: str
    message: str
    code: str
    line: str | None = None

    def where(self, project) -> str:
        return at(project, self.file, self.needle, self.line)


def check_mistake(project, mistake: Mistake) -> None:
    """Build, break, build again: the exact located message, exit 1, no traceback, build/ untouched."""
    snapshot = build_then_break(project, *mistake.edits)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    expected = (mistake.where(project), "ERROR", mistake.message, mistake.code)
    assert expected in errors(result), result.output


def case(id: str, *edits: tuple[str, str, str], file: str, needle: str, message: str, code: str, line: str | None = None):
    return pytest.param(Mistake(tuple(edits), file, needle, message, code, line), id=id)


# ---------------------------------------------------------------- the intact plan


def test_the_shipped_plan_validates_without_a_problem(project):
    result = project.pao("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert problems(result) == []
    assert "1 plan(s), 5 operational action(s): no errors" in result.output


def test_the_title_years_are_checked_against_the_period_unless_the_warning_was_accepted(project):
    project.edit(PLAN, "suppress_warnings: [consistency.title-period]\n", "")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == [TITLE_WARNING]
    assert "1 plan(s), 5 operational action(s): no errors, 1 warning(s)" in result.output
    assert project.pao("validate", "--strict").exit_code == 1


# ---------------------------------------------------------------- 1. YAML syntax


def test_an_unclosed_flow_list_is_reported_where_the_list_opens(project):
    snapshot = build_then_break(project, (PLAN, "co_leads: [EC, SV]", "co_leads: [EC, SV"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, PLAN, "[EC, SV"), "yaml.syntax")
    assert message.startswith("YAML syntax error: ")
    assert "flow sequence" in message


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a colon inside a plain value",
            (PLAN, "    reference: AO 1.1", "    reference: AO: 1.1"),
            file=PLAN, needle=": 1.1", line="reference: AO: 1.1",
            message="YAML syntax error: mapping values are not allowed in this context", code="yaml.syntax",
        ),
    ],
)
def test_a_yaml_syntax_error_is_reported_at_the_offending_character(project, mistake):
    check_mistake(project, mistake)


def test_a_line_indented_too_little_is_reported_at_that_line_not_where_its_block_starts(project):
    text = project.path(PLAN).read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip().startswith("- id:") and "kpis:" in lines[i - 1])
    second = next(i for i in range(first + 1, len(lines)) if lines[i].strip().startswith("- id:"))
    lines[second] = lines[second][2:]
    project.path(PLAN).write_text("\n".join(lines), encoding="utf-8")
    result = project.pao("validate")
    assert result.exit_code == 1
    [(where, _, message, code)] = errors(result)
    assert code == "yaml.syntax"
    assert where.endswith(f"plan.yaml:{second + 1}:{len(lines[second]) - len(lines[second].lstrip()) + 1}")
    block = re.search(r"\(the block starts at line (\d+), column \d+\)$", message)
    assert block and int(block[1]) < second + 1  # the start of the block is named too, as a hint


# ---------------------------------------------------------------- 2. repeated keys


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "block mapping",
            (PLAN, "    reference: AO 1.1\n", "    reference: AO 1.1\n    reference: AO 1.2\n"),
            file=PLAN, needle="reference", line="reference: AO 1.2",
            message="key 'reference' is written twice in this mapping (first on line 45)", code="yaml.duplicate-key",
        ),
        case(
            "flow mapping",
            (PLAN, "value: 2, counted: reuniones}", "value: 2, value: 3, counted: reuniones}"),
            file=PLAN, needle="value: 3",
            message="key 'value' is written twice in this mapping (first on line 58)", code="yaml.duplicate-key",
        ),
    ],
)
def test_a_key_written_twice_is_reported_at_its_second_occurrence(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 3. unknown keys


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "action",
            (PLAN, "    reference: AO 1.1", "    refernce: AO 1.1"),
            file=PLAN, needle="refernce",
            message="actions[0].refernce: unknown key (did you mean 'reference'?)", code="schema.unknown-key",
        ),
        case(
            "target",
            (PLAN, "{comparator: at_least, value: 2", "{comparater: at_least, value: 2"),
            file=PLAN, needle="comparater",
            message="actions[0].kpis[0].target.comparater: unknown key (did you mean 'comparator'?)", code="schema.unknown-key",
        ),
        case(
            "plan header",
            (PLAN, "title: Plan", "titel: Plan"),
            file=PLAN, needle="titel",
            message="titel: unknown key (did you mean 'title'?)", code="schema.unknown-key",
        ),
        case(
            "organisation",
            (ORGANISATIONS, "  name: {es: Europol,", "  nmae: {es: Europol,"),
            file=ORGANISATIONS, needle="nmae",
            message="europol.nmae: unknown key (did you mean 'name'?)", code="schema.unknown-key",
        ),
    ],
)
def test_an_unknown_key_is_reported_at_the_key_with_a_suggestion(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 4. missing fields


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "target counted",
            (PLAN, "{comparator: at_least, value: 2, counted: reuniones}", "{comparator: at_least, value: 2}"),
            file=PLAN, needle="{comparator: at_least, value: 2}",
            message="actions[0].kpis[0].target.counted: is required but missing", code="schema.missing",
        ),
        case(
            "plan title",
            (PLAN, "title: Plan de acción operativo 2022-2024\n", ""),
            file=PLAN, needle="language: es",
            message="title: is required but missing", code="schema.missing",
        ),
    ],
)
def test_a_missing_required_field_is_reported_with_its_path(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 5. wrong types


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a word for a number",
            (PLAN, "value: 2, counted: reuniones con la presencia", "value: dos, counted: reuniones con la presencia"),
            file=PLAN, needle="dos", line="value: dos",
            message="actions[1].kpis[0].target.value: must be a number", code="schema.type",
        ),
        case(
            "a quoted number",
            (PLAN, "value: 5, counted: intercambios", 'value: "5", counted: intercambios'),
            file=PLAN, needle='"5"',
            message="actions[0].kpis[1].target.value: must be a number", code="schema.type",
        ),
        case(
            "a list for a reference",
            (PLAN, "    reference: AO 1.1", "    reference: [AO, 1.1]"),
            file=PLAN, needle="[AO, 1.1]",
            message="actions[0].reference: must be text", code="schema.type",
        ),
        case(
            "a list for the title",
            (PLAN, "title: Plan de acción operativo 2022-2024", "title: [Plan, 2022]"),
            file=PLAN, needle="[Plan, 2022]",
            message="title: must be text", code="schema.type",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_in_plain_words(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 6. duplicate ids


DUPLICATE_IDS = [
    case(
        "actions",
        (PLAN, "  - id: AO-2.1", "  - id: AO-1.1  # copied"),
        file=PLAN, needle="AO-1.1  # copied",
        message="actions[1].id: 'AO-1.1' is already the id of actions[0]", code="plan.duplicate-id",
    ),
    case(
        "kpis of one action",
        (PLAN, "      - id: intelligence-exchanges", "      - id: intelligence-meetings  # copied"),
        file=PLAN, needle="intelligence-meetings  # copied",
        message="actions[0].kpis[1].id: 'intelligence-meetings' is already the id of kpis[0] of this action",
        code="plan.duplicate-id",
    ),
    case(
        "activities of one action",
        (PLAN, "      - id: maritime-meeting", "      - id: air-meeting  # copied"),
        file=PLAN, needle="air-meeting  # copied",
        message="actions[0].activities[1].id: 'air-meeting' is already the id of activities[0] of this action",
        code="plan.duplicate-id",
    ),
    case(
        "markdown blocks",
        (CONTEXT, "{#ctx-record-seizures}", "{#ctx-main-threat}"),
        file=CONTEXT, needle="Las estadísticas",
        message=f"block id 'ctx-main-threat' is already used at {CONTEXT}:1:1", code="plan.duplicate-id",
    ),
    case(
        "markdown blocks of two files",
        (INTRODUCTION, "{#intro-delegations}", "{#ctx-main-threat}"),
        file=CONTEXT, needle="El narcotráfico",
        message=f"block id 'ctx-main-threat' is already used at {INTRODUCTION}:1:1", code="plan.duplicate-id",
    ),
]


@pytest.mark.parametrize("mistake", DUPLICATE_IDS)
def test_an_id_used_twice_is_reported_at_its_second_use(project, mistake):
    check_mistake(project, mistake)


@pytest.mark.parametrize("mistake", DUPLICATE_IDS)
def test_an_id_used_twice_is_reported_once(project, mistake):
    """One mistake, one message: no second error about ids derived from the repeated one."""
    for edit in mistake.edits:
        project.edit(*edit)
    result = project.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [(mistake.where(project), "ERROR", mistake.message, mistake.code)]


def test_a_footnote_defined_twice_is_reported_at_its_second_definition(project):
    snapshot = build_then_break(
        project, (CONTEXT, "[^ibid-speedboats]: Ibid.", "[^ibid-speedboats]: Ibid.\n\n[^ibid-speedboats]: Ibid. bis")
    )
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    [(where, _, message, code)] = errors(result)
    assert (where, code) == (at(project, CONTEXT, "[^ibid-speedboats]: Ibid. bis"), "footnote.duplicate")
    assert message.startswith("footnote [^ibid-speedboats] is defined twice (first on line ")


def test_a_footnote_label_defined_in_two_files_is_reported(project):
    snapshot = build_then_break(
        project, (INTRODUCTION, "{#intro-delegations}", "[^gfi-2020] {#intro-delegations}\n\n[^gfi-2020]: Otra.")
    )
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert errors(result) == [
        (
            at(project, CONTEXT, "[^gfi-2020]:"),
            "ERROR",
            f"footnote id '[^gfi-2020]' is already used at {at(project, INTRODUCTION, '[^gfi-2020]:')}",
            "plan.duplicate-id",
        )
    ]


# ---------------------------------------------------------------- 7. countries and organisations


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "unknown code among participants",
            (PLAN, "participants: [CL, DO]", "participants: [CL, XX]"),
            file=PLAN, needle="XX",
            message="actions[1].participants[1]: 'XX' is neither an ISO 3166 country code nor an organisation declared "
            "in organisations.yaml (did you mean 'XK'?)",
            code="plan.unknown-participant",
        ),
        case(
            "unknown organisation among participants",
            (PLAN, "participants: [CL, DO]", "participants: [CL, eurpol]"),
            file=PLAN, needle="eurpol",
            message="actions[1].participants[1]: 'eurpol' is neither an ISO 3166 country code nor an organisation declared "
            "in organisations.yaml (did you mean 'europol'?)",
            code="plan.unknown-participant",
        ),
        case(
            "lower-case lead",
            (PLAN, "lead: AR", "lead: ar"),
            file=PLAN, needle="ar", line="lead: ar",
            message="lead: 'ar': write country codes in capitals ('AR')", code="plan.unknown-country",
        ),
        case(
            "unknown lead",
            (PLAN, "lead: EC", "lead: ECU"),
            file=PLAN, needle="ECU",
            message="actions[1].lead: 'ECU' is not an ISO 3166 country code (did you mean 'EC'?)", code="plan.unknown-country",
        ),
        case(
            "organisation as co-lead",
            (PLAN, "co_leads: [EC, SV]", "co_leads: [EC, europol]"),
            file=PLAN, needle="europol",
            message="co_leads[1]: 'europol' is not an ISO 3166 country code", code="plan.unknown-country",
        ),
    ],
)
def test_an_unknown_country_or_organisation_is_reported_at_its_code(project, mistake):
    check_mistake(project, mistake)


@pytest.mark.parametrize("code", ["ZZ", "XA"])  # CLDR's "Unknown Region" and "Pseudo-Accents": no ISO 3166-1 country
def test_a_cldr_region_that_is_no_country_is_reported_as_unknown(project, code):
    snapshot = build_then_break(project, (PLAN, "participants: [CL, DO]", f"participants: [CL, {code}]"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    [(where, _, message, error_code)] = errors(result)
    assert (where, error_code) == (at(project, PLAN, code, line=f"[CL, {code}]"), "plan.unknown-participant")
    assert message.startswith(f"actions[1].participants[1]: '{code}' is neither an ISO 3166 country code nor an organisation")


def test_a_declared_organisation_is_accepted_as_a_participant(project):
    project.edit(PLAN, "participants: [CL, DO]", "participants: [CL, europol]")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == []


def test_the_norway_code_no_is_a_country_not_a_boolean(project):
    project.edit(PLAN, "participants: [CL, DO]", "participants: [CL, NO]")
    result = project.pao("build", "--format", "docx", "-q")
    assert result.exit_code == 0, result.output
    assert errors(result) == []
    text = project.pao("text", DOCX)
    assert text.exit_code == 0, text.output
    assert "Países, socios y organismos participantes: Chile, Noruega" in text.output


# ---------------------------------------------------------------- 8-9. periods and calendars


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "a third semester",
            (PLAN, "calendar: [2022, 2023]", "calendar: [2022-S3, 2023]"),
            file=PLAN, needle="2022-S3",
            message="actions[1].activities[3].calendar[0]: '2022-S3' is not a period: write a month like 2023-03, a quarter like 2023-Q2, "
            "a semester like 2022-S2 or a year like 2023",
            code="schema.value",
        ),
        case(
            "the printed spelling",
            (PLAN, "calendar: [2022, 2023]", "calendar: [2022, S2/2022]"),
            file=PLAN, needle="S2/2022",
            message="actions[1].activities[3].calendar[1]: 'S2/2022' is not a period: write a month like 2023-03, a quarter like 2023-Q2, "
            "a semester like 2022-S2 or a year like 2023",
            code="schema.value",
        ),
        case(
            "a single calendar",
            (PLAN, "calendar: 2022-S2\n", "calendar: 2022-S3\n"),
            file=PLAN, needle="2022-S3",
            message="actions[1].activities[0].calendar: '2022-S3' is not a period: write a month like 2023-03, a quarter like 2023-Q2, "
            "a semester like 2022-S2 or a year like 2023",
            code="schema.value",
        ),
    ],
)
def test_a_calendar_that_is_not_a_period_is_reported_at_the_item(project, mistake):
    check_mistake(project, mistake)


def test_a_calendar_outside_the_plans_period_is_reported(project):
    check_mistake(
        project,
        Mistake(
            ((PLAN, "calendar: [2022, 2023]", "calendar: [2022, 2025]"),),
            PLAN, "2025",
            "actions[1].activities[3].calendar[1]: 2025 is outside the plan's period (2022–2023)",
            "plan.calendar-outside-period",
        ),
    )


# ---------------------------------------------------------------- 10. footnotes


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "undefined, in a Markdown file",
            (CONTEXT, "mayores incautaciones. {#ctx-covid-stockpiles}", "mayores incautaciones.[^nope] {#ctx-covid-stockpiles}"),
            file=CONTEXT, needle="[^nope]",
            message="footnote reference [^nope] has no footnote: add a line '[^nope]: text' to this text",
            code="footnote.undefined",
        ),
        case(
            "undefined, in plan.yaml",
            (PLAN, "ciber patrullaje y fuentes abiertas.", "ciber patrullaje[^nope] y fuentes abiertas."),
            file=PLAN, needle="[^nope]",
            message="footnote reference [^nope] has no footnote: add a line '[^nope]: text' to this text",
            code="footnote.undefined",
        ),
        case(
            "unreferenced, in a Markdown file",
            (CONTEXT, "(GFI)[^gfi-2020].", "(GFI)."),
            file=CONTEXT, needle="[^gfi-2020]:",
            message="footnote [^gfi-2020] is never referenced: add [^gfi-2020] where its mark goes, or delete it",
            code="footnote.unreferenced",
        ),
        case(
            "unreferenced, in plan.yaml",
            (PLAN, "fuentes abiertas[^osint-guide-contents].", "fuentes abiertas."),
            file=PLAN, needle="[^osint-guide-contents]:",
            message="footnote [^osint-guide-contents] is never referenced: add [^osint-guide-contents] where its mark goes, "
            "or delete it",
            code="footnote.unreferenced",
        ),
        case(
            "referenced twice",
            (CONTEXT, "mayores incautaciones. {#ctx", "mayores incautaciones.[^gfi-2020] {#ctx"),
            file=CONTEXT, needle="[^gfi-2020]", line="mayores incautaciones.[^gfi-2020]",
            message="footnote [^gfi-2020] is referenced 2 times: a Word footnote has one mark; define a second footnote",
            code="footnote.repeated",
        ),
    ],
)
def test_a_footnote_mistake_is_reported_at_the_reference_or_definition(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 11. missing Markdown file


def test_a_missing_markdown_file_is_reported_at_its_name_in_plan_yaml(project):
    check_mistake(
        project,
        Mistake(
            ((PLAN, "context: context.md", "context: contexto.md"),),
            PLAN, "contexto.md",
            "context: file 'contexto.md' not found next to plan.yaml",
            "plan.missing-file",
        ),
    )


# ---------------------------------------------------------------- 12. characters XML cannot carry


def test_a_control_character_written_as_a_yaml_escape_is_reported_at_the_escape(project):
    check_mistake(
        project,
        Mistake(
            ((PLAN, "subject: Plan de acción operativo (PAO) – 1. Tráfico de cocaína.", 'subject: "Plan\\x01"'),),
            PLAN, "\\x01",
            "subject: character U+0001 cannot be stored in a Word document: delete it",
            "text.forbidden-character",
        ),
    )


def test_a_raw_control_character_in_a_markdown_file_is_reported_at_its_place(project):
    check_mistake(
        project,
        Mistake(
            ((CONTEXT, "Así mismo, las", "Así\x0b mismo, las"),),
            CONTEXT, "\x0b",
            "character U+000B cannot be stored in a Word document: delete it",
            "text.forbidden-character",
        ),
    )


@pytest.mark.parametrize(
    "mistake",
    [
        case(
            "after plain ASCII",
            (PLAN, "title: Plan de acción", "title: Plan de\x01 acción"),
            file=PLAN, needle="\x01",
            message="YAML syntax error: character U+0001 is not allowed in YAML text (remove it or write it as an escape)",
            code="yaml.syntax",
        ),
        case(
            "after accented letters",
            (PLAN, "Preparación del lanzamiento", "Preparación del \x01lanzamiento"),
            file=PLAN, needle="\x01",
            message="YAML syntax error: character U+0001 is not allowed in YAML text (remove it or write it as an escape)",
            code="yaml.syntax",
        ),
        case(
            "in a block scalar",
            (PLAN, "      Esta AO busca fortalecer", "      Esta AO\x0b busca fortalecer"),
            file=PLAN, needle="\x0b",
            message="YAML syntax error: character U+000B is not allowed in YAML text (remove it or write it as an escape)",
            code="yaml.syntax",
        ),
    ],
)
def test_a_raw_control_character_in_yaml_is_a_syntax_error_at_its_place(project, mistake):
    check_mistake(project, mistake)


# ---------------------------------------------------------------- 13. Markdown prose


def test_a_markdown_block_without_an_id_is_reported_where_the_id_goes(project):
    snapshot = build_then_break(project, (CONTEXT, "mayores incautaciones. {#ctx-covid-stockpiles}", "mayores incautaciones."))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    line = project.line_of(CONTEXT, "mayores incautaciones.")
    end = len(project.path(CONTEXT).read_text(encoding="utf-8").split("\n")[line - 1]) + 1
    assert errors(result) == [
        (
            f"{CONTEXT}:{line}:{end}",
            "ERROR",
            "this block has no id: end it with {#some-id} (a new, unique id)",
            "prose.missing-id",
        )
    ]


def test_a_block_quote_is_reported_once_at_its_line(project):
    snapshot = build_then_break(project, (CONTEXT, "## Cannabis {#ctx-cannabis}", "> x {#q}\n\n## Cannabis {#ctx-cannabis}"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert errors(result) == [
        (at(project, CONTEXT, "> x {#q}"), "ERROR", "a block quote (>) is not supported here", "prose.unsupported")
    ]


INLINE_CODE = (CONTEXT, "Así mismo, las", "Así `mismo`, las")


def test_inline_code_is_reported_at_its_opening_backtick(project):
    snapshot = build_then_break(project, INLINE_CODE)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert [(where, code) for where, _, _, code in errors(result)] == [(at(project, CONTEXT, "`mismo`"), "prose.unsupported")]


def test_the_inline_code_message_says_what_is_unsupported_before_the_hint(project):
    project.edit(*INLINE_CODE)
    result = project.pao("validate")
    assert result.exit_code == 1
    [(_, _, message, _)] = errors(result)
    assert message.startswith("inline code (`…`) is not supported in plan prose"), message


# ---------------------------------------------------------------- 14. one-line fields


def test_a_title_written_on_two_lines_is_reported(project):
    check_mistake(
        project,
        Mistake(
            ((PLAN, "title: Plan de acción operativo 2022-2024\n", "title: |\n  Plan de acción\n  operativo 2022-2023\n"),),
            PLAN, "Plan de acción",
            "title: must be one line (no line breaks or tabs)",
            "text.multiline",
        ),
    )


# ---------------------------------------------------------------- 15. targets


def test_an_at_least_target_without_a_value_is_reported_at_the_target(project):
    check_mistake(
        project,
        Mistake(
            ((PLAN, "{comparator: at_least, value: 2, counted: reuniones}", "{comparator: at_least, counted: reuniones}"),),
            PLAN, "{comparator: at_least, counted: reuniones}",
            "actions[0].kpis[0].target: a target 'at_least' needs a value: the number to reach",
            "plan.target",
        ),
    )


def test_an_unknown_currency_is_reported_with_the_closest_common_code(project):
    check_mistake(
        project,
        Mistake(
            ((PLAN, "currency: USD", "currency: USX"),),
            PLAN, "USX",
            "actions[1].kpis[4].target.currency: 'USX' is not an ISO 4217 currency code (did you mean 'USD'?)",
            "plan.target",
        ),
    )


# ---------------------------------------------------------------- 16. warnings


DOUBLE_ROLE = (PLAN, "participants: [CL, DO]", "participants: [CL, EC]")


def double_role_warning(project) -> tuple[str, str, str, str]:
    return (
        at(project, PLAN, "EC]", line="participants: [CL, EC]"),
        "WARNING",
        "actions[1].participants[1]: 'EC' is also listed as lead",
        "consistency.double-role",
    )


def test_a_country_both_lead_and_participant_is_only_a_warning(project):
    project.edit(*DOUBLE_ROLE)
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == [double_role_warning(project)]
    assert "no errors, 1 warning(s)" in result.output


def test_validate_strict_fails_on_a_warning(project):
    project.edit(*DOUBLE_ROLE)
    result = project.pao("validate", "--strict")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert double_role_warning(project) in problems(result)


def test_build_strict_fails_on_a_warning_and_leaves_build_untouched(project):
    snapshot = build_then_break(project, DOUBLE_ROLE)
    result = project.pao("build", "--format", "docx", "--strict")
    assert_refused(project, result, snapshot)
    assert double_role_warning(project) in problems(result)


# ---------------------------------------------------------------- 17. several mistakes


MISSING_ID = (CONTEXT, "mayores incautaciones. {#ctx-covid-stockpiles}", "mayores incautaciones.")


@pytest.mark.parametrize(
    "plan_mistake",
    [
        case(
            "an unknown key",
            (PLAN, "    reference: AO 1.1", "    refernce: AO 1.1"),
            file=PLAN, needle="refernce",
            message="actions[0].refernce: unknown key (did you mean 'reference'?)", code="schema.unknown-key",
        ),
        case(
            "an unknown participant",
            (PLAN, "participants: [CL, DO]", "participants: [CL, XX]"),
            file=PLAN, needle="XX",
            message="actions[1].participants[1]: 'XX' is neither an ISO 3166 country code nor an organisation declared "
            "in organisations.yaml (did you mean 'XK'?)",
            code="plan.unknown-participant",
        ),
    ],
)
def test_several_mistakes_are_all_reported_in_one_run_sorted_by_file_and_line(project, plan_mistake):
    snapshot = build_then_break(project, *plan_mistake.edits, MISSING_ID)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    found = errors(result)
    missing_id = next((e for e in found if e[3] == "prose.missing-id"), None)
    plan_error = (plan_mistake.where(project), "ERROR", plan_mistake.message, plan_mistake.code)
    assert plan_error in found, result.output
    assert missing_id is not None, f"the missing id in context.md is not reported:\n{result.output}"
    assert missing_id[0].startswith(f"{CONTEXT}:{project.line_of(CONTEXT, 'mayores incautaciones.')}:")
    assert found.index(missing_id) < found.index(plan_error)  # context.md sorts before plan.yaml


def test_problems_are_printed_sorted_by_file_then_line(project):
    project.edit(PLAN, "participants: [CL, DO]", "participants: [CL, XX]")
    project.edit(PLAN, "lead: AR", "lead: ar")
    project.edit(CONTEXT, "{#ctx-record-seizures}", "{#ctx-main-threat}")
    project.edit(CONTEXT, "(GFI)[^gfi-2020].", "(GFI).")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert [(where, code) for where, _, _, code in problems(result)] == [
        (f"{CONTEXT}:3:1", "plan.duplicate-id"),
        (at(project, CONTEXT, "[^gfi-2020]:"), "footnote.unreferenced"),
        (at(project, PLAN, "ar", line="lead: ar"), "plan.unknown-country"),
        (at(project, PLAN, "XX"), "plan.unknown-participant"),
    ]


# ---------------------------------------------------------------- 18-19. files and folders


def test_a_markdown_file_that_is_not_utf8_is_reported_at_the_first_bad_byte(project):
    snapshot = build_then_break(project)
    context = project.path(CONTEXT)
    context.write_bytes(context.read_text(encoding="utf-8").replace("\u2013", "-").encode("latin-1"))
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    first_line = context.read_bytes().decode("latin-1").split("\n")[0]
    assert errors(result) == [
        (
            f"{CONTEXT}:1:{first_line.index('á') + 1}",
            "ERROR",
            "the file is not UTF-8 text (byte 0xe1): save it as UTF-8",
            "source.encoding",
        )
    ]


def test_a_source_folder_without_any_plan_is_reported(project):
    snapshot = build_then_break(project)
    shutil.rmtree(project.plan)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert problems(result) == [
        ("source", "ERROR", "no plan found: each plan is a folder holding a plan.yaml", "source.no-plan")
    ]
