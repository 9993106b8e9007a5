"""A PO file as lines: entries found as the tools write them, and written back as gettext writes them."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.translation import pofile
from generator.translation.pofile import Content

FIXTURES = Path(__file__).with_name("catalogs")
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def parsed(text: str) -> pofile.PoFile:
    po, problems = pofile.parse(text)
    assert not problems, problems
    return po


@pytest.mark.parametrize("tool, width, newline, bom", [("poedit", 79, "\n", False), ("weblate", 77, "\n", False), ("lokalize", 80, "\r\n", True)])
def test_a_tools_catalog_is_read_with_its_wrap_width_line_ends_and_byte_order_mark(tool, width, newline, bom):
    data = (FIXTURES / f"{tool}-pt.po").read_bytes()
    po, problems = pofile.read(data)
    assert po is not None and not problems
    assert (po.width, po.newline, po.bom) == (width, newline, bom)
    assert po.encoded(po.text) == data
    assert [e.content.context for e in po.entries] == [
        None, "plan.title", "intro-delegations", "intro-adoption", "ctx-cocaine-main-activity", "ctx-cocaine-networks", "OE-1.title", "ctx-cocaine-routes",
    ]
    routes = po.entries[-1]
    assert routes.content.obsolete and routes.commented and routes.content.strings[0].startswith("As rotas do Pacífico")


def test_a_long_string_is_wrapped_after_spaces_as_gettext_does_where_a_word_and_its_space_fit():
    po = parsed(HEADER + 'msgid ""\n"' + "word " * 15 + '"\n"end"\nmsgstr ""\n')
    assert po.width == 77
    eight = "abcdefgh " * 8  # 72 columns
    # a word goes on the line when it fits with its space and the quotes: "xx " does (77 columns), "xxx " does not
    assert po._string("msgid", eight + "xx yy", "") == ['msgid ""', f'"{eight}xx "', '"yy"']
    assert po._string("msgid", eight + "xxx yy", "") == ['msgid ""', f'"{eight}"', '"xxx yy"']
    # on one line when the keyword, the text and its quotes fit
    assert po._string("msgid", "z" * 68, "") == [f'msgid "{"z" * 68}"']
    assert po._string("msgid", "z" * 60 + " " + "z" * 9, "") == ['msgid ""', f'"{"z" * 60} {"z" * 9}"']
    assert po.written(Content("k", "short", None, ("",))) == ['msgctxt "k"\n', 'msgid "short"\n', 'msgstr ""\n']
    assert po._string("msgid", "short", "#~ ") == ['#~ msgid "short"']
    assert po._string("msgid", "x" * 100, "") == ['msgid ""', f'"{"x" * 100}"']  # a word longer than a line stays whole


def test_a_file_that_does_not_wrap_gets_long_strings_on_one_line_but_still_breaks_after_line_breaks():
    po = parsed(HEADER + f'msgid "{"palabra " * 20}"\nmsgstr ""\n')
    assert po.width == 0
    assert po._string("msgid", "palabra " * 20, "") == [f'msgid "{"palabra " * 20}"']
    assert po._string("msgstr", "uno\ndos\n", "") == ['msgstr ""', '"uno\\n"', '"dos\\n"']
    assert po._string("msgstr", "uno\n", "") == ['msgstr "uno\\n"']


def test_an_obsolete_entry_keeps_its_flags_and_previous_original():
    po = parsed(HEADER + '#, fuzzy\n#~| msgid "antes"\n#~ msgctxt "k"\n#~ msgid "después"\n#~ msgstr "after"\n')
    assert po.entries[1].content == Content("k", "después", None, ("after",), ("fuzzy",), ("antes",), (), obsolete=True)
    assert any(line.startswith("#|") for line in po.babel_lines()) and not any(line.startswith("#~|") for line in po.babel_lines())


def test_an_entry_comes_back_from_the_obsolete_ones_with_its_lines():
    po = parsed(HEADER + '# kept\n#, fuzzy\n#~| msgid "antes"\n#~ msgctxt "k"\n#~ msgid ""\n#~ "después"\n#~ msgstr "after"\n')
    old = po.entries[1]
    back = Content("k", "después", None, ("after",), ("fuzzy",), ("antes",), ("a.md:3",))
    assert po.written(back, old) == ["# kept\n", "#: a.md:3\n", "#, fuzzy\n", '#| msgid "antes"\n', 'msgctxt "k"\n', 'msgid ""\n', '"después"\n', 'msgstr "after"\n']


@pytest.mark.parametrize(
    "text, line, col, message",
    [
        ('#, fuzzy\n"stray"\nmsgid "a"\nmsgstr "b"\n', 6, 1, 'PO syntax error: a quoted string that follows no keyword: "stray"'),
        ('msgctxt "k"\nmsgstr "b"\n', 5, 1, "PO syntax error: msgctxt without a msgid"),
        ('msgid "a"\nmsgstr "b\n', 6, 1, 'PO syntax error: not a keyword with a quoted string: msgstr "b'),
        ('#~ msgid "a"\n#~ msgstr b\n', 6, 4, "PO syntax error: not a keyword with a quoted string: msgstr b"),
    ],
)
def test_a_line_that_is_not_po_is_a_located_syntax_error(text, line, col, message):
    _, problems = pofile.parse(HEADER + text)
    assert [(p.line, p.col, p.message) for p in problems] == [(line, col, message)]


def test_a_catalog_in_another_charset_is_read_and_written_in_it():
    data = HEADER.replace("UTF-8", "ISO-8859-1").encode("latin-1") + 'msgid "acción"\nmsgstr "ação"\n'.encode("latin-1")
    po, problems = pofile.read(data)
    assert po is not None and not problems and po.entries[1].content.strings == ("ação",)
    assert po.encoded(po.text) == data
    with pytest.raises(UnicodeEncodeError):
        po.encoded(po.text + "€")
