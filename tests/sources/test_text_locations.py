"""A mistake in a text of a YAML file is reported on a line of that text, however the value is written.

Found by ``tests/properties/``: the errors pointed at lines that hold something else.

* A block scalar (``|``) whose text starts with blank lines keeps them, so its
  text's lines are counted from the line below the ``|``.
* The text of a quoted value has lines the file does not have (``\\n``
  escapes, folded lines): a problem on a later line of the text is reported
  where the value starts.
"""
from __future__ import annotations

from tests.sources.test_validation import PLAN, at, errors

KPI_TEXT = "text: Número de reuniones de intercambio de inteligencia criminal."
REPORT = "source/cocaina-2022/progress/2023-S1.yaml"


def test_markdown_a_note_cannot_hold_after_a_blank_first_line_is_reported_on_its_own_line(project):
    project.edit(REPORT, "      intelligence-meetings: {value: 1}\n", "      intelligence-meetings:\n        value: 1\n        notes: |\n\n          > citado\n")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert errors(result) == [(at(project, REPORT, "> citado"), "ERROR", "a block quote (>) is not supported here", "prose.unsupported")]


def test_markdown_a_quoted_kpi_text_cannot_hold_is_reported_where_the_value_starts(project):
    project.edit(PLAN, KPI_TEXT, 'text: "aaaa  \\n\\n    a"')
    result = project.pao("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert errors(result) == [
        (at(project, PLAN, "aaaa"), "ERROR", "an indented code block (a line indented by 4 spaces) is not supported here", "prose.unsupported"),
    ]


def test_a_character_a_document_cannot_hold_after_an_escaped_line_break_is_reported_where_the_value_starts(project):
    project.edit(PLAN, "reference: AO 1.1", 'reference: "AO\\n\\n\\n\\u0001"')
    result = project.pao("validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    where = at(project, PLAN, "AO\\n")
    assert errors(result) == [
        (where, "ERROR", "actions[0].reference: character U+0001 cannot be stored in a Word document: delete it", "text.forbidden-character"),
        (where, "ERROR", "actions[0].reference: must be one line (no line breaks or tabs)", "text.multiline"),
    ]
