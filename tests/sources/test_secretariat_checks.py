"""Checks a secretariat relies on (issue 16, item 6): slips that used to pass, each a located message."""
from __future__ import annotations

from generator.model.plan import Target
from generator.translation.words import Words

from .test_validation import CONTEXT, PLAN, at, errors, problems


def test_two_actions_printing_the_same_reference_are_an_error_at_the_second(project):
    project.edit(PLAN, "reference: AO 1.1", "reference: Acción conjunta")
    project.edit(PLAN, "reference: AO 2.1", "reference: Acción  conjunta  # copied")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [(
        at(project, PLAN, "Acción  conjunta  # copied"),
        "ERROR",
        "actions[1].reference: 'Acción  conjunta' is already the reference of actions[0] (AO-1.1): each action prints its own reference",
        "plan.duplicate-reference",
    )]


def test_a_reference_that_contradicts_its_id_is_an_error_at_the_reference(project):
    project.edit(PLAN, "reference: AO 3.1", "reference: AO 3.7")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert errors(result) == [(
        at(project, PLAN, "AO 3.7"),
        "ERROR",
        "actions[2].reference: 'AO 3.7' is numbered 3.7 but the action's id 'AO-3.1' is numbered 3.1: correct the one that is wrong",
        "plan.reference",
    )]


def test_a_reference_without_a_number_or_spaced_differently_is_accepted(project):
    project.edit(PLAN, "reference: AO 3.1", "reference: Acción tres")
    project.edit(PLAN, "reference: AO 4.1", "reference: AO  4.1")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert errors(result) == []


def test_an_empty_plan_level_lead_is_a_warning_that_strict_makes_an_error(project):
    project.edit(PLAN, "lead: AR\n", "lead:\n")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
    assert problems(result) == [(
        at(project, PLAN, "lead:"),
        "WARNING",
        "lead: the plan names no lead country: its header's lead cell will be empty",
        "consistency.no-lead",
    )]
    assert project.pao("validate", "--strict").exit_code == 1


def test_a_footnote_mark_used_twice_on_one_line_is_reported_at_the_second_mark(project):
    old = "(GFI)[^gfi-2020]. {#ctx-main-threat}"
    project.edit(CONTEXT, old, "(GFI)[^gfi-2020] y otra vez[^gfi-2020]. {#ctx-main-threat}")
    result = project.pao("validate")
    assert result.exit_code == 1
    line = project.line_of(CONTEXT, "otra vez[^gfi-2020]")
    text = project.path(CONTEXT).read_text(encoding="utf-8").split("\n")[line - 1]
    column = text.index("otra vez[^gfi-2020]") + len("otra vez") + 1
    assert errors(result) == [(
        f"{CONTEXT}:{line}:{column}",
        "ERROR",
        "footnote [^gfi-2020] is referenced 2 times: a Word footnote has one mark; define a second footnote",
        "footnote.repeated",
    )]


def test_a_percent_sign_in_counted_keeps_the_languages_spacing_after_the_number():
    target = Target("at_least", 80, None, "% de víctimas derivadas", written_at={})
    assert Words("es", {}).target(target) == "Al menos 80\u00a0% de víctimas derivadas"
    english = Target("at_least", 80, None, "% of victims referred", written_at={})
    assert Words("en", {}).target(english) == "At least 80% of victims referred"
    assert Words("es", {}).target(Target("exactly", 2, None, "productos", written_at={})) == "2 productos"


# ---------------------------------------------------------------- names complete in every language (item 4)

ORGANISATIONS = "source/organisations.yaml"


def test_an_organisation_without_a_name_in_a_language_the_plan_is_built_in_is_an_error_where_its_names_are(project):
    project.edit(ORGANISATIONS, "  name: {es: Organización Mundial de Aduanas, en: World Customs Organization,\n"
                 "         pt: Organização Mundial das Alfândegas, fr: Organisation mondiale des douanes}",
                 "  name: {es: Organización Mundial de Aduanas}")
    project.edit(PLAN, "    participants: [CL, DO]", "    participants: [CL, wco, DO]")
    result = project.pao("validate")
    assert result.exit_code == 1
    used = at(project, PLAN, "wco")
    assert errors(result) == [
        (at(project, ORGANISATIONS, "name:", line="name: {es: Organización Mundial de Aduanas}"), "ERROR",
         f"wco.name: no {name} name ({code}), and plan 'cocaina-2022' is built in {name}, where wco takes part ({used}): "
         f"add '{code}: …' to its names",
         "organisation.missing-name")
        for code, name in (("en", "English"), ("pt", "Portuguese"))
    ]


def test_an_organisation_missing_a_language_no_plan_is_built_in_is_accepted(project):
    project.edit(ORGANISATIONS, ", fr: Organisation mondiale des douanes}", "}")
    project.edit(PLAN, "    participants: [CL, DO]", "    participants: [CL, wco, DO]")
    result = project.pao("validate")
    assert result.exit_code == 0, result.output
