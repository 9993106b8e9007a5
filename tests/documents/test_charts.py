"""The charts of a progress annex draw what people wrote as text.

Found while writing the property tests (tests/properties/), by looking at
where an action's reference shows: matplotlib read ``$…$`` in it as a
formula, so "AO $x^$" stopped the build with a traceback, and "AO $1$" would
have been drawn as a formula.
"""
from __future__ import annotations

from tests.conftest import PLAN_ID

PLAN = f"source/{PLAN_ID}/plan.yaml"
ANNEX = f"build/{PLAN_ID}/es/anexo-{PLAN_ID}-2023-S1-es.docx"


def test_an_action_reference_with_dollar_signs_is_charted_as_text(project):
    project.edit(PLAN, "reference: AO 1.1", "reference: AO $x^$ 1.1")
    result = project.pao("build", "--format", "docx", "--only", "2023-S1", "--lang", "es", "-q")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    shown = project.pao("text", ANNEX)
    assert "### AO $x^$ 1.1 · " in shown.output


def test_matplotlib_is_imported_without_writing_the_help_of_set_and_set_still_works():
    from generator.documents import charts

    charts._matplotlib()
    from matplotlib.lines import Line2D  # defined after pao's import: its set() is matplotlib's, without help

    line = Line2D([0, 1], [0, 1])
    line.set(linewidth=2.5, color="#1F3A68", label="AO 1.1 & <2>")
    assert (line.get_linewidth(), line.get_color(), line.get_label()) == (2.5, "#1F3A68", "AO 1.1 & <2>")
    assert Line2D.set.__doc__ is None  # a third of matplotlib's import, which no chart reads
