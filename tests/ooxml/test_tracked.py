"""Tracked changes between two small documents: what pairs up, the marks, accepting and rejecting them."""
from __future__ import annotations

import datetime
import io
import zipfile

import docx
from lxml import etree

from generator.ooxml import align
from generator.ooxml.align import Token
from generator.ooxml.names import W, w
from generator.ooxml.reader import docx_text
from generator.ooxml.redline import redline
from generator.ooxml.tracked import resolve_all
from tests.ooxml.trees import one, words

DATE = datetime.date(2022, 6, 1)


def _document(paragraphs: list[str], rows: list[list[str]]) -> bytes:
    """A .docx of plain paragraphs ("**word**" bold) then a table of ``rows``."""
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for index, piece in enumerate(text.split("**")):
            if piece:
                run = paragraph.add_run(piece)
                if index % 2:
                    run.bold = True
    table = document.add_table(rows=0, cols=max(len(r) for r in rows))
    for cells in rows:
        row = table.add_row()
        for cell, value in zip(row.cells, cells, strict=False):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return one(etree.fromstring(archive.read("word/document.xml")), w("body"))


OLD = _document(["The **first** meeting is in May.", "Removed for good."], [["KPI", "Target"], ["a", "3 meetings"]])
NEW = _document(["The **first** meeting is in June.", "Brand new: unlike anything."], [["KPI", "Target"], ["a", "4 meetings"]])


def test_a_document_compared_with_itself_has_no_tracked_change():
    merged = redline(OLD, OLD, DATE)
    body = _body(merged)
    assert body.find(f".//{w('ins')}") is None and body.find(f".//{w('del')}") is None
    assert docx_text(merged) == docx_text(OLD)


def test_accepting_every_change_gives_the_new_text_and_rejecting_them_the_old():
    merged = redline(OLD, NEW, DATE)
    assert docx_text(resolve_all(merged, accept=True)) == docx_text(NEW)
    assert docx_text(resolve_all(merged, accept=False)) == docx_text(OLD)


def test_a_changed_word_is_deleted_and_inserted_and_the_unchanged_words_keep_their_formatting():
    body = _body(redline(OLD, NEW, DATE))
    paragraph = one(body, w("p"))
    assert [words(d) for d in paragraph.iter(w("del"))] == ["May"]
    assert [words(i) for i in paragraph.iter(w("ins"))] == ["June"]
    bold = [r for r in paragraph.iter(w("r")) if r.find(f"{w('rPr')}/{w('b')}") is not None]
    assert [words(r) for r in bold] == ["first"]
    marks = list(body.iter(w("ins"), w("del")))
    assert {m.get(w("author")) for m in marks} == {"pao diff"} and {m.get(w("date")) for m in marks} == {"2022-06-01T00:00:00Z"}
    assert len({m.get(w("id")) for m in marks}) == len(marks)


def test_a_paragraph_unlike_any_of_the_other_version_is_deleted_or_inserted_whole():
    body = _body(redline(OLD, NEW, DATE))
    whole = {
        tag: [words(p) for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w(tag)}") is not None]
        for tag in ("del", "ins")
    }
    assert whole == {"del": ["Removed for good."], "ins": ["Brand new: unlike anything."]}


def _paragraph(text: str) -> etree._Element:
    return etree.fromstring(f'<w:p xmlns:w="{W}"><w:r><w:t>{text}</w:t></w:r></w:p>')


def _row(*cells: str) -> etree._Element:
    row = etree.fromstring(f'<w:tr xmlns:w="{W}"/>')
    for text in cells:
        etree.SubElement(row, w("tc")).append(_paragraph(text))
    return row


def test_similar_blocks_pair_and_others_are_deleted_or_inserted():
    old = [_paragraph("Same."), _paragraph("Gone entirely."), _paragraph("The target is 3 meetings.")]
    new = [_paragraph("Same."), _paragraph("The target is 4 meetings."), _paragraph("Brand new words here.")]
    pairs = [(align.text(a) if a is not None else None, align.text(b) if b is not None else None) for a, b in align.blocks(old, new)]
    assert pairs == [
        ("Same.", "Same."),
        ("Gone entirely.", None),
        ("The target is 3 meetings.", "The target is 4 meetings."),
        (None, "Brand new words here."),
    ]


def test_a_row_that_gained_a_cell_is_deleted_and_inserted_not_compared():
    pairs = align.rows([_row("a", "3")], [_row("a", "3", "note")])
    assert [(a is not None, b is not None) for a, b in pairs] == [(True, False), (False, True)]
    assert [(a is not None, b is not None) for a, b in align.rows([_row("a", "3")], [_row("a", "4")])] == [(True, True)]


def _change(old: Token | None, new: Token | None) -> str:
    """"=word" kept, "-word" deleted, "+word" inserted."""
    if new is None:
        assert old is not None
        return "-" + old.text
    return ("=" if old is not None else "+") + new.text


def test_of_words_that_differ_the_old_come_before_the_new():
    old, new = align.tokens(_paragraph("in May 2022"), from_old=True), align.tokens(_paragraph("in late June 2022"), from_old=False)
    merged = [_change(a, b) for a, b in align.words(old, new)]
    assert merged == ["=in", "= ", "-May", "+late", "+ ", "+June", "= ", "=2022"]
