"""No file can crash a reader: whatever bytes a source, a catalog or a .docx holds, the result is a value or located errors.

Each reader gets arbitrary bytes, text made of the pieces of its syntax, and
the shipped file mutated (bytes and lines deleted, repeated, swapped,
re-indented or replaced): it returns a result, or errors that each name the
file and a line of it; never another exception.
"""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator import pipeline
from generator.cli import main
from generator.diagnostics import Diagnostics, Location, SourceError
from generator.model.plan import Sources
from generator.ooxml.reader import docx_text
from generator.sources.markdown import parse, parse_inline
from generator.sources.yamlfile import load_yaml
from generator.translation import catalogs
from tests.conftest import PLAN_ID, ROOT
from tests.properties.examples import Copy
from tests.properties.texts import typed

FAST = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])

YAML_PIECES = [": ", "- ", "\n", "\n  ", "\n    ", "{", "}", "[", "]", ", ", "&a ", "*a", "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!str ", "!foo ", "|", "|-", ">", "? ",
               "---\n", "...\n", "%YAML 1.1\n", "'", '"', "#", "\t", "\\", "\ufeff", "key", "2022-S2", "2023-02-30", "1e400", ".nan", "0x1F", "10:30",
               "yes", "NO", "~", "null", "<<: "]
MARKDOWN_PIECES = ["*", "**", "_", "__", "[", "]", "(", ")", "[^a]", "[^a]: ", "^[", "[^", "\n", "\n\n", "  \n", "\\", "`", "```\n", "#", "## ", "> ", "- ", "1. ",
                   "    ", "\t", "<b>", "&amp;", "![x](y)", "{#id}", " {#x.1}", "---", "|a|b|\n|-|-|", "<http://x>", "\x00"]
PO_PIECES = ["msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[1] ", '"', '""', "\\n", "\\", "\\t", "\\f", "\n", "#, fuzzy",
             "#| msgid ", "#~ ", "#: ", "\n\n", '"Content-Type: text/plain; charset=', "latin-1", "UTF-8", "CHARSET", '\\n"', "\r\n", "\ufeff"]


def pieces(syntax: list[str]) -> st.SearchStrategy[str]:
    """Text made of a syntax's pieces and of typed text."""
    return st.lists(st.one_of(st.sampled_from(syntax), typed()), max_size=40).map("".join)


@dataclasses.dataclass(frozen=True)
class Edit:
    """A change to a file: bytes deleted, inserted or replaced at ``at``; a line deleted, repeated, swapped with
    line ``other`` or re-indented.  Positions are taken modulo the file's size: any edit fits any file."""

    kind: str
    at: int
    other: int = 0
    inserted: bytes = b""

    def __call__(self, data: bytes) -> bytes:
        at = self.at % (len(data) + 1)
        if self.kind == "delete":
            return data[:at] + data[at + self.other % 64 + 1 :]
        if self.kind == "insert":
            return data[:at] + self.inserted + data[at:]
        if self.kind == "replace":
            return data[:at] + bytes([self.other % 256]) + data[at + 1 :]
        lines = data.split(b"\n")
        line, other = self.at % len(lines), self.other % len(lines)
        if self.kind == "drop line":
            del lines[line]
        elif self.kind == "repeat line":
            lines.insert(line, lines[line])
        elif self.kind == "swap lines":
            lines[line], lines[other] = lines[other], lines[line]
        elif self.kind == "indent":
            lines[line] = b"  " + lines[line]
        else:
            lines[line] = lines[line].removeprefix(b" ")
        return b"\n".join(lines)


KINDS = ["delete", "insert", "replace", "drop line", "repeat line", "swap lines", "indent", "unindent"]
EDITS = st.lists(
    st.builds(Edit, st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 10**6), st.binary(min_size=1, max_size=16) | st.text(min_size=1, max_size=8).map(str.encode)),
    min_size=1, max_size=4,
)


def edited(data: bytes, edits: list[Edit]) -> bytes:
    for edit in edits:
        data = edit(data)
    return data


def file_holding(original: bytes, syntax: list[str]) -> st.SearchStrategy[bytes | list[Edit]]:
    """Arbitrary bytes, text of ``syntax``'s pieces, or edits to ``original`` (applied by ``contents``: a
    failing example then shows the edits, not the whole file)."""
    return st.binary(max_size=300) | pieces(syntax).map(str.encode) | EDITS


def contents(original: bytes, drawn: bytes | list[Edit]) -> bytes:
    return edited(original, drawn) if isinstance(drawn, list) else drawn


def assert_located(diagnostics: Diagnostics | list, file: Path, lines: int) -> None:
    """Every problem names ``file`` and one of its ``lines`` (or the line just after the last, where a file ends)."""
    for diagnostic in diagnostics.items if isinstance(diagnostics, Diagnostics) else diagnostics:
        where = diagnostic.location
        assert Path(where.file).resolve() == file.resolve(), diagnostic
        assert 1 <= where.line <= lines + 1, f"not on a line of the file ({lines} lines): {diagnostic}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("readers")


# ---------------------------------------------------------------- YAML


PLAN_YAML = (ROOT / "source" / PLAN_ID / "plan.yaml").read_bytes()


@FAST
@given(file_holding(PLAN_YAML, YAML_PIECES))
def test_the_yaml_reader_gives_data_or_located_errors_whatever_the_file_holds(folder: Path, drawn: bytes | list[Edit]):
    data = contents(PLAN_YAML, drawn)
    path = folder / "plan.yaml"
    path.write_bytes(data)
    diagnostics = Diagnostics()
    loaded = load_yaml(path, diagnostics, inside=folder)
    assert (loaded is None) == bool(diagnostics.errors)
    assert_located(diagnostics, path, data.count(b"\n") + 1)


SOURCES = [f"{PLAN_ID}/plan.yaml", f"{PLAN_ID}/progress/2023-S1.yaml", f"{PLAN_ID}/context.md", "organisations.yaml"]


@pytest.fixture(scope="module")
def project(folder: Path) -> Copy:
    return Copy(folder / "project")


@FAST
@given(st.sampled_from(SOURCES), EDITS)
def test_loading_the_sources_gives_plans_or_located_errors_whatever_a_file_holds(project: Copy, name: str, edits: list[Edit]):
    """The whole of ``pao validate``'s reading (schema, cross-checks, prose, reports) after a source file is edited."""
    path = project.folder / "source" / name
    original = path.read_bytes()
    path.write_bytes(edited(original, edits))
    try:
        pipeline.load(project.folder / "source")
        event("read")
    except SourceError as error:
        event("refused")
        for diagnostic in error.diagnostics:
            assert diagnostic.location.line >= 1 and Path(diagnostic.location.file).is_relative_to(project.folder), diagnostic
    finally:
        path.write_bytes(original)


# ---------------------------------------------------------------- Markdown


@FAST
@given(pieces(MARKDOWN_PIECES), st.sampled_from([None, "AO-1.1.summary"]), st.booleans(), st.booleans())
def test_the_markdown_parser_gives_a_text_or_located_errors_whatever_is_written(text: str, ids: str | None, headings: bool, single: bool):
    diagnostics = Diagnostics()
    file = Path("context.md")
    parse(text, Location(str(file), 1, 1), diagnostics, ids=ids, headings=headings, single_paragraph=single and ids is not None)
    assert_located(diagnostics, file, text.count("\n") + 1)


@FAST
@given(pieces(MARKDOWN_PIECES))
def test_a_translated_block_gives_a_text_or_errors_on_its_msgstr_line_whatever_is_written(text: str):
    diagnostics = Diagnostics()
    parse_inline(text, Location("en.po", 7), diagnostics, {"a"})
    for diagnostic in diagnostics.items:
        assert diagnostic.location.line == 7, diagnostic


# ---------------------------------------------------------------- PO catalogs


CATALOG = (ROOT / "source" / PLAN_ID / "locale" / "en.po").read_bytes()


@FAST
@given(file_holding(CATALOG, PO_PIECES))
def test_the_catalog_reader_gives_a_catalog_or_located_errors_whatever_the_file_holds(folder: Path, drawn: bytes | list[Edit]):
    data = contents(CATALOG, drawn)
    path = folder / "en.po"
    path.write_bytes(data)
    diagnostics = Diagnostics()
    read = catalogs.read(path, "en", diagnostics)
    if read is None:
        assert diagnostics.errors
    assert_located(diagnostics, path, len(re.split(rb"\r\n|\n", data)))


@FAST
@given(EDITS)
def test_a_translation_is_localized_or_refused_with_located_errors_whatever_its_catalog_holds(project: Copy, edits: list[Edit]):
    """The English edition (catalog read, every msgstr parsed and checked) after the catalog is edited."""
    path = project.folder / "source" / PLAN_ID / "locale" / "en.po"
    original = path.read_bytes()
    path.write_bytes(edited(original, edits))
    try:
        pipeline.localize(_sources(project), pipeline.Selection(languages=("en",)))
        event("localized")
    except SourceError as error:
        event("refused")
        for diagnostic in error.diagnostics:
            assert diagnostic.location.line >= 1, diagnostic
    finally:
        path.write_bytes(original)


_LOADED: dict[Path, Sources] = {}


def _sources(project: Copy) -> Sources:
    """The shipped plan, loaded once: only its catalog changes."""
    if project.folder not in _LOADED:
        _LOADED[project.folder] = pipeline.load(project.folder / "source")
    return _LOADED[project.folder]


# ---------------------------------------------------------------- pao text


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD = (ROOT / "templates" / "clasi" / "ficha.docx").read_bytes()  # a .docx as Word saves it, with every part a document has


PARTS = ["word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"]
XML_PIECES = ["<", ">", "</", "/>", "w:", "<w:body>", "<w:p>", "<w:t>", "&", "&#0;", '"', "=", 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"']
W_TAGS = ["document", "body", "p", "pPr", "pStyle", "numPr", "r", "rPr", "t", "delText", "tab", "br", "hyperlink", "footnoteReference",
          "tbl", "tr", "tc", "tcPr", "vMerge", "sdt", "sdtContent", "footnotes", "footnote", "styles", "style", "name", "basedOn", "outlineLvl"]
def _xml_text(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", text)  # what XML can hold


W_ATTRIBUTES = st.dictionaries(
    st.sampled_from([f"{{{W}}}val", f"{{{W}}}id", f"{{{W}}}type", f"{{{W}}}styleId", f"{{{R}}}id"]),
    st.sampled_from(["0", "1", "9", "-1", "x", "", "Heading1", "Title", "continue", "restart", "normal", "paragraph", "rId1"]) | st.text(max_size=5).map(_xml_text),
    max_size=3,
)


def _element(tag: str, attributes: dict[str, str], children: list) -> etree._Element:
    element = etree.Element(f"{{{W}}}{tag}", attributes)
    for child in children:
        if isinstance(child, str):
            element.text = (element.text or "") + child
        else:
            element.append(child)
    return element


# well-formed WordprocessingML of any shape: every element where any other could be, odd attribute values
W_XML = st.recursive(
    st.builds(_element, st.sampled_from(W_TAGS), W_ATTRIBUTES, st.just([])),
    lambda children: st.builds(_element, st.sampled_from(W_TAGS), W_ATTRIBUTES, st.lists(children | typed().map(_xml_text), max_size=5)),
    max_leaves=30,
).map(etree.tostring)


DAMAGE = st.one_of(
    st.integers(0, len(WORD)),  # cut short
    EDITS,  # bytes changed
    st.tuples(st.sampled_from(PARTS), st.binary(max_size=200) | pieces(XML_PIECES).map(str.encode) | W_XML),  # a part replaced
)


def damaged(damage: int | list[Edit] | tuple[str, bytes]) -> bytes:
    if isinstance(damage, int):
        return WORD[:damage]
    if isinstance(damage, list):
        return edited(WORD, damage)
    name, content = damage
    source = zipfile.ZipFile(io.BytesIO(WORD))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info))
        target.writestr(name, content)
    return buffer.getvalue()


@FAST
@given(st.binary(max_size=300) | DAMAGE)
def test_pao_text_reads_a_document_or_says_it_cannot_whatever_the_file_holds(drawn: bytes | int | list[Edit] | tuple[str, bytes]):
    document = drawn if isinstance(drawn, bytes) else damaged(drawn)
    try:
        docx_text(document, "ficha.docx")
        event("read")
    except SourceError as error:
        assert [d.location for d in error.diagnostics] == [Location("ficha.docx")]
        event(f"refused: {error.diagnostics[0].code}")


@FAST
@given(DAMAGE)
def test_the_pao_text_command_prints_the_text_or_one_error_line_never_a_traceback(folder: Path, damage: int | list[Edit] | tuple[str, bytes]):
    path = folder / "ficha.docx"
    path.write_bytes(damaged(damage))
    result = CliRunner().invoke(main, ["text", str(path)], catch_exceptions=False)
    if result.exit_code == 0:
        assert result.stdout == docx_text(path.read_bytes())
    else:
        assert result.exit_code == 1
        assert re.fullmatch(rf"{re.escape(str(path))}: ERROR: .+ \[docx\.(invalid|damaged)\]\n1 error\n", result.stderr), result.stderr
