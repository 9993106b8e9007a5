"""Translations: catalogs a translator's tool reads, kept in step with the original, and documents in every language."""
from __future__ import annotations

import io
import re

import docx
import pytest
from babel.messages.pofile import read_po

from generator.translation.labels import LABELS, LAYOUT_CATALOGS, LAYOUT_LANGUAGES, PLURAL_LABELS
from generator.translation.words import Words
from tests.conftest import PLAN_ID, ROOT
from tests.docx_reader import body_paragraphs, footnotes, tables

CATALOG = "source/cocaina-2022/locale/{language}.po"
CONTEXT = "source/cocaina-2022/context.md"
OLD = "El tráfico de cocaína es una de las principales actividades criminales relacionada con esta prioridad."
NEW = "El tráfico de cocaína es la principal actividad criminal relacionada con esta prioridad."


def catalog(project, language: str):
    from generator.diagnostics import Diagnostics
    from generator.translation.catalogs import read

    return read(project.path(CATALOG.format(language=language)), language, Diagnostics())


def document(built, language: str, name: str = "pao-{plan}-{language}") -> bytes:
    return (built / PLAN_ID / language / (name.format(plan=PLAN_ID, language=language) + ".docx")).read_bytes()


def test_the_shipped_catalogs_are_complete_and_up_to_date(project):
    result = project.pao("translations", "update")
    assert result.exit_code == 0, result.output
    assert f"{CATALOG.format(language='en')}  (unchanged)" in result.stdout.replace(str(project.folder) + "/", "")
    for language in ("en", "pt"):
        assert project.path(CATALOG.format(language=language)).read_bytes() == (ROOT / CATALOG.format(language=language)).read_bytes()
    status = project.pao("translations", "status", "--check")
    assert status.exit_code == 0, status.output
    assert re.search(r"cocaina-2022\s+en\s+published\s+17\d \(\s*\d+ w\)\s+0 \(\s+0 w\)\s+0 \(\s+0 w\)", status.stdout), status.stdout


@pytest.mark.parametrize("language", ["en", "pt"])
def test_a_translated_build_uses_every_translation_and_leaves_no_spanish(built, language):
    texts = {}
    for path in sorted((built / PLAN_ID / language).glob("*.docx")):
        data = path.read_bytes()
        texts[path.name] = " ".join(body_paragraphs(data)) + " " + " ".join(footnotes(data).values())
    everything = " ".join(texts.values())
    messages = read_po(io.BytesIO((ROOT / CATALOG.format(language=language)).read_bytes()), locale=language)
    for message in messages:
        if not message.id:
            continue
        assert message.string and not message.fuzzy, message.context
        # a plan's catalog holds singular messages, each under its key
        assert isinstance(message.id, str) and message.context is not None, message.id
        original = re.sub(r"\[\^[^\]]+\]|[*\\]", "", message.id)
        if message.string != message.id and len(original.split()) >= 4 and not message.context.startswith("fn."):
            assert original not in everything, f"Spanish left in {language}: {message.context}"
    for label in ("Calendario", "Indicadores principales de rendimiento", "Actividades", "Resumen de los objetivos"):
        assert label not in everything, label


def test_the_english_pao_reads_in_english_with_cldr_names_and_amounts(built):
    data = document(built, "en")
    header = tables(data)[0]
    assert header[4] == ["Lead country", "Argentina"]
    assert header[6][1] == "Bolivia, Chile, Costa Rica, Panama, Peru, Dominican Republic, Uruguay."
    kpis = next(t for t in tables(data) if t[0][0].endswith("OA 2.1"))[6][0]
    assert "e.1) Target. At least $2M seized per operation." in kpis.split("\n")  # USD is the dollar of English (en-US)
    assert docx.Document(io.BytesIO(data)).core_properties.language == "en-US"
    assert len(footnotes(data)) == 17


def test_the_portuguese_pao_has_portuguese_names_and_amounts(built):
    data = document(built, "pt")
    header = tables(data)[0]
    assert header[6][1] == "Bolívia, Chile, Costa Rica, Panamá, Peru, República Dominicana, Uruguai."
    kpis = next(t for t in tables(data) if t[0][0].endswith("AO 2.1"))[6][0]
    assert any(line.startswith("e.1) ") and "2\u00a0mi\u00a0USD" in line for line in kpis.split("\n")), kpis
    assert docx.Document(io.BytesIO(data)).core_properties.language == "pt-BR"


def test_a_changed_spanish_paragraph_becomes_fuzzy_in_every_catalog_with_its_previous_text(project):
    project.edit(CONTEXT, OLD, NEW)
    result = project.pao("translations", "update")
    assert result.exit_code == 0, result.output
    for language in ("en", "pt"):
        fuzzy = [m for m in catalog(project, language) if m.fuzzy and m.id]
        assert [(m.context, m.id, m.previous_id) for m in fuzzy] == [("ctx-cocaine-main-activity", NEW, [OLD])]
        assert fuzzy[0].string  # the old translation is kept for the translator
        text = project.path(CATALOG.format(language=language)).read_text(encoding="utf-8")
        assert f'#| msgid "{OLD}"' in text
    build = project.pao("build", "--format", "docx", "--lang", "en", "--only", "pao")
    assert build.exit_code == 0
    line = next(m.lineno for m in catalog(project, "en") if m.fuzzy and m.id)
    assert (
        f"{CATALOG.format(language='en')}:{line}: WARNING: the English translation of 'ctx-cocaine-main-activity' is fuzzy "
        "(its original changed): the original text is used until it is reviewed [i18n.fuzzy]"
    ) in build.stderr
    assert NEW in body_paragraphs(project.path(f"build/{PLAN_ID}/en/pao-{PLAN_ID}-en.docx").read_bytes())
    strict = project.pao("build", "--format", "docx", "--lang", "en", "--strict")
    assert strict.exit_code == 1 and "[i18n.fuzzy]" in strict.stderr
    assert project.pao("translations", "status", "--check").exit_code == 1


def test_updating_twice_changes_nothing_the_second_time(project):
    project.edit(CONTEXT, OLD, NEW)
    assert project.pao("translations", "update").exit_code == 0
    before = {language: project.path(CATALOG.format(language=language)).read_bytes() for language in ("en", "pt")}
    again = project.pao("translations", "update")
    assert again.stdout.count("(unchanged)") == 2
    assert {language: project.path(CATALOG.format(language=language)).read_bytes() for language in ("en", "pt")} == before


def test_a_removed_message_keeps_its_translation_as_an_obsolete_entry(project):
    project.edit(CONTEXT, f"- {OLD} {{#ctx-cocaine-main-activity}}\n", "")
    assert project.pao("translations", "update").exit_code == 0
    obsolete = catalog(project, "en").obsolete
    kept = [m for m in obsolete.values() if m.context == "ctx-cocaine-main-activity"]
    assert kept and kept[0].id == OLD and kept[0].string
    assert "#~ msgctxt \"ctx-cocaine-main-activity\"" in project.path(CATALOG.format(language="en")).read_text(encoding="utf-8")
    # and it comes back, translated, when the paragraph does
    project.edit(CONTEXT, "## Cannabis", f"- {OLD} {{#ctx-cocaine-main-activity}}\n\n## Cannabis")
    assert project.pao("translations", "update").exit_code == 0
    revived = next(m for m in catalog(project, "en") if m.context == "ctx-cocaine-main-activity")
    assert revived.string and not revived.fuzzy


def _break_catalog(project, language: str, old: str, new: str) -> int:
    path = project.path(CATALOG.format(language=language))
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_a_catalog_with_a_syntax_error_is_reported_at_its_line(project):
    assert project.pao("build", "--format", "docx", "--only", "pao", "-q").exit_code == 0
    snapshot = project.build_snapshot()
    line = _break_catalog(project, "en", 'msgctxt "intro-adoption"', 'msgctxt "intro-adoption')
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1 and "Traceback" not in result.output
    error = next(line for line in result.stderr.split("\n") if "[i18n.syntax]" in line)
    assert re.match(rf"{re.escape(CATALOG.format(language='en'))}:{line}:1: ERROR: PO syntax error: ", error), error
    assert project.build_snapshot() == snapshot


def test_a_catalog_with_the_wrong_number_of_plural_forms_is_reported(project):
    old = "Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"
    line = _break_catalog(project, "pt", old, "Plural-Forms: nplurals=2; plural=(n > 1);")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert (
        f"{CATALOG.format(language='pt')}:{line}:1: ERROR: Plural-Forms says nplurals=2, but pt has 3 plural forms in CLDR: "
        f"use 'nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;' [i18n.plural-forms]"
    ) in result.stderr


def test_a_translation_that_drops_a_footnote_mark_or_a_link_is_reported_at_its_entry(project):
    assert project.pao("build", "--format", "docx", "--only", "pao", "-q").exit_code == 0
    snapshot = project.build_snapshot()
    text = project.path(CATALOG.format(language="en")).read_text(encoding="utf-8")
    entry = re.search(r'msgctxt "ctx-main-threat"\nmsgid "[^\n]*"\nmsgstr "([^\n]*)"', text)
    assert entry is not None, "no 'ctx-main-threat' entry in the catalog"
    assert "[^gfi-2020]" in entry[1]
    _break_catalog(project, "en", entry[0], entry[0].replace(entry[1], entry[1].replace("[^gfi-2020]", "")))
    line = text[: entry.start()].count("\n") + 2  # the entry's msgid line
    result = project.pao("build", "--format", "docx")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        f"{CATALOG.format(language='en')}:{line}: ERROR: the translation of 'ctx-main-threat' drops the footnote [^gfi-2020]: "
        "keep the original's footnote marks and links [i18n.markup]"
    ) in result.stderr
    assert project.build_snapshot() == snapshot


def test_an_untranslated_message_falls_back_to_the_original_with_a_warning(project):
    text = project.path(CATALOG.format(language="pt")).read_text(encoding="utf-8")
    entry = re.search(r'(msgctxt "intro-adoption"\nmsgid "([^\n]*)"\nmsgstr ")([^\n]*)"', text)
    assert entry is not None, "no 'intro-adoption' entry in the catalog"
    _break_catalog(project, "pt", entry[0], entry[1] + '"')
    result = project.pao("build", "--format", "docx", "--lang", "pt", "--only", "pao")
    assert result.exit_code == 0
    assert "WARNING: 'intro-adoption' has no Portuguese translation: the original text is used [i18n.untranslated]" in result.stderr
    assert entry[2] in body_paragraphs(project.path(f"build/{PLAN_ID}/pt/pao-{PLAN_ID}-pt.docx").read_bytes())


@pytest.mark.parametrize("language", LAYOUT_LANGUAGES)
def test_the_layout_catalogs_translate_every_label_and_every_plural_form(language):
    messages = read_po(io.BytesIO((LAYOUT_CATALOGS / f"{language}.po").read_bytes()), locale=language, abort_invalid=True)
    by_key = {m.context: m for m in messages if m.id}
    assert set(by_key) == set(LABELS["es"]) | set(PLURAL_LABELS)
    for key, message in by_key.items():
        assert key is not None  # every key is a label (checked above)
        expected_id = PLURAL_LABELS.get(key, LABELS["es"].get(key))
        assert message.id == expected_id, f"{language}: {key} is out of date: run 'pao translations update --layout'"
        assert not message.fuzzy and all(message.string if isinstance(message.string, tuple) else (message.string,)), key
        if isinstance(message.string, tuple):
            assert len(message.string) == messages.num_plurals


@pytest.mark.parametrize(
    "language, n, expected",
    [
        ("es", 1, "1 actividad está retrasada."),
        ("es", 2, "2 actividades están retrasadas."),
        ("en", 1, "1 activity is overdue."),
        ("en", 2, "2 activities are overdue."),
        ("pt", 0, None),
        ("pt", 2, None),
        ("fr", 1_000_000, None),
    ],
)
def test_plural_labels_follow_each_languages_cldr_rules(language, n, expected):
    words = Words(language, {})
    text = words.plural("overdue_count", n)
    if expected:
        assert text == expected
    forms = words._plurals["overdue_count"]
    index = {"pt": lambda n: 0 if n in (0, 1) else (1 if n % 1_000_000 == 0 else 2), "fr": lambda n: 0 if n in (0, 1) else (1 if n % 1_000_000 == 0 else 2)}
    if language in index:
        assert text == forms[index[language](n)].format(n=words.number(n))


def test_a_catalog_that_cannot_be_read_is_one_error_not_one_warning_per_message(project):
    catalog = project.path(CATALOG.format(language="en"))
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""\nbroken line', 1), encoding="utf-8")
    result = project.pao("validate")
    assert result.exit_code == 1
    assert result.stderr.strip().split("\n") == [
        f"{CATALOG.format(language='en')}:5:1: ERROR: PO syntax error: not a keyword with a quoted string: broken line [i18n.syntax]",
        "1 error",
    ]


def test_a_missing_catalog_is_one_warning_and_the_edition_keeps_the_original_text(project):
    project.path(CATALOG.format(language="pt")).unlink()
    result = project.pao("build", "--only", "pao", "--lang", "pt", "--format", "docx", "-q")
    assert result.exit_code == 0
    assert result.stderr.strip().split("\n") == [
        f"{CATALOG.format(language='pt')}: WARNING: no catalog for pt: run 'pao translations update' [i18n.no-catalog]",
        "1 warning",
    ]
    paragraphs = body_paragraphs(project.path(f"build/{PLAN_ID}/pt/pao-{PLAN_ID}-pt.docx").read_bytes())
    assert any(p.startswith("Las delegaciones encontrarán a continuación el Plan de Acción Operativo") for p in paragraphs)


def test_a_catalog_linked_from_outside_the_plan_is_refused_like_every_source_file(project):
    catalog = project.path(CATALOG.format(language="en"))
    elsewhere = project.path("elsewhere-en.po")  # in the project, outside the plan's folder
    catalog.rename(elsewhere)
    catalog.symlink_to(elsewhere)
    for args in (("validate",), ("translations", "update")):
        result = project.pao(*args)
        assert result.exit_code == 1, args
        assert (
            f"{CATALOG.format(language='en')}: ERROR: 'locale/en.po' is a link to 'elsewhere-en.po', outside 'source/cocaina-2022': "
            "source files must be inside it (copy the file there instead of linking to it) [source.outside]"
        ) in result.stderr
    assert elsewhere.read_bytes() == catalog.read_bytes()  # not rewritten through the link
