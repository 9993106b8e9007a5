"""The shipped templates break pages as a person would: rows whole, titles repeated, labels with what they name.

What LibreOffice makes of these properties is checked on the PDFs by
``tests/pdf/test_layout.py``; these tests read the Word files themselves, so
they run where LibreOffice is missing too.
"""
from __future__ import annotations

import pytest
from lxml import etree

from generator.ooxml.names import w
from tests.conftest import PLAN_ID, ROOT
from tests.docx_reader import part

TEMPLATES = ["pao.docx", "ficha.docx", "anexo.docx"]
LAYOUTS = ["clasi", "el-paccto"]


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def _rows(data: bytes) -> list[etree._Element]:
    return list(part(data, "word/document.xml").iter(w("tr")))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", TEMPLATES)
def test_no_table_row_of_a_template_breaks_across_pages(layout, name):
    rows = _rows((ROOT / "templates" / layout / name).read_bytes())
    assert rows
    for row in rows:
        assert row.find(f"{w('trPr')}/{w('cantSplit')}") is not None, _text(row)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", TEMPLATES)
def test_rows_of_column_titles_repeat_on_every_page_and_only_they_do(layout, name):
    document = part((ROOT / "templates" / layout / name).read_bytes(), "word/document.xml")
    for table in document.iter(w("tbl")):
        rows = table.findall(w("tr"))
        headers = [row.find(f"{w('trPr')}/{w('tblHeader')}") is not None for row in rows]
        assert not any(headers[1:]), _text(table)  # Word repeats only the first rows
        titles = rows[0].findall(w("tc"))
        bold = all(r.find(f"{w('rPr')}/{w('b')}") is not None for cell in titles for r in cell.iter(w("r")) if _text(r).strip())
        filled = all(cell.find(f"{w('tcPr')}/{w('shd')}") is not None for cell in titles)
        column_titles = len(titles) > 2 and bold and filled  # a row of shaded bold titles over three columns or more
        assert headers[0] == column_titles, _text(rows[0])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_labels_and_headings_keep_with_what_follows_and_table_text_is_not_hyphenated(layout):
    styles = part((ROOT / "templates" / layout / "pao.docx").read_bytes(), "word/styles.xml")
    by_name = {named.get(w("val")): style for style in styles.iter(w("style")) if (named := style.find(w("name"))) is not None}
    for name in ("Arrow Label", "heading 1", "heading 2", "heading 3"):
        assert by_name[name].find(f"{w('pPr')}/{w('keepNext')}") is not None, name
    assert by_name["Table Text"].find(f"{w('pPr')}/{w('suppressAutoHyphens')}") is not None


def test_the_rows_of_an_actions_table_that_name_what_follows_stay_with_it(built):
    """In the PAO: who leads, the summary's label, the KPIs' label and the activities' titles keep with the next row."""
    data = (built / PLAN_ID / "es" / f"pao-{PLAN_ID}-es.docx").read_bytes()
    kept = {
        _text(row) for row in _rows(data)
        if all(p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in row.iter(w("p")) if _text(p).strip())
    }
    for label in ("Resumen de los objetivos de la acción operativa", "Indicadores principales de rendimiento", "ActividadesCalendario"):
        assert label in kept
    assert not any(text.startswith("1. Organizar") for text in kept)  # an activity's row does not: the table may break there
