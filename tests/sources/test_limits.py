"""Every value is checked where it is read, and no file can hang ``pao`` or crash a build.

Impossible dates, numbers beyond the documented bounds (``.nan``, ``.inf``,
10^30), ids that would name another text, YAML aliases and deep nesting,
deep Markdown lists, files too large or outside their folder: each is a
located error of ``pao validate`` and ``pao build``, never a traceback, a
silent loss or minutes of work.  BOM and CRLF, which editors write, change
nothing.  (How fast each limit is reached is measured, not asserted here.)
"""
from __future__ import annotations

import json

import pytest

from generator.sources.limits import MAX_FILE_BYTES
from tests.golden import GOLDEN, SHA256, digests
from tests.sources.test_validation import (
    CONTEXT,
    ORGANISATIONS,
    PLAN,
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
S1 = f"{PROGRESS}/2023-S1.yaml"
FOLDER = "source/cocaina-2022"


def check_validate(project, mistake: Mistake) -> None:
    """``pao validate`` fails with exactly this one located error, and no traceback."""
    for edit in mistake.edits:
        project.edit(*edit)
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert errors(result) == [(mistake.where(project), "ERROR", mistake.message, mistake.code)], result.output


# ---------------------------------------------------------------- impossible dates


IMPOSSIBLE_DATES = [
    case(
        "the plan's date",
        (PLAN, "date: 2022-06", "date: 2023-02-30"),
        file=PLAN, needle="2023-02-30",
        message="date: '2023-02-30' is not a date: 2023-02 has 28 days", code="schema.value",
    ),
    case(
        "a report's date",
        (S1, "date: 2023-07-31", "date: 2023-02-30"),
        file=S1, needle="2023-02-30",
        message="date: '2023-02-30' is not a date: 2023-02 has 28 days", code="schema.value",
    ),
    case(
        "an activity's completion date",
        (S1, "date: 2023-04-18", "date: 2023-02-29"),
        file=S1, needle="2023-02-29",
        message="actions.AO-1.1.activities.maritime-meeting.date: '2023-02-29' is not a date: 2023-02 has 28 days",
        code="schema.value",
    ),
]


@pytest.mark.parametrize("mistake", IMPOSSIBLE_DATES)
def test_an_impossible_date_stops_the_build_at_the_date(project, mistake):
    check_mistake(project, mistake)


@pytest.mark.parametrize(
    "mistake",
    [
        *IMPOSSIBLE_DATES,
        case(
            "a thirteenth month",
            (PLAN, "date: 2022-06", "date: 2022-13"),
            file=PLAN, needle="2022-13",
            message="date: '2022-13' is not a date: months go from 01 to 12", code="schema.value",
        ),
        case(
            "year zero",
            (S1, "date: 2023-07-31", "date: 0000-07-31"),
            file=S1, needle="0000-07-31",
            message="date: '0000-07-31' is not a date: there is no year 0000", code="schema.value",
        ),
    ],
)
def test_an_impossible_date_is_a_located_error_of_validate(project, mistake):
    check_validate(project, mistake)


# ---------------------------------------------------------------- numbers


TOO_LARGE = "must be at most 1 000 000 000 000 000 (10^15)"
EXCHANGES = "intelligence-exchanges: {value: 1}"
MEETINGS_TARGET = "{comparator: at_least, value: 2, counted: reuniones}"


def count(value: str) -> tuple[str, str, str]:
    return (S1, EXCHANGES, f"intelligence-exchanges: {{value: {value}}}")


def amount(value: str) -> tuple[str, str, str]:
    return (S1, "value: 750000", f"value: {value}")


def target(value: str) -> tuple[str, str, str]:
    return (PLAN, MEETINGS_TARGET, f"{{comparator: at_least, value: {value}, counted: reuniones}}")


def amount_target(value: str) -> tuple[str, str, str]:
    return (PLAN, "value: 2000000, currency: USD", f"value: {value}, currency: USD")


COUNT_VALUE = "actions.AO-1.1.kpis.intelligence-exchanges.value"
AMOUNT_VALUE = "actions.AO-2.1.kpis.seized-assets.value"


def test_a_count_of_10_to_the_30_stops_the_build_at_the_value(project):
    """It validated, then crashed the build in Babel's formatting (decimal.InvalidOperation)."""
    check_mistake(project, Mistake(
        (count("1" + "0" * 30),), S1, "1" + "0" * 30, f"{COUNT_VALUE}: {TOO_LARGE}", "progress.value",
    ))


def test_a_target_of_10_to_the_30_stops_the_build_at_the_value(project):
    check_mistake(project, Mistake(
        (target("1" + "0" * 30),), PLAN, "1" + "0" * 30, f"actions[0].kpis[0].target.value: {TOO_LARGE}", "plan.target",
    ))


@pytest.mark.parametrize(
    "mistake",
    [
        case("a count of 10^5000", count("1" + "0" * 5000), file=S1, needle="1" + "0" * 5000,
             message=f"{COUNT_VALUE}: {TOO_LARGE}", code="progress.value"),
        case("a count of 1.0e+308", count("1.0e+308"), file=S1, needle="1.0e+308",
             message=f"{COUNT_VALUE}: {TOO_LARGE}", code="progress.value"),
        case("a count of .inf", count(".inf"), file=S1, needle=".inf",
             message=f"{COUNT_VALUE}: {TOO_LARGE}", code="progress.value"),
        case("a count of .nan", count(".nan"), file=S1, needle=".nan",
             message=f"{COUNT_VALUE}: must be a number, not .nan", code="progress.value"),
        case("a count written 10:30 (text, not base 60)", count("10:30"), file=S1, needle="10:30",
             message=f"{COUNT_VALUE}: must be a number", code="schema.type"),
        case("an amount of .nan", amount(".nan"), file=S1, needle=".nan",
             message=f"{AMOUNT_VALUE}: must be a number, not .nan", code="progress.value"),
        case("an amount of .inf", amount(".inf"), file=S1, needle=".inf",
             message=f"{AMOUNT_VALUE}: {TOO_LARGE}", code="progress.value"),
        case("an amount of 1.0e+308", amount("1.0e+308"), file=S1, needle="1.0e+308",
             message=f"{AMOUNT_VALUE}: {TOO_LARGE}", code="progress.value"),
        case("an amount with 3 decimals", amount("750000.125"), file=S1, needle="750000.125",
             message=f"{AMOUNT_VALUE}: an amount has at most 2 decimals (not 750000.125)", code="progress.value"),
        case("an amount of 16 digits", amount("12345678901234.55"), file=S1, needle="12345678901234.55",
             message=f"{AMOUNT_VALUE}: a number with decimals has at most 15 digits in all: more cannot be kept exactly",
             code="progress.value"),
        case("a target of .nan", target(".nan"), file=PLAN, needle=".nan",
             message="actions[0].kpis[0].target.value: must be a number, not .nan", code="plan.target"),
        case("a target of .inf", target(".inf"), file=PLAN, needle=".inf",
             message=f"actions[0].kpis[0].target.value: {TOO_LARGE}", code="plan.target"),
        case("a target of 10^5000", target("1" + "0" * 5000), file=PLAN, needle="1" + "0" * 5000,
             message=f"actions[0].kpis[0].target.value: {TOO_LARGE}", code="plan.target"),
        case("a target of -.inf", target("-.inf"), file=PLAN, needle="-.inf",
             message="actions[0].kpis[0].target.value: must not be negative", code="plan.target"),
        case("a count target of 2.5", target("2.5"), file=PLAN, needle="2.5",
             message="actions[0].kpis[0].target.value: must be a whole number, not 2.5 (a count; an amount has a currency)",
             code="plan.target"),
        case("an amount target with 3 decimals", amount_target("2000000.125"), file=PLAN, needle="2000000.125",
             message="actions[1].kpis[4].target.value: an amount has at most 2 decimals (not 2000000.125)", code="plan.target"),
    ],
)
def test_a_number_beyond_the_bounds_is_a_located_error(project, mistake):
    check_validate(project, mistake)


def test_the_largest_values_allowed_build_and_print_in_full(project):
    """The bounds are where a build still works: 10^15 reported twice adds up and prints digit for digit."""
    project.edit(*target("1000000000000000"))
    project.edit(*amount_target("0.01"))
    for report in ("2022-S2", "2023-S1"):
        project.edit(f"{PROGRESS}/{report}.yaml", "intelligence-meetings: {value: 1}", "intelligence-meetings: {value: 1000000000000000}")
    project.edit(*amount("999999999999.99"))
    result = project.pao("build", "--format", "docx", "--only", "annex", "-q")
    assert result.exit_code == 0, result.output
    text = project.pao("text", "build/cocaina-2022/es/anexo-cocaina-2022-2023-S1-es.docx")
    assert text.exit_code == 0, text.output
    assert "| Al menos 1.000.000.000.000.000 reuniones | 1.000.000.000.000.000 | 2.000.000.000.000.000 | 200\xa0% |" in text.output
    assert "| Al menos 0,01\xa0USD incautados por operación | 999.999.999.999,99\xa0USD | 999.999.999.999,99\xa0USD |" in text.output


# ---------------------------------------------------------------- ids that would name another text


RECORD_SEIZURES = "{#ctx-record-seizures}"


@pytest.mark.parametrize(
    "written, start, what",
    [
        ("AO-1.1.summary.1", "AO-1.1.", "the texts of operational action AO-1.1"),
        ("AO-1.1.kpis.x", "AO-1.1.", "the texts of operational action AO-1.1"),
        ("OE-1.title", "OE-1.", "the texts of strategic objective OE-1"),
        ("fn.label.1", "fn.", "the paragraphs of footnotes"),
        ("plan.title", "plan.", "the header of plan.yaml"),
        ("progress.2023-S1.AO-1.1.notes", "progress.", "the notes of progress reports"),
    ],
)
def test_a_written_id_that_begins_like_a_generated_one_is_refused(project, written, start, what):
    """Else the English PAO printed another paragraph's translation, and validate passed."""
    check_mistake(project, Mistake(
        ((CONTEXT, RECORD_SEIZURES, f"{{#{written}}}"),), CONTEXT, "Las estadísticas",
        f"block id '{written}' is reserved: ids beginning with '{start}' name {what} "
        "(a translation could go to the wrong paragraph); choose another id",
        "prose.reserved-id",
    ))


def test_a_written_id_that_only_looks_like_an_action_id_is_accepted(project):
    project.edit(CONTEXT, RECORD_SEIZURES, "{#AO-1.1-context}")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert errors(result) == []  # (a new id has no translation yet: a warning)


def test_ids_written_apart_that_make_the_same_key_are_refused(project):
    """An action 'fn' and a footnote [^summary] would both name a paragraph 'fn.summary.1'."""
    project.edit(PLAN, "  - id: AO-1.1\n", "  - id: fn\n")
    project.edit(CONTEXT, "[^gfi-2020]", "[^summary]", count=2)
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    footnote = at(project, CONTEXT, "Narcotics Proceeds")
    assert errors(result) == [(
        at(project, PLAN, "Coordinar los esfuerzos"),
        "ERROR",
        f"this text and the one at {footnote} get the same name, 'fn.summary.1', from their ids: "
        "rename one (an action's, KPI's or activity's id, or a footnote label) so that catalogs tell them apart",
        "plan.duplicate-id",
    )]


# ---------------------------------------------------------------- YAML: aliases and nesting


def test_an_anchor_and_its_alias_are_refused_where_they_are_written(project):
    project.edit(PLAN, "co_leads: [EC, SV]", "co_leads: &leads [EC, SV]")
    project.edit(PLAN, "participants: [DO]", "participants: *leads")
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert errors(result) == [
        (at(project, PLAN, "&leads"), "ERROR",
         "YAML anchor '&leads': source files do not use anchors, remove it (and write out in full what its aliases repeat)",
         "yaml.alias"),
        (at(project, PLAN, "*leads"), "ERROR",
         "YAML alias '*leads': source files do not use aliases, write the value out in full here", "yaml.alias"),
    ]


def test_a_billion_laughs_is_refused_before_anything_is_expanded(project):
    """A dozen lines whose aliases expand to 10^9 values kept validate busy for minutes."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, current in zip("abcdefghi", "bcdefghij"):
        lines.append(f"{current}: &{current} [{', '.join([f'*{previous}'] * 9)}]")
    project.path(PLAN).write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    found = errors(result)
    assert len(found) == 10 + 9 * 9  # every anchor and every alias, each at its place
    assert {code for *_, code in found} == {"yaml.alias"}
    assert found[0] == (f"{PLAN}:1:4", "ERROR", "YAML anchor '&a': source files do not use anchors, remove it "
                        "(and write out in full what its aliases repeat)", "yaml.alias")
    assert found[-1] == (f"{PLAN}:10:{lines[-1].rindex('*i') + 1}", "ERROR",
                         "YAML alias '*i': source files do not use aliases, write the value out in full here", "yaml.alias")


DEEP = "values nested more than 50 levels deep: a source file needs far fewer (is a bracket left open?)"


def test_yaml_nested_too_deep_is_refused_at_the_level_too_many(project):
    """At the 50th bracket of 60, the 51st level with the mapping that holds it (libyaml's own limit is 1000)."""
    check_mistake(project, Mistake(
        ((PLAN, "origin: \"\"\n", "origin: \"\"\nextra: " + "[" * 60 + "]" * 60 + "\n"),),
        PLAN, "[" * 11 + "]", DEEP, "yaml.too-deep", line="extra: [",
    ))


def test_a_report_indented_too_deep_is_refused(project):
    text = project.path(S1).read_text(encoding="utf-8")
    project.path(S1).write_text(text + "".join("  " * i + f"k{i}:\n" for i in range(700)), encoding="utf-8")
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    line = project.line_of(S1, "k50:")  # the 51st mapping is the value of k49: it starts with k50
    assert errors(result) == [(f"{S1}:{line}:{2 * 50 + 1}", "ERROR", DEEP, "yaml.too-deep")]


# ---------------------------------------------------------------- Markdown: nested lists


CANNABIS = "## Cannabis {#ctx-cannabis}"
LIST_TOO_DEEP = "a list nested 4 levels deep: lists nest at most 3 levels (the documents have list styles for 3)"


def test_a_list_nested_four_deep_is_refused_at_the_fourth_list(project):
    """markdown-it stops at 20 levels of tokens and drops the rest without a word: pao stops first."""
    deep = "- uno {#deep-1}\n  - dos {#deep-2}\n    - tres {#deep-3}\n      - cuatro {#deep-4}\n\n"
    check_mistake(project, Mistake(
        ((CONTEXT, CANNABIS, deep + CANNABIS),), CONTEXT, "- cuatro", LIST_TOO_DEEP, "prose.too-deep",
    ))


def test_a_list_nested_three_deep_is_accepted(project):
    project.edit(CONTEXT, CANNABIS, "- uno {#deep-1}\n  - dos {#deep-2}\n    - tres {#deep-3}\n\n" + CANNABIS)
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert errors(result) == []  # (new paragraphs have no translation yet: warnings)


def test_a_list_nested_ten_thousand_deep_on_one_line_is_one_error(project):
    project.edit(CONTEXT, CANNABIS, "- " * 10_000 + "x {#deep}\n\n" + CANNABIS)
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert errors(result) == [(f"{CONTEXT}:{project.line_of(CONTEXT, '- - - -')}:1", "ERROR", LIST_TOO_DEEP, "prose.too-deep")]


def test_block_quotes_nested_25_deep_are_one_error(project):
    """The quote is the mistake, once; the text below the 20 levels markdown-it reads is not judged."""
    project.edit(CONTEXT, CANNABIS, "> " * 25 + "x {#quote}\n\n" + CANNABIS)
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert errors(result) == [
        (at(project, CONTEXT, "> > >"), "ERROR", "a block quote (>) is not supported here", "prose.unsupported")
    ]


def test_a_list_nested_too_deep_in_plan_yaml_is_located_in_the_yaml(project):
    deep = "      - a\n        - b\n          - c\n            - d\n\n"
    check_validate(project, Mistake(
        ((PLAN, "      Coordinar los esfuerzos", deep + "      Coordinar los esfuerzos"),),
        PLAN, "- d", LIST_TOO_DEEP, "prose.too-deep",
    ))


# ---------------------------------------------------------------- file size


def test_a_markdown_file_over_the_limit_is_refused_where_plan_yaml_names_it(project):
    snapshot = build_then_break(project)
    path = project.path(CONTEXT)
    path.write_bytes(path.read_bytes() + b"\n" + b"x" * MAX_FILE_BYTES)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert errors(result) == [(
        at(project, PLAN, "context.md"), "ERROR",
        f"context: 'context.md' is {path.stat().st_size} bytes long: a source file is at most 4000000 bytes (4 MB)",
        "source.too-large",
    )]


def test_a_report_over_the_limit_is_refused_at_the_file(project):
    path = project.path(S1)
    path.write_bytes(path.read_bytes() + b"#" * MAX_FILE_BYTES + b"\n")
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert errors(result) == [(
        S1, "ERROR",
        f"'progress/2023-S1.yaml' is {path.stat().st_size} bytes long: a source file is at most 4000000 bytes (4 MB)",
        "source.too-large",
    )]


def test_a_report_of_exactly_the_limit_is_read(project):
    path = project.path(S1)
    text = path.read_bytes()
    path.write_bytes(text + b"#" * (MAX_FILE_BYTES - len(text) - 1) + b"\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == []


# ---------------------------------------------------------------- files: regular, inside their folder


def outside_link(project, relative: str) -> str:
    """Move a source file out of the project's source/ and leave a link to it; returns where it went."""
    source = project.path(relative)
    elsewhere = project.path("elsewhere") / source.name
    elsewhere.parent.mkdir(exist_ok=True)
    source.rename(elsewhere)
    source.symlink_to(elsewhere)
    return f"elsewhere/{source.name}"


def link_message(name: str, target: str, folder: str) -> str:
    return (
        f"'{name}' is a link to '{target}', outside '{folder}': source files must be inside it "
        "(copy the file there instead of linking to it)"
    )


@pytest.mark.parametrize(
    "relative, name, folder",
    [
        pytest.param(PLAN, "plan.yaml", FOLDER, id="plan.yaml"),
        pytest.param(S1, "progress/2023-S1.yaml", FOLDER, id="a progress report"),
        pytest.param(ORGANISATIONS, "organisations.yaml", "source", id="organisations.yaml"),
    ],
)
def test_a_yaml_source_that_links_outside_its_folder_is_refused(project, relative, name, folder):
    """Prose files were refused so, but plan.yaml, reports and organisations.yaml were read wherever they led."""
    snapshot = build_then_break(project)
    target = outside_link(project, relative)
    result = project.pao("build", "--format", "docx")
    assert_refused(project, result, snapshot)
    assert errors(result) == [(relative, "ERROR", link_message(name, target, folder), "source.outside")]


def test_a_prose_file_that_links_outside_the_plan_is_refused_where_plan_yaml_names_it(project):
    target = outside_link(project, CONTEXT)
    check_validate(project, Mistake(
        (), PLAN, "context.md", "context: " + link_message("context.md", target, FOLDER), "source.outside",
    ))


def test_a_link_to_another_file_of_the_same_folder_is_read(project):
    context = project.path(CONTEXT)
    kept = project.plan / "drafts" / "context-v2.md"
    kept.parent.mkdir()
    context.rename(kept)
    context.symlink_to(kept)
    result = project.pao("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert problems(result) == []


def test_a_folder_named_like_a_report_is_refused(project):
    project.path(f"{PROGRESS}/2024-S1.yaml").mkdir()
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert errors(result) == [
        (f"{PROGRESS}/2024-S1.yaml", "ERROR", "'progress/2024-S1.yaml' is a folder, not a file", "source.not-a-file")
    ]


# ---------------------------------------------------------------- BOM and CRLF


def with_bom_and_crlf(project) -> list[str]:
    """Every YAML and Markdown source saved as a Windows editor may save it; returns their paths."""
    saved = []
    for path in sorted(project.path("source").rglob("*")):
        if path.suffix in (".yaml", ".md"):
            text = path.read_text(encoding="utf-8")
            path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
            saved.append(str(path.relative_to(project.folder)))
    return saved


def test_sources_with_bom_and_crlf_build_the_golden_documents(project):
    saved = with_bom_and_crlf(project)
    assert {PLAN, CONTEXT, S1, ORGANISATIONS} <= set(saved)
    result = project.pao("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert problems(result) == []
    result = project.pao("build", "--format", "docx", "-q")
    assert result.exit_code == 0, result.output
    golden = json.loads((GOLDEN / SHA256).read_text(encoding="utf-8"))
    assert digests(project.path("build")) == golden


@pytest.mark.parametrize(
    "relative, old, new, needle, message, code",
    [
        pytest.param(
            CONTEXT, "El narcotráfico de cocaína", "El `narcotráfico` de cocaína", "`narcotráfico`",
            "inline code (`…`) is not supported in plan prose: to show backticks, escape them as \\`", "prose.unsupported",
            id="Markdown, first line",
        ),
        pytest.param(
            PLAN, "# yaml-language-server: $schema=../../docs/schema/plan.schema.json", "titel: x", "titel",
            "titel: unknown key (did you mean 'title'?)", "schema.unknown-key",
            id="YAML, first line",
        ),
        pytest.param(
            PLAN, "lead: AR", "lead: ar", "ar", "lead: 'ar': write country codes in capitals ('AR')", "plan.unknown-country",
            id="YAML",
        ),
    ],
)
def test_a_mistake_in_a_file_with_bom_and_crlf_is_located_as_the_editor_shows_it(project, relative, old, new, needle, message, code):
    project.edit(relative, old, new)
    line = project.line_of(relative, new)
    col = project.path(relative).read_text(encoding="utf-8").split("\n")[line - 1].index(needle) + 1
    with_bom_and_crlf(project)
    result = project.pao("validate")
    assert result.exit_code == 1, result.output
    assert errors(result) == [(f"{relative}:{line}:{col}", "ERROR", message, code)]
