"""Moves in a redline between two small documents: Word's move marks, numbers left out when aligning, and the
order that stays (the heaviest increasing run)."""
from __future__ import annotations

import datetime

from generator.ooxml import align
from generator.ooxml.names import w
from generator.ooxml.reader import docx_text
from generator.ooxml.redline import redline
from generator.ooxml.tracked import resolve_all
from tests.ooxml.test_tracked import _body, _document
from tests.ooxml.trees import words

DATE = datetime.date(2024, 3, 15)


def _moved(body, side: str) -> list[str]:
    return [words(p) for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w(side)}") is not None]


def test_two_swapped_paragraphs_are_one_move_and_the_longer_stays():
    old = _document(["Intro.", "A short one.", "A much longer paragraph that says a great deal more.", "End."], [["x"]])
    new = _document(["Intro.", "A much longer paragraph that says a great deal more.", "A short one.", "End."], [["x"]])
    merged = redline(old, new, DATE)
    body = _body(merged)
    assert _moved(body, "moveFrom") == ["A short one."] and _moved(body, "moveTo") == ["A short one."]
    assert [s.get(w("name")) for s in body.iter(w("moveFromRangeStart"))] == [s.get(w("name")) for s in body.iter(w("moveToRangeStart"))] == ["move1"]
    assert body.find(f".//{w('ins')}") is None and body.find(f".//{w('del')}") is None
    assert docx_text(resolve_all(merged, accept=True)) == docx_text(new)
    assert docx_text(resolve_all(merged, accept=False)) == docx_text(old)


def test_rows_renumbered_pair_with_themselves_and_a_moved_row_is_deleted_and_inserted():
    old = _document(["T."], [["1. Meeting of experts on air routes", "S1"], ["2. Report", "S2"], ["3. Closing seminar", "S2"]])
    new = _document(["T."], [["1. Report", "S2"], ["2. Meeting of experts on air routes", "S1"], ["3. Closing seminar", "S2"]])
    merged = redline(old, new, DATE)
    body = _body(merged)
    assert _moved(body, "moveFrom") == ["2. Report", "S2"] and _moved(body, "moveTo") == ["1. Report", "S2"]
    marks = [[m.tag for m in r.iterfind(f"{w('trPr')}/*") if m.tag in (w("ins"), w("del"))] for r in body.iter(w("tr"))]
    assert marks == [[w("ins")], [], [w("del")], []]
    renumbered = next(p for p in body.iter(w("p")) if words(p).endswith("Meeting of experts on air routes"))
    assert [(m.tag, words(m)) for m in renumbered if m.tag in (w("ins"), w("del"))] == [(w("del"), "1"), (w("ins"), "2")]
    assert docx_text(resolve_all(merged, accept=True)) == docx_text(new)
    assert docx_text(resolve_all(merged, accept=False)) == docx_text(old)


def test_the_heaviest_increasing_run_keeps_what_says_most():
    # (old index, new index): keeping the first two pairs weighs 2, keeping the third alone 10
    assert align.heaviest([(1, 0), (2, 1), (0, 2)], [1, 1, 10]) == {(0, 2)}
    assert align.heaviest([(1, 0), (2, 1), (0, 2)], [5, 5, 1]) == {(1, 0), (2, 1)}
    assert align.heaviest([], []) == set()
