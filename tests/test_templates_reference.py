"""docs/templates.md: its reference part is written from the contexts the kinds build, and a test fails when it is stale."""
from __future__ import annotations

import dataclasses

import pytest

from generator.documents import kinds, reference
from tests.conftest import ROOT, Project

PAGE = ROOT / "docs" / "templates.md"


def test_the_reference_in_the_docs_is_up_to_date(project: Project):
    result = project.pao("templates", "reference", "--check", "--out", str(PAGE))
    assert (result.exit_code, result.output) == (0, "")


@pytest.fixture
def a_new_variable(monkeypatch):
    """A variable added to the fact sheet's context, as a change to pao would add it."""
    sheet = kinds.kind("sheet")

    def context(edition, action, text):
        return {**sheet.context(edition, action, text), "funding": {"amount": "12 000 EUR", "sources": ["EU"]}}

    monkeypatch.setattr(reference, "KINDS", tuple(dataclasses.replace(k, context=context) if k is sheet else k for k in kinds.KINDS))


def test_a_variable_added_to_a_context_without_documentation_fails_the_check(project: Project, a_new_variable):
    result = project.pao("templates", "reference", "--check", "--out", str(PAGE))
    assert result.exit_code == 1
    assert result.output == f"Error: out of date: {PAGE}; run 'pao templates reference'\n"


def test_writing_the_reference_documents_the_new_variable_and_keeps_the_guide(project: Project, a_new_variable):
    page = project.path("templates.md")
    page.write_text(PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    result = project.pao("templates", "reference", "--out", str(page))
    assert result.exit_code == 0
    written = page.read_text(encoding="utf-8")
    assert "| `funding` | group |  |\n| `funding.amount` | text | 12 000 EUR |\n" in written
    assert "| `funding.sources` | list of: text; a loop: `{% for sources_item in funding.sources %}` | 1 item(s) in the first document |" in written
    guide = PAGE.read_text(encoding="utf-8").split(reference.BEGIN)[0]
    assert written.startswith(guide)
    assert written.endswith(reference.END + "\n")
    assert project.pao("templates", "reference", "--check", "--out", str(page)).exit_code == 0


def test_the_reference_names_every_variable_with_its_type_and_example():
    text = PAGE.read_text(encoding="utf-8")
    for row in (
        "| `plan.title` | text | Plan de acción operativo 2022-2024 |",
        "| `ao.kpis` | list of: group; a loop: `{% for kpis_item in ao.kpis %}` | 3 item(s) in the first document |",
        "| `ao.kpis[].text` | a line of prose: `{{r kpis_item.text }}` | Número de reuniones de intercambio de inteligencia criminal. |",
        "| `status` | group or nothing (the part is left out: test it with `{% if status %}`) |  |",
        "| `introduction` | paragraphs of prose: `{{p introduction }}` alone in its paragraph |",
        "| `charts` | list of: a chart (a paragraph): `{{p charts_item }}`; a loop: `{% for charts_item in charts %}` | 2 item(s) in the first document |",
        "| `l.kpis` |",
        "- `Footnote Text`",
    ):
        assert row in text, row
