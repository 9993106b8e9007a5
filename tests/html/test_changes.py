"""The change report as a page: old and new side by side, words deleted and inserted marked, text escaped."""
from __future__ import annotations

from generator import pipeline
from generator.html.changes import changes_page
from generator.review import PlanChanges
from generator.review.changes import Change
from tests.conftest import ROOT
from tests.html.reading import found


def _page(*changes: Change, redlines=None) -> str:
    plan = pipeline.load(ROOT / "source").plans[0]
    return changes_page([PlanChanges(plan, list(changes), "v1", "v2")], [], redlines or {})


def test_a_changed_text_shows_its_deleted_and_inserted_words_side_by_side():
    html = _page(Change("paragraph", "ctx-1", "changed", "text", "Tom & Jerry <b> ran", "Tom & Jerry <i> ran 🚀 fast"))
    row = found(r'<span class="change-id">ctx-1</span><br>changed: text</th>(.*?)</tr>', html, 1)
    assert row == (
        '<td lang="es">Tom &amp; Jerry <del>&lt;b&gt;</del> ran</td>'
        '<td lang="es">Tom &amp; Jerry <ins>&lt;i&gt;</ins> ran<ins> 🚀 fast</ins></td>'
    )
    assert "<h3>Paragraphs, headings and list items</h3>" in html and "1 change(s)." in html


def test_lists_additions_removals_and_renames_show_what_each_side_has():
    html = _page(
        Change("action", "AO-2.1", "changed", "co_leads", ["Panamá"], ["Panamá", "Colombia"]),
        Change("activity", "AO-4.1/x", "added", new='Follow "up" · S2/2023'),
        Change("kpi", "AO-3.1/y", "removed", old="Operations · At least 1"),
        Change("footnote", "fn.b", "renamed", "id", "fn.a", "fn.b"),
    )
    assert '<td lang="es"><del>Panamá</del></td><td lang="es"><ins>Panamá, Colombia</ins></td>' in html
    assert '<br>added</th><td lang="es"></td><td lang="es"><ins>Follow &#34;up&#34; · S2/2023</ins></td>' in html
    assert '<br>removed</th><td lang="es"><del>Operations · At least 1</del></td><td lang="es"></td>' in html
    assert '<br>renamed</th><td lang="es">fn.a</td><td lang="es">fn.b</td>' in html
    assert [h for h in ("Operational actions", "KPIs and targets", "Activities and calendars", "Footnotes") if f"<h3>{h}</h3>" not in html] == []


def test_no_changes_and_a_redline_link():
    html = _page(redlines={"cocaina-2022": [("redline-pao-cocaina-2022-es.docx", "redline-pao-cocaina-2022-es.docx")]})
    assert "<p>No changes.</p>" in html and "<table" not in html
    assert '<a href="redline-pao-cocaina-2022-es.docx">redline-pao-cocaina-2022-es.docx</a>' in html
    assert "<script" not in html
