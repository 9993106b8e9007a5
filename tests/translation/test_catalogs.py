"""Updating a catalog never loses what a translator wrote, and reading one locates every mistake in it.

The fixture catalogs in ``catalogs/`` are written as the translators' tools write
them: Poedit 3.4 (gettext's wrapping at 79 columns, ``X-Poedit-*`` header
fields), Weblate 5 (wrapped at 77, its header order, a wrapped Language-Team)
and Lokalize 23.08 (wrapped at 80), the last one then saved by a Windows editor
with a byte order mark and CRLF line ends.  Each has translator comments, a
fuzzy message with its previous original and an obsolete entry.
"""
from __future__ import annotations

import datetime
import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Location
from generator.translation import labels
from generator.translation.catalogs import Entry, read, write_catalog
from tests.conftest import PLAN_ID
from tests.translation.test_translations import CATALOG, CONTEXT, NEW, OLD, catalog

FIXTURES = Path(__file__).with_name("catalogs")
TOOLS = ("poedit", "weblate", "lokalize")
ADOPTION = "Conforme con las conclusiones sobre la evaluación de la amenaza transnacional, se invita al CLASI a adoptar el Plan de Acción Operativo 2022-2023 (PAO)."
STRENGTHENING = "Fortalecimiento de la cooperación en materia de inteligencia criminal."
ORIGINALS = {  # what the fixture catalogs translate: key, original, where it is written
    "plan.title": ("Plan de acción operativo 2022-2024", "source/cocaina-2022/plan.yaml", 2),
    "intro-delegations": (
        "Las delegaciones encontrarán a continuación el Plan de Acción Operativo 2022-2023 sobre la cocaína, el cannabis y los "
        "precursores químicos elaborado bajo la responsabilidad del país líder: Argentina, y de los colíderes Ecuador y El Salvador.",
        "source/cocaina-2022/introduction.md",
        1,
    ),
    "intro-adoption": (ADOPTION, "source/cocaina-2022/introduction.md", 3),
    "ctx-cocaine-main-activity": (OLD, "source/cocaina-2022/context.md", 17),
    "ctx-cocaine-networks": (
        "El 50% de los grupos pertenece a redes criminales y el 47% recurre al blanqueo de dinero[^ideal-2021-networks].",
        "source/cocaina-2022/context.md",
        20,
    ),
    "OE-1.title": (STRENGTHENING, "source/cocaina-2022/plan.yaml", 25),
}
# the changed entry as gettext's msgcat writes it, at 77, 79 and 80 columns alike
ADOPTION_FUZZY = """\
# Ana: PAO fica PAO (sigla do documento original).
#: source/cocaina-2022/introduction.md:3
#, fuzzy
#| msgid ""
#| "Conforme con las conclusiones sobre la evaluación de la amenaza "
#| "transnacional, se invita al CLASI a adoptar el Plan de Acción Operativo "
#| "2022-2023 (PAO)."
msgctxt "intro-adoption"
msgid ""
"Conforme con las conclusiones sobre la evaluación de la amenaza "
"transnacional, se invita al CLASI a adoptar el Plan de Acción Operativo "
"2022-2024 (PAO)."
""".splitlines()


def wanted(changed: dict[str, str] | None = None, without: str = "", extra: Entry | None = None) -> list[Entry]:
    """The fixtures' messages in document order, some originals ``changed``, one left out, one ``extra`` after the second."""
    entries = [
        Entry(key, (changed or {}).get(key, text), Location(file, line), prose=True) for key, (text, file, line) in ORIGINALS.items() if key != without
    ]
    return entries[:2] + [extra] + entries[2:] if extra else entries


def update(path: Path, entries: list[Entry], diagnostics: Diagnostics | None = None) -> bool:
    created = datetime.datetime(2022, 6, 1, tzinfo=datetime.timezone.utc)
    return write_catalog(path, "pt", entries, f"pao: {PLAN_ID}", created, "# a new catalog", diagnostics or Diagnostics())


def lines(path: Path) -> list[str]:
    """The file's lines without their line ends (or a byte order mark)."""
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8").replace("\r\n", "\n").split("\n")


def entry(found: list[str], first_line: str) -> tuple[int, int]:
    """(start, end) of the entry whose first line is ``first_line``: up to the blank line after it."""
    start = found.index(first_line)
    return start, next(i for i in range(start, len(found)) if not found[i].strip())


def messages(path: Path) -> dict[str, Any]:
    diagnostics = Diagnostics()
    found = read(path, "pt", diagnostics)
    assert found is not None and not diagnostics.items, diagnostics.items
    return {m.context: m for m in found if m.id and m.context}


@pytest.fixture(params=TOOLS)
def saved(request, tmp_path) -> Path:
    """A catalog as a translator's tool saved it."""
    path = tmp_path / "pt.po"
    shutil.copy(FIXTURES / f"{request.param}-pt.po", path)
    return path


def test_an_update_with_no_original_changed_leaves_the_catalog_as_the_tool_saved_it(saved):
    before = saved.read_bytes()
    assert update(saved, wanted()) is False
    assert saved.read_bytes() == before


def test_an_update_rewrites_only_the_entry_whose_original_changed(saved):
    before = saved.read_bytes()
    old = lines(saved)
    assert update(saved, wanted({"intro-adoption": ADOPTION.replace("2022-2023", "2022-2024")})) is True
    start, end = entry(old, "# Ana: PAO fica PAO (sigla do documento original).")
    translation = next(i for i in range(start, end) if old[i].startswith("msgstr"))
    # the header, the translator's comments, the wrapping of every other entry and its own translation as they were
    assert lines(saved) == old[:start] + ADOPTION_FUZZY + old[translation:]
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == (data.count(b"\n") if b"\r\n" in before else 0)
    assert update(saved, wanted({"intro-adoption": ADOPTION.replace("2022-2023", "2022-2024")})) is False
    assert saved.read_bytes() == data


def test_a_new_message_follows_its_place_in_the_document_and_a_removed_one_becomes_obsolete_at_the_end(saved):
    before = saved.read_bytes()
    old = lines(saved)
    scope = Entry("intro-scope", "El plan cubre 2022 y 2023.", Location("source/cocaina-2022/introduction.md", 2), prose=True)
    assert update(saved, wanted(without="ctx-cocaine-networks", extra=scope)) is True
    delegations = entry(old, "# Ana: «co-líderes» com hífen, como no glossário do CLASI.")[1]
    start, end = entry(old, "#: source/cocaina-2022/context.md:20")
    added = ["", "#: source/cocaina-2022/introduction.md:2", 'msgctxt "intro-scope"', 'msgid "El plan cubre 2022 y 2023."', 'msgstr ""']
    obsolete = ["", "#, python-format", *("#~ " + line for line in old[start + 2 : end])]
    assert old[start + 1] == "#, python-format" and old[-1] == ""
    assert lines(saved) == old[:delegations] + added + old[delegations : start - 1] + old[end:-1] + obsolete + [""]
    # and the message comes back, translated, where it was: the file is again as the tool saved it
    assert update(saved, wanted()) is True
    assert saved.read_bytes() == before


def test_a_fuzzy_message_whose_original_did_not_change_stays_fuzzy(saved):
    update(saved, wanted())
    fuzzy = [(key, m.previous_id) for key, m in messages(saved).items() if m.fuzzy]
    assert fuzzy == [("OE-1.title", ["Fortalecimiento de la cooperación en inteligencia criminal."])]


def test_an_original_changed_back_to_the_text_that_was_translated_clears_the_fuzzy_mark(saved):
    # OE-1.title was translated from "… en inteligencia criminal." (its #| msgid), then the original changed
    old = lines(saved)
    assert update(saved, wanted({"OE-1.title": "Fortalecimiento de la cooperación en inteligencia criminal."})) is True
    start, end = entry(old, "#: source/cocaina-2022/plan.yaml:25")
    assert lines(saved) == old[:start] + [
        "#: source/cocaina-2022/plan.yaml:25",
        'msgctxt "OE-1.title"',
        'msgid "Fortalecimiento de la cooperación en inteligencia criminal."',
        'msgstr "Fortalecimento da cooperação em inteligência criminal."',
    ] + old[end:]
    message = messages(saved)["OE-1.title"]
    assert not message.fuzzy and not message.previous_id


def test_a_fuzzy_mark_whose_previous_original_is_the_current_one_is_cleared(tmp_path):
    # what an older pao left after a change was reverted: fuzzy, though "#| msgid" is the msgid again
    path = tmp_path / "pt.po"
    text = (FIXTURES / "poedit-pt.po").read_text(encoding="utf-8")
    stale = f'#, fuzzy\n#| msgid "{STRENGTHENING}"\nmsgctxt "OE-1.title"\nmsgid "{STRENGTHENING}"\n'
    path.write_text(text.replace('#, fuzzy\n#| msgid "Fortalecimiento de la cooperación en inteligencia criminal."\nmsgctxt "OE-1.title"\n' f'msgid "{STRENGTHENING}"\n', stale), encoding="utf-8")
    assert stale in path.read_text(encoding="utf-8")
    assert update(path, wanted()) is True
    message = messages(path)["OE-1.title"]
    assert not message.fuzzy and not message.previous_id


def test_a_new_catalog_has_every_message_untranslated_in_document_order(tmp_path):
    path = tmp_path / "pt.po"
    assert update(path, wanted()) is True
    found = messages(path)
    assert list(found) == list(ORIGINALS)
    assert all(m.string == "" and not m.fuzzy for m in found.values())
    assert update(path, wanted()) is False


# --- the plan's own catalogs, through the command line


def _diff(before: list[str], after: list[str]) -> list[tuple[int, int]]:
    """The line ranges of ``before`` that changed."""
    return [(i1, i2) for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if tag != "equal"]


def test_a_catalog_saved_by_poedit_keeps_its_comments_header_and_wrapping_after_a_change(project):
    path = project.path(CATALOG.format(language="en"))
    text = path.read_text(encoding="utf-8")
    text = text.replace('"Generated-By: Babel 2.19.0\\n"\n', '"Generated-By: Babel 2.19.0\\n"\n"X-Generator: Poedit 3.4\\n"\n"X-Poedit-SourceCharset: UTF-8\\n"\n')
    text = text.replace('#: source/cocaina-2022/context.md:17\n', "# Ana: «main» as in the 2021 report.\n#: source/cocaina-2022/context.md:17\n")
    title = 'msgstr "Strengthening capacities and addressing financial crime, money laundering and asset recovery."\n'
    assert title in text
    text = text.replace(title, 'msgstr ""\n"Strengthening capacities and addressing financial crime, money laundering "\n"and asset recovery."\n')
    path.write_text(text, encoding="utf-8")
    before = text.split("\n")
    project.edit(CONTEXT, OLD, NEW)
    result = project.pao("translations", "update")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8").split("\n")
    start, end = entry(before, "# Ana: «main» as in the 2021 report.")
    assert _diff(before, after) and all(start <= i1 and i2 <= end for i1, i2 in _diff(before, after)), _diff(before, after)
    assert after[start : start + 3] == ["# Ana: «main» as in the 2021 report.", "#: source/cocaina-2022/context.md:17", "#, fuzzy"]
    message = next(m for m in catalog(project, "en") if m.context == "ctx-cocaine-main-activity")
    assert message.fuzzy and message.previous_id == [OLD] and message.id == NEW
    assert message.string == "Cocaine trafficking is one of the main criminal activities related to this priority."


def test_a_removed_paragraph_re_added_with_changed_text_is_fuzzy_with_the_text_it_was_translated_from(project):
    project.edit(CONTEXT, f"- {OLD} {{#ctx-cocaine-main-activity}}\n", "")
    assert project.pao("translations", "update").exit_code == 0
    project.edit(CONTEXT, "## Cannabis", f"- {NEW} {{#ctx-cocaine-main-activity}}\n\n## Cannabis")
    assert project.pao("translations", "update").exit_code == 0
    for language in ("en", "pt"):
        message = next(m for m in catalog(project, language) if m.context == "ctx-cocaine-main-activity")
        assert message.fuzzy and message.previous_id == [OLD] and message.id == NEW and message.string


def test_a_fuzzy_paragraph_removed_then_re_added_is_still_fuzzy(project):
    project.edit(CONTEXT, OLD, NEW)
    assert project.pao("translations", "update").exit_code == 0
    project.edit(CONTEXT, f"- {NEW} {{#ctx-cocaine-main-activity}}\n", "")
    assert project.pao("translations", "update").exit_code == 0
    text = project.path(CATALOG.format(language="en")).read_text(encoding="utf-8")
    assert f'#, fuzzy\n#~| msgid "{OLD}"\n#~ msgctxt "ctx-cocaine-main-activity"\n#~ msgid "{NEW}"\n' in text
    project.edit(CONTEXT, "## Cannabis", f"- {NEW} {{#ctx-cocaine-main-activity}}\n\n## Cannabis")
    assert project.pao("translations", "update").exit_code == 0
    message = next(m for m in catalog(project, "en") if m.context == "ctx-cocaine-main-activity")
    assert message.fuzzy and message.previous_id == [OLD] and message.id == NEW


def test_a_change_reverted_leaves_the_catalogs_as_they_were(project):
    shipped = {language: project.path(CATALOG.format(language=language)).read_bytes() for language in ("en", "pt")}
    project.edit(CONTEXT, OLD, NEW)
    assert project.pao("translations", "update").exit_code == 0
    project.edit(CONTEXT, NEW, OLD)
    result = project.pao("translations", "update")
    assert result.exit_code == 0 and result.stdout.count("(updated)") == 2
    assert {language: project.path(CATALOG.format(language=language)).read_bytes() for language in ("en", "pt")} == shipped
    assert project.pao("translations", "status", "--check").exit_code == 0


def _position(project, language: str, needle: str) -> tuple[int, int]:
    """The (line, column) of the first ``needle`` in the catalog."""
    text = project.path(CATALOG.format(language=language)).read_text(encoding="utf-8")
    assert needle in text, needle
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _write(project, language: str, old: str, new: str) -> tuple[int, int]:
    """Replace the first ``old`` in the catalog; the (line, column) where it was."""
    where = _position(project, language, old)
    path = project.path(CATALOG.format(language=language))
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8", newline="")
    return where


@pytest.mark.parametrize(
    "written, shown",
    [("\x01", "character U+0001"), ("\ufffe", "character U+FFFE"), ("\x0c", "character U+000C"), ("\\f", "the escape \\f is character U+000C, which")],
)
def test_a_character_a_document_cannot_hold_is_reported_at_its_catalog_line_and_column(project, written, shown):
    line, col = _write(project, "en", "Member countries of CLASI", f"Member{written} countries of CLASI")
    result = project.pao("validate")
    assert result.exit_code == 1 and "Traceback" not in result.output
    where = f"{CATALOG.format(language='en')}:{line}:{col + len('Member')}"
    assert f"{where}: ERROR: {shown} cannot be stored in a Word document: delete it [i18n.forbidden-character]" in result.stderr


def test_a_form_feed_in_the_plan_title_stops_the_build_at_the_catalog_not_at_the_template(project):
    assert project.pao("build", "--format", "docx", "--only", "pao", "-q").exit_code == 0
    snapshot = project.build_snapshot()
    before = 'msgstr "Operational Action Plan'
    line, col = _write(project, "en", f"{before} 2022-2024", f"{before}\x0c2022-2024")
    result = project.pao("build", "--format", "docx", "--only", "pao")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.count("ERROR") == 1 and "pao.docx" not in result.stderr and "XML" not in result.stderr, result.stderr
    assert (
        f"{CATALOG.format(language='en')}:{line}:{col + len(before)}: ERROR: "
        "character U+000C cannot be stored in a Word document: delete it [i18n.forbidden-character]"
    ) in result.stderr
    assert project.build_snapshot() == snapshot


def test_a_catalog_saved_with_a_byte_order_mark_and_crlf_line_ends_is_read_and_kept_so(project, built):
    path = project.path(CATALOG.format(language="en"))
    windows = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(windows)
    result = project.pao("build", "--format", "docx", "--lang", "en", "--only", "pao", "-q")
    assert result.exit_code == 0, result.output
    name = f"{PLAN_ID}/en/pao-{PLAN_ID}-en.docx"
    assert project.path(f"build/{name}").read_bytes() == (built / name).read_bytes()
    assert project.pao("translations", "update", "--lang", "en").exit_code == 0
    assert path.read_bytes() == windows
    project.edit(CONTEXT, OLD, NEW)
    assert project.pao("translations", "update", "--lang", "en").exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n") > 800
    before, after = windows.split(b"\r\n"), data.split(b"\r\n")
    msgid = before.index(f'msgid "{OLD}"'.encode())
    fuzzy = [b"#, fuzzy", f'#| msgid "{OLD}"'.encode()]
    assert after == before[: msgid - 1] + fuzzy + before[msgid - 1 : msgid] + [f'msgid "{NEW}"'.encode()] + before[msgid + 1 :]
    message = next(m for m in catalog(project, "en") if m.context == "ctx-cocaine-main-activity")
    assert message.fuzzy and message.previous_id == [OLD]


def test_a_syntax_error_in_a_crlf_catalog_is_reported_at_its_line(project):
    path = project.path(CATALOG.format(language="en"))
    text = path.read_text(encoding="utf-8")
    line = text[: text.index('msgctxt "intro-adoption"')].count("\n") + 1
    path.write_bytes(b"\xef\xbb\xbf" + text.replace('msgctxt "intro-adoption"', 'msgctxt "intro-adoption').replace("\n", "\r\n").encode("utf-8"))
    result = project.pao("validate")
    assert result.exit_code == 1 and result.stderr.count("ERROR") == 1, result.stderr  # the byte order mark is no error
    assert (
        f'{CATALOG.format(language="en")}:{line}:1: ERROR: PO syntax error: not a keyword with a quoted string: msgctxt "intro-adoption [i18n.syntax]'
    ) in result.stderr


def test_a_message_context_given_twice_is_reported_at_both_lines_and_the_catalog_is_not_updated(project):
    path = project.path(CATALOG.format(language="en"))
    text = path.read_text(encoding="utf-8")
    first = text[: text.index('msgctxt "intro-adoption"')].count("\n") + 1
    second = text.count("\n") + 2  # the appended entry's msgctxt line
    path.write_text(text + '#: source/cocaina-2022/introduction.md:3\nmsgctxt "intro-adoption"\nmsgid "Conforme…"\nmsgstr "According…"\n', encoding="utf-8")
    before = path.read_bytes()
    message = (
        f'{CATALOG.format(language="en")}:{second}:1: ERROR: msgctxt "intro-adoption" is given twice, at lines {first} and {second}: '
        "keep one of the two entries [i18n.duplicate]"
    )
    result = project.pao("validate")
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    project.edit(CONTEXT, OLD, NEW)
    result = project.pao("translations", "update")
    assert result.exit_code == 1 and message in result.stderr
    assert path.read_bytes() == before


def test_a_catalog_that_is_not_utf8_is_reported_at_the_byte(project):
    path = project.path(CATALOG.format(language="en"))
    line, col = _position(project, "en", "Member countries")
    path.write_bytes(path.read_bytes().replace(b"Member countries", b"Member countri\xe9s", 1))
    result = project.pao("validate")
    assert result.exit_code == 1
    where = f"{CATALOG.format(language='en')}:{line}:{col + len('Member countri')}"
    assert f"{where}: ERROR: byte 0xE9 is not utf-8 text: save the catalog as utf-8 [i18n.encoding]" in result.stderr


def test_a_message_without_its_msgstr_is_reported_at_its_msgid_line(project):
    line, _ = _write(project, "en", 'msgid "Plan de acción operativo 2022-2024"\nmsgstr "Operational Action Plan 2022-2024"\n', 'msgid "Plan de acción operativo 2022-2024"\n')
    result = project.pao("validate")
    assert result.exit_code == 1
    assert (
        f"{CATALOG.format(language='en')}:{line}: ERROR: PO syntax error: missing msgstr for msgid 'Plan de acción operativo 2022-2024' [i18n.syntax]"
    ) in result.stderr


def test_the_layout_catalogs_are_up_to_date_and_an_update_leaves_them_untouched(tmp_path, monkeypatch):
    copy = tmp_path / "locale"
    shutil.copytree(labels.LAYOUT_CATALOGS, copy)
    shipped = {path.name: path.read_bytes() for path in copy.glob("*.po")}
    monkeypatch.setattr(labels, "LAYOUT_CATALOGS", copy)
    diagnostics = Diagnostics()
    assert labels.update_layout_catalogs(diagnostics) == [] and not diagnostics.items
    assert {path.name: path.read_bytes() for path in copy.glob("*.po")} == shipped and len(shipped) == len(labels.LAYOUT_LANGUAGES)


def test_a_message_that_loses_its_plural_forms_keeps_their_translations_in_an_obsolete_entry(tmp_path):
    path = tmp_path / "pt.po"
    header = 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"\n'
    forms = 'msgstr[0] "{n} atrasada"\nmsgstr[1] "{n} de atrasadas"\nmsgstr[2] "{n} atrasadas"\n'
    path.write_text(header + f'\n#: labels.py:9\nmsgctxt "late"\nmsgid "{{n}} retrasada"\nmsgid_plural "{{n}} retrasadas"\n{forms}', encoding="utf-8")
    assert update(path, [Entry("late", "{n} retrasadas", Location("labels.py", 9), prose=False)]) is True
    assert path.read_text(encoding="utf-8") == (
        header + '\n#: labels.py:9\n#, python-brace-format\nmsgctxt "late"\nmsgid "{n} retrasadas"\nmsgstr ""\n'
        '\n#~ msgctxt "late"\n#~ msgid "{n} retrasada"\n#~ msgid_plural "{n} retrasadas"\n' + "".join("#~ " + line for line in forms.splitlines(keepends=True))
    )


def test_a_new_message_in_a_catalog_without_header_or_final_line_end_is_set_apart_by_a_blank_line(tmp_path):
    path = tmp_path / "pt.po"
    path.write_text('#: a.md:5\nmsgctxt "b"\nmsgid "B"\nmsgstr "bb"', encoding="utf-8")
    assert update(path, [Entry("a", "A", Location("a.md", 1), prose=True)]) is True
    assert path.read_text(encoding="utf-8") == '#: a.md:1\nmsgctxt "a"\nmsgid "A"\nmsgstr ""\n\n#~ msgctxt "b"\n#~ msgid "B"\n#~ msgstr "bb"\n'
